#include "gateway/cascade_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <vector>

#include "core/call_text.h"
#include "router/cascade_confidence.h"
#include "router/final_answer.h"

namespace tiergate::gateway {

namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t) { return std::chrono::duration<double, std::milli>(steady::now() - t).count(); }

std::string format_score(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.3f", v);
    return buffer;
}

class cascade_runner;

// One held attempt: its deltas kept back, its text and confidence read.
class held_answer final : public generation_observer {
  public:
    held_answer(std::shared_ptr<cascade_runner> runner, size_t stage, size_t attempt, std::string model,
                std::string scorer_name, std::optional<router::cascade_confidence> confidence)
        : runner_(std::move(runner)),
          stage_(stage),
          attempt_(attempt),
          model_(std::move(model)),
          scorer_name_(std::move(scorer_name)),
          confidence_(std::move(confidence)) {}

    void on_delta(generation_delta && d) override;
    void on_end(generation_end && end) override;
    bool wanted() const override;

    size_t stage() const { return stage_; }
    size_t attempt() const { return attempt_; }
    const std::string & model() const { return model_; }
    const std::string & scorer_name() const { return scorer_name_; }
    const std::string & text() const { return text_; }
    const std::optional<router::cascade_confidence> & confidence() const { return confidence_; }
    generation_end & end() { return end_; }
    std::vector<generation_delta> & deltas() { return held_; }
    bool stopped() const { return stopped_; }
    // Completed without failure and not ruled out by its token confidence.
    bool usable() const {
        return !end_.failure && !stopped_ &&
               (!confidence_ || confidence_->final_verdict() != router::confidence_verdict::fail);
    }
    // What the scorer reads of it; filled by the runner when the stage is decided.
    router::scored_answer scored;
    std::optional<float> score;

  private:
    std::shared_ptr<cascade_runner> runner_;
    size_t stage_;
    size_t attempt_;
    std::string model_;
    std::string scorer_name_;
    std::optional<router::cascade_confidence> confidence_;
    std::vector<generation_delta> held_;
    std::string text_;
    generation_end end_;
    steady::time_point start_ = steady::now();
    double ttft_ms_ = -1.0;
    bool stopped_ = false;
    bool passthrough_ = false;
};

class cascade_runner final : public std::enable_shared_from_this<cascade_runner> {
  public:
    cascade_runner(cascade_plan plan, generation_call original, std::shared_ptr<generation_observer> client,
                   std::shared_ptr<cascade_report> report)
        : plan_(std::move(plan)), original_(std::move(original)), client_(std::move(client)), report_(std::move(report)) {
        report_->escalation_model = plan_.last->name();
    }

    void start() {
        if (plan_.scorer != nullptr) {
            prompt_ = joined_text(original_);
            options_ = router::prompt_options::read(prompt_);
            prompt_words_ = plan_.scorer->prompt_words(prompt_);
        }
        start_stage(0);
    }

    bool client_wanted() const { return client_->wanted(); }
    cascade_report & report() { return *report_; }

    // A single first model without a scorer may be released as soon as its
    // first tokens pass (decide_after_tokens).
    bool early_release_allowed(size_t stage) const {
        return stage == 0 && plan_.scorer == nullptr && plan_.held[0].size() == 1 &&
               plan_.settings->decide_after_tokens > 0;
    }

    void accept_early(held_answer & a) {
        report_->accepted = true;
        report_->held[a.attempt()].accepted = true;
        report_->reason = "accepted after " + std::to_string(a.confidence()->tokens()) + " tokens";
        report_->held_ms = ms_since(start_);
        for (auto & d : a.deltas()) {
            forward(std::move(d), a.model());
        }
        a.deltas().clear();
    }

    void forward(generation_delta && d, const std::string & model) {
        // The client sees logprobs only when it asked, and only as many alternatives as it asked for.
        if (!original_.params.logprobs) {
            d.logprobs.clear();
        } else {
            const auto keep = static_cast<size_t>(std::max(0, original_.params.top_logprobs));
            for (auto & lp : d.logprobs) {
                if (lp.top.size() > keep) {
                    lp.top.resize(keep);
                }
            }
        }
        if (!released_any_) {
            released_any_ = true;
            d.model = model;
        }
        if (d.content.empty() && d.logprobs.empty() && d.model.empty() && d.tool_calls.empty()) {
            return;
        }
        client_->on_delta(std::move(d));
    }

    void finish_passthrough(generation_end && end, const std::string & model) {
        end.model = model;
        client_->on_end(std::move(end));
        answers_.clear();
    }

    void attempt_done() {
        if (pending_.fetch_sub(1) == 1) {
            decide();
        }
    }

  private:
    // `first`: the router's pick, whose answer max_tokens caps.
    generation_call held_call(bool first, bool token_criteria) const {
        generation_call c = original_;
        c.stream = true;
        if (token_criteria) {
            c.params.logprobs = true;
            c.params.top_logprobs = std::max(original_.params.top_logprobs, 2);
        }
        const int cap = plan_.settings->max_tokens;
        if (first && cap > 0 && (!c.params.max_tokens || *c.params.max_tokens > cap)) {
            c.params.max_tokens = cap;
        }
        return c;
    }

    void start_stage(size_t s) {
        stage_ = s;
        const auto & members = plan_.held[s];
        struct start {
            providers::provider * provider;
            generation_call call;
            std::shared_ptr<held_answer> answer;
        };
        std::vector<start> starts;
        for (size_t j = 0; j < members.size(); ++j) {
            // Token criteria read the router's pick (the first model) only.
            const bool criteria = s == 0 && j == 0 && plan_.settings->token_criteria();
            generation_call call = held_call(s == 0 && j == 0, criteria);
            std::optional<router::cascade_confidence> confidence;
            if (criteria) {
                confidence.emplace(*plan_.settings, call.params.max_tokens ? *call.params.max_tokens : 0);
            }
            const size_t attempt = report_->held.size();
            report_->held.push_back({});
            report_->held.back().model = members[j].provider->name();
            report_->held.back().stage = s;
            auto a = std::make_shared<held_answer>(shared_from_this(), s, attempt, members[j].provider->name(),
                                                   members[j].scorer_name, std::move(confidence));
            answers_.push_back(a);
            starts.push_back({members[j].provider, std::move(call), std::move(a)});
        }
        pending_.store(static_cast<int>(starts.size()));
        for (auto & st : starts) {
            st.provider->generate(st.call, st.answer);
        }
    }

    void decide() {
        const size_t s = stage_;
        if (!client_->wanted()) {
            generation_end end;
            end.finish_reason = "cancelled";
            report_->reason = "the client left";
            report_->held_ms = ms_since(start_);
            client_->on_end(std::move(end));
            answers_.clear();
            return;
        }
        std::vector<held_answer *> stage_answers;
        for (auto & a : answers_) {
            if (a->stage() == s) {
                stage_answers.push_back(a.get());
            }
        }
        std::string why;
        for (held_answer * a : stage_answers) {
            if (a->end().failure) {
                const std::string who = a->attempt() == 0 ? std::string("the first model") : a->model();
                why += (why.empty() ? "" : "; ") + who + " failed: " + a->end().failure->message;
            } else if (a->confidence() && (a->stopped() || a->confidence()->final_verdict() == router::confidence_verdict::fail)) {
                why += (why.empty() ? "" : "; ") + a->confidence()->failure() + (a->stopped() ? ", early stop" : "");
            }
        }
        held_answer * best = nullptr;
        if (plan_.scorer != nullptr) {
            for (held_answer * a : stage_answers) {
                a->scored.model = a->scorer_name();
                a->scored.text = a->text();
                a->scored.final = router::extract_final_answer(options_, a->text());
                if (a->confidence() && a->confidence()->tokens() > 0 && std::isfinite(a->confidence()->mean_logprob()) &&
                    std::isfinite(a->confidence()->min_logprob())) {
                    a->scored.mean_logprob = static_cast<float>(a->confidence()->mean_logprob());
                    a->scored.min_logprob = static_cast<float>(a->confidence()->min_logprob());
                }
            }
            std::vector<const router::scored_answer *> others;
            for (held_answer * a : stage_answers) {
                if (!a->usable()) {
                    continue;
                }
                others.clear();
                for (auto & o : answers_) {
                    // complete answers only: one cut short or ruled out by its tokens says less
                    if (o.get() != a && o->usable() && o->stage() <= s) {
                        others.push_back(&o->scored);
                    }
                }
                const router::scorer_input in{prompt_, &options_, &a->scored, others, &prompt_words_};
                a->score = plan_.scorer->score(in);
                report_->held[a->attempt()].score = a->score;
                if (best == nullptr || *a->score > *best->score) {
                    best = a;
                }
            }
            const double threshold = plan_.thresholds[s];
            if (best != nullptr && !(*best->score >= threshold)) {  // a NaN score never passes
                why += (why.empty() ? "" : "; ") + std::string("score ") + format_score(*best->score) + " < " +
                       format_score(threshold) + " (" + best->model() + ")";
                best = nullptr;
            }
        } else {
            for (held_answer * a : stage_answers) {
                if (a->usable()) {
                    best = a;
                    break;
                }
            }
        }
        for (held_answer * a : stage_answers) {
            auto & r = report_->held[a->attempt()];
            r.early_stop = a->stopped() && a->end().finish_reason == "cancelled";
        }
        if (best != nullptr) {
            report_->accepted = true;
            report_->held[best->attempt()].accepted = true;
            report_->reason += (report_->reason.empty() ? "" : "; ") + std::string("accepted ") + best->model() +
                               (best->score ? " (score " + format_score(*best->score) + ")" : std::string());
            report_->held_ms = ms_since(start_);
            for (auto & d : best->deltas()) {
                forward(std::move(d), best->model());
            }
            best->deltas().clear();
            generation_end end = std::move(best->end());
            end.model = best->model();
            client_->on_end(std::move(end));
            answers_.clear();  // the answers held the runner; nothing reads them now
            return;
        }
        if (why.empty()) {
            why = "no answer";
        }
        report_->reason += (report_->reason.empty() ? "" : "; ") + why;
        if (s + 1 < plan_.held.size()) {
            return start_stage(s + 1);
        }
        report_->escalated = true;
        report_->held_ms = ms_since(start_);
        answers_.clear();
        plan_.last->generate(original_, client_);
    }

    cascade_plan plan_;
    generation_call original_;
    std::shared_ptr<generation_observer> client_;
    std::shared_ptr<cascade_report> report_;
    std::string prompt_;
    router::prompt_options options_;
    std::vector<uint32_t> prompt_words_;
    std::vector<std::shared_ptr<held_answer>> answers_;
    std::atomic<int> pending_{0};
    size_t stage_ = 0;
    steady::time_point start_ = steady::now();
    bool released_any_ = false;
};

void held_answer::on_delta(generation_delta && d) {
    if (ttft_ms_ < 0 && !d.content.empty()) {
        ttft_ms_ = ms_since(start_);
    }
    if (passthrough_) {
        return runner_->forward(std::move(d), model_);
    }
    if (confidence_) {
        for (const auto & lp : d.logprobs) {
            std::optional<float> margin;
            if (lp.top.size() >= 2) {
                margin = lp.top[0].second - lp.top[1].second;
            }
            if (confidence_->add(lp.logprob, margin) == router::confidence_verdict::fail) {
                stopped_ = true;
            }
        }
    }
    text_ += d.content;
    held_.push_back(std::move(d));
    if (!stopped_ && confidence_ && runner_->early_release_allowed(stage_) &&
        confidence_->early_verdict() == router::confidence_verdict::pass) {
        passthrough_ = true;
        runner_->accept_early(*this);
    }
}

void held_answer::on_end(generation_end && end) {
    auto & r = runner_->report().held[attempt_];
    r.prompt_tokens = end.tokens.prompt_tokens;
    r.completion_tokens = end.tokens.completion_tokens;
    r.latency_ms = ms_since(start_);
    r.ttft_ms = ttft_ms_ > 0 ? ttft_ms_ : 0.0;
    if (end.failure && !stopped_) {
        r.failure = end.failure;
    }
    if (confidence_) {
        r.confidence = confidence_->describe();
    }
    auto runner = runner_;  // the runner may release this observer
    if (passthrough_) {
        return runner->finish_passthrough(std::move(end), model_);
    }
    end_ = std::move(end);
    if (stopped_) {
        end_.failure.reset();
    }
    runner->attempt_done();
}

bool held_answer::wanted() const { return !stopped_ && runner_->client_wanted(); }

}  // namespace

std::string cascade_report::summary() const {
    std::string confidence;
    bool scored = false;
    for (const cascade_attempt & a : held) {
        scored = scored || a.score.has_value();
    }
    if (!held.empty() && !held.front().confidence.empty()) {
        confidence = held.front().confidence;
    }
    const std::string held_text = "held " + std::to_string(static_cast<long long>(held_ms + 0.5)) + "ms";
    if (escalated) {
        return "escalated(" + reason + ", " + held_text + ")";
    }
    if (!accepted) {
        return "cancelled(" + reason + ", " + held_text + ")";
    }
    // token criteria alone: the confidence says why; with more stages or a scorer, the reason too
    std::string what = confidence.empty() ? reason : confidence;
    if (!confidence.empty() && (held.size() > 1 || scored)) {
        what = reason + ", " + confidence;
    }
    return "accepted(" + what + ", " + held_text + ")";
}

const std::string & cascade_report::first_model() const {
    static const std::string none;
    return held.empty() ? none : held.front().model;
}

std::vector<double> cascade_thresholds(const router::cascade_settings & settings, const router::scorer_model * scorer) {
    const size_t stages = settings.held_stages();
    if (settings.scorer && settings.scorer->thresholds.size() == stages) {
        return settings.scorer->thresholds;
    }
    if (settings.scorer && settings.scorer->thresholds.size() == 1) {
        return std::vector<double>(stages, settings.scorer->thresholds.front());
    }
    if (scorer != nullptr && scorer->thresholds.size() == stages) {
        return scorer->thresholds;
    }
    return std::vector<double>(stages, 0.5);
}

void run_cascade(cascade_plan plan, const generation_call & call, std::shared_ptr<generation_observer> observer,
                 std::shared_ptr<cascade_report> report) {
    auto runner = std::make_shared<cascade_runner>(std::move(plan), call, std::move(observer), std::move(report));
    runner->start();
}

}  // namespace tiergate::gateway
