#pragma once
// One detected entity: its type and byte range in the scanned text. A finding
// holds offsets, never a copy of the value.

#include "guard/entity_type.h"

#include <cstddef>
#include <cstdint>

namespace tiergate::guard {

// What produced a finding.
enum class finding_source : uint8_t {
    pattern,     // a checked pattern (checksum, structure)
    dictionary,  // a known name, place or suffix
    context,     // a cue word before the span ("my name is", "Mr.")
    shape,       // capitalization structure alone
    custom,      // a configured pattern
};

struct finding {
    entity_type type = entity_type::custom;
    size_t start = 0;  // byte offset, inclusive
    size_t end = 0;    // byte offset, exclusive
    float score = 0;   // 0..1
    finding_source source = finding_source::pattern;
    uint16_t custom_index = 0;  // index of the custom pattern when type is custom
};

}  // namespace tiergate::guard
