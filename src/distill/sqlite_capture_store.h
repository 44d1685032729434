#pragma once
// The capture store in one SQLite file (WAL, synchronous=NORMAL).

#include <filesystem>

#include "distill/capture_store.h"

namespace tiergate::distill {

class sqlite_capture_store final : public capture_store {
  public:
    static result<std::unique_ptr<sqlite_capture_store>> open(const std::filesystem::path & file);
    ~sqlite_capture_store() override;

    result<bool> append(const std::vector<captured_call> & batch) override;
    result<int64_t> rows() const override;
    result<int64_t> bytes() const override;
    result<bool> each(const capture_filter & filter, const std::function<bool(captured_call &&)> & visit) const override;

  private:
    sqlite_capture_store();
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::distill
