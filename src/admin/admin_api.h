#pragma once
// The admin API (/admin/v1/...) and the dashboard (/ui), as a route module
// of the HTTP routes. Reads aggregate the ledger over a period; changes go
// to the key store, to the budgets in force (kept in the key store file),
// or re-read the config file. Every read and change runs on this module's
// own thread, never on an I/O thread; a full queue answers 503. See
// docs/admin.md for the endpoints.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "admin/admin_settings.h"
#include "admin/budget_overrides.h"
#include "api/route_module.h"
#include "auth/key_store.h"
#include "auth/key_verifier.h"
#include "config/config.h"
#include "config/load_config.h"
#include "core/work_queue.h"
#include "ledger/budget_enforcer.h"
#include "ledger/store.h"
#include "providers/registry.h"
#include "rag/knowledge_base.h"

namespace tiergate::admin {

struct admin_sources {
    const config::config * cfg = nullptr;           // the config served
    const providers::registry * models = nullptr;   // for model health
    auth::key_verifier * keys = nullptr;            // null: keyless (reads only)
    ledger::budget_enforcer * budgets = nullptr;    // null: no budget counters
    ledger::budget_config base_budgets;             // the config's limits
    const rag::knowledge_base * knowledge = nullptr;  // null: no retrieval configured
    // Checks a config file as startup does (every section); for reloads.
    std::function<config::load_result(const std::filesystem::path &)> check_config;
};

class admin_api final : public api::route_module {
  public:
    // Applies the budgets kept in the key store on top of the config's.
    static result<std::unique_ptr<admin_api>> make(admin_sources sources);
    ~admin_api() override;

    bool owns(const std::string & path) const override;
    void handle(api::http_request && request, std::shared_ptr<api::responder> respond) override;
    // The key store file changed (another gateway sharing it set a budget):
    // the budgets in force are read again, on the admin API's own thread.
    void key_store_changed();

    struct reply {
        int status = 200;
        std::string body;
    };

  private:
    explicit admin_api(admin_sources sources);
    result<reply> run(const api::http_request & request);
    result<reply> read(const std::string & what, const api::http_request & request);
    result<reply> keys(const std::vector<std::string> & rest, const api::http_request & request);
    result<reply> budgets(const std::vector<std::string> & rest, const api::http_request & request);
    result<reply> reload();
    result<ledger::store *> ledger();
    result<auth::key_store *> key_store();
    // Puts the config's limits with the overrides in force.
    result<std::monostate> apply_budgets();
    // The key verifier reads the store now (after a change made here).
    void refresh_keys();
    // The budgets set through the API (none without a key store).
    result<override_map> load_overrides();

    admin_sources sources_;
    admin_settings settings_;
    std::unique_ptr<budget_overrides> overrides_;  // null without a key store
    std::unique_ptr<ledger::store> ledger_;        // opened on first use, on the worker thread
    std::unique_ptr<auth::key_store> key_store_;
    YAML::Node config_in_force_;  // the config file's sections now in force
    work_queue work_;             // last: its thread ends before the rest goes
};

}  // namespace tiergate::admin
