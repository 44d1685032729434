#pragma once
// Where captured calls live: a SQLite file (WAL) by default, or PostgreSQL
// (the ledger's server) for a fleet; table `captures` in both. Rows are
// appended in batches by the capture recorder and read back in order by the
// dataset export. The messages are kept as JSON; `bytes` is what a row
// counts against the store's size cap.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/answer_capture.h"
#include "core/error.h"

namespace tiergate::distill {

struct capture_filter {
    std::string task;   // empty: every task
    std::string role;   // teacher | student; empty: both
    std::string model;  // the model that answered; empty: any
    int64_t since_ms = 0;
};

class capture_store {
  public:
    virtual ~capture_store() = default;

    // All rows in one transaction.
    virtual result<bool> append(const std::vector<captured_call> & batch) = 0;
    // Rows and their bytes, as stored.
    virtual result<int64_t> rows() const = 0;
    virtual result<int64_t> bytes() const = 0;
    // Matching rows in the order they were stored; `visit` returns false to stop.
    virtual result<bool> each(const capture_filter & filter, const std::function<bool(captured_call &&)> & visit) const = 0;

    // The size one call counts for.
    static int64_t size_of(const captured_call & call);
};

// A postgresql:// URL, or a SQLite file path.
result<std::unique_ptr<capture_store>> open_capture_store(const std::string & location);

// The messages of a call as stored (JSON), and back; rows that are not such
// JSON read as no messages.
std::string messages_json(const std::vector<chat_message> & messages);
std::vector<chat_message> messages_from(const std::string & text);

}  // namespace tiergate::distill
