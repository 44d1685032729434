#include "ledger/usage_query.h"

namespace tiergate::ledger {

namespace {

constexpr const char * ok_condition = "(http_status BETWEEN 200 AND 299 AND error_code = '')";

class builder {
  public:
    explicit builder(bool postgresql) : postgresql_(postgresql) {}
    std::string param(std::variant<int64_t, std::string> value) {
        out_.params.push_back(std::move(value));
        // numbered either way, so that the order the text is put together in does not matter
        return (postgresql_ ? "$" : "?") + std::to_string(out_.params.size());
    }
    sql_text & text() { return out_; }

  private:
    bool postgresql_;
    sql_text out_;
};

std::string group_expression(usage_group g) {
    switch (g) {
        case usage_group::none: return "''";
        case usage_group::tier: return "CASE WHEN model = '' THEN '' ELSE tier END";
        case usage_group::model: return "model";
        case usage_group::key: return "key_id";
        case usage_group::team: return "team";
        case usage_group::route: return "route";
        case usage_group::status: return std::string("CASE WHEN ") + ok_condition + " THEN 'ok' ELSE 'error' END";
    }
    return "''";
}

}  // namespace

sql_text totals_sql(const totals_query & q, bool postgresql) {
    builder b(postgresql);
    std::string bucket = "0";
    if (q.bucket_ms > 0) {
        bucket = "(time_ms - " + b.param(q.first_bucket_ms) + ") / " + b.param(q.bucket_ms);
    }
    auto & t = b.text();
    t.sql = "SELECT " + bucket + " AS bucket, " + group_expression(q.group) +
            " AS grp, COUNT(*), SUM(CASE WHEN " + ok_condition +
            " THEN 0 ELSE 1 END), SUM(escalated), SUM(CASE WHEN cache <> '' THEN 1 ELSE 0 END), SUM(input_tokens), "
            "SUM(output_tokens), SUM(cost_usd), SUM(counterfactual_cost_usd), MAX(time_ms) FROM requests WHERE time_ms >= ";
    t.sql += b.param(q.from_ms);
    t.sql += " AND time_ms < " + b.param(q.to_ms) + " GROUP BY bucket, grp ORDER BY bucket, grp";
    return std::move(t);
}

sql_text newest_sql(const newest_query & q, const char * request_columns, bool postgresql) {
    builder b(postgresql);
    std::string where = "time_ms >= " + b.param(q.from_ms) + " AND time_ms < " + b.param(q.to_ms);
    auto equal = [&](const char * column, const std::optional<std::string> & value) {
        if (value) {
            where += std::string(" AND ") + column + " = " + b.param(*value);
        }
    };
    equal("key_id", q.key);
    equal("team", q.team);
    equal("model", q.model);
    equal("route", q.route);
    if (q.tier) {
        where += " AND model <> '' AND tier = " + b.param(*q.tier);
    }
    if (q.ok) {
        where += std::string(" AND ") + (*q.ok ? "" : "NOT ") + ok_condition;
    }
    if (q.before) {
        const std::string time = b.param(q.before->first);
        where += " AND (time_ms < " + time + " OR (time_ms = " + b.param(q.before->first) +
                 " AND request_id < " + b.param(q.before->second) + "))";
    }
    auto & t = b.text();
    t.sql = std::string("SELECT ") + request_columns + ", attempt_count FROM requests WHERE " + where +
            " ORDER BY time_ms DESC, request_id DESC LIMIT " + b.param(static_cast<int64_t>(q.limit));
    return std::move(t);
}

}  // namespace tiergate::ledger
