#include "config/config_error.h"

namespace tiergate::config {

namespace {

std::string join_lines(const std::vector<config_error> & errors) {
    std::string out;
    for (const auto & err : errors) {
        out += err.to_string();
        out += '\n';
    }
    return out;
}

}  // namespace

std::string config_error::to_string() const {
    std::string out = file.empty() ? std::string("<config>") : file;
    if (pos.line > 0) {
        out += ':' + std::to_string(pos.line);
    }
    out += ": ";
    if (!path.empty()) {
        out += path + ": ";
    }
    out += message;
    return out;
}

void config_errors::add(source_pos pos, std::string path, std::string message) {
    list_.push_back({file_, pos, std::move(path), std::move(message)});
}

std::string config_errors::to_string() const { return join_lines(list_); }

config_load_error::config_load_error(std::vector<config_error> errors)
    : std::runtime_error(join_lines(errors)), errors_(std::move(errors)) {}

}  // namespace tiergate::config
