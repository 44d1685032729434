#pragma once
// The promotion log on PostgreSQL: one log every gateway of a fleet follows.

#include <string>

#include "distill/promotion_log.h"

namespace tiergate::rag {
class pg_connection;
}

namespace tiergate::distill {

class pg_promotion_log final : public promotion_log {
  public:
    static result<std::unique_ptr<pg_promotion_log>> open(const std::string & url);
    ~pg_promotion_log() override;

    result<promotion> record(promotion p) override;
    result<std::vector<promotion>> since(int64_t after_id) const override;
    result<std::optional<promotion>> latest(const std::string & model) const override;

  private:
    explicit pg_promotion_log(std::unique_ptr<rag::pg_connection> conn);
    std::unique_ptr<rag::pg_connection> conn_;
};

}  // namespace tiergate::distill
