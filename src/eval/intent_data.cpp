#include "eval/intent_data.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace tiergate::eval {

const std::vector<labelled_utterance> & intent_dataset::rows(const std::string & split) const {
    static const std::vector<labelled_utterance> empty;
    const auto found = splits.find(split);
    return found == splits.end() ? empty : found->second;
}

std::vector<labelled_utterance> intent_dataset::rows(std::initializer_list<const char *> names) const {
    std::vector<labelled_utterance> out;
    for (const char * name : names) {
        const auto & part = rows(std::string(name));
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

result<std::string> read_text_file(const std::string & path, size_t max_bytes, const std::string & param) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return error::invalid(path + ": not found or not a regular file", param);
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return error::invalid(path + ": cannot read its size", param);
    }
    if (size > max_bytes) {
        return error::invalid(path + ": " + std::to_string(size) + " bytes, the limit is " + std::to_string(max_bytes),
                              param);
    }
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<size_t>(size), '\0');
    if (!in || !in.read(text.data(), static_cast<std::streamsize>(size))) {
        return error::invalid(path + ": cannot be read", param);
    }
    return text;
}

result<intent_dataset> parse_intent_data(std::string_view json_text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception & e) {
        return error::invalid(std::string("intent data is not valid JSON (or not UTF-8): ") + e.what(), "data");
    }
    if (!doc.is_object()) {
        return error::invalid("intent data must be a JSON object of splits, each a list of [text, intent]", "data");
    }
    intent_dataset data;
    for (const auto & [split, rows] : doc.items()) {
        if (!rows.is_array()) {
            return error::invalid("intent data split '" + split + "' is not a list of [text, intent]", "data");
        }
        auto & out = data.splits[split];
        out.reserve(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            const auto & row = rows[i];
            const std::string where = "intent data split '" + split + "' row " + std::to_string(i);
            if (!row.is_array() || row.size() != 2) {
                return error::invalid(where + " is not a [text, intent] pair", "data");
            }
            if (!row[0].is_string()) {
                return error::invalid(where + ": the text is not a string", "data");
            }
            if (!row[1].is_string()) {
                return error::invalid(where + ": the intent is not a string", "data");
            }
            std::string intent = row[1].get<std::string>();
            if (intent.empty() || intent.size() > max_intent_label_bytes) {
                return error::invalid(where + ": the intent is empty or longer than " +
                                          std::to_string(max_intent_label_bytes) + " bytes",
                                      "data");
            }
            out.push_back({row[0].get<std::string>(), std::move(intent)});
        }
    }
    return data;
}

result<intent_dataset> load_intent_data(const std::string & path) {
    auto text = read_text_file(path, max_intent_data_bytes, "data");
    if (!text) {
        return text.err();
    }
    auto data = parse_intent_data(*text);
    if (!data) {
        error e = data.err();
        e.message = path + ": " + e.message;
        return e;
    }
    return data;
}

}  // namespace tiergate::eval
