#include "providers/fallback_chain.h"

#include <algorithm>

#include "providers/upstream_error.h"

namespace tiergate::providers {

namespace {

struct chain_call : std::enable_shared_from_this<chain_call> {
    std::vector<provider *> options;
    generation_call call;
    std::shared_ptr<generation_observer> outer;
    attempt_listener * outer_listener = nullptr;
    attempts_fn on_attempts;
    std::vector<attempt_record> records;

    void record(const attempt_record & r) {
        records.push_back(r);
        if (outer_listener) {
            outer_listener->on_attempt(r);
        }
    }

    void start(size_t index);
    void option_ended(size_t index, generation_end && end, bool committed, bool reported);

    void finish(generation_end && end) {
        if (on_attempts) {
            on_attempts(records);
        }
        outer->on_end(std::move(end));
    }
};

class option_observer final : public generation_observer, public attempt_listener {
  public:
    option_observer(std::shared_ptr<chain_call> chain, size_t index) : chain_(std::move(chain)), index_(index) {}

    void on_delta(generation_delta && delta) override {
        if (!committed_ && delta.model.empty()) {
            delta.model = chain_->options[index_]->name();
        }
        committed_ = true;
        chain_->outer->on_delta(std::move(delta));
    }
    void on_end(generation_end && end) override {
        chain_->option_ended(index_, std::move(end), committed_, reported_);
    }
    bool wanted() const override { return chain_->outer->wanted(); }
    bool retractable() const override { return chain_->outer->retractable(); }
    void retract() override {
        committed_ = false;
        chain_->outer->retract();
    }
    void on_attempt(const attempt_record & record) override {
        reported_ = true;
        chain_->record(record);
    }

  private:
    std::shared_ptr<chain_call> chain_;
    size_t index_;
    bool committed_ = false;
    bool reported_ = false;
};

void chain_call::start(size_t index) {
    options[index]->generate(call, std::make_shared<option_observer>(shared_from_this(), index));
}

void chain_call::option_ended(size_t index, generation_end && end, bool committed, bool reported) {
    if (!reported) {
        attempt_record r;
        r.model = options[index]->name();
        r.failure = end.failure;
        r.latency_ms = end.total_ms;
        record(r);
    }
    const bool failed = end.failure.has_value();
    // An answer that failed after its first deltas is begun again by the next
    // option when none of it has reached the client (a whole answer).
    if (failed && committed && end.finish_reason != "cancelled" && index + 1 < options.size() && outer->wanted() &&
        outer->retractable()) {
        outer->retract();
        committed = false;
    }
    if (!failed || committed || end.finish_reason == "cancelled" || !outer->wanted()) {
        if (failed && !committed && !outer->wanted()) {
            end.finish_reason = "cancelled";
        }
        return finish(std::move(end));
    }
    if (index + 1 < options.size()) {
        return start(index + 1);
    }
    end.failure = all_attempts_failed(records);
    end.finish_reason = "error";
    finish(std::move(end));
}

}  // namespace

error all_attempts_failed(const std::vector<attempt_record> & attempts) {
    std::vector<const attempt_record *> failed;
    for (const auto & a : attempts) {
        if (a.failure) {
            failed.push_back(&a);
        }
    }
    error e;
    e.code = "all_attempts_failed";
    size_t real = 0, rate = 0, time = 0, rejected = 0;
    std::optional<int> retry;
    for (const auto * a : failed) {
        const auto & f = *a->failure;
        if (f.code == code_circuit_open) {
            continue;
        }
        ++real;
        if (f.kind == error_kind::rate_limited) {
            ++rate;
            if (f.retry_after_s) {
                retry = retry ? std::min(*retry, *f.retry_after_s) : *f.retry_after_s;
            }
        } else if (f.kind == error_kind::timeout) {
            ++time;
        } else if (f.kind == error_kind::invalid_request) {
            ++rejected;
        }
    }
    if (real == 0) {
        e.kind = error_kind::unavailable;
    } else if (rate == real) {
        e.kind = error_kind::rate_limited;
        e.retry_after_s = retry;
    } else if (time > 0 && time + rate == real) {
        e.kind = error_kind::timeout;
    } else if (rejected == real) {
        e.kind = error_kind::invalid_request;
    } else {
        e.kind = error_kind::upstream;
    }
    // One failure, or failures that all say the same: the caller gets that error's
    // code and field (context_length_exceeded stays context_length_exceeded).
    const bool same = !failed.empty() && std::all_of(failed.begin(), failed.end(), [&](const attempt_record * a) {
        return a->failure->kind == failed.front()->failure->kind && a->failure->code == failed.front()->failure->code;
    });
    if (same && failed.front()->failure->code != code_circuit_open) {
        e.kind = failed.front()->failure->kind;
        e.code = failed.front()->failure->code;
        e.param = failed.front()->failure->param;
        if (!e.retry_after_s) {
            e.retry_after_s = failed.front()->failure->retry_after_s;
        }
    }
    if (failed.size() == 1) {
        // a request the model refused keeps the model's own words
        e.message = failed.front()->failure->kind == error_kind::invalid_request ? failed.front()->failure->message
                                                                                 : describe(*failed.front());
        return e;
    }
    e.message = "all " + std::to_string(failed.size()) + " upstream attempts failed: ";
    for (size_t i = 0; i < failed.size(); ++i) {
        if (i > 0) {
            e.message += "; ";
        }
        e.message += describe(*failed[i]);
    }
    return e;
}

fallback_chain::fallback_chain(provider & primary, std::vector<provider *> fallbacks, attempts_fn on_attempts)
    : primary_(primary), on_attempts_(std::move(on_attempts)) {
    options_.push_back(&primary);
    for (auto * p : fallbacks) {
        if (p && std::find(options_.begin(), options_.end(), p) == options_.end()) {
            options_.push_back(p);
        }
    }
}

bool fallback_chain::supports_embeddings() const {
    return std::any_of(options_.begin(), options_.end(), [](provider * p) { return p->supports_embeddings(); });
}

void run_in_order(std::vector<provider *> options, const generation_call & call,
                  std::shared_ptr<generation_observer> observer, attempts_fn on_attempts) {
    auto c = std::make_shared<chain_call>();
    c->options = std::move(options);
    c->call = call;
    c->outer = std::move(observer);
    c->outer_listener = dynamic_cast<attempt_listener *>(c->outer.get());
    c->on_attempts = std::move(on_attempts);
    c->start(0);
}

void fallback_chain::generate(const generation_call & call, std::shared_ptr<generation_observer> observer) {
    run_in_order(options_, call, std::move(observer), on_attempts_);
}

namespace {

struct embed_chain : std::enable_shared_from_this<embed_chain> {
    std::vector<provider *> options;
    embedding_call call;
    std::function<void(result<embedding_result>)> done;
    attempts_fn on_attempts;
    std::vector<attempt_record> records;

    void start(size_t index) {
        while (index < options.size() && !options[index]->supports_embeddings()) {
            ++index;
        }
        if (index >= options.size()) {
            if (on_attempts) {
                on_attempts(records);
            }
            if (records.empty()) {
                return done(error::invalid("model '" + options.front()->name() + "' does not serve embeddings",
                                           "model", "embeddings_unsupported"));
            }
            return done(all_attempts_failed(records));
        }
        auto self = shared_from_this();
        options[index]->embed(call, [self, index](result<embedding_result> r) {
            attempt_record rec;
            rec.model = self->options[index]->name();
            if (!r) {
                rec.failure = r.err();
            }
            self->records.push_back(rec);
            if (r) {
                if (self->on_attempts) {
                    self->on_attempts(self->records);
                }
                return self->done(std::move(r));
            }
            self->start(index + 1);
        });
    }
};

}  // namespace

void fallback_chain::embed(const embedding_call & call, std::function<void(result<embedding_result>)> done) {
    auto c = std::make_shared<embed_chain>();
    c->options = options_;
    c->call = call;
    c->done = std::move(done);
    c->on_attempts = on_attempts_;
    c->start(0);
}

}  // namespace tiergate::providers
