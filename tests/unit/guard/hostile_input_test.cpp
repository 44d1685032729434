#include "guard/scanner.h"
#include "guard/stream_restorer.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <csignal>
#include <ctime>
#include <limits>
#include <random>
#include <string>
#include <thread>

using namespace tiergate::guard;

namespace {

// CPU seconds of this process: unaffected by other load on a shared machine.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// Scans text in a child process and returns the CPU seconds the scan took,
// so that a scan that never ends fails the test instead of hanging it: the
// child is killed after wall_limit seconds and the result is infinity. The
// child also checks that the findings stay in bounds and in order (exit 1).
double timed_scan(const std::string & text, double wall_limit = 120.0) {
    const pid_t child = fork();
    if (child == 0) {
        const auto findings = scan(text);
        size_t last_end = 0;
        for (const finding & f : findings) {
            if (f.end > text.size() || f.start < last_end || f.end <= f.start) {
                _exit(1);
            }
            last_end = f.end;
        }
        _exit(0);
    }
    EXPECT_GT(child, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(wall_limit);
    int status = 0;
    rusage usage{};
    while (true) {
        const pid_t done = wait4(child, &status, WNOHANG, &usage);
        if (done == child) {
            break;
        }
        if (done < 0 || std::chrono::steady_clock::now() > deadline) {
            kill(child, SIGKILL);
            wait4(child, &status, 0, &usage);
            ADD_FAILURE() << "the scan of " << text.size() << " bytes did not finish within " << wall_limit << " s";
            return std::numeric_limits<double>::infinity();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "findings out of bounds or order, status " << status;
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
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
          std::string("licence "), std::string("corner of "), std::string("x.com/"), std::string("\n"),
          std::string("www. "), std::string("www.a "), std::string("a-"), std::string("9a"), std::string("0"),
          std::string("a."), std::string("1a:"), std::string("Aa1"), std::string("+1 ")}) {
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

// Short texts around each scanner's special cases: every scan must end.
TEST(hostile_input, every_scan_of_a_short_text_ends) {
    for (const char * text :
         {"www.", "www. ", "see www. now", "www.a", "www.ab.", "WWW.x", "http://", "http://a", "https:// x", "ftp://.",
          "a.b", ".com", "x.com/", "@", "a@", "@b.co", "::", ":::", "1::", "fe80::", "GB82", "GB82 ", "-----BEGIN ",
          "sk-", "+(", "(1", "1 2 3", "ext. 1", "x1", "licence", "Mr.", "corner of", "P.O. Box", "<PERSON_1"}) {
        EXPECT_LT(timed_scan(text, 30.0), 1.0) << "text '" << text << "'";
    }
}

TEST(hostile_input, empty_and_tiny_inputs) {
    EXPECT_TRUE(scan("").empty());
    for (int c = 0; c < 256; ++c) {
        const std::string one(1, static_cast<char>(c));
        EXPECT_TRUE(scan(one).empty()) << c;
    }
}

// A word that ends the text on a whole eight-byte block: the tokenizer once
// read the byte past the end (found by fuzz_guard_scan; ASan sees it because
// the text is an exact-size heap buffer without a terminator).
TEST(hostile_input, a_word_ending_the_text_on_a_block_boundary) {
    for (const std::string base : {"so please cancel my subscrip", "Name Smith", "x", "\xc3\xa9t\xc3\xa9abcdefgh"}) {
        for (size_t len = 1; len <= 48; ++len) {
            std::string text;
            while (text.size() < len) {
                text += base;
            }
            text.resize(len);
            auto exact = std::make_unique<char[]>(len);
            std::memcpy(exact.get(), text.data(), len);
            const auto findings = scan(std::string_view(exact.get(), len));
            for (const auto & f : findings) {
                EXPECT_LE(f.end, len);
            }
        }
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
