#pragma once
// Tokenizes a prompt for a context of at most `max_tokens` tokens in work linear in the
// text's length. llama.cpp's tokenizers are exact but not linear on every input: runs of
// characters outside an SPM vocabulary fall back to byte tokens with one reallocation of
// the whole output per character, so a megabyte of emoji takes minutes. Text that cannot
// fit is recognised before it is tokenized as a whole:
//
//   1. a lower bound from the byte count: no token covers more than `max_token_bytes`
//      bytes of input (when the vocabulary allows the bound, see model_host);
//   2. for text longer than `max_tokens` bytes, a count over small pieces cut at
//      whitespace (or at a character boundary), stopped as soon as the count is clearly
//      over the limit; cutting changes a count by a token or two per cut, so the verdict
//      "over" keeps a wide margin and a prompt that fits is never refused by it;
//   3. the exact tokenization of the whole text, which now has a bounded output.
//
// Pure: the tokenizer is passed in, so the policy is tested without a model.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace tiergate::engine {

struct bounded_tokens {
    std::vector<int32_t> tokens;  // the exact tokens, when they fit
    bool over_limit = false;
    size_t at_least = 0;          // when over_limit: the tokens counted (a lower bound or exact)
    bool exact_count = false;     // at_least is the exact count
};

// tokenize(text, first): tokens of `text`; `first` is true for the piece that starts the
// prompt (where the caller adds BOS and the tokenizer its leading space).
using tokenize_fn = std::function<std::vector<int32_t>(std::string_view text, bool first)>;

struct bounded_tokenize_options {
    size_t max_tokens = 0;       // the largest token count accepted
    size_t max_token_bytes = 0;  // 0: no byte bound for this vocabulary
    size_t piece_bytes = 512;    // piece size of the counting pass
};

bounded_tokens tokenize_bounded(std::string_view text, const bounded_tokenize_options & options,
                                const tokenize_fn & tokenize);

// Where the counting pass cuts the text after `from` (exclusive end of the piece): at most
// `piece_bytes` on, before a space or newline when one is near, never inside a UTF-8 sequence.
size_t next_cut(std::string_view text, size_t from, size_t piece_bytes);

}  // namespace tiergate::engine
