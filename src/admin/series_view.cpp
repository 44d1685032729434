#include "admin/series_view.h"

#include <algorithm>
#include <map>

namespace tiergate::admin {

namespace {

constexpr std::pair<ledger::usage_group, std::string_view> group_names[] = {
    {ledger::usage_group::tier, "tier"},   {ledger::usage_group::model, "model"}, {ledger::usage_group::key, "key"},
    {ledger::usage_group::team, "team"},   {ledger::usage_group::route, "stage"}, {ledger::usage_group::status, "status"},
};

struct series {
    int64_t total = 0;
    std::vector<int64_t> requests, errors, input_tokens, output_tokens;
    std::vector<double> cost, counterfactual;
    explicit series(size_t n)
        : requests(n, 0), errors(n, 0), input_tokens(n, 0), output_tokens(n, 0), cost(n, 0.0), counterfactual(n, 0.0) {}
    void add(const ledger::usage_totals & t, size_t i) {
        total += t.requests;
        requests[i] += t.requests;
        errors[i] += t.errors;
        input_tokens[i] += t.input_tokens;
        output_tokens[i] += t.output_tokens;
        cost[i] += t.cost_usd;
        counterfactual[i] += t.counterfactual_cost_usd;
    }
    nlohmann::json to_json(const std::string & name) const {
        return {{"name", name},           {"requests", requests},         {"errors", errors},
                {"input_tokens", input_tokens}, {"output_tokens", output_tokens}, {"cost_usd", cost},
                {"counterfactual_cost_usd", counterfactual}};
    }
};

}  // namespace

std::optional<ledger::usage_group> parse_series_group(std::string_view text) {
    for (const auto & [group, name] : group_names) {
        if (text == name) {
            return group;
        }
    }
    return std::nullopt;
}

ledger::totals_query series_query(const period & p, ledger::usage_group group) {
    return {p.from_ms, p.to_ms, p.first_bucket_ms(), p.bucket_ms, group};
}

nlohmann::json series_view(const std::vector<ledger::usage_totals> & totals, const period & p,
                           ledger::usage_group group) {
    const auto n = static_cast<size_t>(p.bucket_count());
    std::map<std::string, series> by_name;
    for (const auto & t : totals) {
        if (t.bucket < 0 || static_cast<size_t>(t.bucket) >= n) {
            continue;
        }
        auto [it, fresh] = by_name.try_emplace(t.group.empty() ? std::string("(none)") : t.group, n);
        it->second.add(t, static_cast<size_t>(t.bucket));
    }
    std::vector<std::pair<const std::string *, const series *>> ranked;
    for (const auto & [name, s] : by_name) {
        ranked.emplace_back(&name, &s);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto & a, const auto & b) { return a.second->total > b.second->total; });
    nlohmann::json out_series = nlohmann::json::array();
    series other(n);
    for (size_t i = 0; i < ranked.size(); ++i) {
        if (i < max_series) {
            out_series.push_back(ranked[i].second->to_json(*ranked[i].first));
            continue;
        }
        for (size_t b = 0; b < n; ++b) {
            const series & s = *ranked[i].second;
            ledger::usage_totals t;
            t.requests = s.requests[b];
            t.errors = s.errors[b];
            t.input_tokens = s.input_tokens[b];
            t.output_tokens = s.output_tokens[b];
            t.cost_usd = s.cost[b];
            t.counterfactual_cost_usd = s.counterfactual[b];
            other.add(t, b);
        }
    }
    if (other.total > 0) {
        out_series.push_back(other.to_json("other"));
    }
    std::vector<int64_t> buckets(n);
    for (size_t i = 0; i < n; ++i) {
        buckets[i] = p.first_bucket_ms() + static_cast<int64_t>(i) * p.bucket_ms;
    }
    std::string group_name;
    for (const auto & [g, name] : group_names) {
        if (g == group) {
            group_name = name;
        }
    }
    return {{"from_ms", p.from_ms}, {"to_ms", p.to_ms},   {"bucket", p.bucket},   {"bucket_ms", p.bucket_ms},
            {"group_by", group_name}, {"buckets", buckets}, {"series", out_series}};
}

}  // namespace tiergate::admin
