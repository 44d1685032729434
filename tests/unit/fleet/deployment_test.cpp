// A deployment's limits under concurrent calls: of calls racing for its last
// free place (a concurrency slot, the minute's last request), exactly one
// takes it; a refused call counts nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "fleet/deployment.h"

namespace tiergate::fleet {
namespace {

class idle_provider final : public providers::provider {
  public:
    providers::provider_kind kind() const override { return providers::provider_kind::openai_compatible; }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override { return false; }
    int context_window() const override { return 0; }
    void generate(const generation_call &, std::shared_ptr<generation_observer>) override {}
    void embed(const embedding_call &, std::function<void(result<embedding_result>)>) override {}

  private:
    std::string name_ = "m";
};

// `threads` calls race for `d`; returns how many were let in.
int race(deployment & d, int threads) {
    std::atomic<int> in{0};
    std::barrier start(threads);
    std::vector<std::thread> ts;
    for (int i = 0; i < threads; ++i) {
        ts.emplace_back([&] {
            start.arrive_and_wait();
            if (!d.try_begin(10).refused) {
                ++in;
            }
        });
    }
    for (auto & t : ts) {
        t.join();
    }
    return in.load();
}

TEST(deployment, concurrent_calls_take_the_last_concurrency_slot_once) {
    idle_provider p;
    for (int round = 0; round < 200; ++round) {
        deployment_settings s;
        s.name = "d";
        s.max_concurrency = 2;
        deployment d(s, p, true);
        EXPECT_EQ(race(d, 4), 2) << "round " << round;
        EXPECT_EQ(d.now().in_flight, 2);
        EXPECT_EQ(d.state(0), deployment_state::busy);
        EXPECT_EQ(d.now().rpm_used, 2);  // the refused ones counted nothing
    }
}

TEST(deployment, concurrent_calls_take_the_minutes_last_request_once) {
    idle_provider p;
    for (int round = 0; round < 200; ++round) {
        deployment_settings s;
        s.name = "d";
        s.rpm = 3;
        deployment d(s, p, true);
        EXPECT_EQ(race(d, 6), 3) << "round " << round;
        EXPECT_EQ(d.now().rpm_used, 3);
        EXPECT_EQ(d.now().in_flight, 3);
        EXPECT_EQ(d.state(0), deployment_state::limited);
    }
}

TEST(deployment, an_ended_call_frees_its_slot_and_corrects_its_tokens) {
    idle_provider p;
    deployment_settings s;
    s.name = "d";
    s.max_concurrency = 1;
    s.tpm = 100;
    deployment d(s, p, true);
    const auto first = d.try_begin(40);
    ASSERT_FALSE(first.refused);
    EXPECT_EQ(d.try_begin(1).refused, std::optional<deployment_state>(deployment_state::busy));
    generation_end end;
    end.finish_reason = "stop";
    end.tokens.prompt_tokens = 30;
    end.tokens.completion_tokens = 50;
    end.total_ms = 12;
    d.end(end, {40, first.minute, false}, std::chrono::milliseconds(1000));
    const auto f = d.now();
    EXPECT_EQ(f.in_flight, 0);
    EXPECT_EQ(f.queued_tokens, 0);
    EXPECT_EQ(f.tpm_used, 80);  // the answer's usage replaced the estimate
    EXPECT_DOUBLE_EQ(f.latency_ms, 12);
    EXPECT_EQ(d.try_begin(30).refused, std::optional<deployment_state>(deployment_state::limited));  // 80 + 30 > 100
    EXPECT_FALSE(d.try_begin(20).refused);
}

TEST(deployment, a_429_cools_it_down_and_a_cancelled_call_says_nothing) {
    idle_provider p;
    deployment_settings s;
    s.name = "d";
    deployment d(s, p, true);
    auto a = d.try_begin(1);
    ASSERT_FALSE(a.refused);
    generation_end cancelled;
    cancelled.finish_reason = "cancelled";
    d.end(cancelled, {1, a.minute, false}, std::chrono::milliseconds(1000));
    EXPECT_EQ(d.now().requests, 0);
    EXPECT_EQ(d.now().errors, 0);
    a = d.try_begin(1);
    ASSERT_FALSE(a.refused);
    generation_end limited;
    limited.finish_reason = "error";
    limited.failure = error{error_kind::rate_limited, "slow down", "", "", 2};
    const auto now = deployment::clock::now();
    d.end(limited, {1, a.minute, false}, std::chrono::milliseconds(60'000), now);
    EXPECT_EQ(d.state(0, now), deployment_state::cooling);
    EXPECT_EQ(d.retry_in(deployment_state::cooling, now).count(), 2000);  // its Retry-After, not the cooldown
    EXPECT_EQ(d.state(0, now + std::chrono::milliseconds(2001)), deployment_state::ready);
    EXPECT_EQ(d.now().errors, 1);
}

TEST(deployment, a_huge_retry_after_rests_it_an_hour_at_most) {
    idle_provider p;
    deployment_settings s;
    s.name = "d";
    deployment d(s, p, true);
    auto a = d.try_begin(1);
    generation_end limited;
    limited.finish_reason = "error";
    limited.failure = error{error_kind::rate_limited, "slow down", "", "", 999'999'999};  // what a header may say
    const auto now = deployment::clock::now();
    d.end(limited, {1, a.minute, false}, std::chrono::milliseconds(1000), now);
    EXPECT_EQ(d.state(0, now + std::chrono::minutes(59)), deployment_state::cooling);
    EXPECT_EQ(d.state(0, now + std::chrono::minutes(61)), deployment_state::ready);
}

TEST(deployment, a_deployment_set_up_wrong_rests_and_loses_its_place_in_the_latency_order) {
    idle_provider p;
    deployment_settings s;
    s.name = "d";
    deployment d(s, p, true);
    auto a = d.try_begin(1);
    generation_end refused;
    refused.finish_reason = "error";
    refused.total_ms = 5;
    refused.failure = error{error_kind::upstream, "HTTP 401", "", "upstream_auth", {}};
    const auto now = deployment::clock::now();
    d.end(refused, {1, a.minute, true}, std::chrono::milliseconds(5000), now);
    EXPECT_EQ(d.state(0, now + std::chrono::milliseconds(4000)), deployment_state::cooling);
    EXPECT_EQ(d.state(0, now + std::chrono::milliseconds(5001)), deployment_state::ready);
    EXPECT_GE(d.now().latency_ms, 1000.0);  // measured now, and slow: no longer first for the latency strategy
    // a request the deployment rejected as bad (400) says nothing about it
    deployment fine(s, p, true);
    auto b = fine.try_begin(1);
    generation_end rejected;
    rejected.finish_reason = "error";
    rejected.failure = error{error_kind::invalid_request, "HTTP 400", "", "upstream_rejected", {}};
    fine.end(rejected, {1, b.minute, false}, std::chrono::milliseconds(5000), now);
    EXPECT_EQ(fine.state(0, now), deployment_state::ready);
    EXPECT_LT(fine.now().latency_ms, 0);
}

}  // namespace
}  // namespace tiergate::fleet
