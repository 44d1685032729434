#include "rag/knowledge_base.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace tiergate;
using namespace tiergate::rag;

namespace {

class KnowledgeBase : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tiergate-kb-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        settings_.store_path = (dir_ / "kb.db").string();
        settings_.max_file_bytes = 4096;
        auto kb = knowledge_base::open(settings_);
        ASSERT_TRUE(kb) << kb.err().message;
        kb_ = std::move(*kb);
    }
    void TearDown() override {
        kb_.reset();
        std::filesystem::remove_all(dir_);
    }
    file_info upload(const std::string & team, const std::string & name, const std::string & text) {
        auto f = kb_->upload(team, name, "assistants", text);
        EXPECT_TRUE(f) << f.err().message;
        return f ? *f : file_info{};
    }
    collection_info create(const std::string & team) {
        auto c = kb_->create_collection(team, "docs", nlohmann::json::object(), std::nullopt);
        EXPECT_TRUE(c) << c.err().message;
        return c ? *c : collection_info{};
    }
    std::vector<knowledge_hit> search(const std::string & team, const std::string & store, const std::string & query,
                                      std::optional<nlohmann::json> filters = std::nullopt) {
        search_request q;
        q.collections = {store};
        q.query = query;
        q.filters = std::move(filters);
        auto hits = kb_->search(knowledge_caller{team}, q);
        EXPECT_TRUE(hits) << hits.err().message;
        return hits ? *hits : std::vector<knowledge_hit>{};
    }

    std::filesystem::path dir_;
    knowledge_settings settings_;
    std::unique_ptr<knowledge_base> kb_;
};

}  // namespace

TEST_F(KnowledgeBase, UploadedFileIsSearchableWithItsNameAndAttributes) {
    const std::string text = "# Wind\n\nTurbines spin generators.\n\n# Sun\n\nPanels convert light.";
    const auto f = upload("", "energy.md", text);
    EXPECT_EQ(f.id.rfind("file-", 0), 0u);
    EXPECT_EQ(f.bytes, static_cast<int64_t>(text.size()));
    const auto c = create("");
    auto a = kb_->attach(knowledge_caller{""}, c.id, f.id, {{"region", "north"}});
    ASSERT_TRUE(a) << a.err().message;
    EXPECT_EQ(a->documents, std::vector<std::string>{f.id});
    auto hits = search("", c.id, "turbines generators");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].file_id, f.id);
    EXPECT_EQ(hits[0].filename, "energy.md");
    EXPECT_GT(hits[0].relevance, 0.0);
    EXPECT_LE(hits[0].relevance, 1.0);
    EXPECT_EQ(hits[0].hit.chunk.metadata["region"], "north");
    EXPECT_TRUE(search("", c.id, "turbines", nlohmann::json{{"type", "eq"}, {"key", "region"}, {"value", "south"}}).empty());
    auto counts = kb_->counts(c.id);
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->completed, 1);
}

TEST_F(KnowledgeBase, JsonLinesFileBecomesOneDocumentPerLine) {
    const auto f = upload("", "faq.jsonl",
                          "{\"id\":\"q1\",\"title\":\"Refunds\",\"text\":\"Refunds take five days.\",\"tier\":\"gold\"}\n"
                          "{\"id\":\"q2\",\"text\":\"Shipping is free over fifty euros.\"}\n");
    const auto c = create("");
    auto a = kb_->attach(knowledge_caller{""}, c.id, f.id, nlohmann::json::object());
    ASSERT_TRUE(a) << a.err().message;
    EXPECT_EQ(a->documents, (std::vector<std::string>{f.id + "#q1", f.id + "#q2"}));
    auto hits = search("", c.id, "shipping free");
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].hit.chunk.doc_id, f.id + "#q2");
    EXPECT_EQ(hits[0].file_id, f.id);
    EXPECT_EQ(file_of_document(f.id + "#q2"), f.id);
}

TEST_F(KnowledgeBase, BadFilesAreRefusedAtUpload) {
    auto utf8 = kb_->upload("", "bad.txt", "assistants", std::string("ok \xff no"));
    ASSERT_FALSE(utf8);
    EXPECT_EQ(utf8.err().code, "invalid_file");
    EXPECT_NE(utf8.err().message.find("byte offset 3"), std::string::npos) << utf8.err().message;
    auto kind = kb_->upload("", "tool.exe", "assistants", "MZ");
    ASSERT_FALSE(kind);
    EXPECT_EQ(kind.err().code, "unsupported_file");
    auto big = kb_->upload("", "big.txt", "assistants", std::string(5000, 'a'));
    ASSERT_FALSE(big);
    EXPECT_EQ(big.err().kind, error_kind::payload_too_large);
    auto purpose = kb_->upload("", "a.txt", "fine-tune", "x");
    ASSERT_FALSE(purpose);
    EXPECT_EQ(purpose.err().param, "purpose");
    for (const char * name : {"", "../etc/passwd", "a\nb.txt", "a\\b.txt"}) {
        auto r = kb_->upload("", name, "assistants", "x");
        ASSERT_FALSE(r) << name;
        EXPECT_EQ(r.err().code, "invalid_file_name") << name;
    }
    auto none = kb_->files("", "", 10, "");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty()) << "a refused file leaves nothing behind";
}

TEST_F(KnowledgeBase, TeamsSeeOnlyTheirOwnFilesAndStores) {
    const auto f = upload("red", "a.txt", "red team notes about pricing");
    const auto c = create("red");
    ASSERT_TRUE(kb_->attach(knowledge_caller{"red"}, c.id, f.id, nlohmann::json::object()));
    EXPECT_EQ(kb_->file("blue", f.id).err().kind, error_kind::not_found);
    EXPECT_EQ(kb_->collection("blue", c.id).err().kind, error_kind::not_found);
    EXPECT_EQ(kb_->collection("", c.id).err().kind, error_kind::not_found) << "no team is not every team";
    search_request q;
    q.collections = {c.id};
    q.query = "pricing";
    EXPECT_EQ(kb_->search(knowledge_caller{"blue"}, q).err().kind, error_kind::not_found);
    const auto blue_store = create("blue");
    EXPECT_EQ(kb_->attach(knowledge_caller{"blue"}, blue_store.id, f.id, nlohmann::json::object()).err().kind, error_kind::not_found);
    EXPECT_EQ(kb_->delete_file("blue", f.id).err().kind, error_kind::not_found);
    auto blue = kb_->collections("blue");
    ASSERT_TRUE(blue);
    ASSERT_EQ(blue->size(), 1u);
    EXPECT_EQ((*blue)[0].id, blue_store.id);
    EXPECT_EQ(search("red", c.id, "pricing").size(), 1u);
}

TEST_F(KnowledgeBase, DeletingAFileTakesItOutOfEveryStore) {
    const auto f = upload("", "a.txt", "the quarterly revenue grew");
    const auto keep = upload("", "b.txt", "the office moved downtown");
    const auto one = create(""), two = create("");
    for (const auto & c : {one, two}) {
        ASSERT_TRUE(kb_->attach(knowledge_caller{""}, c.id, f.id, nlohmann::json::object()));
        ASSERT_TRUE(kb_->attach(knowledge_caller{""}, c.id, keep.id, nlohmann::json::object()));
    }
    ASSERT_TRUE(kb_->delete_file("", f.id));
    for (const auto & c : {one, two}) {
        for (const auto & h : search("", c.id, "quarterly revenue office")) {
            EXPECT_NE(h.file_id, f.id);
        }
        auto info = kb_->collection("", c.id);
        ASSERT_TRUE(info);
        EXPECT_EQ(info->documents, 1);
        EXPECT_EQ(kb_->attachment_of("", c.id, f.id).err().kind, error_kind::not_found);
    }
    EXPECT_EQ(kb_->file_content("", f.id).err().kind, error_kind::not_found);
}

TEST_F(KnowledgeBase, ReattachingReplacesAndDeletingAStoreDropsItsAttachments) {
    const auto f = upload("", "a.txt", "alpha beta gamma");
    const auto c = create("");
    ASSERT_TRUE(kb_->attach(knowledge_caller{""}, c.id, f.id, {{"v", 1}}));
    ASSERT_TRUE(kb_->attach(knowledge_caller{""}, c.id, f.id, {{"v", 2}}));
    auto info = kb_->collection("", c.id);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->documents, 1);
    auto hits = search("", c.id, "alpha");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].hit.chunk.metadata["v"], 2);
    ASSERT_TRUE(kb_->delete_collection("", c.id));
    EXPECT_EQ(kb_->attachments("", c.id, 10, "").err().kind, error_kind::not_found);
    // the file stays, and a new store can take it
    const auto again = create("");
    ASSERT_TRUE(kb_->attach(knowledge_caller{""}, again.id, f.id, nlohmann::json::object()));
    auto list = kb_->attachments("", again.id, 10, "");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->size(), 1u);
}

TEST_F(KnowledgeBase, StoresSurviveAReopen) {
    const auto f = upload("", "a.txt", "persistent knowledge about rivers");
    const auto c = create("");
    ASSERT_TRUE(kb_->attach(knowledge_caller{""}, c.id, f.id, nlohmann::json::object()));
    kb_.reset();
    auto kb = knowledge_base::open(settings_);
    ASSERT_TRUE(kb) << kb.err().message;
    kb_ = std::move(*kb);
    auto hits = search("", c.id, "rivers");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].filename, "a.txt");
    EXPECT_FALSE(knowledge_base::open({":memory:"})) << "the store needs a file";
}
