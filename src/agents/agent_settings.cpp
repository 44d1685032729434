#include "agents/agent_settings.h"

#include <algorithm>
#include <functional>
#include <set>

#include "config/map_reader.h"
#include "rag/store_location.h"

namespace tiergate::agents {

namespace {

using config::map_reader;
using config::presence;

const std::set<std::string> & known_tools() {
    static const std::set<std::string> tools = {"sql_query", "retrieve", "call_specialist"};
    return tools;
}

bool valid_name(const std::string & name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    });
}

std::vector<std::string> strings(map_reader & in, const char * key) {
    std::vector<std::string> out;
    if (auto l = in.string_list(key)) {
        for (auto & v : l->value) {
            out.push_back(std::move(v.value));
        }
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Each element of a list field as a mapping.
void for_each_mapping(map_reader & in, const char * key, config::config_errors & errors,
                      const std::function<void(map_reader &, size_t)> & visit) {
    auto node = in.node(key);
    if (!node) {
        return;
    }
    if (!node->IsSequence()) {
        errors.add(config::pos_of(*node), in.field_path(key), "must be a list, not " + config::describe_value(*node));
        return;
    }
    for (size_t i = 0; i < node->size(); ++i) {
        map_reader item((*node)[i], in.field_path(key) + "[" + std::to_string(i) + "]", errors);
        if (item.valid()) {
            visit(item, i);
            item.finish();
        }
    }
}

int bounded(map_reader & in, const char * key, int value, int64_t lo, int64_t hi, config::config_errors &) {
    auto v = in.integer_in(key, lo, hi);
    return v ? static_cast<int>(v->value) : value;
}

double dollars(map_reader & in, const char * key, config::config_errors & errors) {
    if (auto v = in.number(key)) {
        if (!(v->value >= 0.0) || v->value > 1e6) {
            errors.add(v->pos, in.field_path(key), "must be between 0 and 1000000");
        } else {
            return v->value;
        }
    }
    return 0.0;
}

void read_databases(map_reader & top, const config::config & cfg, agent_settings & out, config::config_errors & errors) {
    auto node = top.node("databases");
    if (!node) {
        return;
    }
    map_reader all(*node, top.field_path("databases"), errors);
    if (!all.valid()) {
        return;
    }
    for (auto it = node->begin(); it != node->end(); ++it) {
        const std::string name = it->first.as<std::string>("");
        map_reader in(it->second, all.field_path(name), errors);
        (void)all.node(name);
        if (!in.valid()) {
            continue;
        }
        database_settings d;
        d.name = name;
        if (auto url = in.string("url", presence::required)) {
            auto where = rag::parse_store_location(url->value);
            if (!where) {
                errors.add(url->pos, in.field_path("url"), where.err().message);
            } else {
                d.postgresql = where->postgresql;
                std::filesystem::path p = where->target;
                d.target = d.postgresql || p.is_absolute() ? where->target : (cfg.base_dir / p).string();
            }
        }
        d.max_rows = bounded(in, "max_rows", d.max_rows, 1, 100'000, errors);
        d.timeout_ms = bounded(in, "timeout_ms", d.timeout_ms, 1, 600'000, errors);
        if (auto l = in.string_list("statements")) {
            d.statements.clear();
            for (auto & s : l->value) {
                const std::string kind = lower(s.value);
                static const std::set<std::string> readable = {"select", "with", "values", "explain", "show"};
                if (readable.count(kind) == 0) {
                    errors.add(s.pos, in.field_path("statements"),
                               "'" + s.value + "' is not a reading statement (select, with, values, explain, show)");
                }
                d.statements.push_back(kind);
            }
        }
        in.finish();
        out.databases[name] = std::move(d);
    }
}

void read_specialist(map_reader & in, const config::config & cfg, const std::string & router_name,
                     agent_settings & out, config::config_errors & errors) {
    specialist_settings s;
    if (auto name = in.string("name", presence::required)) {
        if (!valid_name(name->value)) {
            errors.add(name->pos, in.field_path("name"), "must be 1-64 letters, digits, '_', '-' or '.'");
        } else if (out.find(name->value) != nullptr) {
            errors.add(name->pos, in.field_path("name"), "'" + name->value + "' is declared twice");
        }
        s.name = name->value;
    }
    if (auto d = in.string("description")) {
        s.description = d->value;
    }
    auto model = in.string("model");
    auto tier = in.string("tier");
    if (model && tier) {
        errors.add(tier->pos, in.field_path("tier"), "give a model or a tier, not both");
    } else if (model) {
        if (model->value != router_name && cfg.find_model(model->value) == nullptr) {
            errors.add(model->pos, in.field_path("model"), "unknown model '" + model->value + "'");
        }
        s.model = model->value;
    } else if (tier) {
        // the cheapest configured model of that tier
        const config::model_config * best = nullptr;
        for (const auto & m : cfg.models) {
            if (config::to_string(m.tier) == tier->value &&
                (best == nullptr || m.price.input_per_mtok + m.price.output_per_mtok <
                                        best->price.input_per_mtok + best->price.output_per_mtok)) {
                best = &m;
            }
        }
        if (best == nullptr) {
            errors.add(tier->pos, in.field_path("tier"), "no configured model of tier '" + tier->value + "'");
        } else {
            s.model = best->name;
        }
    } else {
        s.model = router_name;
    }
    if (auto sys = in.string("system")) {
        s.system = sys->value;
    }
    if (auto l = in.string_list("tools")) {
        for (auto & t : l->value) {
            if (known_tools().count(t.value) == 0) {
                errors.add(t.pos, in.field_path("tools"),
                           "unknown tool '" + t.value + "' (sql_query, retrieve, call_specialist)");
            }
            s.tools.push_back(t.value);
        }
    }
    if (auto db = in.string("database")) {
        if (out.databases.count(db->value) == 0) {
            errors.add(db->pos, in.field_path("database"), "no database '" + db->value + "' under agents.databases");
        }
        s.database = db->value;
    }
    const bool sql = std::find(s.tools.begin(), s.tools.end(), "sql_query") != s.tools.end();
    if (sql && s.database.empty()) {
        errors.add(in.pos(), in.path(), "the sql_query tool needs a `database`");
    }
    s.collections = strings(in, "collections");
    s.delegates = strings(in, "delegates");
    if (auto g = in.string("guard_policy")) {
        s.guard_policy = g->value;
    }
    s.max_cost_usd = dollars(in, "max_cost_usd", errors);
    s.max_steps = bounded(in, "max_steps", s.max_steps, 1, 64, errors);
    s.intents = strings(in, "intents");
    s.domains = strings(in, "domains");
    out.specialists.push_back(std::move(s));
}

void read_intents(map_reader & top, const config::config & cfg, agent_settings & out, config::config_errors & errors) {
    auto node = top.node("intents");
    if (!node) {
        return;
    }
    map_reader in(*node, top.field_path("intents"), errors);
    if (!in.valid()) {
        return;
    }
    intent_settings s;
    if (auto r = in.string("router", presence::required)) {
        std::filesystem::path p = r->value;
        s.router = (p.is_absolute() ? p : cfg.base_dir / p).string();
    }
    if (auto n = in.string("model_name")) {
        s.model_name = n->value;
    }
    if (auto d = in.string("default_model")) {
        s.default_model = d->value;
    }
    in.finish();
    out.intents = std::move(s);
}

void read_orchestrator(map_reader & top, agent_settings & out, config::config_errors & errors) {
    auto node = top.node("orchestrator");
    if (!node) {
        return;
    }
    map_reader in(*node, top.field_path("orchestrator"), errors);
    if (!in.valid()) {
        return;
    }
    orchestrator_settings o;
    if (auto n = in.string("name")) {
        o.name = n->value;
    }
    if (auto p = in.string("planner")) {
        o.planner = p->value;
    }
    if (auto c = in.string("composer")) {
        o.composer = c->value;
    }
    o.max_subtasks = bounded(in, "max_subtasks", o.max_subtasks, 1, 32, errors);
    o.max_depth = bounded(in, "max_depth", o.max_depth, 0, 8, errors);
    o.max_cost_usd = dollars(in, "max_cost_usd", errors);
    o.deadline_ms = bounded(in, "deadline_ms", o.deadline_ms, 100, 3'600'000, errors);
    o.retries = bounded(in, "retries", o.retries, 0, 5, errors);
    for_each_mapping(in, "rules", errors, [&](map_reader & r, size_t) {
        plan_rule rule;
        rule.intents = strings(r, "intents");
        rule.domains = strings(r, "domains");
        for_each_mapping(r, "steps", errors, [&](map_reader & st, size_t i) {
            plan_step step;
            step.id = "s" + std::to_string(i + 1);
            if (auto id = st.string("id")) {
                step.id = id->value;
            }
            if (auto sp = st.string("specialist", presence::required)) {
                step.specialist = sp->value;
            }
            if (auto ins = st.string("instruction")) {
                step.instruction = ins->value;
            }
            step.after = strings(st, "after");
            rule.steps.push_back(std::move(step));
        });
        if (rule.steps.empty()) {
            errors.add(r.pos(), r.path(), "a rule needs at least one step");
        }
        o.rules.push_back(std::move(rule));
    });
    in.finish();
    out.orchestrator = std::move(o);
}

}  // namespace

const specialist_settings * agent_settings::find(const std::string & name) const {
    for (const auto & s : specialists) {
        if (s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

std::optional<agent_settings> read_agent_settings(const config::config & cfg, const std::string & router_name,
                                                  config::config_errors & errors) {
    const auto & section = cfg.agents.section;
    if (!section.present()) {
        return std::nullopt;
    }
    const size_t errors_before = errors.list().size();
    map_reader top(section.node, section.path, errors);
    if (!top.valid()) {
        return std::nullopt;
    }
    agent_settings out;
    out.max_concurrent = bounded(top, "max_concurrent", out.max_concurrent, 1, 4096, errors);
    read_databases(top, cfg, out, errors);
    for_each_mapping(top, "specialists", errors,
                     [&](map_reader & in, size_t) { read_specialist(in, cfg, router_name, out, errors); });
    read_intents(top, cfg, out, errors);
    read_orchestrator(top, out, errors);
    top.finish();
    // references between entries, once all are read
    const auto here = top.pos();
    for (const auto & s : out.specialists) {
        for (const auto & d : s.delegates) {
            if (out.find(d) == nullptr) {
                errors.add(here, "agents.specialists." + s.name + ".delegates", "no specialist '" + d + "'");
            }
        }
    }
    if (out.orchestrator) {
        const auto & o = *out.orchestrator;
        for (const std::string * m : {&o.planner, &o.composer}) {
            if (!m->empty() && *m != router_name && cfg.find_model(*m) == nullptr) {
                errors.add(here, "agents.orchestrator", "unknown model '" + *m + "'");
            }
        }
        if (o.planner.empty() && o.rules.empty()) {
            errors.add(here, "agents.orchestrator", "needs a `planner` model or `rules`");
        }
        for (const auto & rule : o.rules) {
            std::set<std::string> ids;
            for (const auto & st : rule.steps) {
                if (out.find(st.specialist) == nullptr) {
                    errors.add(here, "agents.orchestrator.rules", "no specialist '" + st.specialist + "'");
                }
                for (const auto & a : st.after) {
                    if (ids.count(a) == 0) {
                        errors.add(here, "agents.orchestrator.rules",
                                   "step '" + st.id + "' comes after '" + a + "', which is not an earlier step");
                    }
                }
                if (!ids.insert(st.id).second) {
                    errors.add(here, "agents.orchestrator.rules", "step id '" + st.id + "' is used twice");
                }
            }
            if (static_cast<int>(rule.steps.size()) > o.max_subtasks) {
                errors.add(here, "agents.orchestrator.rules", "a rule has more steps than max_subtasks");
            }
        }
    }
    if (out.intents && !out.intents->default_model.empty() && out.intents->default_model != router_name &&
        cfg.find_model(out.intents->default_model) == nullptr) {
        errors.add(here, "agents.intents.default_model", "unknown model '" + out.intents->default_model + "'");
    }
    if (errors.list().size() != errors_before) {
        return std::nullopt;
    }
    return out;
}

}  // namespace tiergate::agents
