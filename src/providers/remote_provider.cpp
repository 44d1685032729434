#include "providers/remote_provider.h"

#include <chrono>

#include "providers/token_estimate.h"
#include "providers/upstream_error.h"

namespace tiergate::providers {

namespace {

using clock = std::chrono::steady_clock;

double ms_since(clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock::now() - t0).count();
}

constexpr size_t json_body_limit = 16u << 20;

// The state of one generate() call, shared by the hooks of its attempts.
struct generation_state {
    std::shared_ptr<generation_observer> observer;
    attempt_listener * listener = nullptr;
    std::shared_ptr<const remote_dialect> dialect;
    generation_call call;
    std::string model;
    clock::time_point started = clock::now();
    double ttft_ms = 0.0;
    bool committed = false;
    size_t content_bytes = 0;
    // per attempt
    std::unique_ptr<generation_decoder> decoder;
    std::unique_ptr<sse_parser> parser;
    std::vector<sse_event> events;
    bool sse = true;
    std::string json_body;

    void deliver(std::vector<generation_delta> & deltas) {
        for (auto & d : deltas) {
            if (!committed) {
                committed = true;
                ttft_ms = ms_since(started);
            }
            content_bytes += d.content.size();
            for (const auto & t : d.tool_calls) {
                content_bytes += t.name.size() + t.arguments.size();
            }
            observer->on_delta(std::move(d));
        }
        deltas.clear();
    }

    void begin_attempt(const header_map & headers) {
        if (committed) {
            // a retry after a failed attempt's deltas, which retractable() let be taken back
            observer->retract();
            committed = false;
            content_bytes = 0;
        }
        decoder = dialect->make_decoder(call, model);
        events.clear();
        json_body.clear();
        auto ct = headers.find("content-type");
        sse = ct == headers.end() || ct->second.find("json") == std::string::npos;
        parser = std::make_unique<sse_parser>([this](sse_event && ev) { events.push_back(std::move(ev)); });
    }

    // A decoder reads upstream JSON whose types it cannot trust (a string
    // where a number belongs throws in nlohmann's accessors): whatever it
    // throws is an invalid response from that upstream, never a crash.
    template <class F>
    std::optional<error> decode(F && step) {
        try {
            return step();
        } catch (const std::exception & e) {
            return invalid_response(model, std::string("the response does not have the expected shape: ") + e.what());
        }
    }

    std::optional<error> on_body(std::string_view chunk) {
        std::vector<generation_delta> deltas;
        if (!sse) {
            if (json_body.size() + chunk.size() > json_body_limit) {
                return invalid_response(model, "the response body is larger than " + std::to_string(json_body_limit) +
                                                   " bytes");
            }
            json_body.append(chunk);
            return std::nullopt;
        }
        parser->feed(chunk);
        for (auto & ev : events) {
            auto e = decode([&] { return decoder->on_event(ev, deltas); });
            deliver(deltas);
            if (e) {
                events.clear();
                return e;
            }
        }
        events.clear();
        return std::nullopt;
    }

    std::optional<error> on_complete() {
        std::vector<generation_delta> deltas;
        if (!sse) {
            auto e = decode([&] { return decoder->on_json(json_body, deltas); });
            deliver(deltas);
            return e;
        }
        if (!decoder->finished()) {
            return invalid_response(model, "the event stream ended before its end marker (truncated)");
        }
        return std::nullopt;
    }

    void finish(std::optional<error> failure) {
        generation_end end;
        end.model = model;
        end.ttft_ms = committed ? ttft_ms : 0.0;
        end.total_ms = ms_since(started);
        std::optional<usage> reported = decoder ? decoder->reported_usage() : std::nullopt;
        if (reported) {
            end.tokens = *reported;
        } else {
            end.tokens.prompt_tokens = estimate_tokens(prompt_bytes(call));
            end.tokens.completion_tokens = estimate_tokens(content_bytes);
        }
        if (failure && failure->code == code_cancelled) {
            end.finish_reason = "cancelled";
        } else if (failure) {
            end.finish_reason = "error";
            end.failure = std::move(failure);
        } else {
            end.finish_reason = decoder && !decoder->finish_reason().empty() ? decoder->finish_reason() : "stop";
        }
        decoder.reset();
        parser.reset();
        observer->on_end(std::move(end));
    }
};

}  // namespace

remote_provider::remote_provider(const config::model_config & model, endpoint_url url, remote_context context,
                                 std::shared_ptr<const remote_dialect> dialect)
    : name_(model.name),
      kind_(model.provider),
      context_window_(model.context_window),
      url_(std::move(url)),
      context_(std::move(context)),
      dialect_(std::move(dialect)),
      api_key_env_(model.remote ? model.remote->api_key_env : std::string()),
      max_attempts_(std::max(1, model.retries.max_attempts)),
      base_backoff_(model.retries.base_backoff) {
    limits_.connect = model.timeouts.connect;
    limits_.first_byte = model.timeouts.first_byte;
    limits_.idle = model.timeouts.idle;
    limits_.total = model.timeouts.total;
    if (context_.breakers) {
        breaker_ = context_.breakers->get(url_.origin());
    }
}

result<std::string> remote_provider::api_key() const {
    if (api_key_env_.empty()) {
        return std::string();
    }
    std::optional<std::string> key = context_.env ? context_.env(api_key_env_) : std::nullopt;
    if (!key || key->empty()) {
        return error{error_kind::upstream,
                     name_ + ": environment variable " + api_key_env_ + " (api_key_env) is not set or empty", "",
                     "missing_api_key", {}};
    }
    return *key;
}

exchange_plan remote_provider::plan(http_request_spec spec) const {
    exchange_plan p;
    p.model = name_;
    p.url = url_;
    spec.target = url_.base_path + spec.target;
    spec.limits = limits_;
    p.request = std::move(spec);
    p.max_attempts = max_attempts_;
    p.base_backoff = base_backoff_;
    p.breaker = breaker_;
    return p;
}

void remote_provider::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    auto st = std::make_shared<generation_state>();
    st->observer = observer;
    st->listener = dynamic_cast<attempt_listener *>(observer.get());
    st->dialect = dialect_;
    st->call = call;
    st->model = name_;
    auto key = api_key();
    if (!key) {
        st->finish(key.err());
        return;
    }
    auto spec = dialect_->generation_request(call, upstream_identity{name_, *key});
    if (!spec) {
        st->finish(spec.err());
        return;
    }
    exchange_hooks hooks;
    hooks.on_success_head = [st](const header_map & headers) { st->begin_attempt(headers); };
    hooks.on_body = [st](std::string_view chunk) { return st->on_body(chunk); };
    hooks.on_complete = [st] { return st->on_complete(); };
    hooks.committed = [st] { return st->committed && !st->observer->retractable(); };
    hooks.wanted = [st] { return st->observer->wanted(); };
    hooks.on_attempt = [st](const attempt_record & r) {
        if (st->listener) {
            st->listener->on_attempt(r);
        }
    };
    hooks.on_finish = [st](std::optional<error> failure) { st->finish(std::move(failure)); };
    run_resilient_exchange(context_.client, *context_.runtime, plan(std::move(*spec)), std::move(hooks));
}

void remote_provider::embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) {
    done(error::invalid("model '" + name_ + "' does not serve embeddings", "model", "embeddings_unsupported"));
}

}  // namespace tiergate::providers

namespace tiergate::providers {

provider_health remote_provider::health() const {
    provider_health h;
    h.circuit = breaker_ ? to_string(breaker_->state()) : to_string(circuit_state::closed);
    return h;
}

}  // namespace tiergate::providers
