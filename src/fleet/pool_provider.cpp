#include "fleet/pool_provider.h"

#include <algorithm>

#include "fleet/pick_order.h"
#include "providers/fallback_chain.h"
#include "providers/token_estimate.h"

namespace tiergate::fleet {

namespace {

int64_t call_tokens(const generation_call & call) { return providers::estimate_tokens(providers::prompt_bytes(call)); }

}  // namespace

pool_provider::pool_provider(const config::model_config & model, pool_settings settings,
                             std::vector<pool_member> members, obs::gateway_metrics * metrics, probe_fn probe,
                             shared_count_fn shared_count)
    : name_(model.name),
      kind_(model.provider),
      context_window_(model.context_window),
      settings_(std::move(settings)),
      metrics_(metrics),
      probe_(std::move(probe)),
      shared_count_(std::move(shared_count)),
      rng_(std::random_device{}()) {
    std::vector<std::string> names;
    for (auto & pm : members) {
        providers::provider * target = pm.owned ? pm.owned.get() : pm.borrowed;
        if (pm.owned) {
            owned_.push_back(std::move(pm.owned));
        }
        auto state = std::make_shared<deployment>(pm.settings, *target, settings_.latency_of_ttft, pm.breaker);
        const std::string answers_as = pm.settings.local_model.empty() ? model.name : pm.settings.local_model;
        options_.push_back(
            std::make_unique<deployment_option>(model.name, answers_as, state, *target, settings_.cooldown, metrics_));
        targets_.push_back(pm.target);
        if (metrics_ != nullptr) {
            metrics_->deployment_up.with({model.name, pm.settings.name}).set(1);
        }
        names.push_back(pm.settings.name);
    }
    if (settings_.affinity) {
        affinity_.emplace(*settings_.affinity, names);
    }
    const bool remote_members = std::any_of(options_.begin(), options_.end(),
                                            [](const auto & o) { return o->state()->settings().local_model.empty(); });
    if (probe_ && !settings_.health.path.empty() && remote_members) {
        checker_ = std::make_unique<periodic>(settings_.health.interval, [this] { check_health(); });
    }
    const bool limited = std::any_of(options_.begin(), options_.end(), [](const auto & o) {
        return o->state()->settings().rpm > 0 || o->state()->settings().tpm > 0;
    });
    if (shared_count_ && limited) {
        syncer_ = std::make_unique<periodic>(usage_sync_interval, [this] { sync_usage(); });
    }
}

pool_provider::~pool_provider() {
    stopping_ = true;  // a report in progress stops at its next deployment
    checker_.reset();
    syncer_.reset();
}

void pool_provider::sync_usage() {
    if (!shared_count_) {
        return;
    }
    for (const auto & o : options_) {
        if (stopping_) {
            return;
        }
        const auto & s = o->state()->settings();
        if (s.rpm == 0 && s.tpm == 0) {
            continue;
        }
        auto & usage = o->state()->usage();
        const auto unsent = usage.take_unsent();
        // a minute's counters live one minute past it
        const int64_t expire_at_ms = (unsent.minute + 2) * 60'000;
        const std::string key = "tiergate:fleet:" + name_ + ":" + s.name + ":" + std::to_string(unsent.minute);
        auto requests = shared_count_(key + ":requests", unsent.requests, expire_at_ms);
        if (!requests) {
            usage.unsend(unsent);  // sent again with the next report
            continue;
        }
        auto tokens = shared_count_(key + ":tokens", unsent.tokens, expire_at_ms);
        if (!tokens) {
            usage.unsend({unsent.minute, 0, unsent.tokens});  // the requests were added, the tokens not
            continue;
        }
        usage.set_shared(unsent.minute, *requests, *tokens);
    }
}

bool pool_provider::supports_embeddings() const {
    return std::any_of(options_.begin(), options_.end(), [](const auto & o) { return o->supports_embeddings(); });
}

bool pool_provider::check_health(std::function<void()> done) {
    if (probing_->exchange(true)) {
        return false;  // the last round has answers still to come
    }
    struct round {
        std::atomic<int> left{1};
        std::shared_ptr<std::atomic<bool>> probing;
        std::function<void()> done;
        void one_done() {
            if (left.fetch_sub(1) == 1) {
                probing->store(false);
                if (done) {
                    done();
                }
            }
        }
    };
    auto r = std::make_shared<round>();
    r->probing = probing_;
    r->done = std::move(done);
    for (const auto & o : options_) {
        const auto & s = o->state()->settings();
        if (s.local_model.empty() && probe_) {
            r->left.fetch_add(1);
            auto state = o->state();
            auto * up = metrics_ != nullptr ? &metrics_->deployment_up.with({name_, s.name}) : nullptr;
            probe_(s, [state, r, up](std::optional<bool> healthy) {
                if (healthy) {
                    state->set_probed(*healthy);
                    if (up != nullptr) {
                        up->set(*healthy ? 1 : 0);
                    }
                }
                r->one_done();
            });
        }
    }
    r->one_done();
    return true;
}

result<std::vector<size_t>> pool_provider::order(const generation_call * call, int64_t tokens,
                                                  std::vector<uint64_t> * blocks) {
    const auto now = deployment::clock::now();
    const size_t n = options_.size();
    std::vector<candidate> usable;
    std::vector<bool> is_usable(n, false);
    std::vector<int64_t> in_flight(n, 0);
    std::vector<deployment_state> states(n);
    for (size_t i = 0; i < n; ++i) {
        const auto & d = *options_[i]->state();
        states[i] = d.state(tokens, now);
        if (states[i] != deployment_state::ready) {
            if (metrics_ != nullptr) {
                metrics_->deployment_skips.with({name_, d.name(), to_string(states[i])}).inc();
            }
            continue;
        }
        const auto f = d.now();
        candidate c;
        c.index = i;
        c.weight = d.settings().weight;
        c.in_flight = f.in_flight;
        c.queued_tokens = f.queued_tokens;
        c.latency_ms = f.latency_ms;
        c.headroom = f.headroom;
        in_flight[i] = f.in_flight;
        // a weight-0 deployment is for failover only: affinity never puts it first
        is_usable[i] = d.settings().weight > 0;
        usable.push_back(c);
    }
    if (usable.empty()) {
        // skipped, not failed: a pool whose deployments are all limited says
        // 429 with when to come back; one whose deployments are all unhealthy, 503
        bool limits = false;
        std::optional<int64_t> retry_ms;
        std::string why;
        for (size_t i = 0; i < n; ++i) {
            const auto s = states[i];
            if (s == deployment_state::busy || s == deployment_state::limited || s == deployment_state::cooling) {
                limits = true;
                const auto wait = options_[i]->state()->retry_in(s, now).count();
                if (wait > 0) {
                    retry_ms = retry_ms ? std::min(*retry_ms, wait) : wait;
                }
            }
            why += (why.empty() ? "" : ", ") + options_[i]->state()->name() + " " + to_string(s);
        }
        error e;
        if (limits) {
            e.kind = error_kind::rate_limited;
            e.code = "deployments_limited";
            e.message = "every deployment of model '" + name_ + "' is at its limits (" + why + ")";
            e.retry_after_s = static_cast<int>(retry_ms ? (*retry_ms + 999) / 1000 : 1);
        } else {
            e.kind = error_kind::unavailable;
            e.code = "deployments_unavailable";
            e.message = "every deployment of model '" + name_ + "' is failing and skipped (" + why + ")";
            e.retry_after_s = 1;
        }
        return e;
    }
    std::vector<size_t> ordered;
    {
        std::lock_guard lock(rng_mutex_);
        ordered = order_candidates(settings_.strategy, std::move(usable), settings_.exploration, rng_);
    }
    if (affinity_ && call != nullptr && blocks != nullptr) {
        *blocks = affinity_->block_hashes(*call);
        if (auto chosen = affinity_->choose(*blocks, in_flight, is_usable)) {
            auto it = std::find(ordered.begin(), ordered.end(), *chosen);
            if (it != ordered.end()) {
                std::rotate(ordered.begin(), it, it + 1);
            }
        }
    }
    return ordered;
}

void pool_provider::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    std::vector<uint64_t> blocks;
    auto ordered = order(&call, call_tokens(call), &blocks);
    if (!ordered) {
        generation_end end;
        end.model = name_;
        end.finish_reason = "error";
        end.failure = ordered.err();
        observer->on_end(std::move(end));
        return;
    }
    if (affinity_ && !blocks.empty()) {
        affinity_->remember(blocks, ordered->front());
    }
    std::vector<providers::provider *> options;
    options.reserve(ordered->size());
    for (size_t i : *ordered) {
        options.push_back(options_[i].get());
    }
    providers::run_in_order(std::move(options), call, std::move(observer));
}

void pool_provider::embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) {
    auto ordered = order(nullptr, 0, nullptr);
    if (!ordered) {
        return done(ordered.err());
    }
    std::vector<providers::provider *> options;
    for (size_t i : *ordered) {
        if (options_[i]->supports_embeddings()) {
            options.push_back(options_[i].get());
        }
    }
    if (options.empty()) {
        return done(error::invalid("model '" + name_ + "' does not serve embeddings", "model", "embeddings_unsupported"));
    }
    auto chain = std::make_shared<providers::fallback_chain>(
        *options.front(), std::vector<providers::provider *>(options.begin() + 1, options.end()));
    chain->embed(call, [chain, done = std::move(done)](result<embedding_result> r) mutable { done(std::move(r)); });
}

providers::provider_health pool_provider::health() const {
    providers::provider_health h;
    bool any_up = false;
    for (size_t i = 0; i < options_.size(); ++i) {
        const auto & d = *options_[i]->state();
        const auto state = d.state(0);
        any_up = any_up || (state != deployment_state::open && state != deployment_state::down);
        const auto f = d.now();
        providers::deployment_health dh;
        dh.name = d.name();
        dh.state = to_string(state);
        dh.target = targets_[i];
        dh.region = d.settings().region;
        dh.tags = d.settings().tags;
        dh.in_flight = f.in_flight;
        dh.latency_ms = f.latency_ms;
        dh.requests = f.requests;
        dh.errors = f.errors;
        dh.rpm_used = f.rpm_used;
        dh.tpm_used = f.tpm_used;
        h.deployments.push_back(std::move(dh));
    }
    h.circuit = any_up ? "closed" : "open";
    return h;
}

}  // namespace tiergate::fleet
