#include "plan/gguf_reader.h"

#include "plan/ggml_type_info.h"

#include <cstring>
#include <fstream>
#include <limits>

namespace tiergate::plan {

namespace {

constexpr uint32_t gguf_magic = 0x46554747;  // "GGUF" read as little-endian u32
constexpr uint32_t max_dims = 4;

class cursor {
  public:
    cursor(const std::vector<uint8_t> & bytes) : bytes_(bytes) {}

    uint64_t pos() const { return pos_; }
    bool failed() const { return !message_.empty(); }
    const std::string & message() const { return message_; }

    void fail(const std::string & what) {
        if (message_.empty()) {
            message_ = what + " at byte " + std::to_string(pos_);
        }
    }

    bool take(void * out, uint64_t n) {
        if (failed()) {
            return false;
        }
        if (n > bytes_.size() - pos_) {
            fail("unexpected end of file (need " + std::to_string(n) + " bytes)");
            return false;
        }
        std::memcpy(out, bytes_.data() + pos_, n);
        pos_ += n;
        return true;
    }

    bool skip(uint64_t n) {
        if (failed()) {
            return false;
        }
        if (n > bytes_.size() - pos_) {
            fail("unexpected end of file (need " + std::to_string(n) + " bytes)");
            return false;
        }
        pos_ += n;
        return true;
    }

    template <class T>
    T read() {
        T v{};
        take(&v, sizeof(T));
        return v;
    }

    std::string read_string(uint64_t max_bytes) {
        const auto n = read<uint64_t>();
        if (failed()) {
            return {};
        }
        if (n > max_bytes) {
            fail("string of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(max_bytes));
            return {};
        }
        std::string s(n, '\0');
        take(s.data(), n);
        return s;
    }

    bool skip_string(uint64_t max_bytes) {
        const auto n = read<uint64_t>();
        if (failed()) {
            return false;
        }
        if (n > max_bytes) {
            fail("string of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(max_bytes));
            return false;
        }
        return skip(n);
    }

    uint64_t remaining() const { return bytes_.size() - pos_; }

  private:
    const std::vector<uint8_t> & bytes_;
    uint64_t pos_ = 0;
    std::string message_;
};

uint64_t scalar_size(gguf_value_type t) {
    switch (t) {
        case gguf_value_type::u8:
        case gguf_value_type::i8:
        case gguf_value_type::boolean: return 1;
        case gguf_value_type::u16:
        case gguf_value_type::i16: return 2;
        case gguf_value_type::u32:
        case gguf_value_type::i32:
        case gguf_value_type::f32: return 4;
        case gguf_value_type::u64:
        case gguf_value_type::i64:
        case gguf_value_type::f64: return 8;
        case gguf_value_type::string:
        case gguf_value_type::array: return 0;
    }
    return 0;
}

bool valid_type(uint32_t t) { return t <= static_cast<uint32_t>(gguf_value_type::f64); }

gguf_value read_scalar(cursor & c, gguf_value_type t) {
    switch (t) {
        case gguf_value_type::u8: return static_cast<uint64_t>(c.read<uint8_t>());
        case gguf_value_type::i8: return static_cast<int64_t>(c.read<int8_t>());
        case gguf_value_type::u16: return static_cast<uint64_t>(c.read<uint16_t>());
        case gguf_value_type::i16: return static_cast<int64_t>(c.read<int16_t>());
        case gguf_value_type::u32: return static_cast<uint64_t>(c.read<uint32_t>());
        case gguf_value_type::i32: return static_cast<int64_t>(c.read<int32_t>());
        case gguf_value_type::f32: return static_cast<double>(c.read<float>());
        case gguf_value_type::boolean: {
            const auto b = c.read<uint8_t>();
            if (b > 1) {
                c.fail("bool value " + std::to_string(b) + " is neither 0 nor 1");
            }
            return b == 1;
        }
        case gguf_value_type::u64: return c.read<uint64_t>();
        case gguf_value_type::i64: return c.read<int64_t>();
        case gguf_value_type::f64: return c.read<double>();
        case gguf_value_type::string:
        case gguf_value_type::array: break;
    }
    c.fail("not a scalar type");
    return uint64_t{0};
}

double as_number(const gguf_value & v) {
    if (const auto * u = std::get_if<uint64_t>(&v)) {
        return static_cast<double>(*u);
    }
    if (const auto * i = std::get_if<int64_t>(&v)) {
        return static_cast<double>(*i);
    }
    if (const auto * d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto * b = std::get_if<bool>(&v)) {
        return *b ? 1.0 : 0.0;
    }
    return 0.0;
}

gguf_value read_value(cursor & c, gguf_value_type t, const gguf_limits & limits) {
    if (t == gguf_value_type::string) {
        return c.read_string(limits.max_string_bytes);
    }
    if (t != gguf_value_type::array) {
        return read_scalar(c, t);
    }
    gguf_array arr;
    const auto element_type = c.read<uint32_t>();
    arr.length = c.read<uint64_t>();
    if (c.failed()) {
        return arr;
    }
    if (!valid_type(element_type)) {
        c.fail("array element type " + std::to_string(element_type) + " is unknown");
        return arr;
    }
    arr.element_type = static_cast<gguf_value_type>(element_type);
    if (arr.element_type == gguf_value_type::array) {
        c.fail("nested arrays are not supported");
        return arr;
    }
    if (arr.length > limits.max_array_length) {
        c.fail("array of " + std::to_string(arr.length) + " elements exceeds the limit of " +
               std::to_string(limits.max_array_length));
        return arr;
    }
    if (arr.element_type == gguf_value_type::string) {
        for (uint64_t i = 0; i < arr.length && !c.failed(); ++i) {
            if (i < limits.max_kept_strings) {
                arr.strings.push_back(c.read_string(limits.max_string_bytes));
            } else {
                c.skip_string(limits.max_string_bytes);
            }
        }
        return arr;
    }
    const auto size = scalar_size(arr.element_type);
    if (arr.length > c.remaining() / size) {
        c.fail("unexpected end of file (array of " + std::to_string(arr.length) + " elements)");
        return arr;
    }
    arr.numbers.reserve(arr.length);
    for (uint64_t i = 0; i < arr.length && !c.failed(); ++i) {
        arr.numbers.push_back(as_number(read_scalar(c, arr.element_type)));
    }
    return arr;
}

}  // namespace

std::optional<std::string> gguf_file::get_string(const std::string & key) const {
    auto it = metadata.find(key);
    if (it == metadata.end()) {
        return std::nullopt;
    }
    if (const auto * s = std::get_if<std::string>(&it->second)) {
        return *s;
    }
    return std::nullopt;
}

std::optional<uint64_t> gguf_file::get_uint(const std::string & key) const {
    auto it = metadata.find(key);
    if (it == metadata.end()) {
        return std::nullopt;
    }
    if (const auto * u = std::get_if<uint64_t>(&it->second)) {
        return *u;
    }
    if (const auto * i = std::get_if<int64_t>(&it->second); i != nullptr && *i >= 0) {
        return static_cast<uint64_t>(*i);
    }
    return std::nullopt;
}

std::optional<double> gguf_file::get_number(const std::string & key) const {
    auto it = metadata.find(key);
    if (it == metadata.end() || std::holds_alternative<std::string>(it->second) ||
        std::holds_alternative<gguf_array>(it->second)) {
        return std::nullopt;
    }
    return as_number(it->second);
}

const gguf_array * gguf_file::get_array(const std::string & key) const {
    auto it = metadata.find(key);
    if (it == metadata.end()) {
        return nullptr;
    }
    return std::get_if<gguf_array>(&it->second);
}

std::string gguf_file::architecture() const { return get_string("general.architecture").value_or(""); }

namespace {

// Parses a file whose first bytes.size() bytes are given; file_size is the
// whole file's size (the tensor data need not be in bytes).
result<gguf_file> parse_prefix(const std::vector<uint8_t> & bytes, uint64_t file_size, const gguf_limits & limits) {
    auto malformed = [](const std::string & what) {
        return error::invalid("malformed GGUF: " + what, "model", "invalid_gguf");
    };
    cursor c(bytes);
    gguf_file file;
    file.file_size = file_size;
    const auto magic = c.read<uint32_t>();
    if (c.failed() || magic != gguf_magic) {
        return malformed("the file does not start with the GGUF magic");
    }
    file.version = c.read<uint32_t>();
    if (c.failed()) {
        return malformed(c.message());
    }
    if (file.version != 2 && file.version != 3) {
        return malformed("version " + std::to_string(file.version) +
                         " is not supported (2 and 3 are; a byte-swapped number means a big-endian file)");
    }
    const auto n_tensors = c.read<uint64_t>();
    const auto n_kv = c.read<uint64_t>();
    if (c.failed()) {
        return malformed(c.message());
    }
    if (n_tensors > limits.max_tensor_count) {
        return malformed("tensor count " + std::to_string(n_tensors) + " exceeds the limit of " +
                         std::to_string(limits.max_tensor_count));
    }
    if (n_kv > limits.max_kv_count) {
        return malformed("metadata count " + std::to_string(n_kv) + " exceeds the limit of " +
                         std::to_string(limits.max_kv_count));
    }

    for (uint64_t i = 0; i < n_kv; ++i) {
        std::string key = c.read_string(limits.max_string_bytes);
        const auto type = c.read<uint32_t>();
        if (c.failed()) {
            return malformed(c.message());
        }
        if (key.empty()) {
            return malformed("metadata entry " + std::to_string(i) + " has an empty key");
        }
        if (!valid_type(type)) {
            return malformed("metadata '" + key + "' has unknown value type " + std::to_string(type));
        }
        auto value = read_value(c, static_cast<gguf_value_type>(type), limits);
        if (c.failed()) {
            return malformed("metadata '" + key + "': " + c.message());
        }
        if (!file.metadata.emplace(key, std::move(value)).second) {
            return malformed("metadata key '" + key + "' appears twice");
        }
    }

    if (auto it = file.metadata.find("general.alignment"); it != file.metadata.end()) {
        const auto * a = std::get_if<uint64_t>(&it->second);
        if (a == nullptr || *a == 0 || (*a & (*a - 1)) != 0) {
            return malformed("general.alignment must be a power of two");
        }
        file.alignment = *a;
    }

    std::map<std::string, bool> seen;
    // a tensor info takes at least 32 bytes (name length, one dimension, type,
    // offset): the file's size bounds what a hostile count can reserve
    file.tensors.reserve(std::min<uint64_t>(n_tensors, c.remaining() / 32));
    for (uint64_t i = 0; i < n_tensors; ++i) {
        gguf_tensor_info t;
        t.name = c.read_string(limits.max_string_bytes);
        const auto n_dims = c.read<uint32_t>();
        if (c.failed()) {
            return malformed(c.message());
        }
        if (n_dims == 0 || n_dims > max_dims) {
            return malformed("tensor '" + t.name + "' has " + std::to_string(n_dims) + " dimensions (1 to 4 allowed)");
        }
        t.n_elements = 1;
        for (uint32_t d = 0; d < n_dims; ++d) {
            const auto dim = c.read<uint64_t>();
            if (c.failed()) {
                return malformed(c.message());
            }
            if (dim == 0 || dim > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
                t.n_elements > std::numeric_limits<uint64_t>::max() / dim) {
                return malformed("tensor '" + t.name + "' has an invalid dimension " + std::to_string(dim));
            }
            t.dims.push_back(dim);
            t.n_elements *= dim;
        }
        t.type = c.read<uint32_t>();
        t.offset = c.read<uint64_t>();
        if (c.failed()) {
            return malformed(c.message());
        }
        const auto info = find_ggml_type(t.type);
        if (!info) {
            return malformed("tensor '" + t.name + "' has unknown ggml type " + std::to_string(t.type));
        }
        if (t.dims[0] % info->block_elements != 0) {
            return malformed("tensor '" + t.name + "' row of " + std::to_string(t.dims[0]) +
                             " elements is not a whole number of " + std::string(info->name) + " blocks");
        }
        t.n_bytes = t.n_elements / info->block_elements * info->block_bytes;
        if (t.offset % file.alignment != 0) {
            return malformed("tensor '" + t.name + "' offset is not aligned to " + std::to_string(file.alignment));
        }
        if (!seen.emplace(t.name, true).second) {
            return malformed("tensor name '" + t.name + "' appears twice");
        }
        file.tensors.push_back(std::move(t));
    }

    const uint64_t pos = c.pos();
    file.data_offset = (pos + file.alignment - 1) / file.alignment * file.alignment;
    if (file.data_offset > file.file_size && !file.tensors.empty()) {
        return malformed("the tensor data section starts past the end of the file");
    }
    for (const auto & t : file.tensors) {
        const uint64_t data_size = file.file_size - file.data_offset;
        if (t.offset > data_size || t.n_bytes > data_size - t.offset) {
            return malformed("tensor '" + t.name + "' data (" + std::to_string(t.n_bytes) +
                             " bytes) lies past the end of the file");
        }
    }
    return file;
}

}  // namespace

result<gguf_file> parse_gguf(const std::vector<uint8_t> & bytes, const gguf_limits & limits) {
    return parse_prefix(bytes, bytes.size(), limits);
}

result<gguf_file> read_gguf(const std::string & path, const gguf_limits & limits) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        return error{error_kind::not_found, "cannot open model file " + path, "model", "model_not_found", {}};
    }
    const auto size = in.tellg();
    if (size < 0) {
        return error{error_kind::invalid_request, "cannot read model file " + path, "model", "model_unreadable", {}};
    }
    // The tensor data is not needed: read the file up to a generous header size,
    // then account for the rest by size only.
    const uint64_t file_size = static_cast<uint64_t>(size);
    uint64_t want = std::min<uint64_t>(file_size, 64ull << 20);
    std::vector<uint8_t> bytes;
    for (;;) {
        bytes.resize(want);
        in.seekg(0);
        if (!in.read(reinterpret_cast<char *>(bytes.data()), static_cast<std::streamsize>(want))) {
            return error{error_kind::invalid_request, "cannot read model file " + path, "model", "model_unreadable", {}};
        }
        auto parsed = parse_prefix(bytes, file_size, limits);
        if (parsed.ok()) {
            return parsed;
        }
        const bool truncated = parsed.err().message.find("unexpected end of file") != std::string::npos;
        if (!truncated || want == file_size) {
            auto e = parsed.err();
            e.message = path + ": " + e.message;
            return e;
        }
        want = std::min<uint64_t>(file_size, want * 4);
    }
}

}  // namespace tiergate::plan
