#include "agents/step_call.h"

#include <condition_variable>
#include <atomic>
#include <mutex>

#include "providers/openai_tool_wire.h"

namespace tiergate::agents {

namespace {

// Collects a whole answer; nothing of it leaves the gateway until the run
// decides, so a failed attempt may be taken back and begun again by a fallback.
class step_observer final : public generation_observer {
  public:
    explicit step_observer(std::function<bool()> cancelled) : cancelled_(std::move(cancelled)) {}

    void on_delta(generation_delta && d) override {
        std::lock_guard lock(mu_);
        text_ += d.content;
        for (const auto & t : d.tool_calls) {
            calls_.add(t);
        }
    }
    void on_end(generation_end && end) override {
        {
            std::lock_guard lock(mu_);
            end_ = std::move(end);
            done_ = true;
        }
        cv_.notify_all();
    }
    bool wanted() const override { return !abandoned_.load() && !cancelled_(); }
    bool retractable() const override { return true; }
    void retract() override {
        std::lock_guard lock(mu_);
        text_.clear();
        calls_.clear();
    }

    // Waits for the end; false when the deadline passed first.
    bool wait(deadline_type deadline) {
        std::unique_lock lock(mu_);
        // checks the run's stop flag now and then: a client gone ends the wait
        while (!done_) {
            const auto next = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50));
            cv_.wait_until(lock, next, [&] { return done_; });
            if (done_) {
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return false;
            }
            if (cancelled_()) {
                // the provider stops on its next token; give it a moment to end and be accounted
                deadline = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(2));
            }
        }
        return true;
    }
    void abandon() { abandoned_ = true; }

    step_answer take() {
        std::lock_guard lock(mu_);
        step_answer out;
        out.text = std::move(text_);
        out.tool_calls = calls_.calls();
        out.end = std::move(end_);
        return out;
    }

  private:
    std::function<bool()> cancelled_;
    std::atomic<bool> abandoned_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false;
    std::string text_;
    providers::tool_call_collector calls_;
    generation_end end_;
};

}  // namespace

step_answer call_step(gateway::gateway & gate, gateway::request_context ctx, generation_call call,
                      deadline_type deadline, const std::function<bool()> & cancelled) {
    call.stream = true;  // the gateway's streaming path: deltas as they come, cut when no longer wanted
    auto observer = std::make_shared<step_observer>(cancelled);
    auto route = std::make_shared<gateway::response_route>();
    gate.generate(std::move(ctx), std::move(call), route, observer);
    if (!observer->wait(deadline)) {
        observer->abandon();
        step_answer out;
        out.end.finish_reason = "error";
        out.end.failure = error{error_kind::timeout, "the step ran past the run's deadline", "", "agent_deadline", {}};
        out.route = *route;
        return out;
    }
    step_answer out = observer->take();
    out.route = *route;
    if (!out.end.failure && out.end.finish_reason == "cancelled") {
        out.end.failure = error{error_kind::timeout, "the step was cancelled", "", "agent_cancelled", {}};
    }
    return out;
}

}  // namespace tiergate::agents
