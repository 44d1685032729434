#include "eval/pii_eval.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace tiergate::eval;

TEST(code_point_offsets, maps_characters_to_bytes) {
    const auto o = code_point_offsets("aé東😀b");
    ASSERT_EQ(o.size(), 6u);
    EXPECT_EQ(o[0], 0u);
    EXPECT_EQ(o[1], 1u);
    EXPECT_EQ(o[2], 3u);
    EXPECT_EQ(o[3], 6u);
    EXPECT_EQ(o[4], 10u);
    EXPECT_EQ(o[5], 11u);
    EXPECT_EQ(code_point_offsets("\xFF\xC3").size(), 3u);
}

TEST(parse_pii_data, converts_character_offsets_and_maps_aliases) {
    const auto samples = parse_pii_data(
        R"([{"full_text":"Zoë lives in Ørsted","spans":[{"entity_type":"PERSON","start_position":0,"end_position":3},)"
        R"({"entity_type":"GPE","start_position":13,"end_position":19}]}])");
    ASSERT_TRUE(samples.ok());
    const pii_sample & s = samples->at(0);
    ASSERT_EQ(s.spans.size(), 2u);
    EXPECT_EQ(s.text.substr(s.spans[0].start, s.spans[0].end - s.spans[0].start), "Zoë");
    EXPECT_EQ(s.spans[1].type, "LOCATION");
    EXPECT_EQ(s.text.substr(s.spans[1].start, s.spans[1].end - s.spans[1].start), "Ørsted");
}

TEST(parse_pii_data, rejects_malformed_data_with_the_field) {
    EXPECT_FALSE(parse_pii_data("{}").ok());
    const auto bad = parse_pii_data(R"([{"full_text":"abc","spans":[{"entity_type":"PERSON","start_position":1,"end_position":9}]}])");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.err().param, "data[0].spans[0]");
}

TEST(score_spans, overlap_and_strict_metrics_on_a_hand_made_set) {
    // sample 0: gold PERSON [0,10), EMAIL [20,30); predicted PERSON [0,4) (overlap only), EMAIL [20,30) (exact)
    // sample 1: gold PERSON [5,9), TITLE [0,3); predicted PERSON [12,15) (wrong place), LOCATION [0,3) (type never annotated...)
    // sample 2: gold LOCATION [0,5); predicted nothing
    std::vector<std::vector<pii_span>> gold = {
        {{"PERSON", 0, 10}, {"EMAIL_ADDRESS", 20, 30}},
        {{"PERSON", 5, 9}, {"TITLE", 0, 3}},
        {{"LOCATION", 0, 5}},
    };
    std::vector<std::vector<pii_span>> predicted = {
        {{"PERSON", 0, 4}, {"EMAIL_ADDRESS", 20, 30}},
        {{"PERSON", 12, 15}, {"LOCATION", 0, 3}, {"API_KEY", 4, 8}},
        {},
    };
    const pii_report r = score_spans(gold, predicted);
    const span_metrics & person = r.overlap.per_type.at("PERSON");
    EXPECT_EQ(person.gold, 2u);
    EXPECT_EQ(person.gold_found, 1u);
    EXPECT_EQ(person.predicted, 2u);
    EXPECT_EQ(person.predicted_correct, 1u);
    EXPECT_DOUBLE_EQ(person.precision(), 0.5);
    EXPECT_DOUBLE_EQ(person.recall(), 0.5);
    EXPECT_DOUBLE_EQ(person.f1(), 0.5);
    EXPECT_DOUBLE_EQ(r.strict.per_type.at("PERSON").recall(), 0.0);
    EXPECT_DOUBLE_EQ(r.strict.per_type.at("EMAIL_ADDRESS").f1(), 1.0);
    const span_metrics & location = r.overlap.per_type.at("LOCATION");
    EXPECT_EQ(location.gold, 1u);
    EXPECT_EQ(location.predicted, 1u);
    EXPECT_DOUBLE_EQ(location.precision(), 0.0);  // predicted in sample 1, gold in sample 2
    EXPECT_DOUBLE_EQ(location.recall(), 0.0);
    // micro over PERSON, EMAIL_ADDRESS, LOCATION: predictions 2+1+1 = 4, correct 1+1 = 2; gold 2+1+1 = 4, found 2
    EXPECT_EQ(r.overlap.micro.predicted, 4u);
    EXPECT_DOUBLE_EQ(r.overlap.micro.precision(), 0.5);
    EXPECT_DOUBLE_EQ(r.overlap.micro.recall(), 0.5);
    EXPECT_EQ(r.strict.micro.predicted_correct, 1u);
    EXPECT_EQ(r.unscored_gold.at("TITLE"), 1u);
    EXPECT_EQ(r.unscored_predictions.at("API_KEY"), 1u);
}

TEST(pii_report_json, has_per_type_and_micro) {
    const pii_report r = score_spans({{{"PERSON", 0, 3}}}, {{{"PERSON", 0, 3}}});
    const auto j = nlohmann::json::parse(pii_report_json(r));
    EXPECT_DOUBLE_EQ(j["per_type"]["PERSON"]["f1"].get<double>(), 1.0);
    EXPECT_EQ(j["per_type"]["PERSON"]["support"], 1);
    EXPECT_DOUBLE_EQ(j["micro"]["precision"].get<double>(), 1.0);
    EXPECT_TRUE(j.contains("strict"));
    EXPECT_TRUE(j["matching"].is_string());
}

TEST(evaluate_pii, meets_pattern_recall_targets_on_the_shared_dev_data) {
    const auto samples = load_pii_data(std::string(TIERGATE_SHARED_DIR) + "/data/pii/presidio_synth_dev.json");
    if (!samples.ok()) {
        GTEST_SKIP() << "shared PII data not available";
    }
    const pii_report r = evaluate_pii(*samples, {});
    for (const char * type : {"CREDIT_CARD", "EMAIL_ADDRESS", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "PHONE_NUMBER"}) {
        EXPECT_GE(r.overlap.per_type.at(type).recall(), 0.99) << type;
    }
    EXPECT_GE(r.overlap.per_type.at("PERSON").recall(), 0.85);
    EXPECT_GE(r.overlap.per_type.at("STREET_ADDRESS").recall(), 0.85);
    EXPECT_GE(r.overlap.micro.precision(), 0.90);
}

TEST(run_eval_pii, reports_a_missing_file) {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_eval_pii("/nonexistent/pii.json", true, {}, out, err), 1);
    EXPECT_NE(err.str().find("/nonexistent/pii.json"), std::string::npos);
    EXPECT_EQ(run_eval_pii("/nonexistent/pii.json", true, {"colour"}, out, err), 2);
}
