#pragma once
// The OpenAI shapes of the knowledge layer: file, vector_store,
// vector_store.file, a search results page and a list page.

#include "rag/knowledge_base.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tiergate::api {

nlohmann::json file_json(const rag::file_info & f);
nlohmann::json vector_store_json(const rag::collection_info & c, const rag::file_counts & counts);
nlohmann::json vector_store_file_json(const rag::attachment & a);
nlohmann::json search_page_json(const std::string & query, const std::vector<rag::knowledge_hit> & hits);
// {"object":"list","data":[...],"first_id","last_id","has_more"}; `data` items have an "id".
nlohmann::json list_json(nlohmann::json data, bool has_more);
nlohmann::json deleted_json(const std::string & id, const char * object);

}  // namespace tiergate::api
