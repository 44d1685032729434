#include "agents/orchestrator.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include "core/call_text.h"
#include "obs/log.h"

namespace tiergate::agents {

namespace {

struct subtask_state {
    bool done = false;
    bool failed = false;
    std::string text;
    std::string why;  // failed: the last error
};

bool contains(const std::vector<std::string> & list, const std::string & v) {
    return std::find(list.begin(), list.end(), v) != list.end();
}

void add_tokens(usage & into, const usage & u) {
    into.prompt_tokens += u.prompt_tokens;
    into.completion_tokens += u.completion_tokens;
}

}  // namespace

orchestrator::orchestrator(agent_runtime & runtime, const orchestrator_settings & settings,
                           const router::intent_classifier * intents)
    : rt_(runtime), settings_(settings), intents_(intents) {}

const plan_rule * orchestrator::rule_for(const std::string & request_text) const {
    std::optional<router::intent_decision> d;
    if (intents_ != nullptr) {
        d = intents_->classify(request_text);
    }
    for (const auto & r : settings_.rules) {
        if (r.intents.empty() && r.domains.empty()) {
            return &r;
        }
        if (d && !d->out_of_scope && (contains(r.intents, d->intent) || contains(r.domains, d->domain))) {
            return &r;
        }
    }
    return nullptr;
}

nlohmann::json orchestrator::explain(const generation_call & call) const {
    nlohmann::json j = {{"orchestrator", settings_.name}, {"planner", settings_.planner}};
    const plan_rule * r = rule_for(last_user_text(call));
    if (r == nullptr) {
        j["rule"] = nullptr;
        return j;
    }
    nlohmann::json steps = nlohmann::json::array();
    for (const auto & s : r->steps) {
        steps.push_back({{"id", s.id}, {"specialist", s.specialist}, {"after", s.after}});
    }
    j["rule"] = {{"steps", steps}};
    return j;
}

result<plan> orchestrator::plan_for(run_context & run, const generation_call & client, const std::string & request_text,
                                    run_budget & budget, plan_outcome & out) {
    const auto & all = rt_.settings().specialists;
    std::optional<error> planner_error;
    if (!settings_.planner.empty()) {
        std::vector<std::string> names;
        std::string roster;
        for (const auto & s : all) {
            names.push_back(s.name);
            roster += "- " + s.name + ": " + (s.description.empty() ? std::string("(no description)") : s.description) + "\n";
        }
        generation_call call;
        call.model = settings_.planner;
        call.task = "agent:plan";
        call.params.max_tokens = 1024;
        call.params.temperature = 0.0f;
        call.params.format.type = response_format::kind::json_schema;
        call.params.format.schema_name = "plan";
        call.params.format.schema_json = plan_schema_json(names, settings_.max_subtasks);
        call.messages.push_back(chat_message{
            "system",
            "You split a request into subtasks for specialists. Specialists:\n" + roster +
                "Answer with JSON only: {\"subtasks\": [{\"id\": \"s1\", \"specialist\": <name>, \"instruction\": <what "
                "to do>, \"after\": [<ids of subtasks whose results it needs>]}]}. At most " +
                std::to_string(settings_.max_subtasks) + " subtasks; use as few as the request needs.",
            "", {}, "", {}});
        call.messages.push_back(chat_message{"user", request_text, "", {}, "", {}});
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto answer = rt_.model_step(run, "", "", call, budget);
            add_tokens(out.tokens, answer.end.tokens);
            if (!answer.ok()) {
                planner_error = answer.end.failure;
                break;
            }
            auto p = parse_plan(answer.text, rt_.settings(), settings_.max_subtasks);
            if (p) {
                return p;
            }
            planner_error = p.err();
            TIERGATE_LOG_WARN("request {}: planner answer refused: {}", run.request.request_id, p.err().message);
            // once more, told what was wrong
            call.messages.push_back(chat_message{"assistant", answer.text.substr(0, 4096), "", {}, "", {}});
            call.messages.push_back(chat_message{"user", p.err().message + ". Answer again with a valid plan.", "", {}, "", {}});
        }
    }
    if (const plan_rule * r = rule_for(request_text)) {
        return check_plan(r->steps, rt_.settings(), settings_.max_subtasks);
    }
    if (planner_error) {
        return error{error_kind::upstream, "the planner gave no usable plan: " + planner_error->message, "",
                     "plan_failed", {}};
    }
    return error{error_kind::invalid_request, "no orchestrator rule covers this request", "model", "no_plan", {}};
}

plan_outcome orchestrator::run(run_context & run, const generation_call & client) {
    plan_outcome out;
    run_budget budget(settings_.max_cost_usd, nullptr);
    const std::string request_text = last_user_text(client);
    auto p = plan_for(run, client, request_text, budget, out);
    if (!p) {
        out.failure = p.err();
        return out;
    }
    out.subtasks = static_cast<int>(p->steps.size());
    std::vector<subtask_state> state(p->steps.size());
    std::mutex mu;
    auto run_subtask = [&](size_t i) {
        const auto & step = p->steps[i];
        const auto * s = rt_.find(step.specialist);
        std::string ask = "Your task: " + step.instruction + "\n\nThe original request: " + request_text;
        bool skip = false;
        {
            std::lock_guard lock(mu);
            for (const auto & a : step.after) {
                for (size_t j = 0; j < p->steps.size(); ++j) {
                    if (p->steps[j].id != a) {
                        continue;
                    }
                    if (state[j].failed) {
                        skip = true;
                    }
                    ask += "\n\nResult of " + a + " (" + p->steps[j].specialist + "):\n" + state[j].text;
                }
            }
        }
        if (skip) {
            std::lock_guard lock(mu);
            state[i].failed = true;
            state[i].why = "skipped: a subtask it needs failed";
            return;
        }
        generation_call plain;
        plain.params.max_tokens = client.params.max_tokens.value_or(1024);
        plain.task = client.task;
        std::string why;
        for (int attempt = 0; attempt <= settings_.retries; ++attempt) {
            if (run.cancelled() || std::chrono::steady_clock::now() >= run.deadline) {
                why = "the plan's deadline passed";
                break;
            }
            std::vector<chat_message> messages{chat_message{"user", ask, "", {}, "", {}}};
            auto r = rt_.run_specialist(*s, run, std::move(messages), plain, &budget, 1);
            std::lock_guard lock(mu);
            add_tokens(out.tokens, r.tokens);
            if (r.ok()) {
                state[i].done = true;
                state[i].text = r.text;
                if (!r.model.empty()) {
                    out.model = r.model;
                }
                return;
            }
            why = r.failure->message;
            if (r.failure->code == "agent_budget_exceeded") {
                break;  // trying again cannot help
            }
        }
        std::lock_guard lock(mu);
        state[i].failed = true;
        state[i].why = why;
    };
    for (const auto & wave : p->waves) {
        if (wave.size() == 1) {
            run_subtask(wave.front());
            continue;
        }
        std::vector<std::thread> threads;
        threads.reserve(wave.size());
        for (size_t i : wave) {
            threads.emplace_back(run_subtask, i);
        }
        for (auto & t : threads) {
            t.join();
        }
    }
    std::string results;
    std::string missing;
    size_t last_done = p->steps.size();
    for (size_t i = 0; i < p->steps.size(); ++i) {
        const auto & st = p->steps[i];
        if (state[i].done) {
            results += "Result of " + st.id + " (" + st.specialist + "): " + state[i].text + "\n\n";
            last_done = i;
        } else {
            ++out.failed;
            missing += "- " + st.id + " (" + st.specialist + "): " + state[i].why + "\n";
        }
    }
    out.partial = out.failed > 0;
    if (last_done == p->steps.size()) {
        out.failure = error{error_kind::upstream, "every subtask of the plan failed:\n" + missing, "", "plan_failed", {}};
        return out;
    }
    const std::string composer = !settings_.composer.empty() ? settings_.composer : settings_.planner;
    if (!composer.empty() && (p->steps.size() > 1 || out.partial)) {
        generation_call call;
        call.model = composer;
        call.task = "agent:compose";
        call.params.max_tokens = client.params.max_tokens.value_or(1024);
        call.messages.push_back(chat_message{
            "system", "Write the answer to the request from the results of the subtasks. Say plainly what is missing.",
            "", {}, "", {}});
        call.messages.push_back(chat_message{
            "user", "Request: " + request_text + "\n\n" + results + (missing.empty() ? "" : "Missing:\n" + missing), "",
            {}, "", {}});
        auto answer = rt_.model_step(run, "", "", call, budget);
        add_tokens(out.tokens, answer.end.tokens);
        if (answer.ok()) {
            out.text = answer.text;
            out.model = answer.end.model;
        }
    }
    if (out.text.empty()) {
        // no composer (or it failed): the results as they are
        out.text = p->steps.size() == 1 ? state[last_done].text : results;
    }
    if (out.partial) {
        out.text += "\n\n[incomplete: " + std::to_string(out.failed) + " of " + std::to_string(out.subtasks) +
                    " subtasks did not finish]\n" + missing;
    }
    return out;
}

}  // namespace tiergate::agents
