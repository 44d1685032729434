#include "providers/openai_compatible_provider.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "providers/json_count.h"
#include "providers/openai_dialect.h"
#include "providers/token_estimate.h"
#include "providers/upstream_error.h"

namespace tiergate::providers {

using json = nlohmann::json;

result<std::unique_ptr<openai_compatible_provider>> openai_compatible_provider::create(
    const config::model_config & model, remote_context context) {
    if (!model.remote) {
        return error::invalid("model '" + model.name + "' has no remote endpoint", "endpoint");
    }
    auto url = parse_endpoint_url(model.remote->endpoint);
    if (!url) {
        return url.err();
    }
    return std::make_unique<openai_compatible_provider>(model, std::move(*url), std::move(context));
}

openai_compatible_provider::openai_compatible_provider(const config::model_config & model, endpoint_url url,
                                                       remote_context context)
    : remote_provider(model, std::move(url), std::move(context),
                      std::make_shared<openai_dialect>(model.provider == provider_kind::openai)),
      embeddings_(model.has(config::model_capability::embeddings)) {}

namespace {

struct embedding_state {
    std::string model;
    std::string body;
    size_t input_bytes = 0;
    std::optional<embedding_result> answer;
    std::function<void(result<embedding_result>)> done;

    std::optional<error> parse(size_t expected) {
        try {
            return parse_body(expected);
        } catch (const std::exception & e) {
            return invalid_response(model, std::string("the embeddings body does not have the expected shape: ") + e.what());
        }
    }

    std::optional<error> parse_body(size_t expected) {
        auto j = json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            return invalid_response(model, "the embeddings body is not a JSON object");
        }
        auto data = j.find("data");
        if (data == j.end() || !data->is_array() || data->size() != expected) {
            return invalid_response(model, "expected " + std::to_string(expected) + " embeddings in data");
        }
        embedding_result r;
        r.model = model;
        r.vectors.resize(expected);
        for (size_t i = 0; i < data->size(); ++i) {
            const auto & item = (*data)[i];
            size_t index = i;
            if (item.is_object() && item.contains("index") && item["index"].is_number_unsigned()) {
                index = item["index"].get<size_t>();
            }
            auto emb = item.is_object() ? item.find("embedding") : item.end();
            if (index >= expected || emb == item.end() || !emb->is_array()) {
                return invalid_response(model, "embedding " + std::to_string(i) + " is not a float array");
            }
            for (const auto & v : *emb) {
                const double x = v.is_number() ? v.get<double>() : 0.0;
                if (!v.is_number() || !(std::fabs(x) <= std::numeric_limits<float>::max())) {
                    return invalid_response(model, "embedding " + std::to_string(i) + " is not a float array");
                }
                r.vectors[index].push_back(static_cast<float>(x));
            }
        }
        if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
            r.tokens.prompt_tokens = json_count(*u, "prompt_tokens").value_or(0);
        } else {
            r.tokens.prompt_tokens = estimate_tokens(input_bytes);
        }
        answer = std::move(r);
        return std::nullopt;
    }
};

}  // namespace

void openai_compatible_provider::embed(const embedding_call & call,
                                       std::function<void(result<embedding_result>)> done) {
    if (!embeddings_) {
        return remote_provider::embed(call, std::move(done));
    }
    auto key = api_key();
    if (!key) {
        return done(key.err());
    }
    json body;
    body["model"] = name_;
    size_t expected = 0;
    auto st = std::make_shared<embedding_state>();
    if (!call.token_inputs.empty()) {
        body["input"] = call.token_inputs;
        expected = call.token_inputs.size();
        for (const auto & t : call.token_inputs) {
            st->input_bytes += t.size() * 4;
        }
    } else {
        body["input"] = call.inputs;
        expected = call.inputs.size();
        for (const auto & t : call.inputs) {
            st->input_bytes += t.size();
        }
    }
    body["encoding_format"] = "float";
    http_request_spec spec;
    spec.target = "/embeddings";
    spec.headers.emplace_back("Content-Type", "application/json");
    if (!key->empty()) {
        spec.headers.emplace_back("Authorization", "Bearer " + *key);
    }
    spec.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    st->model = name_;
    st->done = std::move(done);
    exchange_hooks hooks;
    hooks.on_success_head = [st](const header_map &) { st->body.clear(); };
    hooks.on_body = [st](std::string_view chunk) -> std::optional<error> {
        if (st->body.size() + chunk.size() > (256u << 20)) {
            return invalid_response(st->model, "the embeddings body is too large");
        }
        st->body.append(chunk);
        return std::nullopt;
    };
    hooks.on_complete = [st, expected] { return st->parse(expected); };
    hooks.committed = [] { return false; };
    hooks.wanted = [] { return true; };
    hooks.on_finish = [st](std::optional<error> failure) {
        if (failure) {
            st->done(std::move(*failure));
        } else {
            st->done(std::move(*st->answer));
        }
    };
    run_resilient_exchange(context_.client, *context_.runtime, plan(std::move(spec)), std::move(hooks));
}

}  // namespace tiergate::providers
