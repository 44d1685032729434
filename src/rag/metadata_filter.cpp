#include "rag/metadata_filter.h"

#include <algorithm>

namespace tiergate::rag {

namespace {

constexpr size_t max_depth = 8;
constexpr size_t max_filters = 256;

using op = metadata_filter::op;
using node = metadata_filter::node;

error bad(const std::string & message) { return error::invalid(message, "filters", "invalid_filter"); }

bool comparable(const nlohmann::json & v) { return v.is_number() || v.is_string() || v.is_boolean(); }

struct parser {
    const std::vector<std::string> & known;
    size_t count = 0;

    result<node> parse(const nlohmann::json & spec, size_t depth) {
        if (!spec.is_object()) {
            return bad("a filter must be an object with a \"type\"");
        }
        if (++count > max_filters) {
            return bad("too many filters (at most " + std::to_string(max_filters) + ")");
        }
        if (depth > max_depth) {
            return bad("filters nest too deep (at most " + std::to_string(max_depth) + " levels)");
        }
        auto type = spec.find("type");
        if (type == spec.end() || !type->is_string()) {
            return bad("a filter needs a string \"type\"");
        }
        const std::string t = type->get<std::string>();
        node n;
        if (t == "and" || t == "or") {
            n.kind = t == "and" ? op::all_of : op::any_of;
            auto filters = spec.find("filters");
            if (filters == spec.end() || !filters->is_array() || filters->empty()) {
                return bad("a compound \"" + t + "\" filter needs a non-empty \"filters\" array");
            }
            for (const auto & child : *filters) {
                auto c = parse(child, depth + 1);
                if (!c) {
                    return c.err();
                }
                n.children.push_back(std::move(*c));
            }
            return n;
        }
        static const std::pair<const char *, op> ops[] = {{"eq", op::eq},   {"ne", op::ne},   {"gt", op::gt},
                                                          {"gte", op::gte}, {"lt", op::lt},   {"lte", op::lte},
                                                          {"in", op::in},   {"nin", op::nin}};
        auto it = std::find_if(std::begin(ops), std::end(ops), [&](const auto & p) { return t == p.first; });
        if (it == std::end(ops)) {
            return bad("unknown filter type \"" + t + "\" (eq, ne, gt, gte, lt, lte, in, nin, and, or)");
        }
        n.kind = it->second;
        auto key = spec.find("key");
        if (key == spec.end() || !key->is_string() || key->get<std::string>().empty()) {
            return bad("a \"" + t + "\" filter needs a string \"key\"");
        }
        n.key = key->get<std::string>();
        if (!known.empty() && std::find(known.begin(), known.end(), n.key) == known.end()) {
            return bad("unknown metadata key \"" + n.key + "\": no document of the collection has it");
        }
        auto value = spec.find("value");
        if (value == spec.end()) {
            return bad("a \"" + t + "\" filter needs a \"value\"");
        }
        if (n.kind == op::in || n.kind == op::nin) {
            if (!value->is_array() || !std::all_of(value->begin(), value->end(), comparable)) {
                return bad("an \"" + t + "\" filter's value must be an array of strings, numbers or booleans");
            }
        } else if (!comparable(*value)) {
            return bad("a \"" + t + "\" filter's value must be a string, a number or a boolean");
        } else if ((n.kind == op::gt || n.kind == op::gte || n.kind == op::lt || n.kind == op::lte) &&
                   value->is_boolean()) {
            return bad("a \"" + t + "\" filter compares numbers or strings, not booleans");
        }
        n.value = *value;
        return n;
    }
};

// -1, 0, 1, or 2 when the values cannot be ordered (different kinds).
int compare(const nlohmann::json & a, const nlohmann::json & b) {
    if (a.is_number() && b.is_number()) {
        const double x = a.get<double>(), y = b.get<double>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_string() && b.is_string()) {
        const int c = a.get_ref<const std::string &>().compare(b.get_ref<const std::string &>());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (a.is_boolean() && b.is_boolean()) {
        return a.get<bool>() == b.get<bool>() ? 0 : 2;
    }
    return 2;
}

bool eval(const node & n, const nlohmann::json & metadata) {
    switch (n.kind) {
        case op::all_of:
            return std::all_of(n.children.begin(), n.children.end(), [&](const node & c) { return eval(c, metadata); });
        case op::any_of:
            return std::any_of(n.children.begin(), n.children.end(), [&](const node & c) { return eval(c, metadata); });
        default:
            break;
    }
    auto it = metadata.find(n.key);
    const bool present = it != metadata.end() && !it->is_null();
    switch (n.kind) {
        case op::eq:
            return present && compare(*it, n.value) == 0;
        case op::ne:
            return !present || compare(*it, n.value) != 0;
        case op::gt:
            return present && compare(*it, n.value) == 1;
        case op::gte:
            return present && (compare(*it, n.value) == 1 || compare(*it, n.value) == 0);
        case op::lt:
            return present && compare(*it, n.value) == -1;
        case op::lte:
            return present && (compare(*it, n.value) == -1 || compare(*it, n.value) == 0);
        case op::in:
        case op::nin: {
            const bool found = present && std::any_of(n.value.begin(), n.value.end(),
                                                      [&](const nlohmann::json & v) { return compare(*it, v) == 0; });
            return n.kind == op::in ? found : !found;
        }
        default:
            return false;
    }
}

}  // namespace

result<metadata_filter> metadata_filter::parse(const nlohmann::json & spec, const std::vector<std::string> & known_keys) {
    parser p{known_keys};
    auto root = p.parse(spec, 1);
    if (!root) {
        return root.err();
    }
    metadata_filter f;
    f.root_ = std::move(*root);
    return f;
}

bool metadata_filter::matches(const nlohmann::json & metadata) const { return eval(root_, metadata); }

}  // namespace tiergate::rag
