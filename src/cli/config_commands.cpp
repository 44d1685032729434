#include "cli/config_commands.h"

#include "auth/key_admin.h"
#include "auth/key_scope.h"
#include "auth/key_store.h"
#include "auth/key_store_location.h"
#include "auth/key_time.h"
#include "cli/cli_group.h"
#include "cli/config_check.h"
#include "config/load_config.h"
#include "core/error.h"

#include <iostream>
#include <memory>
#include <string>

namespace tiergate::cli {
namespace {

[[noreturn]] void fail_config(const error & err) {
    std::cerr << "error: " << err.message;
    if (!err.param.empty()) {
        std::cerr << " (" << err.param << ")";
    }
    std::cerr << "\n";
    throw CLI::RuntimeError(1);
}

template <class T>
T take_config(result<T> value) {
    if (!value) {
        fail_config(value.err());
    }
    return std::move(*value);
}

struct key_options {
    std::string store;
    std::string config;
    std::string team;
    std::string models;
    std::string tiers;
    std::string expires;
    std::string ttl;
    std::string role = "user";
    std::string id;
};

void add_store_options(CLI::App & command, key_options & o) {
    command.add_option("--store", o.store, "the SQLite key store (default: keys.store of the config)");
    command.add_option("--config", o.config, "the config whose keys.store to use (default: ./tiergate.yaml)");
}

std::unique_ptr<auth::key_store> open_store(const auth::key_store_location & where) {
    return take_config(auth::key_store::open(where.path));
}

void run_config_check(const std::string & file) {
    config::load_result checked = check_config_file(file);
    if (!checked.ok()) {
        std::cerr << checked.errors_text();
        throw CLI::RuntimeError(1);
    }
    std::cout << "OK: " << file << " (" << checked.value->models.size() << " models)\n";
}

void run_keys_create(const key_options & o) {
    auth::key_store_location where = take_config(auth::locate_key_store(o.store, o.config));
    auto store = open_store(where);
    auto role = auth::parse_key_role(o.role);
    if (!role) {
        fail_config(error::invalid("unknown role \"" + o.role + "\" (expected one of: " + auth::key_role_choices + ")",
                                   "role"));
    }
    auth::create_key_request request{o.team, auth::split_list(o.models), auth::split_list(o.tiers), o.expires, o.ttl,
                                     *role};
    auth::created_key created = take_config(auth::create_key(*store, request, std::chrono::system_clock::now(),
                                                             where.cfg ? &*where.cfg : nullptr));
    const auth::key_record & r = created.record;
    std::cerr << "Created " << r.id << " for team " << r.team << " (" << r.scope.describe() << "; role "
              << auth::to_string(r.role) << "), expires "
              << (r.expires_at ? auth::format_utc(*r.expires_at) : std::string("never")) << ", in "
              << where.path.string() << ".\nThe key is shown this once; only its hash is stored:\n";
    std::cout << created.key << "\n";
}

void run_keys_list(const key_options & o) {
    auth::key_store_location where = take_config(auth::locate_key_store(o.store, o.config));
    auto store = open_store(where);
    std::cout << auth::format_key_list(take_config(store->load_all()));
}

void run_keys_revoke(const key_options & o) {
    auth::key_store_location where = take_config(auth::locate_key_store(o.store, o.config));
    auto store = open_store(where);
    take_config(auth::revoke_key(*store, o.id));
    std::cout << "Revoked " << o.id << ": a running server refuses it within its refresh interval.\n";
}

}  // namespace

void register_config_commands(CLI::App & root) {
    CLI::App & config_group = command_group(root, "config", "check a configuration file");
    auto file = std::make_shared<std::string>();
    CLI::App * check = config_group.add_subcommand("check", "validate a config file as startup would; print OK or every error");
    check->add_option("file", *file, "the YAML config file")->required();
    check->callback([file] { run_config_check(*file); });

    CLI::App & keys = command_group(root, "keys", "virtual API keys: create, list, revoke");
    auto o = std::make_shared<key_options>();

    CLI::App * create = keys.add_subcommand("create", "issue a key (printed once) for a team");
    create->add_option("--team", o->team, "the team the key belongs to")->required();
    create->add_option("--models", o->models, "comma-separated models the key may use (default: all)");
    create->add_option("--tiers", o->tiers, "comma-separated tiers the key may use: slm,mid,frontier (default: all)");
    create->add_option("--role", o->role,
                       "user: call models (default); viewer: also read the admin API and dashboard; admin: also change "
                       "keys, budgets and the config through them");
    auto * expires = create->add_option("--expires", o->expires, "expiry date, UTC: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    auto * ttl = create->add_option("--ttl", o->ttl, "lifetime: 90s, 15m, 12h, 30d, 2w");
    expires->excludes(ttl);
    add_store_options(*create, *o);
    create->callback([o] { run_keys_create(*o); });

    CLI::App * list = keys.add_subcommand("list", "list keys: id, prefix, team, scopes, expiry, status (never the keys)");
    add_store_options(*list, *o);
    list->callback([o] { run_keys_list(*o); });

    CLI::App * revoke = keys.add_subcommand("revoke", "revoke a key by id; running servers stop accepting it");
    revoke->add_option("id", o->id, "the key id (key_...) from `keys list`")->required();
    add_store_options(*revoke, *o);
    revoke->callback([o] { run_keys_revoke(*o); });
}

}  // namespace tiergate::cli
