#pragma once
// The record of which weights each local model serves: every promotion and
// rollback, in order, in the distill store (table `promotions`, SQLite or
// PostgreSQL). The CLI
// appends; each running gateway follows it (promotion_watcher.h), and applies
// the latest entry per model when it starts.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace tiergate::distill {

struct promotion {
    int64_t id = 0;
    int64_t at_ms = 0;
    std::string model;     // the configured local model
    std::string path;      // the GGUF it serves from now on
    std::string previous;  // the GGUF it served before
    std::string action;    // promote | rollback
    int version = 0;       // 1 for the first promotion of this model, then 2, ...
    double student_nll = -1.0;  // on the validation set, when measured
    double base_nll = -1.0;
    bool forced = false;
};

class promotion_log {
  public:
    virtual ~promotion_log() = default;

    // Appends; id, at_ms and version are assigned.
    virtual result<promotion> record(promotion p) = 0;
    // Entries after `after_id`, in order.
    virtual result<std::vector<promotion>> since(int64_t after_id) const = 0;
    virtual result<std::optional<promotion>> latest(const std::string & model) const = 0;
};

// A postgresql:// URL (every gateway of a fleet follows one log), or a SQLite file path.
result<std::unique_ptr<promotion_log>> open_promotion_log(const std::string & location);

}  // namespace tiergate::distill
