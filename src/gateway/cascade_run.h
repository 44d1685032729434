#pragma once
// The cascade at run time. The held stages answer in turn, cheapest first:
// the first model (beside a partner when configured, both started at once),
// then each `through` model. A held answer is kept from the client (it may be
// discarded) and judged when it is complete:
//   - the first model's token confidence (router::cascade_confidence), scored
//     token by token as the tokens arrive; decoding stops as soon as the
//     answer can no longer pass;
//   - the answer scorer (router::answer_scorer), on the whole answer beside
//     every other answer the cascade has for the request (the agreement
//     signal), against the stage's threshold.
// The best scored passing answer of a stage is released to the client;
// otherwise the next stage runs. The last model answers last and streams
// through. With decide_after_tokens (first model alone, no scorer), a
// passing prefix is released at once and the rest streams through.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/chat_types.h"
#include "providers/provider.h"
#include "router/answer_scorer.h"
#include "router/route_settings.h"

namespace tiergate::gateway {

// One held attempt, for the ledger and the route header.
struct cascade_attempt {
    std::string model;
    size_t stage = 0;  // 0: the first model (and the partner)
    int prompt_tokens = 0;
    int completion_tokens = 0;
    double latency_ms = 0.0;
    double ttft_ms = 0.0;
    std::optional<error> failure;  // the attempt failed
    bool early_stop = false;       // decoding stopped before the answer ended
    bool accepted = false;         // this answer was released
    std::optional<float> score;    // the scorer's, when it read this answer
    std::string confidence;        // cascade_confidence::describe(), for the first model with token criteria
};

// What the held stages did. Filled before the client's observer hears the end.
struct cascade_report {
    std::vector<cascade_attempt> held;  // in the order the attempts were started
    std::string escalation_model;
    bool accepted = false;   // a held answer was released
    bool escalated = false;  // the last model answered
    double held_ms = 0.0;    // from the first held model's start to the release or the escalation
    std::string reason;      // why it escalated, or what was accepted

    // "accepted(mean_logprob=..., held 12ms)" | "escalated(score 0.31 < 0.60 ..., held 840ms)"
    std::string summary() const;
    // The first attempt's model (the router's pick); empty before the start.
    const std::string & first_model() const;
};

// One model of a held stage: its provider and the name the scorer knows it by.
struct cascade_member {
    providers::provider * provider = nullptr;
    std::string scorer_name;
};

struct cascade_plan {
    std::vector<std::vector<cascade_member>> held;  // stage 0: the first model (and the partner), then the through models
    providers::provider * last = nullptr;          // streams through; its name is the escalation model
    const router::cascade_settings * settings = nullptr;
    const router::answer_scorer * scorer = nullptr;  // null: token criteria only
    std::vector<double> thresholds;                  // per held stage (with a scorer)
};

// Starts the cascade; `observer` hears the released answer or the last
// model's. The providers must outlive the call (the observer's keep-alive
// holds them).
void run_cascade(cascade_plan plan, const generation_call & call, std::shared_ptr<generation_observer> observer,
                 std::shared_ptr<cascade_report> report);

// The thresholds of the held stages: the configured ones (one for all, or
// one per stage), else the scorer file's when its chain has as many held
// stages, else 0.5.
std::vector<double> cascade_thresholds(const router::cascade_settings & settings, const router::scorer_model * scorer);

}  // namespace tiergate::gateway
