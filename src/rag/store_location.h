#pragma once
// Where a store lives (the retrieval stores, the distill store): a
// PostgreSQL URL (postgresql:// or postgres://) or a SQLite path (bare, or
// after sqlite: / sqlite://).

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
        return error::invalid("unsupported store '" + location + "' (a SQLite path or postgresql://...)",
                              "store");
    }
    return store_location{false, path};
}

// How a store is named in logs: a URL may hold a password, so a PostgreSQL
// store is named by its kind only.
inline std::string store_label(const std::string & location) {
    auto where = parse_store_location(location);
    return where && where->postgresql ? std::string("PostgreSQL") : location;
}

}  // namespace tiergate::rag
