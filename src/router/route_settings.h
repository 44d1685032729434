#pragma once
// The `router` section of the config, read strictly (unknown fields, wrong
// types and unknown model names are errors with file, line and field):
//
//   router:
//     default_model: stories260K      # when no stage decides (read by the config module)
//     model_name: auto                # the model name that asks tiergate to route
//     stages: [constraints, rules, learned, cascade]
//     rules: [{name, when: {...}, to: {tier | model}}]
//     learned: {file, models: {router model: configured model}, threshold}
//     cascade: {from, partner, through, to, min_mean_logprob, min_token_logprob,
//               min_mean_margin, decide_after_tokens, max_tokens,
//               scorer: {file, names: {configured model: scorer name}, threshold | thresholds}}
//
// Model names may be names or aliases; they are stored canonical.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/config_error.h"

namespace tiergate::router {

enum class stage_kind { constraints, rules, learned, cascade };
const char * to_string(stage_kind stage);

// Where a rule sends a request: a tier (its first allowed model) or a model.
struct rule_target {
    std::optional<config::model_tier> tier;
    std::string model;  // canonical name once validated
    std::string describe() const;  // "tier frontier" | "model mid"
};

// Every condition present must hold; an absent condition holds.
struct rule_condition {
    // header name (lower case) -> accepted values (exact, case-sensitive); any value matches when empty
    std::map<std::string, std::vector<std::string>> headers;
    std::vector<std::string> users;      // the request's `user` field is one of these
    std::vector<std::string> keywords;   // any of these words appears (case-insensitive, whole words)
    std::string regex;                   // RE2 syntax, searched in the prompt text
    std::optional<int64_t> min_prompt_tokens;
    std::optional<int64_t> max_prompt_tokens;
    std::optional<bool> json_schema;     // the request asks for a JSON schema (or json_object)
    std::optional<bool> tools;           // the request carries tools
    std::vector<std::string> tool_names; // the request offers a tool of one of these names
};

struct route_rule {
    std::string name;
    rule_condition when;
    rule_target to;
    config::source_pos pos;
};

struct learned_settings {
    std::string file;  // absolute path of the router file
    // The router file's model names -> configured model names. Models of the
    // file without a mapping are never picked.
    std::map<std::string, std::string> models;
    std::optional<double> threshold;  // overrides the file's pick parameter
    config::source_pos pos;
};

// The answer scorer of a cascade: each held stage's best scored answer is
// released when its score reaches the stage's threshold.
struct cascade_scorer_settings {
    std::string file;  // absolute path of the scorer file
    // configured model -> the name the scorer file knows it by (default: its own name)
    std::map<std::string, std::string> names;
    // One per held stage, or one for all; empty: the file's thresholds when
    // the file's chain has as many held stages, else 0.5.
    std::vector<double> thresholds;
    config::source_pos pos;
};

// The cascade: when the router picks one of `from`, that model answers
// first (beside `partner`, when set, for the agreement signal), then each
// `through` model in turn; each of these held answers is released when the
// configured criteria hold (token confidence for the first model, the
// scorer's threshold), otherwise the next stage runs; `to` answers last and
// streams through.
struct cascade_settings {
    std::vector<std::string> from;     // canonical; the cascade runs when the pick is one of them
    std::string partner;               // canonical; empty: none
    std::vector<std::string> through;  // canonical, cheapest first
    std::string to;                    // the model it escalates to last (canonical)
    std::optional<double> min_mean_logprob;   // mean token log-probability of the answer
    std::optional<double> min_token_logprob;  // the least probable token of the answer
    std::optional<double> min_mean_margin;    // mean of (top-1 - top-2) log-probability
    // 0: decide when the answer is complete. N: decide after N tokens; an answer
    // accepted then is streamed from there on without further checks.
    int decide_after_tokens = 0;
    int max_tokens = 0;  // cap on the first model's answer; 0: the request's max_tokens
    std::optional<cascade_scorer_settings> scorer;
    config::source_pos pos;

    bool token_criteria() const { return min_mean_logprob || min_token_logprob || min_mean_margin; }
    size_t held_stages() const { return 1 + through.size(); }
};

struct route_settings {
    std::string model_name = "auto";
    std::string default_model;
    // The stages that run, in order. constraints always runs (key scopes,
    // residency and budgets are never optional); the others are switchable.
    std::vector<stage_kind> stages;
    std::vector<route_rule> rules;
    std::optional<learned_settings> learned;
    std::optional<cascade_settings> cascade;

    bool enabled(stage_kind stage) const;
};

// Reads the section; errors go to `errors`. Relative paths resolve against base_dir.
route_settings read_route_settings(const config::config & cfg, config::config_errors & errors);

}  // namespace tiergate::router
