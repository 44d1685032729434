#include "rag/extract.h"

#include "core/utf8.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

namespace tiergate::rag {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

error bad_file(const std::string & name, const std::string & what) {
    return error::invalid(name + ": " + what, "file", "invalid_file");
}

std::optional<error> check_utf8(std::string_view text, const std::string & name, size_t base = 0) {
    const size_t at = find_invalid_utf8(text);
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    return bad_file(name, "invalid UTF-8 at byte offset " + std::to_string(base + at));
}

std::string scalar_text(const nlohmann::json & v) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    return v.dump();
}

result<std::vector<document>> read_jsonl(std::string_view bytes, const std::string & name, const extract_limits & limits) {
    std::vector<document> docs;
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < bytes.size()) {
        size_t end = bytes.find('\n', pos);
        if (end == std::string_view::npos) {
            end = bytes.size();
        }
        const std::string_view line = bytes.substr(pos, end - pos);
        const size_t line_start = pos;
        pos = end + 1;
        ++line_no;
        if (std::all_of(line.begin(), line.end(), [](unsigned char c) { return std::isspace(c); })) {
            continue;
        }
        if (auto bad = check_utf8(line, name, line_start)) {
            return *bad;
        }
        if (docs.size() >= limits.max_documents) {
            return bad_file(name, "more than " + std::to_string(limits.max_documents) + " documents");
        }
        nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        const std::string where = "line " + std::to_string(line_no);
        if (row.is_discarded() || !row.is_object()) {
            return bad_file(name, where + " is not a JSON object");
        }
        auto text = row.find("text");
        if (text == row.end() || !text->is_string()) {
            return bad_file(name, where + ": \"text\" must be a string");
        }
        document d;
        d.source = name;
        d.text = text->get<std::string>();
        if (auto id = row.find("id"); id != row.end()) {
            if (!id->is_string() && !id->is_number_integer()) {
                return bad_file(name, where + ": \"id\" must be a string or an integer");
            }
            d.id = scalar_text(*id);
        } else {
            d.id = std::filesystem::path(name).stem().string() + ":" + std::to_string(line_no);
        }
        if (d.id.empty()) {
            return bad_file(name, where + ": \"id\" is empty");
        }
        if (auto title = row.find("title"); title != row.end()) {
            if (!title->is_string()) {
                return bad_file(name, where + ": \"title\" must be a string");
            }
            d.title = title->get<std::string>();
        }
        for (auto & [key, value] : row.items()) {
            if (key == "id" || key == "title" || key == "text") {
                continue;
            }
            if (!value.is_primitive() || value.is_null()) {
                return bad_file(name, where + ": metadata \"" + key + "\" must be a string, number or boolean");
            }
            d.metadata[key] = value;
        }
        docs.push_back(std::move(d));
    }
    return docs;
}

}  // namespace

result<file_format> format_of(std::string_view file_name) {
    const std::string ext = lower(std::filesystem::path(std::string(file_name)).extension().string());
    if (ext == ".txt" || ext == ".text") {
        return file_format::text;
    }
    if (ext == ".md" || ext == ".markdown") {
        return file_format::markdown;
    }
    if (ext == ".html" || ext == ".htm") {
        return file_format::html;
    }
    if (ext == ".pdf") {
        return file_format::pdf;
    }
    if (ext == ".jsonl" || ext == ".ndjson") {
        return file_format::jsonl;
    }
    return error::invalid(std::string(file_name) +
                              ": unsupported file type (supported: .txt .md .html .htm .pdf .jsonl)",
                          "file", "unsupported_file");
}

result<std::vector<document>> extract_documents(std::string_view bytes, file_format format, const std::string & name,
                                                const extract_limits & limits) {
    if (bytes.size() > limits.max_bytes) {
        return error{error_kind::payload_too_large,
                     name + ": " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                         std::to_string(limits.max_bytes),
                     "file", "file_too_large", {}};
    }
    if (format == file_format::jsonl) {
        return read_jsonl(bytes, name, limits);
    }
    document d;
    d.source = name;
    d.id = std::filesystem::path(name).filename().string();
    switch (format) {
    case file_format::text:
    case file_format::markdown:
        if (auto bad = check_utf8(bytes, name)) {
            return *bad;
        }
        d.text = std::string(bytes);
        break;
    case file_format::html: {
        if (auto bad = check_utf8(bytes, name)) {
            return *bad;
        }
        auto text = html_to_text(bytes, name);
        if (!text) {
            return text.err();
        }
        d.text = std::move(*text);
        break;
    }
    case file_format::pdf: {
        auto text = pdf_to_text(bytes, name);
        if (!text) {
            return text.err();
        }
        if (auto bad = check_utf8(*text, name)) {
            return *bad;
        }
        d.text = std::move(*text);
        break;
    }
    case file_format::jsonl:
        break;
    }
    std::vector<document> docs;
    docs.push_back(std::move(d));
    return docs;
}

}  // namespace tiergate::rag
