#pragma once
// What the guard decided for a request: entity types and counts, never
// values. This is what goes to logs and the ledger.

#include "guard/entity_type.h"

#include <array>
#include <cstdint>
#include <string>

namespace tiergate::guard {

struct guard_result {
    std::array<uint32_t, entity_type_count> found{};         // findings per type
    std::array<uint32_t, entity_type_count> pseudonymized{};
    std::array<uint32_t, entity_type_count> redacted{};
    bool on_prem_only = false;  // a covered entity requires on-prem serving
    bool blocked = false;       // a covered entity blocks the request
    std::array<uint32_t, entity_type_count> blocking{};      // the findings that block, per type

    uint32_t total_found() const;
    void merge(const guard_result & other);
};

// "PERSON=2,EMAIL_ADDRESS=1": the non-zero counts, in type order.
std::string describe_counts(const std::array<uint32_t, entity_type_count> & counts);

}  // namespace tiergate::guard
