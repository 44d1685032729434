#pragma once
// Wraps the client's observer for one request and accounts for it when it
// ends, before the client hears the end: every attempt (the first call,
// retries, fallbacks, cascade escalations) becomes a ledger attempt with its
// tokens and cost; the budget reservation is settled with the real cost; the
// usage record is queued for the ledger and counted in the metrics.

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "core/chat_types.h"
#include "gateway/cascade_run.h"
#include "gateway/response_route.h"
#include "ledger/budget_enforcer.h"
#include "ledger/usage_record.h"
#include "providers/attempt_record.h"

namespace tiergate::gateway {

class gateway_accounting;

class accounted_observer final : public generation_observer, public providers::attempt_listener {
  public:
    accounted_observer(std::shared_ptr<generation_observer> inner, const gateway_accounting & accounting,
                       ledger::usage_record record, std::optional<ledger::reservation> held,
                       std::shared_ptr<response_route> route, std::chrono::steady_clock::time_point start);
    // A call destroyed before its end (a shutdown cut it) is accounted then,
    // as failed with "shutdown": its record and its budget are not lost.
    ~accounted_observer() override;

    // Objects the call needs until it ends (per-request providers and chains).
    void keep_alive(std::shared_ptr<void> object) { keep_.push_back(std::move(object)); }
    void set_cascade(std::shared_ptr<cascade_report> report) { cascade_ = std::move(report); }
    // After `deadline` the call is no longer wanted (providers stop at their next
    // token or chunk) and it ends with a 504 that names the limit.
    void set_deadline(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds limit) {
        deadline_ = deadline;
        limit_ = limit;
    }

    void on_delta(generation_delta && delta) override;
    void on_end(generation_end && end) override;
    bool wanted() const override {
        return inner_->wanted() && std::chrono::steady_clock::now() < deadline_;
    }
    bool retractable() const override { return inner_->retractable(); }
    // the answer begins again: its first delta sets the model and the TTFT
    void retract() override {
        first_delta_ = true;
        tool_call_indexes_.clear();
        inner_->retract();
    }
    void on_attempt(const providers::attempt_record & record) override;

  private:
    void set_model(const std::string & model);
    // The ledger record and budget settlement of the call's end.
    void account(generation_end & end);

    std::shared_ptr<generation_observer> inner_;
    const gateway_accounting & accounting_;
    ledger::usage_record record_;
    std::optional<ledger::reservation> held_;
    std::shared_ptr<response_route> route_;
    std::chrono::steady_clock::time_point start_;
    double ttft_ms_ = 0.0;
    bool first_delta_ = true;
    std::vector<providers::attempt_record> attempts_;
    std::shared_ptr<cascade_report> cascade_;
    std::vector<std::shared_ptr<void>> keep_;
    std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
    std::chrono::milliseconds limit_{0};
    bool accounted_ = false;
    std::vector<int> tool_call_indexes_;  // the tool calls of the answer
};

}  // namespace tiergate::gateway
