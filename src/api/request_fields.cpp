#include "api/request_fields.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "core/json_depth.h"
#include "core/utf8.h"

namespace tiergate::api {

using json = nlohmann::json;

result<json> parse_json_body(std::string_view body) {
    if (body.empty()) {
        return error::invalid("the request body is empty; send a JSON object", "", "invalid_json");
    }
    if (size_t bad = find_invalid_utf8(body); bad != std::string_view::npos) {
        return error::invalid("the request body is not valid UTF-8 (first bad byte at offset " + std::to_string(bad) + ")",
                              "", "invalid_utf8");
    }
    // Refused before parsing: a body of millions of brackets would otherwise
    // build a DOM of millions of nodes on the I/O thread.
    if (size_t deep = first_too_deep(body, max_request_json_depth); deep != std::string_view::npos) {
        return error::invalid("the request body nests arrays and objects deeper than " +
                                  std::to_string(max_request_json_depth) + " levels (at offset " + std::to_string(deep) +
                                  ")",
                              "", "invalid_json");
    }
    json doc = json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded()) {
        std::string detail;
        try {
            (void)json::parse(body.begin(), body.end());
        } catch (const json::exception & e) {
            detail = std::string(": ") + e.what();
        }
        return error::invalid("the request body is not valid JSON" + detail, "", "invalid_json");
    }
    if (!doc.is_object()) {
        return error::invalid(std::string("the request body must be a JSON object, got ") + json_type_name(doc), "",
                              "invalid_json");
    }
    return doc;
}

const char * json_type_name(const json & v) {
    using t = json::value_t;
    switch (v.type()) {
        case t::null: return "null";
        case t::boolean: return "a boolean";
        case t::string: return "a string";
        case t::array: return "an array";
        case t::object: return "an object";
        case t::binary: return "binary";
        case t::discarded: return "invalid";
        default: return "a number";
    }
}

std::string string_member(const json & object, const char * key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

error wrong_type(const std::string & field, const char * expected, const json & got) {
    return error::invalid("'" + field + "' must be " + expected + ", got " + json_type_name(got), field, "invalid_type");
}

template <class T>
std::optional<error> read_number(const json & doc, const char * field, double lo, double hi, std::optional<T> & out) {
    auto it = doc.find(field);
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_number()) {
        return wrong_type(field, std::is_integral_v<T> ? "an integer" : "a number", *it);
    }
    if (std::is_integral_v<T> && !it->is_number_integer() && !it->is_number_unsigned()) {
        return wrong_type(field, "an integer", *it);
    }
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < lo || v > hi) {
        char buf[160];
        snprintf(buf, sizeof(buf), "'%s' must be between %g and %g, got %g", field, lo, hi, v);
        return error::invalid(buf, field, "invalid_value");
    }
    out = static_cast<T>(v);
    return std::nullopt;
}

template std::optional<error> read_number<int>(const json &, const char *, double, double, std::optional<int> &);
template std::optional<error> read_number<float>(const json &, const char *, double, double, std::optional<float> &);
template std::optional<error> read_number<double>(const json &, const char *, double, double, std::optional<double> &);
template std::optional<error> read_number<int64_t>(const json &, const char *, double, double,
                                                   std::optional<int64_t> &);

std::optional<error> read_bool(const json & doc, const char * field, bool & out) {
    auto it = doc.find(field);
    if (it == doc.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_boolean()) {
        return wrong_type(field, "a boolean", *it);
    }
    out = it->get<bool>();
    return std::nullopt;
}

}  // namespace tiergate::api
