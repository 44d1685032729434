#include "rag/fusion.h"
#include "rag/hashed_embedder.h"
#include "rag/ingest.h"
#include "rag/metadata_filter.h"
#include "rag/retriever.h"
#include "store_backends.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace tiergate;
using namespace tiergate::rag;

TEST(RagFusion, ReciprocalRankFusion) {
    std::vector<scored_chunk> a{{1, 9}, {2, 8}, {3, 7}};
    std::vector<scored_chunk> b{{3, 0.9}, {1, 0.5}};
    auto fused = reciprocal_rank_fusion({{&a, 1.0}, {&b, 1.0}}, 60);
    ASSERT_EQ(fused.size(), 3u);
    EXPECT_EQ(fused[0].id, 1);  // 1/61 + 1/62
    EXPECT_EQ(fused[1].id, 3);  // 1/63 + 1/61
    EXPECT_EQ(fused[2].id, 2);
    EXPECT_NEAR(fused[0].score, 1.0 / 61 + 1.0 / 62, 1e-12);
    auto weighted = reciprocal_rank_fusion({{&a, 0.0}, {&b, 1.0}}, 60);
    EXPECT_EQ(weighted[0].id, 3);
}

TEST(RagFilter, OperatorsAndCompounds) {
    const nlohmann::json meta{{"year", 1962}, {"lab", "NACA"}, {"open", true}};
    auto eval = [&](const nlohmann::json & spec) {
        auto f = metadata_filter::parse(spec, {"year", "lab", "open", "missing"});
        EXPECT_TRUE(f) << spec.dump() << ": " << f.err().message;
        return f && f->matches(meta);
    };
    EXPECT_TRUE(eval({{"type", "eq"}, {"key", "lab"}, {"value", "NACA"}}));
    EXPECT_FALSE(eval({{"type", "eq"}, {"key", "lab"}, {"value", "RAE"}}));
    EXPECT_TRUE(eval({{"type", "ne"}, {"key", "lab"}, {"value", "RAE"}}));
    EXPECT_TRUE(eval({{"type", "gte"}, {"key", "year"}, {"value", 1962}}));
    EXPECT_FALSE(eval({{"type", "gt"}, {"key", "year"}, {"value", 1962}}));
    EXPECT_TRUE(eval({{"type", "lt"}, {"key", "year"}, {"value", 1962.5}}));
    EXPECT_FALSE(eval({{"type", "lt"}, {"key", "lab"}, {"value", 5}})) << "a string is not less than a number";
    EXPECT_TRUE(eval({{"type", "in"}, {"key", "lab"}, {"value", {"RAE", "NACA"}}}));
    EXPECT_TRUE(eval({{"type", "nin"}, {"key", "year"}, {"value", {1960, 1961}}}));
    EXPECT_TRUE(eval({{"type", "eq"}, {"key", "open"}, {"value", true}}));
    EXPECT_FALSE(eval({{"type", "eq"}, {"key", "missing"}, {"value", 1}}));
    EXPECT_TRUE(eval({{"type", "ne"}, {"key", "missing"}, {"value", 1}}));
    EXPECT_TRUE(eval({{"type", "and"},
                      {"filters", {{{"type", "eq"}, {"key", "lab"}, {"value", "NACA"}},
                                   {{"type", "or"},
                                    {"filters", {{{"type", "lt"}, {"key", "year"}, {"value", 1900}},
                                                 {{"type", "eq"}, {"key", "open"}, {"value", true}}}}}}}}));
}

TEST(RagFilter, BadFiltersAreClearErrors) {
    const std::vector<std::string> keys{"year"};
    auto expect_bad = [&](const nlohmann::json & spec, const std::string & words) {
        auto f = metadata_filter::parse(spec, keys);
        ASSERT_FALSE(f) << spec.dump();
        EXPECT_EQ(f.err().kind, error_kind::invalid_request);
        EXPECT_EQ(f.err().param, "filters");
        EXPECT_NE(f.err().message.find(words), std::string::npos) << f.err().message;
    };
    expect_bad({{"type", "eq"}, {"key", "yaer"}, {"value", 1}}, "unknown metadata key \"yaer\"");
    expect_bad({{"type", "like"}, {"key", "year"}, {"value", 1}}, "unknown filter type");
    expect_bad({{"type", "eq"}, {"key", "year"}}, "needs a \"value\"");
    expect_bad({{"type", "in"}, {"key", "year"}, {"value", 1}}, "array");
    expect_bad({{"type", "gt"}, {"key", "year"}, {"value", true}}, "not booleans");
    expect_bad({{"type", "and"}, {"filters", nlohmann::json::array()}}, "non-empty");
    expect_bad("eq", "object");
    nlohmann::json deep{{"type", "eq"}, {"key", "year"}, {"value", 1}};
    for (int i = 0; i < 20; ++i) {
        deep = {{"type", "and"}, {"filters", {deep}}};
    }
    expect_bad(deep, "nest too deep");
}

class RagSearch : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = store::open(":memory:");
        ASSERT_TRUE(opened);
        store_ = std::move(*opened);
        collection_info c;
        c.id = "aero";
        c.name = "aero";
        c.chunking = {32, 4};
        ASSERT_TRUE(store_->create_collection(c));
        retriever_ = std::make_unique<retriever>(*store_, embedder_);
        ingester in(*store_, embedder_, retriever_.get());
        const std::pair<const char *, const char *> docs[] = {
            {"flutter", "Wing flutter appears at high dynamic pressure when aeroelastic modes couple."},
            {"heat", "Heat transfer to a blunt body in hypersonic flow rises with the nose radius."},
            {"layer", "The turbulent boundary layer thickens along a flat plate in supersonic flow."},
            {"shock", "Shock waves interact with the boundary layer and cause separation on the flap."},
            {"buckling", "Thin cylindrical shells under axial compression buckle below the classical load."},
        };
        int year = 1960;
        for (const auto & [id, text] : docs) {
            document d;
            d.id = id;
            d.title = std::string(id) + " study";
            d.text = text;
            d.metadata = {{"year", year++}};
            auto r = in.ingest("aero", d);
            ASSERT_TRUE(r) << r.err().message;
        }
    }

    std::vector<std::string> doc_ids(const search_request & req) {
        auto hits = retriever_->search(req);
        EXPECT_TRUE(hits) << hits.err().message;
        std::vector<std::string> out;
        for (const auto & h : hits ? *hits : std::vector<search_hit>{}) {
            out.push_back(h.chunk.doc_id);
        }
        return out;
    }

    hashed_embedder embedder_{256};
    std::unique_ptr<store> store_;
    std::unique_ptr<retriever> retriever_;
};

TEST_F(RagSearch, EveryModeFindsTheRelevantDocument) {
    for (search_mode mode : {search_mode::bm25, search_mode::dense, search_mode::hybrid}) {
        search_request req;
        req.collections = {"aero"};
        req.query = "shock wave boundary layer separation";
        req.mode = mode;
        req.top_k = 3;
        const auto ids = doc_ids(req);
        ASSERT_FALSE(ids.empty()) << search_mode_name(mode);
        EXPECT_EQ(ids[0], "shock") << search_mode_name(mode);
        EXPECT_LE(ids.size(), 3u);
    }
}

TEST_F(RagSearch, ExactAndHnswAgreeOnASmallCollection) {
    search_request req;
    req.collections = {"aero"};
    req.query = "hypersonic heating of blunt noses";
    req.mode = search_mode::dense;
    req.top_k = 5;
    const auto approx = doc_ids(req);
    req.exact = true;
    EXPECT_EQ(doc_ids(req), approx);
    EXPECT_EQ(approx.at(0), "heat");
}

TEST_F(RagSearch, FiltersAndThreshold) {
    search_request req;
    req.collections = {"aero"};
    req.query = "boundary layer";
    req.mode = search_mode::bm25;
    req.filters = nlohmann::json{{"type", "gte"}, {"key", "year"}, {"value", 1963}};
    const auto ids = doc_ids(req);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(ids[0], "shock");
    req.filters = nlohmann::json{{"type", "eq"}, {"key", "author"}, {"value", "x"}};
    auto bad = retriever_->search(req);
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.err().message.find("author"), std::string::npos);
    req.filters.reset();
    req.score_threshold = 1e9;
    EXPECT_TRUE(doc_ids(req).empty());
}

TEST_F(RagSearch, ReingestAndDeleteKeepTheDenseIndexInStep) {
    search_request req;
    req.collections = {"aero"};
    req.query = "rotor blade icing";
    req.mode = search_mode::dense;
    req.top_k = 1;
    ASSERT_NE(doc_ids(req).at(0), "buckling");
    ingester in(*store_, embedder_, retriever_.get());
    document d;
    d.id = "buckling";
    d.text = "Rotor blade icing reduces lift on helicopter rotor blades.";
    ASSERT_TRUE(in.ingest("aero", d));
    EXPECT_EQ(doc_ids(req).at(0), "buckling");
    req.exact = true;
    EXPECT_EQ(doc_ids(req).at(0), "buckling");
    req.exact = false;
    auto change = store_->delete_document("aero", "buckling");
    ASSERT_TRUE(change);
    retriever_->apply(*change, {});
    EXPECT_NE(doc_ids(req).at(0), "buckling");
}

TEST_F(RagSearch, IndexPersistsAndStaleFilesAreRebuilt) {
    const auto dir = std::filesystem::temp_directory_path() / ("tiergate-retriever-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    retriever_settings settings;
    settings.index_dir = dir.string();
    search_request req;
    req.collections = {"aero"};
    req.query = "cylindrical shells buckling";
    req.mode = search_mode::dense;
    {
        retriever r(*store_, embedder_, settings);
        ASSERT_TRUE(r.search(req));
        ASSERT_TRUE(r.flush());
    }
    EXPECT_TRUE(std::filesystem::exists(dir / "aero.hnsw"));
    // a change the saved file does not hold: the next retriever loads the
    // file and follows the change log
    ASSERT_TRUE(store_->delete_document("aero", "buckling"));
    retriever r(*store_, embedder_, settings);
    auto hits = r.search(req);
    ASSERT_TRUE(hits);
    for (const auto & h : *hits) {
        EXPECT_NE(h.chunk.doc_id, "buckling");
    }
    EXPECT_EQ(r.stats().loads, 1u);
    EXPECT_EQ(r.stats().follows, 1u);
    EXPECT_EQ(r.stats().builds, 0u);
    // a file of a collection version the store never had (a store restored
    // from an older backup): not trusted, rebuilt
    {
        retriever newer(*store_, embedder_, settings);
        ASSERT_TRUE(newer.search(req));
        ASSERT_TRUE(newer.flush());
    }
    {
        std::ofstream meta(dir / "aero.hnsw.meta", std::ios::trunc);
        meta << nlohmann::json{{"version", 999}, {"dims", 256}, {"m", 16}}.dump();
    }
    retriever again(*store_, embedder_, settings);
    ASSERT_TRUE(again.search(req));
    EXPECT_EQ(again.stats().builds, 1u);
    std::filesystem::remove_all(dir);
}

TEST_F(RagSearch, BadRequests) {
    search_request req;
    req.query = "x";
    EXPECT_FALSE(retriever_->search(req)) << "no collection";
    req.collections = {"nope"};
    auto missing = retriever_->search(req);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.err().kind, error_kind::not_found);
    req.collections = {"aero"};
    req.top_k = 0;
    EXPECT_FALSE(retriever_->search(req));
    req.top_k = 5;
    req.query = std::string(20000, 'a');
    EXPECT_FALSE(retriever_->search(req));
    req.query = "the of and";  // only stop words: nothing for BM25 to rank
    req.mode = search_mode::bm25;
    EXPECT_TRUE(doc_ids(req).empty());
    EXPECT_FALSE(parse_search_mode("fuzzy"));
}

namespace {

class RagReplicas : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> dense_ids(retriever & r, const std::string & collection, const std::string & query) {
    search_request req;
    req.collections = {collection};
    req.query = query;
    req.mode = search_mode::dense;
    req.top_k = 10;
    auto hits = r.search(req);
    EXPECT_TRUE(hits) << hits.err().message;
    std::vector<std::string> out;
    for (const auto & h : hits ? *hits : std::vector<search_hit>{}) {
        out.push_back(h.chunk.doc_id);
    }
    return out;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, RagReplicas, ::testing::Values("sqlite", "postgresql"),
                         [](const auto & info) { return info.param; });

// Two gateways on one store, each with its own HNSW index: what one ingests
// or deletes, the other's index follows from the change log, without a rebuild.
TEST_P(RagReplicas, EachIndexFollowsTheOthersChanges) {
    test_stores::store_location where(GetParam());
    if (where.location().empty()) {
        GTEST_SKIP() << where.skip_reason();
    }
    auto a = store::open(where.location());
    auto b = store::open(where.location());
    ASSERT_TRUE(a && b);
    collection_info c;
    c.id = "shared";
    c.name = "shared";
    c.chunking = {32, 4};
    ASSERT_TRUE((*a)->create_collection(c));
    hashed_embedder embedder(128);
    const auto dir = std::filesystem::temp_directory_path() / ("tiergate-replicas-" + std::to_string(::getpid()));
    retriever_settings sa, sb;
    sa.index_dir = (dir / "a").string();
    sb.index_dir = (dir / "b").string();
    retriever ra(**a, embedder, sa), rb(**b, embedder, sb);
    ingester in(**a, embedder, &ra);
    auto add = [&](const std::string & id, const std::string & text) {
        document d;
        d.id = id;
        d.text = text;
        ASSERT_TRUE(in.ingest("shared", d));
    };
    add("wing", "swept wing flutter at transonic speed");
    add("nozzle", "rocket nozzle heat flux and throat erosion");
    EXPECT_EQ(dense_ids(rb, "shared", "nozzle throat heat").at(0), "nozzle");
    EXPECT_EQ(rb.stats().builds, 1u);

    add("icing", "rotor blade icing on helicopters in cold clouds");
    ASSERT_TRUE((*a)->delete_document("shared", "nozzle"));
    const auto after = dense_ids(rb, "shared", "helicopter rotor icing clouds");
    EXPECT_EQ(after.at(0), "icing") << "b sees what a ingested";
    EXPECT_EQ(std::count(after.begin(), after.end(), "nozzle"), 0) << "and not what a deleted";
    EXPECT_EQ(rb.stats().builds, 1u);
    EXPECT_EQ(rb.stats().follows, 1u);
    ASSERT_TRUE(rb.flush());

    // b restarts while a goes on: the saved file is loaded and followed
    add("panel", "panel flutter of thin plates in supersonic flow");
    retriever rb2(**b, embedder, sb);
    EXPECT_EQ(dense_ids(rb2, "shared", "thin plate panel flutter supersonic").at(0), "panel");
    EXPECT_EQ(rb2.stats().loads, 1u);
    EXPECT_EQ(rb2.stats().follows, 1u);
    EXPECT_EQ(rb2.stats().builds, 0u);
    std::filesystem::remove_all(dir);
}

// Another process deletes a collection and creates it again under the same
// id: this process's index of the old one is not taken for the new one.
TEST_F(RagSearch, AnIndexOfADeletedCollectionIsNotTakenForItsSuccessor) {
    search_request req;
    req.collections = {"aero"};
    req.query = "cylindrical shells buckling";
    req.mode = search_mode::dense;
    ASSERT_EQ(doc_ids(req).at(0), "buckling");
    ASSERT_TRUE(store_->delete_collection("aero"));
    collection_info c;
    c.id = "aero";
    c.name = "aero again";
    c.chunking = {32, 4};
    c.created_ms = 1;  // another creation than the first
    ASSERT_TRUE(store_->create_collection(c));
    ingester in(*store_, embedder_, nullptr);  // not through this retriever, as another process would
    document d;
    d.id = "icing";
    d.text = "Rotor blade icing on helicopters.";
    ASSERT_TRUE(in.ingest("aero", d));
    EXPECT_EQ(doc_ids(req), std::vector<std::string>{"icing"});
}
