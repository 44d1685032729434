#include <gtest/gtest.h>

#include "distill/chat_example.h"

namespace tiergate::distill {
namespace {

TEST(chat_example, a_line_is_a_prompt_and_the_final_answer) {
    auto e = parse_example(
        R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},)"
        R"({"role":"assistant","content":"Hello"}]})",
        "f:1");
    ASSERT_TRUE(e) << e.err().message;
    ASSERT_EQ(e->prompt.size(), 2u);
    EXPECT_EQ(e->prompt[0].role, "system");
    EXPECT_EQ(e->prompt[1].content, "Hi");
    EXPECT_EQ(e->answer, "Hello");
    // written and read back, the same example
    auto again = parse_example(example_line(*e), "f:2");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->answer, "Hello");
    EXPECT_EQ(prompt_hash(again->prompt), prompt_hash(e->prompt));
}

TEST(chat_example, every_wrong_shape_is_named_with_its_line) {
    const std::pair<const char *, const char *> cases[] = {
        {"{", "f:3: not JSON"},
        {"[1]", "f:3: expected an object"},
        {R"({"messages":"x"})", "f:3: expected \"messages\""},
        {R"({"messages":[{"role":"user","content":"a"}]})", "needs a prompt and a final assistant message"},
        {R"({"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]})",
         "the last message must be the assistant's answer"},
        {R"({"messages":[{"role":"user","content":1},{"role":"assistant","content":"b"}]})",
         "messages[0].content must be a string"},
        {R"({"messages":[{"role":"tool","content":"a"},{"role":"assistant","content":"b"}]})",
         "messages[0].role 'tool' is not"},
        {R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""}]})",
         "the assistant's answer is empty"},
        {"{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\"}]}", "not valid UTF-8 at byte 39"},
    };
    for (const auto & [line, expected] : cases) {
        auto e = parse_example(line, "f:3");
        ASSERT_FALSE(e) << line;
        EXPECT_NE(e.err().message.find(expected), std::string::npos) << e.err().message;
        EXPECT_EQ(e.err().message.rfind("f:3: ", 0), 0u) << e.err().message;
    }
}

TEST(chat_example, the_prompt_hash_tells_roles_and_boundaries_apart) {
    auto h = [](std::vector<chat_message> m) { return prompt_hash(m); };
    const auto a = h({{"user", "ab", {}, {}, {}, {}}});
    EXPECT_EQ(a, h({{"user", "ab", {}, {}, {}, {}}}));
    EXPECT_NE(a, h({{"system", "ab", {}, {}, {}, {}}}));
    EXPECT_NE(a, h({{"user", "a", {}, {}, {}, {}}, {"user", "b", {}, {}, {}, {}}}));
    // fixed across builds and runs: the split of a data set must not move
    EXPECT_EQ(h({{"user", "hello", {}, {}, {}, {}}}), 0x5818a4b099f4b894ULL);
}

}  // namespace
}  // namespace tiergate::distill
