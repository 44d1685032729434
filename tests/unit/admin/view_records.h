#pragma once
// Ledger records and periods for the admin views' tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "admin/period.h"
#include "ledger/store.h"
#include "ledger/usage_record.h"

namespace tiergate::admin::fixtures {

// 2026-12-07T10:00:00Z .. 11:00:00Z, minute buckets.
inline period hour() {
    period p;
    p.from_ms = 1'796'637'600'000;
    p.to_ms = p.from_ms + 3'600'000;
    p.bucket = "minute";
    p.bucket_ms = 60'000;
    return p;
}

// One request answered (or failed, by status) by one attempt of `model`.
inline ledger::usage_record record(const std::string & id, int64_t time_ms, ledger::tier tier, const std::string & model,
                                   double cost, double counterfactual, int status = 200) {
    ledger::usage_record r;
    r.request_id = id;
    r.time_ms = time_ms;
    r.key_id = "key_1";
    r.team = "team-a";
    r.route = "default";
    r.route_reason = model;
    r.final_tier = tier;
    r.model = model;
    r.provider = tier == ledger::tier::slm ? "local" : "openai_compatible";
    r.input_tokens = 10;
    r.output_tokens = 5;
    r.cost_usd = cost;
    r.counterfactual_cost_usd = counterfactual;
    r.latency_ms = 100;
    r.status.http_status = status;
    if (status != 200) {
        r.status.error_code = "failed";
    }
    if (!model.empty()) {
        ledger::attempt_record a;
        a.model = model;
        a.tier_used = tier;
        a.provider = r.provider;
        a.input_tokens = 10;
        a.output_tokens = 5;
        a.cost_usd = cost;
        a.latency_ms = 100;
        a.ttft_ms = 20;
        a.status = r.status;
        r.attempts.push_back(a);
    }
    return r;
}

// A SQLite ledger in memory holding `records`.
inline std::unique_ptr<ledger::store> ledger_with(const std::vector<ledger::usage_record> & records) {
    auto store = ledger::open_store(":memory:");
    EXPECT_TRUE(store) << store.err().message;
    auto written = (*store)->write(records);
    EXPECT_TRUE(written) << written.err().message;
    return std::move(*store);
}

// The ledger's totals of `records` over `p`, per bucket (or one) and group.
inline std::vector<ledger::usage_totals> totals_of(const std::vector<ledger::usage_record> & records, const period & p,
                                                   ledger::usage_group group, bool buckets = false) {
    auto store = ledger_with(records);
    auto totals = store->totals({p.from_ms, p.to_ms, buckets ? p.first_bucket_ms() : 0, buckets ? p.bucket_ms : 0, group});
    EXPECT_TRUE(totals) << totals.err().message;
    return *totals;
}

}  // namespace tiergate::admin::fixtures
