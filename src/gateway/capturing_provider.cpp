#include "gateway/capturing_provider.h"

#include <chrono>

#include "providers/attempt_record.h"

namespace tiergate::gateway {

namespace {

class capturing_observer final : public generation_observer, public providers::attempt_listener {
  public:
    capturing_observer(std::shared_ptr<generation_observer> inner, std::shared_ptr<const capture_context> context,
                       captured_call call)
        : inner_(std::move(inner)),
          listener_(dynamic_cast<providers::attempt_listener *>(inner_.get())),
          context_(std::move(context)),
          call_(std::move(call)) {}

    void on_delta(generation_delta && delta) override {
        if (!delta.tool_calls.empty()) {
            text_only_ = false;
        }
        if (text_only_) {
            call_.answer += delta.content;
        }
        inner_->on_delta(std::move(delta));
    }

    void on_end(generation_end && end) override {
        const bool finished = !end.failure && (end.finish_reason == "stop" || end.finish_reason == "length");
        const bool student = call_.role == "student";
        if (text_only_ && !call_.answer.empty() && (finished || (student && !end.failure))) {
            call_.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
            if (!end.model.empty()) {
                call_.model = end.model;
            }
            call_.finish_reason = end.finish_reason;
            call_.prompt_tokens = end.tokens.prompt_tokens;
            call_.completion_tokens = end.tokens.completion_tokens;
            call_.latency_ms = end.total_ms;
            if (context_->prices != nullptr) {
                call_.cost_usd = context_->prices->cost_usd(call_.model, call_.prompt_tokens, call_.completion_tokens);
            }
            context_->sink->keep(std::move(call_));
        }
        inner_->on_end(std::move(end));
    }

    bool wanted() const override { return inner_->wanted(); }
    bool retractable() const override { return inner_->retractable(); }
    void retract() override {
        call_.answer.clear();
        inner_->retract();
    }

    void on_attempt(const providers::attempt_record & record) override {
        if (listener_ != nullptr) {
            listener_->on_attempt(record);
        }
    }

  private:
    std::shared_ptr<generation_observer> inner_;
    providers::attempt_listener * listener_;
    std::shared_ptr<const capture_context> context_;
    captured_call call_;
    bool text_only_ = true;
};

}  // namespace

capturing_provider::capturing_provider(providers::provider & inner, std::shared_ptr<const capture_context> context,
                                       std::string tier, std::string role)
    : inner_(inner), context_(std::move(context)), tier_(std::move(tier)), role_(std::move(role)) {}

void capturing_provider::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    captured_call c = context_->request;
    c.model = inner_.name();
    c.tier = tier_;
    c.role = role_;
    if (call.kind == request_kind::chat) {
        c.messages = call.messages;
        for (auto & m : c.messages) {
            m.parts.clear();  // media is not kept
            m.tool_calls.clear();
        }
    } else {
        c.prompt = call.prompt;
    }
    inner_.generate(call, std::make_shared<capturing_observer>(std::move(observer), context_, std::move(c)));
}

}  // namespace tiergate::gateway
