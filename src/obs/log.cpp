#include "obs/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <memory>
#include <mutex>

namespace tiergate::obs {

namespace {

std::mutex logger_mutex;

std::shared_ptr<spdlog::logger> make_logger(const log_options & options) {
    std::shared_ptr<spdlog::logger> made;
    if (options.file.empty()) {
        made = std::make_shared<spdlog::logger>("tiergate", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    } else {
        made = std::make_shared<spdlog::logger>("tiergate",
                                                std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    }
    if (options.format == log_format::json) {
        made->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"msg":"%v"})",
                          spdlog::pattern_time_type::utc);
    } else {
        made->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    }
    return made;
}

}  // namespace

bool setup_logging(const log_options & options) {
    std::lock_guard lock(logger_mutex);
    auto level = spdlog::level::from_str(options.level);
    bool known = true;
    if (level == spdlog::level::off && options.level != "off") {
        level = spdlog::level::info;
        known = false;
    }
    auto made = make_logger(options);
    made->set_level(level);
    made->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(made);
    return known;
}

spdlog::logger & logger() {
    static const bool initialized = [] {
        std::lock_guard lock(logger_mutex);
        auto current = spdlog::default_logger();
        if (!current || current->name() != "tiergate") {
            auto made = make_logger({});
            made->set_level(spdlog::level::info);
            spdlog::set_default_logger(made);
        }
        return true;
    }();
    (void) initialized;
    return *spdlog::default_logger_raw();
}

}  // namespace tiergate::obs
