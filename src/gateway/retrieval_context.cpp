#include "gateway/retrieval_context.h"

namespace tiergate::gateway {

namespace {

std::string context_block(const retrieved_context & context) {
    std::string out =
        "Answer from the passages below when they hold the answer, and cite each passage you use by its number in "
        "brackets, like [1]. If they do not hold the answer, say so.\n";
    for (const auto & p : context.passages) {
        const auto & c = p.source;
        out += "\n[" + std::to_string(c.index) + "]";
        const std::string & label = !c.title.empty() ? c.title : c.filename;
        if (!label.empty()) {
            out += " " + label;
        }
        out += "\n" + p.text + "\n";
    }
    return out;
}

}  // namespace

void add_passages(generation_call & call, const retrieved_context & context) {
    if (context.passages.empty()) {
        return;
    }
    const std::string block = context_block(context);
    if (!call.messages.empty() && (call.messages.front().role == "system" || call.messages.front().role == "developer")) {
        auto & first = call.messages.front();
        first.content += first.content.empty() ? block : "\n\n" + block;
        if (!first.parts.empty()) {
            content_part part;
            part.text = "\n\n" + block;
            first.parts.push_back(std::move(part));
        }
        return;
    }
    chat_message system;
    system.role = "system";
    system.content = block;
    call.messages.insert(call.messages.begin(), std::move(system));
}

std::string retrieved_ids(const retrieved_context & context) {
    std::string out;
    for (const auto & p : context.passages) {
        if (!out.empty()) {
            out += ' ';
        }
        out += p.source.collection + ":" + std::to_string(p.source.chunk_id);
    }
    return out;
}

}  // namespace tiergate::gateway
