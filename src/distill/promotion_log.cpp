#include "distill/promotion_log.h"

#include "distill/pg_promotion_log.h"
#include "distill/sqlite_promotion_log.h"
#include "rag/store_location.h"

namespace tiergate::distill {

result<std::unique_ptr<promotion_log>> open_promotion_log(const std::string & location) {
    auto where = rag::parse_store_location(location);
    if (!where) {
        return where.err();
    }
    if (where->postgresql) {
        auto l = pg_promotion_log::open(where->target);
        if (!l) {
            return l.err();
        }
        return std::unique_ptr<promotion_log>(std::move(*l));
    }
    auto l = sqlite_promotion_log::open(where->target);
    if (!l) {
        return l.err();
    }
    return std::unique_ptr<promotion_log>(std::move(*l));
}

}  // namespace tiergate::distill
