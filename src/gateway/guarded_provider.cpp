#include "gateway/guarded_provider.h"

#include <map>

#include "guard/stream_restorer.h"
#include "providers/attempt_record.h"

namespace tiergate::gateway {

namespace {

// Restores placeholders in the answer; forwards attempts to the inner
// observer when it listens for them.
class restoring_observer final : public generation_observer, public providers::attempt_listener {
  public:
    restoring_observer(std::shared_ptr<generation_observer> inner, std::shared_ptr<const guarded_call> guarded)
        : inner_(std::move(inner)),
          listener_(dynamic_cast<providers::attempt_listener *>(inner_.get())),
          guarded_(std::move(guarded)),
          restorer_(*guarded_->names) {}

    void on_delta(generation_delta && delta) override {
        delta.content = restorer_.feed(delta.content);
        for (auto & t : delta.tool_calls) {
            t.arguments = arguments_restorer(t.index).feed(t.arguments);
        }
        if (delta.content.empty() && delta.logprobs.empty() && delta.model.empty() && delta.tool_calls.empty()) {
            return;  // all held back: part of a placeholder
        }
        inner_->on_delta(std::move(delta));
    }

    void on_end(generation_end && end) override {
        if (!end.failure) {
            generation_delta d;
            d.content = restorer_.finish();
            for (auto & [index, r] : arguments_) {
                if (std::string tail = r.finish(); !tail.empty()) {
                    d.tool_calls.push_back({index, "", "", std::move(tail)});
                }
            }
            if (!d.content.empty() || !d.tool_calls.empty()) {
                inner_->on_delta(std::move(d));
            }
        }
        inner_->on_end(std::move(end));
    }

    bool wanted() const override { return inner_->wanted(); }
    bool retractable() const override { return inner_->retractable(); }
    void retract() override {
        (void)restorer_.finish();  // a held-back placeholder of the taken-back answer
        arguments_.clear();
        inner_->retract();
    }

    void on_attempt(const providers::attempt_record & record) override {
        if (listener_ != nullptr) {
            listener_->on_attempt(record);
        }
    }

  private:
    // Tool call arguments are JSON: a restored value is escaped for it.
    guard::stream_restorer & arguments_restorer(int index) {
        return arguments_.try_emplace(index, *guarded_->names, true).first->second;
    }

    std::shared_ptr<generation_observer> inner_;
    providers::attempt_listener * listener_;
    std::shared_ptr<const guarded_call> guarded_;  // keeps the names alive for the restorer
    guard::stream_restorer restorer_;
    std::map<int, guard::stream_restorer> arguments_;  // per tool call index
};

}  // namespace

guarded_provider::guarded_provider(providers::provider & inner, bool external, std::shared_ptr<const guarded_call> guarded)
    : inner_(inner), external_(external), guarded_(std::move(guarded)) {}

void guarded_provider::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    if (!guarded_) {
        return inner_.generate(call, std::move(observer));
    }
    generation_call c = call;
    const generation_call & texts = external_ ? guarded_->egress : guarded_->on_prem;
    c.messages = texts.messages;
    c.prompt = texts.prompt;
    if (external_ && guarded_->pseudonymized()) {
        return inner_.generate(c, std::make_shared<restoring_observer>(std::move(observer), guarded_));
    }
    inner_.generate(c, std::move(observer));
}

void guarded_provider::embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) {
    inner_.embed(call, std::move(done));
}

}  // namespace tiergate::gateway
