#pragma once
// One document as ingestion sees it: plain UTF-8 text with a stable id, an
// optional title and metadata (a JSON object of scalar values).

#include <nlohmann/json.hpp>

#include <string>

namespace tiergate::rag {

struct document {
    std::string id;
    std::string title;
    std::string text;
    nlohmann::json metadata = nlohmann::json::object();
    std::string source;  // the file it came from, for messages
};

}  // namespace tiergate::rag
