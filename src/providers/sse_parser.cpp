#include "providers/sse_parser.h"

namespace tiergate::providers {

void sse_parser::feed(std::string_view bytes) {
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    size_t i = 0;
    // a UTF-8 BOM may start the stream, itself split across feeds
    while (!bom_checked_ && i < bytes.size()) {
        if (bytes[i] == bom[bom_matched_]) {
            ++i;
            if (++bom_matched_ == bom.size()) {
                bom_checked_ = true;
            }
            continue;
        }
        bom_checked_ = true;
        line_.append(bom.substr(0, bom_matched_));  // not a BOM after all: ordinary text
    }
    while (i < bytes.size()) {
        const char c = bytes[i];
        if (skip_lf_) {
            skip_lf_ = false;
            if (c == '\n') {
                ++i;
                continue;
            }
        }
        if (c == '\r' || c == '\n') {
            if (!overflow_) {
                on_line(line_);
            }
            line_.clear();
            overflow_ = false;
            skip_lf_ = c == '\r';
            ++i;
            continue;
        }
        size_t end = bytes.find_first_of("\r\n", i);
        if (end == std::string_view::npos) {
            end = bytes.size();
        }
        if (!overflow_) {
            line_.append(bytes.substr(i, end - i));
            if (line_.size() > max_line_bytes) {
                overflow_ = true;
                line_.clear();
            }
        }
        i = end;
    }
}

void sse_parser::on_line(std::string_view line) {
    if (line.empty()) {
        if (has_data_) {
            sse_event ev = std::move(current_);
            current_ = {};
            has_data_ = false;
            has_fields_ = false;
            on_event_(std::move(ev));
        } else {
            current_.event.clear();
            has_fields_ = false;
        }
        return;
    }
    if (line.front() == ':') {
        return;  // a comment (keep-alive)
    }
    std::string_view field = line;
    std::string_view value;
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
    }
    if (field == "data") {
        if (has_data_) {
            current_.data += '\n';
        }
        current_.data.append(value);
        has_data_ = true;
        has_fields_ = true;
    } else if (field == "event") {
        current_.event = std::string(value);
        has_fields_ = true;
    } else if (field == "id") {
        current_.id = std::string(value);
        has_fields_ = true;
    }
    // retry and unknown fields are ignored
}

}  // namespace tiergate::providers
