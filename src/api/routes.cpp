#include "api/routes.h"

#include <nlohmann/json.hpp>

#include <mutex>

#include "api/openai_format.h"
#include "api/openai_parse.h"
#include "api/request_accounting.h"

namespace tiergate::api {

namespace {

const std::string assistant_role = "assistant";

// Streams a generation as server-sent events. The HTTP status is chosen at
// the first event: a failure before any content is a real error response.
class stream_observer final : public generation_observer {
  public:
    stream_observer(std::shared_ptr<responder> r, response_meta meta, bool chat, bool logprobs, bool include_usage)
        : r_(std::move(r)), meta_(std::move(meta)), chat_(chat), logprobs_(logprobs), include_usage_(include_usage) {}

    void on_delta(generation_delta && d) override {
        begin();
        const auto * lp = logprobs_ ? &d.logprobs : nullptr;
        if (chat_) {
            r_->stream(sse_event(chat_chunk_body(meta_, nullptr, d.content, lp, nullptr)));
        } else {
            r_->stream(sse_event(text_chunk_body(meta_, d.content, lp, offset_, nullptr)));
            offset_ += d.content.size();
        }
    }

    void on_end(generation_end && end) override {
        if (end.failure) {
            if (!started_) {
                send_error(*r_, *end.failure);
                return;
            }
            r_->stream(sse_event(to_openai_json(*end.failure)));
            r_->end_stream();
            return;
        }
        begin();
        const std::string reason = end.finish_reason == "length" ? "length" : "stop";
        if (chat_) {
            r_->stream(sse_event(chat_chunk_body(meta_, nullptr, "", nullptr, &reason)));
        } else {
            r_->stream(sse_event(text_chunk_body(meta_, "", nullptr, offset_, &reason)));
        }
        if (include_usage_) {
            r_->stream(sse_event(usage_chunk_body(meta_, chat_ ? "chat.completion.chunk" : "text_completion", end.tokens)));
        }
        r_->stream(sse_done);
        r_->end_stream();
    }

    bool wanted() const override { return r_->alive(); }

  private:
    void begin() {
        if (started_) {
            return;
        }
        started_ = true;
        r_->start_stream({{"x-tiergate-model", meta_.model}});
        if (chat_) {
            r_->stream(sse_event(chat_chunk_body(meta_, &assistant_role, "", nullptr, nullptr)));
        }
    }

    std::shared_ptr<responder> r_;
    response_meta meta_;
    bool chat_;
    bool logprobs_;
    bool include_usage_;
    bool started_ = false;
    size_t offset_ = 0;
};

// Collects a generation and answers once.
class whole_observer final : public generation_observer {
  public:
    whole_observer(std::shared_ptr<responder> r, response_meta meta, bool chat, bool logprobs)
        : r_(std::move(r)), meta_(std::move(meta)), chat_(chat), logprobs_(logprobs) {}

    void on_delta(generation_delta && d) override {
        text_ += d.content;
        for (auto & lp : d.logprobs) {
            logprobs_list_.push_back(std::move(lp));
        }
    }

    void on_end(generation_end && end) override {
        if (end.failure) {
            send_error(*r_, *end.failure);
            return;
        }
        if (!end.model.empty()) {
            meta_.model = end.model;
        }
        const std::string reason = end.finish_reason == "length" ? "length" : "stop";
        const auto * lp = logprobs_ ? &logprobs_list_ : nullptr;
        r_->send(200,
                 chat_ ? chat_completion_body(meta_, text_, lp, reason, end.tokens)
                       : text_completion_body(meta_, text_, lp, reason, end.tokens),
                 {{"x-tiergate-model", meta_.model}});
    }

    bool wanted() const override { return r_->alive(); }

  private:
    std::shared_ptr<responder> r_;
    response_meta meta_;
    bool chat_;
    bool logprobs_;
    std::string text_;
    std::vector<token_logprob> logprobs_list_;
};

error unknown_model(const std::string & name) {
    std::string shown = name.size() > 200 ? name.substr(0, 200) + "..." : name;
    return error{error_kind::not_found, "the model '" + shown + "' does not exist; GET /v1/models lists the models",
                 "model", "model_not_found", {}};
}

}  // namespace

routes::routes(providers::registry & models, routes_options options) : models_(models), options_(std::move(options)) {}

void routes::handle(http_request && request, std::shared_ptr<responder> respond) {
    const auto & path = request.path;
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    auto method_not_allowed = [&](const char * allowed) {
        send_error(*respond,
                   error{error_kind::invalid_request, request.method + " is not allowed on " + path + "; use " + allowed,
                         "", "method_not_allowed", {}},
                   {{"Allow", allowed}});
    };
    std::shared_ptr<const auth::key_identity> who;
    if (path.rfind("/v1/", 0) == 0) {
        auto authenticated = authenticate(request);
        if (!authenticated) {
            return send_error(*respond, authenticated.err(), {{"WWW-Authenticate", "Bearer"}});
        }
        who = std::move(*authenticated);
    }
    if (path == "/v1/chat/completions" || path == "/v1/completions") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return chat_or_completion(std::move(request), std::move(respond), who.get(), path == "/v1/chat/completions");
    }
    if (path == "/v1/embeddings") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return embeddings(std::move(request), std::move(respond), who.get());
    }
    if (path == "/v1/models") {
        if (!get) {
            return method_not_allowed("GET");
        }
        return list_models(*respond);
    }
    if (path == "/health") {
        return health(*respond);
    }
    if (path == "/metrics" && options_.metrics_registry != nullptr) {
        if (!get) {
            return method_not_allowed("GET");
        }
        return respond->send(200, options_.metrics_registry->expose(), {}, obs::metrics_registry::content_type);
    }
    send_error(*respond, error{error_kind::not_found, "no route for " + request.method + " " +
                                                          (path.size() > 200 ? path.substr(0, 200) : path),
                               "", "unknown_route", {}});
}

void routes::chat_or_completion(http_request && request, std::shared_ptr<responder> respond,
                                const auth::key_identity * who, bool chat) {
    auto call = chat ? parse_chat_request(request.body) : parse_completion_request(request.body);
    if (!call) {
        return send_error(*respond, call.err());
    }
    providers::provider * p = models_.find(call->model);
    if (p == nullptr) {
        return send_error(*respond, unknown_model(call->model));
    }
    if (auto denied = authorize(who, *p)) {
        return send_error(*respond, *denied);
    }
    response_meta meta{new_response_id(chat ? "chatcmpl" : "cmpl"), unix_now(), p->name()};
    std::shared_ptr<generation_observer> observer;
    if (call->stream) {
        observer = std::make_shared<stream_observer>(respond, std::move(meta), chat, call->params.logprobs,
                                                     call->include_usage);
    } else {
        observer = std::make_shared<whole_observer>(respond, std::move(meta), chat, call->params.logprobs);
    }
    p->generate(*call, accounted(std::move(observer), *p));
}

void routes::embeddings(http_request && request, std::shared_ptr<responder> respond, const auth::key_identity * who) {
    auto call = parse_embedding_request(request.body);
    if (!call) {
        return send_error(*respond, call.err());
    }
    providers::provider * p = models_.find(call->model);
    if (p == nullptr) {
        return send_error(*respond, unknown_model(call->model));
    }
    if (auto denied = authorize(who, *p)) {
        return send_error(*respond, *denied);
    }
    if (!p->supports_embeddings()) {
        return send_error(*respond, error::invalid("the model '" + p->name() + "' does not serve embeddings", "model",
                                                   "unsupported_model"));
    }
    const bool base64 = call->base64;
    p->embed(*call, [respond, base64](result<embedding_result> r) {
        if (!r) {
            return send_error(*respond, r.err());
        }
        respond->send(200, embeddings_body(*r, base64));
    });
}

result<std::shared_ptr<const auth::key_identity>> routes::authenticate(const http_request & request) const {
    if (options_.keys == nullptr) {
        return std::shared_ptr<const auth::key_identity>();
    }
    if (const std::string * bearer = request.header("authorization")) {
        return options_.keys->authenticate(*bearer);
    }
    if (const std::string * key = request.header("x-api-key")) {
        return options_.keys->authenticate_key(*key);
    }
    return options_.keys->authenticate("");
}

std::optional<error> routes::authorize(const auth::key_identity * who, const providers::provider & model) const {
    if (who == nullptr) {
        return std::nullopt;
    }
    config::model_tier tier = config::model_tier::slm;
    if (options_.models_config != nullptr) {
        if (const auto * m = options_.models_config->find_model(model.name())) {
            tier = m->tier;
        }
    }
    auto allowed = auth::check_scope(*who, model.name(), tier);
    if (!allowed) {
        return allowed.err();
    }
    return std::nullopt;
}

std::shared_ptr<generation_observer> routes::accounted(std::shared_ptr<generation_observer> observer,
                                                       const providers::provider & model) const {
    if (options_.metrics == nullptr) {
        return observer;
    }
    request_labels labels{"slm", model.name(), "direct"};
    if (options_.models_config != nullptr) {
        if (const auto * m = options_.models_config->find_model(model.name())) {
            labels.tier = config::to_string(m->tier);
        }
    }
    return std::make_shared<accounting_observer>(std::move(observer), *options_.metrics, options_.models_config,
                                                 std::move(labels));
}

void routes::list_models(responder & respond) {
    nlohmann::json data = nlohmann::json::array();
    const int64_t now = unix_now();
    for (const auto & p : models_.all()) {
        data.push_back({{"id", p->name()}, {"object", "model"}, {"created", now}, {"owned_by", config::to_string(p->kind())}});
    }
    respond.send(200, nlohmann::json{{"object", "list"}, {"data", data}}.dump());
}

void routes::health(responder & respond) {
    if (!options_.ready()) {
        return send_error(respond, error{error_kind::unavailable, "models are still loading", "", "not_ready", {}});
    }
    respond.send(200, nlohmann::json{{"status", "ok"}, {"models", models_.all().size()}}.dump());
}

}  // namespace tiergate::api
