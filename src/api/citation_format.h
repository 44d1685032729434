#pragma once
// The citations of an answer built with retrieval, as both dialects show
// them: a `tiergate` member of the response (and of the first stream event)
//   "tiergate": {"citations": [{"index": 1, "vector_store_id": "vs_...",
//     "document_id": "...", "file_id": "file-...", "filename": "...",
//     "title": "...", "chunk_id": 7, "start": 0, "end": 812, "score": 0.93}]}
// where `index` is the [n] the model was asked to cite the passage by.

#include <vector>

#include <nlohmann/json.hpp>

#include "core/retrieval.h"

namespace tiergate::api {

// Adds the `tiergate` member to `body` when there are citations.
void add_citations(nlohmann::json & body, const std::vector<citation> * citations);

}  // namespace tiergate::api
