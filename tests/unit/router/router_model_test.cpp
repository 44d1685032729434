#include "eval/routing_calibrate.h"
#include "eval/routing_split.h"
#include "eval/routing_train.h"
#include "router/hashed_features.h"
#include "router/learned_router.h"
#include "router/router_file.h"
#include "router/router_training.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
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

// A header that claims billions of weights in a file that holds none: an
// error, before any memory is taken for them.
TEST(router_file, weights_the_file_cannot_hold_are_refused_before_allocating) {
    router_model model = train_synthetic();
    model.features.hash_bits = 26;
    const size_t n_models = 64;
    model.models.resize(n_models, "m");
    for (size_t i = 0; i < n_models; ++i) {
        model.models[i] = "m" + std::to_string(i);
    }
    model.costs.assign(n_models, 1.0);
    model.bias.assign(n_models, 0.0f);
    const std::string path = temp_path("huge_claim.router");
    const std::string ok_path = temp_path("small.router");
    ASSERT_TRUE(save_router(train_synthetic(), ok_path).ok());
    // the saved file's layout with this header and a weight count but no weights
    std::ifstream in(ok_path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    uint64_t header_size = 0;
    std::memcpy(&header_size, bytes.data() + 20, sizeof(header_size));
    auto header = nlohmann::json::parse(bytes.substr(28, header_size));
    header["models"] = model.models;
    header["costs_usd_per_call"] = model.costs;
    header["bias"] = model.bias;
    header["features"]["hash_bits"] = 26;
    const std::string text = header.dump();
    std::string out = bytes.substr(0, 20);
    const uint64_t size = text.size();
    out.append(reinterpret_cast<const char *>(&size), sizeof(size));
    out += text;
    const uint64_t count = feature_extractor(model.features).dimension() * n_models;
    out.append(reinterpret_cast<const char *>(&count), sizeof(count));
    std::ofstream(path, std::ios::binary | std::ios::trunc) << out;
    auto loaded = load_router(path);
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.err().message.find("truncated weights"), std::string::npos) << loaded.err().message;
    std::filesystem::remove(path);
    std::filesystem::remove(ok_path);
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

TEST(hashed_features, extended_dense_set_reads_cross_domain_cues) {
    const feature_extractor basic({.hash_bits = 10, .dense_set = 1});
    const feature_extractor extended({.hash_bits = 10, .dense_set = 2});
    EXPECT_EQ(basic.dense_count(), 8u);
    EXPECT_EQ(extended.dense_count(), 24u);
    EXPECT_EQ(basic.dimension(), 1024u + 8u);
    EXPECT_EQ(extended.dimension(), 1024u + 24u);

    const std::string mc = "Which is largest?\nA. 12\nB. 7\nC) 3\n(D) 40000\nAnswer:";
    const dense_features b = basic.dense(mc);
    const dense_features e = extended.dense(mc);
    for (size_t j = 0; j < 8; ++j) {
        EXPECT_EQ(b[j], e[j]) << j;  // the first 8 are the same in both sets
    }
    for (size_t j = 8; j < dense_feature_count; ++j) {
        EXPECT_EQ(b[j], 0.0f) << j;
    }
    EXPECT_NEAR(e[8], std::log1p(4.0) / 3.0, 1e-6);   // four numbers
    EXPECT_NEAR(e[10], std::log1p(4.0) / 2.0, 1e-6);  // four answer options
    EXPECT_NEAR(e[15], 5.0 / 6.0, 1e-6);              // the longest number has 5 digits
    EXPECT_EQ(e[11], 0.0f);                           // no code
    // One length bin is set: 55 bytes is the first (< 64).
    EXPECT_EQ(e[16], 1.0f);
    float bins = 0;
    for (size_t j = 16; j < 24; ++j) {
        bins += e[j];
    }
    EXPECT_EQ(bins, 1.0f);

    const dense_features code = extended.dense("def f(x):\n    return x + 1\n```\nprint(f(2))\n```\n");
    EXPECT_GT(code[11], 0.0f);
    EXPECT_GT(code[9], 0.0f);  // '+'
    std::string long_prompt(5000, 'a');
    EXPECT_EQ(extended.dense(long_prompt)[23], 1.0f);  // >= 4096 bytes: the last bin
    // The last paragraph after worked examples is measured on its own.
    const dense_features shots = extended.dense("Q: 1+1?\nA: 2\n\nQ: 2+2?\nA: 4\n\nQ: 3+3?");
    EXPECT_NEAR(shots[14], std::log1p(7.0) / 8.0, 1e-6);
}

TEST(router_file, dense_set_round_trips_and_old_files_read_as_set_1) {
    synthetic data;
    training_config config;
    config.features.hash_bits = 10;
    config.features.dense_set = 1;
    config.epochs = 2;
    auto model = train_router(data.examples, {"small", "large"}, {0.001, 0.01}, config);
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(model->weights.size(), (1024u + 8u) * 2u);
    const std::string path = temp_path("dense_set.router");
    ASSERT_TRUE(save_router(*model, path).ok());
    auto loaded = load_router(path);
    ASSERT_TRUE(loaded.ok()) << loaded.err().message;
    EXPECT_EQ(loaded->features.dense_set, 1u);

    // A version-1 header without the dense_set key (files written before it existed).
    std::string bytes;
    {
        std::ifstream in(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    uint64_t header_size = 0;
    std::memcpy(&header_size, bytes.data() + 20, sizeof(header_size));
    std::string header = bytes.substr(28, header_size);
    const std::string key = ",\"dense_set\":1";
    const size_t at = header.find(key);
    ASSERT_NE(at, std::string::npos) << header;
    header.erase(at, key.size());
    const uint64_t new_size = header.size();
    std::string old = bytes.substr(0, 20);
    old.append(reinterpret_cast<const char *>(&new_size), sizeof(new_size));
    old += header;
    old += bytes.substr(28 + header_size);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << old;
    auto old_loaded = load_router(path);
    ASSERT_TRUE(old_loaded.ok()) << old_loaded.err().message;
    EXPECT_EQ(old_loaded->features.dense_set, 1u);
    EXPECT_EQ(old_loaded->weights, model->weights);
    std::filesystem::remove(path);
}

TEST(learned_router, group_means_pull_the_labels) {
    // Group 0 ("alpha"): the weak model is right on 1 prompt in 10; group 1
    // ("beta"): on 9 in 10. A prompt of group 0 whose own label is right is
    // predicted right only when labels are not pulled toward the group mean.
    std::vector<std::string> prompts;
    std::vector<std::vector<float>> labels;
    std::vector<uint32_t> groups;
    for (int i = 0; i < 200; ++i) {
        const bool beta = i % 2 == 1;
        const bool right = beta ? (i / 2) % 10 != 0 : (i / 2) % 10 == 0;
        prompts.push_back(std::string(beta ? "beta topic " : "alpha topic ") + "item" + std::to_string(i));
        labels.push_back({right ? 1.0f : 0.0f, 1.0f});
        groups.push_back(beta ? 1 : 0);
    }
    std::vector<training_example> examples;
    for (size_t i = 0; i < prompts.size(); ++i) {
        examples.push_back({prompts[i], labels[i], groups[i]});
    }
    auto fit = [&](double weight, bool one_group) {
        training_config config;
        config.features.hash_bits = 12;
        config.epochs = 30;
        config.learning_rate = 0.3;
        config.ensemble = 1;
        config.group_label_weight = weight;
        std::vector<training_example> ex = examples;
        if (one_group) {
            for (auto & e : ex) {
                e.group = 7;
            }
        }
        auto model = train_router(ex, {"small", "large"}, {0.001, 0.01}, config);
        EXPECT_TRUE(model.ok());
        float q[2];
        learned_router(*model).predict(prompts[0], q);  // group 0, labelled right
        return q[0];
    };
    EXPECT_GT(fit(1.0, false), 0.5f);  // memorized
    EXPECT_LT(fit(0.0, false), 0.3f);  // the group mean, 0.1 smoothed toward 0.5
    EXPECT_GT(fit(0.0, true), 0.5f);   // one group: nothing to pull toward
    training_config bad;
    bad.group_label_weight = 1.5;
    EXPECT_FALSE(train_router(examples, {"small", "large"}, {0.001, 0.01}, bad).ok());
}

TEST(learned_router, shared_weights_learn_the_task_and_differ) {
    synthetic data;
    training_config config;
    config.features.hash_bits = 12;
    config.epochs = 5;
    config.learning_rate = 0.1;
    auto separate = train_router(data.examples, {"small", "large"}, {0.001, 0.01}, config);
    config.shared_weights = true;
    auto shared = train_router(data.examples, {"small", "large"}, {0.001, 0.01}, config);
    ASSERT_TRUE(separate.ok());
    ASSERT_TRUE(shared.ok());
    EXPECT_EQ(shared->weights.size(), separate->weights.size());
    EXPECT_NE(shared->weights, separate->weights);
    const learned_router router(*shared);
    float easy[2];
    float hard[2];
    router.predict("Name the easy fact about rivers number 999", easy);
    router.predict("Prove the hard theorem about rivers number 999", hard);
    EXPECT_GT(easy[0], 0.7f);
    EXPECT_LT(hard[0], 0.3f);
}
