#include "rag/fts_query.h"
#include "rag/store.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace tiergate;
using namespace tiergate::rag;

namespace {

std::unique_ptr<store> open_memory() {
    auto s = store::open(":memory:");
    EXPECT_TRUE(s) << s.err().message;
    return std::move(*s);
}

collection_info make_collection(store & s, const std::string & id, const std::string & team = "") {
    collection_info c;
    c.id = id;
    c.name = id + " docs";
    c.team = team;
    auto made = s.create_collection(c);
    EXPECT_TRUE(made) << made.err().message;
    return *made;
}

std::vector<chunk_input> chunks_of(std::vector<std::string> texts, uint32_t dims = 0) {
    std::vector<chunk_input> out;
    size_t at = 0;
    for (std::string & t : texts) {
        chunk_input c{at, at + t.size(), t, {}};
        if (dims) {
            c.vector.assign(dims, 0.5f);
        }
        at += t.size();
        out.push_back(std::move(c));
    }
    return out;
}

document_info doc(const std::string & collection, const std::string & id, nlohmann::json metadata = nlohmann::json::object()) {
    document_info d;
    d.collection = collection;
    d.id = id;
    d.title = "title of " + id;
    d.metadata = std::move(metadata);
    return d;
}

size_t hits(store & s, const std::string & collection, const std::string & query) {
    auto r = s.search_bm25({collection}, fts_match_expression(query_terms(query)), 100);
    EXPECT_TRUE(r) << r.err().message;
    return r ? r->size() : 0;
}

}  // namespace

TEST(RagStore, CollectionsAreScopedByTeam) {
    auto s = open_memory();
    make_collection(*s, "c1", "red");
    make_collection(*s, "c2", "blue");
    make_collection(*s, "c3", "red");
    EXPECT_EQ(s->collections()->size(), 3u);
    EXPECT_EQ(s->collections(std::string("red"))->size(), 2u);
    collection_info dup;
    dup.id = "c1";
    dup.name = "again";
    auto again = s->create_collection(dup);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.err().code, "collection_exists");
    auto missing = s->collection("nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.err().kind, error_kind::not_found);
}

TEST(RagStore, ReplacingADocumentSwapsAllItsChunks) {
    auto s = open_memory();
    make_collection(*s, "c");
    auto first = s->put_document(doc("c", "d1"), chunks_of({"supersonic wing flutter", "turbulent boundary layer"}, 4), "m");
    ASSERT_TRUE(first) << first.err().message;
    EXPECT_EQ(first->change.added.size(), 2u);
    EXPECT_TRUE(first->change.removed.empty());
    EXPECT_EQ(hits(*s, "c", "flutter"), 1u);

    auto second = s->put_document(doc("c", "d1"), chunks_of({"hypersonic heat transfer"}, 4), "m");
    ASSERT_TRUE(second) << second.err().message;
    EXPECT_EQ(second->change.version, first->change.version + 1);
    EXPECT_EQ(second->change.removed, first->change.added);
    EXPECT_EQ(hits(*s, "c", "flutter"), 0u) << "the old chunks' FTS rows must be gone";
    EXPECT_EQ(hits(*s, "c", "hypersonic"), 1u);
    auto info = s->collection("c");
    EXPECT_EQ(info->documents, 1);
    EXPECT_EQ(info->chunks, 1);
    EXPECT_EQ(info->dims, 4u);
    EXPECT_EQ(info->embedding_model, "m");
}

TEST(RagStore, DeleteRemovesChunksVectorsAndFtsRows) {
    auto s = open_memory();
    make_collection(*s, "c");
    ASSERT_TRUE(s->put_document(doc("c", "d1"), chunks_of({"shock wave interaction"}, 3), "m"));
    ASSERT_TRUE(s->put_document(doc("c", "d2"), chunks_of({"shock tube experiments"}, 3), "m"));
    EXPECT_EQ(hits(*s, "c", "shock"), 2u);
    auto gone = s->delete_document("c", "d1");
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->removed.size(), 1u);
    EXPECT_EQ(hits(*s, "c", "shock"), 1u);
    size_t vectors = 0;
    ASSERT_TRUE(s->for_each_vector("c", [&](int64_t, std::span<const float>) { ++vectors; }));
    EXPECT_EQ(vectors, 1u);
    auto none = s->delete_document("c", "d1");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->version, 0);
    EXPECT_FALSE(*s->document("c", "d1"));
}

TEST(RagStore, AFailedReplaceLeavesTheOldDocument) {
    auto s = open_memory();
    make_collection(*s, "c");
    ASSERT_TRUE(s->put_document(doc("c", "d1"), chunks_of({"ablation of nose cones"}, 4), "m"));
    // vectors of a different size than the collection's: refused as a whole
    auto bad = s->put_document(doc("c", "d1"), chunks_of({"replacement text"}, 5), "m");
    ASSERT_FALSE(bad);
    EXPECT_EQ(hits(*s, "c", "ablation"), 1u);
    EXPECT_EQ(hits(*s, "c", "replacement"), 0u);
    auto other_model = s->put_document(doc("c", "d2"), chunks_of({"x"}, 4), "another-model");
    ASSERT_FALSE(other_model);
    EXPECT_EQ(other_model.err().code, "embedding_model_mismatch");
}

TEST(RagStore, DeletingACollectionRemovesEverything) {
    auto s = open_memory();
    make_collection(*s, "c");
    make_collection(*s, "keep");
    ASSERT_TRUE(s->put_document(doc("c", "d1"), chunks_of({"nozzle flow"}), ""));
    ASSERT_TRUE(s->put_document(doc("keep", "d1"), chunks_of({"nozzle design"}), ""));
    EXPECT_TRUE(*s->delete_collection("c"));
    EXPECT_FALSE(*s->delete_collection("c"));
    EXPECT_EQ(hits(*s, "keep", "nozzle"), 1u);
    auto r = s->search_bm25({"c", "keep"}, "\"nozzle\"", 10);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 1u);
}

TEST(RagStore, DocumentsPageAndMetadataKeys) {
    auto s = open_memory();
    make_collection(*s, "c");
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(s->put_document(doc("c", "d" + std::to_string(i), {{"year", 1960 + i}, {i % 2 ? "lab" : "org", "x"}}),
                                    chunks_of({"text " + std::to_string(i)}), ""));
    }
    auto page = s->documents("c", 2);
    ASSERT_EQ(page->size(), 2u);
    auto next = s->documents("c", 10, page->back().id);
    EXPECT_EQ(next->size(), 3u);
    EXPECT_EQ(next->front().id, "d2");
    auto keys = s->metadata_keys("c");
    std::sort(keys->begin(), keys->end());
    EXPECT_EQ(*keys, (std::vector<std::string>{"lab", "org", "year"}));
}

TEST(RagStore, TitleWeightRanksTitleMatchesHigher) {
    auto s = open_memory();
    make_collection(*s, "c");
    document_info a = doc("c", "a");
    a.title = "delta wings";
    document_info b = doc("c", "b");
    b.title = "something else";
    ASSERT_TRUE(s->put_document(a, chunks_of({"a study of lift at high angles of attack"}), ""));
    ASSERT_TRUE(s->put_document(b, chunks_of({"delta wings lift study at high angles of attack"}), ""));
    auto r = s->search_bm25({"c"}, "\"delta\"", 10, {10.0, 1.0});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 2u);
    auto top = s->chunks({(*r)[0].id});
    EXPECT_EQ(top->front().doc_id, "a");
}

TEST(RagStore, SurvivesReopening) {
    const auto path = std::filesystem::temp_directory_path() / ("tiergate-rag-store-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    {
        auto s = store::open(path.string());
        ASSERT_TRUE(s);
        make_collection(**s, "c");
        ASSERT_TRUE((*s)->put_document(doc("c", "d1"), chunks_of({"persisted text"}, 2), "m"));
    }
    auto s = store::open(path.string());
    ASSERT_TRUE(s);
    EXPECT_EQ(hits(**s, "c", "persisted"), 1u);
    EXPECT_EQ((*s)->collection("c")->chunks, 1);
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
}
