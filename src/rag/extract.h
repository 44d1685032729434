#pragma once
// Text extraction for ingestion: plain text, Markdown, HTML (scripts and
// styles dropped), PDF (poppler) and JSON Lines ({"id","title","text",...}).
// Every text is checked to be UTF-8; an error names the file and byte offset.

#include "core/error.h"
#include "rag/document.h"

#include <string>
#include <string_view>
#include <vector>

namespace tiergate::rag {

enum class file_format { text, markdown, html, pdf, jsonl };

// The format a file name implies (.txt .text .md .markdown .html .htm .pdf
// .jsonl .ndjson); an error for anything else.
result<file_format> format_of(std::string_view file_name);

struct extract_limits {
    size_t max_bytes = 64u << 20;       // of the input file
    size_t max_documents = 1'000'000;   // lines of a JSON Lines file
};

// The documents in the bytes of one file. A single-document format's
// document takes the file name (without directories) as its id; `name` is
// also used in messages.
result<std::vector<document>> extract_documents(std::string_view bytes, file_format format, const std::string & name,
                                                const extract_limits & limits = {});

// Helpers the extractors share, exposed for tests.
result<std::string> html_to_text(std::string_view html, const std::string & name);
result<std::string> pdf_to_text(std::string_view pdf, const std::string & name);

}  // namespace tiergate::rag
