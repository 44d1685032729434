#include "guard/scanner.h"
#include "guard/stream_restorer.h"

#include <gtest/gtest.h>

#include <ctime>
#include <random>
#include <string>

using namespace tiergate::guard;

namespace {

// CPU seconds of this process: unaffected by other load on a shared machine.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// Scans text and returns the CPU seconds it took; checks the findings stay in bounds.
double timed_scan(const std::string & text) {
    const double start = cpu_seconds();
    const auto findings = scan(text);
    const double seconds = cpu_seconds() - start;
    size_t last_end = 0;
    for (const finding & f : findings) {
        EXPECT_LE(f.end, text.size());
        EXPECT_LE(last_end, f.start);
        last_end = f.end;
    }
    return seconds;
}

std::string repeat(const std::string & unit, size_t bytes) {
    std::string s;
    s.reserve(bytes + unit.size());
    while (s.size() < bytes) {
        s += unit;
    }
    return s;
}

// Generous bounds: they catch quadratic behaviour (hours on these sizes), not
// slow machines. Sanitizer and unoptimized builds run several times slower.
#if defined(__SANITIZE_ADDRESS__)
constexpr double build_factor_sanitize = 4.0;
#else
constexpr double build_factor_sanitize = 1.0;
#endif
#if defined(__OPTIMIZE__)
constexpr double build_factor_optimize = 1.0;
#else
constexpr double build_factor_optimize = 4.0;
#endif
constexpr double build_factor = build_factor_sanitize * build_factor_optimize;
constexpr double max_seconds_for_10mb = 20.0 * build_factor;
constexpr double max_seconds_for_1mb = 4.0 * build_factor;

}  // namespace

TEST(hostile_input, ten_megabytes_of_mixed_text) {
    const std::string unit =
        "Mr. John Smith (john@example.com) paid with 4111 1111 1111 1111 from 10.0.0.1 at 221 Baker Street, "
        "London; call +44 20 7946 0958. Name: Zoë Ångström, Москва, 東京都, ελληνικά. ";
    const std::string text = repeat(unit, 10u << 20);
    EXPECT_LT(timed_scan(text), max_seconds_for_10mb);
}

TEST(hostile_input, pathological_repetitions) {
    const size_t size = 1u << 20;
    for (const std::string & unit :
         {std::string("a"), std::string("@"), std::string("a@"), std::string("a.@"), std::string("1"),
          std::string("1 "), std::string("1-"), std::string("+("), std::string("::"), std::string("a:"),
          std::string("GB82"), std::string("-----BEGIN "), std::string("-----BEGIN PRIVATE KEY-----"),
          std::string("sk-"), std::string("<"), std::string("Ab "), std::string("Mr. "), std::string("Street "),
          std::string("1 Main Street "), std::string("Anna, "), std::string("http://"), std::string("www."),
          std::string("licence "), std::string("corner of "), std::string("x.com/"), std::string("\n")}) {
        EXPECT_LT(timed_scan(repeat(unit, size)), max_seconds_for_1mb) << "unit '" << unit << "'";
    }
}

TEST(hostile_input, invalid_utf8_and_random_bytes) {
    std::mt19937 rng(7);
    std::string bytes(1u << 20, '\0');
    for (char & c : bytes) {
        c = static_cast<char>(rng() & 0xFF);
    }
    EXPECT_LT(timed_scan(bytes), max_seconds_for_1mb);
    // truncated sequences, overlongs, surrogates, lone continuation bytes
    const std::string broken = "Name: \xC3 Jos\xE9 \xED\xA0\x80 \xC0\xAF \x80\x80 jane@ex\xFF" "ample.com \xF0\x9F\x98";
    EXPECT_LT(timed_scan(broken), 1.0);
    EXPECT_LT(timed_scan(std::string("\xF4\x90\x80\x80 4111 1111 1111 1111 \xE2\x82")), 1.0);
}

TEST(hostile_input, empty_and_tiny_inputs) {
    EXPECT_TRUE(scan("").empty());
    for (int c = 0; c < 256; ++c) {
        const std::string one(1, static_cast<char>(c));
        EXPECT_TRUE(scan(one).empty()) << c;
    }
}

TEST(hostile_input, restorer_with_many_open_brackets_stays_linear) {
    pseudonymizer names;
    names.placeholder_for(entity_type::person, "x");
    const std::string text = repeat("<PERSON_", 1u << 20);
    stream_restorer restorer(names);
    const double start = cpu_seconds();
    std::string out;
    for (size_t i = 0; i < text.size(); i += 4096) {
        out += restorer.feed(std::string_view(text).substr(i, 4096));
    }
    out += restorer.finish();
    EXPECT_LT(cpu_seconds() - start, max_seconds_for_1mb);
    EXPECT_EQ(out, text);
}
