#include "distill/promotion_log.h"

#include "distill/pg_promotion_log.h"
#include "distill/sqlite_promotion_log.h"

namespace tiergate::distill {

result<std::unique_ptr<promotion_log>> open_promotion_log(const std::string & location) {
    if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
        auto l = pg_promotion_log::open(location);
        if (!l) {
            return l.err();
        }
        return std::unique_ptr<promotion_log>(std::move(*l));
    }
    auto l = sqlite_promotion_log::open(location);
    if (!l) {
        return l.err();
    }
    return std::unique_ptr<promotion_log>(std::move(*l));
}

}  // namespace tiergate::distill
