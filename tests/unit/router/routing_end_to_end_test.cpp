#include "eval/routing_calibrate.h"
#include "eval/routing_data.h"
#include "eval/routing_eval.h"
#include "eval/routing_plot.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "router/learned_router.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace tiergate;

namespace {

const std::string shared_dir = TIERGATE_SHARED_DIR;
const std::string routellm_dir = shared_dir + "/data/routing/routellm";
const std::string routerbench_dir = shared_dir + "/data/routing/routerbench";

std::string temp_file(const std::string & name, const std::string & text) {
    const auto path = std::filesystem::temp_directory_path() / ("tiergate_routing_test_" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

}  // namespace

TEST(routing_data, routellm_drops_contaminated_prompts) {
    const std::vector<std::string> paths = {routellm_dir};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    EXPECT_EQ(data->files, 57u);
    EXPECT_EQ(data->dropped_contaminated, 5u);
    EXPECT_EQ(data->samples.size(), 14042u - 5u);
    ASSERT_EQ(data->models.size(), 2u);
    double weak = 0;
    for (const auto & s : data->samples) {
        weak += s.quality[data->model_index("mistralai/Mixtral-8x7B-Instruct-v0.1")];
        EXPECT_TRUE(std::isnan(s.cost[0]));
    }
    EXPECT_NEAR(weak / data->samples.size(), 0.681, 0.001);
}

TEST(routing_data, routerbench_parses_prompts_scores_costs_and_empty_cells) {
    const std::vector<std::string> paths = {routerbench_dir};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    EXPECT_EQ(data->samples.size(), 2225u);
    EXPECT_EQ(data->models.size(), 11u);
    EXPECT_NE(data->model_index("gpt-4-1106-preview"), std::string_view::npos);
    size_t empty = 0;
    for (const auto & s : data->samples) {
        for (float q : s.quality) {
            empty += std::isnan(q) ? 1 : 0;
        }
        EXPECT_EQ(s.prompt.find("['"), std::string::npos);
    }
    EXPECT_EQ(empty, 92u);
    // Each file is its own source, in file order.
    std::vector<size_t> per_source(3, 0);
    for (const auto & s : data->samples) {
        ASSERT_LT(s.source, 3u);
        ++per_source[s.source];
    }
    EXPECT_EQ(per_source, (std::vector<size_t>{1039, 299, 887}));
    const auto & first = data->samples.front();
    EXPECT_FALSE(std::isnan(first.cost[data->model_index("gpt-4-1106-preview")]));
}

TEST(routing_data, bad_inputs_are_errors) {
    const std::vector<std::string> missing = {"/nonexistent/routing.csv"};
    auto a = eval::load_routing_data(missing);
    ASSERT_FALSE(a.ok());
    EXPECT_NE(a.err().message.find("/nonexistent/routing.csv"), std::string::npos);

    const std::vector<std::string> malformed = {temp_file("malformed.csv", "prompt,m1\n\"open,True\n")};
    auto b = eval::load_routing_data(malformed);
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.err().message.find("unterminated"), std::string::npos);

    const std::vector<std::string> no_prompt = {temp_file("no_prompt.csv", "text,m1\nhi,True\n")};
    EXPECT_FALSE(eval::load_routing_data(no_prompt).ok());

    const std::vector<std::string> no_models = {temp_file("no_models.csv", "prompt,note\nhi,hello\n")};
    EXPECT_FALSE(eval::load_routing_data(no_models).ok());

    const std::vector<std::string> bad_literal = {
        temp_file("bad_literal.csv", "prompt,m1,m1|total_cost\n\"['open\",1.0,0.1\n")};
    EXPECT_FALSE(eval::load_routing_data(bad_literal).ok());
}

TEST(routing_data, small_two_model_file) {
    const std::vector<std::string> paths = {
        temp_file("tiny.csv", "prompt,cheap,dear\n\"q1, with comma\",True,True\nq2,False,True\n\"q3\nline\",False,False\n")};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    ASSERT_EQ(data->samples.size(), 3u);
    EXPECT_EQ(data->samples[2].prompt, "q3\nline");
    EXPECT_EQ(data->samples[1].quality, (std::vector<float>{0.0f, 1.0f}));
    auto costs = eval::resolve_costs(*data, {});
    ASSERT_FALSE(costs.ok());
    EXPECT_NE(costs.err().message.find("--cost"), std::string::npos);
    const std::vector<eval::cost_override> overrides = {{"cheap", 0.1}, {"dear", 1.0}};
    auto resolved = eval::resolve_costs(*data, overrides);
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(*resolved, (std::vector<double>{0.1, 1.0}));
    const std::vector<eval::cost_override> unknown = {{"other", 1.0}};
    EXPECT_FALSE(eval::resolve_costs(*data, unknown).ok());
}

// Train on the train split of a subset of MMLU subjects, evaluate on the
// held-out test split: better than random routing.
TEST(routing_end_to_end, mmlu_subset_held_out_apgr_above_random) {
    std::vector<std::string> paths;
    for (const char * subject :
         {"abstract_algebra", "college_mathematics", "high_school_mathematics", "elementary_mathematics",
          "high_school_us_history", "marketing", "high_school_psychology", "sociology", "moral_scenarios",
          "professional_law", "world_religions", "us_foreign_policy"}) {
        paths.push_back(routellm_dir + "/mmlu_responses/mmlu_" + subject + ".csv");
    }
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    const std::vector<eval::cost_override> costs = {{"mistralai/Mixtral-8x7B-Instruct-v0.1", 0.0002},
                                                    {"gpt-4-1106-preview", 0.003}};
    router::training_config config;
    config.features.hash_bits = 16;
    config.epochs = 3;
    config.ensemble = 1;
    auto model = eval::train_on_data(*data, eval::data_split::train, costs, config);
    ASSERT_TRUE(model.ok()) << model.err().message;

    const eval::routing_dataset test = eval::select_split(*data, eval::data_split::test);
    for (const auto & s : test.samples) {
        ASSERT_NE(eval::split_of(s.prompt), eval::data_split::train);
    }
    const router::learned_router router(*model);
    auto report = eval::evaluate_router(router, test);
    ASSERT_TRUE(report.ok()) << report.err().message;
    EXPECT_GT(report->n, 300u);
    ASSERT_TRUE(report->apgr.has_value());
    EXPECT_GT(*report->apgr, 0.55);
    EXPECT_LE(*report->apgr, 1.0);
    EXPECT_TRUE(report->cpt50.has_value());
    EXPECT_LE(report->oracle.quality, 1.0);
    EXPECT_GE(report->oracle.quality, report->single_models[report->strong].quality);

    const nlohmann::json json = eval::report_to_json(*report);
    for (const char * key : {"n", "apgr", "cpt50", "cpt80", "cpt95", "cost_reduction_at_95", "aiq",
                             "cost_share_at_best_single", "points"}) {
        EXPECT_TRUE(json.contains(key)) << key;
    }
    EXPECT_LE(json["points"].size(), 101u);
    EXPECT_TRUE(json["points"][0].contains("threshold"));
    EXPECT_TRUE(json["points"][0].contains("strong_share"));

    const std::string svg = eval::render_routing_svg(*report, "test <plot>");
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("oracle"), std::string::npos);
    EXPECT_NE(svg.find("test &lt;plot&gt;"), std::string::npos);
    EXPECT_NE(svg.find("<polyline"), std::string::npos);

    // Calibration to a strong share on the validation split.
    router::router_model calibrated = *model;
    const eval::routing_dataset validation = eval::select_split(*data, eval::data_split::validation);
    auto c = eval::calibrate_router(calibrated, validation, {eval::calibration_target::kind::strong_share, 0.2});
    ASSERT_TRUE(c.ok()) << c.err().message;
    EXPECT_TRUE(c->met);
    EXPECT_LE(c->achieved.strong_share, 0.2);
    EXPECT_GT(c->achieved.strong_share, 0.1);
    EXPECT_DOUBLE_EQ(calibrated.parameter(), c->parameter);
    auto q = eval::calibrate_router(calibrated, validation, {eval::calibration_target::kind::quality, 0.95});
    ASSERT_TRUE(q.ok());
    EXPECT_GE(q->achieved.quality, 0.95 * q->strong_quality - 1e-9);
}

TEST(routing_end_to_end, routerbench_multi_model_metrics) {
    const std::vector<std::string> paths = {routerbench_dir + "/mbpp_train.csv",
                                            routerbench_dir + "/winograde_train.csv"};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    router::training_config config;
    config.features.hash_bits = 14;
    config.epochs = 2;
    config.ensemble = 1;
    auto model = eval::train_on_data(*data, eval::data_split::train, {}, config);
    ASSERT_TRUE(model.ok()) << model.err().message;
    const router::learned_router router(*model);
    auto report = eval::evaluate_router(router, eval::select_split(*data, eval::data_split::test));
    ASSERT_TRUE(report.ok()) << report.err().message;
    EXPECT_FALSE(report->apgr.has_value());
    ASSERT_TRUE(report->aiq.has_value());
    // The hull dominates every single model between the cheapest and the most expensive.
    double cheapest_quality = report->single_models[report->weak].quality;
    EXPECT_GE(*report->aiq, cheapest_quality - 1e-9);
    EXPECT_LE(*report->aiq, 1.0);
    EXPECT_EQ(report_to_json(*report)["apgr"], nullptr);
    // The best quality at <= 30% of the most expensive model's cost, by hand from the curve.
    const double strong_cost = report->single_models[report->strong].cost;
    double best = -1;
    for (const auto & p : report->curve) {
        if (p.cost <= 0.3 * strong_cost) {
            best = std::max(best, p.quality);
        }
    }
    ASSERT_TRUE(report->quality_at_30_cost.has_value());
    EXPECT_DOUBLE_EQ(*report->quality_at_30_cost, best);
    EXPECT_GE(*report->quality_at_30_cost, report->single_models[report->weak].quality - 1e-9);
    EXPECT_DOUBLE_EQ(report_to_json(*report)["quality_at_30_cost"].get<double>(), best);
}
