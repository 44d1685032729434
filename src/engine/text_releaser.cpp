#include "engine/text_releaser.h"

#include <algorithm>

#include "core/utf8.h"

namespace tiergate::engine {

text_releaser::text_releaser(std::vector<std::string> stop) : stop_(std::move(stop)) {
    std::erase_if(stop_, [](const std::string & s) { return s.empty(); });
}

std::string text_releaser::push(std::string_view piece) {
    if (stopped_) {
        return {};
    }
    pending_.append(piece);

    // earliest complete stop sequence in pending_
    size_t stop_at = std::string::npos;
    for (const auto & s : stop_) {
        const size_t from = scan_from_ > s.size() ? scan_from_ - s.size() : 0;
        const size_t pos = pending_.find(s, from);
        stop_at = std::min(stop_at, pos);
    }
    if (stop_at != std::string::npos) {
        stopped_ = true;
        std::string out = pending_.substr(0, stop_at);
        released_ += out;
        pending_.clear();
        return out;
    }

    // hold back the longest tail that is a proper prefix of a stop sequence
    size_t hold = 0;
    for (const auto & s : stop_) {
        const size_t max_len = std::min(s.size() - 1, pending_.size());
        for (size_t len = max_len; len > hold; --len) {
            if (std::string_view(pending_).substr(pending_.size() - len) == std::string_view(s).substr(0, len)) {
                hold = len;
                break;
            }
        }
    }
    size_t release = pending_.size() - hold;
    release = complete_utf8_prefix(std::string_view(pending_).substr(0, release));
    std::string out = pending_.substr(0, release);
    pending_.erase(0, release);
    scan_from_ = pending_.size();
    released_ += out;
    return out;
}

std::string text_releaser::finish() {
    if (stopped_) {
        return {};
    }
    std::string out = std::move(pending_);
    pending_.clear();
    released_ += out;
    return out;
}

}  // namespace tiergate::engine
