#include "router/intent_file.h"

#include "router/weights_file.h"

namespace tiergate::router {
namespace {

const weights_file_format format{"TIERGATE-INTENTS\n", intent_file_version, "intent file", 16ull << 20, true};

}  // namespace

result<size_t> save_intents(const intent_model & model, const std::string & path) {
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
    return write_model_file(format, path, model, header);
}

result<intent_model> load_intents(const std::string & path) {
    return read_model_file<intent_model>(format, path, [](auto & model, const nlohmann::json & header) -> result<uint64_t> {
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
}

}  // namespace tiergate::router
