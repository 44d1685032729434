#pragma once
// The promotion log in a SQLite file (beside the captures).

#include <filesystem>

#include "distill/promotion_log.h"

namespace tiergate::distill {

class sqlite_promotion_log final : public promotion_log {
  public:
    static result<std::unique_ptr<sqlite_promotion_log>> open(const std::filesystem::path & file);
    ~sqlite_promotion_log() override;

    result<promotion> record(promotion p) override;
    result<std::vector<promotion>> since(int64_t after_id) const override;
    result<std::optional<promotion>> latest(const std::string & model) const override;

  private:
    sqlite_promotion_log();
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace tiergate::distill
