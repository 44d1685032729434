#include "router/router_file.h"

#include <nlohmann/json.hpp>

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tiergate::router {
namespace {

static_assert(std::endian::native == std::endian::little, "router files are written little-endian");

constexpr char magic[] = "TIERGATE-ROUTER\n";
constexpr size_t magic_size = sizeof(magic) - 1;
constexpr uint64_t max_header_bytes = 64ull << 20;

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
    return error::invalid("router file " + path + ": " + what, "router");
}

}  // namespace

result<size_t> save_router(const router_model & model, const std::string & path) {
    if (std::string problem = model.check(); !problem.empty()) {
        return file_error(path, problem);
    }
    nlohmann::json header = {
        {"format", "tiergate-router"},
        {"version", router_file_version},
        {"models", model.models},
        {"costs_usd_per_call", model.costs},
        {"bias", model.bias},
        {"rule", to_string(model.rule)},
        {"threshold", model.threshold},
        {"lambda", model.lambda},
        {"features",
         {{"hash_bits", model.features.hash_bits},
          {"word_unigrams", model.features.word_unigrams},
          {"word_bigrams", model.features.word_bigrams},
          {"char_min", model.features.char_min},
          {"char_max", model.features.char_max},
          {"max_word_chars", model.features.max_word_chars},
          {"max_text_bytes", model.features.max_text_bytes},
          {"dense_set", model.features.dense_set}}},
        {"trained_on", model.trained_on},
    };
    const std::string text = header.dump();
    std::string bytes(magic, magic_size);
    put<uint32_t>(bytes, router_file_version);
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

result<router_model> load_router(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return file_error(path, "cannot open (missing or unreadable)");
    }
    char head[magic_size];
    if (!in.read(head, magic_size) || std::memcmp(head, magic, magic_size) != 0) {
        return file_error(path, "not a tiergate router file (bad magic)");
    }
    uint32_t version = 0;
    uint64_t header_size = 0;
    if (!take(in, version) || !take(in, header_size)) {
        return file_error(path, "truncated header");
    }
    if (version != router_file_version) {
        return file_error(path, "format version " + std::to_string(version) + " is not supported (expected " +
                                    std::to_string(router_file_version) + ")");
    }
    if (header_size > max_header_bytes) {
        return file_error(path, "header too large");
    }
    std::string text(header_size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(header_size))) {
        return file_error(path, "truncated header");
    }
    router_model model;
    try {
        const nlohmann::json header = nlohmann::json::parse(text);
        model.models = header.at("models").get<std::vector<std::string>>();
        model.costs = header.at("costs_usd_per_call").get<std::vector<double>>();
        model.bias = header.at("bias").get<std::vector<float>>();
        auto rule = parse_pick_rule(header.at("rule").get<std::string>());
        if (!rule) {
            return file_error(path, rule.err().message);
        }
        model.rule = *rule;
        model.threshold = header.at("threshold").get<double>();
        model.lambda = header.at("lambda").get<double>();
        const auto & f = header.at("features");
        model.features.hash_bits = f.at("hash_bits").get<uint32_t>();
        model.features.word_unigrams = f.at("word_unigrams").get<bool>();
        model.features.word_bigrams = f.at("word_bigrams").get<bool>();
        model.features.char_min = f.at("char_min").get<uint32_t>();
        model.features.char_max = f.at("char_max").get<uint32_t>();
        model.features.max_word_chars = f.at("max_word_chars").get<uint32_t>();
        model.features.max_text_bytes = f.value("max_text_bytes", uint32_t{0});
        model.features.dense_set = f.value("dense_set", uint32_t{1});
        model.trained_on = header.value("trained_on", std::string{});
    } catch (const nlohmann::json::exception & e) {
        return file_error(path, std::string("bad header: ") + e.what());
    }
    if (model.features.hash_bits < 4 || model.features.hash_bits > 26) {
        return file_error(path, "hash_bits out of range 4..26");
    }
    if (model.features.dense_set < 1 || model.features.dense_set > 2) {
        return file_error(path, "dense_set " + std::to_string(model.features.dense_set) + " is not 1 or 2");
    }
    uint64_t count = 0;
    if (!take(in, count)) {
        return file_error(path, "truncated weights");
    }
    const uint64_t expected = feature_extractor(model.features).dimension() * model.models.size();
    if (count != expected) {
        return file_error(path, "weight count " + std::to_string(count) + " does not match the header (expected " +
                                    std::to_string(expected) + ")");
    }
    // the weights must be in the file before any memory is taken for them
    const std::streamoff at = in.tellg();
    in.seekg(0, std::ios::end);
    const std::streamoff end = in.tellg();
    in.seekg(at);
    if (at < 0 || end < at || count > static_cast<uint64_t>(end - at) / sizeof(float)) {
        return file_error(path, "truncated weights (" + std::to_string(count) + " expected)");
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
