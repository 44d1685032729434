// The in-process answer cache: exact and semantic hits, misses, teams, bounds.
#include <gtest/gtest.h>

#include "cache/answer_store.h"

#include <thread>

namespace tiergate::cache {
namespace {

using namespace std::chrono_literals;

generation_call ask(const std::string & question, const std::string & system = "Answer briefly.") {
    generation_call call;
    call.model = "slm";
    call.messages = {chat_message{}, chat_message{}};
    call.messages[0].role = "system";
    call.messages[0].content = system;
    call.messages[1].role = "user";
    call.messages[1].content = question;
    return call;
}

cached_answer answer(const std::string & text) {
    cached_answer a;
    a.text = text;
    a.model = "slm";
    a.finish_reason = "stop";
    a.tokens.prompt_tokens = 12;
    a.tokens.completion_tokens = 3;
    return a;
}

struct fake_clock {
    std::chrono::steady_clock::time_point t{};
    answer_store::clock_fn fn() {
        return [this] { return t; };
    }
};

// Looks up `call`; on a miss keeps `text` under the ticket, as the gateway does.
std::optional<cache_hit> find_or_keep(answer_store & store, const std::string & team, const generation_call & call,
                                      const std::string & text) {
    cache_ticket ticket;
    auto hit = store.find(team, call, ticket);
    if (!hit) {
        store.keep(ticket, answer(text));
    }
    return hit;
}

TEST(answer_store, the_same_call_again_is_an_exact_hit_with_the_whole_answer) {
    answer_store store({});
    EXPECT_FALSE(find_or_keep(store, "team", ask("What is the capital of France?"), "Paris."));
    auto hit = find_or_keep(store, "team", ask("What is the  capital of France?"), "other");
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, "exact");
    EXPECT_EQ(hit->answer.text, "Paris.");
    EXPECT_EQ(hit->answer.model, "slm");
    EXPECT_EQ(hit->answer.finish_reason, "stop");
    EXPECT_EQ(hit->answer.tokens.completion_tokens, 3);
    EXPECT_EQ(store.size(), 1u);
}

TEST(answer_store, a_close_last_turn_in_the_same_conversation_is_a_semantic_hit) {
    answer_store store({});
    find_or_keep(store, "team", ask("What is the capital of France?"), "Paris.");
    auto hit = find_or_keep(store, "team", ask("what is the capital of france"), "other");
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, "semantic");
    EXPECT_GE(hit->similarity, 0.85);
    EXPECT_LT(hit->similarity, 1.0 + 1e-6);
    EXPECT_EQ(hit->answer.text, "Paris.");
}

TEST(answer_store, a_different_question_or_another_conversation_misses) {
    answer_store store({});
    find_or_keep(store, "team", ask("What is the capital of France?"), "Paris.");
    cache_ticket ticket;
    EXPECT_FALSE(store.find("team", ask("What is the capital of Germany?"), ticket));
    EXPECT_FALSE(store.find("team", ask("How do I reset my password?"), ticket));
    EXPECT_FALSE(store.find("team", ask("What is the capital of France?", "Answer in French."), ticket));
    EXPECT_FALSE(ticket.exact.empty());  // a miss still says where to keep the answer
}

TEST(answer_store, one_team_never_sees_another_teams_answer) {
    answer_store store({});
    find_or_keep(store, "red", ask("What is our refund policy?"), "Red's policy.");
    cache_ticket ticket;
    EXPECT_FALSE(store.find("blue", ask("What is our refund policy?"), ticket));
    EXPECT_FALSE(store.find("blue", ask("what is our refund policy"), ticket));
    EXPECT_TRUE(store.find("red", ask("What is our refund policy?"), ticket));
}

TEST(answer_store, semantic_matching_can_be_turned_off) {
    answer_store_settings s;
    s.semantic = false;
    answer_store store(s);
    find_or_keep(store, "team", ask("What is the capital of France?"), "Paris.");
    cache_ticket ticket;
    EXPECT_FALSE(store.find("team", ask("what is the capital of france"), ticket));
    EXPECT_TRUE(ticket.query.empty());
    EXPECT_TRUE(store.find("team", ask("What is the capital of France?"), ticket));
}

TEST(answer_store, answers_expire_after_their_time_to_live) {
    fake_clock clock;
    answer_store_settings s;
    s.ttl = 60s;
    answer_store store(s, clock.fn());
    find_or_keep(store, "team", ask("What is the capital of France?"), "Paris.");
    clock.t += 59s;
    cache_ticket ticket;
    EXPECT_TRUE(store.find("team", ask("What is the capital of France?"), ticket));
    EXPECT_TRUE(store.find("team", ask("what is the capital of france"), ticket));
    clock.t += 2s;
    EXPECT_FALSE(store.find("team", ask("what is the capital of france"), ticket));
    EXPECT_FALSE(store.find("team", ask("What is the capital of France?"), ticket));
    EXPECT_EQ(store.size(), 0u);  // expired entries are dropped when met
}

TEST(answer_store, the_least_recently_used_answer_goes_first) {
    answer_store_settings s;
    s.max_entries = 2;
    s.semantic = false;  // exact lookups only: each question finds only itself
    answer_store store(s);
    find_or_keep(store, "team", ask("question one"), "1");
    find_or_keep(store, "team", ask("question two"), "2");
    cache_ticket ticket;
    EXPECT_TRUE(store.find("team", ask("question one"), ticket));  // one is now the most recent
    find_or_keep(store, "team", ask("question three"), "3");
    EXPECT_EQ(store.size(), 2u);
    EXPECT_TRUE(store.find("team", ask("question one"), ticket));
    EXPECT_TRUE(store.find("team", ask("question three"), ticket));
    EXPECT_FALSE(store.find("team", ask("question two"), ticket));
}

TEST(answer_store, a_conversation_holds_at_most_max_bucket_turns) {
    answer_store_settings s;
    s.max_bucket = 3;
    answer_store store(s);
    const char * questions[] = {"alpha bravo", "charlie delta", "echo foxtrot", "golf hotel"};
    for (const char * q : questions) {
        find_or_keep(store, "team", ask(q), q);
    }
    EXPECT_EQ(store.size(), 3u);
    cache_ticket ticket;
    EXPECT_FALSE(store.find("team", ask("alpha bravo"), ticket));  // the oldest of the conversation went
    EXPECT_TRUE(store.find("team", ask("golf hotel"), ticket));
}

// Past index_from turns a conversation is searched through its HNSW index:
// the same hits and misses as a scan, expired and evicted turns gone from it.
TEST(answer_store, a_large_conversation_is_searched_through_an_index) {
    fake_clock clock;
    answer_store_settings s;
    s.index_from = 8;
    s.max_entries = 40;
    s.ttl = 100s;
    answer_store store(s, clock.fn());
    const char * subjects[] = {"invoice", "refund", "password", "badge", "laptop", "contract", "server",
                               "budget", "report", "printer", "account", "shipment", "license", "ticket"};
    for (const char * subject : subjects) {
        find_or_keep(store, "team", ask(std::string("Where do I file the ") + subject + " form for travel?"), subject);
    }
    auto hit = find_or_keep(store, "team", ask("where do i file the laptop form for travel"), "other");
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->kind, "semantic");
    EXPECT_EQ(hit->answer.text, "laptop");
    cache_ticket ticket;
    EXPECT_FALSE(store.find("team", ask("Where do I file the visa form for travel?"), ticket)) << "another subject";
    // evicted turns leave the index; the conversation is rebuilt as it churns
    for (int i = 0; i < 200; ++i) {
        find_or_keep(store, "team", ask("question number " + std::to_string(i) + " about lunch"), "n");
    }
    EXPECT_EQ(store.size(), 40u);
    EXPECT_FALSE(store.find("team", ask("where do i file the laptop form for travel"), ticket)) << "evicted";
    auto recent = store.find("team", ask("Question number 199 about lunch"), ticket);
    ASSERT_TRUE(recent);
    EXPECT_EQ(recent->answer.text, "n");
    EXPECT_FALSE(store.find("team", ask("question number 198 about dinner"), ticket));
    // expired turns are not served
    clock.t += 101s;
    EXPECT_FALSE(store.find("team", ask("question number 199 about lunch"), ticket));
}

TEST(answer_store, a_route_has_its_own_threshold_or_no_semantic_match) {
    answer_store_settings s;
    s.similarity = 0.6;
    s.routes["strict"] = route_cache_settings{std::nullopt, 0.999};
    s.routes["exact-only"] = route_cache_settings{false, std::nullopt};
    answer_store store(s);
    for (const char * model : {"slm", "strict", "exact-only"}) {
        auto call = ask("What is the capital of France?");
        call.model = model;
        find_or_keep(store, "team", call, "Paris.");
        auto close = ask("What is the capital of France, please?");
        close.model = model;
        cache_ticket ticket;
        auto hit = store.find("team", close, ticket);
        EXPECT_EQ(bool(hit), std::string(model) == "slm") << model;
    }
}

TEST(answer_store, long_answers_and_uncacheable_calls_are_not_kept) {
    answer_store_settings s;
    s.max_answer_bytes = 8;
    answer_store store(s);
    find_or_keep(store, "team", ask("long one"), "123456789");
    EXPECT_EQ(store.size(), 0u);
    auto lp = ask("short one");
    lp.params.logprobs = true;
    cache_ticket ticket;
    EXPECT_FALSE(store.find("team", lp, ticket));
    EXPECT_TRUE(ticket.exact.empty());
    store.keep(ticket, answer("ok"));
    EXPECT_EQ(store.size(), 0u);
}

TEST(answer_store, a_newer_answer_to_the_same_call_replaces_the_old_one) {
    answer_store store({});
    cache_ticket ticket;
    store.find("team", ask("q"), ticket);
    store.keep(ticket, answer("first"));
    store.keep(ticket, answer("second"));
    EXPECT_EQ(store.size(), 1u);
    auto hit = store.find("team", ask("q"), ticket);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->answer.text, "second");
}

TEST(answer_store, concurrent_lookups_and_keeps_are_safe) {
    answer_store_settings s;
    s.max_entries = 64;
    answer_store store(s);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                find_or_keep(store, "team", ask("question " + std::to_string((i * 7 + t) % 100)), "a");
            }
        });
    }
    for (auto & th : threads) {
        th.join();
    }
    EXPECT_LE(store.size(), 64u);
    EXPECT_GT(store.size(), 0u);
}

}  // namespace
}  // namespace tiergate::cache
