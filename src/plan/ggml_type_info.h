#pragma once
// Storage layout of ggml tensor types (as of llama.cpp v0.5.0): elements per
// block and bytes per block, by the type id stored in GGUF tensor infos.
#include <cstdint>
#include <optional>
#include <string_view>

namespace tiergate::plan {

struct ggml_type_info {
    uint32_t id = 0;
    std::string_view name;
    uint32_t block_elements = 1;
    uint32_t block_bytes = 0;
};

// nullopt for ids that are unknown or were removed from the format.
std::optional<ggml_type_info> find_ggml_type(uint32_t id);
std::optional<ggml_type_info> find_ggml_type(std::string_view name);

// Bytes of n elements of this type; nullopt if n is not a whole number of blocks.
std::optional<uint64_t> ggml_row_bytes(const ggml_type_info & type, uint64_t n_elements);

}  // namespace tiergate::plan
