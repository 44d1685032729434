#pragma once
// The closed sets a model entry chooses from. Adding a value makes the
// compiler point at every switch that must handle it.

#include <optional>
#include <string_view>

namespace tiergate::config {

enum class provider_kind { local, openai_compatible, openai, anthropic };
enum class model_tier { slm, mid, frontier };
enum class data_residency { on_prem, external };
enum class model_capability { json_schema, logprobs, embeddings, tools, images, audio };

const char * to_string(provider_kind value);
const char * to_string(model_tier value);
const char * to_string(data_residency value);
const char * to_string(model_capability value);

std::optional<provider_kind> parse_provider_kind(std::string_view text);
std::optional<model_tier> parse_model_tier(std::string_view text);
std::optional<data_residency> parse_data_residency(std::string_view text);
std::optional<model_capability> parse_model_capability(std::string_view text);

// "local | openai_compatible | openai | anthropic": for error messages.
const char * provider_kind_choices();
const char * model_tier_choices();
const char * data_residency_choices();
const char * model_capability_choices();

bool is_remote(provider_kind value);

}  // namespace tiergate::config
