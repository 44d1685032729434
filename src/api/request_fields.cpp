#include "api/json_field_error.h"

namespace tiergate::api {

const char * json_type_name(const nlohmann::json & v) {
    using t = nlohmann::json::value_t;
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

error wrong_type(const std::string & field, const char * expected, const nlohmann::json & got) {
    return error::invalid("'" + field + "' must be " + expected + ", got " + json_type_name(got), field, "invalid_type");
}

}  // namespace tiergate::api
