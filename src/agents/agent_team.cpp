#include "agents/agent_team.h"

#include <algorithm>
#include <mutex>

#include "agents/builtin_tools.h"
#include "core/call_text.h"
#include "obs/log.h"

namespace tiergate::agents {

namespace {

void finish(generation_observer & observer, generation_end end) { observer.on_end(std::move(end)); }

generation_end failed(error e) {
    generation_end end;
    end.finish_reason = "error";
    end.failure = std::move(e);
    return end;
}

}  // namespace

result<std::unique_ptr<agent_team>> agent_team::make(gateway::gateway & gate, const config::config & cfg,
                                                     agent_settings settings, context_source * knowledge,
                                                     obs::gateway_metrics * metrics) {
    std::map<std::string, std::unique_ptr<sql_database>> databases;
    for (const auto & [name, d] : settings.databases) {
        auto db = sql_database::open(d);
        if (!db) {
            return error{db.err().kind, "agents.databases." + name + ": " + db.err().message, "", db.err().code, {}};
        }
        databases.emplace(name, std::move(*db));
    }
    std::unique_ptr<router::intent_classifier> intents;
    if (settings.intents) {
        auto loaded = router::intent_classifier::load(settings.intents->router);
        if (!loaded) {
            return error::invalid("agents.intents.router " + settings.intents->router + ": " + loaded.err().message);
        }
        intents = std::make_unique<router::intent_classifier>(std::move(*loaded));
    }
    auto runtime = std::make_unique<agent_runtime>(gate, cfg, std::move(settings), std::move(databases), knowledge, metrics);
    return std::unique_ptr<agent_team>(new agent_team(gate, cfg, std::move(runtime), std::move(intents)));
}

agent_team::agent_team(gateway::gateway & gate, const config::config & cfg, std::unique_ptr<agent_runtime> runtime,
                       std::unique_ptr<router::intent_classifier> intents)
    : gate_(gate), cfg_(cfg), runtime_(std::move(runtime)), intents_(std::move(intents)) {
    const auto & s = runtime_->settings();
    if (s.orchestrator) {
        orchestrator_ = std::make_unique<orchestrator>(*runtime_, *s.orchestrator, intents_.get());
    }
    const size_t n = static_cast<size_t>(s.max_concurrent);
    workers_ = std::make_unique<work_queue>(n, n);
}

agent_team::~agent_team() { workers_.reset(); }

bool agent_team::serves(const std::string & model) const {
    const auto & s = runtime_->settings();
    if (model.rfind(agent_model_prefix, 0) == 0) {
        return s.find(model.substr(std::char_traits<char>::length(agent_model_prefix))) != nullptr;
    }
    return (s.intents && model == s.intents->model_name) || (s.orchestrator && model == s.orchestrator->name);
}

std::vector<std::string> agent_team::model_names() const {
    const auto & s = runtime_->settings();
    std::vector<std::string> out;
    for (const auto & sp : s.specialists) {
        out.push_back(agent_model_prefix + sp.name);
    }
    if (s.intents) {
        out.push_back(s.intents->model_name);
    }
    if (s.orchestrator) {
        out.push_back(s.orchestrator->name);
    }
    return out;
}

const specialist_settings * agent_team::specialist_for(const router::intent_decision & d) const {
    if (d.out_of_scope) {
        return nullptr;
    }
    for (const auto & s : runtime_->settings().specialists) {
        if (std::find(s.intents.begin(), s.intents.end(), d.intent) != s.intents.end() ||
            (!d.domain.empty() && std::find(s.domains.begin(), s.domains.end(), d.domain) != s.domains.end())) {
            return &s;
        }
    }
    return nullptr;
}

result<bool> agent_team::check_call(const generation_call & call) const {
    if (call.kind != request_kind::chat) {
        return error::invalid("the agent model '" + call.model + "' takes chat messages, not a prompt", "model",
                              "unsupported_model");
    }
    if (call.messages.empty()) {
        return error::invalid("messages must not be empty", "messages");
    }
    for (const auto & t : call.tools) {
        if (is_builtin_tool(t.name)) {
            return error::invalid("the tool name '" + t.name + "' is the agents' own; give your tool another name",
                                  "tools", "reserved_tool_name");
        }
    }
    if (call.retrieval) {
        return error::invalid("agent models search through their own collections; tiergate.retrieval is not taken",
                              "tiergate.retrieval");
    }
    return true;
}

void agent_team::generate(gateway::request_context ctx, generation_call call,
                          std::shared_ptr<gateway::response_route> route,
                          std::shared_ptr<generation_observer> observer) {
    if (auto ok = check_call(call); !ok) {
        return finish(*observer, failed(ok.err()));
    }
    const auto & s = runtime_->settings();
    const specialist_settings * specialist = nullptr;
    route->trace_id = ctx.request_id;
    if (call.model.rfind(agent_model_prefix, 0) == 0) {
        specialist = s.find(call.model.substr(std::char_traits<char>::length(agent_model_prefix)));
        route->route = "agent:" + specialist->name;
    } else if (s.intents && call.model == s.intents->model_name) {
        const auto d = intents_->classify(last_user_text(call));
        route->intent = d.intent;
        specialist = specialist_for(d);
        if (specialist == nullptr) {
            // out of scope, or no specialist serves it: an ordinary request to the default model
            call.model = s.intents->default_model.empty() ? gate_.router_model_name() : s.intents->default_model;
            route->trace_id.clear();
            return gate_.generate(std::move(ctx), std::move(call), std::move(route), std::move(observer));
        }
        route->route = "intent:" + d.intent;
    } else {
        route->route = "plan:" + s.orchestrator->name;
    }
    route->tier = "agent";
    route->model = specialist != nullptr ? agent_model_prefix + specialist->name : call.model;
    route->agent = specialist != nullptr ? specialist->name : std::string();
    if (call.task.empty() && ctx.headers != nullptr) {
        if (auto it = ctx.headers->find("x-tiergate-task"); it != ctx.headers->end()) {
            call.task = it->second;
        }
    }
    auto run = std::make_shared<run_context>();
    run->request = std::move(ctx);
    run->request.headers = nullptr;  // the request's headers do not outlive this call
    const int deadline_ms = specialist == nullptr && s.orchestrator
                                ? s.orchestrator->deadline_ms
                                : static_cast<int>(cfg_.server.request_timeout.count());
    run->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
    run->client = observer;
    if (call.stream) {
        auto mu = std::make_shared<std::mutex>();
        run->progress = [observer, mu](generation_delta && d) {
            std::lock_guard lock(*mu);
            observer->on_delta(std::move(d));
        };
    }
    auto job = [this, run, call = std::move(call), route, specialist]() mutable {
        start(run, std::move(call), route, specialist);
    };
    if (!workers_->post(std::move(job))) {
        return finish(*observer, failed(error{error_kind::unavailable,
                                              "every agent worker is busy (" + std::to_string(s.max_concurrent) +
                                                  "); retry shortly",
                                              "", "agents_busy", 1}));
    }
}

void agent_team::start(std::shared_ptr<run_context> run, generation_call call,
                       std::shared_ptr<gateway::response_route> route, const specialist_settings * specialist) {
    auto & observer = *run->client;
    const auto started = std::chrono::steady_clock::now();
    const std::string label = specialist != nullptr ? specialist->name : call.model;
    std::string text;
    std::vector<tool_call> client_calls;
    generation_end end;
    std::string outcome = "ok";
    if (specialist != nullptr) {
        auto messages = call.messages;
        auto r = runtime_->run_specialist(*specialist, *run, std::move(messages), call, nullptr, 0);
        text = std::move(r.text);
        client_calls = std::move(r.client_tool_calls);
        end.finish_reason = r.finish_reason;
        end.tokens = r.tokens;
        end.model = r.model;
        end.failure = r.failure;
        outcome = r.failure ? "failed" : client_calls.empty() ? "ok" : "tool_calls";
    } else {
        auto r = orchestrator_->run(*run, call);
        text = std::move(r.text);
        end.finish_reason = "stop";
        end.tokens = r.tokens;
        end.model = r.model;
        end.failure = r.failure;
        outcome = r.failure ? "failed" : r.partial ? "partial" : "ok";
    }
    end.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (auto * m = runtime_->metrics()) {
        m->agent_runs.with({label, outcome}).inc();
        m->agent_run_seconds.with({label}).observe(end.total_ms / 1000.0);
    }
    if (end.failure) {
        end.finish_reason = "error";
        return observer.on_end(std::move(end));
    }
    generation_delta d;
    d.model = end.model;
    d.content = std::move(text);
    int index = run->progress_index.load();
    for (const auto & c : client_calls) {
        d.tool_calls.push_back(tool_call_delta{index++, c.id, c.name, c.arguments});
    }
    if (!d.content.empty() || !d.tool_calls.empty()) {
        if (run->progress) {
            run->progress(std::move(d));
        } else {
            observer.on_delta(std::move(d));
        }
    }
    observer.on_end(std::move(end));
}

result<nlohmann::json> agent_team::explain(const gateway::request_context & ctx, const generation_call & call) const {
    if (auto ok = check_call(call); !ok) {
        return ok.err();
    }
    const auto & s = runtime_->settings();
    nlohmann::json j;
    const specialist_settings * specialist = nullptr;
    if (call.model.rfind(agent_model_prefix, 0) == 0) {
        specialist = s.find(call.model.substr(std::char_traits<char>::length(agent_model_prefix)));
    } else if (s.intents && call.model == s.intents->model_name) {
        const auto d = intents_->classify(last_user_text(call));
        j["intent"] = {{"intent", d.intent}, {"domain", d.domain}, {"confidence", d.confidence},
                       {"out_of_scope", d.out_of_scope}};
        specialist = specialist_for(d);
        if (specialist == nullptr) {
            generation_call plain = call;
            plain.model = s.intents->default_model.empty() ? gate_.router_model_name() : s.intents->default_model;
            auto decision = gate_.explain(ctx, plain);
            if (!decision) {
                return decision.err();
            }
            j["route"] = *decision;
            return j;
        }
    } else {
        j["plan"] = orchestrator_->explain(call);
        return j;
    }
    j["agent"] = {{"name", specialist->name}, {"model", specialist->model}, {"tools", specialist->tools},
                  {"max_steps", specialist->max_steps}};
    return j;
}

}  // namespace tiergate::agents
