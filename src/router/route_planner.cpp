#include "router/route_planner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>

namespace tiergate::router {

namespace {

using steady = std::chrono::steady_clock;

double micros_since(steady::time_point t0) {
    return std::chrono::duration<double, std::micro>(steady::now() - t0).count();
}

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string fixed(double v, int digits = 2) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

error refuse(error_kind kind, std::string message, std::string code) {
    return error{kind, std::move(message), "model", std::move(code), {}};
}

}  // namespace

std::vector<route_model> route_models(const config::config & cfg) {
    std::vector<route_model> out;
    for (const auto & m : cfg.models) {
        route_model r;
        r.name = m.name;
        r.tier = m.tier;
        r.on_prem = m.residency == config::data_residency::on_prem;
        r.input_per_mtok = m.price.input_per_mtok;
        r.output_per_mtok = m.price.output_per_mtok;
        r.json_schema = m.has(config::model_capability::json_schema);
        r.tools = m.has(config::model_capability::tools);
        r.images = m.has(config::model_capability::images);
        r.audio = m.has(config::model_capability::audio);
        out.push_back(std::move(r));
    }
    return out;
}

std::string routing_decision::route_header() const {
    std::string out = stage;
    if (!reason.empty()) {
        out += ":" + reason;
    }
    return out;
}

route_planner::route_planner(route_settings settings, std::vector<route_model> models,
                             std::unique_ptr<learned_router> learned, std::unique_ptr<answer_scorer> scorer)
    : settings_(std::move(settings)),
      models_(std::move(models)),
      learned_(std::move(learned)),
      scorer_(std::move(scorer)),
      rules_(settings_.rules) {
    default_model_ = find(settings_.default_model);
    if (settings_.cascade) {
        for (const std::string & name : settings_.cascade->from) {
            if (auto i = find(name)) {
                cascade_from_.push_back(*i);
            }
        }
        cascade_to_ = find(settings_.cascade->to);
        if (!settings_.cascade->partner.empty()) {
            cascade_partner_ = find(settings_.cascade->partner);
        }
        for (const std::string & name : settings_.cascade->through) {
            if (auto i = find(name)) {
                cascade_through_.push_back(*i);
            }
        }
    }
    if (learned_ && settings_.learned) {
        for (const auto & name : learned_->model().models) {
            auto it = settings_.learned->models.find(name);
            learned_to_model_.push_back(it == settings_.learned->models.end() ? std::nullopt : find(it->second));
        }
    }
}

std::optional<size_t> route_planner::find(std::string_view name) const {
    for (size_t i = 0; i < models_.size(); ++i) {
        if (models_[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

bool route_planner::allowed(const route_request & r, size_t i) const {
    if (r.key_allows != nullptr && !(*r.key_allows)[i]) {
        return false;
    }
    if (r.on_prem_only && !models_[i].on_prem) {
        return false;
    }
    if (r.budget_degraded && models_[i].tier != config::model_tier::slm) {
        return false;
    }
    if (r.json_schema && !models_[i].json_schema) {
        return false;
    }
    if (r.tools && !models_[i].tools) {
        return false;
    }
    if ((r.images && !models_[i].images) || (r.audio && !models_[i].audio)) {
        return false;
    }
    return true;
}

std::optional<size_t> route_planner::first_of_tier(const route_request & r, config::model_tier tier) const {
    for (size_t i = 0; i < models_.size(); ++i) {
        if (models_[i].tier == tier && allowed(r, i)) {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<size_t> route_planner::cheapest(const route_request & r, std::optional<config::model_tier> tier) const {
    std::optional<size_t> best;
    auto price = [&](size_t i) { return models_[i].input_per_mtok + models_[i].output_per_mtok; };
    for (size_t i = 0; i < models_.size(); ++i) {
        if (!allowed(r, i) || (tier && models_[i].tier != *tier)) {
            continue;
        }
        if (!best || price(i) < price(*best) || (price(i) == price(*best) && models_[i].tier < models_[*best].tier)) {
            best = i;
        }
    }
    return best;
}

void route_planner::run_learned(const route_request & r, routing_decision & d) const {
    const size_t k = learned_->model_count();
    std::vector<float> quality(k, 0.0f);
    learned_->predict(r.prompt_text, quality);
    bool any = false;
    for (size_t j = 0; j < k; ++j) {
        const auto target = learned_to_model_[j];
        if (target) {
            d.scores.emplace_back(models_[*target].name, quality[j]);
        }
        if (!target || !allowed(r, *target)) {
            quality[j] = -1e9f;  // never picked while another model is possible
        } else {
            any = true;
        }
    }
    if (!any) {
        d.trace.back().outcome = "no model of the router file is allowed";
        return;
    }
    const auto & m = learned_->model();
    const double parameter = settings_.learned->threshold ? *settings_.learned->threshold : m.parameter();
    const size_t j = learned_->pick(quality, m.rule, parameter);
    d.model = learned_to_model_[j];
    d.stage = "learned";
    d.reason = std::string(to_string(m.rule)) + "=" + fixed(parameter, 3) + ",p=" + fixed(quality[j], 3);
    d.trace.back().outcome = "picked " + models_[*d.model].name + " (p=" + fixed(quality[j], 3) + ")";
}

routing_decision route_planner::plan(const route_request & r) const {
    const auto t_start = steady::now();
    routing_decision d;

    // constraints
    auto t0 = steady::now();
    d.trace.push_back({stage_kind::constraints, "", 0.0});
    if (r.pinned) {
        const size_t p = *r.pinned;
        const auto & m = models_[p];
        if (r.key_allows != nullptr && !(*r.key_allows)[p]) {
            d.refusal = refuse(error_kind::permission, "this API key may not use the model '" + m.name + "'",
                               "model_not_allowed");
        } else if ((r.images && !m.images) || (r.audio && !m.audio)) {
            // never silently dropped: the model's config does not say it takes this input
            const char * what = r.images && !m.images ? "images" : "audio";
            d.refusal = refuse(error_kind::invalid_request,
                               std::string("the model '") + m.name + "' does not take " + what +
                                   " (its config lists no '" + what + "' capability)",
                               std::string(what) + "_unsupported");
        } else if (r.on_prem_only && !m.on_prem) {
            d.refusal = refuse(error_kind::permission,
                               "the request carries data that must stay on-prem (" + r.on_prem_reason +
                                   ") and the model '" + m.name + "' is external; use an on-prem model",
                               "on_prem_only");
        } else if (r.budget_degraded && m.tier != config::model_tier::slm) {
            d.model = cheapest(r, config::model_tier::slm);
            d.stage = "constraints";
            d.reason = "budget";
            if (!d.model) {
                d.refusal = refuse(error_kind::rate_limited,
                                   "the budget is exhausted (" + r.budget_reason + ") and no SLM may serve the request",
                                   "budget_exhausted");
            }
        } else {
            d.model = p;
            d.stage = "pinned";
            d.reason = m.name;
        }
        d.trace.back().outcome = d.refusal ? d.refusal->code : (d.stage + " " + (d.model ? models_[*d.model].name : ""));
        d.trace.back().micros = micros_since(t0);
        d.micros = micros_since(t_start);
        return d;
    }
    bool any = false;
    for (size_t i = 0; i < models_.size() && !any; ++i) {
        any = allowed(r, i);
    }
    if (!any) {
        if (r.on_prem_only) {
            d.refusal = refuse(error_kind::permission,
                               "the request carries data that must stay on-prem (" + r.on_prem_reason +
                                   ") and no on-prem model may serve it",
                               "on_prem_only");
        } else if (r.budget_degraded) {
            d.refusal = refuse(error_kind::rate_limited,
                               "the budget is exhausted (" + r.budget_reason + ") and no SLM may serve the request",
                               "budget_exhausted");
        } else if (r.images || r.audio) {
            d.refusal = refuse(error_kind::invalid_request,
                               std::string("no model this API key may use takes ") + (r.images ? "images" : "audio") +
                                   " (none lists the capability in its config)",
                               r.images ? "images_unsupported" : "audio_unsupported");
        } else {
            d.refusal = refuse(error_kind::permission, "no model this API key may use can serve the request",
                               "no_allowed_model");
        }
        d.trace.back().outcome = d.refusal->code;
        d.trace.back().micros = micros_since(t0);
        d.micros = micros_since(t_start);
        return d;
    }
    {
        std::string outcome;
        if (r.on_prem_only) {
            outcome += "on-prem only; ";
        }
        if (r.budget_degraded) {
            outcome += "budget: SLM only; ";
        }
        d.trace.back().outcome = outcome.empty() ? "all allowed models" : outcome.substr(0, outcome.size() - 2);
        d.trace.back().micros = micros_since(t0);
    }

    // rules
    if (settings_.enabled(stage_kind::rules) && !rules_.rules().empty()) {
        t0 = steady::now();
        d.trace.push_back({stage_kind::rules, "no rule matched", 0.0});
        const std::string lower = rules_.needs_lowered_text() ? lowered(r.conversation_text) : std::string();
        for (size_t i = 0; i < rules_.rules().size() && !d.model; ++i) {
            if (!rules_.matches(i, r, lower)) {
                continue;
            }
            const auto & rule = rules_.rules()[i];
            std::optional<size_t> target;
            if (rule.to.tier) {
                target = first_of_tier(r, *rule.to.tier);
            } else if (auto m = find(rule.to.model); m && allowed(r, *m)) {
                target = m;
            }
            if (!target) {
                d.trace.back().outcome = "rule " + rule.name + " matched; its " + rule.to.describe() +
                                         " is excluded by the constraints";
                continue;
            }
            d.model = target;
            d.stage = "rules";
            d.reason = rule.name;
            d.trace.back().outcome = "rule " + rule.name + " -> " + models_[*target].name;
        }
        d.trace.back().micros = micros_since(t0);
    }

    // learned
    if (!d.model && learned_ && settings_.enabled(stage_kind::learned)) {
        t0 = steady::now();
        d.trace.push_back({stage_kind::learned, "", 0.0});
        run_learned(r, d);
        d.trace.back().micros = micros_since(t0);
    }

    // default
    if (!d.model) {
        if (default_model_ && allowed(r, *default_model_)) {
            d.model = default_model_;
            d.stage = "default";
            d.reason = models_[*d.model].name;
        } else {
            d.model = cheapest(r, std::nullopt);
            d.stage = "default";
            d.reason = "cheapest allowed";
        }
    }

    // cascade
    if (settings_.enabled(stage_kind::cascade) && !cascade_from_.empty() && cascade_to_) {
        t0 = steady::now();
        d.trace.push_back({stage_kind::cascade, "", 0.0});
        if (std::find(cascade_from_.begin(), cascade_from_.end(), *d.model) == cascade_from_.end()) {
            d.trace.back().outcome = "the pick is not one of the cascade's first models";
        } else if (!allowed(r, *cascade_to_)) {
            d.trace.back().outcome = "the escalation target " + models_[*cascade_to_].name + " is excluded";
        } else {
            d.escalate_to = cascade_to_;
            std::string outcome = models_[*d.model].name;
            // A partner or a middle stage the request may not use is left out.
            if (cascade_partner_ && allowed(r, *cascade_partner_)) {
                d.partner = cascade_partner_;
                outcome += "+" + models_[*cascade_partner_].name;
            }
            outcome += " first";
            for (size_t m : cascade_through_) {
                if (allowed(r, m)) {
                    d.through.push_back(m);
                    outcome += ", then " + models_[m].name;
                }
            }
            d.trace.back().outcome = outcome + ", escalates to " + models_[*cascade_to_].name;
        }
        d.trace.back().micros = micros_since(t0);
    }
    d.micros = micros_since(t_start);
    return d;
}

}  // namespace tiergate::router
