#include "router/intent_file.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tiergate::router {
namespace {

static_assert(std::endian::native == std::endian::little, "intent files are written little-endian");

constexpr char magic[] = "TIERGATE-INTENTS\n";
constexpr size_t magic_size = sizeof(magic) - 1;
constexpr uint64_t max_header_bytes = 16ull << 20;

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

error file_error(const std::string & path, const std::string & what) {
    return error::invalid("intent file " + path + ": " + what, "router");
}

nlohmann::json features_json(const feature_config & f) {
    return {{"hash_bits", f.hash_bits},         {"word_unigrams", f.word_unigrams},
            {"word_bigrams", f.word_bigrams},   {"char_min", f.char_min},
            {"char_max", f.char_max},           {"max_word_chars", f.max_word_chars},
            {"max_text_bytes", f.max_text_bytes}, {"dense_set", f.dense_set}};
}

}  // namespace

result<size_t> save_intents(const intent_model & model, const std::string & path) {
    if (std::string problem = model.check(); !problem.empty()) {
        return file_error(path, problem);
    }
    const nlohmann::json header = {
        {"format", "tiergate-intents"},
        {"version", intent_file_version},
        {"intents", model.intents},
        {"domains", model.domains},
        {"bias", model.bias},
        {"temperature", model.temperature},
        {"oos_threshold", model.oos_threshold},
        {"features", features_json(model.features)},
        {"trained_on", model.trained_on},
    };
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception & e) {
        // dump() refuses invalid UTF-8 in a name
        return file_error(path, std::string("cannot write the header: ") + e.what());
    }
    std::string bytes(magic, magic_size);
    put<uint32_t>(bytes, intent_file_version);
    put<uint64_t>(bytes, text.size());
    bytes += text;
    put<uint64_t>(bytes, model.weights.size());
    const size_t prefix = bytes.size();
    bytes.resize(prefix + model.weights.size() * sizeof(float));
    std::memcpy(bytes.data() + prefix, model.weights.data(), model.weights.size() * sizeof(float));

    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) {
            return file_error(path, "cannot open " + temporary + " for writing");
        }
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out.flush()) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            return file_error(path, "write failed");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return file_error(path, "cannot rename the temporary file into place");
    }
    return bytes.size();
}

result<intent_model> load_intents(const std::string & path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return file_error(path, "is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return file_error(path, "cannot open (missing or unreadable)");
    }
    in.seekg(0, std::ios::end);
    const std::streamoff file_size = in.tellg();
    in.seekg(0);
    if (file_size < 0) {
        return file_error(path, "cannot read its size");
    }
    char head[magic_size];
    if (!in.read(head, magic_size) || std::memcmp(head, magic, magic_size) != 0) {
        return file_error(path, "not a tiergate intent file (bad magic)");
    }
    uint32_t version = 0;
    uint64_t header_size = 0;
    if (!take(in, version) || !take(in, header_size)) {
        return file_error(path, "truncated header");
    }
    if (version != intent_file_version) {
        return file_error(path, "format version " + std::to_string(version) + " is not supported (expected " +
                                    std::to_string(intent_file_version) + ")");
    }
    if (header_size > max_header_bytes) {
        return file_error(path, "header length " + std::to_string(header_size) + " is over the limit of " +
                                    std::to_string(max_header_bytes) + " bytes");
    }
    if (header_size > static_cast<uint64_t>(file_size)) {
        return file_error(path, "truncated header (" + std::to_string(header_size) + " bytes announced)");
    }
    std::string text(header_size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(header_size))) {
        return file_error(path, "truncated header");
    }
    intent_model model;
    try {
        const nlohmann::json header = nlohmann::json::parse(text);
        if (!header.is_object()) {
            return file_error(path, "bad header: not a JSON object");
        }
        if (header.value("format", std::string{}) != "tiergate-intents") {
            return file_error(path, "bad header: format is not tiergate-intents");
        }
        const auto & intents = header.at("intents");
        const auto & domains = header.at("domains");
        const auto & bias = header.at("bias");
        if (!intents.is_array() || intents.size() > max_intent_count || !domains.is_array() ||
            domains.size() > max_intent_count || !bias.is_array() || bias.size() > max_intent_count) {
            return file_error(path, "bad header: intents, domains and bias must be arrays of at most " +
                                        std::to_string(max_intent_count) + " entries");
        }
        model.intents = intents.get<std::vector<std::string>>();
        model.domains = domains.get<std::vector<std::string>>();
        model.bias = bias.get<std::vector<float>>();
        model.temperature = header.at("temperature").get<double>();
        model.oos_threshold = header.at("oos_threshold").get<double>();
        const auto & f = header.at("features");
        model.features.hash_bits = f.at("hash_bits").get<uint32_t>();
        model.features.word_unigrams = f.at("word_unigrams").get<bool>();
        model.features.word_bigrams = f.at("word_bigrams").get<bool>();
        model.features.char_min = f.at("char_min").get<uint32_t>();
        model.features.char_max = f.at("char_max").get<uint32_t>();
        model.features.max_word_chars = f.at("max_word_chars").get<uint32_t>();
        model.features.max_text_bytes = f.at("max_text_bytes").get<uint32_t>();
        model.features.dense_set = f.at("dense_set").get<uint32_t>();
        model.trained_on = header.value("trained_on", std::string{});
    } catch (const nlohmann::json::exception & e) {
        return file_error(path, std::string("bad header: ") + e.what());
    }
    if (model.features.hash_bits < 4 || model.features.hash_bits > 26) {
        return file_error(path, "hash_bits " + std::to_string(model.features.hash_bits) + " is out of range 4..26");
    }
    if (model.features.dense_set < 1 || model.features.dense_set > 2) {
        return file_error(path, "dense_set " + std::to_string(model.features.dense_set) + " is not 1 or 2");
    }
    uint64_t count = 0;
    if (!take(in, count)) {
        return file_error(path, "truncated weights");
    }
    const uint64_t expected = feature_extractor(model.features).dimension() * model.intents.size();
    if (count != expected) {
        return file_error(path, "weight count " + std::to_string(count) + " does not match the header (expected " +
                                    std::to_string(expected) + ")");
    }
    // the weights must be in the file before any memory is taken for them
    const std::streamoff at = in.tellg();
    if (at < 0 || file_size < at || count > static_cast<uint64_t>(file_size - at) / sizeof(float)) {
        return file_error(path, "truncated weights (" + std::to_string(count) + " expected)");
    }
    if (static_cast<uint64_t>(file_size - at) != count * sizeof(float)) {
        return file_error(path, "trailing bytes after the weights");
    }
    model.weights.resize(count);
    if (!in.read(reinterpret_cast<char *>(model.weights.data()), static_cast<std::streamsize>(count * sizeof(float)))) {
        return file_error(path, "truncated weights");
    }
    if (std::string problem = model.check(); !problem.empty()) {
        return file_error(path, problem);
    }
    return model;
}

}  // namespace tiergate::router
