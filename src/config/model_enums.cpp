#include "config/model_enums.h"

#include <array>
#include <utility>

namespace tiergate::config {

namespace {

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<E, N> & values, std::string_view text) {
    for (E value : values) {
        if (text == to_string(value)) {
            return value;
        }
    }
    return std::nullopt;
}

constexpr std::array all_providers = {provider_kind::local, provider_kind::openai_compatible, provider_kind::openai,
                                      provider_kind::anthropic};
constexpr std::array all_tiers = {model_tier::slm, model_tier::mid, model_tier::frontier};
constexpr std::array all_residencies = {data_residency::on_prem, data_residency::external};
constexpr std::array all_capabilities = {model_capability::json_schema, model_capability::logprobs,
                                         model_capability::embeddings, model_capability::tools,
                                         model_capability::images, model_capability::audio};

}  // namespace

const char * to_string(provider_kind value) {
    switch (value) {
        case provider_kind::local: return "local";
        case provider_kind::openai_compatible: return "openai_compatible";
        case provider_kind::openai: return "openai";
        case provider_kind::anthropic: return "anthropic";
    }
    return "local";
}

const char * to_string(model_tier value) {
    switch (value) {
        case model_tier::slm: return "slm";
        case model_tier::mid: return "mid";
        case model_tier::frontier: return "frontier";
    }
    return "slm";
}

const char * to_string(data_residency value) {
    switch (value) {
        case data_residency::on_prem: return "on_prem";
        case data_residency::external: return "external";
    }
    return "on_prem";
}

const char * to_string(model_capability value) {
    switch (value) {
        case model_capability::json_schema: return "json_schema";
        case model_capability::logprobs: return "logprobs";
        case model_capability::embeddings: return "embeddings";
        case model_capability::tools: return "tools";
        case model_capability::images: return "images";
        case model_capability::audio: return "audio";
    }
    return "json_schema";
}

std::optional<provider_kind> parse_provider_kind(std::string_view text) { return parse_in(all_providers, text); }
std::optional<model_tier> parse_model_tier(std::string_view text) { return parse_in(all_tiers, text); }
std::optional<data_residency> parse_data_residency(std::string_view text) { return parse_in(all_residencies, text); }
std::optional<model_capability> parse_model_capability(std::string_view text) {
    return parse_in(all_capabilities, text);
}

const char * provider_kind_choices() { return "local, openai_compatible, openai, anthropic"; }
const char * model_tier_choices() { return "slm, mid, frontier"; }
const char * data_residency_choices() { return "on_prem, external"; }
const char * model_capability_choices() { return "json_schema, logprobs, embeddings, tools, images, audio"; }

bool is_remote(provider_kind value) {
    switch (value) {
        case provider_kind::local: return false;
        case provider_kind::openai_compatible:
        case provider_kind::openai:
        case provider_kind::anthropic: return true;
    }
    return true;
}

}  // namespace tiergate::config
