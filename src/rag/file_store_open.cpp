#include "rag/file_store.h"
#include "rag/pg_file_store.h"
#include "rag/sqlite_file_store.h"
#include "rag/store_location.h"

namespace tiergate::rag {

result<std::unique_ptr<file_store>> file_store::open(const std::string & location) {
    auto where = parse_store_location(location);
    if (!where) {
        return where.err();
    }
    if (where->postgresql) {
        auto s = pg_file_store::open(where->target);
        if (!s) {
            return s.err();
        }
        return std::unique_ptr<file_store>(std::move(*s));
    }
    auto s = sqlite_file_store::open(where->target);
    if (!s) {
        return s.err();
    }
    return std::unique_ptr<file_store>(std::move(*s));
}

}  // namespace tiergate::rag
