#include "api/retrieval_parse.h"

#include "api/request_fields.h"

namespace tiergate::api {

namespace {

using json = nlohmann::json;

constexpr size_t max_collections = 20;

std::optional<error> unknown_member(const json & object, const std::string & field,
                                    std::initializer_list<const char *> known) {
    for (const auto & [key, value] : object.items()) {
        bool found = false;
        for (const char * k : known) {
            found = found || key == k;
        }
        if (!found) {
            return error::invalid("unrecognized argument '" + field + "." + key + "'", field + "." + key,
                                  "unsupported_parameter");
        }
    }
    return std::nullopt;
}

// An error about `key` of the extension, named by its whole path.
error qualified(error e, const std::string & field, const std::string & key) {
    const std::string bare = "'" + key + "'";
    if (auto at = e.message.find(bare); at != std::string::npos) {
        e.message.replace(at, bare.size(), "'" + field + "." + key + "'");
    }
    e.param = field + "." + key;
    return e;
}

std::optional<error> read_retrieval(const json & r, retrieval_request & out) {
    const std::string field = "tiergate.retrieval";
    if (!r.is_object()) {
        return wrong_type(field, "an object", r);
    }
    if (auto e = unknown_member(r, field, {"collections", "k", "score_threshold", "filters"})) return e;
    auto cs = r.find("collections");
    if (cs == r.end()) {
        return error::invalid("'" + field + ".collections' is required", field + ".collections", "missing_field");
    }
    if (!cs->is_array()) {
        return wrong_type(field + ".collections", "an array of vector store ids", *cs);
    }
    if (cs->empty() || cs->size() > max_collections) {
        return error::invalid("'" + field + ".collections' must hold 1 to " + std::to_string(max_collections) + " ids",
                              field + ".collections", "invalid_value");
    }
    for (size_t i = 0; i < cs->size(); ++i) {
        const auto & c = (*cs)[i];
        const std::string f = field + ".collections[" + std::to_string(i) + "]";
        if (!c.is_string()) {
            return wrong_type(f, "a string", c);
        }
        if (c.get_ref<const std::string &>().empty() || c.get_ref<const std::string &>().size() > 128) {
            return error::invalid("'" + f + "' must be a vector store id", f, "invalid_value");
        }
        out.collections.push_back(c.get<std::string>());
    }
    std::optional<int> k;
    if (auto e = read_number(r, "k", 1.0, 20.0, k)) return qualified(*e, field, "k");
    out.k = k.value_or(out.k);
    std::optional<double> threshold;
    if (auto e = read_number(r, "score_threshold", 0.0, 1.0, threshold)) return qualified(*e, field, "score_threshold");
    out.score_threshold = threshold.value_or(0.0);
    if (auto f = r.find("filters"); f != r.end() && !f->is_null()) {
        if (!f->is_object()) {
            return wrong_type(field + ".filters", "an object", *f);
        }
        out.filters_json = f->dump();
    }
    return std::nullopt;
}

}  // namespace

std::optional<error> read_tiergate_extension(const json & doc, generation_call & call) {
    auto ext = doc.find("tiergate");
    if (ext == doc.end() || ext->is_null()) {
        return std::nullopt;
    }
    if (!ext->is_object()) {
        return wrong_type("tiergate", "an object", *ext);
    }
    if (auto e = unknown_member(*ext, "tiergate", {"retrieval", "cache"})) return e;
    if (auto c = ext->find("cache"); c != ext->end() && !c->is_null()) {
        if (!c->is_boolean()) {
            return wrong_type("tiergate.cache", "a boolean", *c);
        }
        call.use_cache = c->get<bool>();
    }
    if (auto r = ext->find("retrieval"); r != ext->end() && !r->is_null()) {
        retrieval_request req;
        if (auto e = read_retrieval(*r, req)) return e;
        call.retrieval = std::move(req);
    }
    return std::nullopt;
}

}  // namespace tiergate::api
