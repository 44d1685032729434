#include "providers/attempt_record.h"

namespace tiergate::providers {

std::string describe(const attempt_record & record) {
    std::string out = record.model;
    if (!record.deployment.empty()) {
        out += "@" + record.deployment;
    }
    out += "#" + std::to_string(record.attempt) + ": ";
    if (record.status != 0) {
        out += "HTTP " + std::to_string(record.status) + ": ";
    }
    out += record.failure ? record.failure->message : std::string("ok");
    return out;
}

}  // namespace tiergate::providers
