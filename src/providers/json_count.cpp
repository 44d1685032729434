#include "providers/json_count.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tiergate::providers {

std::optional<int> json_count(const nlohmann::json & object, const char * key) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return std::nullopt;
    }
    constexpr auto most = std::numeric_limits<int>::max();
    if (it->is_number_unsigned()) {
        const auto v = it->get<nlohmann::json::number_unsigned_t>();
        if (v <= static_cast<nlohmann::json::number_unsigned_t>(most)) {
            return static_cast<int>(v);
        }
    } else if (it->is_number_integer()) {
        const auto v = it->get<nlohmann::json::number_integer_t>();
        if (v >= 0 && v <= most) {
            return static_cast<int>(v);
        }
    } else if (it->is_number_float()) {
        const double v = it->get<double>();
        if (std::isfinite(v) && v >= 0 && v <= most && v == std::floor(v)) {
            return static_cast<int>(v);
        }
    }
    throw std::domain_error(std::string("\"") + key + "\" is not a count: " + it->dump());
}

}  // namespace tiergate::providers
