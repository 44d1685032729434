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

// Which state of which collection a saved index holds: the collection's
// version, and when it was created (a collection deleted and created again
// under the same id starts at version 1 again).
struct index_stamp {
    int64_t version = 0;
    int64_t created_ms = 0;
};

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

    // Writes the index and its sidecar (stamp, dims), each renamed into place,
    // under an exclusive lock on `<path>.lock` (processes sharing an index
    // directory do not interleave their saves).
    result<bool> save(const std::string & path, const index_stamp & stamp) const;
    // The saved index when its sidecar names `dims` and the same links per
    // node, with what it holds in `stamp`; nullptr when the file is missing,
    // unreadable or of another shape. Read under a shared lock on `<path>.lock`.
    static std::unique_ptr<hnsw_index> load(const std::string & path, uint32_t dims, hnsw_settings settings,
                                            index_stamp & stamp);

  private:
    uint32_t dims_;
    hnsw_settings settings_;
    std::unique_ptr<hnswlib::SpaceInterface<float>> space_;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
    mutable std::shared_mutex mu_;
};

}  // namespace tiergate::rag
