#include "gateway/cascade_run.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "router/cascade_confidence.h"

namespace tiergate::gateway {

namespace {

using steady = std::chrono::steady_clock;

class cascade_observer final : public generation_observer {
  public:
    cascade_observer(providers::provider & then, const router::cascade_settings & settings, generation_call original,
                     int max_tokens, std::shared_ptr<generation_observer> client, std::shared_ptr<cascade_report> report)
        : then_(then),
          confidence_(settings, max_tokens),
          original_(std::move(original)),
          client_(std::move(client)),
          report_(std::move(report)) {}

    void on_delta(generation_delta && d) override {
        if (ttft_ms_ < 0 && !d.content.empty()) {
            ttft_ms_ = ms_since(start_);
        }
        if (passthrough_) {
            return forward(std::move(d));
        }
        for (const auto & lp : d.logprobs) {
            std::optional<float> margin;
            if (lp.top.size() >= 2) {
                margin = lp.top[0].second - lp.top[1].second;
            }
            if (confidence_.add(lp.logprob, margin) == router::confidence_verdict::fail) {
                stopped_ = true;
            }
        }
        held_.push_back(std::move(d));
        if (!stopped_ && confidence_.early_verdict() == router::confidence_verdict::pass) {
            report_->accepted = true;
            report_->reason = "accepted after " + std::to_string(confidence_.tokens()) + " tokens";
            passthrough_ = true;
            release();
        }
    }

    void on_end(generation_end && end) override {
        report_->prompt_tokens = end.tokens.prompt_tokens;
        report_->completion_tokens = end.tokens.completion_tokens;
        report_->latency_ms = ms_since(start_);
        report_->ttft_ms = ttft_ms_ > 0 ? ttft_ms_ : 0.0;
        report_->confidence = confidence_.describe();
        if (passthrough_) {
            end.model = report_->first_model;
            return client_->on_end(std::move(end));
        }
        if (!client_->wanted()) {
            end.finish_reason = "cancelled";
            return client_->on_end(std::move(end));
        }
        if (end.failure && !stopped_) {
            report_->failure = end.failure;
            return escalate("the first model failed: " + end.failure->message);
        }
        if (stopped_) {
            report_->early_stop = end.finish_reason == "cancelled";
            return escalate(confidence_.failure() + (report_->early_stop ? ", early stop" : ""));
        }
        if (confidence_.final_verdict() == router::confidence_verdict::fail) {
            return escalate(confidence_.failure());
        }
        report_->accepted = true;
        report_->reason = "accepted";
        release();
        end.model = report_->first_model;
        client_->on_end(std::move(end));
    }

    bool wanted() const override { return !stopped_ && client_->wanted(); }

  private:
    static double ms_since(steady::time_point t) {
        return std::chrono::duration<double, std::milli>(steady::now() - t).count();
    }

    // The client sees logprobs only when it asked, and only as many alternatives as it asked for.
    void forward(generation_delta && d) {
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
            d.model = report_->first_model;
        }
        if (d.content.empty() && d.logprobs.empty() && d.model.empty() && d.tool_calls.empty()) {
            return;
        }
        client_->on_delta(std::move(d));
    }

    void release() {
        for (auto & d : held_) {
            forward(std::move(d));
        }
        held_.clear();
    }

    void escalate(std::string reason) {
        held_.clear();
        report_->escalated = true;
        report_->reason = std::move(reason);
        then_.generate(original_, client_);
    }

    providers::provider & then_;
    router::cascade_confidence confidence_;
    generation_call original_;
    std::shared_ptr<generation_observer> client_;
    std::shared_ptr<cascade_report> report_;
    std::vector<generation_delta> held_;
    steady::time_point start_ = steady::now();
    double ttft_ms_ = -1.0;
    bool stopped_ = false;
    bool passthrough_ = false;
    bool released_any_ = false;
};

}  // namespace

std::string cascade_report::summary() const {
    if (escalated) {
        return "escalated(" + reason + ")";
    }
    return "accepted(" + confidence + ")";
}

void run_cascade(providers::provider & first, providers::provider & then, const router::cascade_settings & settings,
                 const generation_call & call, std::shared_ptr<generation_observer> observer,
                 std::shared_ptr<cascade_report> report) {
    report->first_model = first.name();
    report->escalation_model = then.name();
    generation_call slm = call;
    slm.params.logprobs = true;
    slm.params.top_logprobs = std::max(call.params.top_logprobs, 2);
    slm.stream = true;
    if (settings.max_tokens > 0 && (!slm.params.max_tokens || *slm.params.max_tokens > settings.max_tokens)) {
        slm.params.max_tokens = settings.max_tokens;
    }
    const int max_tokens = slm.params.max_tokens ? *slm.params.max_tokens : 0;
    auto o = std::make_shared<cascade_observer>(then, settings, call, max_tokens, std::move(observer), std::move(report));
    first.generate(slm, std::move(o));
}

}  // namespace tiergate::gateway
