#pragma once
// Ids for requests and the work done on their behalf: "<prefix>-" then 24
// hex digits, unique within a process (a random base and a counter) and,
// with overwhelming likelihood, across processes.

#include <string>

namespace tiergate {

std::string new_request_id(const char * prefix);

}  // namespace tiergate
