// The cascade's confidence: criteria, the exact early stop, the early accept.
#include <gtest/gtest.h>

#include "router/cascade_confidence.h"

namespace tiergate::router {
namespace {

cascade_settings criteria(std::optional<double> mean, std::optional<double> token, std::optional<double> margin = {},
                          int decide_after = 0) {
    cascade_settings s;
    s.min_mean_logprob = mean;
    s.min_token_logprob = token;
    s.min_mean_margin = margin;
    s.decide_after_tokens = decide_after;
    return s;
}

TEST(cascade_confidence, passes_when_every_criterion_holds) {
    cascade_confidence c(criteria(-1.0, -3.0, 0.5), 16);
    EXPECT_EQ(c.add(-0.2f, 2.0f), confidence_verdict::undecided);
    EXPECT_EQ(c.add(-0.6f, 1.0f), confidence_verdict::undecided);
    EXPECT_EQ(c.final_verdict(), confidence_verdict::pass);
    EXPECT_NEAR(c.mean_logprob(), -0.4, 1e-6);
    EXPECT_NEAR(c.min_logprob(), -0.6, 1e-6);
    EXPECT_NEAR(c.mean_margin(), 1.5, 1e-6);
    EXPECT_EQ(c.failure(), "");
}

TEST(cascade_confidence, a_token_below_the_floor_fails_at_once) {
    cascade_confidence c(criteria({}, -3.0), 100);
    EXPECT_EQ(c.add(-0.1f, {}), confidence_verdict::undecided);
    EXPECT_EQ(c.add(-3.5f, {}), confidence_verdict::fail);
    EXPECT_EQ(c.final_verdict(), confidence_verdict::fail);
    EXPECT_NE(c.failure().find("min_logprob -3.50 < -3.00"), std::string::npos) << c.failure();
}

TEST(cascade_confidence, the_mean_fails_early_only_when_it_cannot_recover) {
    // 4 tokens at most, mean must reach -1: a sum below -4 can never recover
    cascade_confidence c(criteria(-1.0, {}), 4);
    EXPECT_EQ(c.add(-2.0f, {}), confidence_verdict::undecided);  // best case (-2+0+0+0)/4 = -0.5
    EXPECT_EQ(c.add(-1.5f, {}), confidence_verdict::undecided);  // best case -3.5/4
    EXPECT_EQ(c.add(-0.6f, {}), confidence_verdict::fail);       // -4.1/4 < -1
}

TEST(cascade_confidence, a_low_mean_at_the_end_fails_without_early_stop) {
    cascade_confidence c(criteria(-1.0, {}), 0);  // unbounded: no early stop from the mean
    EXPECT_EQ(c.add(-5.0f, {}), confidence_verdict::undecided);
    EXPECT_EQ(c.final_verdict(), confidence_verdict::fail);
    EXPECT_NE(c.failure().find("mean_logprob"), std::string::npos);
}

TEST(cascade_confidence, a_low_margin_fails_at_the_end) {
    cascade_confidence c(criteria({}, {}, 1.0), 8);
    c.add(-0.1f, 0.2f);
    c.add(-0.1f, 0.4f);
    EXPECT_EQ(c.final_verdict(), confidence_verdict::fail);
    EXPECT_NE(c.failure().find("mean_margin 0.30 < 1.00"), std::string::npos) << c.failure();
}

TEST(cascade_confidence, an_empty_answer_fails) {
    cascade_confidence c(criteria(-1.0, {}), 8);
    EXPECT_EQ(c.final_verdict(), confidence_verdict::fail);
    EXPECT_EQ(c.failure(), "empty answer");
}

TEST(cascade_confidence, decides_early_after_n_passing_tokens) {
    cascade_confidence c(criteria(-1.0, -4.0, {}, 3), 64);
    c.add(-0.1f, {});
    c.add(-0.2f, {});
    EXPECT_EQ(c.early_verdict(), confidence_verdict::undecided);
    c.add(-0.3f, {});
    EXPECT_EQ(c.early_verdict(), confidence_verdict::pass);
    cascade_confidence low(criteria(-1.0, -4.0, {}, 2), 64);
    low.add(-2.0f, {});
    low.add(-2.0f, {});
    EXPECT_EQ(low.early_verdict(), confidence_verdict::undecided) << "a failing prefix is not accepted early";
}

TEST(cascade_confidence, positive_logprobs_are_clamped) {
    cascade_confidence c(criteria(-0.5, {}), 4);
    c.add(0.3f, {});
    EXPECT_DOUBLE_EQ(c.mean_logprob(), 0.0);
}

}  // namespace
}  // namespace tiergate::router
