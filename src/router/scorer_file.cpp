#include "router/scorer_file.h"

#include "router/weights_file.h"

namespace tiergate::router {
namespace {

const weights_file_format format{"TIERGATE-SCORER\n", scorer_file_version, "scorer file", 64ull << 20, true};

}  // namespace

result<size_t> save_scorer(const scorer_model & model, const std::string & path) {
    const nlohmann::json header = {
        {"format", "tiergate-scorer"},
        {"version", scorer_file_version},
        {"hash_bits", model.features.hash_bits},
        {"max_text_bytes", model.features.max_text_bytes},
        {"bias", model.bias},
        {"models", model.models},
        {"costs_usd_per_call", model.costs},
        {"chain", model.chain},
        {"thresholds", model.thresholds},
        {"trained_on", model.trained_on},
    };
    return write_model_file(format, path, model, header);
}

result<scorer_model> load_scorer(const std::string & path) {
    return read_model_file<scorer_model>(format, path, [](auto & model, const nlohmann::json & header) -> result<uint64_t> {
        model.features.hash_bits = header.at("hash_bits").get<uint32_t>();
        model.features.max_text_bytes = header.at("max_text_bytes").get<uint32_t>();
        if (model.features.hash_bits < 8 || model.features.hash_bits > 26) {
            return error::invalid("hash_bits must be within 8..26", "hash_bits");
        }
        model.bias = header.at("bias").get<float>();
        model.models = header.at("models").get<std::vector<std::string>>();
        model.costs = header.at("costs_usd_per_call").get<std::vector<double>>();
        model.chain = header.at("chain").get<std::vector<cascade_stage>>();
        model.thresholds = header.at("thresholds").get<std::vector<double>>();
        model.trained_on = header.value("trained_on", std::string{});
        return uint64_t{1} << model.features.hash_bits;
    });
}

}  // namespace tiergate::router
