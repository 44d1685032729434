#include "agents/agent_runtime.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <limits>

#include "agents/builtin_tools.h"
#include "obs/log.h"
#include "providers/token_estimate.h"

namespace tiergate::agents {

namespace {

constexpr size_t max_tool_result_bytes = 32 * 1024;

std::string cut(std::string text, size_t limit) {
    if (text.size() > limit) {
        text.resize(limit);
        text += "\n[cut at " + std::to_string(limit) + " bytes]";
    }
    return text;
}

}  // namespace

agent_runtime::agent_runtime(gateway::gateway & gate, const config::config & cfg, agent_settings settings,
                             std::map<std::string, std::unique_ptr<sql_database>> databases,
                             context_source * knowledge, obs::gateway_metrics * metrics)
    : gate_(gate), cfg_(cfg), settings_(std::move(settings)), databases_(std::move(databases)), knowledge_(knowledge),
      metrics_(metrics) {
    for (const auto & [name, price] : gate_.prices().models) {
        priciest_.input_usd_per_mtok = std::max(priciest_.input_usd_per_mtok, price.input_usd_per_mtok);
        priciest_.output_usd_per_mtok = std::max(priciest_.output_usd_per_mtok, price.output_usd_per_mtok);
    }
}

int agent_runtime::max_depth() const { return settings_.orchestrator ? settings_.orchestrator->max_depth : 2; }

ledger::model_price agent_runtime::price_of(const std::string & model) const {
    const auto * m = cfg_.find_model(model);
    if (m == nullptr) {
        return priciest_;  // the router's name: it may pick any model
    }
    return gate_.prices().find(m->name).value_or(ledger::model_price{});
}

double agent_runtime::max_cost_of(const generation_call & call) const {
    const auto price = price_of(call.model);
    const double in = providers::estimate_tokens(providers::prompt_bytes(call));
    const double out = call.params.max_tokens.value_or(1024);
    return (in * price.input_usd_per_mtok + out * price.output_usd_per_mtok) / 1e6;
}

step_answer agent_runtime::model_step(run_context & run, const std::string & agent, const std::string & guard_policy,
                                      generation_call call, run_budget & budget) {
    // the step's output is held to what the budget has left
    if (!call.params.max_tokens) {
        call.params.max_tokens = 1024;
    }
    const double remaining = budget.remaining();
    const auto price = price_of(call.model);
    if (remaining < std::numeric_limits<double>::infinity() && price.output_usd_per_mtok > 0.0) {
        const double prompt_cost =
            providers::estimate_tokens(providers::prompt_bytes(call)) * price.input_usd_per_mtok / 1e6;
        const double affordable = (remaining - prompt_cost) / (price.output_usd_per_mtok / 1e6);
        if (affordable < 16.0) {
            step_answer refused;
            refused.end.finish_reason = "error";
            refused.end.failure = error{error_kind::rate_limited,
                                        "the agent budget of $" + std::to_string(budget.limit()) +
                                            " is spent (run total $" + std::to_string(budget.spent()) + ")",
                                        "", "agent_budget_exceeded", {}};
            return refused;
        }
        call.params.max_tokens = std::min<int>(*call.params.max_tokens, static_cast<int>(affordable));
    }
    const double reserved = max_cost_of(call);
    if (!budget.reserve(reserved)) {
        step_answer refused;
        refused.end.finish_reason = "error";
        refused.end.failure = error{error_kind::rate_limited, "the agent budget is spent", "", "agent_budget_exceeded", {}};
        return refused;
    }
    gateway::request_context ctx;
    ctx.who = run.request.who;
    ctx.headers = nullptr;  // routing rules see the step, not the client's headers
    ctx.arrival_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    ctx.trace_id = run.request.request_id;
    ctx.request_id = run.request.request_id + "." + std::to_string(++run.step_number);
    ctx.agent = agent;
    ctx.guard_policy = guard_policy;
    const std::string label = agent.empty() ? std::string("-") : agent;
    auto answer = call_step(gate_, std::move(ctx), std::move(call), run.deadline, 
                            [held = run.shared_from_this()] { return held->cancelled(); });
    const double spent = gate_.prices().cost_usd(answer.end.model, answer.end.tokens.prompt_tokens,
                                                 answer.end.tokens.completion_tokens);
    budget.settle(reserved, spent);
    if (metrics_ != nullptr) {
        metrics_->agent_steps.with({label, "model"}).inc();
        metrics_->agent_cost_usd.with({label}).inc(spent);
        if (!answer.ok()) {
            metrics_->agent_step_failures.with({label, "model"}).inc();
        }
    }
    return answer;
}

std::vector<std::string> agent_runtime::delegates_of(const specialist_settings & s) const {
    if (std::find(s.tools.begin(), s.tools.end(), "call_specialist") == s.tools.end()) {
        return {};
    }
    if (!s.delegates.empty()) {
        return s.delegates;
    }
    std::vector<std::string> out;
    for (const auto & other : settings_.specialists) {
        if (other.name != s.name) {
            out.push_back(other.name);
        }
    }
    return out;
}

specialist_result agent_runtime::run_specialist(const specialist_settings & s, run_context & run,
                                                std::vector<chat_message> messages, const generation_call & client,
                                                run_budget * parent, int depth) {
    specialist_result out;
    run_budget budget(s.max_cost_usd, parent);
    const auto delegates = depth < max_depth() ? delegates_of(s) : std::vector<std::string>{};
    auto tools = builtin_tool_definitions(s, delegates);
    std::vector<std::string> builtin;
    for (const auto & t : tools) {
        builtin.push_back(t.name);
    }
    for (const auto & t : client.tools) {
        tools.push_back(t);
    }
    generation_call call;
    call.kind = request_kind::chat;
    call.model = s.model;
    call.params = client.params;
    call.params.logprobs = false;
    call.params.top_logprobs = 0;
    call.task = client.task.empty() ? "agent:" + s.name : client.task;
    call.use_cache = client.use_cache;
    call.tools = tools;
    call.parallel_tool_calls = client.parallel_tool_calls;
    if (!s.system.empty()) {
        call.messages.push_back(chat_message{"system", s.system, "", {}, "", {}});
    }
    for (auto & m : messages) {
        call.messages.push_back(std::move(m));
    }
    for (int step = 1;; ++step) {
        if (run.cancelled()) {
            out.failure = error{error_kind::timeout, "the client went away", "", "cancelled", {}};
            return out;
        }
        const bool last = step >= s.max_steps;
        call.choice = client.choice;
        if (call.tools.empty() || last) {
            // the last step answers: no more tools
            call.tools.clear();
            call.choice = tool_choice{};
            call.parallel_tool_calls.reset();
        }
        auto answer = model_step(run, s.name, s.guard_policy, call, budget);
        ++out.steps;
        out.tokens.prompt_tokens += answer.end.tokens.prompt_tokens;
        out.tokens.completion_tokens += answer.end.tokens.completion_tokens;
        if (!answer.end.model.empty()) {
            out.model = answer.end.model;
        }
        if (!answer.ok()) {
            out.failure = answer.end.failure;
            return out;
        }
        std::vector<tool_call> mine;
        std::vector<tool_call> theirs;
        for (auto & c : answer.tool_calls) {
            (std::find(builtin.begin(), builtin.end(), c.name) != builtin.end() ? mine : theirs).push_back(c);
        }
        if (!theirs.empty()) {
            // the client's own tools: its turn (calls of ours in the same turn are left)
            out.text = std::move(answer.text);
            out.client_tool_calls = std::move(theirs);
            out.finish_reason = "tool_calls";
            return out;
        }
        if (mine.empty() || last) {
            out.text = std::move(answer.text);
            out.finish_reason = answer.end.finish_reason == "length" ? "length" : "stop";
            return out;
        }
        chat_message assistant{"assistant", answer.text, "", mine, "", {}};
        call.messages.push_back(std::move(assistant));
        for (auto & c : mine) {
            if (c.id.empty()) {
                c.id = "call_" + std::to_string(run.step_number.load()) + "_" + c.name;
            }
            if (run.progress) {
                generation_delta d;
                d.tool_calls.push_back(tool_call_delta{run.progress_index++, "tgstep_" + c.id, c.name, c.arguments});
                run.progress(std::move(d));
            }
            bool failed = false;
            std::string result = run_tool(s, run, c, budget, depth, failed);
            if (metrics_ != nullptr) {
                metrics_->agent_steps.with({s.name, c.name}).inc();
                if (failed) {
                    metrics_->agent_step_failures.with({s.name, c.name}).inc();
                }
            }
            call.messages.push_back(chat_message{"tool", cut(std::move(result), max_tool_result_bytes), c.name, {}, c.id, {}});
        }
    }
}

std::string agent_runtime::run_tool(const specialist_settings & s, run_context & run, const tool_call & call,
                                    run_budget & budget, int depth, bool & failed) {
    auto fail = [&](const error & e) {
        failed = true;
        return "error: " + e.message;
    };
    if (call.name == "sql_query") {
        auto args = parse_sql_query_args(call.arguments);
        if (!args) {
            return fail(args.err());
        }
        auto it = databases_.find(s.database);
        if (it == databases_.end()) {
            return fail(error::invalid("no database '" + s.database + "'"));
        }
        auto rows = it->second->query(args->query);
        if (!rows) {
            return fail(rows.err());
        }
        return *rows;
    }
    if (call.name == "retrieve") {
        auto args = parse_retrieve_args(call.arguments, s.collections);
        if (!args) {
            return fail(args.err());
        }
        return retrieve(run, args->collection, args->query, args->k, failed);
    }
    if (call.name == "call_specialist") {
        auto args = parse_call_specialist_args(call.arguments, delegates_of(s));
        if (!args) {
            return fail(args.err());
        }
        const auto * other = find(args->specialist);
        if (other == nullptr || depth + 1 > max_depth()) {
            return fail(error::invalid("delegation deeper than " + std::to_string(max_depth()) + " levels"));
        }
        generation_call plain;
        plain.params.max_tokens = 1024;
        std::vector<chat_message> ask{chat_message{"user", args->instruction, "", {}, "", {}}};
        auto r = run_specialist(*other, run, std::move(ask), plain, &budget, depth + 1);
        if (!r.ok()) {
            return fail(*r.failure);
        }
        return r.text;
    }
    return fail(error::invalid("unknown tool '" + call.name + "'"));
}

std::string agent_runtime::retrieve(run_context & run, const std::string & collection, const std::string & query, int k,
                                    bool & failed) {
    if (knowledge_ == nullptr) {
        failed = true;
        return "error: retrieval is not configured";
    }
    knowledge_caller caller;
    caller.who = run.request.who;
    caller.team = run.request.who ? run.request.who->team : std::string();
    caller.request_id = run.request.request_id;
    retrieval_request request;
    request.collections = {collection};
    request.k = k;
    auto promise = std::make_shared<std::promise<result<retrieved_context>>>();
    auto future = promise->get_future();
    knowledge_->retrieve(caller, request, query,
                         [promise](result<retrieved_context> r) { promise->set_value(std::move(r)); });
    if (future.wait_until(run.deadline) != std::future_status::ready) {
        failed = true;
        return "error: the search ran past the run's deadline";
    }
    auto found = future.get();
    if (!found) {
        failed = true;
        return "error: " + found.err().message;
    }
    if (found->passages.empty()) {
        return "no passages found";
    }
    std::string out;
    int n = 0;
    for (const auto & p : found->passages) {
        out += "[" + std::to_string(++n) + "] " + (p.source.title.empty() ? p.source.document_id : p.source.title) +
               "\n" + p.text + "\n\n";
    }
    return out;
}

}  // namespace tiergate::agents
