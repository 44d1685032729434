#include "agents/plan.h"

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_depth.h"
#include "core/utf8.h"

namespace tiergate::agents {

namespace {

using nlohmann::json;

error bad_plan(const std::string & message) {
    return error::invalid("the plan is not usable: " + message, "plan", "invalid_plan");
}

// The object in a model's answer: the whole text, or its first {...} when the
// model wrapped it in prose or a code fence.
std::string object_text(const std::string & text) {
    const size_t open = text.find('{');
    const size_t close = text.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) {
        return text;
    }
    return text.substr(open, close - open + 1);
}

}  // namespace

std::string plan_schema_json(const std::vector<std::string> & specialists, int max_subtasks) {
    json names = json::array();
    for (const auto & s : specialists) {
        names.push_back(s);
    }
    json subtask = {{"type", "object"},
                    {"properties",
                     {{"id", {{"type", "string"}}},
                      {"specialist", {{"type", "string"}, {"enum", names}}},
                      {"instruction", {{"type", "string"}}},
                      {"after", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
                    {"required", {"id", "specialist", "instruction", "after"}},
                    {"additionalProperties", false}};
    json schema = {{"type", "object"},
                   {"properties",
                    {{"subtasks", {{"type", "array"}, {"items", subtask}, {"minItems", 1}, {"maxItems", max_subtasks}}}}},
                   {"required", {"subtasks"}},
                   {"additionalProperties", false}};
    return schema.dump();
}

result<plan> parse_plan(const std::string & text, const agent_settings & settings, int max_subtasks) {
    if (text.size() > 256 * 1024) {
        return bad_plan("longer than 262144 bytes");
    }
    if (!is_valid_utf8(text)) {
        return bad_plan("not valid UTF-8");
    }
    const std::string body = object_text(text);
    if (first_too_deep(body, 16) != std::string_view::npos) {
        return bad_plan("nested too deeply");
    }
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return bad_plan("not a JSON object");
    }
    auto it = j.find("subtasks");
    if (it == j.end() || !it->is_array()) {
        return bad_plan("'subtasks' must be a list");
    }
    std::vector<plan_step> steps;
    size_t n = 0;
    for (const auto & t : *it) {
        ++n;
        if (!t.is_object()) {
            return bad_plan("subtask " + std::to_string(n) + " is not an object");
        }
        plan_step step;
        auto text_of = [&](const char * key, std::string & into, bool required) -> std::optional<error> {
            auto f = t.find(key);
            if (f == t.end() || f->is_null()) {
                if (required) {
                    return bad_plan("subtask " + std::to_string(n) + " has no '" + key + "'");
                }
                return std::nullopt;
            }
            if (!f->is_string()) {
                return bad_plan("subtask " + std::to_string(n) + ": '" + key + "' must be a string");
            }
            into = f->get<std::string>();
            return std::nullopt;
        };
        if (auto e = text_of("specialist", step.specialist, true)) {
            return *e;
        }
        if (auto e = text_of("instruction", step.instruction, true)) {
            return *e;
        }
        step.id = "s" + std::to_string(n);
        if (auto e = text_of("id", step.id, false)) {
            return *e;
        }
        if (auto a = t.find("after"); a != t.end() && !a->is_null()) {
            if (!a->is_array()) {
                return bad_plan("subtask " + std::to_string(n) + ": 'after' must be a list of ids");
            }
            for (const auto & d : *a) {
                if (!d.is_string()) {
                    return bad_plan("subtask " + std::to_string(n) + ": 'after' must be a list of ids");
                }
                step.after.push_back(d.get<std::string>());
            }
        }
        steps.push_back(std::move(step));
        if (steps.size() > static_cast<size_t>(max_subtasks)) {
            break;
        }
    }
    return check_plan(std::move(steps), settings, max_subtasks);
}

result<plan> check_plan(std::vector<plan_step> steps, const agent_settings & settings, int max_subtasks) {
    if (steps.empty()) {
        return bad_plan("it has no subtasks");
    }
    if (steps.size() > static_cast<size_t>(max_subtasks)) {
        return bad_plan("more than " + std::to_string(max_subtasks) + " subtasks");
    }
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < steps.size(); ++i) {
        const auto & s = steps[i];
        if (s.id.empty() || s.id.size() > 64) {
            return bad_plan("subtask ids must be 1-64 characters");
        }
        if (!index.emplace(s.id, i).second) {
            return bad_plan("the id '" + s.id + "' is used twice");
        }
        if (settings.find(s.specialist) == nullptr) {
            return bad_plan("no specialist '" + s.specialist.substr(0, 64) + "'");
        }
        if (s.instruction.empty() || s.instruction.size() > 8192) {
            return bad_plan("subtask '" + s.id + "' needs an instruction of at most 8192 bytes");
        }
    }
    std::vector<std::vector<size_t>> needs(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
        std::set<size_t> seen;
        for (const auto & a : steps[i].after) {
            auto it = index.find(a);
            if (it == index.end()) {
                return bad_plan("subtask '" + steps[i].id + "' comes after '" + a.substr(0, 64) + "', which is not in the plan");
            }
            if (it->second == i) {
                return bad_plan("subtask '" + steps[i].id + "' depends on itself");
            }
            if (seen.insert(it->second).second) {
                needs[i].push_back(it->second);
            }
        }
    }
    // waves: Kahn's algorithm, a step joining the wave after its last dependency
    plan out;
    std::vector<int> wave_of(steps.size(), -1);
    size_t placed = 0;
    for (int wave = 0; placed < steps.size(); ++wave) {
        std::vector<size_t> now;
        for (size_t i = 0; i < steps.size(); ++i) {
            if (wave_of[i] >= 0) {
                continue;
            }
            bool ready = true;
            for (size_t d : needs[i]) {
                ready = ready && wave_of[d] >= 0 && wave_of[d] < wave;
            }
            if (ready) {
                now.push_back(i);
            }
        }
        if (now.empty()) {
            return bad_plan("its dependencies form a cycle");
        }
        for (size_t i : now) {
            wave_of[i] = wave;
        }
        placed += now.size();
        out.waves.push_back(std::move(now));
    }
    out.steps = std::move(steps);
    return out;
}

}  // namespace tiergate::agents
