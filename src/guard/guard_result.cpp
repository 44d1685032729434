#include "guard/guard_result.h"

namespace tiergate::guard {

uint32_t guard_result::total_found() const {
    uint32_t total = 0;
    for (uint32_t n : found) {
        total += n;
    }
    return total;
}

void guard_result::merge(const guard_result & other) {
    for (size_t i = 0; i < entity_type_count; ++i) {
        found[i] += other.found[i];
        pseudonymized[i] += other.pseudonymized[i];
        redacted[i] += other.redacted[i];
        blocking[i] += other.blocking[i];
    }
    on_prem_only = on_prem_only || other.on_prem_only;
    blocked = blocked || other.blocked;
}

std::string describe_counts(const std::array<uint32_t, entity_type_count> & counts) {
    std::string s;
    for (size_t i = 0; i < entity_type_count; ++i) {
        if (counts[i] == 0) {
            continue;
        }
        if (!s.empty()) {
            s.push_back(',');
        }
        s.append(to_string(all_entity_types[i]));
        s.push_back('=');
        s.append(std::to_string(counts[i]));
    }
    return s;
}

}  // namespace tiergate::guard
