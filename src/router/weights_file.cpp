#include "router/weights_file.h"

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tiergate::router {

namespace {

static_assert(std::endian::native == std::endian::little, "weights files are written little-endian");

template <class T>
void put(std::string & out, T value) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out.append(bytes, sizeof(T));
}

template <class T>
bool take(std::ifstream & in, T & value) {
    char bytes[sizeof(T)];
    if (!in.read(bytes, sizeof(T))) {
        return false;
    }
    std::memcpy(&value, bytes, sizeof(T));
    return true;
}

}  // namespace

error weights_file_error(const weights_file_format & format, const std::string & path, const std::string & what) {
    return error::invalid(std::string(format.name) + " " + path + ": " + what, "router");
}

result<size_t> write_weights_file(const weights_file_format & format, const std::string & path,
                                  const nlohmann::json & header, const std::vector<float> & weights) {
    auto fail = [&](const std::string & what) { return weights_file_error(format, path, what); };
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception & e) {
        // dump() refuses invalid UTF-8 in a name
        return fail(std::string("cannot write the header: ") + e.what());
    }
    std::string bytes(format.magic);
    put<uint32_t>(bytes, format.version);
    put<uint64_t>(bytes, text.size());
    bytes += text;
    put<uint64_t>(bytes, weights.size());
    const size_t prefix = bytes.size();
    bytes.resize(prefix + weights.size() * sizeof(float));
    std::memcpy(bytes.data() + prefix, weights.data(), weights.size() * sizeof(float));

    const std::string temporary = path + ".tmp";
    std::error_code ec;
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) {
            return fail("cannot open " + temporary + " for writing");
        }
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush()) {
            std::filesystem::remove(temporary, ec);
            return fail("write failed");
        }
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return fail("cannot rename the temporary file into place");
    }
    return bytes.size();
}

result<std::vector<float>> read_weights_file(const weights_file_format & format, const std::string & path,
                                             const std::function<result<uint64_t>(const nlohmann::json &)> & read_header) {
    auto fail = [&](const std::string & what) { return weights_file_error(format, path, what); };
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return fail("is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail("cannot open (missing or unreadable)");
    }
    in.seekg(0, std::ios::end);
    const std::streamoff file_size = in.tellg();
    in.seekg(0);
    if (file_size < 0) {
        return fail("cannot read its size");
    }
    std::string head(format.magic.size(), '\0');
    if (!in.read(head.data(), static_cast<std::streamsize>(head.size())) || head != format.magic) {
        return fail(std::string("not a tiergate ") + format.name + " (bad magic)");
    }
    uint32_t version = 0;
    uint64_t header_size = 0;
    if (!take(in, version) || !take(in, header_size)) {
        return fail("truncated header");
    }
    if (version != format.version) {
        return fail("format version " + std::to_string(version) + " is not supported (expected " +
                    std::to_string(format.version) + ")");
    }
    if (header_size > format.max_header_bytes) {
        return fail("header length " + std::to_string(header_size) + " is over the limit of " +
                    std::to_string(format.max_header_bytes) + " bytes");
    }
    if (header_size > static_cast<uint64_t>(file_size)) {
        return fail("truncated header (" + std::to_string(header_size) + " bytes announced)");
    }
    std::string text(header_size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(header_size))) {
        return fail("truncated header");
    }
    uint64_t expected = 0;
    try {
        auto count = read_header(nlohmann::json::parse(text));
        if (!count) {
            return fail(count.err().message);
        }
        expected = *count;
    } catch (const nlohmann::json::exception & e) {
        return fail(std::string("bad header: ") + e.what());
    }
    uint64_t count = 0;
    if (!take(in, count)) {
        return fail("truncated weights");
    }
    if (count != expected) {
        return fail("weight count " + std::to_string(count) + " does not match the header (expected " +
                    std::to_string(expected) + ")");
    }
    // the weights must be in the file before any memory is taken for them
    const std::streamoff at = in.tellg();
    if (at < 0 || file_size < at || count > static_cast<uint64_t>(file_size - at) / sizeof(float)) {
        return fail("truncated weights (" + std::to_string(count) + " expected)");
    }
    if (format.exact_size && static_cast<uint64_t>(file_size - at) != count * sizeof(float)) {
        return fail("trailing bytes after the weights");
    }
    std::vector<float> weights(count);
    if (!in.read(reinterpret_cast<char *>(weights.data()), static_cast<std::streamsize>(count * sizeof(float)))) {
        return fail("truncated weights");
    }
    return weights;
}

nlohmann::json feature_config_json(const feature_config & f) {
    return {{"hash_bits", f.hash_bits},         {"word_unigrams", f.word_unigrams},
            {"word_bigrams", f.word_bigrams},   {"char_min", f.char_min},
            {"char_max", f.char_max},           {"max_word_chars", f.max_word_chars},
            {"max_text_bytes", f.max_text_bytes}, {"dense_set", f.dense_set}};
}

result<feature_config> read_feature_config(const nlohmann::json & f, bool older_defaults) {
    feature_config out;
    out.hash_bits = f.at("hash_bits").get<uint32_t>();
    out.word_unigrams = f.at("word_unigrams").get<bool>();
    out.word_bigrams = f.at("word_bigrams").get<bool>();
    out.char_min = f.at("char_min").get<uint32_t>();
    out.char_max = f.at("char_max").get<uint32_t>();
    out.max_word_chars = f.at("max_word_chars").get<uint32_t>();
    if (older_defaults) {
        out.max_text_bytes = f.value("max_text_bytes", uint32_t{0});
        out.dense_set = f.value("dense_set", uint32_t{1});
    } else {
        out.max_text_bytes = f.at("max_text_bytes").get<uint32_t>();
        out.dense_set = f.at("dense_set").get<uint32_t>();
    }
    if (out.hash_bits < 4 || out.hash_bits > 26) {
        return error::invalid("hash_bits " + std::to_string(out.hash_bits) + " is out of range 4..26");
    }
    if (out.dense_set < 1 || out.dense_set > 2) {
        return error::invalid("dense_set " + std::to_string(out.dense_set) + " is not 1 or 2");
    }
    return out;
}

}  // namespace tiergate::router
