// A pool of deployments against scripted upstreams on loopback: each
// strategy's distribution, limited and broken deployments skipped, cooldown
// and recovery, active health checks, and a deployment that dies mid-stream
// (its failure reported once, the call begun again elsewhere only when
// nothing of it was sent).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "fault_upstream.h"
#include "fleet/make_pool.h"
#include "fleet/pool_provider.h"
#include "obs/gateway_metrics.h"
#include "recording_observer.h"
#include "test_models.h"

namespace tiergate::testing {
namespace {

using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

std::string chunk_of(const std::string & content, const char * finish = nullptr) {
    std::string delta = content.empty() ? "{}" : "{\"content\":\"" + content + "\"}";
    std::string fin = finish ? std::string("\"") + finish + "\"" : "null";
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta +
           ",\"finish_reason\":" + fin + "}]}\n\n";
}

// An upstream that answers every chat call with `word`, after `delay`.
upstream_script answers(std::string word, std::chrono::milliseconds delay = 0ms) {
    return [word, delay](tcp::socket & s, const upstream_request & r, int, fault_upstream & server) {
        if (r.target.find("/health") != std::string::npos) {
            return fault_upstream::respond(s, 200, "{}");
        }
        if (delay.count() > 0) {
            server.pause(delay);
        }
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, chunk_of(word));
        fault_upstream::chunk(s, chunk_of("", "stop") +
                                     "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n"
                                     "data: [DONE]\n\n");
        fault_upstream::end_chunks(s);
    };
}

class pool_test : public ::testing::Test {
  protected:
    void SetUp() override { remote_ = providers::remote_context::make({2, 30'000ms}); }

    std::unique_ptr<providers::provider> pool(fleet::pool_settings s, obs::gateway_metrics * metrics = nullptr) {
        auto model = remote_model("mid", "", config::provider_kind::openai_compatible, 1);
        model.remote->endpoint.clear();
        s.model = "mid";
        auto p = fleet::make_pool(model, std::move(s), registry_, remote_, metrics);
        EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.err().message);
        return p.ok() ? std::move(*p) : nullptr;
    }

    static fleet::deployment_settings deployment(const std::string & name, const fault_upstream & up,
                                                 double weight = 1.0) {
        fleet::deployment_settings d;
        d.name = name;
        d.endpoint = up.url() + "/v1";
        d.weight = weight;
        return d;
    }

    static generation_call chat(const std::string & text = "hi") {
        generation_call c;
        c.model = "mid";
        chat_message m;
        m.role = "user";
        m.content = text;
        c.messages = {m};
        c.stream = true;
        return c;
    }

    static std::shared_ptr<recording_observer> run(providers::provider & p, const generation_call & c,
                                                   bool whole_answer = false) {
        return run_call(p, c, whole_answer);
    }

    static std::shared_ptr<recording_observer> start(providers::provider & p, const generation_call & c) {
        auto obs = std::make_shared<recording_observer>();
        p.generate(c, obs);
        return obs;
    }

    providers::registry registry_;
    providers::remote_context remote_;
};

TEST_F(pool_test, weighted_spreads_calls_by_weight_and_names_the_deployment) {
    fault_upstream a(answers("a")), b(answers("b")), c(answers("c"));
    fleet::pool_settings s;
    s.deployments = {deployment("a", a, 1), deployment("b", b, 1), deployment("c", c, 2)};
    auto p = pool(s);
    std::map<std::string, int> seen;
    const int calls = 200;
    for (int i = 0; i < calls; ++i) {
        auto obs = run(*p, chat());
        ASSERT_FALSE(obs->end().failure) << obs->end().failure->message;
        ++seen[obs->text()];
        ASSERT_EQ(obs->attempts().size(), 1u);
        EXPECT_EQ(obs->attempts()[0].deployment, obs->text());
        EXPECT_EQ(obs->end().model, "mid");
    }
    EXPECT_EQ(a.requests() + b.requests() + c.requests(), calls);
    // expected 50 / 50 / 100; binomial spread is about 7 for 50 and 7 for 100
    EXPECT_NEAR(seen["a"], 50, 25);
    EXPECT_NEAR(seen["b"], 50, 25);
    EXPECT_NEAR(seen["c"], 100, 25);
    const auto h = p->health();
    ASSERT_EQ(h.deployments.size(), 3u);
    EXPECT_EQ(h.deployments[2].requests, seen["c"]);
    EXPECT_EQ(h.deployments[0].state, "ready");
    EXPECT_EQ(h.deployments[0].in_flight, 0);
}

TEST_F(pool_test, a_deployment_over_its_rpm_is_skipped_not_failed) {
    fault_upstream a(answers("a")), b(answers("b"));
    fleet::pool_settings s;
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
    s.deployments[0].rpm = 3;
    auto p = pool(s);
    for (int i = 0; i < 10; ++i) {
        auto obs = run(*p, chat());
        ASSERT_FALSE(obs->end().failure);
        EXPECT_EQ(obs->text(), i < 3 ? "a" : "b") << i;  // the minute could turn over: then a again
        if (i >= 3 && obs->text() == "a") {
            GTEST_SKIP() << "the wall-clock minute turned over during the test";
        }
    }
    EXPECT_EQ(a.requests(), 3);
    EXPECT_EQ(p->health().deployments[0].state, "limited");
}

TEST_F(pool_test, every_deployment_limited_answers_429_with_when_to_come_back) {
    fault_upstream a(answers("a"));
    fleet::pool_settings s;
    s.deployments = {deployment("a", a)};
    s.deployments[0].tpm = 5;
    auto p = pool(s);
    // about 50 tokens by estimate, over 5, but the first call of a minute goes; the upstream reports 4
    auto first = run(*p, chat(std::string(200, 'x')));
    ASSERT_FALSE(first->end().failure);
    auto obs = run(*p, chat("again"));
    ASSERT_TRUE(obs->end().failure);
    EXPECT_EQ(obs->end().failure->kind, error_kind::rate_limited);
    EXPECT_EQ(obs->end().failure->code, "deployments_limited");
    ASSERT_TRUE(obs->end().failure->retry_after_s);
    EXPECT_GE(*obs->end().failure->retry_after_s, 1);
    EXPECT_LE(*obs->end().failure->retry_after_s, 60);
    EXPECT_NE(obs->end().failure->message.find("a limited"), std::string::npos) << obs->end().failure->message;
    EXPECT_EQ(a.requests(), 1);
}

TEST_F(pool_test, a_429_rests_the_deployment_for_its_retry_after_and_the_call_goes_elsewhere) {
    std::atomic<bool> limited{true};
    fault_upstream a([&](tcp::socket & s, const upstream_request & r, int i, fault_upstream & srv) {
        if (limited) {
            return fault_upstream::respond(s, 429, R"({"error":{"message":"slow down"}})", "Retry-After: 1\r\n");
        }
        answers("a")(s, r, i, srv);
    });
    fault_upstream b(answers("b"));
    fleet::pool_settings s;
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};  // a first, nearly always
    auto p = pool(s);
    auto obs = run(*p, chat());
    ASSERT_FALSE(obs->end().failure);
    EXPECT_EQ(obs->text(), "b");
    auto attempts = obs->attempts();
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].deployment, "a");
    EXPECT_EQ(attempts[0].status, 429);
    EXPECT_EQ(attempts[1].deployment, "b");
    EXPECT_EQ(p->health().deployments[0].state, "cooling");
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(run(*p, chat())->text(), "b");
    }
    EXPECT_EQ(a.requests(), 1);  // resting: not asked again
    limited = false;
    std::this_thread::sleep_for(1100ms);
    EXPECT_EQ(p->health().deployments[0].state, "ready");
    EXPECT_EQ(run(*p, chat())->text(), "a");  // back
}

TEST_F(pool_test, a_deployment_that_refuses_its_key_rests_and_each_deployment_is_asked_once) {
    fault_upstream a([](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::respond(s, 401, R"({"error":{"message":"bad key"}})");
    });
    fault_upstream b(answers("b"));
    fleet::pool_settings s;
    s.cooldown = 60'000ms;
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
    auto model = remote_model("mid", "", config::provider_kind::openai_compatible, 3);  // retries of a lone endpoint
    s.model = "mid";
    auto made = fleet::make_pool(model, s, registry_, remote_, nullptr);
    ASSERT_TRUE(made.ok());
    auto & p = *made;
    auto obs = run(*p, chat());
    EXPECT_EQ(obs->text(), "b");
    EXPECT_EQ(a.requests(), 1);  // asked once, not three times: the pool moved on
    EXPECT_EQ(p->health().deployments[0].state, "cooling");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(run(*p, chat())->text(), "b");
    }
    EXPECT_EQ(a.requests(), 1);  // resting
}

TEST_F(pool_test, a_dead_deployment_fails_over_then_its_breaker_keeps_calls_away) {
    fault_upstream b(answers("b"));
    fleet::pool_settings s;
    fleet::deployment_settings dead;
    dead.name = "dead";
    dead.endpoint = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
    dead.weight = 1000;
    s.deployments = {dead, deployment("b", b, 0.001)};
    auto p = pool(s);
    for (int i = 0; i < 2; ++i) {  // the breaker opens after 2 failures (SetUp)
        auto obs = run(*p, chat());
        ASSERT_FALSE(obs->end().failure);
        EXPECT_EQ(obs->text(), "b");
        ASSERT_EQ(obs->attempts().size(), 2u);
        EXPECT_EQ(obs->attempts()[0].deployment, "dead");
    }
    EXPECT_EQ(p->health().deployments[0].state, "open");
    auto obs = run(*p, chat());
    EXPECT_EQ(obs->text(), "b");
    EXPECT_EQ(obs->attempts().size(), 1u);  // skipped without an attempt
    EXPECT_EQ(p->health().circuit, "closed");  // the pool still serves
}

TEST_F(pool_test, every_deployment_failing_is_503_after_the_pool_is_exhausted) {
    fleet::pool_settings s;
    fleet::deployment_settings d1, d2;
    d1.name = "x";
    d1.endpoint = "http://127.0.0.1:" + std::to_string(closed_port());
    d2.name = "y";
    d2.endpoint = "http://127.0.0.1:" + std::to_string(closed_port());
    s.deployments = {d1, d2};
    auto p = pool(s);
    auto obs = run(*p, chat());
    ASSERT_TRUE(obs->end().failure);
    EXPECT_EQ(obs->attempts().size(), 2u);
    EXPECT_NE(obs->end().failure->message.find("mid@x#1"), std::string::npos) << obs->end().failure->message;
    run(*p, chat());
    auto skipped = run(*p, chat());  // both breakers open now
    ASSERT_TRUE(skipped->end().failure);
    EXPECT_EQ(skipped->end().failure->kind, error_kind::unavailable);
    EXPECT_EQ(skipped->end().failure->code, "deployments_unavailable");
    EXPECT_EQ(p->health().circuit, "open");
}

// A deployment that sends part of a stream and dies.
upstream_script dies_mid_stream() {
    return [](tcp::socket & s, const upstream_request &, int, fault_upstream &) {
        fault_upstream::start_sse(s);
        fault_upstream::chunk(s, chunk_of("partial"));
        fault_upstream::reset(s);
    };
}

TEST_F(pool_test, a_stream_that_dies_after_content_left_ends_once_with_its_failure) {
    fault_upstream a(dies_mid_stream()), b(answers("b"));
    fleet::pool_settings s;
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
    auto p = pool(s);
    auto obs = run(*p, chat());  // a streaming client: what it got cannot be taken back
    EXPECT_EQ(obs->ends(), 1);
    ASSERT_TRUE(obs->end().failure);
    EXPECT_EQ(obs->text(), "partial");
    EXPECT_EQ(b.requests(), 0);  // never begun again elsewhere
    EXPECT_EQ(obs->attempts().size(), 1u);
    EXPECT_EQ(p->health().deployments[0].errors, 1);
    EXPECT_EQ(p->health().deployments[0].in_flight, 0);
}

TEST_F(pool_test, a_whole_answer_that_dies_is_begun_again_on_the_next_deployment) {
    fault_upstream a(dies_mid_stream()), b(answers("b"));
    fleet::pool_settings s;
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
    auto p = pool(s);
    auto obs = run(*p, chat(), /*whole_answer=*/true);
    EXPECT_EQ(obs->ends(), 1);
    ASSERT_FALSE(obs->end().failure);
    EXPECT_EQ(obs->text(), "b");  // a's partial answer was taken back
    EXPECT_EQ(obs->retracts(), 1);
    EXPECT_EQ(b.requests(), 1);
    EXPECT_EQ(obs->end().tokens.completion_tokens, 1);  // b's usage, billed once
}

TEST_F(pool_test, least_busy_and_max_concurrency_send_concurrent_calls_apart) {
    fault_upstream a(answers("a", 150ms)), b(answers("b", 150ms));  // under the 300 ms first-byte limit
    for (auto strategy : {fleet::balance_strategy::least_busy, fleet::balance_strategy::weighted}) {
        fleet::pool_settings s;
        s.strategy = strategy;
        s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
        if (strategy == fleet::balance_strategy::weighted) {
            s.deployments[0].max_concurrency = 1;  // a would take both by weight, but holds one call at a time
        }
        auto p = pool(s);
        auto one = start(*p, chat());
        std::this_thread::sleep_for(50ms);
        EXPECT_EQ(p->health().deployments[0].in_flight + p->health().deployments[1].in_flight, 1);
        auto two = start(*p, chat());
        ASSERT_TRUE(one->wait_end());
        ASSERT_TRUE(two->wait_end());
        EXPECT_NE(one->text(), two->text()) << fleet::to_string(strategy);
    }
}

TEST_F(pool_test, latency_sends_calls_to_the_faster_deployment) {
    fault_upstream slow(answers("slow", 80ms)), fast(answers("fast"));
    fleet::pool_settings s;
    s.strategy = fleet::balance_strategy::latency;
    s.exploration = 0;
    s.deployments = {deployment("slow", slow), deployment("fast", fast)};
    auto p = pool(s);
    std::map<std::string, int> seen;
    for (int i = 0; i < 20; ++i) {
        ++seen[run(*p, chat())->text()];
    }
    EXPECT_EQ(seen["slow"], 1);  // measured once
    EXPECT_EQ(seen["fast"], 19);
    EXPECT_GT(p->health().deployments[0].latency_ms, p->health().deployments[1].latency_ms);
}

TEST_F(pool_test, usage_prefers_the_deployment_with_the_most_headroom) {
    fault_upstream a(answers("a")), b(answers("b"));
    fleet::pool_settings s;
    s.strategy = fleet::balance_strategy::usage;
    s.deployments = {deployment("a", a), deployment("b", b)};
    s.deployments[0].rpm = 10;
    s.deployments[1].rpm = 30;
    auto p = pool(s);
    std::map<std::string, int> seen;
    for (int i = 0; i < 12; ++i) {
        ++seen[run(*p, chat())->text()];
    }
    // headroom stays level: b (3x the limit) takes about 3x the calls
    EXPECT_GE(seen["b"], 8);
    EXPECT_LE(seen["a"], 4);
}

TEST_F(pool_test, active_health_checks_take_a_deployment_out_and_bring_it_back) {
    std::atomic<bool> healthy{false};
    fault_upstream a([&](tcp::socket & s, const upstream_request & r, int i, fault_upstream & srv) {
        if (r.target == "/ready") {
            return fault_upstream::respond(s, healthy ? 200 : 503, "{}");
        }
        answers("a")(s, r, i, srv);
    });
    fault_upstream b(answers("b"));
    obs::metrics_registry registry;
    obs::gateway_metrics metrics(registry);
    fleet::pool_settings s;
    s.health.path = "/ready";
    s.health.interval = 3'600'000ms;  // rounds by hand below, after the first one at start
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
    auto p = pool(s, &metrics);
    auto & pool = dynamic_cast<fleet::pool_provider &>(*p);
    auto round = [&] {
        std::promise<void> done;
        pool.check_health([&] { done.set_value(); });
        ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
    };
    round();
    EXPECT_EQ(p->health().deployments[0].state, "down");
    EXPECT_EQ(metrics.deployment_up.with({"mid", "a"}).value(), 0);
    EXPECT_EQ(run(*p, chat())->text(), "b");
    healthy = true;
    round();
    EXPECT_EQ(p->health().deployments[0].state, "ready");
    EXPECT_EQ(metrics.deployment_up.with({"mid", "a"}).value(), 1);
    EXPECT_EQ(run(*p, chat())->text(), "a");
    EXPECT_EQ(metrics.deployment_requests.with({"mid", "a", "ok"}).value(), 1);
    EXPECT_GE(metrics.deployment_skips.with({"mid", "a", "down"}).value(), 1);
    EXPECT_EQ(metrics.deployment_in_flight.with({"mid", "a"}).value(), 0);
}

TEST_F(pool_test, a_client_that_leaves_is_not_counted_against_the_deployment) {
    fault_upstream a(answers("a", 200ms));  // under the 300 ms first-byte limit
    fleet::pool_settings s;
    s.deployments = {deployment("a", a)};
    auto p = pool(s);
    auto obs = start(*p, chat());
    std::this_thread::sleep_for(50ms);
    obs->go_away();
    ASSERT_TRUE(obs->wait_end(5s));
    EXPECT_EQ(obs->end().finish_reason, "cancelled");
    const auto h = p->health().deployments[0];
    EXPECT_EQ(h.errors, 0);
    EXPECT_EQ(h.in_flight, 0);
    EXPECT_EQ(h.state, "ready");
}

}  // namespace
}  // namespace tiergate::testing

namespace tiergate::testing {
namespace {

// The shared counters of several gateways (Redis in production).
struct shared_counters {
    std::mutex mutex;
    std::map<std::string, int64_t> values;
    fleet::shared_count_fn fn() {
        return [this](const std::string & counter, int64_t delta, int64_t) -> result<int64_t> {
            std::lock_guard lock(mutex);
            return values[counter] += delta;
        };
    }
};

TEST_F(pool_test, two_gateways_share_a_deployments_rpm) {
    fault_upstream a(answers("a")), b(answers("b"));
    shared_counters shared;
    fleet::pool_settings s;
    s.deployments = {deployment("a", a, 1000), deployment("b", b, 0.001)};
    s.deployments[0].rpm = 6;
    auto model = remote_model("mid", "", config::provider_kind::openai_compatible, 1);
    auto make = [&] {
        s.model = "mid";
        auto p = fleet::make_pool(model, s, registry_, remote_, nullptr, shared.fn());
        EXPECT_TRUE(p.ok());
        return std::move(*p);
    };
    auto one = make(), two = make();
    auto & pool_one = dynamic_cast<fleet::pool_provider &>(*one);
    auto & pool_two = dynamic_cast<fleet::pool_provider &>(*two);
    const auto minute = fleet::usage_window::minute_of(std::chrono::system_clock::now());
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(run(*one, chat())->text(), "a");
    }
    pool_one.sync_usage();
    pool_two.sync_usage();
    if (fleet::usage_window::minute_of(std::chrono::system_clock::now()) != minute) {
        GTEST_SKIP() << "the wall-clock minute turned over during the test";
    }
    // the second gateway sees the first one's 4: a takes 2 more, then b takes the rest
    std::map<std::string, int> seen;
    for (int i = 0; i < 5; ++i) {
        ++seen[run(*two, chat())->text()];
    }
    EXPECT_EQ(seen["a"], 2);
    EXPECT_EQ(seen["b"], 3);
    EXPECT_EQ(a.requests(), 6);
    EXPECT_EQ(pool_two.health().deployments[0].rpm_used, 6);
    EXPECT_EQ(pool_two.health().deployments[0].state, "limited");
    pool_two.sync_usage();
    pool_one.sync_usage();
    EXPECT_EQ(pool_one.health().deployments[0].state, "limited");  // and the first sees the second's 2
}

}  // namespace
}  // namespace tiergate::testing
