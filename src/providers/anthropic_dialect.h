#pragma once
// The Anthropic Messages API (POST /v1/messages), streamed or whole:
// system and developer messages become `system`, consecutive messages of one
// role are merged, max_tokens is always sent (default_max_tokens when the
// call sets none), stop -> stop_sequences; content blocks of type text become
// the answer; stop_reason end_turn/stop_sequence -> stop, max_tokens ->
// length, tool_use -> tool_calls.

#include "providers/remote_dialect.h"

namespace tiergate::providers {

class anthropic_dialect final : public remote_dialect {
  public:
    static constexpr int default_max_tokens = 4096;
    static constexpr const char * api_version = "2023-06-01";

    result<http_request_spec> generation_request(const generation_call & call,
                                                 const upstream_identity & who) const override;
    std::unique_ptr<generation_decoder> make_decoder(const generation_call & call,
                                                     const std::string & model) const override;
};

}  // namespace tiergate::providers
