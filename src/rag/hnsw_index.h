#pragma once
// Approximate nearest neighbours with hnswlib (inner product over unit
// vectors), persisted to a file with a sidecar naming the collection version
// it holds, from which the retriever brings it up to date.
// Searches run concurrently; additions and removals take the lock alone.

#include "core/error.h"
#include "rag/store.h"

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
template <typename T>
class SpaceInterface;
}  // namespace hnswlib

namespace tiergate::rag {

struct hnsw_settings {
    size_t m = 16;                 // links per node
    size_t ef_construction = 200;
    size_t ef_search = 96;         // candidates a query keeps; see docs/retrieval.md
};

class hnsw_index {
  public:
    hnsw_index(uint32_t dims, hnsw_settings settings, size_t capacity = 1024);
    ~hnsw_index();
    hnsw_index(const hnsw_index &) = delete;
    hnsw_index & operator=(const hnsw_index &) = delete;

    uint32_t dims() const { return dims_; }
    size_t size() const;
    void add(int64_t id, std::span<const float> v);
    // Many vectors (`vectors` holds ids.size() rows of dims() floats) on
    // `threads` threads at once, as hnswlib allows; searches wait.
    void add_many(const std::vector<int64_t> & ids, const std::vector<float> & vectors, size_t threads);
    void remove(int64_t id);
    std::vector<scored_chunk> search(std::span<const float> query, size_t k) const;
    void set_ef(size_t ef);

    // Writes the index and its sidecar (version, dims) atomically.
    result<bool> save(const std::string & path, int64_t version) const;
    // The saved index when its sidecar names `dims` and the same links per
    // node, with the collection version it holds in `version`; nullptr when
    // the file is missing, unreadable or of another shape.
    static std::unique_ptr<hnsw_index> load(const std::string & path, uint32_t dims, hnsw_settings settings,
                                            int64_t & version);

  private:
    uint32_t dims_;
    hnsw_settings settings_;
    std::unique_ptr<hnswlib::SpaceInterface<float>> space_;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
    mutable std::shared_mutex mu_;
};

}  // namespace tiergate::rag
