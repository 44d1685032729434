#include "api/knowledge_routes.h"

#include "api/knowledge_format.h"
#include "api/multipart.h"
#include "api/query_string.h"
#include "api/request_fields.h"
#include "core/request_id.h"
#include "core/utf8.h"

#include <algorithm>

namespace tiergate::api {

namespace {

using nlohmann::json;

error wrong_method(const http_request & r, const char * allowed) {
    return error{error_kind::method_not_allowed, r.method + " is not allowed on " + r.path + "; use " + allowed, "",
                 "method_not_allowed", {}};
}

error no_route(const http_request & r) {
    return error{error_kind::not_found,
                 "no route for " + r.method + " " + (r.path.size() > 200 ? r.path.substr(0, 200) : r.path), "",
                 "unknown_route", {}};
}

struct page {
    size_t limit = 20;
    std::string after;
};

result<page> page_of(const http_request & r, size_t default_limit, size_t max_limit) {
    page p;
    p.limit = default_limit;
    if (auto limit = query_value(r.target, "limit")) {
        size_t n = 0;
        bool digits = !limit->empty() && limit->size() <= 6;
        for (char ch : *limit) {
            digits = digits && ch >= '0' && ch <= '9';
            n = n * 10 + static_cast<size_t>(ch - '0');
        }
        if (!digits || n < 1 || n > max_limit) {
            return error::invalid("limit must be an integer from 1 to " + std::to_string(max_limit), "limit",
                                  "invalid_value");
        }
        p.limit = n;
    }
    if (auto after = query_value(r.target, "after")) {
        p.after = *after;
    }
    return p;
}

// OpenAI's metadata: at most 16 string values, keys up to 64 and values up to 512 bytes.
std::optional<error> check_metadata(const json & v, const char * field) {
    if (!v.is_object()) {
        return wrong_type(field, "an object", v);
    }
    if (v.size() > 16) {
        return error::invalid(std::string(field) + " has more than 16 keys", field, "invalid_value");
    }
    for (const auto & [k, value] : v.items()) {
        if (k.size() > 64 || !value.is_string() || value.get_ref<const std::string &>().size() > 512) {
            return error::invalid(std::string(field) + " takes up to 16 keys of at most 64 bytes with string values of "
                                  "at most 512 bytes",
                                  field, "invalid_value");
        }
    }
    return std::nullopt;
}

// A file's attributes: at most 16 keys with string, number or boolean values.
std::optional<error> check_attributes(const json & v) {
    if (!v.is_object()) {
        return wrong_type("attributes", "an object", v);
    }
    if (v.size() > 16) {
        return error::invalid("attributes has more than 16 keys", "attributes", "invalid_value");
    }
    for (const auto & [k, value] : v.items()) {
        const bool scalar = value.is_boolean() || value.is_number() ||
                            (value.is_string() && value.get_ref<const std::string &>().size() <= 512);
        if (k.size() > 64 || !scalar) {
            return error::invalid("attributes takes up to 16 keys of at most 64 bytes with string (at most 512 bytes), "
                                  "number or boolean values",
                                  "attributes", "invalid_value");
        }
    }
    return std::nullopt;
}

// {"type":"auto"} or {"type":"static","static":{"max_chunk_size_tokens":N,"chunk_overlap_tokens":M}}.
result<std::optional<rag::chunk_settings>> chunking_of(const json & body) {
    auto it = body.find("chunking_strategy");
    if (it == body.end() || it->is_null()) {
        return std::optional<rag::chunk_settings>();
    }
    if (!it->is_object()) {
        return wrong_type("chunking_strategy", "an object", *it);
    }
    const std::string type = string_member(*it, "type");
    if (type == "auto") {
        return std::optional<rag::chunk_settings>();
    }
    if (type != "static") {
        return error::invalid("chunking_strategy.type must be \"auto\" or \"static\"", "chunking_strategy.type",
                              "invalid_value");
    }
    auto s = it->find("static");
    if (s == it->end() || !s->is_object()) {
        return error::invalid("a static chunking_strategy needs \"static\": {max_chunk_size_tokens, chunk_overlap_tokens}",
                              "chunking_strategy.static", "invalid_value");
    }
    std::optional<int64_t> size, overlap;
    if (auto e = read_number<int64_t>(*s, "max_chunk_size_tokens", 16, 8192, size)) {
        return *e;
    }
    if (auto e = read_number<int64_t>(*s, "chunk_overlap_tokens", 0, 4096, overlap)) {
        return *e;
    }
    rag::chunk_settings out;
    out.max_tokens = static_cast<size_t>(size.value_or(800));
    out.overlap_tokens = static_cast<size_t>(overlap.value_or(static_cast<int64_t>(out.max_tokens / 4)));
    auto valid = rag::validate_chunk_settings(out);
    if (!valid) {
        return error::invalid(valid.err().message, "chunking_strategy.static", "invalid_value");
    }
    return std::optional<rag::chunk_settings>(*valid);
}

result<std::string> string_field(const json & body, const char * field, bool required) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) {
        if (required) {
            return error::invalid(std::string("'") + field + "' is required", field, "missing_field");
        }
        return std::string();
    }
    if (!it->is_string()) {
        return wrong_type(field, "a string", *it);
    }
    return it->get<std::string>();
}

std::string dump(const json & j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

knowledge_routes::knowledge_routes(rag::knowledge_base & kb, size_t threads, size_t queue)
    : kb_(kb), work_(threads, queue) {}

bool knowledge_routes::owns(const std::string & path) {
    auto under = [&](std::string_view prefix) {
        return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
    };
    return under("/v1/files") || under("/v1/vector_stores");
}

void knowledge_routes::handle(http_request && request, std::shared_ptr<responder> respond, knowledge_caller caller) {
    if (caller.request_id.empty()) {
        caller.request_id = new_request_id("kb");
    }
    auto job = [this, request = std::move(request), respond, caller = std::move(caller)]() {
        if (!respond->alive()) {
            return;
        }
        const auto segments = path_segments(request.path, "/v1/");
        auto r = run(call{request, segments, caller.team, caller});
        if (!r) {
            return send_error(*respond, r.err());
        }
        respond->send(200, std::move(r->body), {}, r->content_type);
    };
    if (!work_.post(std::move(job))) {
        send_error(*respond, error{error_kind::unavailable, "too many file and vector store requests are waiting; retry shortly",
                                   "", "overloaded", 1});
    }
}

result<knowledge_routes::reply> knowledge_routes::run(const call & c) {
    if (c.segments.size() >= 3 && c.segments[0] == "files" && c.segments[2] == "content") {
        if (c.segments.size() != 3) {
            return no_route(c.request);
        }
        if (c.request.method != "GET") {
            return wrong_method(c.request, "GET");
        }
        auto bytes = kb_.file_content(c.team, c.segments[1]);
        if (!bytes) {
            return bytes.err();
        }
        return reply{std::move(*bytes), "application/octet-stream"};
    }
    auto j = c.segments[0] == "files" ? files(c) : vector_stores(c);
    if (!j) {
        return j.err();
    }
    return reply{dump(*j)};
}

result<nlohmann::json> knowledge_routes::files(const call & c) {
    const auto & r = c.request;
    if (c.segments.size() == 1) {
        if (r.method == "GET") {
            auto p = page_of(r, 100, 10000);
            if (!p) {
                return p.err();
            }
            auto list = kb_.files(c.team, query_value(r.target, "purpose").value_or(""), p->limit + 1, p->after);
            if (!list) {
                return list.err();
            }
            const bool more = list->size() > p->limit;
            json data = json::array();
            for (size_t i = 0; i < std::min(p->limit, list->size()); ++i) {
                data.push_back(file_json((*list)[i]));
            }
            return list_json(std::move(data), more);
        }
        if (r.method != "POST") {
            return wrong_method(r, "GET, POST");
        }
        const std::string * type = r.header("content-type");
        auto parts = parse_multipart(type ? *type : "", r.body);
        if (!parts) {
            return parts.err();
        }
        const form_part * file = nullptr;
        std::string purpose;
        bool has_purpose = false;
        for (const auto & part : *parts) {
            if (part.name == "file" && part.has_filename) {
                if (file != nullptr) {
                    return error::invalid("one file per upload", "file", "invalid_multipart");
                }
                file = &part;
            } else if (part.name == "purpose") {
                purpose = std::string(part.body);
                has_purpose = true;
            }
        }
        if (file == nullptr) {
            return error::invalid("the upload has no `file` part with a filename", "file", "missing_field");
        }
        if (!has_purpose) {
            return error::invalid("'purpose' is required", "purpose", "missing_field");
        }
        auto f = kb_.upload(c.team, file->filename, purpose, std::string(file->body));
        if (!f) {
            return f.err();
        }
        return file_json(*f);
    }
    if (c.segments.size() != 2) {
        return no_route(r);
    }
    const std::string & id = c.segments[1];
    if (r.method == "GET") {
        auto f = kb_.file(c.team, id);
        if (!f) {
            return f.err();
        }
        return file_json(*f);
    }
    if (r.method == "DELETE") {
        auto gone = kb_.delete_file(c.team, id);
        if (!gone) {
            return gone.err();
        }
        return deleted_json(id, "file");
    }
    return wrong_method(r, "GET, DELETE");
}

result<nlohmann::json> knowledge_routes::store_json(const rag::collection_info & info) {
    auto counts = kb_.counts(info.id);
    if (!counts) {
        return counts.err();
    }
    return vector_store_json(info, *counts);
}

result<nlohmann::json> knowledge_routes::vector_stores(const call & c) {
    const auto & r = c.request;
    const auto & seg = c.segments;
    if (seg.size() == 1) {
        if (r.method == "GET") {
            auto p = page_of(r, 20, 100);
            if (!p) {
                return p.err();
            }
            auto all = kb_.collections(c.team);
            if (!all) {
                return all.err();
            }
            std::sort(all->begin(), all->end(), [](const auto & a, const auto & b) { return a.id < b.id; });
            json data = json::array();
            bool more = false;
            for (const auto & info : *all) {
                if (info.id <= p->after) {
                    continue;
                }
                if (data.size() == p->limit) {
                    more = true;
                    break;
                }
                auto j = store_json(info);
                if (!j) {
                    return j.err();
                }
                data.push_back(std::move(*j));
            }
            return list_json(std::move(data), more);
        }
        if (r.method != "POST") {
            return wrong_method(r, "GET, POST");
        }
        auto body = parse_json_body(r.body);
        if (!body) {
            return body.err();
        }
        auto name = string_field(*body, "name", false);
        if (!name) {
            return name.err();
        }
        json metadata = json::object();
        if (auto it = body->find("metadata"); it != body->end() && !it->is_null()) {
            if (auto e = check_metadata(*it, "metadata")) {
                return *e;
            }
            metadata = *it;
        }
        std::vector<std::string> file_ids;
        if (auto it = body->find("file_ids"); it != body->end() && !it->is_null()) {
            if (!it->is_array() || it->size() > 500 ||
                !std::all_of(it->begin(), it->end(), [](const json & v) { return v.is_string(); })) {
                return error::invalid("'file_ids' must be an array of at most 500 file ids", "file_ids",
                                      "invalid_type");
            }
            file_ids = it->get<std::vector<std::string>>();
        }
        auto chunking = chunking_of(*body);
        if (!chunking) {
            return chunking.err();
        }
        // every file must exist before the store is made
        for (const auto & id : file_ids) {
            if (auto f = kb_.file(c.team, id); !f) {
                return f.err();
            }
        }
        std::optional<bool> on_prem_only;
        if (auto it = body->find("on_prem_only"); it != body->end() && !it->is_null()) {
            if (!it->is_boolean()) {
                return wrong_type("on_prem_only", "a boolean", *it);
            }
            on_prem_only = it->get<bool>();
        }
        auto info = kb_.create_collection(c.team, *name, metadata, *chunking, on_prem_only);
        if (!info) {
            return info.err();
        }
        for (const auto & id : file_ids) {
            if (auto a = kb_.attach(c.caller, info->id, id, json::object()); !a) {
                (void)kb_.delete_collection(c.team, info->id);
                return a.err();
            }
        }
        auto fresh = kb_.collection(c.team, info->id);
        if (!fresh) {
            return fresh.err();
        }
        return store_json(*fresh);
    }
    const std::string & id = seg[1];
    if (seg.size() >= 3 && seg[2] == "files") {
        return vector_store_files(c, id);
    }
    if (seg.size() == 3 && seg[2] == "search") {
        if (r.method != "POST") {
            return wrong_method(r, "POST");
        }
        return search(c, id);
    }
    if (seg.size() != 2) {
        return no_route(r);
    }
    if (r.method == "GET") {
        auto info = kb_.collection(c.team, id);
        if (!info) {
            return info.err();
        }
        return store_json(*info);
    }
    if (r.method == "DELETE") {
        auto gone = kb_.delete_collection(c.team, id);
        if (!gone) {
            return gone.err();
        }
        return deleted_json(id, "vector_store.deleted");
    }
    if (r.method != "POST") {
        return wrong_method(r, "GET, POST, DELETE");
    }
    auto body = parse_json_body(r.body);
    if (!body) {
        return body.err();
    }
    std::optional<std::string> name;
    if (body->contains("name") && !(*body)["name"].is_null()) {
        auto n = string_field(*body, "name", false);
        if (!n) {
            return n.err();
        }
        name = *n;
    }
    std::optional<json> metadata;
    if (auto it = body->find("metadata"); it != body->end() && !it->is_null()) {
        if (auto e = check_metadata(*it, "metadata")) {
            return *e;
        }
        metadata = *it;
    }
    auto info = kb_.update_collection(c.team, id, name, metadata);
    if (!info) {
        return info.err();
    }
    return store_json(*info);
}

result<nlohmann::json> knowledge_routes::vector_store_files(const call & c, const std::string & store) {
    const auto & r = c.request;
    const auto & seg = c.segments;
    if (seg.size() == 3) {
        if (r.method == "GET") {
            auto p = page_of(r, 20, 100);
            if (!p) {
                return p.err();
            }
            auto list = kb_.attachments(c.team, store, p->limit + 1, p->after);
            if (!list) {
                return list.err();
            }
            const bool more = list->size() > p->limit;
            json data = json::array();
            for (size_t i = 0; i < std::min(p->limit, list->size()); ++i) {
                data.push_back(vector_store_file_json((*list)[i]));
            }
            return list_json(std::move(data), more);
        }
        if (r.method != "POST") {
            return wrong_method(r, "GET, POST");
        }
        auto body = parse_json_body(r.body);
        if (!body) {
            return body.err();
        }
        auto file_id = string_field(*body, "file_id", true);
        if (!file_id) {
            return file_id.err();
        }
        json attributes = json::object();
        if (auto it = body->find("attributes"); it != body->end() && !it->is_null()) {
            if (auto e = check_attributes(*it)) {
                return *e;
            }
            attributes = *it;
        }
        auto chunking = chunking_of(*body);
        if (!chunking) {
            return chunking.err();
        }
        if (*chunking) {
            auto info = kb_.collection(c.team, store);
            if (!info) {
                return info.err();
            }
            if ((*chunking)->max_tokens != info->chunking.max_tokens ||
                (*chunking)->overlap_tokens != info->chunking.overlap_tokens) {
                return error::invalid("a vector store chunks all its files alike; set chunking_strategy when "
                                      "creating the vector store",
                                      "chunking_strategy", "unsupported_value");
            }
        }
        auto a = kb_.attach(c.caller, store, *file_id, attributes);
        if (!a) {
            return a.err();
        }
        return vector_store_file_json(*a);
    }
    if (seg.size() != 4) {
        return no_route(r);
    }
    const std::string & file_id = seg[3];
    if (r.method == "GET") {
        auto a = kb_.attachment_of(c.team, store, file_id);
        if (!a) {
            return a.err();
        }
        return vector_store_file_json(*a);
    }
    if (r.method == "DELETE") {
        auto gone = kb_.detach(c.team, store, file_id);
        if (!gone) {
            return gone.err();
        }
        return deleted_json(file_id, "vector_store.file.deleted");
    }
    if (r.method != "POST") {
        return wrong_method(r, "GET, POST, DELETE");
    }
    // POST updates the attributes: the file is ingested again with them
    auto body = parse_json_body(r.body);
    if (!body) {
        return body.err();
    }
    auto it = body->find("attributes");
    if (it == body->end()) {
        return error::invalid("'attributes' is required", "attributes", "missing_field");
    }
    if (auto e = check_attributes(*it)) {
        return *e;
    }
    if (auto existing = kb_.attachment_of(c.team, store, file_id); !existing) {
        return existing.err();
    }
    auto a = kb_.attach(c.caller, store, file_id, *it);
    if (!a) {
        return a.err();
    }
    return vector_store_file_json(*a);
}

result<nlohmann::json> knowledge_routes::search(const call & c, const std::string & store) {
    auto body = parse_json_body(c.request.body);
    if (!body) {
        return body.err();
    }
    rag::search_request q;
    q.collections = {store};
    auto it = body->find("query");
    if (it == body->end() || it->is_null()) {
        return error::invalid("'query' is required", "query", "missing_field");
    }
    if (it->is_string()) {
        q.query = it->get<std::string>();
    } else if (it->is_array() && !it->empty() && it->size() <= 16 &&
               std::all_of(it->begin(), it->end(), [](const json & v) { return v.is_string(); })) {
        for (const auto & part : *it) {
            q.query += (q.query.empty() ? "" : " ") + part.get<std::string>();
        }
    } else {
        return wrong_type("query", "a string or an array of up to 16 strings", *it);
    }
    if (q.query.find_first_not_of(" \t\r\n") == std::string::npos) {
        return error::invalid("'query' is empty", "query", "invalid_value");
    }
    if (q.query.size() > 16384) {
        return error::invalid("'query' is longer than 16384 bytes", "query", "invalid_value");
    }
    std::optional<int64_t> max_results;
    if (auto e = read_number<int64_t>(*body, "max_num_results", 1, 50, max_results)) {
        return *e;
    }
    q.top_k = static_cast<size_t>(max_results.value_or(10));
    if (auto f = body->find("filters"); f != body->end() && !f->is_null()) {
        if (!f->is_object()) {
            return wrong_type("filters", "an object", *f);
        }
        q.filters = *f;
    }
    if (auto ro = body->find("ranking_options"); ro != body->end() && !ro->is_null()) {
        if (!ro->is_object()) {
            return wrong_type("ranking_options", "an object", *ro);
        }
        std::optional<double> threshold;
        if (auto e = read_number<double>(*ro, "score_threshold", 0, 1, threshold)) {
            return error::invalid(e->message, "ranking_options.score_threshold", e->code);
        }
        q.score_threshold = threshold.value_or(0);
    }
    auto hits = kb_.search(c.caller, std::move(q));
    if (!hits) {
        return hits.err();
    }
    return search_page_json(it->is_string() ? it->get<std::string>() : dump(*it), *hits);
}

}  // namespace tiergate::api
