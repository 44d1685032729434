#include "config/map_reader.h"

#include <sstream>

#include <cmath>
#include <map>

namespace tiergate::config {

namespace {

// A quoted scalar carries the non-specific tag "!"; a plain one carries "?".
bool is_quoted(const YAML::Node & node) { return node.Tag() == "!"; }

std::string quote(const std::string & text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace

source_pos pos_of(const YAML::Node & node) {
    YAML::Mark mark = node.Mark();
    if (mark.is_null()) {
        return {};
    }
    return {mark.line + 1, mark.column + 1};
}

std::string describe_value(const YAML::Node & node) {
    switch (node.Type()) {
        case YAML::NodeType::Undefined: return "nothing";
        case YAML::NodeType::Null: return "null";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Scalar: {
            return quote(node.Scalar());
        }
    }
    return "nothing";
}

std::optional<std::string> read_string(const YAML::Node & node, const std::string & path, config_errors & errors) {
    if (!node.IsScalar()) {
        errors.add(pos_of(node), path, "expected a string, got " + describe_value(node));
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<double> read_number(const YAML::Node & node, const std::string & path, config_errors & errors) {
    double value = 0.0;
    if (!node.IsScalar() || is_quoted(node) || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
        errors.add(pos_of(node), path, "expected a number, got " + describe_value(node));
        return std::nullopt;
    }
    return value;
}

std::optional<int64_t> read_integer(const YAML::Node & node, const std::string & path, config_errors & errors) {
    int64_t value = 0;
    if (!node.IsScalar() || is_quoted(node) || !YAML::convert<int64_t>::decode(node, value)) {
        errors.add(pos_of(node), path, "expected an integer, got " + describe_value(node));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> read_bool(const YAML::Node & node, const std::string & path, config_errors & errors) {
    bool value = false;
    if (!node.IsScalar() || is_quoted(node) || !YAML::convert<bool>::decode(node, value)) {
        errors.add(pos_of(node), path, "expected true or false, got " + describe_value(node));
        return std::nullopt;
    }
    return value;
}

map_reader::map_reader(const YAML::Node & node, std::string path, config_errors & errors)
    : node_(node), path_(std::move(path)), errors_(errors), pos_(pos_of(node)) {
    if (!node.IsMap()) {
        errors_.add(pos_, path_, "expected a mapping, got " + describe_value(node));
        return;
    }
    valid_ = true;
}

std::string map_reader::field_path(const std::string & key) const {
    return path_.empty() ? key : path_ + "." + key;
}

std::optional<YAML::Node> map_reader::lookup(const std::string & key, presence p) {
    known_.insert(key);
    if (!valid_) {
        return std::nullopt;
    }
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
            if (it->second.IsNull()) {
                break;
            }
            return it->second;
        }
    }
    if (p == presence::required) {
        errors_.add(pos_, field_path(key), "required field is missing");
    }
    return std::nullopt;
}

std::optional<located<std::string>> map_reader::string(const std::string & key, presence p) {
    auto found = lookup(key, p);
    if (!found) {
        return std::nullopt;
    }
    auto value = read_string(*found, field_path(key), errors_);
    if (!value) {
        return std::nullopt;
    }
    return located<std::string>{*value, pos_of(*found)};
}

std::optional<located<double>> map_reader::number(const std::string & key, presence p) {
    auto found = lookup(key, p);
    if (!found) {
        return std::nullopt;
    }
    auto value = read_number(*found, field_path(key), errors_);
    if (!value) {
        return std::nullopt;
    }
    return located<double>{*value, pos_of(*found)};
}

std::optional<located<int64_t>> map_reader::integer(const std::string & key, presence p) {
    auto found = lookup(key, p);
    if (!found) {
        return std::nullopt;
    }
    auto value = read_integer(*found, field_path(key), errors_);
    if (!value) {
        return std::nullopt;
    }
    return located<int64_t>{*value, pos_of(*found)};
}

namespace {

// A number as a person writes it: 0.5, 1, 1e+06.
std::string plain(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

}  // namespace

std::optional<located<int64_t>> map_reader::integer_in(const std::string & key, int64_t lo, int64_t hi, presence p) {
    auto v = integer(key, p);
    if (v && (v->value < lo || v->value > hi)) {
        errors_.add(v->pos, field_path(key),
                    "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                        std::to_string(v->value));
        return std::nullopt;
    }
    return v;
}

std::optional<located<double>> map_reader::number_in(const std::string & key, double lo, double hi, presence p) {
    auto v = number(key, p);
    if (v && !(v->value >= lo && v->value <= hi)) {
        errors_.add(v->pos, field_path(key), "must be between " + plain(lo) + " and " + plain(hi) + ", got " + plain(v->value));
        return std::nullopt;
    }
    return v;
}

std::optional<located<bool>> map_reader::boolean(const std::string & key, presence p) {
    auto found = lookup(key, p);
    if (!found) {
        return std::nullopt;
    }
    auto value = read_bool(*found, field_path(key), errors_);
    if (!value) {
        return std::nullopt;
    }
    return located<bool>{*value, pos_of(*found)};
}

std::optional<located<std::vector<located<std::string>>>> map_reader::string_list(const std::string & key,
                                                                                  presence p) {
    auto found = lookup(key, p);
    if (!found) {
        return std::nullopt;
    }
    if (!found->IsSequence()) {
        errors_.add(pos_of(*found), field_path(key), "expected a list of strings, got " + describe_value(*found));
        return std::nullopt;
    }
    located<std::vector<located<std::string>>> out;
    out.pos = pos_of(*found);
    bool all_ok = true;
    for (std::size_t i = 0; i < found->size(); ++i) {
        YAML::Node item = (*found)[i];
        auto value = read_string(item, field_path(key) + "[" + std::to_string(i) + "]", errors_);
        if (!value) {
            all_ok = false;
            continue;
        }
        out.value.push_back({*value, pos_of(item)});
    }
    if (!all_ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<YAML::Node> map_reader::node(const std::string & key, presence p) { return lookup(key, p); }

void map_reader::finish() {
    if (!valid_) {
        return;
    }
    std::map<std::string, int> seen;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (!it->first.IsScalar()) {
            errors_.add(pos_of(it->first), path_, "field names must be strings, got " + describe_value(it->first));
            continue;
        }
        const std::string & key = it->first.Scalar();
        if (++seen[key] == 2) {
            errors_.add(pos_of(it->first), field_path(key), "duplicate field");
        }
        if (!known_.contains(key)) {
            std::string expected;
            for (const auto & name : known_) {
                expected += expected.empty() ? name : ", " + name;
            }
            errors_.add(pos_of(it->first), field_path(key), "unknown field (expected one of: " + expected + ")");
        }
    }
}

}  // namespace tiergate::config
