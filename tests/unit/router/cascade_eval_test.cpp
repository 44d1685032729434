// The offline cascade: answers loaded from RouterBench-format files, the
// replay of a given chain (costs of every call, acceptance by threshold), the
// sweep's frontier, and the whole loop on the RouterBench data (trained on
// the train split, settings chosen on validation, reported on test).
#include "eval/cascade_eval.h"
#include "eval/routing_data.h"
#include "eval/routing_split.h"
#include "eval/scorer_train.h"
#include "router/scorer_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace tiergate;

namespace {

const std::string routerbench_dir = std::string(TIERGATE_SHARED_DIR) + "/data/routing/routerbench";

std::string temp_file(const std::string & name, const std::string & text) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("tiergate_cascade_test_" + std::to_string(::getpid()) + "_" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

// Two models; `cheap` is right on q1 and q2, `dear` on every prompt.
const char * tiny_csv =
    "prompt,cheap,dear,cheap|model_response,dear|model_response,cheap|total_cost,dear|total_cost\n"
    "\"['q1\\nA) x\\nB) y']\",1.0,1.0,\"['A']\",\"['A']\",0.1,1.0\n"
    "\"['q2\\nA) x\\nB) y']\",1.0,1.0,\"['B']\",\"['B']\",0.1,1.0\n"
    "\"['q3\\nA) x\\nB) y']\",0.0,1.0,\"['A']\",\"['B']\",0.1,1.0\n"
    "\"['q4\\nA) x\\nB) y']\",0.0,1.0,\"['perhaps A']\",\"['B']\",0.1,1.0\n";

}  // namespace

TEST(cascade_data, answers_are_read_beside_the_scores) {
    const std::vector<std::string> paths = {temp_file("tiny.csv", tiny_csv)};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    ASSERT_EQ(data->samples.size(), 4u);
    EXPECT_EQ(data->samples[3].answers[data->model_index("cheap")], "perhaps A");
    EXPECT_EQ(eval::answered_models(*data).size(), 2u);
    // the RouteLLM format has no answers: no scorer can be trained on it
    const std::vector<std::string> plain = {temp_file("plain.csv", "prompt,cheap,dear\nq,True,False\n")};
    auto no_answers = eval::load_routing_data(plain);
    ASSERT_TRUE(no_answers.ok());
    EXPECT_TRUE(eval::answered_models(*no_answers).empty());
    const std::vector<eval::cost_override> costs = {{"cheap", 0.1}, {"dear", 1.0}};
    auto refused = eval::train_scorer_on_data(*no_answers, costs, {});
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.err().message.find("model_response"), std::string::npos);
}

TEST(cascade_replay, a_chain_pays_for_every_call_and_accepts_by_threshold) {
    const std::vector<std::string> paths = {temp_file("tiny2.csv", tiny_csv)};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok());
    eval::scorer_data_options options;
    options.split = eval::data_split::all;
    options.training.features.hash_bits = 10;
    auto model = eval::train_scorer_on_data(*data, {}, options);
    ASSERT_TRUE(model.ok()) << model.err().message;
    EXPECT_EQ(model->models, (std::vector<std::string>{"cheap", "dear"}));
    EXPECT_NEAR(model->costs[0], 0.1, 1e-6);
    const router::answer_scorer scorer(*model);
    auto replay = eval::cascade_replay::prepare(scorer, *data);
    ASSERT_TRUE(replay.ok()) << replay.err().message;
    ASSERT_EQ(replay->size(), 4u);
    const size_t cheap = replay->index_of("cheap");
    const size_t dear = replay->index_of("dear");

    // threshold 0: the cheap answer is always accepted
    const eval::cascade_point always = replay->evaluate({{{cheap}, {dear}}, {0.0}});
    EXPECT_NEAR(always.point.quality, 0.5, 1e-9);
    EXPECT_NEAR(always.point.cost, 0.1, 1e-6);
    EXPECT_NEAR(always.calls, 1.0, 1e-9);
    EXPECT_NEAR(always.point.strong_share, 0.0, 1e-9);
    // threshold above 1: always escalated, both calls paid
    const eval::cascade_point never = replay->evaluate({{{cheap}, {dear}}, {1.5}});
    EXPECT_NEAR(never.point.quality, 1.0, 1e-9);
    EXPECT_NEAR(never.point.cost, 1.1, 1e-6);
    EXPECT_NEAR(never.calls, 2.0, 1e-9);
    EXPECT_NEAR(never.sequential, 2.0, 1e-9);
    // both at once: two calls, one wait, the better scored answer kept
    const eval::cascade_point pair = replay->evaluate({{{cheap, dear}}, {}});
    EXPECT_NEAR(pair.point.cost, 1.1, 1e-6);
    EXPECT_NEAR(pair.sequential, 1.0, 1e-9);
    EXPECT_GE(pair.point.quality, 0.5);

    // the frontier is cheapest first and each point is better than every cheaper one
    size_t swept = 0;
    const auto frontier = replay->frontier({}, &swept);
    ASSERT_FALSE(frontier.empty());
    EXPECT_GT(swept, frontier.size());
    for (size_t i = 1; i < frontier.size(); ++i) {
        EXPECT_GT(frontier[i].point.cost, frontier[i - 1].point.cost);
        EXPECT_GT(frontier[i].point.quality, frontier[i - 1].point.quality);
    }
    EXPECT_NEAR(frontier.front().point.cost, 0.1, 1e-6) << "the cheapest setting is the cheap model alone";
    EXPECT_NEAR(frontier.back().point.quality, 1.0, 1e-9);
    // pick_for_quality: the cheapest setting reaching the target
    const eval::cascade_config reach = eval::pick_for_quality(frontier, 1.0);
    EXPECT_NEAR(replay->evaluate(reach).point.quality, 1.0, 1e-9);
}

TEST(cascade_end_to_end, routerbench_held_out) {
    const std::vector<std::string> paths = {routerbench_dir};
    auto data = eval::load_routing_data(paths);
    ASSERT_TRUE(data.ok()) << data.err().message;
    router::scorer_training_summary summary;
    auto model = eval::train_scorer_on_data(*data, {}, {}, &summary);
    ASSERT_TRUE(model.ok()) << model.err().message;
    EXPECT_EQ(model->models.size(), 11u);
    EXPECT_GT(summary.prompts, 1300u);
    const router::answer_scorer scorer(*model);
    const eval::routing_dataset test = eval::select_split(*data, eval::data_split::test);
    const eval::routing_dataset validation = eval::select_split(*data, eval::data_split::validation);
    eval::cascade_options options;
    options.max_stages = 2;
    options.parallel_start = 2;
    auto report = eval::evaluate_cascade(scorer, test, &validation, "validation", options);
    ASSERT_TRUE(report.ok()) << report.err().message;
    const auto & r = report->routing;
    EXPECT_GT(r.n, 390u);
    // mechanics, not a quality target: the scorer ranks answers better than chance,
    // better still beside another model's answer, and the curve spans the single models
    EXPECT_GT(report->ranking.all, 0.65);
    EXPECT_GT(report->ranking.with_one_other, report->ranking.all);
    ASSERT_TRUE(r.aiq);
    ASSERT_FALSE(report->points.empty());
    for (const auto & p : report->points) {
        EXPECT_GE(p.calls, 1.0);
        EXPECT_GE(p.sequential, 1.0);
        EXPECT_LE(p.sequential, p.calls + 1e-9);
    }
    ASSERT_EQ(report->picks.size(), 2u);
    EXPECT_LE(report->picks[1].chosen_on.point.cost,
              0.3 * eval::cascade_replay::prepare(scorer, validation)->baseline().single_models[r.strong].cost + 1e-12);
    const nlohmann::json j = eval::cascade_report_to_json(*report);
    EXPECT_TRUE(j.contains("held_out_picks"));
    EXPECT_GT(j.at("decision_us").at("decisions").get<size_t>(), 4000u);
    EXPECT_FALSE(eval::cascade_report_to_text(*report).empty());
}
