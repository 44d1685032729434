#include "eval/intent_calibrate.h"
#include "eval/intent_data.h"
#include "eval/intent_domains.h"
#include "eval/intent_eval.h"
#include "eval/intent_holdout.h"
#include "eval/intent_train.h"
#include "router/intent_classifier.h"
#include "router/intent_file.h"
#include "router/intent_model.h"
#include "router/intent_training.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

using namespace tiergate;
using namespace tiergate::router;

namespace {

// Four intents with their own vocabulary in two domains, and out-of-scope
// rows about unrelated things; every row is built from a template and a
// counter, so the data is the same on every run.
const char * const intent_names[] = {"book_flight", "check_balance", "play_music", "set_alarm"};

std::string utterance(size_t intent, size_t i) {
    static const char * const starts[] = {"please", "can you", "i want to", "could you", "help me"};
    static const char * const flight[] = {"book a flight to paris", "get me a plane ticket to rome",
                                          "reserve a flight seat to tokyo", "find flights to berlin tomorrow"};
    static const char * const balance[] = {"check my bank balance", "how much money is in my checking account",
                                           "tell me my savings account balance", "show my account funds"};
    static const char * const music[] = {"play some jazz music", "put on a song by queen", "start my rock playlist",
                                         "play the next track loudly"};
    static const char * const alarm[] = {"set an alarm for 7 am", "wake me up at six with an alarm",
                                         "create an alarm for tomorrow morning", "set my alarm clock to 5"};
    static const char * const * const by_intent[] = {flight, balance, music, alarm};
    return std::string(starts[i % 5]) + " " + by_intent[intent][(i / 5) % 4] + (i % 3 == 0 ? " now" : "");
}

std::string out_of_scope(size_t i) {
    static const char * const topics[] = {"what is the capital of peru", "how do volcanoes form",
                                          "who painted the mona lisa", "why is the sky blue",
                                          "how many legs does a spider have", "recommend a good novel about whales"};
    return std::string(topics[i % 6]) + (i % 2 == 0 ? " exactly" : "");
}

eval::intent_dataset synthetic_data(bool with_test = false) {
    eval::intent_dataset data;
    for (size_t intent = 0; intent < 4; ++intent) {
        for (size_t i = 0; i < 60; ++i) {
            data.splits["train"].push_back({utterance(intent, i), intent_names[intent]});
        }
        for (size_t i = 60; i < 80; ++i) {
            data.splits["val"].push_back({utterance(intent, i), intent_names[intent]});
        }
    }
    for (size_t i = 0; i < 30; ++i) {
        data.splits["oos_train"].push_back({out_of_scope(i), "oos"});
    }
    for (size_t i = 30; i < 40; ++i) {
        data.splits["oos_val"].push_back({out_of_scope(i), "oos"});
    }
    if (with_test) {
        data.splits["test"] = data.splits["val"];
        data.splits["oos_test"] = data.splits["oos_val"];
    }
    return data;
}

eval::intent_domain_map synthetic_domains() {
    return {{"book_flight", "travel"}, {"check_balance", "banking"}, {"play_music", "media"}, {"set_alarm", "media"}};
}

intent_training_config small_config() {
    intent_training_config config;
    config.features.hash_bits = 12;
    config.epochs = 8;
    return config;
}

intent_model train_synthetic(uint64_t seed = 7, eval::calibration_source source = eval::calibration_source::holdout,
                             eval::intent_train_summary * summary = nullptr) {
    eval::intent_train_options options;
    options.training = small_config();
    options.training.seed = seed;
    options.calibration = source;
    auto model = eval::train_intent_model(synthetic_data(), synthetic_domains(), options, summary);
    EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.err().message);
    return model.ok() ? *model : intent_model{};
}

std::string temp_path(const std::string & name) {
    return (std::filesystem::temp_directory_path() / ("tiergate_intent_test_" + name)).string();
}

void write_bytes(const std::string & path, const std::string & bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A file in the intent format with the given header and weight count.
std::string forge(const nlohmann::json & header, uint64_t count, size_t weight_bytes, uint32_t version = 1) {
    std::string bytes = "TIERGATE-INTENTS\n";
    const std::string text = header.dump();
    const uint64_t size = text.size();
    bytes.append(reinterpret_cast<const char *>(&version), 4);
    bytes.append(reinterpret_cast<const char *>(&size), 8);
    bytes += text;
    bytes.append(reinterpret_cast<const char *>(&count), 8);
    bytes.append(weight_bytes, '\0');
    return bytes;
}

nlohmann::json tiny_header() {
    return {{"format", "tiergate-intents"},
            {"version", 1},
            {"intents", {"a", "b"}},
            {"domains", {"x", ""}},
            {"bias", {0.0, 0.0}},
            {"temperature", 1.0},
            {"oos_threshold", 0.0},
            {"features",
             {{"hash_bits", 4},
              {"word_unigrams", true},
              {"word_bigrams", true},
              {"char_min", 3},
              {"char_max", 4},
              {"max_word_chars", 24},
              {"max_text_bytes", 2048},
              {"dense_set", 1}}},
            {"trained_on", "hand-made"}};
}

constexpr uint64_t tiny_weights = (16 + 8) * 2;  // (2^4 buckets + 8 dense) x 2 intents

}  // namespace

TEST(intent_classifier, training_separates_intents_and_detects_out_of_scope) {
    const intent_classifier classifier(train_synthetic());
    ASSERT_EQ(classifier.intents().size(), 5u);  // four intents and "oos"
    for (size_t intent = 0; intent < 4; ++intent) {
        for (size_t i = 80; i < 90; ++i) {  // rows never seen in training
            const intent_decision d = classifier.classify(utterance(intent, i));
            EXPECT_EQ(d.intent, intent_names[intent]) << utterance(intent, i);
            EXPECT_FALSE(d.out_of_scope);
            EXPECT_GT(d.confidence, 0.0);
            EXPECT_LE(d.confidence, 1.0);
        }
    }
    EXPECT_EQ(classifier.classify("book a flight to paris").domain, "travel");
    EXPECT_EQ(classifier.classify("set an alarm for 7 am").domain, "media");
    size_t caught = 0;
    for (size_t i = 40; i < 52; ++i) {
        const intent_decision d = classifier.classify(out_of_scope(i));
        if (d.out_of_scope) {
            ++caught;
            EXPECT_EQ(d.intent, "oos");
            EXPECT_EQ(d.domain, "");
        }
    }
    EXPECT_GE(caught, 10u);
}

TEST(intent_classifier, domains_are_distinct_and_sorted) {
    const intent_classifier classifier(train_synthetic());
    EXPECT_EQ(classifier.domains(), (std::vector<std::string>{"banking", "media", "travel"}));
    EXPECT_EQ(classifier.domain_of("play_music"), "media");
    EXPECT_EQ(classifier.domain_of("oos"), "");
    EXPECT_EQ(classifier.domain_of("no_such_intent"), "");
}

TEST(intent_classifier, temperature_and_threshold_decide_out_of_scope) {
    intent_model model = train_synthetic();
    model.temperature = 1e6;  // every probability close to 1/5
    model.oos_threshold = 0.3;
    const intent_classifier strict(model);
    const intent_decision d = strict.classify("book a flight to paris");
    EXPECT_TRUE(d.out_of_scope);
    EXPECT_EQ(d.intent, "oos");
    EXPECT_NEAR(d.confidence, 0.8, 1e-3);  // 1 - p(best intent)
    model.temperature = 1.0;
    model.oos_threshold = 0.0;
    const intent_classifier lenient(model);
    EXPECT_FALSE(lenient.classify("book a flight to paris").out_of_scope);
}

TEST(intent_classifier, probabilities_sum_to_one_and_empty_text_is_handled) {
    const intent_classifier classifier(train_synthetic());
    std::vector<float> p(classifier.intents().size());
    classifier.probabilities("play some jazz music", p);
    double sum = 0;
    for (float v : p) {
        EXPECT_GE(v, 0.0f);
        sum += v;
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
    const intent_decision empty = classifier.classify("");
    EXPECT_FALSE(empty.intent.empty());
    const intent_decision binary = classifier.classify(std::string("\xff\xfe\0\x01", 4));
    EXPECT_FALSE(binary.intent.empty());
}

TEST(intent_classifier, classify_is_thread_safe) {
    const intent_classifier classifier(train_synthetic());
    std::vector<std::string> expected;
    for (size_t i = 0; i < 40; ++i) {
        expected.push_back(classifier.classify(utterance(i % 4, i)).intent);
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round) {
                for (size_t i = 0; i < 40; ++i) {
                    mismatches[t] += classifier.classify(utterance(i % 4, i)).intent != expected[i] ? 1 : 0;
                }
            }
        });
    }
    for (auto & thread : threads) {
        thread.join();
    }
    EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(intent_training, is_deterministic_given_a_seed) {
    const intent_model a = train_synthetic(11);
    const intent_model b = train_synthetic(11);
    const intent_model c = train_synthetic(12);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.bias, b.bias);
    EXPECT_EQ(a.oos_threshold, b.oos_threshold);
    EXPECT_NE(a.weights, c.weights);
}

TEST(intent_training, rejects_bad_inputs) {
    const std::vector<intent_example> one = {{"hello", 0}};
    EXPECT_FALSE(train_intents(one, {"only"}, {""}, small_config()).ok());          // one intent
    EXPECT_FALSE(train_intents(one, {"a", "b"}, {""}, small_config()).ok());        // domains size
    EXPECT_FALSE(train_intents(one, {"a", "b"}, {"", ""}, small_config()).ok());    // "b" has no rows
    const std::vector<intent_example> bad_label = {{"hello", 5}, {"bye", 1}};
    EXPECT_FALSE(train_intents(bad_label, {"a", "b"}, {"", ""}, small_config()).ok());
    const std::vector<intent_example> two = {{"hello", 0}, {"bye", 1}};
    intent_training_config config = small_config();
    config.epochs = 0;
    EXPECT_FALSE(train_intents(two, {"a", "b"}, {"", ""}, config).ok());
    config = small_config();
    config.learning_rate = std::numeric_limits<double>::quiet_NaN();
    EXPECT_FALSE(train_intents(two, {"a", "b"}, {"", ""}, config).ok());
    EXPECT_FALSE(train_intents(two, {"a", "a"}, {"", ""}, small_config()).ok());  // duplicate names
    EXPECT_TRUE(train_intents(two, {"a", "b"}, {"", ""}, small_config()).ok());
}

TEST(intent_train, domain_map_naming_an_unknown_intent_is_an_error) {
    eval::intent_domain_map domains = synthetic_domains();
    domains["cancel_order"] = "shopping";
    eval::intent_train_options options;
    options.training = small_config();
    auto model = eval::train_intent_model(synthetic_data(), domains, options);
    ASSERT_FALSE(model.ok());
    EXPECT_NE(model.err().message.find("cancel_order"), std::string::npos);
    EXPECT_EQ(model.err().param, "domains");
}

TEST(intent_train, calibration_defaults_to_holdout_without_a_test_split) {
    eval::intent_train_summary summary;
    train_synthetic(7, eval::calibration_source::automatic, &summary);
    EXPECT_EQ(summary.calibration, "holdout");
    EXPECT_EQ(summary.calibrated.oos_rows, 6u);         // 20% of 30 oos_train rows
    EXPECT_EQ(summary.calibrated.in_scope_rows, 48u);   // 20% of 4 x 60 train rows
    EXPECT_EQ(summary.train_rows, 240u);                // the final model sees all of train
    EXPECT_EQ(summary.oos_train_rows, 30u);
    EXPECT_EQ(summary.domains, 3u);

    eval::intent_train_options options;
    options.training = small_config();
    auto model = eval::train_intent_model(synthetic_data(true), synthetic_domains(), options, &summary);
    ASSERT_TRUE(model.ok());
    EXPECT_EQ(summary.calibration, "val");
    EXPECT_EQ(summary.calibrated.in_scope_rows, 80u);
    EXPECT_EQ(summary.calibrated.oos_rows, 10u);

    EXPECT_EQ(*eval::parse_calibration_source("holdout"), eval::calibration_source::holdout);
    EXPECT_EQ(*eval::parse_calibration_source("val"), eval::calibration_source::val);
    EXPECT_FALSE(eval::parse_calibration_source("test").ok());
    eval::intent_dataset no_val = synthetic_data();
    no_val.splits.erase("val");
    no_val.splits.erase("oos_val");
    options.calibration = eval::calibration_source::val;
    EXPECT_FALSE(eval::train_intent_model(no_val, synthetic_domains(), options).ok());
}

TEST(intent_holdout, is_stratified_disjoint_and_deterministic) {
    std::vector<eval::labelled_utterance> rows;
    for (size_t i = 0; i < 100; ++i) {
        rows.push_back({"row " + std::to_string(i), i < 50 ? "a" : (i < 90 ? "b" : "c")});
    }
    const eval::intent_holdout split = eval::stratified_holdout(rows, 0.2, 3);
    std::map<std::string, size_t> held;
    for (size_t i : split.held) {
        held[rows[i].intent] += 1;
    }
    EXPECT_EQ(held["a"], 10u);
    EXPECT_EQ(held["b"], 8u);
    EXPECT_EQ(held["c"], 2u);
    EXPECT_EQ(split.fit.size() + split.held.size(), rows.size());
    std::vector<size_t> all = split.fit;
    all.insert(all.end(), split.held.begin(), split.held.end());
    std::sort(all.begin(), all.end());
    EXPECT_EQ(std::unique(all.begin(), all.end()), all.end());
    EXPECT_EQ(eval::stratified_holdout(rows, 0.2, 3).held, split.held);
    EXPECT_NE(eval::stratified_holdout(rows, 0.2, 4).held, split.held);
    // one row per label is never held out entirely
    const std::vector<eval::labelled_utterance> single = {{"x", "a"}};
    EXPECT_TRUE(eval::stratified_holdout(single, 0.5, 1).held.empty());
}

TEST(intent_calibrate, threshold_raises_recall_within_the_accuracy_budget) {
    eval::intent_train_options options;
    options.training = small_config();
    options.calibration = eval::calibration_source::val;
    eval::intent_train_summary summary;
    ASSERT_TRUE(eval::train_intent_model(synthetic_data(true), synthetic_domains(), options, &summary).ok());
    const eval::intent_calibration & c = summary.calibrated;
    EXPECT_GT(c.temperature, 0.0);
    EXPECT_GE(c.oos_recall, c.oos_recall_before);
    EXPECT_GE(c.in_scope_accuracy, c.in_scope_accuracy_before - 0.02 - 1e-9);

    // a model without training rows for the calibration's intent is refused
    intent_model model = train_synthetic();
    const std::vector<eval::labelled_utterance> unknown = {{"hello", "say_hello"}};
    EXPECT_FALSE(eval::calibrate_intents(model, unknown).ok());
    eval::intent_calibration_options bad;
    bad.max_accuracy_drop = 2;
    const std::vector<eval::labelled_utterance> known = {{"play music", "play_music"}};
    EXPECT_FALSE(eval::calibrate_intents(model, known, bad).ok());
    auto no_oos = eval::calibrate_intents(model, known);
    ASSERT_TRUE(no_oos.ok());
    EXPECT_EQ(no_oos->oos_threshold, 0.0);  // nothing to trade accuracy against
}

TEST(intent_file, round_trip_gives_identical_decisions) {
    const intent_model model = train_synthetic();
    const std::string path = temp_path("round_trip.router");
    auto bytes = save_intents(model, path);
    ASSERT_TRUE(bytes.ok()) << bytes.err().message;
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    auto loaded = intent_classifier::load(path);
    ASSERT_TRUE(loaded.ok()) << loaded.err().message;
    const intent_model & back = loaded->model();
    EXPECT_EQ(back.intents, model.intents);
    EXPECT_EQ(back.domains, model.domains);
    EXPECT_EQ(back.weights, model.weights);
    EXPECT_EQ(back.bias, model.bias);
    EXPECT_EQ(back.temperature, model.temperature);
    EXPECT_EQ(back.oos_threshold, model.oos_threshold);
    EXPECT_EQ(back.trained_on, model.trained_on);
    EXPECT_EQ(back.features.hash_bits, model.features.hash_bits);
    EXPECT_EQ(back.features.char_min, model.features.char_min);
    const intent_classifier original(model);
    for (size_t i = 0; i < 60; ++i) {
        const std::string text = i % 5 == 4 ? out_of_scope(i) : utterance(i % 4, i);
        const intent_decision a = original.classify(text);
        const intent_decision b = loaded->classify(text);
        EXPECT_EQ(a.intent, b.intent);
        EXPECT_EQ(a.domain, b.domain);
        EXPECT_EQ(a.confidence, b.confidence);
        EXPECT_EQ(a.out_of_scope, b.out_of_scope);
    }
    std::filesystem::remove(path);
}

TEST(intent_file, hostile_files_fail_cleanly) {
    const std::string path = temp_path("hostile.router");
    auto refused = [&](const std::string & bytes, const std::string & expected) {
        write_bytes(path, bytes);
        auto loaded = load_intents(path);
        if (loaded.ok()) {
            return ::testing::AssertionFailure() << "accepted a file that should fail with: " << expected;
        }
        if (loaded.err().message.find(expected) == std::string::npos) {
            return ::testing::AssertionFailure() << "message '" << loaded.err().message << "' lacks '" << expected << "'";
        }
        return ::testing::AssertionSuccess();
    };
    const std::string good = forge(tiny_header(), tiny_weights, tiny_weights * 4);
    write_bytes(path, good);
    ASSERT_TRUE(load_intents(path).ok());

    EXPECT_FALSE(load_intents(temp_path("missing.router")).ok());
    EXPECT_FALSE(load_intents(std::filesystem::temp_directory_path().string()).ok());
    EXPECT_TRUE(refused("", "bad magic"));
    std::string wrong_magic = good;
    wrong_magic.replace(9, 7, "ROUTER\n");
    EXPECT_TRUE(refused(wrong_magic, "bad magic"));
    for (size_t cut : {17ul, 20ul, 29ul, 40ul, good.size() - tiny_weights * 4 - 1, good.size() - 1}) {
        EXPECT_TRUE(refused(good.substr(0, cut), "truncated")) << "cut at " << cut;
    }
    EXPECT_TRUE(refused(good + "x", "trailing bytes"));
    EXPECT_TRUE(refused(forge(tiny_header(), tiny_weights, tiny_weights * 4, 2), "version 2"));
    EXPECT_TRUE(refused(forge(tiny_header(), tiny_weights + 1, (tiny_weights + 1) * 4), "weight count"));
    EXPECT_TRUE(refused(forge(tiny_header(), uint64_t{1} << 62, 0), "weight count"));
    {
        // a header length far beyond the file
        std::string huge = good;
        const uint64_t size = uint64_t{1} << 60;
        std::memcpy(huge.data() + 21, &size, 8);
        EXPECT_TRUE(refused(huge, "over the limit"));
    }
    {
        std::string bad_json = good;
        bad_json[29] = '[';  // the header's opening brace
        EXPECT_TRUE(refused(bad_json, "bad header"));
    }
    nlohmann::json h = tiny_header();
    h["format"] = "tiergate-router";
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "format"));
    h = tiny_header();
    h["intents"] = "a";
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "bad header"));
    h = tiny_header();
    h["intents"] = {"a", 3};
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "bad header"));
    h = tiny_header();
    h["intents"] = {"a", "a"};
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "twice"));
    h = tiny_header();
    h["intents"] = nlohmann::json::array();
    for (size_t i = 0; i < max_intent_count + 1; ++i) {
        h["intents"].push_back(std::to_string(i) + "i");
    }
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "at most"));
    h = tiny_header();
    h["domains"] = {"x"};
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "domains"));
    h = tiny_header();
    h["bias"] = {0.0, 1e300};
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "non-finite"));
    h["bias"] = {0.0, 1e30};  // finite, but sums of such overflow
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "beyond"));
    h = tiny_header();
    h["temperature"] = 0.0;
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "temperature"));
    h["temperature"] = 1e-300;  // 1 / temperature overflows a float
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "temperature"));
    h = tiny_header();
    h["oos_threshold"] = 1.5;
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "oos_threshold"));
    h = tiny_header();
    h["features"]["hash_bits"] = 40;
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "hash_bits"));
    h = tiny_header();
    h["features"]["hash_bits"] = "16";
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "bad header"));
    h = tiny_header();
    h["features"]["dense_set"] = 7;
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "dense_set"));
    h = tiny_header();
    h.erase("features");
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "bad header"));
    h = tiny_header();
    h["intents"] = {"oos", "b"};
    h["domains"] = {"x", ""};
    EXPECT_TRUE(refused(forge(h, tiny_weights, tiny_weights * 4), "oos class a domain"));
    {
        std::string nan_weight = good;
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(nan_weight.data() + nan_weight.size() - 4, &nan, 4);
        EXPECT_TRUE(refused(nan_weight, "non-finite weight"));
    }
    std::filesystem::remove(path);
}

TEST(intent_file, save_refuses_an_inconsistent_model) {
    intent_model model = train_synthetic();
    model.weights.pop_back();
    EXPECT_FALSE(save_intents(model, temp_path("inconsistent.router")).ok());
    EXPECT_FALSE(std::filesystem::exists(temp_path("inconsistent.router")));
    EXPECT_FALSE(save_intents(train_synthetic(), "/nonexistent-dir/x.router").ok());
}

TEST(intent_eval, metrics_on_a_hand_made_set) {
    // 6 in-scope rows (4 right: 3 of 4 in travel, 1 of 2 in banking) and
    // 4 oos rows (3 caught); 2 in-scope rows are wrongly called oos.
    const std::vector<eval::intent_outcome> outcomes = {
        {"book_flight", "travel", "book_flight", 5},   {"book_flight", "travel", "book_flight", 1},
        {"book_hotel", "travel", "book_hotel", 2},     {"book_hotel", "travel", "oos", 4},
        {"check_balance", "banking", "check_balance", 3}, {"check_balance", "banking", "oos", 6},
        {"oos", "", "oos", 7},                         {"oos", "", "oos", 8},
        {"oos", "", "oos", 9},                         {"oos", "", "book_flight", 10},
    };
    const eval::intent_report r = eval::compute_intent_report(outcomes, "val");
    EXPECT_EQ(r.rows, 10u);
    EXPECT_EQ(r.in_scope_rows, 6u);
    EXPECT_EQ(r.oos_rows, 4u);
    EXPECT_DOUBLE_EQ(r.in_scope_accuracy, 4.0 / 6.0);
    EXPECT_DOUBLE_EQ(r.oos_recall, 3.0 / 4.0);
    EXPECT_DOUBLE_EQ(r.oos_precision, 3.0 / 5.0);
    EXPECT_DOUBLE_EQ(r.per_domain.at("travel"), 3.0 / 4.0);
    EXPECT_DOUBLE_EQ(r.per_domain.at("banking"), 1.0 / 2.0);
    EXPECT_EQ(r.per_domain.size(), 2u);
    EXPECT_DOUBLE_EQ(r.decision_p50_us, 5.0);   // nearest rank: 5th of 10
    EXPECT_DOUBLE_EQ(r.decision_p99_us, 10.0);  // 10th of 10
    const nlohmann::json j = eval::report_to_json(r);
    for (const char * key : {"in_scope_accuracy", "oos_recall", "oos_precision", "decision_p50_us", "decision_p99_us",
                             "per_domain", "split", "rows"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["split"], "val");
    EXPECT_EQ(j["rows"], 10);

    const eval::intent_report empty = eval::compute_intent_report({}, "test");
    EXPECT_EQ(empty.in_scope_accuracy, 0.0);
    EXPECT_EQ(empty.oos_precision, 0.0);
    EXPECT_EQ(empty.decision_p99_us, 0.0);
}

TEST(intent_eval, evaluates_test_when_present_else_val) {
    const intent_classifier classifier(train_synthetic());
    eval::intent_dataset data = synthetic_data();
    auto on_val = eval::evaluate_intents(classifier, data);
    ASSERT_TRUE(on_val.ok()) << on_val.err().message;
    EXPECT_EQ(on_val->split, "val");
    EXPECT_EQ(on_val->rows, 90u);
    EXPECT_EQ(on_val->in_scope_rows, 80u);
    EXPECT_GT(on_val->in_scope_accuracy, 0.9);
    EXPECT_GE(on_val->decision_p99_us, on_val->decision_p50_us);
    EXPECT_EQ(on_val->per_domain.size(), 3u);

    data.splits["test"] = {{"play some jazz music", "play_music"}};
    auto on_test = eval::evaluate_intents(classifier, data);
    ASSERT_TRUE(on_test.ok());
    EXPECT_EQ(on_test->split, "test");
    EXPECT_EQ(on_test->rows, 1u);

    data.splits["test"] = {{"order a pizza", "order_pizza"}};
    auto unknown = eval::evaluate_intents(classifier, data);
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.err().message.find("order_pizza"), std::string::npos);
    EXPECT_FALSE(eval::evaluate_intents(classifier, eval::intent_dataset{}).ok());
}

TEST(intent_data, reads_the_clinc_layout) {
    auto data = eval::parse_intent_data(
        R"({"train": [["book a flight", "book_flight"], ["hi", "greeting"]], "oos_train": [["why", "oos"]],
            "val": []})");
    ASSERT_TRUE(data.ok()) << data.err().message;
    EXPECT_EQ(data->rows("train").size(), 2u);
    EXPECT_EQ(data->rows("train")[1].intent, "greeting");
    EXPECT_EQ(data->rows("oos_train")[0].text, "why");
    EXPECT_TRUE(data->has("val"));
    EXPECT_FALSE(data->has("test"));
    EXPECT_TRUE(data->rows("test").empty());
    EXPECT_EQ(data->rows({"train", "oos_train", "test"}).size(), 3u);
}

TEST(intent_data, rejects_bad_shapes) {
    auto refused = [](std::string_view text, const std::string & expected) {
        auto data = eval::parse_intent_data(text);
        if (data.ok()) {
            return ::testing::AssertionFailure() << "accepted " << text;
        }
        if (data.err().message.find(expected) == std::string::npos) {
            return ::testing::AssertionFailure() << "message '" << data.err().message << "' lacks '" << expected << "'";
        }
        return ::testing::AssertionSuccess();
    };
    EXPECT_TRUE(refused("", "not valid JSON"));
    EXPECT_TRUE(refused("{\"train\": [", "not valid JSON"));
    EXPECT_TRUE(refused("[]", "JSON object"));
    EXPECT_TRUE(refused(R"({"train": {"a": "b"}})", "split 'train' is not a list"));
    EXPECT_TRUE(refused(R"({"train": [["a"]]})", "row 0 is not a [text, intent] pair"));
    EXPECT_TRUE(refused(R"({"train": [["a", "b"], ["a", "b", "c"]]})", "row 1"));
    EXPECT_TRUE(refused(R"({"train": [[1, "b"]]})", "text is not a string"));
    EXPECT_TRUE(refused(R"({"train": [[null, "b"]]})", "text is not a string"));
    EXPECT_TRUE(refused(R"({"train": [["a", 2]]})", "intent is not a string"));
    EXPECT_TRUE(refused(R"({"train": [["a", ""]]})", "intent is empty"));
    EXPECT_TRUE(refused(R"({"train": [["a", ")" + std::string(300, 'x') + R"("]]})", "longer than"));
    EXPECT_TRUE(refused("{\"train\": [[\"caf\xc3\", \"b\"]]}", "UTF-8"));
    EXPECT_TRUE(refused("{\"train\": [[\"\xff\xfe\", \"b\"]]}", "UTF-8"));

    EXPECT_FALSE(eval::load_intent_data(temp_path("no_such_data.json")).ok());
    EXPECT_FALSE(eval::load_intent_data(std::filesystem::temp_directory_path().string()).ok());
}

TEST(intent_domains, reads_and_rejects) {
    auto map = eval::parse_intent_domains(R"({"travel": ["book_flight", "book_hotel"], "banking": ["balance"]})");
    ASSERT_TRUE(map.ok());
    EXPECT_EQ(map->size(), 3u);
    EXPECT_EQ(map->at("book_hotel"), "travel");
    EXPECT_FALSE(eval::parse_intent_domains("[]").ok());
    EXPECT_FALSE(eval::parse_intent_domains("{").ok());
    EXPECT_FALSE(eval::parse_intent_domains(R"({"travel": "book_flight"})").ok());
    EXPECT_FALSE(eval::parse_intent_domains(R"({"travel": [1]})").ok());
    EXPECT_FALSE(eval::parse_intent_domains(R"({"travel": [""]})").ok());
    EXPECT_FALSE(eval::parse_intent_domains(R"({"": ["a"]})").ok());
    EXPECT_FALSE(eval::parse_intent_domains(R"({"travel": ["oos"]})").ok());
    auto twice = eval::parse_intent_domains(R"({"travel": ["a"], "banking": ["a"]})");
    ASSERT_FALSE(twice.ok());
    EXPECT_NE(twice.err().message.find("two domains"), std::string::npos);
    EXPECT_FALSE(eval::load_intent_domains(temp_path("no_such_domains.json")).ok());
}
