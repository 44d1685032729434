#pragma once
// The OpenAI chat/completions and completions wire format, streamed
// (stream=true, stream_options.include_usage) or whole.

#include "providers/remote_dialect.h"

namespace tiergate::providers {

class openai_dialect final : public remote_dialect {
  public:
    // official: api.openai.com (max_completion_tokens, developer role kept,
    // no top_k/min_p); otherwise a compatible server (vLLM, llama.cpp, ...).
    explicit openai_dialect(bool official) : official_(official) {}

    result<http_request_spec> generation_request(const generation_call & call,
                                                 const upstream_identity & who) const override;
    std::unique_ptr<generation_decoder> make_decoder(const generation_call & call,
                                                     const std::string & model) const override;

  private:
    bool official_;
};

}  // namespace tiergate::providers
