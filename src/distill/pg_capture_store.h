#pragma once
// The capture store on PostgreSQL (the ledger's server, for a fleet: every
// replica appends to one table). Text PostgreSQL cannot hold (a NUL
// character) is dropped from a call before it is stored.

#include <string>

#include "distill/capture_store.h"

namespace tiergate::rag {
class pg_connection;
}

namespace tiergate::distill {

class pg_capture_store final : public capture_store {
  public:
    static result<std::unique_ptr<pg_capture_store>> open(const std::string & url);
    ~pg_capture_store() override;

    result<bool> append(const std::vector<captured_call> & batch) override;
    result<int64_t> rows() const override;
    result<int64_t> bytes() const override;
    result<bool> each(const capture_filter & filter, const std::function<bool(captured_call &&)> & visit) const override;

  private:
    explicit pg_capture_store(std::unique_ptr<rag::pg_connection> conn);
    std::unique_ptr<rag::pg_connection> conn_;
};

}  // namespace tiergate::distill
