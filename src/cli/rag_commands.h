#pragma once
// `tiergate rag ingest|search|check|eval`: the retrieval store from the
// command line, and the retrieval evaluation.
#include <CLI/CLI.hpp>

namespace tiergate::cli {

void register_rag_commands(CLI::App & root);

}  // namespace tiergate::cli
