#pragma once
// The `distill` section of a config, read strictly (errors carry the file,
// line and field):
//   distill:
//     store: tiergate-distill.db   # captures and promotions: a SQLite file (relative to the
//                                  # config) or a postgresql:// URL; default: the ledger's
//                                  # PostgreSQL when the ledger is there, else this file
//     capture:
//       routes: [auto]      # requested model names; empty or absent: any
//       keys: []            # key ids
//       teams: [support]
//       tasks: [triage]     # `metadata.task` or the x-tiergate-task header
//       sample: 0.25        # the share of matching requests kept, 0..1
//       max_mb: 1024        # the store's size cap; new captures are dropped beyond it
//       on_prem: false      # also keep requests the guard keeps on-prem
// Every list that is given must hold the request's value. No `capture`:
// nothing is captured. With a `distill` section the server also serves the
// promotions recorded in the store (`tiergate distill promote`).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"

namespace tiergate::distill {

struct capture_rules {
    std::vector<std::string> routes;
    std::vector<std::string> keys;
    std::vector<std::string> teams;
    std::vector<std::string> tasks;
    double sample = 1.0;
    bool on_prem = false;
};

struct capture_settings {
    std::string store;  // a SQLite path or a postgresql:// URL
    capture_rules rules;
    int64_t max_bytes = int64_t{1} << 30;
    size_t queue_capacity = 4096;
    size_t max_batch = 256;
    int batch_age_ms = 200;
};

struct distill_settings {
    std::string store;                        // a SQLite path (absolute) or a postgresql:// URL
    std::optional<capture_settings> capture;  // absent: nothing is captured
};

// Absent section: nullopt.
std::optional<distill_settings> read_distill_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::distill
