#pragma once
// `tiergate guard scan`: findings of a text as lines or JSON (types, byte
// offsets, scores and sources; never the values).

#include "guard/finding.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace tiergate::guard {

const char * to_string(finding_source source);

std::string findings_json(const std::vector<finding> & findings);

// Reads all of in, scans it, writes the findings to out; returns the exit code.
int run_guard_scan(std::istream & in, std::ostream & out, bool json);

}  // namespace tiergate::guard
