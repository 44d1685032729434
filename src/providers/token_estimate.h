#pragma once
// Token counts when an upstream reports none: about four bytes of text per
// token (the usual ratio for English with BPE vocabularies). Approximate by
// design; reported usage is always preferred.

#include <cstddef>

#include "core/chat_types.h"

namespace tiergate::providers {

int estimate_tokens(size_t text_bytes);
// The bytes a call sends as prompt text (message contents, or the prompt).
size_t prompt_bytes(const generation_call & call);

}  // namespace tiergate::providers
