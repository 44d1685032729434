// Run budgets: reservations hold on every level, settlements free what was not spent.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "agents/run_budget.h"

namespace tiergate::agents {
namespace {

TEST(run_budget, reserve_settle_and_refuse) {
    run_budget b(1.0, nullptr);
    EXPECT_TRUE(b.reserve(0.6));
    EXPECT_FALSE(b.reserve(0.5));  // 0.6 held
    b.settle(0.6, 0.2);
    EXPECT_DOUBLE_EQ(b.spent(), 0.2);
    EXPECT_NEAR(b.remaining(), 0.8, 1e-12);
    EXPECT_TRUE(b.reserve(0.5));
}

TEST(run_budget, a_nested_budget_is_held_by_its_parent_too) {
    run_budget plan(1.0, nullptr);
    run_budget specialist(0.0, &plan);  // no limit of its own
    EXPECT_TRUE(specialist.reserve(0.7));
    EXPECT_FALSE(specialist.reserve(0.4));  // the plan's limit
    EXPECT_NEAR(plan.remaining(), 0.3, 1e-12);
    specialist.settle(0.7, 0.7);
    EXPECT_DOUBLE_EQ(plan.spent(), 0.7);
    run_budget tight(0.1, &plan);
    EXPECT_FALSE(tight.reserve(0.2));  // its own limit
    EXPECT_NEAR(plan.remaining(), 0.3, 1e-12);  // a refused reservation holds nothing
}

TEST(run_budget, concurrent_reservations_never_pass_the_limit) {
    run_budget b(1.0, nullptr);
    std::atomic<int> granted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                if (b.reserve(0.01)) {
                    ++granted;
                }
            }
        });
    }
    for (auto & t : threads) {
        t.join();
    }
    EXPECT_EQ(granted.load(), 100);
}

}  // namespace
}  // namespace tiergate::agents
