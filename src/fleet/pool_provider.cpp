#include "fleet/pool_provider.h"

#include <algorithm>

#include "fleet/pick_order.h"
#include "providers/attempt_record.h"
#include "providers/fallback_chain.h"
#include "providers/token_estimate.h"

namespace tiergate::fleet {

namespace {

int64_t call_tokens(const generation_call & call) { return providers::estimate_tokens(providers::prompt_bytes(call)); }

const char * outcome_of(const generation_end & end) {
    if (end.finish_reason == "cancelled") {
        return "cancelled";
    }
    if (end.failure) {
        return end.failure->kind == error_kind::rate_limited ? "rate_limited" : "error";
    }
    return "ok";
}

}  // namespace

// A deployment as one option of the chain the pool runs: it accounts every
// call it passes to its target.
struct pool_provider::member final : providers::provider {
    std::shared_ptr<deployment> state;
    std::unique_ptr<providers::provider> owned;
    providers::provider * target = nullptr;
    std::string target_label;
    std::string name_;  // the pool's model, or the in-process model answering as itself
    std::chrono::milliseconds cooldown{0};
    obs::gauge * in_flight = nullptr;
    obs::gauge * latency = nullptr;
    obs::gateway_metrics * metrics = nullptr;
    std::string model;  // the pool's model, for metric labels

    providers::provider_kind kind() const override { return target->kind(); }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override { return target->supports_embeddings(); }
    int context_window() const override { return target->context_window(); }

    void generate(const generation_call & call, std::shared_ptr<generation_observer> observer) override;
    void embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) override {
        target->embed(call, std::move(done));
    }

    void ended(const generation_end & end, int64_t tokens) {
        state->end(end, tokens, cooldown);
        if (metrics != nullptr) {
            in_flight->add(-1);
            metrics->deployment_requests.with({model, state->name(), outcome_of(end)}).inc();
            const double avg = state->now().latency_ms;
            latency->set(avg < 0 ? 0.0 : avg / 1000.0);
        }
    }
};

namespace {

// Passes a deployment's answer on and accounts its end; every attempt it
// reports names the deployment.
class member_observer final : public generation_observer, public providers::attempt_listener {
  public:
    member_observer(pool_provider::member & m, std::shared_ptr<generation_observer> outer, int64_t tokens)
        : member_(m),
          outer_(std::move(outer)),
          listener_(dynamic_cast<providers::attempt_listener *>(outer_.get())),
          tokens_(tokens) {}

    void on_delta(generation_delta && delta) override { outer_->on_delta(std::move(delta)); }
    void on_end(generation_end && end) override {
        member_.ended(end, tokens_);
        outer_->on_end(std::move(end));
    }
    bool wanted() const override { return outer_->wanted(); }
    bool retractable() const override { return outer_->retractable(); }
    void retract() override { outer_->retract(); }
    void on_attempt(const providers::attempt_record & record) override {
        if (listener_ != nullptr) {
            providers::attempt_record r = record;
            r.deployment = member_.state->name();
            listener_->on_attempt(r);
        }
    }

  private:
    pool_provider::member & member_;
    std::shared_ptr<generation_observer> outer_;
    providers::attempt_listener * listener_;
    int64_t tokens_;
};

}  // namespace

void pool_provider::member::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    const int64_t tokens = call_tokens(call);
    if (auto refused = state->try_begin(tokens)) {
        // a concurrent call took its last place after the order was made: the
        // next deployment is tried; this one's health and counts are untouched
        if (metrics != nullptr) {
            metrics->deployment_skips.with({model, state->name(), to_string(*refused)}).inc();
        }
        generation_end end;
        end.model = name_;
        end.finish_reason = "error";
        end.failure = error{error_kind::rate_limited,
                            model + ": deployment " + state->name() + " is " + to_string(*refused) +
                                " (a concurrent call took its last place)",
                            "", "deployment_skipped", 1};
        observer->on_end(std::move(end));
        return;
    }
    if (metrics != nullptr) {
        in_flight->add(1);
    }
    target->generate(call, std::make_shared<member_observer>(*this, std::move(observer), tokens));
}

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
        auto m = std::make_unique<member>();
        m->owned = std::move(pm.owned);
        m->target = m->owned ? m->owned.get() : pm.borrowed;
        m->target_label = pm.target;
        m->name_ = pm.settings.local_model.empty() ? model.name : pm.settings.local_model;
        m->cooldown = settings_.cooldown;
        m->model = model.name;
        m->state = std::make_shared<deployment>(pm.settings, *m->target, settings_.latency_of_ttft);
        if (metrics_ != nullptr) {
            m->metrics = metrics_;
            m->in_flight = &metrics_->deployment_in_flight.with({model.name, pm.settings.name});
            m->latency = &metrics_->deployment_latency_seconds.with({model.name, pm.settings.name});
            metrics_->deployment_up.with({model.name, pm.settings.name}).set(1);
        }
        names.push_back(pm.settings.name);
        members_.push_back(std::move(m));
    }
    if (settings_.affinity) {
        affinity_.emplace(*settings_.affinity, names);
    }
    const bool remote_members = std::any_of(members_.begin(), members_.end(),
                                            [](const auto & m) { return m->state->settings().local_model.empty(); });
    if (probe_ && !settings_.health.path.empty() && remote_members) {
        checker_ = std::make_unique<periodic>(settings_.health.interval, [this] { check_health(); });
    }
    const bool limited = std::any_of(members_.begin(), members_.end(), [](const auto & m) {
        return m->state->settings().rpm > 0 || m->state->settings().tpm > 0;
    });
    if (shared_count_ && limited) {
        syncer_ = std::make_unique<periodic>(usage_sync_interval, [this] { sync_usage(); });
    }
}

pool_provider::~pool_provider() {
    checker_.reset();
    syncer_.reset();
}

void pool_provider::sync_usage() {
    if (!shared_count_) {
        return;
    }
    for (const auto & m : members_) {
        const auto & s = m->state->settings();
        if (s.rpm == 0 && s.tpm == 0) {
            continue;
        }
        auto & usage = m->state->usage();
        const auto unsent = usage.take_unsent();
        // a minute's counters live one minute past it
        const int64_t expire_at_ms = (unsent.minute + 2) * 60'000;
        const std::string key = "tiergate:fleet:" + name_ + ":" + s.name + ":" + std::to_string(unsent.minute);
        auto requests = shared_count_(key + ":requests", unsent.requests, expire_at_ms);
        auto tokens = shared_count_(key + ":tokens", unsent.tokens, expire_at_ms);
        if (requests && tokens) {
            usage.set_shared(unsent.minute, *requests, *tokens);
        }
        // a failed report is lost for the shared count (each gateway still counts its own)
    }
}

deployment & pool_provider::at(size_t i) { return *members_[i]->state; }

bool pool_provider::supports_embeddings() const {
    return std::any_of(members_.begin(), members_.end(), [](const auto & m) { return m->supports_embeddings(); });
}

void pool_provider::check_health(std::function<void()> done) {
    struct round {
        std::atomic<int> left{1};
        std::function<void()> done;
        void one_done() {
            if (left.fetch_sub(1) == 1 && done) {
                done();
            }
        }
    };
    auto r = std::make_shared<round>();
    r->done = std::move(done);
    for (const auto & m : members_) {
        const auto & s = m->state->settings();
        if (s.local_model.empty() && probe_) {
            r->left.fetch_add(1);
            auto state = m->state;
            auto * up = metrics_ != nullptr ? &metrics_->deployment_up.with({name_, s.name}) : nullptr;
            probe_(s.endpoint, [state, r, up](bool healthy) {
                state->set_probed(healthy);
                if (up != nullptr) {
                    up->set(healthy ? 1 : 0);
                }
                r->one_done();
            });
        }
    }
    r->one_done();
}

result<std::vector<size_t>> pool_provider::order(const generation_call * call, int64_t tokens,
                                                  std::vector<uint64_t> * blocks) {
    const auto now = deployment::clock::now();
    const size_t n = members_.size();
    std::vector<candidate> usable;
    std::vector<bool> is_usable(n, false);
    std::vector<int64_t> in_flight(n, 0);
    std::vector<deployment_state> states(n);
    for (size_t i = 0; i < n; ++i) {
        const auto & d = *members_[i]->state;
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
        is_usable[i] = true;
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
                const auto wait = members_[i]->state->retry_in(s, now).count();
                if (wait > 0) {
                    retry_ms = retry_ms ? std::min(*retry_ms, wait) : wait;
                }
            }
            why += (why.empty() ? "" : ", ") + members_[i]->state->name() + " " + to_string(s);
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
        options.push_back(members_[i].get());
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
        if (members_[i]->supports_embeddings()) {
            options.push_back(members_[i].get());
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
    for (const auto & m : members_) {
        const auto & d = *m->state;
        const auto state = d.state(0);
        any_up = any_up || (state != deployment_state::open && state != deployment_state::down);
        const auto f = d.now();
        providers::deployment_health dh;
        dh.name = d.name();
        dh.state = to_string(state);
        dh.target = m->target_label;
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
