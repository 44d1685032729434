#pragma once
// Exact nearest neighbours by inner product over unit vectors: every stored
// vector scored with hnswlib's SIMD inner-product kernel. The reference that
// HNSW's recall is measured against, and the search for small collections.

#include "rag/store.h"

#include <cstdint>
#include <span>
#include <vector>

namespace tiergate::rag {

class flat_index {
  public:
    explicit flat_index(uint32_t dims);
    uint32_t dims() const { return dims_; }
    size_t size() const { return ids_.size(); }
    void add(int64_t id, std::span<const float> v);
    // The k best by inner product (score = dot product), best first.
    std::vector<scored_chunk> search(std::span<const float> query, size_t k) const;

  private:
    uint32_t dims_;
    std::vector<int64_t> ids_;
    std::vector<float> values_;
};

// Scales v to unit length (left as it is when it is all zeros).
void normalize(std::span<float> v);

}  // namespace tiergate::rag
