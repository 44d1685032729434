#include "router/intent_file.h"

#include "router/weights_file.h"

namespace tiergate::router {
namespace {

const weights_file_format format{"TIERGATE-INTENTS\n", intent_file_version, "intent file", 16ull << 20, true};

}  // namespace

result<size_t> save_intents(const intent_model & model, const std::string & path) {
    if (std::string problem = model.check(); !problem.empty()) {
        return weights_file_error(format, path, problem);
    }
    const nlohmann::json header = {
        {"format", "tiergate-intents"},
        {"version", intent_file_version},
        {"intents", model.intents},
        {"domains", model.domains},
        {"bias", model.bias},
        {"temperature", model.temperature},
        {"oos_threshold", model.oos_threshold},
        {"features", feature_config_json(model.features)},
        {"trained_on", model.trained_on},
    };
    return write_weights_file(format, path, header, model.weights);
}

result<intent_model> load_intents(const std::string & path) {
    intent_model model;
    auto weights = read_weights_file(format, path, [&model](const nlohmann::json & header) -> result<uint64_t> {
        if (!header.is_object()) {
            return error::invalid("bad header: not a JSON object");
        }
        if (header.value("format", std::string{}) != "tiergate-intents") {
            return error::invalid("bad header: format is not tiergate-intents");
        }
        const auto & intents = header.at("intents");
        const auto & domains = header.at("domains");
        const auto & bias = header.at("bias");
        if (!intents.is_array() || intents.size() > max_intent_count || !domains.is_array() ||
            domains.size() > max_intent_count || !bias.is_array() || bias.size() > max_intent_count) {
            return error::invalid("bad header: intents, domains and bias must be arrays of at most " +
                                  std::to_string(max_intent_count) + " entries");
        }
        model.intents = intents.get<std::vector<std::string>>();
        model.domains = domains.get<std::vector<std::string>>();
        model.bias = bias.get<std::vector<float>>();
        model.temperature = header.at("temperature").get<double>();
        model.oos_threshold = header.at("oos_threshold").get<double>();
        auto features = read_feature_config(header.at("features"), false);
        if (!features) {
            return features.err();
        }
        model.features = *features;
        model.trained_on = header.value("trained_on", std::string{});
        return feature_extractor(model.features).dimension() * model.intents.size();
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

}  // namespace tiergate::router
