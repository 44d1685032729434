#include "engine/token_probs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using tiergate::engine::compute_logprobs;

TEST(token_probs, logprobs_are_a_normalized_log_softmax) {
    std::vector<float> logits = {1.0f, 2.0f, 3.0f, 0.5f};
    auto lp = compute_logprobs(logits.data(), 4, 2, 4);
    double sum = 0.0;
    for (auto & [t, v] : lp.top) {
        sum += std::exp(v);
    }
    EXPECT_NEAR(sum, 1.0, 1e-5);
    ASSERT_EQ(lp.top.size(), 4u);
    EXPECT_EQ(lp.top[0].first, 2);
    EXPECT_EQ(lp.top[1].first, 1);
    EXPECT_EQ(lp.top[3].first, 3);
    EXPECT_FLOAT_EQ(lp.chosen, lp.top[0].second);
    const double z = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0) + std::exp(0.5));
    EXPECT_NEAR(lp.chosen, 3.0 - z, 1e-5);
}

TEST(token_probs, top_k_smaller_than_vocab) {
    std::vector<float> logits(1000);
    for (int i = 0; i < 1000; ++i) {
        logits[i] = static_cast<float>((i * 37) % 1000);
    }
    auto lp = compute_logprobs(logits.data(), 1000, 0, 5);
    ASSERT_EQ(lp.top.size(), 5u);
    for (size_t i = 1; i < lp.top.size(); ++i) {
        EXPECT_GE(lp.top[i - 1].second, lp.top[i].second);
    }
    EXPECT_FLOAT_EQ(logits[lp.top[0].first], 999.0f);
}

TEST(token_probs, no_alternatives_when_k_is_zero) {
    std::vector<float> logits = {0.0f, 0.0f};
    auto lp = compute_logprobs(logits.data(), 2, 1, 0);
    EXPECT_TRUE(lp.top.empty());
    EXPECT_NEAR(lp.chosen, std::log(0.5), 1e-6);
}
