#include "distill/chat_example.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace tiergate::distill {

namespace {

using json = nlohmann::json;

error bad(const std::string & where, const std::string & what) {
    return error::invalid(where + ": " + what, where, "invalid_dataset");
}

}  // namespace

result<chat_example> parse_example(std::string_view line, const std::string & where) {
    if (size_t at = find_invalid_utf8(line); at != std::string_view::npos) {
        return bad(where, "not valid UTF-8 at byte " + std::to_string(at));
    }
    json doc = json::parse(line, nullptr, false);
    if (doc.is_discarded()) {
        return bad(where, "not JSON");
    }
    if (!doc.is_object()) {
        return bad(where, "expected an object with \"messages\"");
    }
    auto messages = doc.find("messages");
    if (messages == doc.end() || !messages->is_array()) {
        return bad(where, "expected \"messages\": an array of {role, content}");
    }
    if (messages->size() < 2) {
        return bad(where, "\"messages\" needs a prompt and a final assistant message");
    }
    chat_example out;
    for (size_t i = 0; i < messages->size(); ++i) {
        const auto & m = (*messages)[i];
        const std::string field = "messages[" + std::to_string(i) + "]";
        if (!m.is_object()) {
            return bad(where, field + " is not an object");
        }
        auto role = m.find("role");
        auto content = m.find("content");
        if (role == m.end() || !role->is_string()) {
            return bad(where, field + ".role must be a string");
        }
        if (content == m.end() || !content->is_string()) {
            return bad(where, field + ".content must be a string");
        }
        const auto & r = role->get_ref<const std::string &>();
        if (r != "system" && r != "developer" && r != "user" && r != "assistant") {
            return bad(where, field + ".role '" + r + "' is not system, user or assistant");
        }
        const bool last = i + 1 == messages->size();
        if (last) {
            if (r != "assistant") {
                return bad(where, "the last message must be the assistant's answer");
            }
            out.answer = content->get<std::string>();
            if (out.answer.empty()) {
                return bad(where, "the assistant's answer is empty");
            }
        } else {
            chat_message msg;
            msg.role = r;
            msg.content = content->get<std::string>();
            out.prompt.push_back(std::move(msg));
        }
    }
    return out;
}

result<std::vector<chat_example>> read_examples(const std::filesystem::path & file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return error::invalid("cannot read " + file.string(), file.string(), "invalid_dataset");
    }
    std::vector<chat_example> out;
    std::string line;
    size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        auto example = parse_example(line, file.string() + ":" + std::to_string(number));
        if (!example) {
            return example.err();
        }
        out.push_back(std::move(*example));
    }
    if (out.empty()) {
        return error::invalid(file.string() + ": no examples", file.string(), "empty_dataset");
    }
    return out;
}

std::string example_line(const chat_example & example) {
    json messages = json::array();
    for (const auto & m : example.prompt) {
        messages.push_back({{"role", m.role}, {"content", m.content}});
    }
    messages.push_back({{"role", "assistant"}, {"content", example.answer}});
    return json{{"messages", std::move(messages)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

uint64_t prompt_hash(const std::vector<chat_message> & prompt) {
    // FNV-1a over role, NUL, content, NUL for each message: stable across runs and builds
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        h ^= 0xff;
        h *= 1099511628211ULL;
    };
    for (const auto & m : prompt) {
        mix(m.role);
        mix(m.content);
    }
    return h;
}

}  // namespace tiergate::distill
