#include "gateway/caching_observer.h"

#include "core/utf8.h"

namespace tiergate::gateway {

caching_observer::caching_observer(std::shared_ptr<generation_observer> inner, answer_cache & cache,
                                   cache_ticket ticket, keep_fn keep_as)
    : inner_(std::move(inner)), cache_(cache), ticket_(std::move(ticket)), keep_as_(std::move(keep_as)) {}

void caching_observer::on_delta(generation_delta && delta) {
    if (!delta.tool_calls.empty()) {
        keepable_ = false;
    }
    if (keepable_) {
        text_ += delta.content;
    }
    inner_->on_delta(std::move(delta));
}

void caching_observer::on_end(generation_end && end) {
    const bool finished = end.finish_reason == "stop" || end.finish_reason == "length";
    if (keepable_ && finished && !end.failure && !text_.empty()) {
        std::optional<std::string> kept =
            keep_as_ ? keep_as_(text_, end.model) : std::optional<std::string>(std::move(text_));
        if (kept) {
            cache_.keep(ticket_, cached_answer{std::move(*kept), end.model, end.finish_reason, end.tokens});
        }
    }
    inner_->on_end(std::move(end));
}

void caching_observer::retract() {
    text_.clear();
    keepable_ = true;
    inner_->retract();
}

void replay_answer(const cached_answer & answer, generation_observer & observer, double elapsed_ms,
                   size_t piece_bytes) {
    std::string_view rest = answer.text;
    bool first = true;
    while (!rest.empty() && observer.wanted()) {
        size_t n = rest.size() <= piece_bytes ? rest.size() : complete_utf8_prefix(rest.substr(0, piece_bytes));
        if (n == 0) {
            n = rest.size() <= piece_bytes ? rest.size() : piece_bytes;  // not UTF-8: cut anyway
        }
        generation_delta d;
        d.content = std::string(rest.substr(0, n));
        if (first) {
            d.model = answer.model;
            first = false;
        }
        observer.on_delta(std::move(d));
        rest.remove_prefix(n);
    }
    generation_end end;
    end.finish_reason = answer.finish_reason;
    end.tokens = answer.tokens;
    end.model = answer.model;
    end.ttft_ms = elapsed_ms;
    end.total_ms = elapsed_ms;
    observer.on_end(std::move(end));
}

}  // namespace tiergate::gateway
