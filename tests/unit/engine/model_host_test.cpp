#include "engine/model_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <future>
#include <mutex>
#include <thread>

using namespace tiergate;
using namespace tiergate::engine;

namespace {

struct collecting_sink : generation_sink {
    std::mutex mutex;
    std::vector<token_event> events;
    std::promise<generation_result> promise;
    int stop_after = -1;  // return false from on_token after this many tokens

    bool on_token(const token_event & ev) override {
        std::lock_guard lock(mutex);
        events.push_back(ev);
        return stop_after < 0 || static_cast<int>(events.size()) < stop_after;
    }
    void on_done(const generation_result & r) override { promise.set_value(r); }
};

std::string model_path(const char * file) { return std::string(TIERGATE_SHARED_DIR) + "/models/" + file; }

class model_host_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        model_options o;
        o.name = "stories260K";
        o.path = model_path("stories260K.gguf");
        o.parallel = 4;
        o.threads = 1;
        auto h = model_host::load(o);
        ASSERT_TRUE(h.ok()) << h.err().message;
        host_ = std::move(*h);
    }
    static void TearDownTestSuite() { host_.reset(); }

    static std::pair<generation_result, std::vector<token_event>> run(generation_request req, int stop_after = -1) {
        auto sink = std::make_shared<collecting_sink>();
        sink->stop_after = stop_after;
        auto fut = sink->promise.get_future();
        req.sink = sink;
        auto ok = host_->submit(std::move(req));
        EXPECT_TRUE(ok.ok());
        EXPECT_EQ(fut.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        auto res = fut.get();
        std::lock_guard lock(sink->mutex);
        return {res, sink->events};
    }

    static generation_request greedy(const std::string & prompt, int max_tokens) {
        generation_request r;
        r.prompt_tokens = host_->tokenize(prompt, true, false);
        r.sampling.temperature = 0.0f;
        r.max_tokens = max_tokens;
        return r;
    }

    static std::unique_ptr<model_host> host_;
};

std::unique_ptr<model_host> model_host_test::host_;

}  // namespace

TEST_F(model_host_test, generates_up_to_max_tokens_with_counts) {
    auto [res, events] = run(greedy("Once upon a time", 12));
    EXPECT_EQ(res.reason, finish_reason::length);
    EXPECT_EQ(res.completion_tokens, 12);
    EXPECT_EQ(events.size(), 12u);
    EXPECT_EQ(res.prompt_tokens, static_cast<int>(host_->tokenize("Once upon a time", true, false).size()));
    std::string joined;
    for (auto & e : events) {
        joined += e.text_delta;
    }
    joined += res.text_delta;
    EXPECT_EQ(joined, res.text);
    EXPECT_FALSE(res.text.empty());
}

TEST_F(model_host_test, same_seed_same_output_and_different_seed_differs_somewhere) {
    auto make = [](uint32_t seed) {
        generation_request r;
        r.prompt_tokens = host_->tokenize("The little dog", true, false);
        r.sampling.temperature = 1.0f;
        r.sampling.seed = seed;
        r.max_tokens = 24;
        return r;
    };
    auto a = run(make(42)).first.text;
    auto b = run(make(42)).first.text;
    EXPECT_EQ(a, b);
    bool differs = false;
    for (uint32_t s = 1; s < 6 && !differs; ++s) {
        differs = run(make(s)).first.text != a;
    }
    EXPECT_TRUE(differs);
}

TEST_F(model_host_test, top1_logprob_equals_chosen_at_temperature_zero) {
    auto req = greedy("Lily went to the park", 10);
    req.n_top_logprobs = 5;
    auto [res, events] = run(std::move(req));
    ASSERT_FALSE(events.empty());
    for (const auto & e : events) {
        ASSERT_EQ(e.top.size(), 5u);
        EXPECT_EQ(e.top[0].token, e.token);
        EXPECT_FLOAT_EQ(e.top[0].logprob, e.logprob);
        EXPECT_LE(e.logprob, 0.0f);
        for (size_t i = 1; i < e.top.size(); ++i) {
            EXPECT_GE(e.top[i - 1].logprob, e.top[i].logprob);
        }
    }
}

TEST_F(model_host_test, follow_up_turn_reuses_the_prefix) {
    const std::string first = "Once upon a time there was a girl named Lily. She liked to play";
    auto [r1, e1] = run(greedy(first, 4));
    auto [r2, e2] = run(greedy(first + r1.text + " with her friend", 4));
    EXPECT_GE(r2.cached_prompt_tokens, static_cast<int>(host_->tokenize(first, true, false).size()) - 1);
}

TEST_F(model_host_test, stop_sequence_ends_generation) {
    auto [base, ev] = run(greedy("Once upon a time", 30));
    ASSERT_GT(base.text.size(), 6u);
    const std::string stop = base.text.substr(3, 3);
    auto req = greedy("Once upon a time", 30);
    req.stop = {stop};
    auto [res, events] = run(std::move(req));
    EXPECT_EQ(res.reason, finish_reason::stop);
    EXPECT_EQ(res.text, base.text.substr(0, base.text.find(stop)));
}

TEST_F(model_host_test, sink_returning_false_stops_early) {
    auto [res, events] = run(greedy("Once upon a time", 50), 3);
    EXPECT_EQ(res.reason, finish_reason::cancelled);
    EXPECT_EQ(events.size(), 3u);
}

TEST_F(model_host_test, cancel_flag_frees_the_slot) {
    auto req = greedy("Once upon a time", 100000);
    auto flag = req.cancelled;
    auto sink = std::make_shared<collecting_sink>();
    auto fut = sink->promise.get_future();
    req.sink = sink;
    ASSERT_TRUE(host_->submit(std::move(req)).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    flag->store(true);
    ASSERT_EQ(fut.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(fut.get().reason, finish_reason::cancelled);
    for (int i = 0; i < 100 && host_->stats().active != 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(host_->stats().active, 0);
}

TEST_F(model_host_test, prompt_over_context_is_rejected) {
    generation_request r;
    r.prompt_tokens.assign(host_->ctx_per_slot() + 5, 100);
    r.sink = std::make_shared<collecting_sink>();
    auto res = host_->submit(std::move(r));
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.err().code, "context_length_exceeded");
}

TEST_F(model_host_test, concurrent_requests_all_complete) {
    std::vector<std::future<generation_result>> futures;
    std::vector<std::shared_ptr<collecting_sink>> sinks;
    for (int i = 0; i < 10; ++i) {
        auto sink = std::make_shared<collecting_sink>();
        futures.push_back(sink->promise.get_future());
        auto req = greedy("Tom had a red ball number " + std::to_string(i), 16);
        req.sink = sink;
        sinks.push_back(sink);
        ASSERT_TRUE(host_->submit(std::move(req)).ok());
    }
    for (auto & f : futures) {
        ASSERT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        EXPECT_EQ(f.get().completion_tokens, 16);
    }
}

TEST_F(model_host_test, json_schema_grammar_yields_valid_json) {
    auto grammar = host_->grammar_for_schema(
        R"({"type":"object","properties":{"name":{"type":"string","maxLength":8},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false})");
    ASSERT_TRUE(grammar.ok()) << grammar.err().message;
    auto req = greedy("Once upon a time", 200);
    req.sampling.temperature = 0.8f;
    req.sampling.seed = 7;
    req.grammar = *grammar;
    auto [res, events] = run(std::move(req));
    ASSERT_EQ(res.reason, finish_reason::stop) << res.text;
    auto doc = nlohmann::json::parse(res.text);
    ASSERT_TRUE(doc.is_object());
    EXPECT_TRUE(doc["name"].is_string());
    EXPECT_TRUE(doc["age"].is_number_integer());
}

TEST_F(model_host_test, embeddings_are_normalized_with_each_pooling) {
    for (pooling p : {pooling::mean, pooling::cls, pooling::last}) {
        std::promise<result<std::vector<std::vector<float>>>> promise;
        auto fut = promise.get_future();
        embedding_request r;
        r.inputs = {host_->tokenize("a cat", true, false), host_->tokenize("a big dog ran", true, false)};
        r.pool = p;
        r.done = [&](result<std::vector<std::vector<float>>> v) { promise.set_value(std::move(v)); };
        ASSERT_TRUE(host_->submit(std::move(r)).ok());
        auto v = fut.get();
        ASSERT_TRUE(v.ok());
        ASSERT_EQ(v->size(), 2u);
        for (auto & e : *v) {
            ASSERT_EQ(static_cast<int>(e.size()), host_->n_embd());
            double n = 0;
            for (float x : e) {
                n += x * x;
            }
            EXPECT_NEAR(n, 1.0, 1e-4);
        }
    }
}
