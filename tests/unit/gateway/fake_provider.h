#pragma once
// A scripted provider for the gateway tests: answers with the given tokens
// (each with a log-probability and a runner-up), synchronously, checking
// wanted() before every token like the engine does; or fails; or echoes the
// texts it received. Records every call it got.

#include <chrono>
#include <functional>
#include <thread>
#include <mutex>
#include <string>
#include <vector>

#include "providers/provider.h"

namespace tiergate::gateway::testing {

struct scripted_token {
    std::string text;
    float logprob = -0.1f;
    float runner_up = -3.0f;
};

class fake_provider final : public providers::provider {
  public:
    fake_provider(std::string name, config::provider_kind kind = config::provider_kind::openai_compatible)
        : name_(std::move(name)), kind_(kind) {}

    std::vector<scripted_token> tokens;      // the answer
    std::optional<error> failure;            // fail before any token instead
    bool echo = false;                       // answer with the last message's text, one byte per delta
    int prompt_tokens = 7;
    std::chrono::milliseconds token_delay{0};  // before each token
    bool drop_calls = false;                  // keep nothing and never end the call (as a shutdown does)

    providers::provider_kind kind() const override { return kind_; }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override { return true; }
    int context_window() const override { return 4096; }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override {
        {
            std::lock_guard lock(mutex_);
            calls_.push_back(call);
        }
        if (drop_calls) {
            return;
        }
        generation_end end;
        end.model = name_;
        if (failure) {
            end.finish_reason = "error";
            end.failure = failure;
            return observer->on_end(std::move(end));
        }
        std::vector<scripted_token> answer = tokens;
        if (echo && !call.messages.empty()) {
            answer.clear();
            for (char c : call.messages.back().content) {
                answer.push_back({std::string(1, c), -0.1f, -3.0f});
            }
        }
        const int limit = call.params.max_tokens ? *call.params.max_tokens : 1 << 30;
        int produced = 0;
        end.finish_reason = "stop";
        for (const auto & t : answer) {
            if (!observer->wanted()) {
                end.finish_reason = "cancelled";
                break;
            }
            if (token_delay.count() > 0) {
                std::this_thread::sleep_for(token_delay);
            }
            if (produced == limit) {
                end.finish_reason = "length";
                break;
            }
            generation_delta d;
            d.content = t.text;
            if (call.params.logprobs) {
                token_logprob lp;
                lp.token = t.text;
                lp.logprob = t.logprob;
                lp.top = {{t.text, t.logprob}, {"alt", t.runner_up}};
                if (static_cast<int>(lp.top.size()) > call.params.top_logprobs) {
                    lp.top.resize(static_cast<size_t>(call.params.top_logprobs));
                }
                d.logprobs.push_back(std::move(lp));
            }
            ++produced;
            observer->on_delta(std::move(d));
        }
        end.tokens.prompt_tokens = prompt_tokens;
        end.tokens.completion_tokens = produced;
        observer->on_end(std::move(end));
    }

    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override {
        {
            std::lock_guard lock(mutex_);
            embed_inputs_.push_back(call.inputs);
        }
        embedding_result r;
        r.model = name_;
        r.vectors.assign(call.inputs.size(), std::vector<float>{1.0f, 0.0f});
        r.tokens.prompt_tokens = static_cast<int>(call.inputs.size());
        done(std::move(r));
    }

    std::vector<generation_call> calls() const {
        std::lock_guard lock(mutex_);
        return calls_;
    }
    std::vector<std::vector<std::string>> embed_inputs() const {
        std::lock_guard lock(mutex_);
        return embed_inputs_;
    }

  private:
    std::string name_;
    config::provider_kind kind_;
    mutable std::mutex mutex_;
    std::vector<generation_call> calls_;
    std::vector<std::vector<std::string>> embed_inputs_;
};

// Collects what a client would see.
class collecting_observer final : public generation_observer {
  public:
    std::vector<generation_delta> deltas;
    std::optional<generation_end> end;
    bool client_gone = false;

    void on_delta(generation_delta && d) override { deltas.push_back(std::move(d)); }
    void on_end(generation_end && e) override { end = std::move(e); }
    bool wanted() const override { return !client_gone; }

    std::string text() const {
        std::string out;
        for (const auto & d : deltas) {
            out += d.content;
        }
        return out;
    }
};

}  // namespace tiergate::gateway::testing
