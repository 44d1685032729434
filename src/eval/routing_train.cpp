#include "eval/routing_train.h"

#include <charconv>
#include <cmath>

namespace tiergate::eval {

result<cost_override> parse_cost_override(std::string_view text) {
    const size_t eq = text.rfind('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
        return error::invalid("--cost '" + std::string(text) + "' must be MODEL=USD_PER_CALL", "cost");
    }
    cost_override out;
    out.model = std::string(text.substr(0, eq));
    const std::string_view number = text.substr(eq + 1);
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), out.usd_per_call);
    if (ec != std::errc() || ptr != number.data() + number.size() || !std::isfinite(out.usd_per_call) ||
        out.usd_per_call < 0) {
        return error::invalid("--cost '" + std::string(text) + "': '" + std::string(number) +
                                  "' is not a non-negative number of USD per call",
                              "cost");
    }
    return out;
}

result<std::vector<cost_override>> parse_cost_overrides(std::span<const std::string> texts) {
    std::vector<cost_override> out;
    for (const std::string & text : texts) {
        auto o = parse_cost_override(text);
        if (!o) {
            return o.err();
        }
        out.push_back(std::move(*o));
    }
    return out;
}

result<std::vector<double>> resolve_costs(const routing_dataset & data, std::span<const cost_override> overrides,
                                          std::vector<std::string> * sources) {
    for (const cost_override & o : overrides) {
        if (data.model_index(o.model) == std::string_view::npos) {
            std::string known;
            for (const std::string & m : data.models) {
                known += (known.empty() ? "" : ", ") + m;
            }
            return error::invalid("--cost names model '" + o.model + "' which is not in the data (models: " + known +
                                      ")",
                                  "cost");
        }
    }
    std::vector<double> costs(data.models.size(), 0.0);
    if (sources) {
        sources->assign(data.models.size(), "data");
    }
    for (size_t m = 0; m < data.models.size(); ++m) {
        double sum = 0;
        size_t count = 0;
        for (const routing_sample & s : data.samples) {
            if (!std::isnan(s.cost[m])) {
                sum += s.cost[m];
                ++count;
            }
        }
        if (count > 0) {
            costs[m] = sum / static_cast<double>(count);
            continue;
        }
        bool found = false;
        for (const cost_override & o : overrides) {
            if (o.model == data.models[m]) {
                costs[m] = o.usd_per_call;
                found = true;
            }
        }
        if (!found) {
            return error::invalid("no cost for model '" + data.models[m] + "': the data has none, pass --cost " +
                                      data.models[m] + "=USD_PER_CALL",
                                  "cost", "missing_cost");
        }
        if (sources) {
            (*sources)[m] = "option";
        }
    }
    return costs;
}

result<router::router_model> train_on_data(const routing_dataset & data, data_split split,
                                           std::span<const cost_override> overrides,
                                           const router::training_config & config, train_summary * summary,
                                           uint64_t split_seed) {
    const routing_dataset part = select_split(data, split, split_seed);
    if (part.samples.empty()) {
        return error::invalid(std::string("the ") + to_string(split) + " split of the data is empty", "data",
                              "empty_data");
    }
    std::vector<std::string> sources;
    auto costs = resolve_costs(part, overrides, &sources);
    if (!costs) {
        return costs.err();
    }
    std::vector<router::training_example> examples;
    examples.reserve(part.samples.size());
    for (const routing_sample & s : part.samples) {
        examples.push_back({s.prompt, s.quality, s.source});
    }
    auto model = router::train_router(examples, part.models, *costs, config);
    if (!model) {
        return model.err();
    }
    model->trained_on = std::to_string(part.samples.size()) + " prompts (" + to_string(split) + " split of " +
                        std::to_string(data.samples.size()) + " in " + std::to_string(data.files) + " files)";
    if (summary) {
        summary->samples = part.samples.size();
        summary->models = part.models;
        summary->costs = *costs;
        summary->cost_sources = std::move(sources);
    }
    return model;
}

}  // namespace tiergate::eval
