#include "fleet/deployment_option.h"

#include "providers/attempt_record.h"
#include "providers/token_estimate.h"

namespace tiergate::fleet {

namespace {

const char * outcome_label(const generation_end & end) {
    if (end.finish_reason == "cancelled") {
        return "cancelled";
    }
    if (end.failure) {
        return end.failure->kind == error_kind::rate_limited ? "rate_limited" : "error";
    }
    return "ok";
}

// A failure that says the deployment itself is set up wrong (its key
// refused, the model unknown to it), not that the call was bad.
bool misconfigured(const generation_end & end, int status) {
    return end.failure && (end.failure->code == "upstream_auth" || status == 401 || status == 403 || status == 404);
}

// Passes the deployment's answer on and accounts its end; every attempt it
// reports names the deployment, and an end without one reports one.
class option_observer final : public generation_observer, public providers::attempt_listener {
  public:
    option_observer(deployment_option & option, std::shared_ptr<generation_observer> outer,
                    deployment::outcome how)
        : option_(option),
          outer_(std::move(outer)),
          listener_(dynamic_cast<providers::attempt_listener *>(outer_.get())),
          how_(how) {}

    void on_delta(generation_delta && delta) override { outer_->on_delta(std::move(delta)); }
    void on_end(generation_end && end) override {
        how_.misconfigured = misconfigured(end, last_status_);
        option_.ended(end, how_);
        if (!reported_ && listener_ != nullptr) {
            providers::attempt_record r;
            r.model = option_.name();
            r.deployment = option_.state()->name();
            r.failure = end.failure;
            r.latency_ms = end.total_ms;
            listener_->on_attempt(r);
        }
        outer_->on_end(std::move(end));
    }
    bool wanted() const override { return outer_->wanted(); }
    bool retractable() const override { return outer_->retractable(); }
    void retract() override { outer_->retract(); }
    void on_attempt(const providers::attempt_record & record) override {
        reported_ = true;
        last_status_ = record.status;
        if (listener_ != nullptr) {
            providers::attempt_record r = record;
            r.deployment = option_.state()->name();
            listener_->on_attempt(r);
        }
    }

  private:
    deployment_option & option_;
    std::shared_ptr<generation_observer> outer_;
    providers::attempt_listener * listener_;
    deployment::outcome how_;
    bool reported_ = false;
    int last_status_ = 0;
};

}  // namespace

deployment_option::deployment_option(std::string pool_model, std::string answers_as, std::shared_ptr<deployment> state,
                                     providers::provider & target, std::chrono::milliseconds cooldown,
                                     obs::gateway_metrics * metrics)
    : pool_model_(std::move(pool_model)),
      answers_as_(std::move(answers_as)),
      state_(std::move(state)),
      target_(target),
      cooldown_(cooldown),
      metrics_(metrics) {
    if (metrics_ != nullptr) {
        in_flight_ = &metrics_->deployment_in_flight.with({pool_model_, state_->name()});
        latency_ = &metrics_->deployment_latency_seconds.with({pool_model_, state_->name()});
    }
}

void deployment_option::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    const int64_t tokens = providers::estimate_tokens(providers::prompt_bytes(call));
    const auto admitted = state_->try_begin(tokens);
    if (admitted.refused) {
        // a concurrent call took its last place after the pool ordered the
        // deployments: the chain goes on to the next; its health is untouched
        if (metrics_ != nullptr) {
            metrics_->deployment_skips.with({pool_model_, state_->name(), to_string(*admitted.refused)}).inc();
        }
        generation_end end;
        end.model = answers_as_;
        end.finish_reason = "error";
        end.failure = error{error_kind::rate_limited,
                            pool_model_ + ": deployment " + state_->name() + " is " + to_string(*admitted.refused) +
                                " (a concurrent call took its last place)",
                            "", "deployment_skipped", 1};
        if (auto * listener = dynamic_cast<providers::attempt_listener *>(observer.get())) {
            providers::attempt_record r;
            r.model = answers_as_;
            r.deployment = state_->name();
            r.failure = end.failure;
            listener->on_attempt(r);
        }
        observer->on_end(std::move(end));
        return;
    }
    if (in_flight_ != nullptr) {
        in_flight_->add(1);
    }
    deployment::outcome how;
    how.estimated_tokens = tokens;
    how.minute = admitted.minute;
    target_.generate(call, std::make_shared<option_observer>(*this, std::move(observer), how));
}

void deployment_option::ended(const generation_end & end, const deployment::outcome & how) {
    state_->end(end, how, cooldown_);
    if (metrics_ != nullptr) {
        in_flight_->add(-1);
        metrics_->deployment_requests.with({pool_model_, state_->name(), outcome_label(end)}).inc();
        const double avg = state_->now().latency_ms;
        latency_->set(avg < 0 ? 0.0 : avg / 1000.0);
    }
}

}  // namespace tiergate::fleet
