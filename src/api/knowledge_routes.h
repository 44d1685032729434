#pragma once
// OpenAI's Files and Vector Stores APIs over the knowledge layer:
//   POST/GET /v1/files, GET/DELETE /v1/files/{id}, GET /v1/files/{id}/content
//   POST/GET /v1/vector_stores, GET/POST/DELETE /v1/vector_stores/{id}
//   POST/GET /v1/vector_stores/{id}/files, GET/POST/DELETE .../files/{file_id}
//   POST /v1/vector_stores/{id}/search
// The work (extraction, embedding, store queries) runs on the routes' own
// threads, never on an HTTP I/O thread; a full queue answers 503. Every
// call sees only the caller's team's files and vector stores.

#include "api/http_server.h"
#include "core/work_queue.h"
#include "rag/knowledge_base.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tiergate::api {

class knowledge_routes {
  public:
    explicit knowledge_routes(rag::knowledge_base & kb, size_t threads = 1, size_t queue = 64);

    static bool owns(const std::string & path);
    // `caller.request_id` is made here when empty.
    void handle(http_request && request, std::shared_ptr<responder> respond, knowledge_caller caller);

  private:
    struct call {
        const http_request & request;
        const std::vector<std::string> & segments;  // of the path after /v1/
        const std::string & team;
        const knowledge_caller & caller;
    };
    struct reply {
        std::string body;
        std::string content_type = "application/json";
    };
    result<reply> run(const call & c);
    result<nlohmann::json> files(const call & c);
    result<nlohmann::json> vector_stores(const call & c);
    result<nlohmann::json> vector_store_files(const call & c, const std::string & store);
    result<nlohmann::json> search(const call & c, const std::string & store);
    result<nlohmann::json> store_json(const rag::collection_info & info);

    rag::knowledge_base & kb_;
    work_queue work_;
};

}  // namespace tiergate::api
