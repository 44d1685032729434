#pragma once
// Where the store tests run: a SQLite file of their own, and (when
// TIERGATE_TEST_PG_URL names a server, as scripts/services.sh starts one) a
// PostgreSQL schema of their own, dropped afterwards. The capability matrix:
// every backend-neutral store test runs on each.

#include <string>

namespace tiergate::rag::test_stores {

class store_location {
  public:
    // An empty location() when the backend is not available here.
    explicit store_location(const std::string & backend);
    ~store_location();
    store_location(const store_location &) = delete;
    store_location & operator=(const store_location &) = delete;

    const std::string & location() const { return location_; }
    // Why location() is empty.
    const std::string & skip_reason() const { return skip_; }

  private:
    std::string backend_, location_, schema_, server_, skip_;
};

}  // namespace tiergate::rag::test_stores
