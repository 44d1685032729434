#pragma once
// A deterministic stratified held-out slice of labelled rows: the same rows
// for the same data, fraction and seed, on every machine.

#include "eval/intent_data.h"

#include <cstdint>
#include <span>
#include <vector>

namespace tiergate::eval {

struct intent_holdout {
    std::vector<size_t> fit;   // row indices kept for fitting, ascending
    std::vector<size_t> held;  // row indices held out, ascending
};

// Per intent, round(fraction * rows) of its rows are held out (at least one
// when it has two or more rows, never all of them), picked in a seeded hash
// order of the text. fraction is clamped to 0..0.9.
intent_holdout stratified_holdout(std::span<const labelled_utterance> rows, double fraction, uint64_t seed);

}  // namespace tiergate::eval
