// The keys of a call: what shapes the answer is in them, what does not is not.
#include <gtest/gtest.h>

#include "cache/call_digest.h"

namespace tiergate::cache {
namespace {

generation_call chat(std::vector<chat_message> messages) {
    generation_call call;
    call.model = "slm";
    call.messages = std::move(messages);
    call.params.max_tokens = 32;
    return call;
}

chat_message msg(const std::string & role, const std::string & content) {
    chat_message m;
    m.role = role;
    m.content = content;
    return m;
}

TEST(call_digest, whitespace_and_the_stream_flag_do_not_change_the_keys) {
    auto a = chat({msg("system", "Be brief."), msg("user", "What is  the\n capital of France?")});
    auto b = chat({msg("system", "  Be brief."), msg("user", "What is the capital of France?  ")});
    b.stream = true;
    const auto da = digest_call("team", a);
    const auto db = digest_call("team", b);
    ASSERT_TRUE(da.cacheable);
    EXPECT_EQ(da.exact.size(), 32u);
    EXPECT_EQ(da.exact, db.exact);
    EXPECT_EQ(da.context, db.context);
    EXPECT_EQ(da.last_user, "What is the capital of France?");
}

TEST(call_digest, team_model_parameters_tools_and_history_change_the_exact_key) {
    const auto base = chat({msg("user", "hello")});
    const auto d = digest_call("team", base).exact;
    EXPECT_NE(digest_call("other", base).exact, d);
    auto model = base;
    model.model = "frontier";
    EXPECT_NE(digest_call("team", model).exact, d);
    auto temperature = base;
    temperature.params.temperature = 0.5f;
    EXPECT_NE(digest_call("team", temperature).exact, d);
    auto max_tokens = base;
    max_tokens.params.max_tokens = 33;
    EXPECT_NE(digest_call("team", max_tokens).exact, d);
    auto stop = base;
    stop.params.stop = {"\n"};
    EXPECT_NE(digest_call("team", stop).exact, d);
    auto tools = base;
    tools.tools.push_back(tool_definition{"f", "", "{}", false});
    EXPECT_NE(digest_call("team", tools).exact, d);
    auto history = chat({msg("assistant", "hi"), msg("user", "hello")});
    EXPECT_NE(digest_call("team", history).exact, d);
    auto role = chat({msg("system", "hello")});
    EXPECT_NE(digest_call("team", role).exact, d);
}

TEST(call_digest, the_context_key_leaves_out_only_the_last_user_turn) {
    auto a = chat({msg("system", "Answer in French."), msg("user", "How are you?")});
    auto b = chat({msg("system", "Answer in French."), msg("user", "How are you doing today?")});
    auto c = chat({msg("system", "Answer in German."), msg("user", "How are you?")});
    EXPECT_NE(digest_call("t", a).exact, digest_call("t", b).exact);
    EXPECT_EQ(digest_call("t", a).context, digest_call("t", b).context);
    EXPECT_NE(digest_call("t", a).context, digest_call("t", c).context);
}

TEST(call_digest, field_boundaries_cannot_be_forged) {
    // "ab" + "c" and "a" + "bc" serialize differently thanks to the length prefixes
    auto a = chat({msg("system", "ab"), msg("user", "c")});
    auto b = chat({msg("system", "a"), msg("user", "bc")});
    EXPECT_NE(digest_call("t", a).exact, digest_call("t", b).exact);
}

TEST(call_digest, logprobs_or_nothing_to_key_on_is_not_cacheable) {
    auto lp = chat({msg("user", "hello")});
    lp.params.logprobs = true;
    EXPECT_FALSE(digest_call("t", lp).cacheable);
    EXPECT_FALSE(digest_call("t", chat({})).cacheable);
}

TEST(call_digest, a_call_ending_with_an_assistant_turn_has_no_semantic_key) {
    auto d = digest_call("t", chat({msg("user", "hello"), msg("assistant", "Hi,")}));
    EXPECT_TRUE(d.cacheable);
    EXPECT_TRUE(d.context.empty());
    EXPECT_TRUE(d.last_user.empty());
}

TEST(call_digest, completions_key_on_the_prompt) {
    generation_call a;
    a.kind = request_kind::completion;
    a.model = "slm";
    a.prompt = "Once upon a time";
    auto b = a;
    b.prompt = "Once upon a  time ";
    auto c = a;
    c.prompt = "Once upon a midnight";
    EXPECT_EQ(digest_call("t", a).exact, digest_call("t", b).exact);
    EXPECT_NE(digest_call("t", a).exact, digest_call("t", c).exact);
    auto chat_same = chat({msg("user", "Once upon a time")});
    chat_same.params.max_tokens.reset();
    EXPECT_NE(digest_call("t", a).exact, digest_call("t", chat_same).exact);
}

TEST(call_digest, normalize_text_collapses_runs_and_trims) {
    EXPECT_EQ(normalize_text("  a \t\n b  "), "a b");
    EXPECT_EQ(normalize_text(""), "");
    EXPECT_EQ(normalize_text(" \n "), "");
    EXPECT_EQ(normalize_text("é  ü"), "é ü");
}

}  // namespace
}  // namespace tiergate::cache
