#pragma once
// The terms FTS5 indexes a text as: its `porter unicode61` tokenizer, taken
// from the connection's FTS5 module, so that what query expansion counts is
// exactly what the index stores.

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

struct sqlite3;

namespace tiergate::rag {

class fts_tokens {
  public:
    // nullptr when the connection has no FTS5 or no porter tokenizer.
    static std::unique_ptr<fts_tokens> open(sqlite3 * db);
    ~fts_tokens();
    fts_tokens(const fts_tokens &) = delete;
    fts_tokens & operator=(const fts_tokens &) = delete;

    // Calls `visit` with each term (stemmed, lower-cased) and the byte range
    // of the text it came from; false when the tokenizer failed.
    bool tokenize(std::string_view text,
                  const std::function<void(std::string_view term, size_t begin, size_t end)> & visit) const;

  private:
    struct impl;
    explicit fts_tokens(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::rag
