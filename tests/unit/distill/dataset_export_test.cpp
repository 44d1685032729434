#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "distill/chat_example.h"
#include "distill/dataset_export.h"

namespace tiergate::distill {
namespace {

namespace fs = std::filesystem;

class dataset_export_test : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("tiergate-export-test-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        auto s = open_capture_store((dir_ / "distill.db").string());
        ASSERT_TRUE(s);
        store_ = std::move(*s);
    }
    void TearDown() override {
        store_.reset();
        fs::remove_all(dir_);
    }

    void add(const std::string & q, const std::string & a, const std::string & tier = "frontier",
             const std::string & role = "teacher", const std::string & task = "t", const std::string & model = "frontier",
             const std::string & request = "") {
        captured_call c;
        c.request_id = request.empty() ? "r-" + q : request;
        c.task = task;
        c.model = model;
        c.tier = tier;
        c.role = role;
        c.messages = {{"user", q, {}, {}, {}, {}}};
        c.answer = a;
        c.prompt_tokens = 4;
        c.completion_tokens = 2;
        ASSERT_TRUE(store_->append({c}));
    }

    std::vector<chat_example> read(const fs::path & p) {
        std::vector<chat_example> out;
        std::ifstream in(p);
        std::string line;
        while (std::getline(in, line)) {
            auto e = parse_example(line, p.string());
            EXPECT_TRUE(e) << line;
            if (e) {
                out.push_back(std::move(*e));
            }
        }
        return out;
    }

    fs::path dir_;
    std::unique_ptr<capture_store> store_;
};

TEST_F(dataset_export_test, one_example_per_prompt_the_latest_answer_winning) {
    add("q1", "old");
    add("q2", "a2");
    add("q1", "new");
    add("q3", "slm answer", "slm");
    add("q4", "other task", "frontier", "teacher", "u");
    export_options o;
    o.task = "t";
    o.validation_share = 0.0;
    o.out = dir_ / "data.jsonl";
    auto r = export_dataset(*store_, o);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_EQ(r->captured, 3u) << "the slm's answer and the other task are not read";
    EXPECT_EQ(r->duplicates, 1u);
    EXPECT_EQ(r->train, 2u);
    EXPECT_EQ(r->validation, 0u);
    EXPECT_EQ(r->train_prompt_tokens, 8);
    auto examples = read(o.out);
    ASSERT_EQ(examples.size(), 2u);
    EXPECT_EQ(examples[0].prompt[0].content, "q1");
    EXPECT_EQ(examples[0].answer, "new");
    EXPECT_EQ(examples[1].answer, "a2");
    EXPECT_TRUE(fs::exists(dir_ / "data.validation.jsonl"));
}

TEST_F(dataset_export_test, the_split_follows_the_prompt_whatever_else_is_captured) {
    for (int i = 0; i < 400; ++i) {
        add("question " + std::to_string(i), "answer");
    }
    export_options o;
    o.validation_share = 0.2;
    o.out = dir_ / "a.jsonl";
    auto first = export_dataset(*store_, o);
    ASSERT_TRUE(first);
    EXPECT_GT(first->validation, 50u);
    EXPECT_LT(first->validation, 110u);
    EXPECT_EQ(first->train + first->validation, 400u);
    std::set<std::string> held;
    for (const auto & e : read(dir_ / "a.validation.jsonl")) {
        held.insert(e.prompt[0].content);
    }
    // more captured: every prompt held out before is held out still
    for (int i = 400; i < 600; ++i) {
        add("question " + std::to_string(i), "answer");
    }
    o.out = dir_ / "b.jsonl";
    ASSERT_TRUE(export_dataset(*store_, o));
    std::set<std::string> held_after;
    for (const auto & e : read(dir_ / "b.validation.jsonl")) {
        held_after.insert(e.prompt[0].content);
    }
    for (const auto & q : held) {
        EXPECT_TRUE(held_after.count(q)) << q;
    }
    for (const auto & e : read(dir_ / "b.jsonl")) {
        EXPECT_FALSE(held.count(e.prompt[0].content));
    }
}

TEST_F(dataset_export_test, a_teacher_can_be_named_and_contrast_pairs_come_from_the_cascade) {
    add("q1", "the teacher's", "frontier", "teacher", "t", "frontier", "req-1");
    add("q1", "the slm's", "slm", "student", "t", "slm", "req-1");
    add("q2", "from mid", "mid", "teacher", "t", "mid");
    export_options o;
    o.teacher = "frontier";
    o.validation_share = 0.0;
    o.out = dir_ / "d.jsonl";
    o.contrast_out = dir_ / "pairs.jsonl";
    auto r = export_dataset(*store_, o);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->train, 1u);
    EXPECT_EQ(r->contrast, 1u);
    std::ifstream in(o.contrast_out);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_NE(line.find("\"chosen\":\"the teacher's\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"rejected\":\"the slm's\""), std::string::npos) << line;
}

TEST_F(dataset_export_test, an_unwritable_output_is_named) {
    add("q1", "a");
    export_options o;
    o.out = dir_ / "missing" / "data.jsonl";
    auto r = export_dataset(*store_, o);
    ASSERT_FALSE(r);
    EXPECT_NE(r.err().message.find("missing/data.jsonl"), std::string::npos) << r.err().message;
}

}  // namespace
}  // namespace tiergate::distill
