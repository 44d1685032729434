#include "engine/model_host.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <future>
#include <map>
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

TEST_F(model_host_test, presence_and_frequency_penalties_change_greedy_decoding) {
    auto repeats = [](const std::vector<token_event> & events) {
        std::map<int32_t, int> seen;
        int n = 0;
        for (const auto & e : events) {
            n += seen[e.token]++ > 0 ? 1 : 0;
        }
        return n;
    };
    auto [plain, plain_events] = run(greedy("Once upon a time", 64));
    for (float presence : {0.0f, 1.5f}) {
        auto req = greedy("Once upon a time", 64);
        req.sampling.presence_penalty = presence;
        req.sampling.frequency_penalty = presence == 0.0f ? 1.5f : 0.0f;
        auto [res, events] = run(std::move(req));
        EXPECT_NE(res.text, plain.text) << "presence " << presence;
        EXPECT_LT(repeats(events), repeats(plain_events)) << "presence " << presence;
    }
}

TEST_F(model_host_test, logprobs_are_computed_only_when_asked) {
    auto [r0, without] = run(greedy("Lily went to the park", 6));
    ASSERT_EQ(without.size(), 6u);
    for (const auto & e : without) {
        EXPECT_EQ(e.logprob, 0.0f);
        EXPECT_TRUE(e.top.empty());
    }
    auto req = greedy("Lily went to the park", 6);
    req.logprobs = true;
    auto [r1, with] = run(std::move(req));
    ASSERT_EQ(with.size(), 6u);
    bool any_below_zero = false;
    for (size_t i = 0; i < with.size(); ++i) {
        EXPECT_EQ(with[i].token, without[i].token);
        EXPECT_LE(with[i].logprob, 0.0f);
        EXPECT_TRUE(with[i].top.empty());
        any_below_zero = any_below_zero || with[i].logprob < 0.0f;
    }
    EXPECT_TRUE(any_below_zero);
}

TEST_F(model_host_test, a_seeded_request_is_not_changed_by_what_ran_before_it) {
    auto seeded = [] {
        generation_request r;
        r.prompt_tokens = host_->tokenize("The little dog ran", true, false);
        r.sampling.temperature = 1.0f;
        r.sampling.seed = 77;
        r.max_tokens = 16;
        return r;
    };
    auto first = run(seeded()).second;
    // unseeded sampling and a penalty in between, in whatever slot
    for (int i = 0; i < 6; ++i) {
        generation_request other;
        other.prompt_tokens = host_->tokenize("The little dog ran and " + std::to_string(i), true, false);
        other.sampling.temperature = 1.5f;
        other.sampling.presence_penalty = 1.0f;
        other.max_tokens = 8;
        run(std::move(other));
    }
    auto again = run(seeded()).second;
    ASSERT_EQ(first.size(), again.size());
    for (size_t i = 0; i < first.size(); ++i) {
        EXPECT_EQ(first[i].token, again[i].token) << "token " << i;
    }
}

TEST_F(model_host_test, a_request_decoded_with_others_matches_it_decoded_alone_up_to_numerical_noise) {
    // The same seeded request alone, then among seven others. The batch changes the logits
    // slightly (see sampling_params::seed): up to where the sampled tokens part, every
    // log-probability agrees closely, and most requests give the same text. Wrong KV state,
    // a sampler shared between slots or a seed not applied would move them by whole nats.
    auto make = [](int i) {
        generation_request r;
        r.prompt_tokens = host_->tokenize("Story number " + std::to_string(i) + " is about", true, false);
        r.sampling.temperature = 1.0f;
        r.sampling.seed = static_cast<uint32_t>(i);
        r.max_tokens = 16;
        r.logprobs = true;
        return r;
    };
    std::vector<std::vector<token_event>> alone;
    for (int i = 0; i < 8; ++i) {
        alone.push_back(run(make(i)).second);
    }
    for (int round = 0; round < 2; ++round) {
        std::vector<std::shared_ptr<collecting_sink>> sinks;
        std::vector<std::future<generation_result>> futures;
        for (int i = 0; i < 8; ++i) {
            auto sink = std::make_shared<collecting_sink>();
            futures.push_back(sink->promise.get_future());
            auto req = make(i);
            req.sink = sink;
            sinks.push_back(sink);
            ASSERT_TRUE(host_->submit(std::move(req)).ok());
        }
        int identical = 0;
        for (int i = 0; i < 8; ++i) {
            ASSERT_EQ(futures[i].wait_for(std::chrono::seconds(60)), std::future_status::ready);
            futures[i].get();
            std::lock_guard lock(sinks[i]->mutex);
            const auto & batched = sinks[i]->events;
            ASSERT_EQ(batched.size(), alone[i].size());
            size_t k = 0;
            for (; k < batched.size() && batched[k].token == alone[i][k].token; ++k) {
                EXPECT_NEAR(batched[k].logprob, alone[i][k].logprob, 0.1) << "request " << i << " token " << k;
            }
            identical += k == batched.size() ? 1 : 0;
        }
        EXPECT_GE(identical, 3) << "round " << round;
    }
}

TEST_F(model_host_test, tokenize_prompt_is_exact_where_the_prompt_fits) {
    const std::string text = "Once upon a time there was a girl named Lily.";
    auto t = host_->tokenize_prompt(text, true, false, prompt_use::generation, "prompt");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(*t, host_->tokenize(text, true, false));
    // in stories260K's vocabulary a run of 'x' is one token per 'x' after BOS and the leading space
    const size_t overhead = host_->tokenize("xx", true, false).size() - 2;
    const std::string at_limit(host_->ctx_per_slot() - 1 - overhead, 'x');
    ASSERT_EQ(host_->tokenize(at_limit, true, false).size(), static_cast<size_t>(host_->ctx_per_slot() - 1))
        << "the test assumes one token per 'x'";
    EXPECT_TRUE(host_->tokenize_prompt(at_limit, true, false, prompt_use::generation, "prompt").ok());
    auto over = host_->tokenize_prompt(at_limit + "x", true, false, prompt_use::generation, "prompt");
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.err().code, "context_length_exceeded");
    EXPECT_EQ(over.err().param, "prompt");
    EXPECT_TRUE(host_->tokenize_prompt(at_limit + "x", true, false, prompt_use::embedding, "input").ok());
}

TEST_F(model_host_test, tokenize_prompt_refuses_a_huge_out_of_vocabulary_prompt_quickly) {
    std::string emoji;
    for (int i = 0; i < 120000; ++i) {
        emoji += "\xF0\x9F\x98\x80";  // 480 KB, every byte a byte-fallback token
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto r = host_->tokenize_prompt(emoji, true, false, prompt_use::generation, "messages");
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.err().code, "context_length_exceeded");
    EXPECT_EQ(r.err().param, "messages");
    EXPECT_NE(r.err().message.find(std::to_string(host_->ctx_per_slot()) + " tokens"), std::string::npos);
    // llama.cpp's tokenize() alone takes minutes on this text (one reallocation per character)
    EXPECT_LT(ms, 2000.0);
}

TEST_F(model_host_test, the_greedy_shortcut_picks_what_the_sampler_chain_picks) {
    // ignore_eos sends greedy decoding through llama.cpp's sampler chain (a logit bias),
    // plain greedy takes the argmax shortcut: up to an end of generation they agree.
    for (const char * prompt : {"Once upon a time", "Lily and Tom", "The sun was"}) {
        auto plain = greedy(prompt, 40);
        auto chained = greedy(prompt, 40);
        chained.ignore_eos = true;
        auto [rp, ep] = run(std::move(plain));
        auto [rc, ec] = run(std::move(chained));
        ASSERT_LE(ep.size(), ec.size());
        ASSERT_FALSE(ep.empty());
        for (size_t i = 0; i < ep.size(); ++i) {
            EXPECT_EQ(ep[i].token, ec[i].token) << prompt << ", token " << i;
        }
    }
}
