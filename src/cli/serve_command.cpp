#include "cli/serve_command.h"

#include <csignal>
#include <pthread.h>

#include <memory>
#include <thread>

#include "api/http_server.h"
#include "api/routes.h"
#include "auth/key_verifier.h"
#include "auth/keyless.h"
#include "config/default_config.h"
#include "config/load_config.h"
#include "engine/engine.h"
#include "obs/gateway_metrics.h"
#include "obs/log.h"
#include "obs/metrics_registry.h"
#include "providers/local_provider.h"
#include "providers/registry.h"

namespace tiergate::cli {

namespace {

struct serve_options {
    std::string config_file;
    std::string host;
    int port = 0;
    int io_threads = 0;
    std::string log_level = "info";
};

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
    if (opts.port > 0) {
        cfg.server.port = opts.port;
    }
    if (auto policy = auth::check_key_policy(cfg); !policy) {
        fprintf(stderr, "tiergate: %s\n", policy.err().message.c_str());
        return 2;
    }
    if (cfg.models.empty()) {
        fprintf(stderr, "tiergate: no models to serve (%s); put GGUF files in %s or set TIERGATE_MODEL_DIR\n",
                cfg.source.c_str(), cfg.model_dir.string().c_str());
        return 2;
    }

    // Signals go to one waiting thread, not to the I/O or inference threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    std::vector<engine::model_options> local;
    for (const auto & m : cfg.models) {
        if (m.provider != config::provider_kind::local) {
            fprintf(stderr, "tiergate: model '%s': provider '%s' is not available in this build\n", m.name.c_str(),
                    config::to_string(m.provider));
            return 2;
        }
        engine::model_options o;
        o.name = m.name;
        o.path = m.local->path.string();
        o.parallel = m.local->parallel;
        o.ctx_per_slot = m.local->ctx;
        o.threads = m.local->threads;
        o.batch = m.local->batch;
        o.embeddings = m.local->embedding;
        local.push_back(std::move(o));
    }
    auto eng = engine::engine::load(local);
    if (!eng) {
        fprintf(stderr, "tiergate: %s\n", eng.err().message.c_str());
        return 1;
    }
    providers::registry models;
    for (const auto & host : (*eng)->models()) {
        models.add(std::make_unique<providers::local_provider>(*host));
        TIERGATE_LOG_INFO("model {} loaded from {} ({} slots, {} tokens per slot)", host->name(), host->path(),
                          host->stats().slots, host->ctx_per_slot());
    }
    for (const auto & m : cfg.models) {
        for (const auto & alias : m.aliases) {
            models.add_alias(alias, m.name);
        }
    }

    std::unique_ptr<auth::key_verifier> keys;
    if (cfg.keys.store) {
        auto opened = auth::key_verifier::open(*cfg.keys.store);
        if (!opened) {
            fprintf(stderr, "tiergate: key store %s: %s\n", cfg.keys.store->string().c_str(), opened.err().message.c_str());
            return 2;
        }
        keys = std::move(*opened);
        TIERGATE_LOG_INFO("virtual keys from {} ({} keys)", cfg.keys.store->string(), keys->key_count());
    }
    obs::metrics_registry metrics_registry;
    obs::gateway_metrics metrics(metrics_registry);
    api::routes_options ro;
    ro.metrics_registry = &metrics_registry;
    ro.metrics = &metrics;
    ro.keys = keys.get();
    ro.models_config = &cfg;
    api::routes routes(models, ro);
    api::server_options so;
    so.host = cfg.server.host;
    so.port = static_cast<uint16_t>(cfg.server.port);
    so.max_body_bytes = static_cast<size_t>(cfg.server.max_body_bytes);
    so.io_threads = opts.io_threads > 0 ? opts.io_threads : (cfg.server.threads > 0 ? cfg.server.threads : 1);
    so.header_timeout_s = static_cast<int>(std::max<int64_t>(1, cfg.server.read_timeout.count() / 1000));
    api::http_server server(so, [&routes](api::http_request && req, std::shared_ptr<api::responder> r) {
        routes.handle(std::move(req), std::move(r));
    });
    if (auto started = server.start(); !started) {
        fprintf(stderr, "tiergate: %s\n", started.err().message.c_str());
        return 1;
    }
    TIERGATE_LOG_INFO("listening on http://{}:{} ({} models)", so.host, server.port(), models.all().size());
    // one line on stdout for scripts that start the server on port 0
    printf("tiergate listening on %s:%u\n", so.host.c_str(), server.port());
    fflush(stdout);

    std::thread waiter([&server, signals] {
        int sig = 0;
        sigwait(&signals, &sig);
        TIERGATE_LOG_INFO("signal {}: shutting down", sig);
        server.stop();
    });
    server.run();
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    eng->reset();  // inference threads end; callers still waiting hear about it
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
    cmd->add_option("--io-threads", opts->io_threads, "HTTP I/O threads (default 1)")->check(CLI::Range(0, 64));
    cmd->add_option("--log-level", opts->log_level, "trace|debug|info|warn|error|off");
    cmd->callback([opts] { throw CLI::RuntimeError(serve(*opts)); });
}

}  // namespace tiergate::cli
