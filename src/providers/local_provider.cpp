#include "providers/local_provider.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <random>

#include "engine/chat_format.h"

namespace tiergate::providers {

namespace {

// What a caller hears once the model is stopping.
error shutting_down() { return error{error_kind::unavailable, "the model is shutting down", "", "shutdown", {}}; }

// Adapts the engine's token stream to a generation observer.
class observer_sink final : public engine::generation_sink {
  public:
    // With a tool format, the answer is read whole at the end (text and tool
    // calls), so nothing of it is passed on before.
    observer_sink(std::shared_ptr<generation_observer> observer, bool logprobs, std::string model, std::string version,
                  std::shared_ptr<const engine::tool_format> tools)
        : observer_(std::move(observer)),
          logprobs_(logprobs),
          model_(std::move(model)),
          version_(std::move(version)),
          tools_(std::move(tools)) {}

    // False stops the generation before the next decode step: when the observer no longer
    // wants tokens before this one, or stops wanting them while it reads this one (the
    // cascade's early stop decides on the delta it is handed).
    bool on_token(const engine::token_event & ev) override {
        if (!observer_->wanted()) {
            return false;
        }
        generation_delta delta;
        delta.content = ev.text_delta;
        if (logprobs_) {
            token_logprob lp;
            lp.token = ev.piece;
            lp.logprob = ev.logprob;
            lp.top.reserve(ev.top.size());
            for (const auto & c : ev.top) {
                lp.top.emplace_back(c.text, c.logprob);
            }
            delta.logprobs.push_back(std::move(lp));
        }
        if (tools_) {
            // held until the answer is read whole; its tokens' logprobs travel with it
            // (the cascade's confidence covers tool-call tokens too)
            held_ += delta.content;
            for (auto & lp : delta.logprobs) {
                held_logprobs_.push_back(std::move(lp));
            }
            return observer_->wanted();
        }
        if (!delta.content.empty() || !delta.logprobs.empty()) {
            observer_->on_delta(std::move(delta));
        }
        return observer_->wanted();
    }

    void on_done(const engine::generation_result & r) override {
        generation_end end;
        end.finish_reason = engine::to_string(r.reason);
        if (tools_) {
            held_ += r.text_delta;
            if (!r.failure && r.reason != engine::finish_reason::cancelled) {
                deliver_tool_answer(end, r.reason == engine::finish_reason::length);
            }
        } else if (!r.text_delta.empty()) {
            generation_delta delta;
            delta.content = r.text_delta;
            observer_->on_delta(std::move(delta));
        }
        end.tokens.prompt_tokens = r.prompt_tokens;
        end.tokens.completion_tokens = r.completion_tokens;
        end.tokens.cached_tokens = r.cached_prompt_tokens;
        end.model = model_;
        end.model_version = version_;
        end.ttft_ms = r.ttft_ms;
        end.total_ms = r.total_ms;
        if (r.failure) {
            end.failure = r.failure;
        }
        observer_->on_end(std::move(end));
    }

  private:
    // The held answer read with the tool format: its text, then its calls.
    void deliver_tool_answer(generation_end & end, bool truncated) {
        auto answer = engine::chat_format::parse_tool_answer(*tools_, held_, truncated);
        if (!answer) {
            end.failure = answer.err();
            end.finish_reason = "error";
            return;
        }
        generation_delta delta;
        delta.content = std::move(answer->content);
        delta.logprobs = std::move(held_logprobs_);
        for (size_t i = 0; i < answer->calls.size(); ++i) {
            auto & c = answer->calls[i];
            if (c.id.empty()) {
                c.id = new_call_id();
            }
            delta.tool_calls.push_back({static_cast<int>(i), c.id, c.name, c.arguments});
        }
        if (!delta.tool_calls.empty()) {
            end.finish_reason = "tool_calls";
        }
        if (!delta.content.empty() || !delta.tool_calls.empty() || !delta.logprobs.empty()) {
            observer_->on_delta(std::move(delta));
        }
    }

    static std::string new_call_id() {
        static std::atomic<uint64_t> counter{0};
        static const uint64_t base = std::random_device{}();
        char buf[48];
        snprintf(buf, sizeof(buf), "call_%08llx%08llx", static_cast<unsigned long long>(base & 0xffffffffu),
                 static_cast<unsigned long long>(++counter));
        return buf;
    }

    std::shared_ptr<generation_observer> observer_;
    bool logprobs_;
    std::string model_;
    std::string version_;
    std::shared_ptr<const engine::tool_format> tools_;
    std::string held_;
    std::vector<token_logprob> held_logprobs_;
};

// The engine request a call becomes; see local_provider::prepare.
result<engine::generation_request> prepare_request(const engine::model_host & host, const generation_call & call) {
    engine::generation_request req;
    const auto & p = call.params;
    if (carries_media(call, content_part::kind::image) || carries_media(call, content_part::kind::audio)) {
        return error::invalid("the local model '" + host.name() + "' takes text only; send images and audio to a "
                              "remote model whose config lists the images or audio capability",
                              "messages", "media_unsupported");
    }
    if (!p.reasoning_effort.empty()) {
        return error::invalid("the local model '" + host.name() + "' does not take reasoning_effort", "reasoning_effort",
                              "unsupported_parameter");
    }
    for (const auto & [token, bias] : p.logit_bias) {
        if (token < 0 || token >= host.n_vocab()) {
            return error::invalid("logit_bias: token id " + std::to_string(token) + " is outside the vocabulary of '" +
                                      host.name() + "'",
                                  "logit_bias", "invalid_value");
        }
    }
    req.logit_bias = p.logit_bias;
    if (call.kind == request_kind::chat) {
        engine::chat_tools tools{&call.tools, call.choice, call.parallel_tool_calls.value_or(true)};
        if (carries_tools(call) && p.format.type != response_format::kind::text) {
            return error::invalid("the local model '" + host.name() + "' takes tools or response_format, not both",
                                  "response_format", "unsupported_parameter");
        }
        auto prompt = host.render_chat(call.messages, carries_tools(call) ? &tools : nullptr);
        if (!prompt) {
            return prompt.err();
        }
        auto tokens = host.tokenize_prompt(prompt->text, true, prompt->from_template, engine::prompt_use::generation,
                                           "messages");
        if (!tokens) {
            return tokens.err();
        }
        req.prompt_tokens = std::move(*tokens);
        req.stop = prompt->stop;
        req.tools = prompt->tools;
    } else {
        auto tokens = host.tokenize_prompt(call.prompt, true, false, engine::prompt_use::generation, "prompt");
        if (!tokens) {
            return tokens.err();
        }
        req.prompt_tokens = std::move(*tokens);
    }
    req.stop.insert(req.stop.end(), p.stop.begin(), p.stop.end());
    req.sampling.temperature = p.temperature.value_or(1.0f);
    req.sampling.top_p = p.top_p.value_or(1.0f);
    req.sampling.top_k = p.top_k.value_or(0);
    req.sampling.min_p = p.min_p.value_or(0.0f);
    req.sampling.presence_penalty = p.presence_penalty.value_or(0.0f);
    req.sampling.frequency_penalty = p.frequency_penalty.value_or(0.0f);
    req.sampling.seed = p.seed;
    req.max_tokens = p.max_tokens.value_or(-1);
    req.logprobs = p.logprobs;
    req.n_top_logprobs = p.logprobs ? p.top_logprobs : 0;
    if (p.format.type == response_format::kind::json_object) {
        auto g = host.grammar_for_schema(R"({"type":"object"})");
        if (!g) {
            return g.err();
        }
        req.grammar = std::move(*g);
    } else if (p.format.type == response_format::kind::json_schema) {
        auto g = host.grammar_for_schema(p.format.schema_json);
        if (!g) {
            return g.err();
        }
        req.grammar = std::move(*g);
    }
    return req;
}

void end_with(generation_observer & observer, const std::string & model, const char * reason, std::optional<error> e) {
    generation_end end;
    end.finish_reason = reason;
    end.model = model;
    end.failure = std::move(e);
    observer.on_end(std::move(end));
}

// Tokenizes the inputs and submits them; on a preparation thread.
void embed_prepared(engine::model_host & host, const embedding_call & call,
                    const std::function<void(result<embedding_result>)> & done) {
    engine::embedding_request req;
    int prompt_tokens = 0;
    if (!call.token_inputs.empty()) {
        req.inputs = call.token_inputs;
    } else {
        for (const auto & text : call.inputs) {
            auto tokens = host.tokenize_prompt(text, true, false, engine::prompt_use::embedding, "input");
            if (!tokens) {
                return done(tokens.err());
            }
            req.inputs.push_back(std::move(*tokens));
        }
    }
    for (const auto & in : req.inputs) {
        prompt_tokens += static_cast<int>(in.size());
    }
    if (call.pooling == "cls") {
        req.pool = engine::pooling::cls;
    } else if (call.pooling == "last") {
        req.pool = engine::pooling::last;
    }
    std::string model = host.name();
    req.done = [done, prompt_tokens, model](result<std::vector<std::vector<float>>> vectors) {
        if (!vectors) {
            done(vectors.err());
            return;
        }
        embedding_result r;
        r.vectors = std::move(*vectors);
        r.tokens.prompt_tokens = prompt_tokens;
        r.model = model;
        done(std::move(r));
    };
    auto submitted = host.submit(std::move(req));
    if (!submitted) {
        done(submitted.err());
    }
}

}  // namespace

local_provider::local_provider(std::shared_ptr<engine::model_host> host)
    : name_(host->name()), current_([host] { return host; }) {}

local_provider::local_provider(const engine::engine & eng, std::string name)
    : name_(std::move(name)), current_([&eng, n = name_] { return eng.find(n); }) {}

bool local_provider::supports_embeddings() const {
    auto h = host();
    return h && h->embeddings_enabled();
}

int local_provider::context_window() const {
    auto h = host();
    return h ? h->ctx_per_slot() : 0;
}

result<engine::generation_request> local_provider::prepare(const generation_call & call) const {
    auto h = host();
    if (!h) {
        return shutting_down();
    }
    return prepare_request(*h, call);
}

// Rendering, tokenizing and compiling a schema can take milliseconds (much more for a long
// prompt): they run on the model's preparation threads, never on the caller's (an HTTP I/O
// thread). Each job holds the host it was posted to: a host replaced meanwhile is freed only
// once its jobs and the generations they submitted are done (engine::retire).
void local_provider::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    std::shared_ptr<engine::model_host> host = this->host();
    if (!host) {
        return end_with(*observer, name(), "error", shutting_down());
    }
    auto job = [host, call, observer]() {
        if (!observer->wanted()) {
            return end_with(*observer, host->name(), "cancelled", std::nullopt);
        }
        auto req = prepare_request(*host, call);
        if (!req) {
            return end_with(*observer, host->name(), "error", req.err());
        }
        req->sink = std::make_shared<observer_sink>(observer, call.params.logprobs, host->name(), host->version(),
                                                    req->tools);
        auto submitted = host->submit(std::move(*req));
        if (!submitted) {
            end_with(*observer, host->name(), "error", submitted.err());
        }
    };
    if (!host->post_preparation(std::move(job))) {
        end_with(*observer, name(), "error", shutting_down());
    }
}

void local_provider::embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) {
    std::shared_ptr<engine::model_host> host = this->host();
    if (!host) {
        return done(shutting_down());
    }
    auto job = [host, call, done]() { embed_prepared(*host, call, done); };
    if (!host->post_preparation(std::move(job))) {
        done(shutting_down());
    }
}

}  // namespace tiergate::providers

namespace tiergate::providers {

provider_health local_provider::health() const {
    provider_health h;
    if (auto host = current_()) {
        const auto stats = host->stats();
        h.slots = stats.slots;
        h.slots_in_use = stats.active;
        h.queued = stats.queued;
        h.version = host->version();
    }
    return h;
}

}  // namespace tiergate::providers
