#pragma once
// A GGUF reader (format versions 2 and 3, little-endian): header, metadata
// key/values and tensor infos. Tensor data is not read, only checked to lie
// inside the file. Malformed input yields an error naming the problem and its
// byte offset; it never reads out of bounds or allocates without limit.
#include "core/error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tiergate::plan {

enum class gguf_value_type : uint32_t {
    u8 = 0, i8 = 1, u16 = 2, i16 = 3, u32 = 4, i32 = 5, f32 = 6, boolean = 7,
    string = 8, array = 9, u64 = 10, i64 = 11, f64 = 12,
};

// Arrays keep their element type and length; their elements are kept only for
// numbers and for string arrays up to a limit (tokenizer vocabularies are large).
struct gguf_array {
    gguf_value_type element_type = gguf_value_type::u8;
    uint64_t length = 0;
    std::vector<double> numbers;       // numeric and bool elements
    std::vector<std::string> strings;  // string elements, at most gguf_limits::max_kept_strings
};

using gguf_value = std::variant<uint64_t, int64_t, double, bool, std::string, gguf_array>;

struct gguf_tensor_info {
    std::string name;
    std::vector<uint64_t> dims;
    uint32_t type = 0;
    uint64_t offset = 0;  // relative to the start of the data section
    uint64_t n_elements = 0;
    uint64_t n_bytes = 0;
};

struct gguf_file {
    uint32_t version = 0;
    uint64_t file_size = 0;
    uint64_t alignment = 32;
    uint64_t data_offset = 0;  // absolute offset of the tensor data section
    std::map<std::string, gguf_value> metadata;
    std::vector<gguf_tensor_info> tensors;

    std::optional<std::string> get_string(const std::string & key) const;
    std::optional<uint64_t> get_uint(const std::string & key) const;  // any non-negative integer
    std::optional<double> get_number(const std::string & key) const;  // any number
    const gguf_array * get_array(const std::string & key) const;
    std::string architecture() const;  // general.architecture, or empty
};

struct gguf_limits {
    uint64_t max_string_bytes = 1u << 20;
    uint64_t max_array_length = 1u << 26;
    uint64_t max_kv_count = 1u << 20;
    uint64_t max_tensor_count = 1u << 20;
    uint64_t max_kept_strings = 1024;
};

result<gguf_file> read_gguf(const std::string & path, const gguf_limits & limits = {});
result<gguf_file> parse_gguf(const std::vector<uint8_t> & bytes, const gguf_limits & limits = {});

}  // namespace tiergate::plan
