#include "eval/scorer_train.h"

#include <cmath>

namespace tiergate::eval {

std::vector<size_t> answered_models(const routing_dataset & data) {
    std::vector<size_t> out;
    for (size_t m = 0; m < data.models.size(); ++m) {
        for (const routing_sample & s : data.samples) {
            if (m < s.answers.size() && !s.answers[m].empty()) {
                out.push_back(m);
                break;
            }
        }
    }
    return out;
}

result<router::scorer_model> train_scorer_on_data(const routing_dataset & data, std::span<const cost_override> overrides,
                                                  const scorer_data_options & options,
                                                  router::scorer_training_summary * summary) {
    const std::vector<size_t> models = answered_models(data);
    if (models.size() < 2) {
        return error::invalid("the data holds answers (`<model>|model_response` columns) of fewer than two models", "data",
                              "no_answers");
    }
    const routing_dataset part = select_split(data, options.split, options.split_seed);
    auto all_costs = resolve_costs(part, overrides);
    if (!all_costs) {
        return all_costs.err();
    }
    std::vector<router::scorer_training_prompt> prompts;
    prompts.reserve(part.samples.size());
    for (const routing_sample & s : part.samples) {
        router::scorer_training_prompt p;
        p.prompt = s.prompt;
        const router::prompt_options choices = router::prompt_options::read(s.prompt);
        for (size_t m : models) {
            if (std::isnan(s.quality[m])) {  // no label (a model with answers may give an empty one)
                continue;
            }
            router::scored_answer a;
            a.model = data.models[m];
            a.text = s.answers[m];
            a.final = router::extract_final_answer(choices, a.text);
            p.answers.push_back(std::move(a));
            p.labels.push_back(s.quality[m]);
        }
        if (!p.answers.empty()) {
            prompts.push_back(std::move(p));
        }
    }
    if (prompts.empty()) {
        return error::invalid(std::string("the ") + to_string(options.split) + " split holds no labelled answers", "data",
                              "empty_data");
    }
    auto model = router::train_scorer(prompts, options.training, summary);
    if (!model) {
        return model.err();
    }
    for (size_t m : models) {
        model->models.push_back(data.models[m]);
        model->costs.push_back((*all_costs)[m]);
    }
    model->trained_on = std::to_string(prompts.size()) + " prompts (" + to_string(options.split) + " split, seed " +
                        std::to_string(options.split_seed) + ") of " + std::to_string(data.files) + " files";
    return model;
}

}  // namespace tiergate::eval
