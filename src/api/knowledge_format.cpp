#include "api/knowledge_format.h"

namespace tiergate::api {

namespace {

int64_t seconds(int64_t ms) { return ms / 1000; }

}  // namespace

nlohmann::json file_json(const rag::file_info & f) {
    return {{"id", f.id},
            {"object", "file"},
            {"bytes", f.bytes},
            {"created_at", seconds(f.created_ms)},
            {"filename", f.filename},
            {"purpose", f.purpose},
            {"status", "processed"},
            {"expires_at", nullptr},
            {"status_details", nullptr}};
}

nlohmann::json vector_store_json(const rag::collection_info & c, const rag::file_counts & counts) {
    return {{"id", c.id},
            {"object", "vector_store"},
            {"created_at", seconds(c.created_ms)},
            {"name", c.name},
            {"usage_bytes", c.bytes},
            {"file_counts",
             {{"in_progress", 0},
              {"completed", counts.completed},
              {"failed", counts.failed},
              {"cancelled", 0},
              {"total", counts.completed + counts.failed}}},
            {"status", "completed"},
            {"last_active_at", seconds(c.created_ms)},
            {"metadata", c.metadata},
            {"expires_after", nullptr},
            {"expires_at", nullptr},
            {"chunking_strategy",
             {{"type", "static"},
              {"static",
               {{"max_chunk_size_tokens", c.chunking.max_tokens}, {"chunk_overlap_tokens", c.chunking.overlap_tokens}}}}},
            {"on_prem_only", c.on_prem_only},
            {"documents", c.documents},
            {"chunks", c.chunks}};
}

nlohmann::json vector_store_file_json(const rag::attachment & a) {
    nlohmann::json j = {{"id", a.file_id},
                        {"object", "vector_store.file"},
                        {"usage_bytes", a.bytes},
                        {"created_at", seconds(a.created_ms)},
                        {"vector_store_id", a.collection},
                        {"status", a.status},
                        {"last_error", nullptr},
                        {"attributes", a.attributes}};
    if (!a.last_error.empty()) {
        j["last_error"] = {{"code", "invalid_file"}, {"message", a.last_error}};
    }
    return j;
}

nlohmann::json search_page_json(const std::string & query, const std::vector<rag::knowledge_hit> & hits) {
    nlohmann::json data = nlohmann::json::array();
    for (const auto & h : hits) {
        nlohmann::json attributes = h.hit.chunk.metadata.is_object() ? h.hit.chunk.metadata : nlohmann::json::object();
        data.push_back({{"file_id", h.file_id.empty() ? h.hit.chunk.doc_id : h.file_id},
                        {"filename", h.filename.empty() ? h.hit.chunk.title : h.filename},
                        {"score", h.relevance},
                        {"attributes", std::move(attributes)},
                        {"content", nlohmann::json::array({{{"type", "text"}, {"text", h.hit.chunk.text}}})},
                        {"chunk",
                         {{"document_id", h.hit.chunk.doc_id},
                          {"ordinal", h.hit.chunk.ordinal},
                          {"start_byte", h.hit.chunk.begin},
                          {"end_byte", h.hit.chunk.end}}}});
    }
    return {{"object", "vector_store.search_results.page"},
            {"search_query", nlohmann::json::array({query})},
            {"data", std::move(data)},
            {"has_more", false},
            {"next_page", nullptr}};
}

nlohmann::json list_json(nlohmann::json data, bool has_more) {
    nlohmann::json first = nullptr, last = nullptr;
    if (!data.empty()) {
        first = data.front()["id"];
        last = data.back()["id"];
    }
    return {{"object", "list"}, {"data", std::move(data)}, {"first_id", first}, {"last_id", last}, {"has_more", has_more}};
}

nlohmann::json deleted_json(const std::string & id, const char * object) {
    return {{"id", id}, {"object", object}, {"deleted", true}};
}

}  // namespace tiergate::api
