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
#include "gateway/gateway.h"
#include "gateway/gateway_settings.h"
#include "cache/cache_settings.h"
#include "gateway/gateway_embedder.h"
#include "rag/knowledge_context.h"
#include "rag/knowledge_settings.h"
#include "guard/scanner.h"
#include "ledger/budget_memory_counter.h"
#include "ledger/budget_redis_counter.h"
#include "ledger/ledger_writer.h"
#include "ledger/store.h"
#include "obs/gateway_metrics.h"
#include "obs/log.h"
#include "obs/metrics_registry.h"
#include "providers/local_provider.h"
#include "providers/make_remote_provider.h"
#include "providers/registry.h"
#include "providers/remote_context.h"
#include "router/route_planner.h"
#include "router/router_file.h"

namespace tiergate::cli {

namespace {

struct serve_options {
    std::string config_file;
    std::string host;
    int port = -1;
    int io_threads = 0;
    std::string log_level = "info";
    int drain_ms = 30'000;
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
    if (auto policy = auth::check_key_policy(cfg); !policy) {
        return fail(policy.err().message);
    }
    if (cfg.models.empty()) {
        return fail("no models to serve (" + cfg.source + "); put GGUF files in " + cfg.model_dir.string() +
                    " or set TIERGATE_MODEL_DIR");
    }
    config::config_errors setting_errors(cfg.source);
    gateway::gateway_settings settings = gateway::read_gateway_settings(cfg, setting_errors);
    const auto knowledge_settings = rag::read_knowledge_settings(cfg, setting_errors);
    const auto cache_settings = cache::read_cache_settings(cfg, setting_errors);
    if (!setting_errors.empty()) {
        fprintf(stderr, "%s", setting_errors.to_string().c_str());
        return 2;
    }

    // Signals go to one waiting thread, not to the I/O or inference threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    // local models in the engine, remote ones behind the shared HTTP client
    std::vector<engine::model_options> local;
    for (const auto & m : cfg.models) {
        if (m.provider != config::provider_kind::local) {
            continue;
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
    std::unique_ptr<engine::engine> eng;
    if (!local.empty()) {
        auto loaded = engine::engine::load(local);
        if (!loaded) {
            return fail(loaded.err().message, 1);
        }
        eng = std::move(*loaded);
    }
    providers::remote_context remote = providers::remote_context::make();
    providers::registry models;
    for (const auto & m : cfg.models) {
        if (m.provider == config::provider_kind::local) {
            auto * host = eng->find(m.name);
            models.add(std::make_unique<providers::local_provider>(*host));
            TIERGATE_LOG_INFO("model {} loaded from {} ({} slots, {} tokens per slot)", host->name(), host->path(),
                              host->stats().slots, host->ctx_per_slot());
            continue;
        }
        auto p = providers::make_remote_provider(m, remote);
        if (!p) {
            return fail("model '" + m.name + "': " + p.err().message);
        }
        models.add(std::move(*p));
        TIERGATE_LOG_INFO("model {} at {} ({}, {})", m.name, m.remote->endpoint, config::to_string(m.provider),
                          config::to_string(m.tier));
    }
    for (const auto & m : cfg.models) {
        for (const auto & alias : m.aliases) {
            models.add_alias(alias, m.name);
        }
    }

    // the gateway's parts
    gateway::gateway_parts parts;
    parts.cfg = &cfg;
    parts.models = &models;
    std::unique_ptr<router::learned_router> learned;
    if (settings.route.learned) {
        auto file = router::load_router(settings.route.learned->file);
        if (!file) {
            return fail("router file " + settings.route.learned->file + ": " + file.err().message);
        }
        learned = std::make_unique<router::learned_router>(std::move(*file));
    }
    parts.planner = std::make_unique<router::route_planner>(settings.route, router::route_models(cfg), std::move(learned));
    auto scanner = guard::scanner::make({}, settings.guard.custom_patterns);
    if (!scanner) {
        return fail("guard: " + scanner.err().message);
    }
    parts.scanner = std::make_unique<guard::scanner>(std::move(*scanner));
    parts.guard = settings.guard;
    parts.budget = settings.budgets;
    if (settings.budgets.any()) {
        if (!settings.budgets.redis_url.empty()) {
            auto endpoint = ledger::parse_redis_url(settings.budgets.redis_url);
            if (!endpoint) {
                return fail("budgets.redis: " + endpoint.err().message);
            }
            auto redis = ledger::redis_counter_backend::connect(*endpoint);
            if (!redis) {
                return fail("budgets.redis: " + redis.err().message, 1);
            }
            parts.counters = std::move(*redis);
            TIERGATE_LOG_INFO("budget counters in Redis at {}", settings.budgets.redis_url);
        } else {
            parts.counters = std::make_unique<ledger::memory_counter_backend>();
        }
    }
    obs::metrics_registry metrics_registry;
    obs::gateway_metrics metrics(metrics_registry);
    parts.metrics = &metrics;
    std::unique_ptr<ledger::ledger_writer> ledger;
    if (!cfg.ledger.store.empty()) {
        auto store = ledger::open_store(cfg.ledger.store);
        if (!store) {
            return fail("ledger.store: " + store.err().message, 1);
        }
        ledger::ledger_writer_options lo;
        lo.max_batch_age = cfg.ledger.group_commit;
        lo.metrics = &metrics;
        ledger = std::make_unique<ledger::ledger_writer>(std::move(*store), lo);
        parts.ledger = ledger.get();
        TIERGATE_LOG_INFO("usage ledger: {} (group commit {} ms)", cfg.ledger.store, cfg.ledger.group_commit.count());
    }
    std::unique_ptr<rag::knowledge_base> knowledge;
    std::unique_ptr<api::knowledge_routes> knowledge_api;
    std::unique_ptr<rag::knowledge_context> knowledge_source;
    gateway::gateway_embedder * knowledge_embedder = nullptr;  // bound to the gateway once it exists
    if (knowledge_settings) {
        std::unique_ptr<gateway::gateway_embedder> model;
        if (!knowledge_settings->embedding_model.empty()) {
            const std::string & name = knowledge_settings->embedding_model;
            rag::token_counter count = rag::estimate_token_count;
            if (auto * host = eng ? eng->find(name) : nullptr) {
                // the model's own tokenizer; a long piece (the chunker cuts it
                // at words anyway) is estimated, so the count stays linear
                count = [host](std::string_view text) {
                    return text.size() > 8192 ? rag::estimate_token_count(text)
                                              : host->tokenize(text, false, false).size();
                };
            }
            model = std::make_unique<gateway::gateway_embedder>(name, std::move(count));
            knowledge_embedder = model.get();
        }
        auto opened = rag::knowledge_base::open(*knowledge_settings, std::move(model));
        if (!opened) {
            return fail("retrieval.store: " + opened.err().message, 1);
        }
        knowledge = std::move(*opened);
        if (auto ok = knowledge->check_attachments(); !ok) {
            return fail(ok.err().message);
        }
        parts.attached = knowledge_settings->attached;
        knowledge_api = std::make_unique<api::knowledge_routes>(*knowledge);
        knowledge_source = std::make_unique<rag::knowledge_context>(*knowledge);
        parts.knowledge = knowledge_source.get();
        TIERGATE_LOG_INFO("files and vector stores in {} ({}), embedded with {}", knowledge->store_location(),
                          knowledge->store_backend(),
                          knowledge_embedder ? knowledge_embedder->model() : "the built-in lexical embedder");
    }
    std::unique_ptr<cache::answer_store> answers;
    if (cache_settings) {
        answers = std::make_unique<cache::answer_store>(*cache_settings);
        parts.cache = answers.get();
        TIERGATE_LOG_INFO("answer cache: up to {} answers for {} s{}", cache_settings->max_entries,
                          cache_settings->ttl.count(), cache_settings->semantic ? ", semantic matches" : "");
    }
    gateway::gateway gate(std::move(parts));
    if (knowledge_embedder) {
        knowledge_embedder->bind(gate);
    }

    std::unique_ptr<auth::key_verifier> keys;
    if (cfg.keys.store) {
        auto opened = auth::key_verifier::open(*cfg.keys.store);
        if (!opened) {
            return fail("key store " + cfg.keys.store->string() + ": " + opened.err().message);
        }
        keys = std::move(*opened);
        TIERGATE_LOG_INFO("virtual keys from {} ({} keys)", cfg.keys.store->string(), keys->key_count());
    }
    api::routes_options ro;
    ro.knowledge = knowledge_api.get();
    ro.metrics_registry = &metrics_registry;
    ro.keys = keys.get();
    if (ledger) {
        const size_t high_water = ledger->options().queue_capacity - ledger->options().queue_capacity / 8;
        ro.overloaded = [w = ledger.get(), high_water] { return w->stats().queue_depth >= high_water; };
    }
    api::routes routes(models, gate, ro);
    api::server_options so;
    so.host = cfg.server.host;
    so.port = static_cast<uint16_t>(cfg.server.port);
    so.max_body_bytes = static_cast<size_t>(cfg.server.max_body_bytes);
    so.io_threads = opts.io_threads > 0 ? opts.io_threads : (cfg.server.threads > 0 ? cfg.server.threads : 1);
    so.read_timeout = cfg.server.read_timeout;
    so.idle_timeout = cfg.server.idle_timeout;
    so.error_body = api::error_body_for;
    api::http_server server(so, [&routes](api::http_request && req, std::shared_ptr<api::responder> r) {
        routes.handle(std::move(req), std::move(r));
    });
    if (auto started = server.start(); !started) {
        return fail(started.err().message, 1);
    }
    TIERGATE_LOG_INFO("listening on http://{}:{} ({} models, route with model \"{}\")", so.host, server.port(),
                      models.all().size(), gate.router_model_name());
    // one line on stdout for scripts that start the server on port 0
    printf("tiergate listening on %s:%u\n", so.host.c_str(), server.port());
    fflush(stdout);

    // SIGTERM/SIGINT: stop accepting, let the requests in flight finish, then stop.
    const auto drain = std::chrono::milliseconds(opts.drain_ms);
    std::thread waiter([&server, signals, drain] {
        int sig = 0;
        sigwait(&signals, &sig);
        TIERGATE_LOG_INFO("signal {}: draining (up to {} ms)", sig, drain.count());
        if (!server.drain(drain)) {
            TIERGATE_LOG_WARN("{} requests still running at shutdown", server.requests_in_flight());
        }
    });
    server.run();
    waiter.join();
    knowledge_api.reset();     // the file and vector store jobs left answer while the server still exists
    knowledge_source.reset();  // and so do the searches of chat requests
    // Nothing that a call still in flight reaches (the server's connections,
    // the gateway, the ledger) is destroyed before the threads that run calls
    // have ended and the calls they left have been accounted.
    remote.stop();  // remote calls make no more progress
    eng.reset();    // inference threads end; callers still waiting hear about it
    remote.close(); // the remote calls the drain left are accounted as cut by the shutdown
    if (ledger) {
        ledger->shutdown();  // writes every queued record
        const auto s = ledger->stats();
        TIERGATE_LOG_INFO("ledger: {} records written, {} abandoned", s.written, s.abandoned);
    }
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
    cmd->add_option("--drain-ms", opts->drain_ms, "on SIGTERM, how long requests in flight may take to finish")
        ->check(CLI::Range(0, 3'600'000));
    cmd->callback([opts] { throw CLI::RuntimeError(serve(*opts)); });
}

}  // namespace tiergate::cli
