#include "router/router_file.h"

#include "router/weights_file.h"

namespace tiergate::router {
namespace {

const weights_file_format format{"TIERGATE-ROUTER\n", router_file_version, "router file", 64ull << 20, false};

}  // namespace

result<size_t> save_router(const router_model & model, const std::string & path) {
    const nlohmann::json header = {
        {"format", "tiergate-router"},
        {"version", router_file_version},
        {"models", model.models},
        {"costs_usd_per_call", model.costs},
        {"bias", model.bias},
        {"rule", to_string(model.rule)},
        {"threshold", model.threshold},
        {"lambda", model.lambda},
        {"features", feature_config_json(model.features)},
        {"trained_on", model.trained_on},
    };
    return write_model_file(format, path, model, header);
}

result<router_model> load_router(const std::string & path) {
    return read_model_file<router_model>(format, path, [](auto & model, const nlohmann::json & header) -> result<uint64_t> {
        model.models = header.at("models").get<std::vector<std::string>>();
        model.costs = header.at("costs_usd_per_call").get<std::vector<double>>();
        model.bias = header.at("bias").get<std::vector<float>>();
        auto rule = parse_pick_rule(header.at("rule").get<std::string>());
        if (!rule) {
            return rule.err();
        }
        model.rule = *rule;
        model.threshold = header.at("threshold").get<double>();
        model.lambda = header.at("lambda").get<double>();
        auto features = read_feature_config(header.at("features"), true);
        if (!features) {
            return features.err();
        }
        model.features = *features;
        model.trained_on = header.value("trained_on", std::string{});
        return feature_extractor(model.features).dimension() * model.models.size();
    });
}

}  // namespace tiergate::router
