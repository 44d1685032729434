// The answer scorer: final answers, cues, training on synthetic answers
// (what it must learn: words that mark right answers, agreement between
// models), the scorer file (round trip, hostile files).
#include "router/answer_scorer.h"
#include "router/final_answer.h"
#include "router/scorer_file.h"
#include "router/scorer_training.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

using namespace tiergate;
using namespace tiergate::router;

namespace {

const std::string mc_prompt =
    "Which is a fruit?\nA) stone\nB) iron\nC) copper\nPrint one letter.\nAnswer:\nC\n\n"
    "Which one grows on trees?\nA) apple\nB) granite\nC) salt\nD) tin\nPrint one letter.\nAnswer:";

std::string temp_path(const std::string & name) {
    return (std::filesystem::temp_directory_path() / ("tiergate_scorer_test_" + std::to_string(::getpid()) + name)).string();
}

}  // namespace

TEST(final_answer, the_last_questions_options_are_read) {
    const prompt_options o = prompt_options::read(mc_prompt);
    ASSERT_EQ(o.options.size(), 4u);
    EXPECT_EQ(o.options[0].text, "apple");
    EXPECT_TRUE(o.has('D'));
    EXPECT_FALSE(o.has('E'));
    EXPECT_TRUE(prompt_options::read("no options here\nA) only one").empty());
}

TEST(final_answer, options_are_found_however_the_reply_states_them) {
    const prompt_options o = prompt_options::read(mc_prompt);
    auto letter = [&](const std::string & reply) { return extract_final_answer(o, reply).value; };
    EXPECT_EQ(letter("A"), "A");
    EXPECT_EQ(letter(" (B)\n"), "B");
    EXPECT_EQ(letter("**C**"), "C");
    EXPECT_EQ(letter("D) tin"), "D");
    EXPECT_EQ(letter("Let me think. Apples grow on trees, so the answer is (A)."), "A");
    EXPECT_EQ(letter("Answer: B"), "B");
    EXPECT_EQ(letter("It must be the apple."), "A") << "by the option's text";
    EXPECT_EQ(extract_final_answer(o, "I cannot tell").kind, answer_kind::none);
    EXPECT_EQ(letter("E"), "") << "a letter the prompt does not offer";
    EXPECT_TRUE(extract_final_answer(o, "A").agrees_with(extract_final_answer(o, "The answer is A.")));
    EXPECT_FALSE(extract_final_answer(o, "A").agrees_with(extract_final_answer(o, "B")));
    EXPECT_FALSE(extract_final_answer(o, "nothing").agrees_with(extract_final_answer(o, "nothing")))
        << "two answers without a final answer do not agree";
}

TEST(final_answer, numbers_and_code_without_options) {
    const prompt_options none = prompt_options::read("How many apples are left?");
    EXPECT_EQ(extract_final_answer(none, "First 3, then 4.\n#### 1,234").value, "1234");
    EXPECT_EQ(extract_final_answer(none, "The answer is 3.50 dollars, not 7").value, "3.5");
    EXPECT_EQ(extract_final_answer(none, "we get -12").value, "-12");
    const final_answer code = extract_final_answer(none, "Here:\n```python\ndef find_max(xs):\n    return max(xs)\n```");
    EXPECT_EQ(code.kind, answer_kind::code);
    EXPECT_EQ(code.value, "find_max");
    EXPECT_EQ(extract_final_answer(none, "no digits at all").kind, answer_kind::none);
}

TEST(final_answer, cues_of_an_answer) {
    const prompt_options o = prompt_options::read("Write a function to add two numbers.");
    const answer_cues refusal = read_cues(o, "I'm sorry, but as an AI I cannot help. It might be hard, however.");
    EXPECT_TRUE(refusal.refusal);
    EXPECT_GE(refusal.hedges, 2);
    const answer_cues code = read_cues(o, "```python\ndef add(a, b):\n    return (a + b)\n```");
    EXPECT_TRUE(code.code_block);
    EXPECT_TRUE(code.code_balanced);
    EXPECT_EQ(code.code_language, "python");
    EXPECT_FALSE(read_cues(o, "```js\nfunction add(a, b) { return (a + b;\n```").code_balanced);
    EXPECT_GT(read_cues(o, "a function to add two numbers").prompt_overlap, 0.9);
    EXPECT_LT(read_cues(o, "zebra quantum lighthouse").prompt_overlap, 0.5);
}

namespace {

// Synthetic answers: three models answer a 4-option question, each right with
// its own probability; a right answer sometimes says "certainly", a wrong one
// sometimes "perhaps". What a scorer should learn: agreement, and the words.
struct synthetic {
    std::vector<std::string> prompts;
    std::vector<std::vector<std::string>> texts;
    std::vector<scorer_training_prompt> data;
};

synthetic make_synthetic(size_t n, uint64_t seed) {
    synthetic s;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    const std::vector<std::string> models = {"small", "medium", "large"};
    const double skill[] = {0.55, 0.7, 0.85};
    s.prompts.resize(n);
    s.texts.resize(n);
    for (size_t i = 0; i < n; ++i) {
        s.prompts[i] = "Question " + std::to_string(i) + "?\nA) one\nB) two\nC) three\nD) four\nAnswer:";
        const char right = static_cast<char>('A' + rng() % 4);
        std::vector<float> labels;
        for (size_t m = 0; m < models.size(); ++m) {
            const bool ok = u(rng) < skill[m];
            char letter = right;
            while (!ok && letter == right) {
                letter = static_cast<char>('A' + rng() % 4);
            }
            std::string text = std::string(1, letter);
            if (ok && u(rng) < 0.5) {
                text = "certainly " + text;
            } else if (!ok && u(rng) < 0.5) {
                text = "perhaps " + text;
            }
            s.texts[i].push_back(text);
            labels.push_back(ok ? 1.0f : 0.0f);
        }
        scorer_training_prompt p;
        p.labels = labels;
        s.data.push_back(std::move(p));
    }
    for (size_t i = 0; i < n; ++i) {
        s.data[i].prompt = s.prompts[i];
        const prompt_options o = prompt_options::read(s.prompts[i]);
        for (size_t m = 0; m < models.size(); ++m) {
            scored_answer a;
            a.model = m == 0 ? "small" : m == 1 ? "medium" : "large";
            a.text = s.texts[i][m];
            a.final = extract_final_answer(o, a.text);
            s.data[i].answers.push_back(a);
        }
    }
    return s;
}

scorer_model trained(uint64_t seed = 7) {
    const synthetic s = make_synthetic(3000, seed);
    scorer_training_config config;
    config.features.hash_bits = 14;
    auto model = train_scorer(s.data, config);
    EXPECT_TRUE(model.ok());
    model->models = {"small", "medium", "large"};
    model->costs = {0.1, 0.5, 2.0};
    return std::move(*model);
}

float score_of(const answer_scorer & scorer, const std::string & prompt, const std::string & model,
               const std::string & text, const std::vector<std::pair<std::string, std::string>> & others) {
    const prompt_options o = prompt_options::read(prompt);
    scored_answer a{model, text, extract_final_answer(o, text), {}, {}};
    std::vector<scored_answer> other_answers;
    for (const auto & [m, t] : others) {
        other_answers.push_back({m, t, extract_final_answer(o, t), {}, {}});
    }
    std::vector<const scored_answer *> views;
    for (const auto & oa : other_answers) {
        views.push_back(&oa);
    }
    return scorer.score({prompt, &o, &a, views});
}

}  // namespace

TEST(answer_scorer, learns_the_words_the_models_and_agreement) {
    const answer_scorer scorer(trained());
    const std::string prompt = "Question 99999?\nA) one\nB) two\nC) three\nD) four\nAnswer:";
    const float sure = score_of(scorer, prompt, "small", "certainly B", {});
    const float unsure = score_of(scorer, prompt, "small", "perhaps B", {});
    EXPECT_GT(sure, unsure + 0.3);
    EXPECT_GT(score_of(scorer, prompt, "large", "B", {}), score_of(scorer, prompt, "small", "B", {}))
        << "the stronger model's plain answer is more often right";
    const float agreed = score_of(scorer, prompt, "small", "B", {{"medium", "B"}, {"large", "B"}});
    const float alone = score_of(scorer, prompt, "small", "B", {});
    const float disputed = score_of(scorer, prompt, "small", "B", {{"medium", "C"}, {"large", "D"}});
    EXPECT_GT(agreed, alone + 0.15);
    EXPECT_LT(disputed, alone - 0.1);
    // the parts add up to the score
    const prompt_options o = prompt_options::read(prompt);
    scored_answer a{"small", "B", extract_final_answer(o, "B"), {}, {}};
    scored_answer b{"medium", "B", extract_final_answer(o, "B"), {}, {}};
    const scored_answer * others[] = {&b};
    const scorer_input in{prompt, &o, &a, others};
    EXPECT_NEAR(scorer.score(in), answer_scorer::probability(scorer.own_logit(in) + scorer.agreement_logit(in)), 1e-6);
}

TEST(answer_scorer, a_non_finite_log_probability_is_ignored) {
    const answer_scorer scorer(trained());
    const std::string prompt = "Question 7?\nA) one\nB) two\nC) three\nD) four\nAnswer:";
    const prompt_options o = prompt_options::read(prompt);
    scored_answer a{"small", "B", extract_final_answer(o, "B"), std::nanf(""), -INFINITY};
    const float p = scorer.score({prompt, &o, &a, {}});
    EXPECT_TRUE(std::isfinite(p));
    EXPECT_GE(p, 0.0f);
    EXPECT_LE(p, 1.0f);
}

TEST(answer_scorer, training_is_deterministic_and_refuses_bad_input) {
    const scorer_model a = trained(3);
    const scorer_model b = trained(3);
    EXPECT_EQ(a.weights, b.weights);
    EXPECT_EQ(a.bias, b.bias);
    scorer_training_config bad;
    bad.features.hash_bits = 40;
    const synthetic s = make_synthetic(10, 1);
    EXPECT_FALSE(train_scorer(s.data, bad).ok());
    EXPECT_FALSE(train_scorer(std::span<const scorer_training_prompt>(), {}).ok());
}

TEST(scorer_file, round_trip_and_hostile_files) {
    scorer_model model = trained();
    model.chain = {{"small", "medium"}, {"large"}};
    model.thresholds = {0.8};
    const std::string path = temp_path("round.scorer");
    auto bytes = save_scorer(model, path);
    ASSERT_TRUE(bytes.ok()) << bytes.err().message;
    auto loaded = load_scorer(path);
    ASSERT_TRUE(loaded.ok()) << loaded.err().message;
    EXPECT_EQ(loaded->weights, model.weights);
    EXPECT_EQ(loaded->chain, model.chain);
    EXPECT_EQ(loaded->thresholds, model.thresholds);
    EXPECT_EQ(loaded->models, model.models);

    // truncated
    std::string bytes_of_file;
    {
        std::ifstream in(path, std::ios::binary);
        bytes_of_file.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::string cut = temp_path("cut.scorer");
    std::ofstream(cut, std::ios::binary) << bytes_of_file.substr(0, bytes_of_file.size() / 2);
    EXPECT_FALSE(load_scorer(cut).ok());
    // trailing bytes
    const std::string longer = temp_path("long.scorer");
    std::ofstream(longer, std::ios::binary) << bytes_of_file << "xx";
    EXPECT_FALSE(load_scorer(longer).ok());
    // another file's magic
    const std::string other = temp_path("other.scorer");
    std::ofstream(other, std::ios::binary) << "TIERGATE-ROUTER\n" << bytes_of_file.substr(16);
    EXPECT_FALSE(load_scorer(other).ok());
    EXPECT_FALSE(load_scorer(temp_path("missing.scorer")).ok());
    // inconsistent models are refused on save
    scorer_model bad = model;
    bad.thresholds = {0.5, 0.5};
    EXPECT_FALSE(save_scorer(bad, temp_path("bad.scorer")).ok());
    bad = model;
    bad.thresholds = {1.5};
    EXPECT_FALSE(save_scorer(bad, temp_path("bad.scorer")).ok()) << "a threshold is a probability";
    bad = model;
    bad.chain = {{"a", "b", "c", "d"}, {"e"}};
    EXPECT_FALSE(save_scorer(bad, temp_path("bad.scorer")).ok());
    for (const std::string & p : {path, cut, longer, other}) {
        std::filesystem::remove(p);
    }
}
