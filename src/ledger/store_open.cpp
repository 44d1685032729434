#include "ledger/pg_store.h"
#include "ledger/sqlite_store.h"
#include "ledger/store.h"

namespace tiergate::ledger {

result<std::unique_ptr<store>> open_store(const std::string & url) {
    if (url.empty()) {
        return error::invalid("the ledger database URL is empty", "db");
    }
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
        auto s = pg_store::open(url);
        if (!s) {
            return s.err();
        }
        return std::unique_ptr<store>(std::move(*s));
    }
    std::string path = url;
    if (path.rfind("sqlite://", 0) == 0) {
        path = path.substr(9);
    } else if (path.rfind("sqlite:", 0) == 0) {
        path = path.substr(7);
    }
    if (path.find("://") != std::string::npos) {
        return error::invalid("unsupported ledger database URL scheme in '" + url +
                                  "' (use postgresql://... or a SQLite path)",
                              "db");
    }
    if (path.empty()) {
        return error::invalid("the SQLite ledger path is empty", "db");
    }
    auto s = sqlite_store::open(path);
    if (!s) {
        return s.err();
    }
    return std::unique_ptr<store>(std::move(*s));
}

}  // namespace tiergate::ledger
