#pragma once
// An incremental parser of server-sent events (text/event-stream): bytes go
// in as they arrive, split anywhere; complete events come out.

#include <functional>
#include <string>
#include <string_view>

namespace tiergate::providers {

struct sse_event {
    std::string event;  // the `event:` field, empty when absent ("message")
    std::string data;   // `data:` lines joined with '\n'
    std::string id;
};

class sse_parser {
  public:
    using event_fn = std::function<void(sse_event && ev)>;
    explicit sse_parser(event_fn on_event) : on_event_(std::move(on_event)) {}

    // Lines end with LF, CR or CRLF (a CRLF may be split between two feeds).
    void feed(std::string_view bytes);
    // Bytes of an unfinished line plus fields of an undispatched event: a
    // stream that ends while this is non-zero was cut mid-event.
    size_t pending() const { return line_.size() + (has_fields_ ? 1 : 0); }
    // Bytes held for one unfinished line are capped; past it the line is dropped.
    static constexpr size_t max_line_bytes = 4u << 20;

  private:
    void on_line(std::string_view line);

    event_fn on_event_;
    std::string line_;
    bool skip_lf_ = false;
    bool bom_checked_ = false;
    size_t bom_matched_ = 0;
    bool overflow_ = false;
    bool has_fields_ = false;
    sse_event current_;
    bool has_data_ = false;
};

}  // namespace tiergate::providers
