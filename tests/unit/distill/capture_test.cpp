#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <unistd.h>

#include "distill/capture_recorder.h"
#include "distill/capture_store.h"
#include "store_backends.h"

namespace tiergate::distill {
namespace {

namespace fs = std::filesystem;

// Every test on each store: a SQLite file, and PostgreSQL when TIERGATE_TEST_PG_URL names a server.
class capture_test : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        where_ = std::make_unique<rag::test_stores::store_location>(GetParam());
        if (where_->location().empty()) {
            GTEST_SKIP() << where_->skip_reason();
        }
    }

    std::unique_ptr<capture_store> store() {
        auto s = open_capture_store(where_->location());
        EXPECT_TRUE(s) << s.err().message;
        return s ? std::move(*s) : nullptr;
    }

    static captured_call call(const std::string & task, const std::string & question, const std::string & answer,
                              const std::string & role = "teacher") {
        captured_call c;
        c.request_id = "r-" + question;
        c.task = task;
        c.model = "frontier";
        c.tier = "frontier";
        c.role = role;
        c.messages = {{"user", question, {}, {}, {}, {}}};
        c.answer = answer;
        c.finish_reason = "stop";
        c.prompt_tokens = 5;
        c.completion_tokens = 3;
        return c;
    }

    std::unique_ptr<rag::test_stores::store_location> where_;
};

TEST_P(capture_test, the_store_keeps_calls_in_order_and_filters_them) {
    auto s = store();
    ASSERT_TRUE(s->append({call("a", "q1", "x"), call("b", "q2", "y"), call("a", "q3", "z", "student")}));
    std::vector<std::string> seen;
    ASSERT_TRUE(s->each({"a", "", "", 0}, [&](captured_call && c) {
        seen.push_back(c.messages.at(0).content + "/" + c.role);
        return true;
    }));
    EXPECT_EQ(seen, (std::vector<std::string>{"q1/teacher", "q3/student"}));
    seen.clear();
    ASSERT_TRUE(s->each({"", "teacher", "", 0}, [&](captured_call && c) {
        seen.push_back(c.answer);
        return true;
    }));
    EXPECT_EQ(seen, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(*s->rows(), 3);
    EXPECT_GT(*s->bytes(), 0);
}

TEST_P(capture_test, rules_match_every_list_that_is_given) {
    capture_settings settings;
    settings.rules.teams = {"support"};
    settings.rules.tasks = {"triage", "summary"};
    capture_recorder r(store(), settings);
    EXPECT_TRUE(r.wants({"auto", "k1", "support", "triage", false}));
    EXPECT_TRUE(r.wants({"frontier", "k2", "support", "summary", false}));
    EXPECT_FALSE(r.wants({"auto", "k1", "sales", "triage", false}));
    EXPECT_FALSE(r.wants({"auto", "k1", "support", "", false}));
    EXPECT_FALSE(r.wants({"auto", "k1", "support", "triage", true})) << "on-prem requests stay out by default";
}

TEST_P(capture_test, on_prem_requests_are_kept_only_when_the_rules_say_so) {
    capture_settings settings;
    settings.rules.on_prem = true;
    capture_recorder r(store(), settings);
    EXPECT_TRUE(r.wants({"auto", "", "", "", true}));
}

TEST_P(capture_test, the_sample_takes_its_share) {
    capture_settings settings;
    settings.rules.sample = 0.25;
    capture_recorder r(store(), settings);
    int taken = 0;
    for (int i = 0; i < 4000; ++i) {
        taken += r.wants({"auto", "", "", "", false}) ? 1 : 0;
    }
    EXPECT_GT(taken, 800);
    EXPECT_LT(taken, 1200);
    settings.rules.sample = 0.0;
    capture_recorder none(store(), settings);
    for (int i = 0; i < 100; ++i) {
        EXPECT_FALSE(none.wants({"auto", "", "", "", false}));
    }
}

TEST_P(capture_test, kept_calls_reach_the_store_in_batches_off_the_callers_thread) {
    capture_settings settings;
    settings.max_batch = 16;
    {
        capture_recorder r(store(), settings);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 100; ++i) {
                    r.keep(call("t", "q" + std::to_string(t) + "-" + std::to_string(i), "a"));
                }
            });
        }
        for (auto & t : threads) {
            t.join();
        }
        ASSERT_TRUE(r.flush());
        EXPECT_EQ(r.stats().kept, 400u);
    }
    EXPECT_EQ(*store()->rows(), 400);
}

TEST_P(capture_test, a_full_store_drops_new_calls_and_says_so_once) {
    capture_settings settings;
    settings.max_bytes = 4000;  // a few calls
    capture_recorder r(store(), settings);
    for (int i = 0; i < 100; ++i) {
        r.keep(call("t", "question " + std::to_string(i), std::string(200, 'x')));
    }
    ASSERT_TRUE(r.flush());
    const auto s = r.stats();
    EXPECT_GT(s.kept, 0u);
    EXPECT_EQ(s.kept + s.dropped_full, 100u);
    EXPECT_LE(s.bytes, settings.max_bytes);
    EXPECT_EQ(*store()->rows(), static_cast<int64_t>(s.kept));
}

TEST_P(capture_test, the_shutdown_writes_what_is_queued) {
    capture_settings settings;
    settings.batch_age_ms = 60'000;  // nothing written by age during the test
    {
        capture_recorder r(store(), settings);
        for (int i = 0; i < 10; ++i) {
            r.keep(call("t", "q" + std::to_string(i), "a"));
        }
    }
    EXPECT_EQ(*store()->rows(), 10);
}

TEST_P(capture_test, text_with_nul_characters_is_stored_without_them) {
    auto s = store();
    ASSERT_TRUE(s->append({call("t", std::string("q\0x", 3), std::string("a\0b", 3))}));
    std::vector<std::string> answers;
    ASSERT_TRUE(s->each({}, [&](captured_call && c) {
        answers.push_back(c.answer);
        return true;
    }));
    ASSERT_EQ(answers.size(), 1u);
    EXPECT_TRUE(answers[0] == "ab" || answers[0] == std::string("a\0b", 3)) << "kept whole, or without the NUL";
}

INSTANTIATE_TEST_SUITE_P(Backends, capture_test, ::testing::Values("sqlite", "postgresql"),
                         [](const auto & info) { return info.param; });

}  // namespace
}  // namespace tiergate::distill
