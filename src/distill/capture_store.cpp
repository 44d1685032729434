#include "distill/capture_store.h"

#include <nlohmann/json.hpp>

#include "distill/pg_capture_store.h"
#include "distill/sqlite_capture_store.h"
#include "rag/store_location.h"

namespace tiergate::distill {

using json = nlohmann::json;

int64_t capture_store::size_of(const captured_call & call) {
    int64_t n = static_cast<int64_t>(call.answer.size() + call.prompt.size() + 256);
    for (const auto & m : call.messages) {
        n += static_cast<int64_t>(m.content.size() + m.role.size() + m.name.size() + 32);
    }
    return n;
}

result<std::unique_ptr<capture_store>> open_capture_store(const std::string & location) {
    auto where = rag::parse_store_location(location);
    if (!where) {
        return where.err();
    }
    if (where->postgresql) {
        auto s = pg_capture_store::open(where->target);
        if (!s) {
            return s.err();
        }
        return std::unique_ptr<capture_store>(std::move(*s));
    }
    auto s = sqlite_capture_store::open(where->target);
    if (!s) {
        return s.err();
    }
    return std::unique_ptr<capture_store>(std::move(*s));
}

std::string messages_json(const std::vector<chat_message> & messages) {
    json out = json::array();
    for (const auto & m : messages) {
        json j = {{"role", m.role}, {"content", m.content}};
        if (!m.name.empty()) {
            j["name"] = m.name;
        }
        out.push_back(std::move(j));
    }
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<chat_message> messages_from(const std::string & text) {
    std::vector<chat_message> out;
    json doc = json::parse(text, nullptr, false);
    if (!doc.is_array()) {
        return out;
    }
    auto field = [](const json & j, const char * key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    for (const auto & j : doc) {
        if (!j.is_object()) {
            continue;
        }
        chat_message m;
        m.role = field(j, "role");
        m.content = field(j, "content");
        m.name = field(j, "name");
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace tiergate::distill
