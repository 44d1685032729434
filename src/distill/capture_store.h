#pragma once
// Where captured calls live: one SQLite file (WAL), table `captures`. Rows
// are appended in batches by the capture recorder and read back in order by
// the dataset export. The messages are kept as JSON; `bytes` is what a row
// counts against the store's size cap.

#include <cstdint>
#include <filesystem>
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
    static result<std::unique_ptr<capture_store>> open(const std::filesystem::path & file);
    ~capture_store();
    capture_store(const capture_store &) = delete;
    capture_store & operator=(const capture_store &) = delete;

    // All rows in one transaction.
    result<bool> append(const std::vector<captured_call> & batch);
    // Rows and their bytes, as stored.
    result<int64_t> rows() const;
    result<int64_t> bytes() const;
    // Matching rows in the order they were stored; `visit` returns false to stop.
    result<bool> each(const capture_filter & filter, const std::function<bool(captured_call &&)> & visit) const;

    // The size one call counts for.
    static int64_t size_of(const captured_call & call);

  private:
    capture_store();
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::distill
