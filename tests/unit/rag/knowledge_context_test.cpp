// Retrieval for chat requests: passages with their sources, the context
// budget, on-prem-only collections, teams, filters, and the asynchronous path.
#include "rag/knowledge_context.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

using namespace tiergate;
using namespace tiergate::rag;

namespace {

class KnowledgeContext : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tiergate-kctx-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void open(size_t context_tokens = 1024) {
        knowledge_settings s;
        s.store_path = (dir_ / "kb.db").string();
        s.context_tokens = context_tokens;
        s.chunking.max_tokens = 32;
        s.chunking.overlap_tokens = 0;
        auto kb = knowledge_base::open(s);
        ASSERT_TRUE(kb) << kb.err().message;
        kb_ = std::move(*kb);
        source_ = std::make_unique<knowledge_context>(*kb_);
    }
    void TearDown() override {
        source_.reset();
        kb_.reset();
        std::filesystem::remove_all(dir_);
    }
    // A vector store of `team` holding one file with `text`.
    std::string store_with(const std::string & team, const std::string & filename, const std::string & text,
                           std::optional<bool> on_prem = std::nullopt) {
        auto f = kb_->upload(team, filename, "assistants", text);
        EXPECT_TRUE(f) << f.err().message;
        auto c = kb_->create_collection(team, "docs", nlohmann::json::object(), std::nullopt, on_prem);
        EXPECT_TRUE(c) << c.err().message;
        auto a = kb_->attach(knowledge_caller{team}, c->id, f->id, {{"dept", "ops"}});
        EXPECT_TRUE(a) << a.err().message;
        return c->id;
    }

    std::filesystem::path dir_;
    std::unique_ptr<knowledge_base> kb_;
    std::unique_ptr<knowledge_context> source_;
};

const char * handbook =
    "# Boilers\n\nThe boiler room is inspected every Tuesday by the night shift.\n\n"
    "# Badges\n\nVisitor badges are returned to the front desk before leaving.\n\n"
    "# Parking\n\nBicycles are parked in the basement rack next to the lift.";

}  // namespace

TEST_F(KnowledgeContext, PassagesComeBestFirstWithTheirSources) {
    open();
    const auto store = store_with("", "handbook.md", handbook);
    retrieval_request r;
    r.collections = {store};
    r.k = 2;
    auto found = source_->find(knowledge_caller{""}, r, "When is the boiler room inspected?");
    ASSERT_TRUE(found) << found.err().message;
    ASSERT_FALSE(found->passages.empty());
    ASSERT_LE(found->passages.size(), 2u);
    const auto & first = found->passages[0];
    EXPECT_NE(first.text.find("boiler room"), std::string::npos) << first.text;
    EXPECT_EQ(first.source.index, 1);
    EXPECT_EQ(first.source.collection, store);
    EXPECT_EQ(first.source.filename, "handbook.md");
    EXPECT_EQ(first.source.file_id.rfind("file-", 0), 0u);
    EXPECT_GT(first.source.chunk_id, 0);
    EXPECT_LT(first.source.start, first.source.end);
    EXPECT_GT(first.source.score, 0.0);
    EXPECT_LE(first.source.score, 1.0);
    // the offsets point into the file's text
    const std::string text = handbook;
    ASSERT_LE(static_cast<size_t>(first.source.end), text.size());
    EXPECT_NE(text.substr(first.source.start, first.source.end - first.source.start).find("boiler"), std::string::npos);
    for (size_t i = 1; i < found->passages.size(); ++i) {
        EXPECT_EQ(found->passages[i].source.index, static_cast<int>(i) + 1);
        EXPECT_LE(found->passages[i].source.score, found->passages[i - 1].source.score);
    }
    EXPECT_TRUE(found->on_prem_collections.empty());
}

TEST_F(KnowledgeContext, TheContextBudgetBoundsTheText) {
    open(64);  // 256 bytes
    std::string big;
    for (int i = 0; i < 40; ++i) {
        big += "Paragraph " + std::to_string(i) + " says the turbine hall has a crane rated for forty tonnes.\n\n";
    }
    const auto store = store_with("", "hall.txt", big);
    retrieval_request r;
    r.collections = {store};
    r.k = 20;
    auto found = source_->find(knowledge_caller{""}, r, "turbine hall crane");
    ASSERT_TRUE(found) << found.err().message;
    ASSERT_FALSE(found->passages.empty());
    size_t bytes = 0;
    for (const auto & p : found->passages) {
        bytes += p.text.size();
    }
    EXPECT_LE(bytes, 256u);
    EXPECT_LT(found->passages.size(), 20u);
}

TEST_F(KnowledgeContext, AnOnPremOnlyStoreIsNamedWhenItsPassagesAreUsed) {
    open();
    const auto secret = store_with("", "plant.md", handbook, true);
    const auto open_store = store_with("", "faq.md", "# Hours\n\nThe canteen opens at seven.");
    retrieval_request r;
    r.collections = {secret, open_store};
    auto found = source_->find(knowledge_caller{""}, r, "boiler room inspection");
    ASSERT_TRUE(found) << found.err().message;
    ASSERT_FALSE(found->passages.empty());
    EXPECT_EQ(found->on_prem_collections, std::vector<std::string>{secret});
    // a search that finds nothing in it does not restrict the request
    retrieval_request only_open;
    only_open.collections = {open_store};
    auto other = source_->find(knowledge_caller{""}, only_open, "canteen hours");
    ASSERT_TRUE(other) << other.err().message;
    EXPECT_FALSE(other->passages.empty());
    EXPECT_TRUE(other->on_prem_collections.empty());
}

TEST_F(KnowledgeContext, AnotherTeamsStoreDoesNotExistAndFiltersApply) {
    open();
    const auto store = store_with("red", "handbook.md", handbook);
    retrieval_request r;
    r.collections = {store};
    auto foreign = source_->find(knowledge_caller{"blue"}, r, "boiler");
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.err().kind, error_kind::not_found);
    r.filters_json = R"({"type":"eq","key":"dept","value":"finance"})";
    auto none = source_->find(knowledge_caller{"red"}, r, "boiler");
    ASSERT_TRUE(none) << none.err().message;
    EXPECT_TRUE(none->passages.empty());
    r.filters_json = R"({"type":"eq","key":"dept","value":"ops"})";
    auto some = source_->find(knowledge_caller{"red"}, r, "boiler");
    ASSERT_TRUE(some) << some.err().message;
    EXPECT_FALSE(some->passages.empty());
    r.filters_json = R"({"type":"near","key":"dept","value":"ops"})";
    auto bad = source_->find(knowledge_caller{"red"}, r, "boiler");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.err().kind, error_kind::invalid_request);
    EXPECT_EQ(bad.err().param.rfind("tiergate.retrieval.", 0), 0u) << bad.err().param;
}

TEST_F(KnowledgeContext, RetrieveAnswersOnItsOwnThread) {
    open();
    const auto store = store_with("", "handbook.md", handbook);
    retrieval_request r;
    r.collections = {store};
    std::promise<std::pair<std::thread::id, size_t>> got;
    source_->retrieve(knowledge_caller{""}, r, "visitor badges", [&](result<retrieved_context> found) {
        got.set_value({std::this_thread::get_id(), found ? found->passages.size() : 0});
    });
    auto [thread, passages] = got.get_future().get();
    EXPECT_NE(thread, std::this_thread::get_id());
    EXPECT_GT(passages, 0u);
}

TEST_F(KnowledgeContext, CollectionsAttachedByPolicyAreSearchedWhateverTheCallersTeam) {
    open();
    const std::string ops = store_with("ops", "handbook.md", handbook);
    retrieval_request r;
    r.collections = {ops};
    auto foreign = source_->find(knowledge_caller{"red"}, r, "When is the boiler inspected?");
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.err().kind, error_kind::not_found) << "asked for by the caller: another team's is not there";
    r.by_policy = true;
    auto attached = source_->find(knowledge_caller{"red"}, r, "When is the boiler inspected?");
    ASSERT_TRUE(attached) << attached.err().message;
    ASSERT_FALSE(attached->passages.empty());
    EXPECT_EQ(attached->passages[0].source.collection, ops);
}

namespace {

// An embedding model that is not served here: its texts would leave the premises.
class external_embedder final : public embedder {
  public:
    const std::string & model() const override { return name_; }
    result<std::vector<std::vector<float>>> embed(const std::vector<std::string> & texts,
                                                  const knowledge_caller &) override {
        ++batches;
        return std::vector<std::vector<float>>(texts.size(), std::vector<float>(8, 0.5f));
    }
    size_t count_tokens(std::string_view text) const override { return estimate_token_count(text); }
    bool on_prem() const override { return false; }
    size_t batches = 0;

  private:
    std::string name_ = "remote-embedder";
};

}  // namespace

TEST_F(KnowledgeContext, AnOnPremOnlyStoreIsNeverEmbeddedByAnExternalModel) {
    knowledge_settings s;
    s.store_path = (dir_ / "kb.db").string();
    auto model = std::make_unique<external_embedder>();
    auto * remote = model.get();
    auto kb = knowledge_base::open(s, std::move(model));
    ASSERT_TRUE(kb) << kb.err().message;
    kb_ = std::move(*kb);
    auto f = kb_->upload("ops", "plant.md", "assistants", "The primary loop pressure limit is 155 bar.");
    ASSERT_TRUE(f);
    auto open_store = kb_->create_collection("ops", "open", nlohmann::json::object(), std::nullopt, false);
    auto closed_store = kb_->create_collection("ops", "closed", nlohmann::json::object(), std::nullopt, true);
    ASSERT_TRUE(open_store && closed_store);
    ASSERT_TRUE(kb_->attach(knowledge_caller{"ops"}, open_store->id, f->id, nlohmann::json::object()));
    EXPECT_EQ(remote->batches, 1u) << "the configured model embeds an ordinary store";
    ASSERT_TRUE(kb_->attach(knowledge_caller{"ops"}, closed_store->id, f->id, nlohmann::json::object()));
    EXPECT_EQ(remote->batches, 1u) << "not the on-prem-only one";
    EXPECT_EQ(kb_->collection("ops", closed_store->id)->embedding_model, "tiergate-lexical-384");
    EXPECT_EQ(kb_->collection("ops", open_store->id)->embedding_model, "remote-embedder");
}
