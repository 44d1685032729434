// What the agents read from models and from the config: a planner's answer
// (any bytes), a model's tool arguments (any bytes), the config's agents
// section. A checked plan (waves covering every subtask once, each after
// what it needs), parsed arguments or an error; never a crash or a throw.
#include <set>

#include "agents/agent_settings.h"
#include "agents/builtin_tools.h"
#include "agents/plan.h"
#include "config/load_config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string text(fuzz::as_text(data, size));
    agents::agent_settings team;
    for (const char * name : {"sql", "writer", "docs"}) {
        agents::specialist_settings s;
        s.name = name;
        team.specialists.push_back(s);
    }
    auto p = agents::parse_plan(text, team, 6);
    if (p) {
        std::set<size_t> seen;
        std::vector<int> wave_of(p->steps.size(), -1);
        for (size_t w = 0; w < p->waves.size(); ++w) {
            for (size_t i : p->waves[w]) {
                if (i >= p->steps.size() || !seen.insert(i).second) {
                    fuzz::violated("a plan's waves do not hold each subtask once");
                }
                wave_of[i] = static_cast<int>(w);
            }
        }
        if (seen.size() != p->steps.size() || p->steps.size() > 6) {
            fuzz::violated("a plan's waves miss a subtask, or the plan is over its limit");
        }
        for (size_t i = 0; i < p->steps.size(); ++i) {
            for (const auto & a : p->steps[i].after) {
                for (size_t j = 0; j < p->steps.size(); ++j) {
                    if (p->steps[j].id == a && wave_of[j] >= wave_of[i]) {
                        fuzz::violated("a subtask runs before one it needs");
                    }
                }
            }
        }
    } else if (p.err().code != "invalid_plan" || p.err().message.empty()) {
        fuzz::violated("a refused plan has no reason");
    }
    if (auto a = agents::parse_sql_query_args(text); a && a->query.empty()) {
        fuzz::violated("empty SQL accepted");
    }
    if (auto a = agents::parse_retrieve_args(text, {"handbook", "faq"});
        a && (a->collection != "handbook" && a->collection != "faq")) {
        fuzz::violated("a collection outside the declared ones accepted");
    }
    if (auto a = agents::parse_call_specialist_args(text, {"writer"}); a && a->specialist != "writer") {
        fuzz::violated("delegation to an undeclared specialist accepted");
    }
    auto loaded = config::load_config_text(text, "fuzz.yaml", "/nonexistent/tiergate-fuzz", config::fixed_env({}));
    if (loaded.ok()) {
        config::config_errors errors("fuzz.yaml");
        auto settings = agents::read_agent_settings(*loaded.value, "auto", errors);
        if (!settings && loaded.value->agents.section.present() && errors.empty()) {
            fuzz::violated("a refused agents section names no error");
        }
    }
    return 0;
}
