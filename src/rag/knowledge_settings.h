#pragma once
// The `retrieval` section of a config, read strictly (errors carry the file,
// line and field):
//   retrieval:
//     store: knowledge.db     # SQLite file, relative to the config file, or postgresql://...
//     index_dir: indexes      # this gateway's HNSW indexes (default <store>.index; required with PostgreSQL)
//     embedding_model: NAME   # a configured model that makes embeddings; default the built-in one
//     dims: 384               # of the built-in embedder
//     dense_weight: 0.1       # the dense list's weight in hybrid search (default 0.1, 1 with embedding_model)
//     max_file_mb: 32         # largest file accepted
//     max_file_documents: 100000  # most lines of an uploaded JSON Lines file
//     chunk_tokens: 256       # a new collection's chunking
//     overlap_tokens: 32
//     on_prem_only: false     # a new vector store's default: its text reaches on-prem models only
//     context_tokens: 1024    # the most retrieved text added to one chat request

#include "config/config.h"
#include "config/config_error.h"
#include "rag/knowledge_base.h"

#include <optional>

namespace tiergate::rag {

// nullopt when the section is absent (no knowledge layer) or has errors.
std::optional<knowledge_settings> read_knowledge_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::rag
