#include "cli/gateway_assembly.h"

#include "cache/cache_settings.h"
#include "distill/distill_settings.h"
#include "cli/shared_usage_counter.h"
#include "fleet/make_pool.h"
#include "gateway/gateway_settings.h"
#include "guard/scanner.h"
#include "ledger/budget_memory_counter.h"
#include "ledger/budget_redis_counter.h"
#include "ledger/store.h"
#include "obs/log.h"
#include "providers/local_provider.h"
#include "providers/make_remote_provider.h"
#include "rag/knowledge_settings.h"
#include "rag/store_location.h"
#include "router/route_planner.h"
#include "router/scorer_file.h"
#include "router/router_file.h"

#include <cstdio>
#include <map>

namespace tiergate::cli {

namespace {

std::nullptr_t fail(assembly_failure & failure, std::string message, int code = 2) {
    failure = assembly_failure{std::move(message), code};
    return nullptr;
}

// A connection to the budgets' Redis; a bad URL is a config error (2), an unreachable server 1.
std::unique_ptr<ledger::redis_counter_backend> connect_redis(const std::string & url, assembly_failure & failure) {
    auto endpoint = ledger::parse_redis_url(url);
    if (!endpoint) {
        return fail(failure, "budgets.redis: " + endpoint.err().message);
    }
    auto redis = ledger::redis_counter_backend::connect(*endpoint);
    if (!redis) {
        return fail(failure, "budgets.redis: " + redis.err().message, 1);
    }
    return std::move(*redis);
}

}  // namespace

gateway_assembly::~gateway_assembly() { shutdown(); }

void gateway_assembly::shutdown(const std::function<void()> & calls_ended) {
    if (shut_down_) {
        return;
    }
    shut_down_ = true;
    knowledge_source.reset();  // the searches of chat requests left answer while the gateway still exists
    // Nothing that a call still in flight reaches (the gateway, the ledger) is
    // destroyed before the threads that run calls have ended and the calls
    // they left have been accounted.
    promotions.reset();  // no weights change from here on
    remote.stop();   // remote calls make no more progress
    if (eng) {
        eng->stop();  // inference threads end; callers still waiting hear about it
    }
    remote.close();  // the remote calls left are accounted as cut by the shutdown
    agents.reset();  // agent runs end once their steps have (every step is accounted)
    if (calls_ended) {
        calls_ended();
    }
    if (ledger) {
        ledger->shutdown();  // writes every queued record
        const auto s = ledger->stats();
        TIERGATE_LOG_INFO("ledger: {} records written, {} abandoned", s.written, s.abandoned);
    }
    if (capture) {
        capture->flush();
        const auto s = capture->stats();
        TIERGATE_LOG_INFO("distill capture: {} calls kept, {} dropped (store full), {} dropped (writer behind)", s.kept,
                          s.dropped_full, s.dropped_queue);
    }
}

std::unique_ptr<gateway_assembly> gateway_assembly::build(config::config config_in, assembly_failure & failure) {
    std::unique_ptr<gateway_assembly> built(new gateway_assembly());
    gateway_assembly & a = *built;
    a.cfg = std::move(config_in);
    const config::config & cfg = a.cfg;
    config::config_errors setting_errors(cfg.source);
    gateway::gateway_settings settings = gateway::read_gateway_settings(cfg, setting_errors);
    const auto knowledge_settings = rag::read_knowledge_settings(cfg, setting_errors);
    const auto cache_settings = cache::read_cache_settings(cfg, setting_errors);
    const auto distill_settings = distill::read_distill_settings(cfg, setting_errors);
    auto agent_settings = agents::read_agent_settings(cfg, settings.route.model_name, setting_errors);
    std::map<std::string, fleet::pool_settings> pools;  // by model name
    for (const auto & m : cfg.models) {
        if (auto pool = fleet::read_pool_settings(cfg, m, config::process_env(), setting_errors)) {
            pools.emplace(m.name, std::move(*pool));
        }
    }
    if (!setting_errors.empty()) {
        std::fprintf(stderr, "%s", setting_errors.to_string().c_str());
        return fail(failure, "", 2);
    }
    auto & eng = a.eng;
    auto & remote = a.remote;
    auto & models = a.models;
    auto & metrics_registry = a.metrics_registry;
    auto & metrics = a.metrics;
    auto & ledger = a.ledger;
    auto & knowledge = a.knowledge;
    auto & knowledge_source = a.knowledge_source;
    auto & answers = a.answers;
    auto & gate = a.gate;

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
    if (!local.empty()) {
        auto loaded = engine::engine::load(local);
        if (!loaded) {
            return fail(failure, loaded.err().message, 1);
        }
        eng = std::move(*loaded);
    }
    metrics = std::make_unique<obs::gateway_metrics>(metrics_registry);
    for (const auto & m : cfg.models) {
        if (pools.count(m.name) != 0) {
            continue;  // once every in-process model it may name is loaded
        }
        if (m.provider == config::provider_kind::local) {
            auto host = eng->find(m.name);
            models.add(std::make_unique<providers::local_provider>(*eng, m.name));
            TIERGATE_LOG_INFO("model {} loaded from {} ({} slots, {} tokens per slot)", host->name(), host->path(),
                              host->stats().slots, host->ctx_per_slot());
            continue;
        }
        auto p = providers::make_remote_provider(m, remote);
        if (!p) {
            return fail(failure, "model '" + m.name + "': " + p.err().message);
        }
        models.add(std::move(*p));
        TIERGATE_LOG_INFO("model {} at {} ({}, {})", m.name, m.remote->endpoint, config::to_string(m.provider),
                          config::to_string(m.tier));
    }
    // with budgets in Redis, the pools' RPM/TPM use is counted there too, over a connection of their own
    fleet::shared_count_fn shared_count;
    if (!pools.empty() && !settings.budgets.redis_url.empty()) {
        auto redis = connect_redis(settings.budgets.redis_url, failure);
        if (!redis) {
            return nullptr;
        }
        shared_count = shared_count_in(std::shared_ptr<ledger::counter_backend>(std::move(redis)));
    }
    for (auto & [name, pool] : pools) {
        const auto * m = cfg.find_model(name);
        const size_t size = pool.deployments.size();
        const auto strategy = fleet::to_string(pool.strategy);
        auto p = fleet::make_pool(*m, std::move(pool), models, remote, metrics.get(), shared_count);
        if (!p) {
            return fail(failure, "model '" + name + "': " + p.err().message);
        }
        models.add(std::move(*p));
        TIERGATE_LOG_INFO("model {}: a pool of {} deployments ({}, {})", name, size, strategy,
                          config::to_string(m->tier));
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
            return fail(failure, "router file " + settings.route.learned->file + ": " + file.err().message);
        }
        learned = std::make_unique<router::learned_router>(std::move(*file));
    }
    std::unique_ptr<router::answer_scorer> scorer;
    if (settings.route.cascade && settings.route.cascade->scorer) {
        const std::string & path = settings.route.cascade->scorer->file;
        auto file = router::load_scorer(path);
        if (!file) {
            return fail(failure, "scorer file " + path + ": " + file.err().message);
        }
        scorer = std::make_unique<router::answer_scorer>(std::move(*file));
    }
    parts.planner = std::make_unique<router::route_planner>(settings.route, router::route_models(cfg), std::move(learned),
                                                            std::move(scorer));
    auto scanner = guard::scanner::make({}, settings.guard.custom_patterns);
    if (!scanner) {
        return fail(failure, "guard: " + scanner.err().message);
    }
    parts.scanner = std::make_unique<guard::scanner>(std::move(*scanner));
    parts.guard = settings.guard;
    parts.budget = settings.budgets;
    // with a key store, the admin API may set budgets later: the counters exist from the start
    if (settings.budgets.any() || !settings.budgets.redis_url.empty() || cfg.keys.store) {
        if (!settings.budgets.redis_url.empty()) {
            auto redis = connect_redis(settings.budgets.redis_url, failure);
            if (!redis) {
                return nullptr;
            }
            parts.counters = std::move(redis);
            TIERGATE_LOG_INFO("budget counters in Redis at {}", settings.budgets.redis_url);
        } else {
            parts.counters = std::make_unique<ledger::memory_counter_backend>();
        }
    }
    parts.metrics = metrics.get();
    if (!cfg.ledger.store.empty()) {
        auto store = ledger::open_store(cfg.ledger.store);
        if (!store) {
            return fail(failure, "ledger.store: " + store.err().message, 1);
        }
        ledger::ledger_writer_options lo;
        lo.max_batch_age = cfg.ledger.group_commit;
        lo.metrics = metrics.get();
        ledger = std::make_unique<ledger::ledger_writer>(std::move(*store), lo);
        parts.ledger = ledger.get();
        TIERGATE_LOG_INFO("usage ledger: {} (group commit {} ms)", cfg.ledger.store, cfg.ledger.group_commit.count());
    }
    gateway::gateway_embedder * knowledge_embedder = nullptr;  // bound to the gateway once it exists
    if (knowledge_settings) {
        std::unique_ptr<gateway::gateway_embedder> model;
        if (!knowledge_settings->embedding_model.empty()) {
            const std::string & name = knowledge_settings->embedding_model;
            rag::token_counter count = rag::estimate_token_count;
            if (eng && eng->find(name)) {
                // the model's own tokenizer (as it serves now); a long piece (the
                // chunker cuts it at words anyway) is estimated, so the count stays linear
                count = [e = eng.get(), name](std::string_view text) -> size_t {
                    auto host = text.size() > 8192 ? nullptr : e->find(name);
                    return host ? host->tokenize(text, false, false).size() : rag::estimate_token_count(text);
                };
            }
            const auto * configured = cfg.find_model(name);
            const bool on_prem = configured && configured->residency == config::data_residency::on_prem;
            model = std::make_unique<gateway::gateway_embedder>(name, on_prem, std::move(count));
            knowledge_embedder = model.get();
        }
        auto opened = rag::knowledge_base::open(*knowledge_settings, std::move(model));
        if (!opened) {
            return fail(failure, "retrieval.store: " + opened.err().message, 1);
        }
        knowledge = std::move(*opened);
        if (auto ok = knowledge->check_attachments(); !ok) {
            return fail(failure, ok.err().message);
        }
        parts.attached = knowledge_settings->attached;
        knowledge_source = std::make_unique<rag::knowledge_context>(*knowledge);
        parts.knowledge = knowledge_source.get();
        TIERGATE_LOG_INFO("files and vector stores in {} ({}), embedded with {}", knowledge->store_location(),
                          knowledge->store_backend(),
                          knowledge_embedder ? knowledge_embedder->model() : "the built-in lexical embedder");
    }
    if (cache_settings) {
        answers = std::make_unique<cache::answer_store>(*cache_settings);
        parts.cache = answers.get();
        TIERGATE_LOG_INFO("answer cache: up to {} answers for {} s{}", cache_settings->max_entries,
                          cache_settings->ttl.count(), cache_settings->semantic ? ", semantic matches" : "");
    }
    if (distill_settings && distill_settings->capture) {
        const auto & capture_settings = distill_settings->capture;
        auto store = distill::open_capture_store(capture_settings->store);
        if (!store) {
            return fail(failure, store.err().message, 1);
        }
        a.capture = std::make_unique<distill::capture_recorder>(std::move(*store), *capture_settings);
        parts.capture = a.capture.get();
        TIERGATE_LOG_INFO("distill capture: into {} (sample {}, up to {} MiB)", rag::store_label(capture_settings->store),
                          capture_settings->rules.sample, capture_settings->max_bytes >> 20);
    }
    if (distill_settings && eng) {
        // the promoted weights of each local model, now and as they change
        auto log = distill::open_promotion_log(distill_settings->store);
        if (!log) {
            return fail(failure, log.err().message, 1);
        }
        a.promotions = std::make_unique<distill::promotion_watcher>(
            std::move(*log), eng->names(),
            [e = eng.get()](const distill::promotion & p) {
                return e->replace(p.model, p.path, "v" + std::to_string(p.version));
            });
        a.promotions->start();
    }
    gate = std::make_unique<gateway::gateway>(std::move(parts));
    if (knowledge_embedder) {
        knowledge_embedder->bind(*gate);
    }
    if (agent_settings) {
        const size_t specialists = agent_settings->specialists.size();
        auto team = agents::agent_team::make(*gate, cfg, std::move(*agent_settings), knowledge_source.get(), metrics.get());
        if (!team) {
            return fail(failure, team.err().message, 1);
        }
        a.agents = std::move(*team);
        TIERGATE_LOG_INFO("agents: {} specialists, serving {}", specialists, [&] {
            std::string names;
            for (const auto & n : a.agents->model_names()) {
                names += (names.empty() ? "" : ", ") + n;
            }
            return names;
        }());
    }

    return built;
}

}  // namespace tiergate::cli
