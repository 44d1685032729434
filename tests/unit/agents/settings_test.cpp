// The `agents` section: read strictly, with references checked.
#include <gtest/gtest.h>

#include "agents/agent_settings.h"
#include "config/load_config.h"

namespace tiergate::agents {
namespace {

std::optional<agent_settings> read(const std::string & section, std::string & errors_text) {
    const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n"
                             "models:\n"
                             "  - { name: slm, provider: local, tier: slm, path: stories260K.gguf }\n"
                             "  - { name: mid, provider: openai_compatible, endpoint: 'http://127.0.0.1:9/v1', tier: mid,"
                             " price: { input_per_mtok: 1, output_per_mtok: 2 } }\n" +
                             section;
    auto loaded = config::load_config_text(yaml, "test.yaml", "/srv/tiergate", config::fixed_env({}));
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors("test.yaml");
    auto s = read_agent_settings(*loaded.value, "auto", errors);
    errors_text = errors.to_string();
    return s;
}

TEST(agent_settings, absent_means_no_agents) {
    std::string errors;
    EXPECT_FALSE(read("", errors));
    EXPECT_TRUE(errors.empty());
}

TEST(agent_settings, a_full_section) {
    std::string errors;
    auto s = read(R"(agents:
  databases:
    warehouse: { url: data/w.db, max_rows: 50 }
  specialists:
    - { name: sql, model: slm, tools: [sql_query], database: warehouse, max_steps: 4, intents: [balance] }
    - { name: writer, tier: mid, max_cost_usd: 0.01 }
    - { name: boss, tools: [call_specialist], delegates: [sql] }
  orchestrator:
    planner: mid
    rules:
      - steps:
          - { id: a, specialist: sql, instruction: figures }
          - { id: b, specialist: writer, instruction: reply, after: [a] }
)",
                  errors);
    ASSERT_TRUE(s) << errors;
    EXPECT_EQ(s->databases.at("warehouse").target, "/srv/tiergate/data/w.db");
    EXPECT_EQ(s->databases.at("warehouse").max_rows, 50);
    EXPECT_EQ(s->find("writer")->model, "mid");  // the cheapest of its tier
    EXPECT_EQ(s->find("boss")->model, "auto");   // the router when nothing is named
    EXPECT_EQ(s->find("sql")->max_steps, 4);
    ASSERT_TRUE(s->orchestrator);
    EXPECT_EQ(s->orchestrator->rules[0].steps[1].after, std::vector<std::string>{"a"});
}

TEST(agent_settings, mistakes_are_named_with_their_field) {
    struct bad_case {
        const char * yaml;
        const char * says;
    };
    for (const auto & c : {
             bad_case{"agents:\n  specialists:\n    - { name: 'a b' }\n", "letters, digits"},
             bad_case{"agents:\n  specialists:\n    - { name: a }\n    - { name: a }\n", "declared twice"},
             bad_case{"agents:\n  specialists:\n    - { name: a, model: nope }\n", "unknown model 'nope'"},
             bad_case{"agents:\n  specialists:\n    - { name: a, tools: [shell] }\n", "unknown tool 'shell'"},
             bad_case{"agents:\n  specialists:\n    - { name: a, tools: [sql_query] }\n", "needs a `database`"},
             bad_case{"agents:\n  specialists:\n    - { name: a, database: nope }\n", "no database 'nope'"},
             bad_case{"agents:\n  specialists:\n    - { name: a, delegates: [ghost] }\n", "no specialist 'ghost'"},
             bad_case{"agents:\n  specialists:\n    - { name: a, max_steps: 0 }\n", "between 1 and 64"},
             bad_case{"agents:\n  specialists:\n    - { name: a, colour: red }\n", "colour"},
             bad_case{"agents:\n  databases:\n    w: { url: 'mysql://x' }\n", "unsupported store"},
             bad_case{"agents:\n  databases:\n    w: { url: w.db, statements: [delete] }\n", "not a reading statement"},
             bad_case{"agents:\n  orchestrator: { max_subtasks: 3 }\n", "needs a `planner` model or `rules`"},
             bad_case{"agents:\n  specialists:\n    - { name: a }\n  orchestrator:\n    rules:\n      - steps: [{ specialist: b }]\n",
                      "no specialist 'b'"},
             bad_case{"agents:\n  specialists:\n    - { name: a }\n  orchestrator:\n    rules:\n      - steps: [{ id: x, specialist: a, after: [y] }, { id: y, specialist: a }]\n",
                      "not an earlier step"},
             bad_case{"agents:\n  specialists: { name: a }\n", "must be a list"},
         }) {
        std::string errors;
        EXPECT_FALSE(read(c.yaml, errors)) << c.yaml;
        EXPECT_NE(errors.find(c.says), std::string::npos) << c.yaml << "\n" << errors;
    }
}

}  // namespace
}  // namespace tiergate::agents
