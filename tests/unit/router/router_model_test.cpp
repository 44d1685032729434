#include "eval/routing_calibrate.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "router/hashed_features.h"
#include "router/learned_router.h"
#include "router/router_file.h"
#include "router/router_training.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace tiergate;
using namespace tiergate::router;

namespace {

// Weak model right on "easy" prompts, wrong on "hard" ones; strong always right.
struct synthetic {
    std::vector<std::string> prompts;
    std::vector<std::vector<float>> labels;
    std::vector<training_example> examples;

    synthetic() {
        const char * topics[] = {"geometry", "poetry", "chemistry", "history", "law", "music"};
        for (int i = 0; i < 240; ++i) {
            const bool hard = i % 2 == 1;
            prompts.push_back(std::string(hard ? "Prove the hard theorem about " : "Name the easy fact about ") +
                              topics[i % 6] + " number " + std::to_string(i));
            labels.push_back({hard ? 0.0f : 1.0f, 1.0f});
        }
        for (size_t i = 0; i < prompts.size(); ++i) {
            examples.push_back({prompts[i], labels[i]});
        }
    }
};

router_model train_synthetic(uint64_t seed = 1) {
    synthetic data;
    training_config config;
    config.features.hash_bits = 12;
    config.epochs = 5;
    config.learning_rate = 0.1;
    config.seed = seed;
    auto model = train_router(data.examples, {"small", "large"}, {0.001, 0.01}, config);
    EXPECT_TRUE(model.ok());
    return *model;
}

std::string temp_path(const std::string & name) {
    return (std::filesystem::temp_directory_path() / ("tiergate_router_test_" + name)).string();
}

}  // namespace

TEST(hashed_features, deterministic_case_insensitive_and_bounded) {
    feature_extractor extractor({.hash_bits = 10});
    sparse_features a;
    sparse_features b;
    extractor.extract("Hello World, hello!", a);
    extractor.extract("hello world, HELLO!", b);
    EXPECT_EQ(a.buckets, b.buckets);
    EXPECT_FALSE(a.buckets.empty());
    for (uint32_t bucket : a.buckets) {
        EXPECT_LT(bucket, 1024u);
    }
    EXPECT_NEAR(a.scale, 1.0 / std::sqrt(static_cast<double>(a.buckets.size())), 1e-6);
    sparse_features c;
    extractor.extract("completely different words", c);
    EXPECT_NE(a.buckets, c.buckets);
    sparse_features empty;
    extractor.extract("", empty);
    EXPECT_TRUE(empty.buckets.empty());
    EXPECT_EQ(empty.scale, 0.0f);
}

TEST(hashed_features, configuration_changes_the_features) {
    sparse_features words_only;
    sparse_features with_chars;
    feature_extractor({.hash_bits = 12, .char_min = 0}).extract("alpha beta gamma", words_only);
    feature_extractor({.hash_bits = 12}).extract("alpha beta gamma", with_chars);
    EXPECT_EQ(words_only.buckets.size(), 5u);  // 3 unigrams + 2 bigrams
    EXPECT_GT(with_chars.buckets.size(), words_only.buckets.size());
}

TEST(hashed_features, long_prompts_are_read_as_head_and_tail) {
    std::string huge;
    while (huge.size() < 100000) {
        huge += "alpha beta ";
    }
    huge += "omega";
    const feature_extractor capped({.max_text_bytes = 2048});
    const auto parts = capped.parts(huge);
    EXPECT_EQ(parts.head.size() + parts.tail.size(), 2048u);
    EXPECT_EQ(parts.head.data(), huge.data());
    EXPECT_EQ(parts.tail.substr(parts.tail.size() - 5), "omega");
    auto count = [](const feature_extractor & e, std::string_view text) {
        return e.for_each_hashed(text, [](uint32_t) {});
    };
    EXPECT_LT(count(capped, huge), 2048u * 3);
    EXPECT_EQ(count(capped, huge.substr(0, 1000)), count(feature_extractor({.max_text_bytes = 0}), huge.substr(0, 1000)));
    EXPECT_GT(count(feature_extractor({.max_text_bytes = 0}), huge), count(capped, huge) * 10);
}

TEST(learned_router, learns_which_prompts_the_weak_model_fails) {
    const learned_router router(train_synthetic());
    float easy[2];
    float hard[2];
    router.predict("Name the easy fact about rivers number 999", easy);
    router.predict("Prove the hard theorem about rivers number 999", hard);
    EXPECT_GT(easy[0], 0.7f);
    EXPECT_LT(hard[0], 0.3f);
    EXPECT_GT(hard[1], 0.7f);
    EXPECT_EQ(router.pick(easy, pick_rule::threshold, 0.5), 0u);
    EXPECT_EQ(router.pick(hard, pick_rule::threshold, 0.5), 1u);
}

TEST(learned_router, pick_rules) {
    router_model model = train_synthetic();
    const learned_router router(model);
    const float q[2] = {0.6f, 0.9f};
    EXPECT_EQ(router.pick(q, pick_rule::threshold, 0.5), 0u);   // cheapest clearing
    EXPECT_EQ(router.pick(q, pick_rule::threshold, 0.7), 1u);
    EXPECT_EQ(router.pick(q, pick_rule::threshold, 0.95), 1u);  // none clears: best predicted
    const float reversed[2] = {0.9f, 0.6f};
    EXPECT_EQ(router.pick(reversed, pick_rule::threshold, 0.95), 0u);
    EXPECT_EQ(router.pick(q, pick_rule::tradeoff, 0.0), 1u);    // quality only
    EXPECT_EQ(router.pick(q, pick_rule::tradeoff, 10.0), 0u);   // cost dominates
    // 0.9 - l * 1.0 vs 0.6 - l * 0.1: strong while l < 1/3.
    EXPECT_EQ(router.pick(q, pick_rule::tradeoff, 0.3), 1u);
    EXPECT_EQ(router.pick(q, pick_rule::tradeoff, 0.4), 0u);
}

TEST(learned_router, training_is_deterministic) {
    const router_model a = train_synthetic(7);
    const router_model b = train_synthetic(7);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.bias, b.bias);
    const router_model c = train_synthetic(8);
    EXPECT_NE(a.weights, c.weights);
}

TEST(learned_router, training_rejects_bad_input) {
    synthetic data;
    EXPECT_FALSE(train_router(data.examples, {"only"}, {0.1}, {}).ok());  // 2 labels per example
    EXPECT_FALSE(train_router({}, {"a", "b"}, {0.1, 0.2}, {}).ok());
    EXPECT_FALSE(train_router(data.examples, {"a", "b"}, {0.1}, {}).ok());
    std::vector<std::vector<float>> unknown(3, {NAN, 1.0f});
    std::vector<training_example> examples;
    for (auto & l : unknown) {
        examples.push_back({"text", l});
    }
    auto no_labels = train_router(examples, {"a", "b"}, {0.1, 0.2}, {});
    ASSERT_FALSE(no_labels.ok());
    EXPECT_NE(no_labels.err().message.find("'a'"), std::string::npos);
}

TEST(router_file, save_load_round_trip) {
    router_model model = train_synthetic();
    model.rule = pick_rule::threshold;
    model.threshold = 0.625;
    model.lambda = 0.25;
    model.trained_on = "synthetic";
    const std::string path = temp_path("round_trip.router");
    auto written = save_router(model, path);
    ASSERT_TRUE(written.ok()) << written.err().message;
    EXPECT_EQ(*written, std::filesystem::file_size(path));
    auto loaded = load_router(path);
    ASSERT_TRUE(loaded.ok()) << loaded.err().message;
    EXPECT_EQ(loaded->models, model.models);
    EXPECT_EQ(loaded->costs, model.costs);
    EXPECT_EQ(loaded->weights, model.weights);
    EXPECT_EQ(loaded->bias, model.bias);
    EXPECT_EQ(loaded->rule, pick_rule::threshold);
    EXPECT_EQ(loaded->threshold, 0.625);
    EXPECT_EQ(loaded->lambda, 0.25);
    EXPECT_EQ(loaded->features.hash_bits, model.features.hash_bits);
    EXPECT_EQ(loaded->trained_on, "synthetic");
    float a[2];
    float b[2];
    learned_router(model).predict("Prove the hard theorem", a);
    learned_router(*loaded).predict("Prove the hard theorem", b);
    EXPECT_EQ(a[0], b[0]);
    EXPECT_EQ(a[1], b[1]);
    std::filesystem::remove(path);
}

TEST(router_file, bad_files_are_errors) {
    EXPECT_FALSE(load_router(temp_path("does_not_exist.router")).ok());

    const std::string junk = temp_path("junk.router");
    std::ofstream(junk) << "not a router";
    auto bad_magic = load_router(junk);
    ASSERT_FALSE(bad_magic.ok());
    EXPECT_NE(bad_magic.err().message.find("magic"), std::string::npos);

    const std::string path = temp_path("truncated.router");
    ASSERT_TRUE(save_router(train_synthetic(), path).ok());
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 100);
    auto truncated = load_router(path);
    ASSERT_FALSE(truncated.ok());
    EXPECT_NE(truncated.err().message.find("truncated"), std::string::npos);

    ASSERT_TRUE(save_router(train_synthetic(), path).ok());
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(16);
        const uint32_t version = 99;
        f.write(reinterpret_cast<const char *>(&version), sizeof(version));
    }
    auto wrong_version = load_router(path);
    ASSERT_FALSE(wrong_version.ok());
    EXPECT_NE(wrong_version.err().message.find("version 99"), std::string::npos);

    router_model broken = train_synthetic();
    broken.weights.pop_back();
    EXPECT_FALSE(save_router(broken, path).ok());
    std::filesystem::remove(junk);
    std::filesystem::remove(path);
}

TEST(option_parsing, costs_targets_and_splits) {
    auto cost = eval::parse_cost_override("org/model=v1=0.0025");
    ASSERT_TRUE(cost.ok());
    EXPECT_EQ(cost->model, "org/model=v1");
    EXPECT_DOUBLE_EQ(cost->usd_per_call, 0.0025);
    EXPECT_FALSE(eval::parse_cost_override("model").ok());
    EXPECT_FALSE(eval::parse_cost_override("model=cheap").ok());
    EXPECT_FALSE(eval::parse_cost_override("model=-1").ok());

    auto share = eval::parse_calibration_target("strong-share=0.2");
    ASSERT_TRUE(share.ok());
    EXPECT_EQ(share->what, eval::calibration_target::kind::strong_share);
    EXPECT_DOUBLE_EQ(share->value, 0.2);
    auto quality = eval::parse_calibration_target("quality=0.95");
    ASSERT_TRUE(quality.ok());
    EXPECT_EQ(quality->what, eval::calibration_target::kind::quality);
    EXPECT_FALSE(eval::parse_calibration_target("cost=0.5").ok());
    EXPECT_FALSE(eval::parse_calibration_target("quality=1.5").ok());
    EXPECT_FALSE(eval::parse_calibration_target("quality").ok());
    EXPECT_FALSE(eval::parse_calibration_target("quality=abc").ok());

    EXPECT_EQ(*eval::parse_split("test"), eval::data_split::test);
    EXPECT_FALSE(eval::parse_split("holdout").ok());
}

TEST(routing_split, deterministic_and_roughly_60_20_20) {
    size_t counts[3] = {0, 0, 0};
    for (int i = 0; i < 10000; ++i) {
        const std::string prompt = "prompt number " + std::to_string(i);
        const eval::data_split s = eval::split_of(prompt);
        EXPECT_EQ(s, eval::split_of(prompt));
        counts[static_cast<int>(s)]++;
    }
    EXPECT_NEAR(counts[0] / 10000.0, 0.6, 0.03);
    EXPECT_NEAR(counts[1] / 10000.0, 0.2, 0.03);
    EXPECT_NEAR(counts[2] / 10000.0, 0.2, 0.03);
}
