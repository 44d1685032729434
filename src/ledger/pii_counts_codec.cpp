#include "ledger/pii_counts_codec.h"

#include <nlohmann/json.hpp>

namespace tiergate::ledger {

std::string encode_pii_counts(const std::map<std::string, int64_t> & counts) {
    if (counts.empty()) {
        return "{}";
    }
    nlohmann::json j = nlohmann::json::object();
    for (const auto & [type, n] : counts) {
        j[type] = n;
    }
    return j.dump();
}

std::map<std::string, int64_t> decode_pii_counts(const std::string & text) {
    std::map<std::string, int64_t> out;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) {
        return out;
    }
    for (const auto & [type, n] : j.items()) {
        if (n.is_number_integer()) {
            out[type] = n.get<int64_t>();
        }
    }
    return out;
}

}  // namespace tiergate::ledger
