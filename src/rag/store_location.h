#pragma once
// Where a retrieval store lives: a PostgreSQL URL (postgresql:// or
// postgres://) or a SQLite path (bare, or after sqlite: / sqlite://).

#include "core/error.h"

#include <string>

namespace tiergate::rag {

struct store_location {
    bool postgresql = false;
    std::string target;  // the URL, or the SQLite path
};

inline result<store_location> parse_store_location(const std::string & location) {
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
        return store_location{true, location};
    }
    std::string path = location;
    if (path.rfind("sqlite://", 0) == 0) {
        path = path.substr(9);
    } else if (path.rfind("sqlite:", 0) == 0) {
        path = path.substr(7);
    }
    if (path.empty() || path.find("://") != std::string::npos) {
        return error::invalid("unsupported retrieval store '" + location + "' (a SQLite path or postgresql://...)",
                              "store");
    }
    return store_location{false, path};
}

}  // namespace tiergate::rag
