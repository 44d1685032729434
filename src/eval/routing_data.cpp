#include "eval/routing_data.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>

#include "eval/python_literal.h"

namespace tiergate::eval {
namespace fs = std::filesystem;

size_t routing_dataset::model_index(std::string_view name) const {
    for (size_t i = 0; i < models.size(); ++i) {
        if (models[i] == name) {
            return i;
        }
    }
    return std::string_view::npos;
}

namespace {

constexpr std::string_view cost_suffix = "|total_cost";
constexpr std::string_view response_suffix = "|model_response";

std::optional<double> parse_number(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    double value = 0;
    const char * begin = text.data();
    if (*begin == '+') {
        ++begin;
    }
    auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

// An answer cell: RouterBench writes a Python list of strings (one per
// turn), joined here; any other text is the answer as it is.
std::string answer_text(const std::string & cell) {
    if (cell.empty() || cell.front() != '[') {
        return cell;
    }
    auto parts = parse_python_string_list(cell);
    if (!parts) {
        return cell;
    }
    std::string joined;
    for (size_t p = 0; p < parts->size(); ++p) {
        if (p > 0) {
            joined += "\n";
        }
        joined += (*parts)[p];
    }
    return joined;
}

// A quality cell: True/False or a number in [0, 1]; empty = unknown.
enum class cell_kind { empty, quality, other };

cell_kind parse_quality(std::string_view text, float & out) {
    if (text.empty()) {
        out = missing_value;
        return cell_kind::empty;
    }
    if (text == "True" || text == "true" || text == "TRUE") {
        out = 1.0f;
        return cell_kind::quality;
    }
    if (text == "False" || text == "false" || text == "FALSE") {
        out = 0.0f;
        return cell_kind::quality;
    }
    if (auto v = parse_number(text); v && *v >= 0.0 && *v <= 1.0) {
        out = static_cast<float>(*v);
        return cell_kind::quality;
    }
    return cell_kind::other;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

result<std::unordered_set<std::string>> load_contaminated_prompts(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return error::invalid("cannot open prompt list " + path, "data", "file_not_found");
    }
    std::unordered_set<std::string> prompts;
    std::string line;
    size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            continue;
        }
        try {
            const auto row = nlohmann::json::parse(line);
            if (row.contains("eval_prompt")) {
                prompts.insert(row.at("eval_prompt").get<std::string>());
            } else if (row.contains("prompt")) {
                prompts.insert(row.at("prompt").get<std::string>());
            } else {
                return error::invalid(path + " line " + std::to_string(line_number) +
                                          ": no \"eval_prompt\" or \"prompt\" field",
                                      "data");
            }
        } catch (const nlohmann::json::exception & e) {
            return error::invalid(path + " line " + std::to_string(line_number) + ": " + e.what(), "data");
        }
    }
    return prompts;
}

result<data_format> detect_format(const csv_table & table) {
    if (table.column("prompt") == std::string_view::npos) {
        return error::invalid("no 'prompt' column in the header", "data", "unknown_format");
    }
    for (const std::string & name : table.header) {
        if (ends_with(name, cost_suffix) || ends_with(name, response_suffix)) {
            return data_format::routerbench;
        }
    }
    return data_format::routellm;
}

result<size_t> append_table(routing_dataset & dataset, const csv_table & table, const std::string & source,
                            const std::unordered_set<std::string> & contaminated) {
    auto format = detect_format(table);
    if (!format) {
        return error::invalid(source + ": " + format.err().message, "data", "unknown_format");
    }
    const size_t prompt_column = table.column("prompt");

    // Model columns: every cell a quality value or empty, at least one value.
    std::vector<size_t> model_columns;
    for (size_t c = 0; c < table.header.size(); ++c) {
        const std::string & name = table.header[c];
        if (c == prompt_column || name.empty() || name.find('|') != std::string::npos) {
            continue;
        }
        bool any = false;
        bool all = true;
        for (const auto & row : table.rows) {
            float v = 0;
            const cell_kind kind = parse_quality(row[c], v);
            if (kind == cell_kind::other) {
                all = false;
                break;
            }
            any = any || kind == cell_kind::quality;
        }
        if (all && any) {
            model_columns.push_back(c);
        } else if (table.column(name + std::string(cost_suffix)) != std::string_view::npos) {
            return error::invalid(source + ": column '" + name +
                                      "' has a cost column but values that are not True/False or 0..1",
                                  "data", "malformed_data");
        }
    }
    if (model_columns.empty()) {
        return error::invalid(source + ": no model columns (True/False or 0..1 values) beside 'prompt'", "data",
                              "malformed_data");
    }

    // Map the table's models into the dataset's model list.
    std::vector<size_t> target(model_columns.size());
    std::vector<size_t> cost_columns(model_columns.size(), std::string_view::npos);
    std::vector<size_t> answer_columns(model_columns.size(), std::string_view::npos);
    for (size_t j = 0; j < model_columns.size(); ++j) {
        const std::string & name = table.header[model_columns[j]];
        size_t index = dataset.model_index(name);
        if (index == std::string_view::npos) {
            index = dataset.models.size();
            dataset.models.push_back(name);
            for (routing_sample & s : dataset.samples) {
                s.quality.push_back(missing_value);
                s.cost.push_back(missing_value);
                s.answers.emplace_back();
            }
        }
        target[j] = index;
        cost_columns[j] = table.column(name + std::string(cost_suffix));
        answer_columns[j] = table.column(name + std::string(response_suffix));
    }

    size_t added = 0;
    for (size_t r = 0; r < table.rows.size(); ++r) {
        const auto & row = table.rows[r];
        routing_sample sample;
        sample.source = static_cast<uint32_t>(dataset.files);
        if (*format == data_format::routerbench) {
            auto parts = parse_python_string_list(row[prompt_column]);
            if (!parts) {
                return error::invalid(source + " record " + std::to_string(r + 1) + ": " + parts.err().message,
                                      "data", "malformed_data");
            }
            for (size_t p = 0; p < parts->size(); ++p) {
                if (p > 0) {
                    sample.prompt += "\n";
                }
                sample.prompt += (*parts)[p];
            }
        } else {
            sample.prompt = row[prompt_column];
        }
        if (contaminated.count(sample.prompt) > 0) {
            ++dataset.dropped_contaminated;
            continue;
        }
        sample.quality.assign(dataset.models.size(), missing_value);
        sample.cost.assign(dataset.models.size(), missing_value);
        sample.answers.assign(dataset.models.size(), std::string());
        for (size_t j = 0; j < model_columns.size(); ++j) {
            float q = 0;
            parse_quality(row[model_columns[j]], q);
            sample.quality[target[j]] = q;
            if (answer_columns[j] != std::string_view::npos) {
                sample.answers[target[j]] = answer_text(row[answer_columns[j]]);
            }
            if (cost_columns[j] != std::string_view::npos) {
                const std::string & cell = row[cost_columns[j]];
                if (auto v = parse_number(cell); v && *v >= 0) {
                    sample.cost[target[j]] = static_cast<float>(*v);
                } else if (!cell.empty()) {
                    return error::invalid(source + " record " + std::to_string(r + 1) + ": cost '" + cell +
                                              "' of model '" + dataset.models[target[j]] +
                                              "' is not a non-negative number",
                                          "data", "malformed_data");
                }
            }
        }
        dataset.samples.push_back(std::move(sample));
        ++added;
    }
    ++dataset.files;
    return added;
}

result<routing_dataset> load_routing_data(std::span<const std::string> paths) {
    if (paths.empty()) {
        return error::invalid("no data paths given", "data");
    }
    std::vector<std::string> csv_files;
    std::vector<std::string> prompt_lists;
    for (const std::string & path : paths) {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            return error::invalid("data path " + path + " does not exist", "data", "file_not_found");
        }
        if (fs::is_directory(status)) {
            std::vector<std::string> found;
            for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
                 it.increment(ec)) {
                if (it->is_regular_file() && it->path().extension() == ".csv") {
                    found.push_back(it->path().string());
                }
            }
            if (ec) {
                return error::invalid("cannot list data folder " + path, "data", "file_not_found");
            }
            if (found.empty()) {
                return error::invalid("data folder " + path + " has no .csv files", "data", "file_not_found");
            }
            std::sort(found.begin(), found.end());
            csv_files.insert(csv_files.end(), found.begin(), found.end());
        } else if (fs::path(path).extension() == ".jsonl") {
            prompt_lists.push_back(path);
        } else {
            csv_files.push_back(path);
        }
    }
    if (csv_files.empty()) {
        return error::invalid("no .csv data files among the data paths", "data", "file_not_found");
    }
    for (const std::string & file : csv_files) {
        const fs::path dir = fs::path(file).parent_path();
        for (const fs::path & candidate : {dir / contaminated_file_name, dir.parent_path() / contaminated_file_name}) {
            std::error_code ec;
            if (fs::is_regular_file(candidate, ec)) {
                const std::string name = candidate.lexically_normal().string();
                if (std::find(prompt_lists.begin(), prompt_lists.end(), name) == prompt_lists.end()) {
                    prompt_lists.push_back(name);
                }
            }
        }
    }
    std::unordered_set<std::string> contaminated;
    for (const std::string & list : prompt_lists) {
        auto prompts = load_contaminated_prompts(list);
        if (!prompts) {
            return prompts.err();
        }
        contaminated.insert(prompts->begin(), prompts->end());
    }
    routing_dataset dataset;
    for (const std::string & file : csv_files) {
        auto table = read_csv_file(file);
        if (!table) {
            return table.err();
        }
        auto added = append_table(dataset, *table, file, contaminated);
        if (!added) {
            return added.err();
        }
    }
    if (dataset.samples.empty()) {
        return error::invalid("the data files hold no prompts", "data", "empty_data");
    }
    return dataset;
}

}  // namespace tiergate::eval
