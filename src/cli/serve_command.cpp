#include "cli/serve_command.h"

#include <atomic>

#include <csignal>
#include <pthread.h>

#include <memory>
#include <thread>

#include "admin/admin_api.h"
#include "api/http_server.h"
#include "api/knowledge_routes.h"
#include "api/routes.h"
#include "auth/key_verifier.h"
#include "auth/keyless.h"
#include "cli/config_check.h"
#include "cli/gateway_assembly.h"
#include "config/default_config.h"
#include "config/load_config.h"
#include "obs/log.h"

namespace tiergate::cli {

namespace {

struct serve_options {
    std::string config_file;
    std::string host;
    int port = -1;
    std::string ledger;
    int io_threads = 0;
    std::string log_level = "info";
    int drain_ms = 30'000;
    int drain_notice_ms = 0;
};

int fail(const std::string & message, int code = 2) {
    fprintf(stderr, "tiergate: %s\n", message.c_str());
    return code;
}

int serve(const serve_options & opts) {
    obs::setup_logging({opts.log_level, obs::log_format::text, ""});

    config::config cfg;
    if (!opts.config_file.empty()) {
        auto loaded = config::load_config_file(opts.config_file);
        if (!loaded.ok()) {
            fprintf(stderr, "%s", loaded.errors_text().c_str());
            return 2;
        }
        cfg = std::move(*loaded.value);
    } else {
        cfg = config::build_default_config();
    }
    if (!opts.host.empty()) {
        cfg.server.host = opts.host;
    }
    if (opts.port >= 0) {
        cfg.server.port = opts.port;
    }
    if (!opts.ledger.empty()) {
        cfg.ledger.store = opts.ledger;
    }
    if (auto policy = auth::check_key_policy(cfg); !policy) {
        return fail(policy.err().message);
    }
    if (cfg.models.empty()) {
        return fail("no models to serve (" + cfg.source + "); put GGUF files in " + cfg.model_dir.string() +
                    " or set TIERGATE_MODEL_DIR");
    }
    // Signals go to one waiting thread, not to the I/O or inference threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    assembly_failure failure;
    auto assembly = gateway_assembly::build(std::move(cfg), failure);
    if (!assembly) {
        return failure.message.empty() ? failure.exit_code : fail(failure.message, failure.exit_code);
    }
    const config::config & settings_cfg = assembly->cfg;
    auto & gate = *assembly->gate;
    std::unique_ptr<api::knowledge_routes> knowledge_api;
    if (assembly->knowledge) {
        knowledge_api = std::make_unique<api::knowledge_routes>(*assembly->knowledge);
    }

    std::unique_ptr<auth::key_verifier> keys;
    if (settings_cfg.keys.store) {
        auto opened = auth::key_verifier::open(*settings_cfg.keys.store);
        if (!opened) {
            return fail("key store " + settings_cfg.keys.store->string() + ": " + opened.err().message);
        }
        keys = std::move(*opened);
        TIERGATE_LOG_INFO("virtual keys from {} ({} keys)", settings_cfg.keys.store->string(), keys->key_count());
    }
    admin::admin_sources admin_from;
    admin_from.cfg = &settings_cfg;
    admin_from.models = &assembly->models;
    admin_from.keys = keys.get();
    admin_from.budgets = gate.budgets();
    {
        config::config_errors ignored(settings_cfg.source);  // read once already, without errors, by the assembly
        admin_from.base_budgets = gateway::read_budget_settings(settings_cfg, ignored).limits;
    }
    admin_from.check_config = check_config_file;
    admin_from.knowledge = assembly->knowledge.get();
    auto admin_api = admin::admin_api::make(std::move(admin_from));
    if (!admin_api) {
        return fail("admin: " + admin_api.err().message);
    }
    if (keys) {
        // budgets set through the admin API of another gateway sharing the key store
        keys->on_change([api = admin_api->get()] { api->key_store_changed(); });
    }
    // whatever way this function ends, the hook goes before the admin API it calls
    struct key_hook_guard {
        auth::key_verifier * keys;
        void clear() {
            if (keys != nullptr) {
                keys->on_change({});
                keys = nullptr;
            }
        }
        ~key_hook_guard() { clear(); }
    } key_hook{keys.get()};
    api::routes_options ro;
    ro.admin = admin_api->get();
    ro.knowledge = knowledge_api.get();
    ro.metrics_registry = &assembly->metrics_registry;
    ro.keys = keys.get();
    ro.front = assembly->agents.get();
    if (assembly->ledger) {
        auto * w = assembly->ledger.get();
        const size_t high_water = w->options().queue_capacity - w->options().queue_capacity / 8;
        ro.overloaded = [w, high_water] { return w->stats().queue_depth >= high_water; };
    }
    auto draining = std::make_shared<std::atomic<bool>>(false);
    ro.draining = [draining] { return draining->load(); };
    api::routes routes(assembly->models, gate, ro);
    api::server_options so;
    so.host = settings_cfg.server.host;
    so.port = static_cast<uint16_t>(settings_cfg.server.port);
    so.max_body_bytes = static_cast<size_t>(settings_cfg.server.max_body_bytes);
    so.io_threads = opts.io_threads > 0 ? opts.io_threads : (settings_cfg.server.threads > 0 ? settings_cfg.server.threads : 1);
    so.read_timeout = settings_cfg.server.read_timeout;
    so.idle_timeout = settings_cfg.server.idle_timeout;
    so.error_body = api::error_body_for;
    api::http_server server(so, [&routes](api::http_request && req, std::shared_ptr<api::responder> r) {
        routes.handle(std::move(req), std::move(r));
    });
    if (auto started = server.start(); !started) {
        return fail(started.err().message, 1);
    }
    TIERGATE_LOG_INFO("listening on http://{}:{} ({} models, route with model \"{}\")", so.host, server.port(),
                      assembly->models.all().size(), gate.router_model_name());
    // one line on stdout for scripts that start the server on port 0
    printf("tiergate listening on %s:%u\n", so.host.c_str(), server.port());
    fflush(stdout);

    // SIGTERM/SIGINT: stop accepting, let the requests in flight finish, then stop.
    // With a notice, /ready says 503 for that long first while requests are
    // still accepted, so a load balancer's checks see it before the port closes.
    const auto drain = std::chrono::milliseconds(opts.drain_ms);
    const auto notice = std::chrono::milliseconds(opts.drain_notice_ms);
    std::thread waiter([&server, signals, drain, notice, draining] {
        int sig = 0;
        sigwait(&signals, &sig);
        draining->store(true);
        if (notice.count() > 0) {
            TIERGATE_LOG_INFO("signal {}: not ready; draining in {} ms", sig, notice.count());
            std::this_thread::sleep_for(notice);
        }
        TIERGATE_LOG_INFO("signal {}: draining (up to {} ms)", sig, drain.count());
        if (!server.drain(drain)) {
            TIERGATE_LOG_WARN("{} requests still running at shutdown", server.requests_in_flight());
        }
    });
    server.run();
    waiter.join();
    knowledge_api.reset();  // the file and vector store jobs left answer while the server still exists
    key_hook.clear();
    admin_api->reset();
    assembly->shutdown([&server] { server.discard(); });
    return 0;
}

}  // namespace

void register_serve_command(CLI::App & root) {
    auto opts = std::make_shared<serve_options>();
    CLI::App * cmd = root.add_subcommand("serve", "serve the configured models through the OpenAI API");
    cmd->add_option("--config", opts->config_file, "YAML config file (default: every GGUF in TIERGATE_MODEL_DIR)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--host", opts->host, "address to listen on (default 127.0.0.1)");
    cmd->add_option("--port", opts->port, "port to listen on (default 8080; 0 picks a free port)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--ledger", opts->ledger,
                    "where usage is recorded: sqlite:PATH or postgresql://... (default: ledger.store of the config; "
                    "none with the embedded default)");
    cmd->add_option("--io-threads", opts->io_threads, "HTTP I/O threads (default 1)")->check(CLI::Range(0, 64));
    cmd->add_option("--log-level", opts->log_level, "trace|debug|info|warn|error|off");
    cmd->add_option("--drain-notice-ms", opts->drain_notice_ms,
                    "on SIGTERM, how long GET /ready answers 503 before the port closes (requests are still served)")
        ->check(CLI::Range(0, 600'000));
    cmd->add_option("--drain-ms", opts->drain_ms, "on SIGTERM, how long requests in flight may take to finish")
        ->check(CLI::Range(0, 3'600'000));
    cmd->callback([opts] { throw CLI::RuntimeError(serve(*opts)); });
}

}  // namespace tiergate::cli
