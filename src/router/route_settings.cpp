#include "router/route_settings.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "config/map_reader.h"

namespace tiergate::router {

namespace {

using config::config_errors;
using config::map_reader;
using config::presence;

std::string in_quotes(const std::string & s) { return "\"" + s + "\""; }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// The canonical name of a configured model, or an error.
std::optional<std::string> model_ref(const config::config & cfg, const config::located<std::string> & name,
                                     const std::string & path, config_errors & errors) {
    const auto * m = cfg.find_model(name.value);
    if (m == nullptr) {
        errors.add(name.pos, path, "unknown model " + in_quotes(name.value) + "; it must be a configured model name or alias");
        return std::nullopt;
    }
    return m->name;
}

std::vector<std::string> strings(const config::located<std::vector<config::located<std::string>>> & list) {
    std::vector<std::string> out;
    for (const auto & s : list.value) {
        out.push_back(s.value);
    }
    return out;
}

rule_condition read_condition(const YAML::Node & node, const std::string & path, config_errors & errors) {
    rule_condition c;
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return c;
    }
    if (auto headers = in.node("header")) {
        const std::string hpath = in.field_path("header");
        if (!headers->IsMap()) {
            errors.add(config::pos_of(*headers), hpath,
                       "expected a mapping of header name to a value or a list of values, got " +
                           config::describe_value(*headers));
        } else {
            for (const auto & kv : *headers) {
                auto name = config::read_string(kv.first, hpath, errors);
                if (!name) {
                    continue;
                }
                const std::string vpath = hpath + "." + *name;
                std::vector<std::string> values;
                if (kv.second.IsSequence()) {
                    for (const auto & v : kv.second) {
                        if (auto s = config::read_string(v, vpath, errors)) {
                            values.push_back(*s);
                        }
                    }
                } else if (!kv.second.IsNull()) {
                    if (auto s = config::read_string(kv.second, vpath, errors)) {
                        values.push_back(*s);
                    }
                }
                c.headers[lower(*name)] = std::move(values);
            }
        }
    }
    if (auto users = in.string_list("user")) {
        c.users = strings(*users);
    }
    if (auto keywords = in.string_list("keywords")) {
        for (const auto & k : keywords->value) {
            if (k.value.empty()) {
                errors.add(k.pos, in.field_path("keywords"), "a keyword must not be empty");
                continue;
            }
            c.keywords.push_back(lower(k.value));
        }
    }
    if (auto regex = in.string("regex")) {
        RE2 compiled(regex->value, RE2::Quiet);
        if (!compiled.ok()) {
            errors.add(regex->pos, in.field_path("regex"), "invalid RE2 regular expression: " + compiled.error());
        } else {
            c.regex = regex->value;
        }
    }
    auto tokens = [&](const char * key, std::optional<int64_t> & out) {
        if (auto v = in.integer(key)) {
            if (v->value < 0) {
                errors.add(v->pos, in.field_path(key), "must be >= 0");
            } else {
                out = v->value;
            }
        }
    };
    tokens("min_prompt_tokens", c.min_prompt_tokens);
    tokens("max_prompt_tokens", c.max_prompt_tokens);
    if (auto v = in.boolean("json_schema")) {
        c.json_schema = v->value;
    }
    if (auto v = in.boolean("tools")) {
        c.tools = v->value;
    }
    if (auto names = in.string_list("tool_names")) {
        c.tool_names = strings(*names);
    }
    in.finish();
    return c;
}

rule_target read_target(const config::config & cfg, const YAML::Node & node, const std::string & path,
                        config_errors & errors) {
    rule_target t;
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return t;
    }
    auto tier = in.string("tier");
    auto model = in.string("model");
    if (tier.has_value() == model.has_value()) {
        errors.add(in.pos(), path, "give exactly one of `tier` or `model`");
    }
    if (tier) {
        t.tier = config::parse_model_tier(tier->value);
        if (!t.tier) {
            errors.add(tier->pos, in.field_path("tier"),
                       "expected one of " + std::string(config::model_tier_choices()) + ", got " + in_quotes(tier->value));
        }
    }
    if (model) {
        if (auto name = model_ref(cfg, *model, in.field_path("model"), errors)) {
            t.model = *name;
        }
    }
    in.finish();
    return t;
}

std::vector<route_rule> read_rules(const config::config & cfg, const YAML::Node & node, const std::string & path,
                                   config_errors & errors) {
    std::vector<route_rule> out;
    if (!node.IsSequence()) {
        errors.add(config::pos_of(node), path, "expected a list of rules, got " + config::describe_value(node));
        return out;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < node.size(); ++i) {
        const std::string rpath = path + "[" + std::to_string(i) + "]";
        map_reader in(node[i], rpath, errors);
        if (!in.valid()) {
            continue;
        }
        route_rule r;
        r.pos = in.pos();
        if (auto name = in.string("name", presence::required)) {
            r.name = name->value;
            if (r.name.empty()) {
                errors.add(name->pos, in.field_path("name"), "must not be empty");
            } else if (!names.insert(r.name).second) {
                errors.add(name->pos, in.field_path("name"), "duplicate rule name " + in_quotes(r.name));
            }
        }
        if (auto when = in.node("when")) {
            r.when = read_condition(*when, in.field_path("when"), errors);
        }
        if (auto to = in.node("to", presence::required)) {
            r.to = read_target(cfg, *to, in.field_path("to"), errors);
        }
        in.finish();
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<learned_settings> read_learned(const config::config & cfg, const YAML::Node & node,
                                             const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    learned_settings l;
    l.pos = in.pos();
    if (auto file = in.string("file", presence::required)) {
        std::filesystem::path p(file->value);
        if (p.is_relative()) {
            p = cfg.base_dir / p;
        }
        l.file = p.lexically_normal().string();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(l.file, ec)) {
            errors.add(file->pos, in.field_path("file"), "no router file at " + l.file +
                                                             " (train one with `tiergate router train`)");
        }
    }
    if (auto models = in.node("models", presence::required)) {
        const std::string mpath = in.field_path("models");
        if (!models->IsMap() || models->size() == 0) {
            errors.add(config::pos_of(*models), mpath,
                       "expected a mapping of the router file's model names to configured models, got " +
                           config::describe_value(*models));
        } else {
            for (const auto & kv : *models) {
                auto from = config::read_string(kv.first, mpath, errors);
                auto to = config::read_string(kv.second, mpath, errors);
                if (!from || !to) {
                    continue;
                }
                config::located<std::string> target{*to, config::pos_of(kv.second)};
                if (auto name = model_ref(cfg, target, mpath + "." + *from, errors)) {
                    l.models[*from] = *name;
                }
            }
        }
    }
    if (auto threshold = in.number("threshold")) {
        l.threshold = threshold->value;
    }
    in.finish();
    return l;
}

std::optional<cascade_scorer_settings> read_cascade_scorer(const config::config & cfg, const YAML::Node & node,
                                                           const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    cascade_scorer_settings s;
    s.pos = in.pos();
    if (auto file = in.string("file", presence::required)) {
        std::filesystem::path p(file->value);
        if (p.is_relative()) {
            p = cfg.base_dir / p;
        }
        s.file = p.lexically_normal().string();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(s.file, ec)) {
            errors.add(file->pos, in.field_path("file"),
                       "no scorer file at " + s.file + " (train one with `tiergate router train-scorer`)");
        }
    }
    if (auto names = in.node("names")) {
        const std::string npath = in.field_path("names");
        if (!names->IsMap()) {
            errors.add(config::pos_of(*names), npath,
                       "expected a mapping of configured models to the names the scorer file knows them by, got " +
                           config::describe_value(*names));
        } else {
            for (const auto & kv : *names) {
                auto model = config::read_string(kv.first, npath, errors);
                auto name = config::read_string(kv.second, npath, errors);
                if (!model || !name) {
                    continue;
                }
                config::located<std::string> ref{*model, config::pos_of(kv.first)};
                if (auto canonical = model_ref(cfg, ref, npath + "." + *model, errors)) {
                    s.names[*canonical] = *name;
                }
            }
        }
    }
    auto threshold_ok = [&](const config::located<double> & v, const std::string & where) {
        if (!(v.value >= 0.0 && v.value <= 1.0)) {
            errors.add(v.pos, where, "a scorer threshold is a probability within 0..1");
            return false;
        }
        return true;
    };
    auto one = in.number("threshold");
    auto list = in.node("thresholds");
    if (one && list) {
        errors.add(s.pos, path, "give `threshold` or `thresholds`, not both");
    }
    if (one && threshold_ok(*one, in.field_path("threshold"))) {
        s.thresholds.push_back(one->value);
    }
    if (list) {
        const std::string tpath = in.field_path("thresholds");
        if (!list->IsSequence() || list->size() == 0) {
            errors.add(config::pos_of(*list), tpath, "expected a list of numbers, got " + config::describe_value(*list));
        } else {
            for (size_t i = 0; i < list->size(); ++i) {
                const YAML::Node item = (*list)[i];
                double value = 0;
                try {
                    value = item.as<double>();
                } catch (const YAML::Exception &) {
                    errors.add(config::pos_of(item), tpath + "[" + std::to_string(i) + "]",
                               "expected a number, got " + config::describe_value(item));
                    continue;
                }
                if (threshold_ok({value, config::pos_of(item)}, tpath + "[" + std::to_string(i) + "]")) {
                    s.thresholds.push_back(value);
                }
            }
        }
    }
    in.finish();
    return s;
}

std::optional<cascade_settings> read_cascade(const config::config & cfg, const YAML::Node & node,
                                             const std::string & path, config_errors & errors) {
    map_reader in(node, path, errors);
    if (!in.valid()) {
        return std::nullopt;
    }
    cascade_settings c;
    c.pos = in.pos();
    std::vector<config::located<std::string>> from;
    if (auto list = in.node("from", presence::required)) {
        if (list->IsSequence()) {
            if (auto names = in.string_list("from")) {
                from = names->value;
            }
            if (from.empty()) {
                errors.add(config::pos_of(*list), in.field_path("from"), "list at least one model");
            }
        } else if (auto name = in.string("from")) {
            from.push_back(*name);
        }
    }
    for (const auto & name : from) {
        if (auto canonical = model_ref(cfg, name, in.field_path("from"), errors)) {
            if (std::find(c.from.begin(), c.from.end(), *canonical) != c.from.end()) {
                errors.add(name.pos, in.field_path("from"), "the model " + in_quotes(*canonical) + " is listed twice");
            } else {
                c.from.push_back(*canonical);
            }
        }
    }
    if (auto to = in.string("to", presence::required)) {
        if (auto name = model_ref(cfg, *to, in.field_path("to"), errors)) {
            c.to = *name;
        }
    }
    if (std::find(c.from.begin(), c.from.end(), c.to) != c.from.end()) {
        errors.add(c.pos, path, "`from` and `to` are the same model");
    }
    if (auto partner = in.string("partner")) {
        if (auto name = model_ref(cfg, *partner, in.field_path("partner"), errors)) {
            c.partner = *name;
            if (c.partner == c.to || std::find(c.from.begin(), c.from.end(), c.partner) != c.from.end()) {
                errors.add(partner->pos, in.field_path("partner"), "the partner must differ from `from` and `to`");
            }
        }
    }
    if (auto through = in.string_list("through")) {
        for (const auto & name : through->value) {
            if (auto canonical = model_ref(cfg, name, in.field_path("through"), errors)) {
                if (*canonical == c.to || *canonical == c.partner ||
                    std::find(c.from.begin(), c.from.end(), *canonical) != c.from.end() ||
                    std::find(c.through.begin(), c.through.end(), *canonical) != c.through.end()) {
                    errors.add(name.pos, in.field_path("through"),
                               "the model " + in_quotes(*canonical) + " is already in the cascade");
                } else {
                    c.through.push_back(*canonical);
                }
            }
        }
    }
    auto logprob = [&](const char * key, std::optional<double> & out) {
        if (auto v = in.number(key)) {
            if (v->value > 0) {
                errors.add(v->pos, in.field_path(key), "a log-probability threshold is <= 0");
            } else {
                out = v->value;
            }
        }
    };
    logprob("min_mean_logprob", c.min_mean_logprob);
    logprob("min_token_logprob", c.min_token_logprob);
    if (auto v = in.number("min_mean_margin")) {
        if (v->value < 0) {
            errors.add(v->pos, in.field_path("min_mean_margin"), "a margin threshold is >= 0");
        } else {
            c.min_mean_margin = v->value;
        }
    }
    auto count = [&](const char * key, int & out) {
        if (auto v = in.integer(key)) {
            if (v->value < 0 || v->value > 1'000'000) {
                errors.add(v->pos, in.field_path(key), "must be between 0 and 1000000");
            } else {
                out = static_cast<int>(v->value);
            }
        }
    };
    count("decide_after_tokens", c.decide_after_tokens);
    count("max_tokens", c.max_tokens);
    if (auto scorer = in.node("scorer")) {
        c.scorer = read_cascade_scorer(cfg, *scorer, in.field_path("scorer"), errors);
    }
    if (!c.token_criteria() && !c.scorer) {
        errors.add(c.pos, path, "give a `scorer` or at least one of min_mean_logprob, min_token_logprob, min_mean_margin");
    }
    if (c.token_criteria()) {
        for (const std::string & name : c.from) {
            const auto * m = cfg.find_model(name);
            if (!m->has(config::model_capability::logprobs)) {
                errors.add(c.pos, in.field_path("from"),
                           "the model " + in_quotes(name) + " does not declare the logprobs capability the cascade reads");
            }
        }
    }
    if (c.scorer) {
        if (c.decide_after_tokens > 0) {
            errors.add(c.pos, in.field_path("decide_after_tokens"),
                       "the scorer reads whole answers: decide_after_tokens cannot be used with a scorer");
        }
        if (c.scorer->thresholds.size() > 1 && c.scorer->thresholds.size() != c.held_stages()) {
            errors.add(c.scorer->pos, in.field_path("scorer") + ".thresholds",
                       "give one threshold per held stage (" + std::to_string(c.held_stages()) + ": `from` and each of `through`)");
        }
    } else {
        if (!c.partner.empty()) {
            errors.add(c.pos, in.field_path("partner"), "a partner's answer is read by the scorer: configure `scorer`");
        }
        if (!c.through.empty()) {
            errors.add(c.pos, in.field_path("through"), "the `through` stages are decided by the scorer: configure `scorer`");
        }
    }
    in.finish();
    return c;
}

}  // namespace

const char * to_string(stage_kind stage) {
    switch (stage) {
        case stage_kind::constraints: return "constraints";
        case stage_kind::rules: return "rules";
        case stage_kind::learned: return "learned";
        case stage_kind::cascade: return "cascade";
    }
    return "unknown";
}

std::string rule_target::describe() const {
    if (tier) {
        return std::string("tier ") + config::to_string(*tier);
    }
    return "model " + model;
}

bool route_settings::enabled(stage_kind stage) const {
    return std::find(stages.begin(), stages.end(), stage) != stages.end();
}

route_settings read_route_settings(const config::config & cfg, config::config_errors & errors) {
    route_settings out;
    out.default_model = cfg.router.default_model;
    const auto & section = cfg.router.section;
    if (!section.present()) {
        out.stages = {stage_kind::constraints};
        if (cfg.find_model(out.model_name) != nullptr) {
            errors.add({}, "router.model_name",
                       "a model is named \"" + out.model_name +
                           "\", the router's default name; rename it or set router.model_name");
        }
        return out;
    }
    map_reader in(section.node, section.path, errors);
    if (!in.valid()) {
        return out;
    }
    in.string("default_model");  // read and checked by the config module
    if (auto name = in.string("model_name")) {
        out.model_name = name->value;
        if (out.model_name.empty()) {
            errors.add(name->pos, in.field_path("model_name"), "must not be empty");
        } else if (cfg.find_model(out.model_name) != nullptr) {
            errors.add(name->pos, in.field_path("model_name"),
                       in_quotes(out.model_name) + " is already a configured model name or alias");
        }
    }
    if (auto rules = in.node("rules")) {
        out.rules = read_rules(cfg, *rules, in.field_path("rules"), errors);
    }
    if (auto learned = in.node("learned")) {
        out.learned = read_learned(cfg, *learned, in.field_path("learned"), errors);
    }
    if (auto cascade = in.node("cascade")) {
        out.cascade = read_cascade(cfg, *cascade, in.field_path("cascade"), errors);
    }
    if (auto stages = in.string_list("stages")) {
        std::set<std::string> seen;
        for (const auto & s : stages->value) {
            const std::string spath = in.field_path("stages");
            std::optional<stage_kind> k;
            for (auto candidate : {stage_kind::constraints, stage_kind::rules, stage_kind::learned, stage_kind::cascade}) {
                if (s.value == to_string(candidate)) {
                    k = candidate;
                }
            }
            if (!k) {
                errors.add(s.pos, spath, "unknown stage " + in_quotes(s.value) + "; expected constraints | rules | learned | cascade");
                continue;
            }
            if (!seen.insert(s.value).second) {
                errors.add(s.pos, spath, "stage " + in_quotes(s.value) + " is listed twice");
                continue;
            }
            if (*k == stage_kind::rules && out.rules.empty()) {
                errors.add(s.pos, spath, "stage rules is on but `rules` is empty");
            }
            if (*k == stage_kind::learned && !out.learned) {
                errors.add(s.pos, spath, "stage learned is on but `learned` is not configured");
            }
            if (*k == stage_kind::cascade && !out.cascade) {
                errors.add(s.pos, spath, "stage cascade is on but `cascade` is not configured");
            }
            out.stages.push_back(*k);
        }
        // constraints (key scope, residency, budget state) always run; the
        // stages run in their fixed order, whatever the list's order
        if (!seen.count("constraints")) {
            out.stages.push_back(stage_kind::constraints);
        }
        std::sort(out.stages.begin(), out.stages.end());
    } else {
        // default: every configured stage
        out.stages.push_back(stage_kind::constraints);
        if (!out.rules.empty()) {
            out.stages.push_back(stage_kind::rules);
        }
        if (out.learned) {
            out.stages.push_back(stage_kind::learned);
        }
        if (out.cascade) {
            out.stages.push_back(stage_kind::cascade);
        }
    }
    in.finish();
    return out;
}

}  // namespace tiergate::router
