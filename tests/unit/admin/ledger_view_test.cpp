#include <gtest/gtest.h>

#include <set>

#include "admin/ledger_view.h"
#include "admin/models_view.h"
#include "config/load_config.h"
#include "view_records.h"

namespace tiergate::admin {
namespace {

using fixtures::record;

std::vector<ledger::usage_record> rows_at(const period & p, int n) {
    std::vector<ledger::usage_record> rows;
    for (int i = 0; i < n; ++i) {
        // two rows share each millisecond: the order then goes by request id
        rows.push_back(record("req-" + std::to_string(i), p.from_ms + 1000 + i / 2, i % 3 == 0 ? ledger::tier::mid
                                                                                                : ledger::tier::slm,
                              i % 3 == 0 ? "mid" : "small", 0.001 * i, 0.01, i == 4 ? 500 : 200));
    }
    return rows;
}

// One page of the ledger as the API answers `query`.
nlohmann::json page_of(ledger::store & store, const query_map & query, const period & p) {
    auto q = read_ledger_query(query, p);
    EXPECT_TRUE(q) << (q ? "" : q.err().message);
    auto rows = store.newest(*q);
    EXPECT_TRUE(rows) << (rows ? "" : rows.err().message);
    return ledger_view(*rows, *q);
}

TEST(admin_ledger_view, pages_walk_every_row_once_newest_first) {
    const auto p = fixtures::hour();
    const auto rows = rows_at(p, 23);
    auto store = fixtures::ledger_with(rows);
    query_map query = {{"limit", "5"}};
    std::vector<std::string> seen;
    int pages = 0;
    while (true) {
        const auto page = page_of(*store, query, p);
        ++pages;
        for (const auto & row : page["rows"]) {
            seen.push_back(row["request_id"]);
            EXPECT_EQ(row["attempts"], 1);
        }
        if (page["next_cursor"].is_null()) {
            break;
        }
        query["cursor"] = page["next_cursor"].get<std::string>();
        ASSERT_LT(pages, 10);
    }
    EXPECT_EQ(pages, 5);
    ASSERT_EQ(seen.size(), rows.size());
    EXPECT_EQ(seen.front(), "req-22");  // the latest time, alone
    EXPECT_EQ(seen[1], "req-21");      // then the pair at one time, larger id first
    EXPECT_EQ(seen[2], "req-20");
    std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), rows.size());
}

TEST(admin_ledger_view, filters_narrow_and_rows_hold_no_text) {
    const auto p = fixtures::hour();
    auto rows = rows_at(p, 12);
    rows[3].team = "other";
    auto store = fixtures::ledger_with(rows);
    auto only = [&](query_map q) { return page_of(*store, q, p)["rows"]; };
    EXPECT_EQ(only({{"tier", "mid"}}).size(), 4u);
    EXPECT_EQ(only({{"model", "small"}}).size(), 8u);
    EXPECT_EQ(only({{"status", "error"}}).size(), 1u);
    EXPECT_EQ(only({{"status", "error"}})[0]["http_status"], 500);
    EXPECT_EQ(only({{"status", "ok"}}).size(), 11u);
    EXPECT_EQ(only({{"team", "other"}}).size(), 1u);
    EXPECT_EQ(only({{"team", "other"}, {"tier", "slm"}}).size(), 0u);
    EXPECT_EQ(only({{"key", "key_1"}, {"stage", "default"}}).size(), 12u);
    EXPECT_EQ(only({{"team", "' OR 1=1 --"}}).size(), 0u);  // values are bound, never spliced
    const auto row = only({{"limit", "1"}})[0];
    for (const char * field : {"request_id", "time_ms", "key_id", "team", "stage", "tier", "model", "cost_usd",
                               "counterfactual_cost_usd", "latency_ms", "http_status", "pii", "attempts"}) {
        EXPECT_TRUE(row.contains(field)) << field;
    }
    EXPECT_FALSE(row.contains("messages"));
    EXPECT_FALSE(row.contains("content"));
}

TEST(admin_ledger_view, bad_filters_are_refused) {
    const auto p = fixtures::hour();
    auto param = [&](query_map q) {
        auto f = read_ledger_query(q, p);
        EXPECT_FALSE(f);
        return f ? std::string() : f.err().param;
    };
    EXPECT_EQ(param({{"limit", "0"}}), "limit");
    EXPECT_EQ(param({{"limit", "501"}}), "limit");
    EXPECT_EQ(param({{"limit", "5x"}}), "limit");
    EXPECT_EQ(param({{"limit", "99999999999999999999999"}}), "limit");
    EXPECT_EQ(param({{"tier", "gold"}}), "tier");
    EXPECT_EQ(param({{"status", "fine"}}), "status");
    EXPECT_EQ(param({{"cursor", "abc"}}), "cursor");
    EXPECT_EQ(param({{"cursor", "12."}}), "cursor");
    EXPECT_EQ(param({{"cursor", ".x"}}), "cursor");
}

// A model that is never called: the view reads only its name, kind and health.
class idle_model final : public providers::provider {
  public:
    explicit idle_model(std::string name) : name_(std::move(name)) {}
    providers::provider_kind kind() const override { return providers::provider_kind::openai_compatible; }
    const std::string & name() const override { return name_; }
    bool supports_embeddings() const override { return false; }
    int context_window() const override { return 0; }
    void generate(const generation_call &, std::shared_ptr<generation_observer>) override {}
    void embed(const embedding_call &, std::function<void(result<embedding_result>)>) override {}
    providers::provider_health health() const override { return {std::string("open"), {}, {}, {}, {}}; }

  private:
    std::string name_;
};

TEST(admin_models_view, calls_come_from_the_attempts_and_health_from_the_provider) {
    auto cfg = config::load_config_text(R"(
models:
  - { name: big, provider: openai_compatible, tier: frontier, endpoint: "http://127.0.0.1:9/v1", price: { input_per_mtok: 1, output_per_mtok: 1 } }
  - { name: quiet, provider: openai_compatible, tier: mid, endpoint: "http://127.0.0.1:9/v1", price: { input_per_mtok: 1, output_per_mtok: 1 } }
)",
                                        "t.yaml", ".");
    ASSERT_TRUE(cfg.ok()) << cfg.errors_text();
    providers::registry models;
    models.add(std::make_unique<idle_model>("big"));
    models.add(std::make_unique<idle_model>("quiet"));
    const auto p = fixtures::hour();
    auto a = record("a", p.from_ms + 1, ledger::tier::frontier, "big", 0.1, 0.1);
    auto b = record("b", p.from_ms + 2, ledger::tier::frontier, "big", 0.1, 0.1, 502);
    b.attempts[0].latency_ms = 300;
    b.attempts[0].ttft_ms = 0;
    const auto v = models_view({a, b}, p, *cfg.value, models);
    ASSERT_EQ(v["models"].size(), 2u);
    const auto & big = v["models"][0];
    EXPECT_EQ(big["name"], "big");
    EXPECT_EQ(big["tier"], "frontier");
    EXPECT_EQ(big["circuit"], "open");
    EXPECT_TRUE(big["slots"].is_null());
    EXPECT_EQ(big["requests"], 2);
    EXPECT_EQ(big["errors"], 1);
    EXPECT_DOUBLE_EQ(big["latency_p50_ms"].get<double>(), 100);
    EXPECT_DOUBLE_EQ(big["latency_p99_ms"].get<double>(), 300);
    EXPECT_DOUBLE_EQ(big["ttft_p50_ms"].get<double>(), 20);  // the call without a first token is left out
    EXPECT_DOUBLE_EQ(big["output_tokens_per_s"].get<double>(), 10 / 0.4);
    EXPECT_EQ(v["models"][1]["name"], "quiet");
    EXPECT_EQ(v["models"][1]["requests"], 0);
}

}  // namespace
}  // namespace tiergate::admin
