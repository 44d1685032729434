#include "admin/admin_api.h"

#include <chrono>

#include "admin/admin_access.h"
#include "admin/budget_view.h"
#include "admin/config_sections.h"
#include "admin/distillation_view.h"
#include "admin/keys_view.h"
#include "admin/knowledge_view.h"
#include "admin/ledger_view.h"
#include "admin/models_view.h"
#include "admin/overview_view.h"
#include "admin/period.h"
#include "admin/privacy_view.h"
#include "admin/routing_view.h"
#include "admin/series_view.h"
#include "admin/ui_assets.h"
#include "api/query_string.h"
#include "core/utf8.h"
#include "gateway/budget_settings.h"
#include "ledger/report.h"
#include "obs/log.h"

namespace tiergate::admin {

namespace {

using nlohmann::json;

constexpr std::string_view api_prefix = "/admin/v1/";
constexpr int64_t last_used_window_ms = 30LL * 86'400'000;
// The pages that read the period's rows into memory refuse a period holding more.
constexpr int64_t max_rows_read = 500'000;

const api::header_list & page_headers() {
    static const api::header_list headers = {
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
         "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cache-Control", "no-cache"},
    };
    return headers;
}

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string dump(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

error not_found(const api::http_request & r) {
    return {error_kind::not_found,
            "no admin route for " + r.method + " " + (r.path.size() > 200 ? r.path.substr(0, 200) : r.path), "",
            "unknown_route", {}};
}

error wrong_method(const api::http_request & r, const char * allowed) {
    return {error_kind::method_not_allowed, r.method + " is not allowed on " + r.path.substr(0, 200) + "; use " + allowed,
            "", "method_not_allowed", {}};
}

error not_configured(const char * what, const char * how) {
    return {error_kind::not_found, std::string(what) + ": " + how, "", "not_configured", {}};
}

// The request's JSON body read by `parse` (a reader of the views).
template <class T>
result<T> parsed_body(const api::http_request & r, result<T> (*parse)(const json &)) {
    if (!is_valid_utf8(r.body)) {
        return error::invalid("the body is not valid UTF-8", "", "invalid_body");
    }
    json body = json::parse(r.body, nullptr, false);
    if (body.is_discarded()) {
        return error::invalid("the body is not valid JSON", "", "invalid_json");
    }
    return parse(body);
}

bool is_change(const std::string & method) { return method != "GET" && method != "HEAD"; }

admin_api::reply ok(json body, int status = 200) { return {status, dump(body)}; }

}  // namespace

admin_api::admin_api(admin_sources sources) : sources_(std::move(sources)), work_(1, 32) {}

admin_api::~admin_api() = default;

result<std::unique_ptr<admin_api>> admin_api::make(admin_sources sources) {
    std::unique_ptr<admin_api> api(new admin_api(std::move(sources)));
    const config::config & cfg = *api->sources_.cfg;
    config::config_errors errors(cfg.source);
    api->settings_ = read_admin_settings(cfg, errors);
    if (!errors.empty()) {
        return error::invalid(errors.to_string(), "admin");
    }
    if (cfg.keys.store) {
        // a key store this process may only read still checks keys; budgets cannot be set through the API then
        if (auto overrides = budget_overrides::open(*cfg.keys.store)) {
            api->overrides_ = std::move(*overrides);
        } else {
            TIERGATE_LOG_WARN("admin: budgets set through the API are unavailable: {}", overrides.err().message);
        }
    }
    if (auto applied = api->apply_budgets(); !applied) {
        return applied.err();
    }
    if (cfg.source != "<embedded default>") {
        try {
            api->config_in_force_ = YAML::LoadFile(cfg.source);
        } catch (const YAML::Exception &) {
            // reloads then report every section as changed
        }
    }
    return api;
}

void admin_api::key_store_changed() {
    const bool queued = work_.post([this] {
        if (auto applied = apply_budgets(); !applied) {
            TIERGATE_LOG_WARN("admin: budgets set through the API were not read again: {}", applied.err().message);
        }
    });
    if (!queued) {
        // the admin API's queue is full: the budgets are read again at the store's next change
        TIERGATE_LOG_WARN("admin: the key store changed while the admin queue was full; budgets set through the API "
                          "elsewhere apply here at the store's next change");
    }
}

bool admin_api::owns(const std::string & path) const {
    return path == "/ui" || path.starts_with("/ui/") || path == "/admin" || path.starts_with("/admin/");
}

void admin_api::handle(api::http_request && request, std::shared_ptr<api::responder> respond) {
    if (request.path == "/ui" || request.path.starts_with("/ui/")) {
        if (request.method != "GET") {
            return api::send_error(*respond, wrong_method(request, "GET"), {{"Allow", "GET"}});
        }
        const std::string path = request.path == "/ui" || request.path == "/ui/" ? "/ui/index.html" : request.path;
        for (const auto & asset : ui_assets()) {
            if (asset.path == path) {
                return respond->send(200, std::string(asset.body), page_headers(), std::string(asset.content_type));
            }
        }
        return api::send_error(*respond, not_found(request));
    }
    auto job = [this, request = std::move(request), respond]() {
        if (!respond->alive()) {
            return;
        }
        result<reply> answer = error{error_kind::internal, "", "", "", {}};
        try {
            answer = run(request);
        } catch (const std::exception & e) {
            // a bug or an exhausted resource: this request fails, the gateway goes on
            answer = error{error_kind::internal, std::string("the admin API failed: ") + e.what(), "", "internal_error", {}};
        }
        if (!answer) {
            return api::send_error(*respond, answer.err(), {{"Cache-Control", "no-store"}});
        }
        respond->send(answer->status, std::move(answer->body), {{"Cache-Control", "no-store"}});
    };
    if (!work_.post(std::move(job))) {
        api::send_error(*respond, error{error_kind::unavailable, "the admin API is busy; retry shortly", "", "overloaded", 1});
    }
}

result<admin_api::reply> admin_api::run(const api::http_request & request) {
    if (!request.path.starts_with(api_prefix)) {
        return not_found(request);
    }
    const bool change = is_change(request.method);
    auto caller = authorize(request, sources_.keys, change);
    if (!caller) {
        return caller.err();
    }
    const auto segments = api::path_segments(request.path, api_prefix);
    if (segments.empty()) {
        return not_found(request);
    }
    const std::string & first = segments[0];
    const std::vector<std::string> rest(segments.begin() + 1, segments.end());
    if (first == "keys") {
        return keys(rest, request);
    }
    if (first == "budgets") {
        return budgets(rest, request);
    }
    if (first == "config" && rest.size() == 1 && rest[0] == "reload") {
        if (request.method != "POST") {
            return wrong_method(request, "POST");
        }
        return reload();
    }
    if (!rest.empty()) {
        return not_found(request);
    }
    if (first == "whoami") {
        if (request.method != "GET") {
            return wrong_method(request, "GET");
        }
        return ok({{"role", caller->role},
                   {"key_id", caller->key_id.empty() ? json(nullptr) : json(caller->key_id)},
                   {"team", caller->team.empty() ? json(nullptr) : json(caller->team)},
                   {"can_change", caller->can_change}});
    }
    return read(first, request);
}

result<admin_api::reply> admin_api::read(const std::string & what, const api::http_request & request) {
    const bool known = what == "overview" || what == "timeseries" || what == "routing" || what == "privacy" ||
                       what == "models" || what == "ledger" || what == "collections" || what == "distillation";
    if (!known) {
        return not_found(request);
    }
    if (request.method != "GET") {
        return wrong_method(request, "GET");
    }
    auto query = api::query_params(request.target);
    if (!query) {
        return query.err();
    }
    const bool series = what == "timeseries";
    const bool rows = what == "ledger";
    auto checked = series ? only_params(*query, {"range", "from", "to", "bucket", "group_by"})
                   : rows ? only_params(*query, {"range", "from", "to", "key", "team", "model", "tier", "stage",
                                                 "status", "limit", "cursor"})
                          : only_params(*query, {"range", "from", "to"});
    if (!checked) {
        return checked.err();
    }
    auto p = read_period(*query, now_ms(), what == "models" ? "1h" : what == "distillation" ? "30d" : "24h");
    if (!p) {
        return p.err();
    }
    std::optional<ledger::usage_group> group;
    if (series) {
        auto g = query->find("group_by");
        group = parse_series_group(g == query->end() ? "tier" : g->second);
        if (!group) {
            return error::invalid("group_by must be one of " + std::string(series_group_choices), "group_by",
                                  "invalid_group");
        }
    }
    std::optional<ledger::newest_query> page;
    if (rows) {
        auto q = read_ledger_query(*query, *p);
        if (!q) {
            return q.err();
        }
        page = std::move(*q);
    }
    if (what == "collections" && sources_.knowledge == nullptr) {
        return not_configured("no retrieval collections", "add a `retrieval:` section to the config");
    }
    if (what == "models" && sources_.cfg->ledger.store.empty()) {
        // health needs no ledger; the calls over the period do
        return ok(models_view({}, *p, *sources_.cfg, *sources_.models));
    }
    auto store = ledger();
    if (!store) {
        return store.err();
    }
    // the overview, the series and the ledger's pages are answered by the database
    if (what == "overview" || series) {
        auto totals = (*store)->totals(series ? series_query(*p, *group)
                                              : ledger::totals_query{p->from_ms, p->to_ms, 0, 0, ledger::usage_group::tier});
        if (!totals) {
            return totals.err();
        }
        return ok(series ? series_view(*totals, *p, *group) : overview_view(*totals, *p, settings_.tier_target));
    }
    if (rows) {
        auto newest = (*store)->newest(*page);
        if (!newest) {
            return newest.err();
        }
        return ok(ledger_view(*newest, *page));
    }
    auto size = (*store)->totals({p->from_ms, p->to_ms, 0, 0, ledger::usage_group::none});
    if (!size) {
        return size.err();
    }
    if (!size->empty() && size->front().requests > max_rows_read) {
        return error::invalid("the period holds " + std::to_string(size->front().requests) + " requests; the " + what +
                                  " page reads at most " + std::to_string(max_rows_read) + ": choose a shorter range",
                              "range", "period_too_large");
    }
    auto records = (*store)->read(p->from_ms, p->to_ms, what == "routing" || what == "models");
    if (!records) {
        return records.err();
    }
    if (what == "routing") {
        return ok(routing_view(*records, *p));
    }
    if (what == "privacy") {
        return ok(privacy_view(*records, *p));
    }
    if (what == "models") {
        return ok(models_view(*records, *p, *sources_.cfg, *sources_.models));
    }
    if (what == "collections") {
        auto collections = sources_.knowledge->all_collections();
        if (!collections) {
            return collections.err();
        }
        return ok(knowledge_view(*collections, *records, *p));
    }
    return ok(distillation_view(*records, *p, *sources_.models));
}

result<admin_api::reply> admin_api::keys(const std::vector<std::string> & rest, const api::http_request & request) {
    auto store = key_store();
    if (!store) {
        return store.err();
    }
    const int64_t now = now_ms();
    const auto now_tp = std::chrono::system_clock::time_point(std::chrono::milliseconds(now));
    if (rest.empty()) {
        if (request.method == "GET") {
            if (auto query = api::query_params(request.target); !query) {
                return query.err();
            } else if (auto checked = only_params(*query, {}); !checked) {
                return checked.err();
            }
            auto records = (*store)->load_all();
            if (!records) {
                return records.err();
            }
            // each key's latest request in the ledger, summed by the database
            std::map<std::string, int64_t> last_used;
            if (auto ledger_store = ledger()) {
                auto by_key = (*ledger_store)->totals({now - last_used_window_ms, now + 1, 0, 0, ledger::usage_group::key});
                if (!by_key) {
                    return by_key.err();
                }
                for (const auto & t : *by_key) {
                    last_used[t.group] = t.last_ms;
                }
            }
            return ok(keys_view(*records, now, last_used));
        }
        if (request.method == "POST") {
            auto wanted = parsed_body(request, create_request_from_json);
            if (!wanted) {
                return wanted.err();
            }
            auto created = auth::create_key(**store, *wanted, now_tp, sources_.cfg);
            if (!created) {
                return created.err();
            }
            refresh_keys();
            return ok({{"key", created->key}, {"record", key_json(created->record, now, std::nullopt)}}, 201);
        }
        return wrong_method(request, "GET, POST");
    }
    const std::string & id = rest[0];
    if (rest.size() == 2 && rest[1] == "revoke") {
        if (request.method != "POST") {
            return wrong_method(request, "POST");
        }
        if (auto revoked = auth::revoke_key(**store, id, now_tp); !revoked) {
            return revoked.err();
        }
    } else if (rest.size() == 1) {
        if (request.method != "PATCH") {
            return wrong_method(request, "PATCH");
        }
        auto change = parsed_body(request, change_request_from_json);
        if (!change) {
            return change.err();
        }
        if (auto changed = auth::change_key(**store, id, *change, sources_.cfg); !changed) {
            return changed.err();
        }
    } else {
        return not_found(request);
    }
    refresh_keys();
    auto records = (*store)->load_all();
    if (!records) {
        return records.err();
    }
    for (const auto & r : *records) {
        if (r.id == id) {
            return ok(key_json(r, now, std::nullopt));
        }
    }
    return error{error_kind::not_found, "no key with id " + id.substr(0, 64), "id", "key_not_found", {}};
}

result<admin_api::reply> admin_api::budgets(const std::vector<std::string> & rest, const api::http_request & request) {
    if (sources_.budgets == nullptr) {
        return not_configured("no budgets", "add a `budgets:` section or a `keys.store` to the config");
    }
    const int64_t now = now_ms();
    if (rest.empty()) {
        if (request.method != "GET") {
            return wrong_method(request, "GET");
        }
        if (auto query = api::query_params(request.target); !query) {
            return query.err();
        } else if (auto checked = only_params(*query, {}); !checked) {
            return checked.err();
        }
        auto overrides = load_overrides();
        if (!overrides) {
            return overrides.err();
        }
        std::vector<auth::key_record> known;
        if (auto store = key_store()) {
            auto records = (*store)->load_all();
            if (!records) {
                return records.err();
            }
            known = std::move(*records);
        }
        auto view = budgets_view(*sources_.budgets, sources_.base_budgets, *overrides, known, now);
        if (!view) {
            return view.err();
        }
        return ok(std::move(*view));
    }
    if (rest.size() != 2 || (rest[0] != "key" && rest[0] != "team") || rest[1].empty() || rest[1].size() > 200) {
        return error{error_kind::not_found, "budgets are set at /admin/v1/budgets/key/{key id} or /admin/v1/budgets/team/{team}",
                     "", "unknown_route", {}};
    }
    if (!overrides_) {
        return not_configured("budgets set through the API are kept in the key store", "add `keys.store` to the config");
    }
    const auto scope = rest[0] == "key" ? ledger::limit_scope::key : ledger::limit_scope::team;
    const std::string & id = rest[1];
    if (request.method == "PUT") {
        auto limits = parsed_body(request, limits_from_json);
        if (!limits) {
            return limits.err();
        }
        if (auto put = overrides_->put(scope, id, *limits); !put) {
            return put.err();
        }
    } else if (request.method == "DELETE") {
        auto removed = overrides_->remove(scope, id);
        if (!removed) {
            return removed.err();
        }
        if (!*removed) {
            return error{error_kind::not_found, "no budget was set through the API for " + rest[0] + " " + id.substr(0, 64),
                         "", "budget_not_found", {}};
        }
    } else {
        return wrong_method(request, "PUT, DELETE");
    }
    if (auto applied = apply_budgets(); !applied) {
        return applied.err();
    }
    const char * source = request.method == "PUT" ? "api" : "config";
    auto rows = budget_rows(*sources_.budgets, scope, id, source, now);
    if (!rows) {
        return rows.err();
    }
    return ok({{"scope", rest[0]}, {"id", id}, {"limits", std::move(*rows)}});
}

result<admin_api::reply> admin_api::reload() {
    const config::config & cfg = *sources_.cfg;
    if (cfg.source == "<embedded default>" || !sources_.check_config) {
        return not_configured("no config file to reload", "the server runs on the embedded default");
    }
    const std::filesystem::path file = cfg.source;
    config::load_result checked = sources_.check_config(file);
    config::config_errors admin_errors(file.string());
    admin_settings next_settings;
    if (checked.ok()) {
        next_settings = read_admin_settings(*checked.value, admin_errors);
    }
    if (!checked.ok() || !admin_errors.empty()) {
        auto errors = checked.ok() ? admin_errors.list() : checked.errors;
        json list = json::array();
        for (const auto & e : errors) {
            list.push_back({{"file", e.file}, {"line", e.pos.line}, {"column", e.pos.column}, {"path", e.path},
                            {"message", e.message}});
        }
        error refusal{error_kind::unprocessable,
                      file.string() + " has " + std::to_string(errors.size()) +
                          (errors.size() == 1 ? " error" : " errors") + "; the config in force is unchanged",
                      "", "invalid_config", {}};
        json body = json::parse(to_openai_json(refusal));
        body["errors"] = std::move(list);
        return reply{422, dump(body)};
    }
    YAML::Node next;
    try {
        next = YAML::LoadFile(file.string());
    } catch (const YAML::Exception & e) {
        return error{error_kind::unprocessable, file.string() + ": " + e.what(), "", "invalid_config", {}};
    }
    const section_changes changes = compare_sections(config_in_force_, next);
    json applied = json::array(), restart = json::array();
    for (const auto & name : changes.changed) {
        if (name == "budgets" && sources_.budgets != nullptr) {
            config::config_errors errors(file.string());
            const auto settings = gateway::read_budget_settings(*checked.value, errors);
            const auto before = gateway::read_budget_settings(cfg, errors);
            sources_.base_budgets = settings.limits;
            if (auto put = apply_budgets(); !put) {
                return put.err();
            }
            applied.push_back(name);
            if (settings.redis_url != before.redis_url || settings.default_max_tokens != before.default_max_tokens) {
                restart.push_back("budgets.redis / budgets.default_max_tokens");
            }
        } else if (name == "admin") {
            settings_ = next_settings;
            applied.push_back(name);
        } else {
            restart.push_back(name);
            continue;
        }
        config_in_force_[name] = next[name];
        if (!next[name]) {
            config_in_force_.remove(name);
        }
    }
    return ok({{"applied", applied}, {"unchanged", changes.unchanged}, {"restart_required", restart}});
}

result<ledger::store *> admin_api::ledger() {
    if (!ledger_) {
        const std::string & url = sources_.cfg->ledger.store;
        if (url.empty()) {
            return not_configured("no ledger", "add `ledger.store` to the config to record usage");
        }
        auto opened = ledger::open_store(url);
        if (!opened) {
            return opened.err();
        }
        ledger_ = std::move(*opened);
    }
    return ledger_.get();
}

result<auth::key_store *> admin_api::key_store() {
    if (!key_store_) {
        if (!sources_.cfg->keys.store) {
            return not_configured("no key store", "add `keys.store` to the config");
        }
        auto opened = auth::key_store::open(*sources_.cfg->keys.store);
        if (!opened) {
            return opened.err();
        }
        key_store_ = std::move(*opened);
    }
    return key_store_.get();
}

void admin_api::refresh_keys() {
    // this gateway applies a key change at once, not at its verifier's next look
    if (sources_.keys != nullptr) {
        if (auto refreshed = sources_.keys->refresh(); !refreshed) {
            TIERGATE_LOG_WARN("admin: keys not read again after a change: {}", refreshed.err().message);
        }
    }
}

result<std::monostate> admin_api::apply_budgets() {
    if (sources_.budgets == nullptr) {
        return std::monostate{};
    }
    auto overrides = load_overrides();
    if (!overrides) {
        return overrides.err();
    }
    sources_.budgets->set_config(merge_overrides(sources_.base_budgets, *overrides));
    return std::monostate{};
}

result<override_map> admin_api::load_overrides() {
    return overrides_ ? overrides_->load() : result<override_map>(override_map{});
}

}  // namespace tiergate::admin
