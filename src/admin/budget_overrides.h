#pragma once
// Budgets set through the admin API, kept in the key store's SQLite file
// (table budget_overrides) so that they survive a restart. An override
// takes the place of the config's limits for its key or team.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "ledger/budget_types.h"

struct sqlite3;

namespace tiergate::admin {

using override_map = std::map<std::pair<ledger::limit_scope, std::string>, ledger::limit_set>;

class budget_overrides {
  public:
    static result<std::unique_ptr<budget_overrides>> open(const std::filesystem::path & path);
    ~budget_overrides();
    budget_overrides(const budget_overrides &) = delete;
    budget_overrides & operator=(const budget_overrides &) = delete;

    result<override_map> load();
    result<std::monostate> put(ledger::limit_scope scope, const std::string & id, const ledger::limit_set & limits);
    // false when there was none.
    result<bool> remove(ledger::limit_scope scope, const std::string & id);

  private:
    budget_overrides(sqlite3 * db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
    error sql_error(const std::string & what) const;
    sqlite3 * db_ = nullptr;
    std::filesystem::path path_;
};

// The config's limits with the overrides in place of theirs.
ledger::budget_config merge_overrides(ledger::budget_config base, const override_map & overrides);

// A limit set as the API shows and takes it: {usd_per_day, usd_per_month,
// tokens_per_minute, requests_per_minute, on_usd_exhausted}. 400 for an
// unknown field, a wrong type, a negative or non-finite limit, or no limit.
result<ledger::limit_set> limits_from_json(const nlohmann::json & body);
nlohmann::json limits_to_json(const ledger::limit_set & limits);

}  // namespace tiergate::admin
