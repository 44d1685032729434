#include "rag/flat_index.h"
#include "rag/hnsw_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace tiergate;
using namespace tiergate::rag;

namespace {

// Clustered unit vectors, seeded: a harder and more realistic set than uniform noise.
std::vector<std::vector<float>> clustered(size_t n, uint32_t dims, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g;
    std::vector<std::vector<float>> centres(20, std::vector<float>(dims));
    for (auto & c : centres) {
        for (float & x : c) {
            x = g(rng);
        }
    }
    std::vector<std::vector<float>> out(n, std::vector<float>(dims));
    for (size_t i = 0; i < n; ++i) {
        const auto & c = centres[i % centres.size()];
        for (uint32_t d = 0; d < dims; ++d) {
            out[i][d] = c[d] + 0.6f * g(rng);
        }
        normalize(out[i]);
    }
    return out;
}

}  // namespace

TEST(RagIndex, NormalizeMakesUnitLength) {
    std::vector<float> v{3, 4};
    normalize(v);
    EXPECT_FLOAT_EQ(v[0], 0.6f);
    EXPECT_FLOAT_EQ(v[1], 0.8f);
    std::vector<float> zero{0, 0};
    normalize(zero);
    EXPECT_EQ(zero[0], 0.0f);
}

TEST(RagIndex, FlatSearchIsExact) {
    flat_index flat(3);
    flat.add(1, std::vector<float>{1, 0, 0});
    flat.add(2, std::vector<float>{0, 1, 0});
    flat.add(3, std::vector<float>{0.8f, 0.6f, 0});
    auto top = flat.search(std::vector<float>{1, 0, 0}, 2);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].id, 1);
    EXPECT_FLOAT_EQ(top[0].score, 1.0f);
    EXPECT_EQ(top[1].id, 3);
    EXPECT_NEAR(top[1].score, 0.8, 1e-6);
    EXPECT_TRUE(flat.search(std::vector<float>{1, 0}, 2).empty()) << "a query of the wrong size finds nothing";
}

TEST(RagIndex, HnswRecallAgainstExact) {
    const uint32_t dims = 64;
    const auto data = clustered(5000, dims, 7);
    const auto queries = clustered(100, dims, 99);
    flat_index flat(dims);
    hnsw_index hnsw(dims, {}, 64);  // grows as points arrive
    for (size_t i = 0; i < data.size(); ++i) {
        flat.add(static_cast<int64_t>(i), data[i]);
        hnsw.add(static_cast<int64_t>(i), data[i]);
    }
    EXPECT_EQ(hnsw.size(), data.size());
    auto recall = [&](size_t ef) {
    hnsw.set_ef(ef);
    size_t found = 0;
    for (const auto & q : queries) {
        std::set<int64_t> truth;
        for (const auto & s : flat.search(q, 10)) {
            truth.insert(s.id);
        }
        const auto approx = hnsw.search(q, 10);
        EXPECT_EQ(approx.size(), 10u);
        EXPECT_GE(approx[0].score, approx[9].score);
        for (const auto & s : approx) {
            found += truth.count(s.id);
        }
    }
    return static_cast<double>(found) / (queries.size() * 10);
    };
    const double at_default = recall(hnsw_settings{}.ef_search);
    const double at_256 = recall(256);
    EXPECT_GE(at_default, 0.9);
    EXPECT_GE(at_256, 0.98);
    EXPECT_GE(at_256, at_default);
}

TEST(RagIndex, RemovedPointsAreNotFound) {
    hnsw_index hnsw(2, {}, 16);
    hnsw.add(1, std::vector<float>{1, 0});
    hnsw.add(2, std::vector<float>{0, 1});
    hnsw.remove(1);
    hnsw.remove(42);  // unknown: ignored
    auto top = hnsw.search(std::vector<float>{1, 0}, 5);
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].id, 2);
    EXPECT_EQ(hnsw.size(), 1u);
}

TEST(RagIndex, SaveAndLoad) {
    const auto dir = std::filesystem::temp_directory_path() / ("tiergate-hnsw-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "c.hnsw").string();
    const auto data = clustered(300, 16, 3);
    hnsw_index hnsw(16, {});
    for (size_t i = 0; i < data.size(); ++i) {
        hnsw.add(static_cast<int64_t>(i + 1), data[i]);
    }
    hnsw.remove(1);
    ASSERT_TRUE(hnsw.save(path, index_stamp{7, 1234}));
    index_stamp version;
    auto loaded = hnsw_index::load(path, 16, {}, version);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(version.version, 7) << "the sidecar names the collection version the file holds";
    EXPECT_EQ(version.created_ms, 1234) << "and the collection's creation";
    EXPECT_EQ(loaded->size(), data.size() - 1) << "the removed point stays removed";
    EXPECT_NE(loaded->search(data[0], 1).at(0).id, 1);
    EXPECT_EQ(loaded->search(data[10], 1).at(0).id, 11);
    EXPECT_FALSE(hnsw_index::load(path, 32, {}, version)) << "other dimensions";
    hnsw_settings other;
    other.m = 32;
    EXPECT_FALSE(hnsw_index::load(path, 16, other, version)) << "other links per node";
    EXPECT_FALSE(hnsw_index::load((dir / "missing.hnsw").string(), 16, {}, version));
    {
        std::ofstream garbage(path, std::ios::trunc | std::ios::binary);
        garbage << "not an index";
    }
    EXPECT_FALSE(hnsw_index::load(path, 16, {}, version)) << "an unreadable file is rebuilt, not trusted";
    std::filesystem::remove_all(dir);
}
