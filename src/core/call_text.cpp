#include "core/call_text.h"

namespace tiergate {

std::string joined_text(const generation_call & call) {
    if (call.kind == request_kind::completion) {
        return call.prompt;
    }
    std::string out;
    for (const auto & m : call.messages) {
        if (!out.empty()) {
            out += '\n';
        }
        out += m.content;
    }
    return out;
}

std::string last_user_text(const generation_call & call) {
    if (call.kind == request_kind::completion) {
        return call.prompt;
    }
    for (auto it = call.messages.rbegin(); it != call.messages.rend(); ++it) {
        if (it->role == "user") {
            return it->content;
        }
    }
    return call.messages.empty() ? std::string() : call.messages.back().content;
}

}  // namespace tiergate
