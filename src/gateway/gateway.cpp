#include "gateway/gateway.h"

#include <algorithm>
#include <set>

#include "gateway/accounted_observer.h"
#include "gateway/call_guard.h"
#include "gateway/caching_observer.h"
#include "gateway/capturing_provider.h"
#include "gateway/cascade_run.h"
#include "core/call_text.h"
#include "gateway/gateway_accounting.h"
#include "gateway/retrieval_context.h"
#include "gateway/guarded_provider.h"
#include "guard/apply_policy.h"
#include "providers/fallback_chain.h"
#include "providers/token_estimate.h"

namespace tiergate::gateway {

namespace {

const std::string keyless_id = "keyless";

std::map<std::string, int64_t> pii_counts(const guard::guard_result & r) {
    std::map<std::string, int64_t> out;
    for (auto type : guard::all_entity_types) {
        if (r.found[guard::index_of(type)] > 0) {
            out[std::string(guard::to_string(type))] = r.found[guard::index_of(type)];
        }
    }
    return out;
}

void fail_observer(generation_observer & o, error e) {
    generation_end end;
    end.finish_reason = "error";
    end.failure = std::move(e);
    o.on_end(std::move(end));
}

}  // namespace

struct gateway::impl {
    gateway_parts parts;
    std::unique_ptr<ledger::budget_enforcer> enforcer;
    std::unique_ptr<gateway_accounting> accounting;
    std::map<std::string, guard::guard_policy> on_prem_policies;  // by policy name
    std::vector<providers::provider *> providers;                 // by planner index
    std::vector<const config::model_config *> entries;            // by planner index

    // Everything decided before a call starts.
    struct prepared {
        generation_call call;
        std::shared_ptr<const guarded_call> guarded;  // null when the guard is off
        guard::guard_result guard_result;
        std::string policy_name;
        router::routing_decision decision;
        std::optional<ledger::reservation> held;
        std::vector<bool> key_allows;
        ledger::usage_record record;  // request fields filled
        std::vector<std::string> on_prem_collections;  // retrieval read these: on-prem models only
        bool look_up = false;                  // consult the answer cache (generate, not explain)
        std::string cache_state;               // exact | semantic | miss | bypass; empty: no cache
        std::optional<cache_ticket> ticket;    // keep the answer under these keys
        std::optional<cache_hit> hit;          // the answer, from the cache
        bool cache_concealed = false;          // the cache holds this call in its placeholders
        std::shared_ptr<const capture_context> capture;  // the distillation capture keeps this request's calls
    };

    // The cache applies to a call unless it holds data the guard keeps
    // on-prem (`sensitive`: such values are never retained beyond the
    // request), or the client says `Cache-Control: no-cache` (a fresh answer,
    // still kept) or `no-store` (neither read nor kept), or
    // `tiergate.cache: false`. A call whose values the guard pseudonymizes is
    // looked up and kept in its pseudonymized form (placeholders for the
    // values, in the question and in the answer), restored per request: the
    // cache holds none of the values, and calls that differ only in them share
    // an entry.
    void consult_cache(prepared & p, const request_context & ctx, const std::string & team, bool sensitive) {
        if (!parts.cache || !p.look_up) {
            return;
        }
        bool read = p.call.use_cache;
        bool write = p.call.use_cache;
        if (ctx.headers) {
            if (auto it = ctx.headers->find("cache-control"); it != ctx.headers->end()) {
                read = read && it->second.find("no-cache") == std::string::npos &&
                       it->second.find("no-store") == std::string::npos;
                write = write && it->second.find("no-store") == std::string::npos;
            }
        }
        if (sensitive || (!read && !write)) {
            p.cache_state = "bypass";
            return;
        }
        cache_ticket ticket;
        std::optional<generation_call> concealed;
        if (p.guarded && p.guarded->pseudonymized()) {
            concealed = p.guarded->egress;
            concealed->model = p.call.model;
            p.cache_concealed = true;
        }
        auto hit = parts.cache->find(team, concealed ? *concealed : p.call, ticket);
        if (hit && p.cache_concealed) {
            hit->answer.text = p.guarded->names->restore(hit->answer.text);
        }
        if (hit && read) {
            // a key may receive only what its scope lets it use
            auto i = index_of(hit->answer.model);
            if (i && (p.key_allows.empty() || p.key_allows[*i]) &&
                !(p.guard_result.on_prem_only && external(*i))) {
                p.cache_state = hit->kind;
                p.hit = std::move(hit);
                return;
            }
        }
        p.cache_state = read ? "miss" : "bypass";
        if (write && !ticket.exact.empty()) {
            p.ticket = std::move(ticket);
        }
    }

    // Answers from the cache: no model, no reservation, cost 0 in the ledger.
    void serve_cached(prepared & p, const request_context & ctx, response_route & route, generation_observer & observer) {
        const auto & hit = *p.hit;
        route.model = hit.answer.model;
        const auto * m = parts.cfg->find_model(hit.answer.model);
        route.tier = m ? config::to_string(m->tier) : std::string();
        route.route = "cache:" + hit.kind;
        route.cache = hit.kind;
        const double elapsed =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ctx.start).count();
        replay_answer(hit.answer, observer, elapsed);
        p.record.route = "cache";
        char reason[64];
        snprintf(reason, sizeof(reason), "%s %.3f", hit.kind.c_str(), hit.similarity);
        p.record.route_reason = reason;
        p.record.cache = hit.kind;
        p.record.model = hit.answer.model;
        p.record.final_tier = accounting->tier_of(hit.answer.model);
        p.record.provider = accounting->provider_of(hit.answer.model);
        p.record.input_tokens = hit.answer.tokens.prompt_tokens;
        p.record.output_tokens = hit.answer.tokens.completion_tokens;
        p.record.status.http_status = 200;
        p.record.latency_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ctx.start).count();
        p.record.ttft_ms = elapsed;
        std::optional<ledger::reservation> none;
        accounting->finish(p.record, none);
    }

    explicit impl(gateway_parts p) : parts(std::move(p)) {
        if (parts.counters) {
            enforcer = std::make_unique<ledger::budget_enforcer>(parts.budget.limits, *parts.counters);
        }
        accounting = std::make_unique<gateway_accounting>(*parts.cfg, enforcer.get(), parts.ledger, parts.metrics);
        for (const auto & [name, policy] : parts.guard.policies) {
            on_prem_policies[name] = on_prem_variant(policy);
        }
        for (const auto & m : parts.planner->models()) {
            entries.push_back(parts.cfg->find_model(m.name));
            providers.push_back(parts.models->find(m.name));
        }
    }

    std::optional<size_t> index_of(const std::string & name) const {
        const auto * m = parts.cfg->find_model(name);
        return m ? parts.planner->find(m->name) : std::nullopt;
    }

    bool external(size_t i) const { return entries[i]->residency == config::data_residency::external; }

    bool usable(const prepared & p, size_t i) const {
        if (!p.key_allows.empty() && !p.key_allows[i]) {
            return false;
        }
        if (p.guard_result.on_prem_only && external(i)) {
            return false;
        }
        return providers[i] != nullptr;
    }

    // The model and its fallbacks (transitively, in order), as the request may use them.
    std::vector<size_t> options_for(const prepared & p, size_t model) const {
        std::vector<size_t> out;
        std::set<size_t> seen;
        std::vector<size_t> stack{model};
        auto visit = [&](auto & self, size_t i) -> void {
            if (!seen.insert(i).second) {
                return;
            }
            if (i == model || usable(p, i)) {
                out.push_back(i);
            }
            for (const auto & f : entries[i]->fallbacks) {
                if (auto j = index_of(f)) {
                    self(self, *j);
                }
            }
        };
        visit(visit, model);
        return out;
    }

    double max_cost(const prepared & p, size_t model, int64_t prompt_tokens, int64_t max_out) const {
        double worst = 0.0;
        for (size_t i : options_for(p, model)) {
            const auto & price = entries[i]->price;
            worst = std::max(worst, (price.input_per_mtok * prompt_tokens + price.output_per_mtok * max_out) / 1e6);
        }
        return worst;
    }

    void fill_record(prepared & p, const request_context & ctx, const std::string & key_id, const std::string & team) {
        p.record.request_id = ctx.request_id;
        p.record.time_ms = ctx.arrival_ms;
        p.record.key_id = key_id;
        p.record.team = team;
        p.record.trace_id = ctx.trace_id;
        p.record.agent = ctx.agent;
        p.record.pii_counts = pii_counts(p.guard_result);
    }

    // Records a request that ends before any model was called.
    void refuse(prepared & p, const request_context & ctx, const error & e) const {
        p.record.status.http_status = http_status(e.kind);
        p.record.status.error_code = e.code;
        p.record.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ctx.start).count();
        if (p.record.route.empty()) {
            p.record.route = "refused";
        }
        if (!p.record.model.empty()) {
            p.record.final_tier = accounting->tier_of(p.record.model);
            p.record.provider = accounting->provider_of(p.record.model);
        }
        std::optional<ledger::reservation> none;
        accounting->finish(p.record, none);
    }

    // What a request the guard blocked carried: the counts are recorded, the values never.
    template <class Texts, class TextOf>
    void note_blocked(prepared & p, const guard::guard_policy & policy, const Texts & texts, TextOf text_of) const {
        guard::pseudonymizer names;
        for (const auto & t : texts) {
            const std::string & text = text_of(t);
            p.guard_result.merge(guard::apply_policy(text, parts.scanner->scan(text), policy, names).result);
        }
    }

    static error counters_unavailable(const error & e) {
        return error{error_kind::unavailable, "budget counters are unavailable: " + e.message, "", "budget_unavailable",
                     1};
    }

    // The 429 of a refused reservation, counted in the metrics and noted in the record.
    error budget_refusal(prepared & p, const ledger::budget_decision & d) const {
        const auto & limit = *d.limit;
        if (parts.metrics) {
            parts.metrics->budget_rejections.with({std::string(ledger::to_string(limit.scope)),
                                                   std::string(ledger::to_string(limit.kind))})
                .inc();
        }
        p.record.route = "budget";
        p.record.route_reason = std::string(ledger::to_string(limit.kind));
        return ledger::budget_error(d);
    }

    // Guard and router; the reservation when budgets apply. An error ends the request.
    result<bool> prepare(prepared & p, const request_context & ctx, bool reserve) {
        const std::string key_id = ctx.who ? ctx.who->key_id : keyless_id;
        const std::string team = ctx.who ? ctx.who->team : std::string();
        const auto & models = parts.planner->models();
        if (ctx.who) {
            p.key_allows.resize(models.size());
            for (size_t i = 0; i < models.size(); ++i) {
                p.key_allows[i] = ctx.who->scope.allows_model(models[i].name) && ctx.who->scope.allows_tier(models[i].tier);
            }
        }
        // guard
        if (parts.guard.enabled && parts.scanner) {
            const auto & policy = parts.guard.policy_for(key_id, team, p.call.model, &p.policy_name, ctx.guard_policy);
            auto g = guard_call(*parts.scanner, policy, on_prem_policies.at(p.policy_name), p.call);
            if (!g) {
                note_blocked(p, policy, p.call.messages, [](const chat_message & m) -> const std::string & { return m.content; });
                fill_record(p, ctx, key_id, team);
                p.record.route = "guard";
                p.record.route_reason = "blocked";
                return g.err();
            }
            p.guard_result = g->result;
            p.guarded = std::make_shared<const guarded_call>(std::move(*g));
        }
        fill_record(p, ctx, key_id, team);
        const bool data_on_prem = p.guard_result.on_prem_only;
        if (!p.on_prem_collections.empty()) {
            p.guard_result.on_prem_only = true;
        }
        // router
        const std::string conversation = joined_text(p.call);
        const std::string prompt = last_user_text(p.call);
        router::route_request r;
        if (p.call.model != parts.planner->router_model_name()) {
            r.pinned = index_of(p.call.model);
        }
        r.headers = ctx.headers;
        r.user = p.call.params.user;
        r.conversation_text = conversation;
        r.prompt_text = prompt;
        r.prompt_tokens = providers::estimate_tokens(providers::prompt_bytes(p.call));
        r.json_schema = p.call.params.format.type != response_format::kind::text;
        r.tools = !p.call.tools.empty();
        r.tool_definitions = &p.call.tools;
        r.images = carries_media(p.call, content_part::kind::image);
        r.audio = carries_media(p.call, content_part::kind::audio);
        r.key_allows = p.key_allows.empty() ? nullptr : &p.key_allows;
        r.on_prem_only = p.guard_result.on_prem_only;
        if (r.on_prem_only) {
            std::string reason = data_on_prem ? guard::describe_counts(p.guard_result.found) : std::string();
            for (const auto & c : p.on_prem_collections) {
                reason += (reason.empty() ? "passages from the on-prem-only vector store " : ", ") + c;
            }
            r.on_prem_reason = std::move(reason);
        }
        consult_cache(p, ctx, team, data_on_prem || p.guard_result.blocked);
        if (p.hit) {
            return true;
        }
        p.decision = parts.planner->plan(r);
        auto note_decision = [&] {
            p.record.route = p.decision.stage.empty() ? "refused" : p.decision.stage;
            p.record.route_reason = p.decision.reason;
            if (p.decision.model) {
                p.record.model = models[*p.decision.model].name;
            }
        };
        note_decision();
        if (p.decision.refusal) {
            return *p.decision.refusal;
        }
        if (!reserve || !enforcer || !enforcer->applies(key_id, team)) {
            return true;
        }
        // budgets: reserve the most this request can cost, on every limit that applies
        if (!p.call.params.max_tokens) {
            p.call.params.max_tokens = parts.budget.default_max_tokens;
        }
        const int64_t max_out = *p.call.params.max_tokens;
        for (int round = 0; round < 2; ++round) {
            double cost = max_cost(p, *p.decision.model, r.prompt_tokens, max_out);
            int64_t tokens = r.prompt_tokens + max_out;
            if (p.decision.escalate_to) {
                // every model of the cascade may answer
                int64_t calls = 2;
                cost += max_cost(p, *p.decision.escalate_to, r.prompt_tokens, max_out);
                if (p.decision.partner) {
                    cost += max_cost(p, *p.decision.partner, r.prompt_tokens, max_out);
                    ++calls;
                }
                for (size_t m : p.decision.through) {
                    cost += max_cost(p, m, r.prompt_tokens, max_out);
                    ++calls;
                }
                tokens *= calls;
            }
            auto d = enforcer->reserve({key_id, team, cost, tokens, 0});
            if (!d) {
                return counters_unavailable(d.err());
            }
            if (d->verdict == ledger::budget_verdict::allowed) {
                p.held = std::move(d->held);
                return true;
            }
            const auto & limit = *d->limit;
            if (d->verdict == ledger::budget_verdict::rejected || round == 1) {
                return budget_refusal(p, *d);
            }
            // degrade: route again with the SLM tier only
            if (parts.metrics) {
                parts.metrics->budget_degradations.with({std::string(ledger::to_string(limit.scope)),
                                                         std::string(ledger::to_string(limit.kind))})
                    .inc();
            }
            r.budget_degraded = true;
            r.budget_reason = std::string(ledger::to_string(limit.scope)) + " " + limit.id + " " +
                              std::string(ledger::to_string(limit.kind));
            p.decision = parts.planner->plan(r);
            note_decision();
            if (p.decision.refusal) {
                return *p.decision.refusal;
            }
        }
        return true;
    }

    // What the model `i` is called through: itself, or itself seen by the
    // distillation capture when the request is captured.
    // An on-prem model receives the values the guard pseudonymizes for
    // external ones: its calls are not captured then (the capture keeps the
    // egress form only), unless the request is one the guard keeps on-prem and
    // the capture's rules took it anyway (`on_prem: true`).
    providers::provider & captured(const prepared & p, size_t i, const char * role, accounted_observer & acc) {
        if (!p.capture ||
            (!external(i) && p.guarded && p.guarded->pseudonymized() && !p.guard_result.on_prem_only)) {
            return *providers[i];
        }
        auto c = std::make_shared<capturing_provider>(*providers[i], p.capture,
                                                      std::string(config::to_string(entries[i]->tier)), role);
        acc.keep_alive(c);
        return *c;
    }

    // Whether the distillation capture keeps this request; what it records of it.
    void consult_capture(prepared & p, const request_context & ctx) {
        if (!parts.capture) {
            return;
        }
        capture_scope scope;
        scope.route = p.call.model;
        scope.key_id = p.record.key_id;
        scope.team = p.record.team;
        scope.task = p.call.task;
        if (ctx.headers) {
            if (auto it = ctx.headers->find("x-tiergate-task"); it != ctx.headers->end()) {
                scope.task = it->second;
            }
        }
        scope.on_prem_only = p.guard_result.on_prem_only;
        if (!parts.capture->wants(scope)) {
            return;
        }
        auto c = std::make_shared<capture_context>();
        c->sink = parts.capture;
        c->prices = &accounting->prices();
        c->request.request_id = ctx.request_id;
        c->request.task = scope.task;
        c->request.team = scope.team;
        c->request.key_id = scope.key_id;
        c->request.route = scope.route;
        c->request.decision = p.decision.route_header();
        p.capture = std::move(c);
    }

    // The model with its fallbacks, each through the guard, kept alive by `acc`.
    providers::provider & chain(const prepared & p, size_t model, accounted_observer & acc) {
        std::vector<providers::provider *> options;
        for (size_t i : options_for(p, model)) {
            auto guarded = std::make_shared<guarded_provider>(captured(p, i, "teacher", acc), external(i), p.guarded);
            options.push_back(guarded.get());
            acc.keep_alive(guarded);
        }
        auto c = std::make_shared<providers::fallback_chain>(*options.front(),
                                                             std::vector<providers::provider *>(options.begin() + 1, options.end()));
        acc.keep_alive(c);
        return *c;
    }

    // The cascade: the held models are each tried alone (a failure moves on
    // to the next stage); the last model answers through its fallback chain.
    void start_cascade(prepared & p, size_t model, const std::shared_ptr<accounted_observer> & acc) {
        const auto & settings = *parts.planner->settings().cascade;
        const router::answer_scorer * scorer = parts.planner->scorer();
        auto member = [&](size_t i) {
            auto guarded = std::make_shared<guarded_provider>(captured(p, i, "student", *acc), external(i), p.guarded);
            acc->keep_alive(guarded);
            std::string name = entries[i]->name;
            if (settings.scorer) {
                if (auto it = settings.scorer->names.find(name); it != settings.scorer->names.end()) {
                    name = it->second;
                }
            }
            return cascade_member{guarded.get(), std::move(name)};
        };
        cascade_plan plan;
        plan.settings = &settings;
        plan.scorer = settings.scorer ? scorer : nullptr;
        plan.held.push_back({member(model)});
        if (p.decision.partner) {
            plan.held.back().push_back(member(*p.decision.partner));
        }
        for (size_t m : p.decision.through) {
            plan.held.push_back({member(m)});
        }
        plan.last = &chain(p, *p.decision.escalate_to, *acc);
        if (plan.scorer != nullptr) {
            // thresholds are per configured held stage; a middle stage left out drops its own
            const std::vector<double> all = cascade_thresholds(settings, &plan.scorer->model());
            plan.thresholds.push_back(all[0]);
            for (size_t m : p.decision.through) {
                const auto at = std::find(settings.through.begin(), settings.through.end(), entries[m]->name);
                plan.thresholds.push_back(all[1 + static_cast<size_t>(at - settings.through.begin())]);
            }
        }
        auto report = std::make_shared<cascade_report>();
        acc->set_cascade(report);
        run_cascade(std::move(plan), p.call, acc, std::move(report));
    }

    // Routes and starts the call; `context` is what retrieval added to it.
    void start(request_context ctx, generation_call call, const retrieved_context & context,
               std::shared_ptr<response_route> route, std::shared_ptr<generation_observer> observer) {
        prepared p;
        p.call = std::move(call);
        p.on_prem_collections = context.on_prem_collections;
        p.record.retrieved = retrieved_ids(context);
        p.look_up = true;
        auto ready = prepare(p, ctx, true);
        if (parts.metrics && (p.cache_state == "exact" || p.cache_state == "semantic" || p.cache_state == "miss")) {
            parts.metrics->cache_lookups.with({p.cache_state}).inc();
        }
        route->cache = p.cache_state;
        if (!ready) {
            refuse(p, ctx, ready.err());
            return fail_observer(*observer, ready.err());
        }
        if (p.hit) {
            return serve_cached(p, ctx, *route, *observer);
        }
        if (p.ticket) {
            caching_observer::keep_fn keep_as;
            if (p.cache_concealed) {
                // the answer in the conversation's placeholders. Kept only from
                // an external model (it saw the placeholders, never the values:
                // an on-prem model's answer may hold what it derived from them),
                // and not when it still holds anything the policy does not let
                // through as it is
                keep_as = [this, names = p.guarded->names, scanner = parts.scanner.get(),
                           policy = &parts.guard.policy_named(p.policy_name)](
                              const std::string & answer, const std::string & model) -> std::optional<std::string> {
                    const auto i = index_of(model);
                    if (!i || !external(*i)) {
                        return std::nullopt;
                    }
                    std::string concealed = names->conceal(answer);
                    for (const auto & f : scanner->scan(concealed)) {
                        if (guard::action_for(*policy, f) != guard::policy_action::allow) {
                            return std::nullopt;
                        }
                    }
                    return concealed;
                };
            }
            observer = std::make_shared<caching_observer>(std::move(observer), *parts.cache, std::move(*p.ticket),
                                                          std::move(keep_as));
        }
        consult_capture(p, ctx);
        const size_t model = *p.decision.model;
        const auto & models = parts.planner->models();
        route->model = models[model].name;
        route->tier = config::to_string(models[model].tier);
        route->route = p.decision.route_header();
        auto acc = std::make_shared<accounted_observer>(std::move(observer), *accounting, p.record, std::move(p.held),
                                                        route, ctx.start);
        if (parts.cfg->server.request_timeout.count() > 0) {
            acc->set_deadline(ctx.start + parts.cfg->server.request_timeout, parts.cfg->server.request_timeout);
        }
        if (p.decision.escalate_to && parts.planner->settings().cascade) {
            return start_cascade(p, model, acc);
        }
        chain(p, model, *acc).generate(p.call, acc);
    }
};

gateway::gateway(gateway_parts parts) : impl_(std::make_unique<impl>(std::move(parts))) {}
gateway::~gateway() = default;

bool gateway::knows_model(const std::string & name) const {
    return name == impl_->parts.planner->router_model_name() || impl_->index_of(name).has_value();
}

const ledger::price_table & gateway::prices() const { return impl_->accounting->prices(); }

const std::string & gateway::router_model_name() const { return impl_->parts.planner->router_model_name(); }

ledger::budget_enforcer * gateway::budgets() const { return impl_->enforcer.get(); }

void gateway::generate(request_context ctx, generation_call call, std::shared_ptr<response_route> route,
                       std::shared_ptr<generation_observer> observer) {
    auto & d = *impl_;
    if (!call.retrieval) {
        const auto * attached = d.parts.attached.for_call(ctx.who ? ctx.who->key_id : keyless_id,
                                                          ctx.who ? ctx.who->team : std::string(), call.model);
        if (attached == nullptr) {
            return d.start(std::move(ctx), std::move(call), {}, std::move(route), std::move(observer));
        }
        call.retrieval = *attached;
        call.retrieval->by_policy = true;
    }
    if (d.parts.knowledge == nullptr) {
        impl::prepared p;
        d.fill_record(p, ctx, ctx.who ? ctx.who->key_id : keyless_id, ctx.who ? ctx.who->team : std::string());
        p.record.route = "retrieval";
        const error e = error::invalid("retrieval needs a knowledge store: add a `retrieval:` section to the config",
                                       "tiergate.retrieval", "retrieval_not_configured");
        d.refuse(p, ctx, e);
        return fail_observer(*observer, e);
    }
    const std::string query = last_user_text(call);
    if (query.empty()) {
        return d.start(std::move(ctx), std::move(call), {}, std::move(route), std::move(observer));
    }
    // the search may finish on another thread, after the request's headers are gone
    std::shared_ptr<const std::map<std::string, std::string>> headers;
    if (ctx.headers) {
        headers = std::make_shared<const std::map<std::string, std::string>>(*ctx.headers);
        ctx.headers = headers.get();
    }
    const std::string team = ctx.who ? ctx.who->team : std::string();
    const retrieval_request request = *call.retrieval;
    auto pending = std::make_shared<generation_call>(std::move(call));
    d.parts.knowledge->retrieve(
        knowledge_caller{team, ctx.who, ctx.request_id}, request, query,
        [&d, ctx, headers, pending, route, observer](result<retrieved_context> found) mutable {
            if (!found) {
                impl::prepared p;
                d.fill_record(p, ctx, ctx.who ? ctx.who->key_id : keyless_id, ctx.who ? ctx.who->team : std::string());
                p.record.route = "retrieval";
                d.refuse(p, ctx, found.err());
                return fail_observer(*observer, found.err());
            }
            add_passages(*pending, *found);
            for (const auto & passage : found->passages) {
                route->citations.push_back(passage.source);
            }
            d.start(std::move(ctx), std::move(*pending), std::move(*found), std::move(route), std::move(observer));
        });
}

void gateway::embed(request_context ctx, embedding_call call, std::shared_ptr<response_route> route,
                    std::function<void(result<embedding_result>)> done) {
    auto & d = *impl_;
    impl::prepared p;
    const std::string key_id = ctx.who ? ctx.who->key_id : keyless_id;
    const std::string team = ctx.who ? ctx.who->team : std::string();
    // a request refused before the model is called is in the ledger too
    auto refused = [&](const error & e, const char * route_name) {
        d.fill_record(p, ctx, key_id, team);
        p.record.route = route_name;
        d.refuse(p, ctx, e);
        done(e);
    };
    auto idx = d.index_of(call.model);
    if (!idx) {
        return refused(error{error_kind::not_found, "the model '" + call.model + "' does not exist", "model",
                             "model_not_found", {}},
                       "refused");
    }
    const auto & m = d.parts.planner->models()[*idx];
    p.record.model = m.name;
    if (ctx.who && !(ctx.who->scope.allows_model(m.name) && ctx.who->scope.allows_tier(m.tier))) {
        return refused(error{error_kind::permission, "this API key may not use the model '" + m.name + "'", "model",
                             "model_not_allowed", {}},
                       "refused");
    }
    std::vector<std::string> inputs = call.inputs;
    if (d.parts.guard.enabled && d.parts.scanner && !call.inputs.empty()) {
        const auto & policy = d.parts.guard.policy_for(key_id, team, call.model, &p.policy_name);
        auto g = guard_inputs(*d.parts.scanner, policy, d.on_prem_policies.at(p.policy_name), call.inputs);
        if (!g) {
            d.note_blocked(p, policy, call.inputs, [](const std::string & in) -> const std::string & { return in; });
            p.record.route_reason = "blocked";
            return refused(g.err(), "guard");
        }
        p.guard_result = g->result;
        if (g->result.on_prem_only && d.external(*idx)) {
            return refused(error{error_kind::permission,
                                 "the input carries data that must stay on-prem (" +
                                     guard::describe_counts(g->result.found) + ") and the model '" + m.name +
                                     "' is external",
                                 "model", "on_prem_only", {}},
                           "refused");
        }
        inputs = d.external(*idx) ? std::move(g->egress) : std::move(g->on_prem);
    }
    call.inputs = std::move(inputs);
    d.fill_record(p, ctx, key_id, team);
    p.record.route = "embeddings";
    route->model = m.name;
    route->tier = config::to_string(m.tier);
    route->route = "pinned:" + m.name;
    // budgets: reserve the inputs' estimated cost. An embedding does not
    // degrade to another model: its vectors would not be comparable.
    auto held = std::make_shared<std::optional<ledger::reservation>>();
    if (d.enforcer) {
        int64_t tokens = 0;
        for (const auto & in : call.inputs) {
            tokens += providers::estimate_tokens(in.size());
        }
        const double cost = d.entries[*idx]->price.input_per_mtok * static_cast<double>(tokens) / 1e6;
        auto decision = d.enforcer->reserve({key_id, team, cost, tokens, 0});
        if (!decision || decision->verdict != ledger::budget_verdict::allowed) {
            const error e = decision ? d.budget_refusal(p, *decision) : impl::counters_unavailable(decision.err());
            d.refuse(p, ctx, e);
            return done(e);
        }
        *held = std::move(decision->held);
    }
    auto record = std::make_shared<ledger::usage_record>(std::move(p.record));
    auto start = ctx.start;
    const gateway_accounting * accounting = d.accounting.get();
    d.providers[*idx]->embed(call, [record, held, start, accounting, done = std::move(done)](result<embedding_result> r) {
        ledger::attempt_record a;
        a.model = record->model;
        a.provider = accounting->provider_of(a.model);
        a.tier_used = accounting->tier_of(a.model);
        a.latency_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (r) {
            a.input_tokens = r->tokens.prompt_tokens;
        } else {
            a.status.http_status = http_status(r.err().kind);
            a.status.error_code = r.err().code;
        }
        record->attempts.push_back(a);
        record->latency_ms = a.latency_ms;
        accounting->finish(*record, *held);
        done(std::move(r));
    });
}

result<nlohmann::json> gateway::explain(const request_context & ctx, const generation_call & call) const {
    auto & d = *impl_;
    impl::prepared p;
    p.call = call;
    auto ready = d.prepare(p, ctx, false);
    if (!ready) {
        return ready.err();
    }
    const auto & models = d.parts.planner->models();
    const auto & dec = p.decision;
    nlohmann::json trace = nlohmann::json::array();
    for (const auto & t : dec.trace) {
        trace.push_back({{"stage", router::to_string(t.stage)}, {"outcome", t.outcome}, {"micros", t.micros}});
    }
    nlohmann::json scores = nlohmann::json::object();
    for (const auto & [name, q] : dec.scores) {
        scores[name] = q;
    }
    nlohmann::json cascade = nullptr;
    if (dec.escalate_to) {
        const auto & c = *d.parts.planner->settings().cascade;
        nlohmann::json criteria = nlohmann::json::object();
        if (c.min_mean_logprob) {
            criteria["min_mean_logprob"] = *c.min_mean_logprob;
        }
        if (c.min_token_logprob) {
            criteria["min_token_logprob"] = *c.min_token_logprob;
        }
        if (c.min_mean_margin) {
            criteria["min_mean_margin"] = *c.min_mean_margin;
        }
        nlohmann::json through = nlohmann::json::array();
        for (size_t m : dec.through) {
            through.push_back(models[m].name);
        }
        nlohmann::json scorer = nullptr;
        if (c.scorer) {
            const auto * file = d.parts.planner->scorer();
            scorer = {{"file", c.scorer->file},
                      {"thresholds", cascade_thresholds(c, file ? &file->model() : nullptr)}};
        }
        cascade = {{"first", models[*dec.model].name},
                   {"partner", dec.partner ? nlohmann::json(models[*dec.partner].name) : nlohmann::json(nullptr)},
                   {"through", through},
                   {"escalates_to", models[*dec.escalate_to].name},
                   {"criteria", criteria},
                   {"scorer", scorer},
                   {"decide_after_tokens", c.decide_after_tokens}};
    }
    nlohmann::json found = nlohmann::json::object();
    for (const auto & [type, n] : pii_counts(p.guard_result)) {
        found[type] = n;
    }
    uint32_t pseudonymized = 0;
    for (auto n : p.guard_result.pseudonymized) {
        pseudonymized += n;
    }
    return nlohmann::json{{"object", "route.decision"},
                          {"model", models[*dec.model].name},
                          {"tier", config::to_string(models[*dec.model].tier)},
                          {"route", dec.route_header()},
                          {"stage", dec.stage},
                          {"reason", dec.reason},
                          {"trace", trace},
                          {"scores", scores},
                          {"cascade", cascade},
                          {"guard",
                           {{"enabled", d.parts.guard.enabled},
                            {"policy", p.policy_name},
                            {"found", found},
                            {"on_prem_only", p.guard_result.on_prem_only},
                            {"pseudonymized", pseudonymized}}},
                          {"decision_micros", dec.micros}};
}

}  // namespace tiergate::gateway
