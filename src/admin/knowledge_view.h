#pragma once
// GET /admin/v1/collections: every retrieval collection of every team
// (documents, chunks, bytes, embedding) and how the period's requests used
// it, from the ledger's record of the chunks retrieval added to prompts
// (ids only, never their text).

#include <vector>

#include <nlohmann/json.hpp>

#include "admin/period.h"
#include "ledger/usage_record.h"
#include "rag/store.h"

namespace tiergate::admin {

nlohmann::json knowledge_view(const std::vector<rag::collection_info> & collections,
                              const std::vector<ledger::usage_record> & records, const period & p);

}  // namespace tiergate::admin
