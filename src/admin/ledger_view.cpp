#include "admin/ledger_view.h"

#include <charconv>

namespace tiergate::admin {

namespace {

std::string cursor_of(const ledger::usage_record & r) { return std::to_string(r.time_ms) + "." + r.request_id; }

nlohmann::json row_json(const ledger::usage_record & r) {
    return {{"request_id", r.request_id},
            {"time_ms", r.time_ms},
            {"key_id", r.key_id},
            {"team", r.team},
            {"stage", r.route},
            {"route_reason", r.route_reason},
            {"tier", r.model.empty() ? std::string() : std::string(ledger::to_string(r.final_tier))},
            {"model", r.model},
            {"provider", r.provider},
            {"input_tokens", r.input_tokens},
            {"output_tokens", r.output_tokens},
            {"cost_usd", r.cost_usd},
            {"counterfactual_cost_usd", r.counterfactual_cost_usd},
            {"latency_ms", r.latency_ms},
            {"ttft_ms", r.ttft_ms},
            {"http_status", r.status.http_status},
            {"error_code", r.status.error_code},
            {"escalated", r.escalated},
            {"cache", r.cache},
            {"pii", r.pii_counts},
            {"tool_calls", r.tool_calls},
            {"attempts", r.attempts.empty() ? r.attempt_count : static_cast<int64_t>(r.attempts.size())},
            {"agent", r.agent},
            {"trace_id", r.trace_id}};
}

}  // namespace

result<ledger::newest_query> read_ledger_query(const query_map & query, const period & p) {
    ledger::newest_query q;
    q.from_ms = p.from_ms;
    q.to_ms = p.to_ms;
    auto text = [&](const char * name, std::optional<std::string> & into) {
        if (auto it = query.find(name); it != query.end()) {
            into = it->second;
        }
    };
    text("key", q.key);
    text("team", q.team);
    text("model", q.model);
    text("tier", q.tier);
    text("stage", q.route);
    if (q.tier && !ledger::parse_tier(*q.tier)) {
        return error::invalid("tier must be slm, mid or frontier", "tier", "invalid_filter");
    }
    if (auto it = query.find("status"); it != query.end()) {
        if (it->second != "ok" && it->second != "error") {
            return error::invalid("status must be ok or error", "status", "invalid_filter");
        }
        q.ok = it->second == "ok";
    }
    size_t page = 50;
    if (auto it = query.find("limit"); it != query.end()) {
        const std::string & v = it->second;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), page);
        if (ec != std::errc() || end != v.data() + v.size() || page < 1 || page > max_ledger_page) {
            return error::invalid("limit must be a whole number from 1 to " + std::to_string(max_ledger_page), "limit",
                                  "invalid_limit");
        }
    }
    q.limit = page + 1;
    if (auto it = query.find("cursor"); it != query.end()) {
        const std::string & v = it->second;
        const size_t dot = v.find('.');
        int64_t time = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + (dot == std::string::npos ? 0 : dot), time);
        if (dot == std::string::npos || dot == 0 || ec != std::errc() || end != v.data() + dot || dot + 1 >= v.size()) {
            return error::invalid("cursor is not one this API gave (next_cursor)", "cursor", "invalid_cursor");
        }
        q.before = std::make_pair(time, v.substr(dot + 1));
    }
    return q;
}

nlohmann::json ledger_view(const std::vector<ledger::usage_record> & rows, const ledger::newest_query & q) {
    const size_t page = q.limit > 0 ? q.limit - 1 : 0;
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < rows.size() && i < page; ++i) {
        out.push_back(row_json(rows[i]));
    }
    nlohmann::json next = nullptr;
    if (rows.size() > page && page > 0) {
        next = cursor_of(rows[page - 1]);
    }
    return {{"rows", out}, {"next_cursor", next}};
}

}  // namespace tiergate::admin
