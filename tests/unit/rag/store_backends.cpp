#include "store_backends.h"

#include <pqxx/pqxx>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace tiergate::rag::test_stores {

namespace {

std::string unique_suffix() {
    std::random_device rd;
    return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000000) + "_" +
           std::to_string(rd() % 1000000);
}

}  // namespace

store_location::store_location(const std::string & backend) : backend_(backend) {
    if (backend == "sqlite") {
        location_ = (std::filesystem::temp_directory_path() / ("tiergate-rag-store-" + unique_suffix() + ".db")).string();
        return;
    }
    const char * url = std::getenv("TIERGATE_TEST_PG_URL");
    if (!url || !*url) {
        skip_ = "TIERGATE_TEST_PG_URL is not set (scripts/services.sh starts a PostgreSQL)";
        return;
    }
    server_ = url;
    schema_ = "rag_test_" + unique_suffix();
    pqxx::connection c(server_);
    pqxx::nontransaction tx(c);
    tx.exec0("CREATE SCHEMA " + schema_);
    location_ = server_ + (server_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
}

store_location::~store_location() {
    if (backend_ == "sqlite" && !location_.empty()) {
        std::error_code ec;
        for (const char * suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(location_ + suffix, ec);
        }
        std::filesystem::remove_all(location_ + ".index", ec);
    }
    if (!schema_.empty()) {
        try {
            pqxx::connection c(server_);
            pqxx::nontransaction tx(c);
            tx.exec0("DROP SCHEMA " + schema_ + " CASCADE");
        } catch (const std::exception &) {
            // the server went away: nothing to clean
        }
    }
}

}  // namespace tiergate::rag::test_stores
