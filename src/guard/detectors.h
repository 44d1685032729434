#pragma once
// The built-in detectors. Each appends its findings to out in text order,
// runs in time linear in the text, and never reads past text.

#include "guard/finding.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace tiergate::guard {

struct recognizer_options;

void detect_emails(std::string_view text, std::vector<finding> & out);
void detect_urls(std::string_view text, std::vector<finding> & out);
void detect_ibans(std::string_view text, std::vector<finding> & out);
void detect_ipv6(std::string_view text, std::vector<finding> & out);
// Credit cards, US SSNs, phone numbers, IPv4 addresses, numeric dates and
// times, and driver licence numbers after a licence cue.
void detect_numbers(std::string_view text, std::vector<finding> & out);
// API keys with known prefixes, PEM private key blocks, long high-entropy tokens.
void detect_secrets(std::string_view text, std::vector<finding> & out);
// Names, places, organizations, street addresses and date words.
// Texts longer than 2 GiB are read in pieces cut at line breaks or spaces.
void detect_names(std::string_view text, const recognizer_options & options, std::vector<finding> & out);
// The same, in pieces of at most piece_size bytes.
void detect_names_in_pieces(std::string_view text, const recognizer_options & options, std::vector<finding> & out,
                            size_t piece_size);

}  // namespace tiergate::guard
