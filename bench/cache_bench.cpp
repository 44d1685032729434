// The answer cache, one thread, seeded data.
//   cache_bench [--entries 100000] [--conversations 100] [--lookups 20000] [--pairs 2000] [--similarity 0.85]
// Fills the cache with `entries` answers spread over `conversations`
// (system prompts), then reports lookup p50/p99 for exact hits, semantic
// lookups and misses; then the hit rate on generated paraphrase pairs
// (case, punctuation, filler words, contractions, a reordered clause) and
// the false-hit rate on generated non-paraphrase pairs (the same template
// with another entity or number, or a negation).
// Results: docs/benchmarks.md ("Answer cache").

#include "cache/answer_store.h"
#include "core/percentile.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace tiergate;
using clock_type = std::chrono::steady_clock;

double arg(int argc, char ** argv, const char * name, double fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0) {
            return std::strtod(argv[i + 1], nullptr);
        }
    }
    return fallback;
}

const std::vector<std::string> subjects = {"invoice", "refund", "password", "badge", "laptop", "contract", "server",
                                           "budget", "report", "printer", "account", "shipment", "license", "ticket",
                                           "meeting", "payroll", "policy", "backup", "vendor", "order"};
const std::vector<std::string> owners = {"finance", "legal", "support", "facilities", "engineering", "sales",
                                         "marketing", "security", "operations", "procurement"};

// A question from a template: subject, owner and number vary.
std::string question(int tmpl, const std::string & subject, const std::string & owner, int number) {
    switch (tmpl % 6) {
        case 0: return "What is the status of the " + subject + " for the " + owner + " team?";
        case 1: return "How do I renew the " + subject + " that " + owner + " approved last month?";
        case 2: return "Who in " + owner + " handles " + subject + " number " + std::to_string(number) + "?";
        case 3: return "Can the " + owner + " team close the " + subject + " by Friday?";
        case 4: return "Where is the " + subject + " template that " + owner + " uses?";
        default: return "Why was the " + subject + " for " + owner + " rejected " + std::to_string(number) + " times?";
    }
}

std::string lower(std::string s) {
    for (char & c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A paraphrase a person might type: one surface change of the question.
std::string paraphrase(const std::string & q, std::mt19937 & rng) {
    std::string s = q;
    switch (rng() % 5) {
        case 0: return lower(s.substr(0, s.size() - 1));                       // case, no question mark
        case 1: return "Please, " + lower(s.substr(0, 1)) + s.substr(1);       // a filler word
        case 2: {
            auto p = s.find("What is");
            if (p != std::string::npos) return s.replace(p, 7, "What's");
            p = s.find("How do I");
            if (p != std::string::npos) return s.replace(p, 8, "How can I");
            return s + " Thanks.";
        }
        case 3: return "Quick question: " + s;
        default: {
            std::string t;
            for (char c : s) t += c == ' ' ? std::string("  ") : std::string(1, c);  // spacing
            return t + "??";
        }
    }
}

// Not the same question: another entity or number, or a negation.
std::string different(int tmpl, const std::string & subject, const std::string & owner, int number, std::mt19937 & rng) {
    switch (rng() % 3) {
        case 0: {
            std::string other = owners[(rng() % (owners.size() - 1) + 1 + (&owner - &owners[0])) % owners.size()];
            return question(tmpl, subject, other, number);
        }
        case 1: {
            std::string other = subjects[(rng() % (subjects.size() - 1) + 1 + (&subject - &subjects[0])) % subjects.size()];
            return question(tmpl, other, owner, number);
        }
        default: {
            if (tmpl % 6 == 2 || tmpl % 6 == 5) {  // the templates with a number
                return question(tmpl, subject, owner, number + 1 + static_cast<int>(rng() % 50));
            }
            if (tmpl % 6 == 3) return "Can the " + owner + " team not close the " + subject + " by Friday?";
            if (tmpl % 6 == 0) return "What is the status of the " + subject + " for the " + owner + " team in Berlin?";
            return question(tmpl, subject, owner, number) + " Not the old one.";
        }
    }
}

generation_call call_of(const std::string & system, const std::string & user) {
    generation_call c;
    c.model = "slm";
    c.messages.resize(2);
    c.messages[0].role = "system";
    c.messages[0].content = system;
    c.messages[1].role = "user";
    c.messages[1].content = user;
    return c;
}

cached_answer answer_of(const std::string & text) {
    cached_answer a;
    a.text = text;
    a.model = "slm";
    a.finish_reason = "stop";
    return a;
}

void report(const char * what, std::vector<double> & us) {
    std::printf("%-16s n=%zu p50 %.1f us  p99 %.1f us  max %.1f us\n", what, us.size(), percentile(us, 50),
                percentile(us, 99), percentile(us, 100));
}

}  // namespace

int main(int argc, char ** argv) {
    const size_t entries = static_cast<size_t>(arg(argc, argv, "--entries", 100000));
    const size_t conversations = static_cast<size_t>(arg(argc, argv, "--conversations", 100));
    const size_t lookups = static_cast<size_t>(arg(argc, argv, "--lookups", 20000));
    const size_t pairs = static_cast<size_t>(arg(argc, argv, "--pairs", 2000));
    cache::answer_store_settings s;
    s.max_entries = entries;
    s.similarity = arg(argc, argv, "--similarity", 0.85);
    cache::answer_store store(s);
    std::mt19937 rng(7);

    std::vector<std::string> systems;
    for (size_t i = 0; i < conversations; ++i) {
        systems.push_back("You are assistant " + std::to_string(i) + " of the help desk. Answer briefly.");
    }
    // distinct questions: templates x subjects x owners x numbers
    auto nth_question = [&](size_t i) {
        return question(static_cast<int>(i % 6), subjects[(i / 6) % subjects.size()],
                        owners[(i / 120) % owners.size()], static_cast<int>(i / 1200));
    };
    const auto t0 = clock_type::now();
    for (size_t i = 0; i < entries; ++i) {
        cache_ticket ticket;
        const auto call = call_of(systems[i % conversations], nth_question(i / conversations));
        store.find("team", call, ticket);
        store.keep(ticket, answer_of("answer " + std::to_string(i)));
    }
    std::printf("filled %zu entries over %zu conversations in %.0f ms (%.1f us per miss + keep)\n", store.size(),
                conversations, std::chrono::duration<double, std::milli>(clock_type::now() - t0).count(),
                std::chrono::duration<double, std::micro>(clock_type::now() - t0).count() / entries);

    std::vector<double> exact_us, semantic_us, miss_us;
    size_t exact_hits = 0;
    for (size_t n = 0; n < lookups; ++n) {
        const size_t i = rng() % entries;
        const auto & system = systems[i % conversations];
        const std::string q = nth_question(i / conversations);
        for (int kind = 0; kind < 3; ++kind) {
            std::string user = kind == 0 ? q : kind == 1 ? lower(q) : "Unrelated question " + std::to_string(n) + " about lunch?";
            const auto call = call_of(system, user);
            cache_ticket ticket;
            const auto t = clock_type::now();
            auto hit = store.find("team", call, ticket);
            const double us = std::chrono::duration<double, std::micro>(clock_type::now() - t).count();
            (kind == 0 ? exact_us : kind == 1 ? semantic_us : miss_us).push_back(us);
            exact_hits += kind == 0 && hit && hit->kind == "exact";
        }
    }
    std::printf("exact hits %zu of %zu lookups\n", exact_hits, lookups);
    report("exact hit", exact_us);
    report("semantic lookup", semantic_us);
    report("miss", miss_us);

    // hit and false-hit rates: a fresh cache per pair set, one conversation
    cache::answer_store pairs_store(s);
    size_t hits = 0, false_hits = 0;
    for (size_t n = 0; n < pairs; ++n) {
        const int tmpl = static_cast<int>(rng() % 6);
        const auto & subject = subjects[rng() % subjects.size()];
        const auto & owner = owners[rng() % owners.size()];
        const int number = static_cast<int>(rng() % 100);
        const std::string system = "Pair " + std::to_string(n);
        const std::string q = question(tmpl, subject, owner, number);
        cache_ticket ticket;
        pairs_store.find("team", call_of(system, q), ticket);
        pairs_store.keep(ticket, answer_of("a"));
        cache_ticket t2;
        hits += pairs_store.find("team", call_of(system, paraphrase(q, rng)), t2).has_value();
        false_hits += pairs_store.find("team", call_of(system, different(tmpl, subject, owner, number, rng)), t2).has_value();
    }
    std::printf("similarity %.2f: paraphrase hit rate %.3f (%zu/%zu), non-paraphrase false-hit rate %.3f (%zu/%zu)\n",
                s.similarity, static_cast<double>(hits) / pairs, hits, pairs, static_cast<double>(false_hits) / pairs,
                false_hits, pairs);
    return 0;
}
