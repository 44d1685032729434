#include "api/anthropic_observers.h"

#include "api/citation_format.h"

#include "api/collected_answer.h"
#include "api/route_headers.h"
#include "providers/openai_tool_wire.h"

namespace tiergate::api {

using json = nlohmann::json;

namespace {

class anthropic_stream_observer final : public generation_observer {
  public:
    anthropic_stream_observer(std::shared_ptr<responder> r, response_meta meta,
                              std::shared_ptr<gateway::response_route> route)
        : r_(std::move(r)), meta_(std::move(meta)), route_(std::move(route)) {}

    void on_delta(generation_delta && d) override {
        if (d.content.empty() && d.tool_calls.empty()) {
            return;
        }
        begin();
        if (!d.content.empty()) {
            if (open_ != block::text) {
                open_block(block::text, {{"type", "text"}, {"text", ""}});
            }
            emit({{"type", "content_block_delta"},
                  {"index", index_},
                  {"delta", {{"type", "text_delta"}, {"text", d.content}}}});
        }
        for (const auto & t : d.tool_calls) {
            if (open_ != block::tool || tool_ != t.index) {
                open_block(block::tool,
                           {{"type", "tool_use"}, {"id", t.id}, {"name", t.name}, {"input", json::object()}});
                tool_ = t.index;
            }
            if (!t.arguments.empty()) {
                emit({{"type", "content_block_delta"},
                      {"index", index_},
                      {"delta", {{"type", "input_json_delta"}, {"partial_json", t.arguments}}}});
            }
        }
    }

    void on_end(generation_end && end) override {
        if (end.failure) {
            if (!started_) {
                send_anthropic_error(*r_, *end.failure, route_->model.empty() ? header_list{} : route_headers(*route_));
                return;
            }
            // content already reached the client: the stream ends with an error event
            r_->stream(anthropic_event(json::parse(to_anthropic_error_json(*end.failure))));
            r_->end_stream();
            return;
        }
        begin();
        close_block();
        emit({{"type", "message_delta"},
              {"delta", {{"stop_reason", anthropic_stop_reason(end.finish_reason)}, {"stop_sequence", nullptr}}},
              {"usage", {{"input_tokens", end.tokens.prompt_tokens}, {"output_tokens", end.tokens.completion_tokens}}}});
        emit({{"type", "message_stop"}});
        r_->end_stream();
    }

    bool wanted() const override { return r_->alive(); }

  private:
    enum class block { none, text, tool };

    void emit(const json & event) { r_->stream(anthropic_event(event)); }

    void begin() {
        if (started_) {
            return;
        }
        started_ = true;
        meta_.model = route_->model;
        r_->start_stream(route_headers(*route_));
        json message = {{"id", meta_.id},
                        {"type", "message"},
                        {"role", "assistant"},
                        {"model", meta_.model},
                        {"content", json::array()},
                        {"stop_reason", nullptr},
                        {"stop_sequence", nullptr},
                        {"usage", {{"input_tokens", 0}, {"output_tokens", 0}}}};
        add_citations(message, &route_->citations);
        emit({{"type", "message_start"}, {"message", std::move(message)}});
        emit({{"type", "ping"}});
    }

    void open_block(block kind, json content_block) {
        close_block();
        open_ = kind;
        ++index_;
        emit({{"type", "content_block_start"}, {"index", index_}, {"content_block", std::move(content_block)}});
    }

    void close_block() {
        if (open_ != block::none) {
            emit({{"type", "content_block_stop"}, {"index", index_}});
            open_ = block::none;
        }
    }

    std::shared_ptr<responder> r_;
    response_meta meta_;
    std::shared_ptr<gateway::response_route> route_;
    bool started_ = false;
    block open_ = block::none;
    int index_ = -1;
    int tool_ = -1;
};

class anthropic_whole_observer final : public generation_observer {
  public:
    anthropic_whole_observer(std::shared_ptr<responder> r, response_meta meta,
                             std::shared_ptr<gateway::response_route> route)
        : r_(std::move(r)), meta_(std::move(meta)), route_(std::move(route)) {}

    void on_delta(generation_delta && d) override { answer_.add(std::move(d)); }

    void on_end(generation_end && end) override {
        if (end.failure) {
            send_anthropic_error(*r_, *end.failure, route_->model.empty() ? header_list{} : route_headers(*route_));
            return;
        }
        meta_.model = route_->model;
        meta_.citations = &route_->citations;
        r_->send(200, anthropic_message_body(meta_, answer_.text, answer_.tool_calls.calls(), end.finish_reason, end.tokens),
                 route_headers(*route_));
    }

    bool wanted() const override { return r_->alive(); }
    bool retractable() const override { return true; }
    void retract() override { answer_.clear(); }

  private:
    std::shared_ptr<responder> r_;
    response_meta meta_;
    std::shared_ptr<gateway::response_route> route_;
    collected_answer answer_;
};

}  // namespace

std::shared_ptr<generation_observer> make_anthropic_observer(std::shared_ptr<responder> respond, response_meta meta,
                                                             std::shared_ptr<gateway::response_route> route,
                                                             bool stream) {
    if (stream) {
        return std::make_shared<anthropic_stream_observer>(std::move(respond), std::move(meta), std::move(route));
    }
    return std::make_shared<anthropic_whole_observer>(std::move(respond), std::move(meta), std::move(route));
}

}  // namespace tiergate::api
