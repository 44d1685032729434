#pragma once
// Model entries for remote providers under test: short timeouts, fast backoff.

#include <string>

#include "config/config.h"

namespace tiergate::testing {

inline config::model_config remote_model(const std::string & name, const std::string & endpoint,
                                         config::provider_kind kind = config::provider_kind::openai_compatible,
                                         int max_attempts = 1) {
    config::model_config m;
    m.name = name;
    m.provider = kind;
    m.remote = config::remote_model{endpoint, ""};
    m.timeouts.connect = std::chrono::milliseconds(1000);
    m.timeouts.first_byte = std::chrono::milliseconds(300);
    m.timeouts.idle = std::chrono::milliseconds(300);
    m.timeouts.total = std::chrono::milliseconds(5000);
    m.retries.max_attempts = max_attempts;
    m.retries.base_backoff = std::chrono::milliseconds(10);
    return m;
}

}  // namespace tiergate::testing
