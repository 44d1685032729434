// The terms a semantic match must keep: numbers, negations, content words.
#include <gtest/gtest.h>

#include "cache/salient_terms.h"

namespace tiergate::cache {
namespace {

bool same(const std::string & stored, const std::string & asked) {
    return same_question(salient_terms_of(stored), salient_terms_of(asked));
}

TEST(salient_terms, splits_lowercases_and_leaves_out_stop_words_and_contractions) {
    auto t = salient_terms_of("What's the STATUS of invoice 42-B for O'Brien's team? Don't guess.");
    EXPECT_EQ(t.numbers, (std::vector<std::string>{"42"}));  // "42-B": the hyphen splits it
    EXPECT_EQ(t.negations, 1);
    EXPECT_EQ(t.content, (std::vector<std::string>{"b", "guess", "invoice", "o'brien", "status", "team"}));
}

TEST(salient_terms, surface_changes_and_fillers_ask_the_same_question) {
    EXPECT_TRUE(same("What is the status of the invoice?", "what's the status of the invoice"));
    EXPECT_TRUE(same("How do I renew the license?", "Please, how can I renew the license??"));
    EXPECT_FALSE(same("Where is the template?", "Quick question: where is the template?"));  // strict by default
    EXPECT_TRUE(same_question(salient_terms_of("Where is the template?"),
                              salient_terms_of("Quick question: where is the template?"), 2));
    EXPECT_FALSE(same("Where is the template?", "Where is the template in Berlin?"));
    EXPECT_TRUE(same("Wo ist die Vorlage?", "wo ist die vorlage"));
}

TEST(salient_terms, another_entity_number_or_a_negation_is_another_question) {
    EXPECT_FALSE(same("Close the invoice for finance", "Close the invoice for legal"));
    EXPECT_FALSE(same("Who handles ticket 12?", "Who handles ticket 13?"));
    EXPECT_FALSE(same("Who handles ticket 12?", "Who handles ticket?"));
    EXPECT_FALSE(same("Can we close it by Friday?", "Can we not close it by Friday?"));
    EXPECT_FALSE(same("Can we close it by Friday?", "Can't we close it by Friday?"));
    EXPECT_FALSE(same("Where is the template?", "Where is the template for the new quarterly vendor report?"));
}

TEST(salient_terms, empty_and_odd_text_is_safe) {
    auto t = salient_terms_of("");
    EXPECT_TRUE(t.content.empty() && t.numbers.empty() && t.negations == 0);
    t = salient_terms_of("''' ' !!! \xff\xfe");
    EXPECT_EQ(t.content.size(), 1u);  // the non-ASCII bytes form one word
    EXPECT_TRUE(same("", ""));
}

}  // namespace
}  // namespace tiergate::cache
