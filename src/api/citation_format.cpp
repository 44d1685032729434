#include "api/citation_format.h"

namespace tiergate::api {

void add_citations(nlohmann::json & body, const std::vector<citation> * citations) {
    if (citations == nullptr || citations->empty()) {
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto & c : *citations) {
        list.push_back({{"index", c.index},
                        {"vector_store_id", c.collection},
                        {"document_id", c.document_id},
                        {"file_id", c.file_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.file_id)},
                        {"filename", c.filename},
                        {"title", c.title},
                        {"chunk_id", c.chunk_id},
                        {"start", c.start},
                        {"end", c.end},
                        {"score", c.score}});
    }
    body["tiergate"] = {{"citations", std::move(list)}};
}

}  // namespace tiergate::api
