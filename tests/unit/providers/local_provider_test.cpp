// The engine behind the provider interface: what the router's confidence cascade relies on.
// Logprobs arrive with each delta while decoding, and an observer whose wanted() turns false
// stops the generation before the next decode step.
#include "providers/local_provider.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>

using namespace tiergate;

namespace {

struct recording_observer : generation_observer {
    std::mutex mutex;
    std::vector<generation_delta> deltas;
    std::vector<std::thread::id> threads;
    std::promise<generation_end> ended;
    int stop_after_deltas = -1;  // wanted() turns false once this many deltas arrived
    bool client_gone = false;

    void on_delta(generation_delta && d) override {
        std::lock_guard lock(mutex);
        deltas.push_back(std::move(d));
        threads.push_back(std::this_thread::get_id());
    }
    void on_end(generation_end && end) override {
        {
            std::lock_guard lock(mutex);
            threads.push_back(std::this_thread::get_id());
        }
        ended.set_value(std::move(end));
    }
    bool wanted() const override {
        auto & self = const_cast<recording_observer &>(*this);
        std::lock_guard lock(self.mutex);
        if (client_gone) {
            return false;
        }
        return stop_after_deltas < 0 || static_cast<int>(deltas.size()) < stop_after_deltas;
    }
};

class local_provider_test : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        engine::model_options o;
        o.name = "stories260K";
        o.path = std::string(TIERGATE_SHARED_DIR) + "/models/stories260K.gguf";
        o.parallel = 2;
        o.threads = 1;
        auto h = engine::model_host::load(o);
        ASSERT_TRUE(h.ok()) << h.err().message;
        host_ = std::move(*h);
        provider_ = std::make_unique<providers::local_provider>(host_);
    }
    static void TearDownTestSuite() {
        provider_.reset();
        // A preparation job may still hold the host after its answer reached
        // the test; the host must not be freed on its own preparation thread
        // (it joins that thread). Like the engine, wait until this is the last hold.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (host_ && host_.use_count() > 1 && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        host_.reset();
    }

    static generation_call completion(const std::string & prompt, int max_tokens) {
        generation_call c;
        c.kind = request_kind::completion;
        c.model = "stories260K";
        c.prompt = prompt;
        c.params.temperature = 0.0f;
        c.params.max_tokens = max_tokens;
        c.params.logprobs = true;
        c.params.top_logprobs = 2;
        c.stream = true;
        return c;
    }

    static generation_end wait(recording_observer & o) {
        auto fut = o.ended.get_future();
        EXPECT_EQ(fut.wait_for(std::chrono::seconds(60)), std::future_status::ready);
        return fut.get();
    }

    static std::shared_ptr<engine::model_host> host_;
    static std::unique_ptr<providers::local_provider> provider_;
};

std::shared_ptr<engine::model_host> local_provider_test::host_;
std::unique_ptr<providers::local_provider> local_provider_test::provider_;

}  // namespace

TEST_F(local_provider_test, every_token_arrives_with_its_logprobs_while_decoding) {
    auto o = std::make_shared<recording_observer>();
    provider_->generate(completion("Once upon a time", 8), o);
    auto end = wait(*o);
    ASSERT_FALSE(end.failure) << end.failure->message;
    EXPECT_EQ(end.finish_reason, "length");
    EXPECT_EQ(end.tokens.completion_tokens, 8);
    std::lock_guard lock(o->mutex);
    size_t entries = 0;
    for (const auto & d : o->deltas) {
        for (const auto & lp : d.logprobs) {
            ++entries;
            EXPECT_LE(lp.logprob, 0.0f);
            ASSERT_EQ(lp.top.size(), 2u);
            EXPECT_GE(lp.top[0].second, lp.top[1].second);
            EXPECT_FLOAT_EQ(lp.top[0].second, lp.logprob);  // greedy: the top token
        }
    }
    EXPECT_EQ(entries, 8u);
}

TEST_F(local_provider_test, wanted_turning_false_stops_within_one_decode_step) {
    const int64_t generated_before = host_->stats().tokens_generated;
    auto o = std::make_shared<recording_observer>();
    o->stop_after_deltas = 3;  // the cascade decides on the third token it reads
    provider_->generate(completion("Once upon a time", 200), o);
    auto end = wait(*o);
    EXPECT_EQ(end.finish_reason, "cancelled");
    // no token was decoded after the one that turned wanted() false
    EXPECT_EQ(end.tokens.completion_tokens, 3);
    EXPECT_EQ(host_->stats().tokens_generated - generated_before, 3);
    std::lock_guard lock(o->mutex);
    EXPECT_EQ(o->deltas.size(), 3u);
}

TEST_F(local_provider_test, a_client_gone_before_the_prompt_is_prepared_decodes_nothing) {
    const int64_t generated_before = host_->stats().tokens_generated;
    auto o = std::make_shared<recording_observer>();
    o->client_gone = true;
    provider_->generate(completion("Once upon a time", 50), o);
    auto end = wait(*o);
    EXPECT_EQ(end.finish_reason, "cancelled");
    EXPECT_EQ(end.tokens.completion_tokens, 0);
    EXPECT_EQ(host_->stats().tokens_generated, generated_before);
}

TEST_F(local_provider_test, the_prompt_is_prepared_off_the_calling_thread) {
    auto o = std::make_shared<recording_observer>();
    auto call = completion("Once upon a time", 2);
    provider_->generate(call, o);
    wait(*o);
    std::lock_guard lock(o->mutex);
    ASSERT_FALSE(o->threads.empty());
    for (auto id : o->threads) {
        EXPECT_NE(id, std::this_thread::get_id());
    }
}

TEST_F(local_provider_test, a_prompt_over_the_context_fails_through_the_observer) {
    auto o = std::make_shared<recording_observer>();
    std::string emoji;
    for (int i = 0; i < 120000; ++i) {
        emoji += "\xF0\x9F\x98\x80";
    }
    generation_call c;
    c.kind = request_kind::chat;
    c.model = "stories260K";
    c.messages = {{"user", emoji, ""}};
    c.params.max_tokens = 4;
    const auto t0 = std::chrono::steady_clock::now();
    provider_->generate(c, o);
    const double call_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    auto end = wait(*o);
    ASSERT_TRUE(end.failure);
    EXPECT_EQ(end.failure->code, "context_length_exceeded");
    EXPECT_EQ(end.failure->param, "messages");
    EXPECT_LT(call_ms, 1000.0) << "generate() returned only after the work";
}

TEST_F(local_provider_test, embeddings_are_tokenized_off_the_calling_thread_and_bounded) {
    embedding_call call;
    call.model = "stories260K";
    call.inputs = {"a cat", "a big dog ran"};
    std::promise<std::pair<result<embedding_result>, std::thread::id>> p;
    auto fut = p.get_future();
    provider_->embed(call, [&](result<embedding_result> r) { p.set_value({std::move(r), std::this_thread::get_id()}); });
    ASSERT_EQ(fut.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    auto [r, id] = fut.get();
    ASSERT_TRUE(r.ok()) << r.err().message;
    EXPECT_EQ(r->vectors.size(), 2u);
    EXPECT_NE(id, std::this_thread::get_id());

    embedding_call big;
    big.model = "stories260K";
    big.inputs = {std::string(4 * host_->ctx_per_slot(), 'x')};
    std::promise<result<embedding_result>> q;
    auto fq = q.get_future();
    provider_->embed(big, [&](result<embedding_result> r2) { q.set_value(std::move(r2)); });
    ASSERT_EQ(fq.wait_for(std::chrono::seconds(60)), std::future_status::ready);
    auto r2 = fq.get();
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.err().code, "context_length_exceeded");
    EXPECT_EQ(r2.err().param, "input");
}

// A chat with tools is read whole at its end: one delta with the calls, and
// with every generated token's logprobs, so that the cascade's confidence
// covers tool-call tokens too.
TEST_F(local_provider_test, a_tool_answer_arrives_whole_with_every_tokens_logprobs) {
    generation_call c;
    c.kind = request_kind::chat;
    c.model = "stories260K";
    c.messages = {{"user", "weather?", "", {}, ""}};
    c.tools = {{"get_weather", "", R"({"type":"object","properties":{"unit":{"enum":["c","f"]}},"required":["unit"],"additionalProperties":false})",
                false}};
    c.choice = {tool_choice::kind::required, ""};
    c.parallel_tool_calls = false;
    c.params.temperature = 0.0f;
    c.params.max_tokens = 300;
    c.params.logprobs = true;
    c.params.top_logprobs = 2;
    auto o = std::make_shared<recording_observer>();
    provider_->generate(c, o);
    auto end = wait(*o);
    ASSERT_FALSE(end.failure) << end.failure->message;
    EXPECT_EQ(end.finish_reason, "tool_calls");
    std::lock_guard lock(o->mutex);
    ASSERT_EQ(o->deltas.size(), 1u);
    const auto & d = o->deltas[0];
    ASSERT_EQ(d.tool_calls.size(), 1u);
    EXPECT_EQ(d.tool_calls[0].name, "get_weather");
    EXPECT_FALSE(d.tool_calls[0].id.empty());
    EXPECT_TRUE(d.tool_calls[0].arguments == R"({"unit":"c"})" || d.tool_calls[0].arguments == R"({"unit":"f"})")
        << d.tool_calls[0].arguments;
    EXPECT_EQ(static_cast<int>(d.logprobs.size()), end.tokens.completion_tokens);
}
