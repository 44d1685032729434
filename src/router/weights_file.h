#pragma once
// The frame the learned models' files share (the router file, the intent
// file): a magic line, a little-endian u32 format version, a u64 length and
// a JSON header, then a u64 count and the float32 weights. Written
// atomically (temporary file + rename); read with every length checked
// against the file before memory is taken for it, so a truncated or hostile
// file is an error, never a crash. What the header holds is each file's own.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "router/hashed_features.h"

namespace tiergate::router {

struct weights_file_format {
    std::string_view magic;    // e.g. "TIERGATE-ROUTER\n"
    uint32_t version = 1;
    const char * name;         // in errors: "router file"
    uint64_t max_header_bytes;
    bool exact_size = false;   // bytes after the weights are an error
};

result<size_t> write_weights_file(const weights_file_format & format, const std::string & path,
                                  const nlohmann::json & header, const std::vector<float> & weights);

// Reads the frame. `read_header` takes the model's fields from the parsed
// header (nlohmann's exceptions are caught and reported as a bad header) and
// returns how many weights the model must have.
result<std::vector<float>> read_weights_file(const weights_file_format & format, const std::string & path,
                                             const std::function<result<uint64_t>(const nlohmann::json &)> & read_header);

// An error about the file at `path`, in the format's name.
error weights_file_error(const weights_file_format & format, const std::string & path, const std::string & what);

// A model in this frame (a type with `weights` and `check()`, empty when
// consistent): checked before it is written; read with read_header(model,
// header) filling the header's fields, then its weights, then checked.
template <class model_t>
result<size_t> write_model_file(const weights_file_format & format, const std::string & path, const model_t & model,
                                const nlohmann::json & header) {
    if (std::string problem = model.check(); !problem.empty()) {
        return weights_file_error(format, path, problem);
    }
    return write_weights_file(format, path, header, model.weights);
}

template <class model_t, class header_reader>
result<model_t> read_model_file(const weights_file_format & format, const std::string & path,
                                header_reader && read_header) {
    model_t model;
    auto weights = read_weights_file(format, path, [&](const nlohmann::json & header) -> result<uint64_t> {
        return read_header(model, header);
    });
    if (!weights) {
        return weights.err();
    }
    model.weights = std::move(*weights);
    if (std::string problem = model.check(); !problem.empty()) {
        return weights_file_error(format, path, problem);
    }
    return model;
}

// The feature settings in a header. Reading: `older_defaults` fills
// max_text_bytes and dense_set as files written before them meant; the
// ranges are checked.
nlohmann::json feature_config_json(const feature_config & f);
result<feature_config> read_feature_config(const nlohmann::json & f, bool older_defaults);

}  // namespace tiergate::router
