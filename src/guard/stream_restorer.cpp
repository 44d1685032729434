#include "guard/stream_restorer.h"

#include <nlohmann/json.hpp>

namespace tiergate::guard {

std::string stream_restorer::feed(std::string_view chunk) {
    std::string buffer = std::move(pending_);
    pending_.clear();
    buffer.append(chunk);
    std::string out;
    out.reserve(buffer.size());
    const std::string_view text = buffer;
    size_t i = 0;
    while (i < text.size()) {
        const size_t lt = text.find('<', i);
        if (lt == std::string_view::npos) {
            out.append(text.substr(i));
            return out;
        }
        out.append(text.substr(i, lt - i));
        const size_t gt_limit = names_.longest_placeholder();
        const size_t gt = text.substr(0, lt + gt_limit).find('>', lt + 1);
        if (gt != std::string_view::npos) {
            if (auto value = names_.value_of(text.substr(lt, gt + 1 - lt))) {
                if (inside_json_) {
                    const std::string quoted = nlohmann::json(std::string(*value)).dump(
                        -1, ' ', false, nlohmann::json::error_handler_t::replace);
                    out.append(quoted, 1, quoted.size() - 2);
                } else {
                    out.append(*value);
                }
                i = gt + 1;
                continue;
            }
        }
        // a tail that may still become a placeholder waits for the next chunk
        const std::string_view tail = text.substr(lt);
        if (tail.size() < gt_limit && names_.is_placeholder_prefix(tail)) {
            pending_.assign(tail);
            return out;
        }
        out.push_back('<');
        i = lt + 1;
    }
    return out;
}

std::string stream_restorer::finish() {
    std::string rest = std::move(pending_);
    pending_.clear();
    return rest;
}

}  // namespace tiergate::guard
