#pragma once
// Word lists for the name, place, organization and address recognizers:
// general knowledge (common given names and surnames across languages,
// countries, US states, major cities, street and company suffixes). Lookups
// take lowercase keys; multi-word entries are joined by single spaces.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tiergate::guard::lexicon {

bool first_name(std::string_view lower);
bool surname(std::string_view lower);
bool place(std::string_view lower);           // countries, US states, major cities, regions
bool us_state_code(std::string_view word);    // "CA", "NY" (case-sensitive, upper)
bool street_suffix(std::string_view lower);   // "street", "st", "avenue", "road", ...
bool street_prefix(std::string_view lower);   // "rue", "via", "calle", ...
bool street_word_ending(std::string_view lower);  // "...strasse", "...gatan", "...katu", ...
bool unit_word(std::string_view lower);       // "apt", "suite", "unit", ...
bool org_suffix(std::string_view lower);      // "inc", "llc", "university", "bank", ...
bool title_word(std::string_view lower);      // "mr", "mrs", "dr", ...
bool common_word(std::string_view lower);     // frequent words that are capitalized at sentence start or in headings
bool date_word(std::string_view lower);       // weekdays and months
bool name_particle(std::string_view lower);
bool function_word(std::string_view lower);   // articles, prepositions, conjunctions, pronouns
bool demonym(std::string_view lower);
bool english_word(std::string_view lower);
bool common_noun(std::string_view lower);      // nouns and adjectives of titles and headlines: "day", "act", "royal", ...     // surnames that are also everyday words: "park", "white", ...         // "polish", "hungarian", "greenlander", ...   // "de", "van", "von", "al", ...

// Every list a word belongs to, as one bit mask: one lookup per word.
inline constexpr uint32_t first_name_flag = 1u << 0;
inline constexpr uint32_t surname_flag = 1u << 1;
inline constexpr uint32_t place_flag = 1u << 2;
inline constexpr uint32_t street_suffix_flag = 1u << 3;
inline constexpr uint32_t street_prefix_flag = 1u << 4;
inline constexpr uint32_t street_word_ending_flag = 1u << 5;
inline constexpr uint32_t unit_word_flag = 1u << 6;
inline constexpr uint32_t org_suffix_flag = 1u << 7;
inline constexpr uint32_t title_word_flag = 1u << 8;
inline constexpr uint32_t common_word_flag = 1u << 9;
inline constexpr uint32_t date_word_flag = 1u << 10;
inline constexpr uint32_t name_particle_flag = 1u << 11;
inline constexpr uint32_t function_word_flag = 1u << 12;
inline constexpr uint32_t demonym_flag = 1u << 13;
inline constexpr uint32_t english_word_flag = 1u << 14;
inline constexpr uint32_t common_noun_flag = 1u << 15;
inline constexpr uint32_t place_start_flag = 1u << 16;
inline constexpr uint32_t org_name_flag = 1u << 17;   // a known organization ("morgan stanley")
inline constexpr uint32_t org_start_flag = 1u << 18;  // the first word of a known multi-word organization

uint32_t word_flags(std::string_view lower);
// Same, for a key followed by at least eight readable bytes (no copy).
uint32_t word_flags_padded(const char * lower, size_t size);

}  // namespace tiergate::guard::lexicon
