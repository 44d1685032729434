#pragma once
// Chunking by tokens with overlap. The text is cut into pieces at paragraph,
// heading, sentence and (for an over-long sentence) word boundaries; pieces
// are packed into chunks of at most `max_tokens` tokens of the embedding
// model, and each chunk after the first repeats up to `overlap_tokens` tokens
// of whole pieces from the end of the one before.

#include "core/error.h"

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace tiergate::rag {

struct chunk_settings {
    size_t max_tokens = 256;
    size_t overlap_tokens = 32;
};

// Tokens of a piece of text; the embedding model's tokenizer, or an estimate.
using token_counter = std::function<size_t(std::string_view)>;

// About four bytes a token, at least one token for any non-empty text.
size_t estimate_token_count(std::string_view text);

struct chunk_span {
    size_t begin = 0;  // byte offsets into the text
    size_t end = 0;
    size_t tokens = 0;
};

result<chunk_settings> validate_chunk_settings(chunk_settings settings);

// The chunks of a UTF-8 text, in order; none for a text of white space only.
// Offsets never split a UTF-8 sequence.
std::vector<chunk_span> chunk_text(std::string_view text, const chunk_settings & settings,
                                   const token_counter & count = estimate_token_count);

}  // namespace tiergate::rag
