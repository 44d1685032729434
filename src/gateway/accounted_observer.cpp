#include "gateway/accounted_observer.h"

#include <algorithm>

#include "gateway/gateway_accounting.h"
#include "obs/log.h"

namespace tiergate::gateway {

namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t) { return std::chrono::duration<double, std::milli>(steady::now() - t).count(); }

ledger::call_status status_of(const std::optional<error> & failure, int upstream_status) {
    ledger::call_status s;
    if (failure) {
        s.http_status = http_status(failure->kind);
        s.error_code = failure->code.empty() ? openai_type(failure->kind) : failure->code;
    } else if (upstream_status >= 400) {
        s.http_status = upstream_status;
        s.error_code = "upstream_status";
    }
    return s;
}

}  // namespace

accounted_observer::accounted_observer(std::shared_ptr<generation_observer> inner, const gateway_accounting & accounting,
                                       ledger::usage_record record, std::optional<ledger::reservation> held,
                                       std::shared_ptr<response_route> route, steady::time_point start)
    : inner_(std::move(inner)),
      accounting_(accounting),
      record_(std::move(record)),
      held_(std::move(held)),
      route_(std::move(route)),
      start_(start) {}

accounted_observer::~accounted_observer() {
    if (accounted_) {
        return;
    }
    try {
        generation_end end;
        end.finish_reason = "error";
        end.failure = error{error_kind::unavailable, "the server shut down before the call ended", "", "shutdown", {}};
        account(end);
    } catch (const std::exception & e) {
        TIERGATE_LOG_ERROR("request {}: accounting a call cut by the shutdown failed: {}", record_.request_id, e.what());
    }
}

void accounted_observer::set_model(const std::string & model) {
    if (model.empty() || model == route_->model) {
        return;
    }
    route_->model = model;
    route_->tier = std::string(ledger::to_string(accounting_.tier_of(model)));
}

void accounted_observer::on_delta(generation_delta && delta) {
    if (first_delta_) {
        first_delta_ = false;
        ttft_ms_ = ms_since(start_);
        set_model(delta.model);
        if (cascade_) {
            route_->route = record_.route + ":" + record_.route_reason + "+cascade:" + cascade_->summary();
        }
    }
    for (const auto & t : delta.tool_calls) {
        if (std::find(tool_call_indexes_.begin(), tool_call_indexes_.end(), t.index) == tool_call_indexes_.end()) {
            tool_call_indexes_.push_back(t.index);
        }
    }
    inner_->on_delta(std::move(delta));
}

void accounted_observer::on_attempt(const providers::attempt_record & record) { attempts_.push_back(record); }

void accounted_observer::on_end(generation_end && end) {
    account(end);
    // the request's own status: the answer's
    inner_->on_end(std::move(end));
}

void accounted_observer::account(generation_end & end) {
    accounted_ = true;
    set_model(end.model);
    record_.model_version = end.model_version;
    if (!end.failure && end.finish_reason == "cancelled" && inner_->wanted() && steady::now() >= deadline_) {
        end.finish_reason = "error";
        end.failure = error{error_kind::timeout,
                            "the request took longer than server.request_timeout_ms (" +
                                std::to_string(limit_.count()) + " ms)",
                            "", "request_timeout", {}};
    }
    if (cascade_ && first_delta_) {
        route_->route = record_.route + ":" + record_.route_reason + "+cascade:" + cascade_->summary();
    }
    const bool cancelled = end.finish_reason == "cancelled" && !end.failure;
    record_.tool_calls = static_cast<int64_t>(tool_call_indexes_.size());
    int n = 0;
    auto add = [&](ledger::attempt_record a) {
        a.attempt = ++n;
        record_.attempts.push_back(std::move(a));
    };
    if (cascade_) {
        for (size_t i = 0; i < cascade_->held.size(); ++i) {
            const cascade_attempt & h = cascade_->held[i];
            ledger::attempt_record a;
            a.kind = h.stage == 0 ? ledger::attempt_kind::primary : ledger::attempt_kind::escalation;
            a.model = h.model;
            a.provider = accounting_.provider_of(a.model);
            a.tier_used = accounting_.tier_of(a.model);
            a.input_tokens = h.prompt_tokens;
            a.output_tokens = h.completion_tokens;
            a.latency_ms = h.latency_ms;
            a.ttft_ms = h.ttft_ms;
            a.status = status_of(h.failure, 0);
            if (!h.accepted && !h.failure) {
                a.status.error_code = "low_confidence";  // answered, but the answer was discarded
            }
            if (h.accepted) {
                if (end.failure) {
                    a.status = status_of(end.failure, 0);
                } else if (cancelled) {
                    a.status = {499, "cancelled"};
                }
            }
            add(std::move(a));
        }
        size_t last_stage = 0;
        for (const cascade_attempt & h : cascade_->held) {
            last_stage = std::max(last_stage, h.stage);
        }
        // escalated: a model after the first stage answered (a held one or the last)
        record_.escalated = cascade_->escalated || last_stage > 0;
        record_.route_reason += " +cascade:" + cascade_->summary();
        if (!cascade_->accepted && !cascade_->escalated) {
            // the client left while the held stages answered: the last stage's answers were never judged
            for (size_t i = 0; i < cascade_->held.size(); ++i) {
                if (cascade_->held[i].stage == last_stage && !cascade_->held[i].failure) {
                    record_.attempts[record_.attempts.size() - cascade_->held.size() + i].status = {499, "cancelled"};
                }
            }
        }
    }
    // the provider attempts: the chain's (after the cascade's first model when it escalated)
    const providers::attempt_record * previous = nullptr;
    for (size_t i = 0; i < attempts_.size(); ++i) {
        const auto & p = attempts_[i];
        ledger::attempt_record a;
        if (i == 0) {
            a.kind = cascade_ ? ledger::attempt_kind::escalation : ledger::attempt_kind::primary;
        } else {
            // the same upstream again is a retry; another model, or another deployment of a pool, a fallback
            const bool same = previous->model == p.model && previous->deployment == p.deployment;
            a.kind = same ? ledger::attempt_kind::retry : ledger::attempt_kind::fallback;
        }
        previous = &p;
        a.model = p.model;
        a.deployment = p.deployment;
        a.provider = accounting_.provider_of(p.model);
        a.tier_used = accounting_.tier_of(p.model);
        a.latency_ms = p.latency_ms;
        a.status = status_of(p.failure, p.status);
        add(std::move(a));
    }
    // the answer's tokens belong to the attempt that produced it: the last one
    if (!record_.attempts.empty() && (!cascade_ || cascade_->escalated)) {
        auto & last = record_.attempts.back();
        last.input_tokens = end.tokens.prompt_tokens;
        last.output_tokens = end.tokens.completion_tokens;
        last.ttft_ms = ttft_ms_;
        if (end.failure) {
            last.status = status_of(end.failure, 0);
        } else if (cancelled) {
            last.status = {499, "cancelled"};
        }
    }
    if (record_.attempts.empty()) {
        ledger::attempt_record a;
        a.kind = ledger::attempt_kind::primary;
        a.model = end.model.empty() ? route_->model : end.model;
        a.provider = accounting_.provider_of(a.model);
        a.tier_used = accounting_.tier_of(a.model);
        a.input_tokens = end.tokens.prompt_tokens;
        a.output_tokens = end.tokens.completion_tokens;
        a.latency_ms = end.total_ms > 0 ? end.total_ms : ms_since(start_);
        a.ttft_ms = ttft_ms_;
        a.status = status_of(end.failure, 0);
        if (cancelled) {
            a.status = {499, "cancelled"};
        }
        add(std::move(a));
    }
    record_.latency_ms = ms_since(start_);
    record_.ttft_ms = ttft_ms_;
    record_.route = record_.route.empty() ? "direct" : record_.route;
    accounting_.finish(record_, held_);
}

}  // namespace tiergate::gateway
