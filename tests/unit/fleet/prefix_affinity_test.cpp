// Prefix affinity: a conversation's turns stay on one deployment, the same
// on every replica; a hot prefix spreads once a deployment is over its
// bound; short prompts have no preference.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fleet/prefix_affinity.h"

namespace tiergate::fleet {
namespace {

affinity_settings small_blocks() {
    affinity_settings s;
    s.block_bytes = 32;
    s.min_bytes = 64;
    s.load_factor = 1.25;
    return s;
}

const std::vector<std::string> names = {"a", "b", "c", "d"};

generation_call conversation(const std::string & system, const std::vector<std::string> & turns) {
    generation_call c;
    auto message = [](std::string role, std::string content) {
        chat_message m;
        m.role = std::move(role);
        m.content = std::move(content);
        return m;
    };
    c.messages.push_back(message("system", system));
    for (size_t i = 0; i < turns.size(); ++i) {
        c.messages.push_back(message(i % 2 == 0 ? "user" : "assistant", turns[i]));
    }
    return c;
}

std::string text(const std::string & seed, size_t n) {
    std::string out;
    while (out.size() < n) {
        out += seed + " " + std::to_string(out.size()) + " ";
    }
    return out;
}

const std::vector<bool> all_usable(4, true);
const std::vector<int64_t> idle(4, 0);

TEST(prefix_affinity, short_prompts_have_no_preference) {
    prefix_affinity p(small_blocks(), names);
    auto blocks = p.block_hashes(conversation("be brief", {"hi"}));
    EXPECT_TRUE(blocks.empty());
    EXPECT_FALSE(p.choose(blocks, idle, all_usable));
}

TEST(prefix_affinity, blocks_chain_so_equal_hashes_mean_equal_prefixes) {
    prefix_affinity p(small_blocks(), names);
    const std::string system = text("system", 200);
    auto one = p.block_hashes(conversation(system, {"question one"}));
    auto two = p.block_hashes(conversation(system, {"question two, longer than the first one by far"}));
    auto other = p.block_hashes(conversation("X" + system, {"question one"}));
    ASSERT_GE(one.size(), 6u);
    // the system prompt's whole blocks are shared
    for (size_t i = 0; i < 200 / 32; ++i) {
        EXPECT_EQ(one[i], two[i]) << i;
    }
    // one byte changed at the start changes every block after it
    for (size_t i = 0; i < std::min(one.size(), other.size()); ++i) {
        EXPECT_NE(one[i], other[i]) << i;
    }
}

TEST(prefix_affinity, the_turns_of_a_conversation_stay_on_one_deployment) {
    prefix_affinity p(small_blocks(), names);
    std::vector<std::string> turns = {text("first question", 100)};
    const std::string system = text("you are a support agent", 300);
    std::optional<size_t> where;
    for (int turn = 0; turn < 6; ++turn) {
        auto blocks = p.block_hashes(conversation(system, turns));
        auto d = p.choose(blocks, idle, all_usable);
        ASSERT_TRUE(d);
        if (where) {
            EXPECT_EQ(*d, *where) << "turn " << turn;
        }
        where = d;
        p.remember(blocks, *d);
        turns.push_back(text("answer " + std::to_string(turn), 120));
        turns.push_back(text("next question " + std::to_string(turn), 80));
    }
}

TEST(prefix_affinity, replicas_agree_on_a_new_prefix) {
    prefix_affinity one(small_blocks(), names), two(small_blocks(), names);
    std::set<size_t> used;
    for (int i = 0; i < 40; ++i) {
        auto call = conversation(text("tenant " + std::to_string(i), 200), {"hello"});
        auto a = one.choose(one.block_hashes(call), idle, all_usable);
        auto b = two.choose(two.block_hashes(call), idle, all_usable);
        ASSERT_TRUE(a && b);
        EXPECT_EQ(*a, *b);
        used.insert(*a);
    }
    EXPECT_EQ(used.size(), 4u);  // distinct prefixes spread over the ring
}

TEST(prefix_affinity, a_hot_prefix_moves_on_when_its_deployment_is_over_the_bound) {
    prefix_affinity p(small_blocks(), names);
    auto blocks = p.block_hashes(conversation(text("shared system prompt", 300), {"q"}));
    auto home = p.choose(blocks, idle, all_usable);
    ASSERT_TRUE(home);
    p.remember(blocks, *home);
    std::vector<int64_t> load(4, 0);
    load[*home] = 2;  // 2 in flight of 2 total: bound = ceil(1.25 * 3 / 4) = 1
    auto moved = p.choose(blocks, load, all_usable);
    ASSERT_TRUE(moved);
    EXPECT_NE(*moved, *home);
    // and while the home deployment cannot take calls at all
    std::vector<bool> without_home = all_usable;
    without_home[*home] = false;
    auto elsewhere = p.choose(blocks, idle, without_home);
    ASSERT_TRUE(elsewhere);
    EXPECT_NE(*elsewhere, *home);
}

TEST(prefix_affinity, the_longest_remembered_prefix_wins) {
    prefix_affinity p(small_blocks(), names);
    const std::string system = text("policy", 128);
    auto short_call = p.block_hashes(conversation(system, {"q"}));
    auto long_call = p.block_hashes(conversation(system, {text("long history", 400)}));
    p.remember(long_call, 3);
    p.remember(short_call, 1);  // the shared blocks now point at 1, the longer ones still at 3
    auto longer = p.block_hashes(conversation(system, {text("long history", 400) + "and more"}));
    EXPECT_EQ(p.choose(longer, idle, all_usable), std::optional<size_t>(3));
}

TEST(prefix_affinity, the_memory_is_bounded) {
    affinity_settings s = small_blocks();
    s.remembered_blocks = 8;
    prefix_affinity p(s, names);
    auto first = p.block_hashes(conversation(text("first", 300), {"q"}));
    prefix_affinity fresh(s, names);
    const size_t ring_place = *fresh.choose(first, idle, all_usable);
    p.remember(first, (ring_place + 1) % 4);
    EXPECT_EQ(p.choose(first, idle, all_usable), std::optional<size_t>((ring_place + 1) % 4));
    for (int i = 0; i < 10; ++i) {
        p.remember(p.block_hashes(conversation(text("other " + std::to_string(i), 300), {"q"})), 0);
    }
    // the first conversation's blocks were forgotten: it goes where the ring puts it
    EXPECT_EQ(p.choose(first, idle, all_usable), std::optional<size_t>(ring_place));
}

}  // namespace
}  // namespace tiergate::fleet
