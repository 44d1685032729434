#pragma once
// Logging for the whole project: one spdlog logger named "tiergate".
// Never log prompts, completions, API keys or PII values above debug level.
#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace tiergate::obs {

enum class log_format { text, json };

struct log_options {
    std::string level = "info";  // trace | debug | info | warn | error | off
    log_format format = log_format::text;
    std::string file;            // empty: stderr
};

// Installs the "tiergate" logger as spdlog's default. Safe to call again
// (the last call wins). Returns false (and keeps "info") for an unknown level.
bool setup_logging(const log_options & options);

// The project logger (creates a stderr logger at info level on first use).
spdlog::logger & logger();

}  // namespace tiergate::obs

#define TIERGATE_LOG_DEBUG(...) ::tiergate::obs::logger().debug(__VA_ARGS__)
#define TIERGATE_LOG_INFO(...) ::tiergate::obs::logger().info(__VA_ARGS__)
#define TIERGATE_LOG_WARN(...) ::tiergate::obs::logger().warn(__VA_ARGS__)
#define TIERGATE_LOG_ERROR(...) ::tiergate::obs::logger().error(__VA_ARGS__)
