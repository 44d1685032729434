// Pure logic of the remote layer: URLs, backoff, Retry-After, the circuit
// breaker's states and the combined error of a failed fallback chain.

#include <gtest/gtest.h>

#include "providers/circuit_breaker.h"
#include "providers/endpoint_url.h"
#include "providers/fallback_chain.h"
#include "providers/retry_backoff.h"

namespace tiergate::providers {
namespace {

using namespace std::chrono_literals;

TEST(endpoint_url, parses_scheme_host_port_and_path) {
    auto u = parse_endpoint_url("https://api.example.com/v1/");
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(u->tls);
    EXPECT_EQ(u->host, "api.example.com");
    EXPECT_EQ(u->port, "443");
    EXPECT_EQ(u->base_path, "/v1");
    EXPECT_EQ(u->host_header(), "api.example.com");
    auto v = parse_endpoint_url("http://127.0.0.1:8081");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->port, "8081");
    EXPECT_EQ(v->base_path, "");
    EXPECT_EQ(v->host_header(), "127.0.0.1:8081");
    auto w = parse_endpoint_url("http://[::1]:9000/x");
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w->host, "::1");
    EXPECT_EQ(w->origin(), "http://[::1]:9000");
}

TEST(endpoint_url, rejects_what_it_cannot_use) {
    EXPECT_FALSE(parse_endpoint_url("ftp://x").ok());
    EXPECT_FALSE(parse_endpoint_url("http://").ok());
    EXPECT_FALSE(parse_endpoint_url("http://h:99999").ok());
    EXPECT_FALSE(parse_endpoint_url("http://user:pw@h").ok());
    EXPECT_EQ(parse_endpoint_url("h").err().param, "endpoint");
}

TEST(retry_backoff, grows_exponentially_within_jitter_bounds) {
    for (int i = 0; i < 50; ++i) {
        auto d1 = backoff_delay(100ms, 1);
        auto d3 = backoff_delay(100ms, 3);
        EXPECT_GE(d1, 50ms);
        EXPECT_LE(d1, 100ms);
        EXPECT_GE(d3, 200ms);
        EXPECT_LE(d3, 400ms);
    }
    EXPECT_LE(backoff_delay(1000ms, 40), 60'000ms);
}

TEST(retry_backoff, reads_retry_after) {
    EXPECT_EQ(retry_after({{"retry-after", "3"}}), 3000ms);
    EXPECT_EQ(retry_after({{"retry-after-ms", "250"}, {"retry-after", "3"}}), 250ms);
    EXPECT_FALSE(retry_after({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}).has_value());
    EXPECT_FALSE(retry_after({}).has_value());
}

TEST(circuit_breaker, opens_after_consecutive_failures_then_probes_once) {
    circuit_breaker b({3, 1000ms});
    auto t = circuit_breaker::clock::now();
    EXPECT_TRUE(b.allow(t));
    b.record_failure(t);
    b.record_failure(t);
    b.record_success();  // a success resets the count
    b.record_failure(t);
    b.record_failure(t);
    EXPECT_EQ(b.state(t), circuit_state::closed);
    b.record_failure(t);
    EXPECT_EQ(b.state(t), circuit_state::open);
    EXPECT_FALSE(b.allow(t + 999ms));
    EXPECT_TRUE(b.allow(t + 1000ms));   // the probe
    EXPECT_FALSE(b.allow(t + 1001ms));  // only one at a time
    b.record_failure(t + 1100ms);       // the probe failed: open again
    EXPECT_EQ(b.state(t + 1200ms), circuit_state::open);
    EXPECT_TRUE(b.allow(t + 2100ms));
    b.record_success();
    EXPECT_EQ(b.state(t + 2100ms), circuit_state::closed);
    EXPECT_TRUE(b.allow(t + 2100ms));
    EXPECT_TRUE(b.allow(t + 2100ms));
}

TEST(circuit_breaker, a_neutral_probe_frees_the_slot) {
    circuit_breaker b({1, 10ms});
    auto t = circuit_breaker::clock::now();
    b.record_failure(t);
    EXPECT_TRUE(b.allow(t + 20ms));
    b.record_neutral();
    EXPECT_TRUE(b.allow(t + 20ms));
}

attempt_record failed(const std::string & model, error_kind kind, std::optional<int> retry = {},
                      std::string code = {}) {
    attempt_record r;
    r.model = model;
    r.failure = error{kind, model + " failed", "", std::move(code), retry};
    return r;
}

TEST(all_attempts_failed, classifies_the_combined_error) {
    auto e = all_attempts_failed({failed("a", error_kind::rate_limited, 5), failed("b", error_kind::rate_limited, 2)});
    EXPECT_EQ(e.kind, error_kind::rate_limited);
    EXPECT_EQ(e.retry_after_s, 2);
    EXPECT_EQ(all_attempts_failed({failed("a", error_kind::timeout), failed("b", error_kind::rate_limited)}).kind,
              error_kind::timeout);
    auto mixed = all_attempts_failed({failed("a", error_kind::timeout), failed("b", error_kind::upstream)});
    EXPECT_EQ(mixed.kind, error_kind::upstream);
    EXPECT_NE(mixed.message.find("a#1: a failed; b#1: b failed"), std::string::npos) << mixed.message;
    EXPECT_EQ(all_attempts_failed({failed("a", error_kind::unavailable, {}, "circuit_open")}).kind,
              error_kind::unavailable);
    EXPECT_EQ(all_attempts_failed({failed("a", error_kind::unavailable, {}, "circuit_open"),
                                   failed("b", error_kind::upstream)})
                  .kind,
              error_kind::upstream);
}

TEST(all_attempts_failed, one_failure_keeps_its_code_field_and_words) {
    attempt_record r;
    r.model = "slm";
    r.failure = error{error_kind::invalid_request, "the prompt is 9000 tokens; the context holds 4096", "messages",
                      "context_length_exceeded", {}};
    auto e = all_attempts_failed({r});
    EXPECT_EQ(e.kind, error_kind::invalid_request);
    EXPECT_EQ(e.code, "context_length_exceeded");
    EXPECT_EQ(e.param, "messages");
    EXPECT_EQ(e.message, r.failure->message);
    // an upstream failure names the attempt
    auto up = all_attempts_failed({failed("mid", error_kind::upstream, {}, "upstream_status")});
    EXPECT_EQ(up.code, "upstream_status");
    EXPECT_NE(up.message.find("mid#1"), std::string::npos) << up.message;
}

TEST(all_attempts_failed, failures_that_agree_keep_the_shared_code) {
    auto e = all_attempts_failed({failed("a", error_kind::upstream, {}, "upstream_status"),
                                  failed("b", error_kind::upstream, {}, "upstream_status")});
    EXPECT_EQ(e.code, "upstream_status");
    auto mixed = all_attempts_failed({failed("a", error_kind::upstream, {}, "upstream_status"),
                                      failed("b", error_kind::upstream, {}, "reset")});
    EXPECT_EQ(mixed.code, "all_attempts_failed");
}

}  // namespace
}  // namespace tiergate::providers
