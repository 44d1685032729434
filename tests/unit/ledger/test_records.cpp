#include "test_records.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <random>

namespace tiergate::ledger::fixtures {

usage_record make_record(const std::string & id, int64_t time_ms, bool escalated) {
    usage_record r;
    r.request_id = id;
    r.time_ms = time_ms;
    r.key_id = "key-1";
    r.team = "team-a";
    r.route = "default";
    r.route_reason = "rules: short prompt";
    attempt_record first;
    first.attempt = 1;
    first.kind = attempt_kind::primary;
    first.tier_used = tier::slm;
    first.model = "local-3b";
    first.provider = "local";
    first.input_tokens = 100;
    first.output_tokens = 20;
    first.cost_usd = 0.0;
    first.latency_ms = 80;
    first.ttft_ms = 40;
    r.attempts.push_back(first);
    if (escalated) {
        attempt_record second;
        second.attempt = 2;
        second.kind = attempt_kind::escalation;
        second.deployment = "east";  // a deployment of a pooled model
        second.tier_used = tier::frontier;
        second.model = "frontier-x";
        second.provider = "openai";
        second.input_tokens = 100;
        second.output_tokens = 50;
        second.cost_usd = 0.00075;
        second.latency_ms = 900;
        second.ttft_ms = 400;
        r.attempts.push_back(second);
    }
    r.total_from_attempts();
    r.counterfactual_cost_usd = 0.00075;
    r.latency_ms = escalated ? 1000 : 80;
    r.ttft_ms = escalated ? 440 : 40;
    r.pii_counts = {{"email", 2}, {"iban", 1}};
    return r;
}

std::string unique_suffix() {
    std::random_device rd;
    return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "-" + std::to_string(rd());
}

std::string env_or_empty(const char * name) {
    const char * v = std::getenv(name);
    return v ? v : "";
}

result<size_t> fake_store::write(const std::vector<usage_record> & batch) {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !held_; });
    ++writes;
    if (fail_next > 0) {
        --fail_next;
        return error{error_kind::internal, "injected failure", "", "", {}};
    }
    rows_.insert(rows_.end(), batch.begin(), batch.end());
    return batch.size();
}

result<std::vector<usage_record>> fake_store::read(int64_t from_ms, int64_t to_ms, bool) {
    std::lock_guard lock(mutex_);
    std::vector<usage_record> out;
    for (const auto & r : rows_) {
        if (r.time_ms >= from_ms && r.time_ms < to_ms) {
            out.push_back(r);
        }
    }
    return out;
}

result<int64_t> fake_store::scan(int64_t from_ms, int64_t to_ms,
                                 const std::function<void(const usage_record &)> & visit) {
    auto rows = read(from_ms, to_ms, false);
    for (const auto & r : *rows) {
        visit(r);
    }
    return static_cast<int64_t>(rows->size());
}

result<int64_t> fake_store::count() {
    std::lock_guard lock(mutex_);
    return static_cast<int64_t>(rows_.size());
}

void fake_store::hold(bool on) {
    {
        std::lock_guard lock(mutex_);
        held_ = on;
    }
    released_.notify_all();
}

std::vector<usage_record> fake_store::records() const {
    std::lock_guard lock(mutex_);
    return rows_;
}

result<std::vector<usage_totals>> fake_store::totals(const totals_query &) {
    return error{error_kind::internal, "the fake store does not sum", "", "", {}};
}

result<std::vector<usage_record>> fake_store::newest(const newest_query &) {
    return error{error_kind::internal, "the fake store does not page", "", "", {}};
}

}  // namespace tiergate::ledger::fixtures
