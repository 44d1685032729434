#pragma once
// hnswlib's inner-product kernel (SSE, AVX or AVX-512, chosen for the CPU at
// run time) for exact search. hnswlib's headers define non-inline functions,
// so only one translation unit (hnsw_index.cpp) may include them; this class
// is defined there.

#include <cstdint>
#include <memory>

namespace hnswlib {
template <typename T>
class SpaceInterface;
}  // namespace hnswlib

namespace tiergate::rag {

class inner_product {
  public:
    explicit inner_product(uint32_t dims);
    ~inner_product();
    inner_product(const inner_product &) = delete;
    inner_product & operator=(const inner_product &) = delete;

    // 1 - a·b over `dims` floats.
    float distance(const float * a, const float * b) const { return fn_(a, b, param_); }

  private:
    std::unique_ptr<hnswlib::SpaceInterface<float>> space_;
    float (*fn_)(const void *, const void *, const void *);
    const void * param_;
};

}  // namespace tiergate::rag
