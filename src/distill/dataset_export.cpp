#include "distill/dataset_export.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "distill/chat_example.h"

namespace tiergate::distill {

namespace {

namespace fs = std::filesystem;

error write_error(const fs::path & p) {
    return error::invalid("cannot write " + p.string() + " (is the disk full?)", p.string(), "export_failed");
}

struct kept_example {
    chat_example example;
    int64_t prompt_tokens = 0;
    int64_t answer_tokens = 0;
    uint64_t order = 0;
};

}  // namespace

result<export_report> export_dataset(const capture_store & store, const export_options & o) {
    if (o.validation_share < 0.0 || o.validation_share >= 1.0) {
        return error::invalid("the validation share must be in [0, 1)", "validation_share", "invalid_value");
    }
    export_report report;
    report.validation_out = o.validation_out;
    if (report.validation_out.empty()) {
        report.validation_out = o.out.parent_path() / (o.out.stem().string() + ".validation.jsonl");
    }
    std::unordered_map<uint64_t, kept_example> by_prompt;
    std::unordered_map<std::string, std::string> teacher_by_request;  // for contrast pairs
    uint64_t order = 0;
    capture_filter filter;
    filter.task = o.task;
    filter.role = "teacher";
    filter.model = o.teacher;
    auto read = store.each(filter, [&](captured_call && c) {
        if (o.teacher.empty() && c.tier == "slm") {
            return true;
        }
        ++report.captured;
        const bool chat_roles = std::all_of(c.messages.begin(), c.messages.end(), [](const chat_message & m) {
            return m.role == "system" || m.role == "developer" || m.role == "user" || m.role == "assistant";
        });
        if (c.messages.empty() || c.answer.empty() || !chat_roles) {
            ++report.unusable;  // a text completion, or a conversation with tool results
            return true;
        }
        kept_example k;
        k.example.prompt = std::move(c.messages);
        k.example.answer = std::move(c.answer);
        k.prompt_tokens = c.prompt_tokens;
        k.answer_tokens = c.completion_tokens;
        k.order = order++;
        if (!o.contrast_out.empty()) {
            teacher_by_request[c.request_id] = k.example.answer;
        }
        const uint64_t h = prompt_hash(k.example.prompt);
        auto [it, fresh] = by_prompt.try_emplace(h);
        if (!fresh) {
            ++report.duplicates;
            k.order = it->second.order;  // keeps its place; the latest answer wins
        }
        it->second = std::move(k);
        return true;
    });
    if (!read) {
        return read.err();
    }
    // in capture order, so that an export is stable
    std::map<uint64_t, std::pair<uint64_t, const kept_example *>> ordered;
    for (const auto & [h, k] : by_prompt) {
        ordered.emplace(k.order, std::make_pair(h, &k));
    }
    std::ofstream train(o.out, std::ios::binary | std::ios::trunc);
    std::ofstream validation(report.validation_out, std::ios::binary | std::ios::trunc);
    if (!train) {
        return write_error(o.out);
    }
    if (!validation) {
        return write_error(report.validation_out);
    }
    const auto cut = static_cast<uint64_t>(o.validation_share * 1000.0);
    for (const auto & [ord, entry] : ordered) {
        const auto & [h, k] = entry;
        const bool held_out = h % 1000 < cut;
        (held_out ? validation : train) << example_line(k->example) << "\n";
        if (held_out) {
            ++report.validation;
            report.validation_prompt_tokens += k->prompt_tokens;
            report.validation_answer_tokens += k->answer_tokens;
        } else {
            ++report.train;
            report.train_prompt_tokens += k->prompt_tokens;
            report.train_answer_tokens += k->answer_tokens;
        }
    }
    if (!train.flush()) {
        return write_error(o.out);
    }
    if (!validation.flush()) {
        return write_error(report.validation_out);
    }
    if (!o.contrast_out.empty()) {
        std::ofstream pairs(o.contrast_out, std::ios::binary | std::ios::trunc);
        if (!pairs) {
            return write_error(o.contrast_out);
        }
        capture_filter students;
        students.task = o.task;
        students.role = "student";
        auto read_students = store.each(students, [&](captured_call && c) {
            auto it = teacher_by_request.find(c.request_id);
            if (it == teacher_by_request.end() || c.messages.empty()) {
                return true;
            }
            nlohmann::json messages = nlohmann::json::array();
            for (const auto & m : c.messages) {
                messages.push_back({{"role", m.role}, {"content", m.content}});
            }
            pairs << nlohmann::json{{"messages", std::move(messages)},
                                    {"chosen", it->second},
                                    {"rejected", c.answer},
                                    {"student_model", c.model}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
            ++report.contrast;
            return true;
        });
        if (!read_students) {
            return read_students.err();
        }
        if (!pairs.flush()) {
            return write_error(o.contrast_out);
        }
    }
    return report;
}

}  // namespace tiergate::distill
