// The retrieval section of the config: read strictly, every error located.
#include "config/load_config.h"
#include "rag/knowledge_settings.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace tiergate;

namespace {

struct read_outcome {
    std::optional<rag::knowledge_settings> settings;
    std::string errors;
};

read_outcome read(const std::string & section, const std::string & model_extra = "") {
    const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n"
                             "models:\n  - { name: slm, provider: local, tier: slm, path: stories260K.gguf" +
                             model_extra + " }\n  - { name: claude, provider: anthropic, tier: frontier, "
                                           "endpoint: 'https://api.anthropic.com', api_key_env: K, price: { input_per_mtok: 1, output_per_mtok: 1 } }\n" +
                             section;
    auto loaded = config::load_config_text(yaml, "/etc/tiergate/test.yaml", "/etc/tiergate",
                                           config::fixed_env({{"K", "x"}}));
    EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
    if (!loaded.ok()) {
        return {};
    }
    config::config_errors errors("test.yaml");
    auto s = rag::read_knowledge_settings(*loaded.value, errors);
    return {s, errors.to_string()};
}

}  // namespace

TEST(KnowledgeSettings, StoreAndIndexLocations) {
    auto r = read("retrieval:\n  store: knowledge.db\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->store_path, "/etc/tiergate/knowledge.db") << "relative to the config file";
    EXPECT_EQ(r.settings->index_dir, "") << "default: beside the SQLite file";
    r = read("retrieval:\n  store: \"postgresql://u@h/db\"\n  index_dir: idx\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->store_path, "postgresql://u@h/db");
    EXPECT_EQ(r.settings->index_dir, "/etc/tiergate/idx");
    r = read("retrieval:\n  store: \"postgresql://u@h/db\"\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("retrieval.index_dir"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: \"mysql://h/db\"\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("retrieval.store"), std::string::npos) << r.errors;
}

TEST(KnowledgeSettings, EmbeddingModelMustMakeEmbeddings) {
    auto r = read("retrieval:\n  store: k.db\n  embedding_model: slm\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_EQ(r.settings->embedding_model, "slm");
    r = read("retrieval:\n  store: k.db\n  embedding_model: nope\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("no model 'nope'"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: k.db\n  embedding_model: claude\n");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("does not make embeddings"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: k.db\n  embedding_model: slm\n", ", embedding: false");
    EXPECT_FALSE(r.settings);
    EXPECT_NE(r.errors.find("embedding: true"), std::string::npos) << r.errors;
}

TEST(KnowledgeSettings, WeightsAndAttachments) {
    auto r = read("retrieval:\n  store: k.db\n  dense_weight: 0.5\n  attach:\n"
                  "    teams: { ops: [vs_a, vs_b] }\n"
                  "    keys: { key_1: { collections: [vs_c], k: 3, score_threshold: 0.2 } }\n"
                  "    models: { slm: [vs_d] }\n");
    ASSERT_TRUE(r.settings) << r.errors;
    EXPECT_DOUBLE_EQ(*r.settings->dense_weight, 0.5);
    const auto & a = r.settings->attached;
    EXPECT_EQ(a.by_team.at("ops").collections, (std::vector<std::string>{"vs_a", "vs_b"}));
    EXPECT_EQ(a.by_key.at("key_1").k, 3);
    EXPECT_DOUBLE_EQ(a.by_key.at("key_1").score_threshold, 0.2);
    EXPECT_EQ(a.for_call("key_1", "ops", "slm")->collections, std::vector<std::string>{"vs_c"}) << "the key first";
    EXPECT_EQ(a.for_call("key_2", "ops", "slm")->collections.size(), 2u) << "then the team";
    EXPECT_EQ(a.for_call("key_2", "red", "slm")->collections, std::vector<std::string>{"vs_d"}) << "then the model";
    EXPECT_EQ(a.for_call("key_2", "red", "claude"), nullptr);

    r = read("retrieval:\n  store: k.db\n  dense_weight: -1\n");
    EXPECT_NE(r.errors.find("retrieval.dense_weight"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: k.db\n  attach: { teams: { ops: [] } }\n");
    EXPECT_NE(r.errors.find("retrieval.attach.teams.ops"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: k.db\n  attach: { keys: { k: { collections: [a], k: 99 } } }\n");
    EXPECT_NE(r.errors.find("retrieval.attach.keys.k.k"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: k.db\n  attach: { groups: {} }\n");
    EXPECT_NE(r.errors.find("groups"), std::string::npos) << r.errors;
    r = read("retrieval:\n  store: k.db\n  attach: { teams: [ops] }\n");
    EXPECT_NE(r.errors.find("retrieval.attach.teams"), std::string::npos) << r.errors;
}

// config/tiergate.example.yaml documents the section: it reads cleanly and sets every field.
TEST(KnowledgeSettings, TheExampleConfigSetsEveryField) {
    const auto example = std::filesystem::path(TIERGATE_SOURCE_DIR) / "config/tiergate.example.yaml";
    auto loaded = config::load_config_file(
        example, config::fixed_env({{"TIERGATE_MODEL_DIR", std::string(TIERGATE_SHARED_DIR) + "/models"},
                                    {"FRONTIER_API_KEY", "x"},
                                    {"MID_API_KEY", "x"}}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
    config::config_errors errors(example.string());
    auto s = rag::read_knowledge_settings(*loaded.value, errors);
    ASSERT_TRUE(s) << errors.to_string();
    EXPECT_NE(s->store_path.find("knowledge.db"), std::string::npos);
    EXPECT_NE(s->index_dir.find("knowledge.db.index"), std::string::npos);
    EXPECT_EQ(s->embedding_model, "stories260K");
    EXPECT_TRUE(s->dense_weight);
    EXPECT_EQ(s->max_file_documents, 100000u);
    EXPECT_FALSE(s->attached.by_team.empty());
    EXPECT_EQ(s->attached.by_key.begin()->second.k, 3);
}
