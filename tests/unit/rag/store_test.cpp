#include "rag/fts_query.h"
#include "rag/sqlite_store.h"
#include "rag/store.h"
#include "store_backends.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

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

std::vector<weighted_term> terms(const std::string & query) {
    std::vector<weighted_term> out;
    for (const std::string & w : query_terms(query)) {
        out.push_back({w, 1.0});
    }
    return out;
}

size_t hits(store & s, const std::string & collection, const std::string & query) {
    auto r = s.search_bm25({collection}, terms(query), 100);
    EXPECT_TRUE(r) << r.err().message;
    return r ? r->size() : 0;
}

// The same tests on every backend: SQLite, and PostgreSQL when a server is there.
class RagStoreBackend : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        where_ = std::make_unique<test_stores::store_location>(GetParam());
        if (where_->location().empty()) {
            GTEST_SKIP() << where_->skip_reason();
        }
        auto opened = store::open(where_->location());
        ASSERT_TRUE(opened) << opened.err().message;
        store_ = std::move(*opened);
    }
    void TearDown() override {
        store_.reset();
        where_.reset();
    }
    std::unique_ptr<store> reopen() {
        auto opened = store::open(where_->location());
        EXPECT_TRUE(opened) << opened.err().message;
        return opened ? std::move(*opened) : nullptr;
    }

    std::unique_ptr<test_stores::store_location> where_;
    std::unique_ptr<store> store_;
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, RagStoreBackend, ::testing::Values("sqlite", "postgresql"),
                         [](const auto & info) { return info.param; });

TEST_P(RagStoreBackend, CollectionsAreScopedByTeam) {
    auto & s = store_;
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

TEST_P(RagStoreBackend, ReplacingADocumentSwapsAllItsChunks) {
    auto & s = store_;
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

TEST_P(RagStoreBackend, DeleteRemovesChunksVectorsAndFtsRows) {
    auto & s = store_;
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

TEST_P(RagStoreBackend, AFailedReplaceLeavesTheOldDocument) {
    auto & s = store_;
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

TEST_P(RagStoreBackend, DeletingACollectionRemovesEverything) {
    auto & s = store_;
    make_collection(*s, "c");
    make_collection(*s, "keep");
    ASSERT_TRUE(s->put_document(doc("c", "d1"), chunks_of({"nozzle flow"}), ""));
    ASSERT_TRUE(s->put_document(doc("keep", "d1"), chunks_of({"nozzle design"}), ""));
    EXPECT_TRUE(*s->delete_collection("c"));
    EXPECT_FALSE(*s->delete_collection("c"));
    EXPECT_EQ(hits(*s, "keep", "nozzle"), 1u);
    auto r = s->search_bm25({"c", "keep"}, terms("nozzle"), 10);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), 1u);
}

TEST_P(RagStoreBackend, DocumentsPageAndMetadataKeys) {
    auto & s = store_;
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

TEST_P(RagStoreBackend, TitleWeightRanksTitleMatchesHigher) {
    auto & s = store_;
    make_collection(*s, "c");
    document_info a = doc("c", "a");
    a.title = "delta wings";
    document_info b = doc("c", "b");
    b.title = "something else";
    ASSERT_TRUE(s->put_document(a, chunks_of({"a study of lift at high angles of attack"}), ""));
    ASSERT_TRUE(s->put_document(b, chunks_of({"delta wings lift study at high angles of attack"}), ""));
    auto r = s->search_bm25({"c"}, terms("delta"), 10, {10.0, 1.0});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 2u);
    auto top = s->chunks({(*r)[0].id});
    EXPECT_EQ(top->front().doc_id, "a");
}

TEST_P(RagStoreBackend, SurvivesReopening) {
    make_collection(*store_, "c");
    ASSERT_TRUE(store_->put_document(doc("c", "d1"), chunks_of({"persisted text"}, 2), "m"));
    store_.reset();
    auto s = reopen();
    ASSERT_TRUE(s);
    EXPECT_EQ(hits(*s, "c", "persisted"), 1u);
    EXPECT_EQ(s->collection("c")->chunks, 1);
    EXPECT_EQ(s->collection("c")->version, 2);
}

TEST_P(RagStoreBackend, CountsFollowEveryChange) {
    auto & s = store_;
    make_collection(*s, "c");
    document_info a = doc("c", "a");
    a.bytes = 100;
    document_info b = doc("c", "b");
    b.bytes = 40;
    ASSERT_TRUE(s->put_document(a, chunks_of({"one", "two", "three"}), ""));
    ASSERT_TRUE(s->put_document(b, chunks_of({"four"}), ""));
    a.bytes = 70;
    ASSERT_TRUE(s->put_document(a, chunks_of({"five", "six"}), ""));  // replaced
    auto c = s->collection("c");
    EXPECT_EQ(c->documents, 2);
    EXPECT_EQ(c->chunks, 3);
    EXPECT_EQ(c->bytes, 110);
    ASSERT_TRUE(s->delete_document("c", "a"));
    ASSERT_TRUE(s->delete_document("c", "a"));  // again: nothing changes
    c = s->collection("c");
    EXPECT_EQ(c->documents, 1);
    EXPECT_EQ(c->chunks, 1);
    EXPECT_EQ(c->bytes, 40);
    EXPECT_EQ(s->collections()->front().chunks, 1) << "listed with the same counts";
}

TEST_P(RagStoreBackend, TheChangeLogReplaysEveryVersion) {
    auto & s = store_;
    make_collection(*s, "c");
    auto a = s->put_document(doc("c", "a"), chunks_of({"first text", "more text"}, 2), "m");
    auto b = s->put_document(doc("c", "b"), chunks_of({"second text"}, 2), "m");
    auto a2 = s->put_document(doc("c", "a"), chunks_of({"first text again"}, 2), "m");
    auto gone = s->delete_document("c", "b");
    ASSERT_TRUE(a && b && a2 && gone);
    auto all = s->changes_since("c", 1);
    ASSERT_TRUE(all) << all.err().message;
    ASSERT_TRUE(*all);
    ASSERT_EQ((*all)->size(), 4u);
    EXPECT_EQ((**all)[0].added, a->change.added);
    EXPECT_EQ((**all)[1].added, b->change.added);
    EXPECT_EQ((**all)[2].removed, a->change.added) << "a replaced document logs its old chunks as removed";
    EXPECT_EQ((**all)[2].added, a2->change.added);
    EXPECT_EQ((**all)[3].removed, b->change.added);
    EXPECT_TRUE((**all)[3].added.empty());
    EXPECT_EQ((**all)[3].version, s->collection("c")->version);
    auto tail = s->changes_since("c", 4);
    ASSERT_TRUE(tail && *tail);
    EXPECT_EQ((*tail)->size(), 1u);
    auto none = s->changes_since("c", s->collection("c")->version);
    ASSERT_TRUE(none && *none);
    EXPECT_TRUE((*none)->empty());
    EXPECT_FALSE(*s->changes_since("c", 0)) << "before the collection existed: the log cannot say, rebuild";
    EXPECT_EQ(s->changes_since("nope", 1).err().kind, error_kind::not_found);

    std::vector<int64_t> seen;
    ASSERT_TRUE(s->vectors_of({a->change.added[0], a2->change.added[0], 999999}, [&](int64_t id, std::span<const float> v) {
        seen.push_back(id);
        EXPECT_EQ(v.size(), 2u);
    }));
    EXPECT_EQ(seen, std::vector<int64_t>{a2->change.added[0]}) << "removed and unknown chunks have no vector";
}

TEST_P(RagStoreBackend, TermsOfAChunkAreTheIndexedStemsWithAWordOfEach) {
    auto & s = store_;
    make_collection(*s, "c");
    document_info d = doc("c", "d");
    d.title = "Flows";
    auto put = s->put_document(d, chunks_of({"Turbulent flow and flowing jets; the jet flows."}), "");
    ASSERT_TRUE(put);
    auto t = s->terms_of({put->change.added[0], 424242});
    ASSERT_TRUE(t) << t.err().message;
    ASSERT_EQ(t->size(), 1u) << "an unknown chunk is left out";
    const chunk_terms & c = t->front();
    EXPECT_EQ(c.id, put->change.added[0]);
    std::map<std::string, uint32_t> by_word;
    for (const term_count & tc : c.counts) {
        by_word[tc.word] = tc.count;
    }
    // "Flows", "flow", "flows" (and on SQLite's porter also "flowing") share one stem, keyed by its first word.
    ASSERT_TRUE(by_word.count("Flows")) << "the title's word comes first";
    EXPECT_GE(by_word["Flows"], 3u);
    EXPECT_FALSE(by_word.count("flow"));
    EXPECT_EQ(by_word["jets"], 2u) << "jets and jet";
    // searching for the word finds the chunk
    EXPECT_EQ(hits(*s, "c", "Flows"), 1u);
}

TEST_P(RagStoreBackend, HeavierTermsWeighMore) {
    auto & s = store_;
    make_collection(*s, "c");
    auto a = s->put_document(doc("c", "a"), chunks_of({"nozzle design for rockets"}), "");
    auto b = s->put_document(doc("c", "b"), chunks_of({"wing design for gliders"}), "");
    ASSERT_TRUE(a && b);
    auto nozzle = s->search_bm25({"c"}, {{"nozzle", 5.0}, {"wing", 1.0}}, 10);
    ASSERT_TRUE(nozzle && nozzle->size() == 2u);
    EXPECT_EQ((*nozzle)[0].id, a->change.added[0]);
    auto wing = s->search_bm25({"c"}, {{"nozzle", 1.0}, {"wing", 5.0}}, 10);
    ASSERT_TRUE(wing && wing->size() == 2u);
    EXPECT_EQ((*wing)[0].id, b->change.added[0]);
    EXPECT_TRUE(s->search_bm25({"c"}, {{"nozzle", 0.0}}, 10)->empty()) << "a term of weight 0 is left out";
    EXPECT_TRUE(s->search_bm25({"c"}, {}, 10)->empty());
    EXPECT_TRUE(s->search_bm25({"c"}, {{"\") OR (\"*", 1.0}}, 10)) << "query text is never read as syntax";
}

TEST_P(RagStoreBackend, TextThatCannotBeStoredIsRefusedWhole) {
    auto & s = store_;
    make_collection(*s, "c");
    ASSERT_TRUE(s->put_document(doc("c", "a"), chunks_of({"kept"}), ""));
    auto bad = s->put_document(doc("c", "a"), chunks_of({std::string("nul\0byte", 8)}), "");
    if (std::string(s->backend()) == "postgresql") {
        ASSERT_FALSE(bad);
        EXPECT_EQ(bad.err().kind, error_kind::invalid_request);
        EXPECT_EQ(hits(*s, "c", "kept"), 1u) << "the old document stays";
    } else {
        ASSERT_TRUE(bad) << "SQLite keeps any byte";
    }
}

namespace {

// A private connection to a store's file, for what the store's API does not
// offer: the reference bm25() and damage behind the store's back.
struct raw_db {
    sqlite3 * db = nullptr;
    explicit raw_db(const std::string & path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK); }
    ~raw_db() { sqlite3_close(db); }
    std::vector<std::pair<int64_t, double>> rows(const std::string & sql) {
        std::vector<std::pair<int64_t, double>> out;
        sqlite3_stmt * st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        while (sqlite3_step(st) == SQLITE_ROW) {
            out.emplace_back(sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
        }
        sqlite3_finalize(st);
        return out;
    }
    void exec(const std::string & sql) { EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK); }
};

std::string temp_db(const std::string & name) {
    const auto path = std::filesystem::temp_directory_path() / ("tiergate-rag-" + name + "-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    return path.string();
}

void remove_db(const std::string & path) {
    for (const char * suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix);
    }
}

}  // namespace

TEST(RagStore, Bm25MatchesSqlitesOwnAtDefaultParameters) {
    const std::string path = temp_db("bm25");
    {
        auto s = store::open(path);
        ASSERT_TRUE(s);
        make_collection(**s, "c");
        ASSERT_TRUE((*s)->put_document(doc("c", "a"), chunks_of({"boundary layer on a flat plate", "flat plate heat transfer"}), ""));
        ASSERT_TRUE((*s)->put_document(doc("c", "b"), chunks_of({"the boundary layer of a delta wing at high speed"}), ""));
        auto ours = (*s)->search_bm25({"c"}, terms("boundary plate"), 10, {1.0, 1.0, 1.2, 0.75});
        ASSERT_TRUE(ours);
        raw_db raw(path);
        // the collection's own full-text table: the first collection's is number 1
        auto reference = raw.rows("SELECT rowid, -bm25(chunks_fts_1, 1.0, 1.0) FROM chunks_fts_1 "
                                  "WHERE chunks_fts_1 MATCH '\"boundary\" OR \"plate\"' ORDER BY bm25(chunks_fts_1, 1.0, 1.0)");
        ASSERT_EQ(ours->size(), 3u);
        ASSERT_EQ(reference.size(), ours->size());
        for (size_t i = 0; i < reference.size(); ++i) {
            EXPECT_EQ((*ours)[i].id, reference[i].first);
            EXPECT_NEAR((*ours)[i].score, reference[i].second, 1e-9);
        }
    }
    remove_db(path);
}

TEST(RagStore, Bm25LengthNormalizationFollowsB) {
    auto s = open_memory();
    make_collection(*s, "c");
    std::string long_text = "nozzle";
    for (int i = 0; i < 60; ++i) {
        long_text += " filler" + std::to_string(i);
    }
    ASSERT_TRUE(s->put_document(doc("c", "long"), chunks_of({long_text}), ""));
    ASSERT_TRUE(s->put_document(doc("c", "short"), chunks_of({"nozzle flow"}), ""));
    ASSERT_TRUE(s->put_document(doc("c", "other"), chunks_of({"unrelated words only"}), ""));
    auto none = s->search_bm25({"c"}, terms("nozzle"), 10, {1.0, 1.0, 1.2, 0.0});
    ASSERT_TRUE(none);
    ASSERT_EQ(none->size(), 2u);
    EXPECT_NEAR((*none)[0].score, (*none)[1].score, 1e-12) << "b = 0: the length does not count";
    auto full = s->search_bm25({"c"}, terms("nozzle"), 10, {1.0, 1.0, 1.2, 1.0});
    ASSERT_TRUE(full);
    ASSERT_EQ(full->size(), 2u);
    EXPECT_GT((*full)[0].score, (*full)[1].score * 1.5) << "b = 1: the short chunk ranks far above";
    EXPECT_EQ(s->chunks({(*full)[0].id})->front().doc_id, "short");
}

TEST(RagStore, IntegrityCheckFindsDamage) {
    const std::string path = temp_db("integrity");
    {
        auto s = store::open(path);
        ASSERT_TRUE(s);
        make_collection(**s, "c");
        ASSERT_TRUE((*s)->put_document(doc("c", "a"), chunks_of({"one chunk", "two chunk"}, 4), ""));
        ASSERT_TRUE((*s)->put_document(doc("c", "b"), chunks_of({"three chunk"}), ""));
        auto healthy = (*s)->check_integrity("c");
        ASSERT_TRUE(healthy) << healthy.err().message;
        EXPECT_TRUE(healthy->ok());
        EXPECT_EQ(healthy->documents, 2);
        EXPECT_EQ(healthy->declared_chunks, 3);
        EXPECT_EQ(healthy->stored_chunks, 3);
        EXPECT_EQ(healthy->vectors, 2);
        {
            // The FTS index loses a chunk behind the store's back.
            raw_db raw(path);
            raw.exec("INSERT INTO chunks_fts_1(chunks_fts_1, rowid, title, text) "
                     "SELECT 'delete', id, title, text FROM chunks WHERE id = (SELECT min(id) FROM chunks)");
        }
        auto unindexed = (*s)->check_integrity("c");
        ASSERT_TRUE(unindexed);
        EXPECT_FALSE(unindexed->fts_consistent);
        EXPECT_EQ(unindexed->stored_chunks, 3);
        EXPECT_FALSE(unindexed->ok());
        {
            // Repaired: consistent again.
            raw_db raw(path);
            raw.exec("INSERT INTO chunks_fts_1(chunks_fts_1) VALUES('rebuild')");
        }
        auto repaired = (*s)->check_integrity("c");
        ASSERT_TRUE(repaired);
        EXPECT_TRUE(repaired->ok());
        {
            // Then a chunk row goes: the document's count no longer agrees
            // with the table, nor the index with its content.
            raw_db raw(path);
            raw.exec("DELETE FROM chunks WHERE id = (SELECT min(id) FROM chunks)");
        }
        auto damaged = (*s)->check_integrity("c");
        ASSERT_TRUE(damaged);
        EXPECT_FALSE(damaged->fts_consistent);
        EXPECT_EQ(damaged->stored_chunks, 2);
        EXPECT_EQ(damaged->declared_chunks, 3);
        EXPECT_FALSE(damaged->ok());
    }
    remove_db(path);
}

// A store written when one FTS5 table served every collection (fed by
// triggers) opens with a table per collection, its searches and checks intact.
TEST(RagStore, AStoreWithOneSharedIndexGetsOnePerCollection) {
    const std::string path = temp_db("shared-fts");
    {
        raw_db raw(path);
        raw.exec(R"sql(
CREATE TABLE collections(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL, created_ms INTEGER NOT NULL,
  chunk_tokens INTEGER NOT NULL, overlap_tokens INTEGER NOT NULL, on_prem_only INTEGER NOT NULL,
  embedding_model TEXT NOT NULL, dims INTEGER NOT NULL, metadata TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE documents(
  collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE, id TEXT NOT NULL, title TEXT NOT NULL,
  source TEXT NOT NULL, bytes INTEGER NOT NULL, chunks INTEGER NOT NULL, created_ms INTEGER NOT NULL,
  metadata TEXT NOT NULL, PRIMARY KEY(collection, id));
CREATE TABLE chunks(
  id INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
  begin_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, vector BLOB,
  FOREIGN KEY(collection, doc_id) REFERENCES documents(collection, id) ON DELETE CASCADE);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  title, text, content='chunks', content_rowid='id', tokenize='porter unicode61');
CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
INSERT INTO collections VALUES ('a', 'a', '', 1, 256, 32, 0, '', 0, '{}', 3), ('b', 'b', '', 2, 256, 32, 0, '', 0, '{}', 2);
INSERT INTO documents VALUES ('a', 'd1', 't', 's', 10, 2, 1, '{}'), ('b', 'd1', 't', 's', 10, 1, 1, '{}');
INSERT INTO chunks(collection, doc_id, ordinal, begin_byte, end_byte, title, text) VALUES
  ('a', 'd1', 0, 0, 5, 't', 'nozzle throat erosion'), ('a', 'd1', 1, 5, 10, 't', 'wing flutter'),
  ('b', 'd1', 0, 0, 5, 't', 'nozzle cooling');
)sql");
    }
    {
        auto s = store::open(path);
        ASSERT_TRUE(s) << s.err().message;
        EXPECT_EQ(hits(**s, "a", "nozzle"), 1u) << "a's own index: b's chunk is not in it";
        EXPECT_EQ(hits(**s, "b", "nozzle"), 1u);
        EXPECT_EQ(hits(**s, "a", "flutter"), 1u);
        for (const char * c : {"a", "b"}) {
            auto r = (*s)->check_integrity(c);
            ASSERT_TRUE(r);
            EXPECT_TRUE(r->ok()) << c;
        }
        // and it goes on working: a replaced document is reindexed
        ASSERT_TRUE((*s)->put_document(doc("a", "d1"), chunks_of({"supersonic inlet"}), ""));
        EXPECT_EQ(hits(**s, "a", "nozzle"), 0u);
        EXPECT_EQ(hits(**s, "a", "inlet"), 1u);
        EXPECT_EQ((*s)->collection("a")->chunks, 1);
    }
    raw_db raw(path);
    EXPECT_TRUE(raw.rows("SELECT 1, 0 FROM sqlite_master WHERE name IN ('chunks_fts', 'chunks_fts_insert')").empty())
        << "the shared table and its triggers are gone";
    remove_db(path);
}

// In a large collection, a term in more than 5% of the chunks only adds to
// the scores of chunks that hold a rarer query term; the ranking of those is
// the same as over every term.
TEST(RagStore, FrequentTermsScoreButDoNotMakeCandidates) {
    auto opened = sqlite_store::open(":memory:");
    ASSERT_TRUE(opened);
    sqlite_store & sqlite = **opened;
    store & s = sqlite;
    make_collection(s, "big");
    std::vector<std::string> texts;
    for (int i = 0; i < 21000; ++i) {
        std::string t = "words " + std::to_string(i % 97);
        if (i % 4 == 0) {
            t += " common";  // a quarter of the chunks: frequent
        }
        if (i % 100 == 0) {
            t += " zebra";  // 210 chunks, each with "common" too
        }
        if (i % 500 == 0) {
            t += " common common";  // the frequent term more often in some of those
        }
        texts.push_back(std::move(t));
        if (texts.size() == 3000) {
            ASSERT_TRUE(s.put_document(doc("big", "d" + std::to_string(i)), chunks_of(texts), ""));
            texts.clear();
        }
    }
    auto split = s.search_bm25({"big"}, terms("zebra common"), 100);
    ASSERT_TRUE(split) << split.err().message;
    EXPECT_EQ(sqlite.search_stats().split, 1u);
    ASSERT_EQ(split->size(), 100u);
    auto chunks = s.chunks({split->front().id});
    EXPECT_NE(chunks->front().text.find("common common"), std::string::npos)
        << "the frequent term counted: the zebra chunks that hold it thrice rank first";
    std::vector<int64_t> split_ids;
    for (const auto & h : *split) {
        split_ids.push_back(h.id);
    }
    auto candidates = s.chunks(split_ids);
    ASSERT_TRUE(candidates);
    for (const auto & c : *candidates) {
        EXPECT_NE(c.text.find("zebra"), std::string::npos) << "every candidate holds the rare term";
    }
    // enough asked for: the list ends with the chunks that hold the rare term
    auto short_list = s.search_bm25({"big"}, terms("zebra common"), 500, {}, 100);
    ASSERT_TRUE(short_list);
    EXPECT_EQ(short_list->size(), 210u);
    EXPECT_EQ(sqlite.search_stats().split, 2u);
    // too few chunks hold a rare term for the limit: every term makes a candidate
    auto wide = s.search_bm25({"big"}, terms("zebra common"), 500);
    ASSERT_TRUE(wide);
    EXPECT_EQ(wide->size(), 500u);
    EXPECT_EQ(sqlite.search_stats().fallbacks, 1u);
    for (size_t i = 0; i < 100; ++i) {
        EXPECT_EQ((*wide)[i].id, (*split)[i].id) << "the same order as the split search, at " << i;
        EXPECT_NEAR((*wide)[i].score, (*split)[i].score, 1e-9);
    }
}
