#include "api/routes.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "api/anthropic_observers.h"
#include "api/anthropic_parse.h"
#include "api/collected_answer.h"
#include "api/openai_format.h"
#include "api/route_headers.h"
#include "api/openai_parse.h"
#include "providers/openai_tool_wire.h"
#include "providers/token_estimate.h"

namespace tiergate::api {

namespace {

const std::string assistant_role = "assistant";

// Streams a generation as server-sent events. The HTTP status is chosen at
// the first event: a failure before any content is a real error response.
// The finish reasons an OpenAI client knows.
std::string finish_reason_for_client(const std::string & reason) {
    return reason == "length" || reason == "tool_calls" ? reason : "stop";
}

class stream_observer final : public generation_observer {
  public:
    stream_observer(std::shared_ptr<responder> r, response_meta meta, std::shared_ptr<gateway::response_route> route,
                    bool chat, bool logprobs, bool include_usage)
        : r_(std::move(r)),
          meta_(std::move(meta)),
          route_(std::move(route)),
          chat_(chat),
          logprobs_(logprobs),
          include_usage_(include_usage) {}

    void on_delta(generation_delta && d) override {
        begin();
        const auto * lp = logprobs_ ? &d.logprobs : nullptr;
        if (d.content.empty() && (lp == nullptr || lp->empty()) && d.tool_calls.empty()) {
            return;
        }
        if (chat_) {
            r_->stream(sse_event(chat_chunk_body(meta_, nullptr, d.content, lp, nullptr, &d.tool_calls)));
        } else {
            r_->stream(sse_event(text_chunk_body(meta_, d.content, lp, offset_, nullptr)));
            offset_ += d.content.size();
        }
    }

    void on_end(generation_end && end) override {
        if (end.failure) {
            if (!started_) {
                send_error(*r_, *end.failure, route_->model.empty() ? header_list{} : route_headers(*route_));
                return;
            }
            // content already reached the client: the stream ends with an error event
            r_->stream(sse_event(to_openai_json(*end.failure)));
            r_->end_stream();
            return;
        }
        begin();
        const std::string reason = finish_reason_for_client(end.finish_reason);
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
        meta_.model = route_->model;
        r_->start_stream(route_headers(*route_));
        if (chat_) {
            meta_.citations = &route_->citations;
            r_->stream(sse_event(chat_chunk_body(meta_, &assistant_role, "", nullptr, nullptr)));
            meta_.citations = nullptr;
        }
    }

    std::shared_ptr<responder> r_;
    response_meta meta_;
    std::shared_ptr<gateway::response_route> route_;
    bool chat_;
    bool logprobs_;
    bool include_usage_;
    bool started_ = false;
    size_t offset_ = 0;
};

// Collects a generation and answers once.
class whole_observer final : public generation_observer {
  public:
    whole_observer(std::shared_ptr<responder> r, response_meta meta, std::shared_ptr<gateway::response_route> route,
                   bool chat, bool logprobs)
        : r_(std::move(r)), meta_(std::move(meta)), route_(std::move(route)), chat_(chat), logprobs_(logprobs) {}

    void on_delta(generation_delta && d) override { answer_.add(std::move(d)); }

    void on_end(generation_end && end) override {
        if (end.failure) {
            send_error(*r_, *end.failure, route_->model.empty() ? header_list{} : route_headers(*route_));
            return;
        }
        meta_.model = route_->model;
        meta_.citations = &route_->citations;
        const std::string reason = finish_reason_for_client(end.finish_reason);
        const auto * lp = logprobs_ ? &answer_.logprobs : nullptr;
        r_->send(200,
                 chat_ ? chat_completion_body(meta_, answer_.text, lp, reason, end.tokens, answer_.tool_calls.calls())
                       : text_completion_body(meta_, answer_.text, lp, reason, end.tokens),
                 route_headers(*route_));
    }

    bool wanted() const override { return r_->alive(); }
    bool retractable() const override { return true; }
    void retract() override { answer_.clear(); }

  private:
    std::shared_ptr<responder> r_;
    response_meta meta_;
    std::shared_ptr<gateway::response_route> route_;
    bool chat_;
    bool logprobs_;
    collected_answer answer_;
};

error unknown_model(const std::string & name) {
    std::string shown = name.size() > 200 ? name.substr(0, 200) + "..." : name;
    return error{error_kind::not_found, "the model '" + shown + "' does not exist; GET /v1/models lists the models",
                 "model", "model_not_found", {}};
}

gateway::request_context context_of(const http_request & request, std::shared_ptr<const auth::key_identity> who,
                                    const char * id_prefix) {
    gateway::request_context ctx;
    ctx.request_id = new_response_id(id_prefix);
    ctx.who = std::move(who);
    ctx.headers = &request.headers;
    ctx.arrival_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return ctx;
}

}  // namespace

routes::routes(providers::registry & models, gateway::gateway & gateway, routes_options options)
    : models_(models), gateway_(gateway), options_(std::move(options)) {}

bool is_anthropic_path(const std::string & path) {
    return path == "/v1/messages" || path.rfind("/v1/messages/", 0) == 0;
}

std::string error_body_for(const std::string & path, const error & err) {
    return is_anthropic_path(path) ? to_anthropic_error_json(err) : to_openai_json(err);
}

void routes::handle(http_request && request, std::shared_ptr<responder> respond) {
    const auto & path = request.path;
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";
    const bool anthropic = is_anthropic_path(path);
    auto fail = [&](const error & err, header_list headers = {}) {
        anthropic ? send_anthropic_error(*respond, err, std::move(headers))
                  : send_error(*respond, err, std::move(headers));
    };
    auto method_not_allowed = [&](const char * allowed) {
        fail(error{error_kind::method_not_allowed, request.method + " is not allowed on " + path + "; use " + allowed, "",
                   "method_not_allowed", {}},
             {{"Allow", allowed}});
    };
    if (options_.admin != nullptr && options_.admin->owns(path)) {
        return options_.admin->handle(std::move(request), std::move(respond));
    }
    std::shared_ptr<const auth::key_identity> who;
    if (path.rfind("/v1/", 0) == 0) {
        auto authenticated = authenticate(request);
        if (!authenticated) {
            return fail(authenticated.err(), {{"WWW-Authenticate", "Bearer"}});
        }
        who = std::move(*authenticated);
    }
    if (knowledge_routes::owns(path)) {
        if (options_.knowledge == nullptr) {
            return fail(error{error_kind::not_found,
                              "files and vector stores need a knowledge store: add a `retrieval:` section to the config",
                              "", "retrieval_not_configured", {}});
        }
        knowledge_caller caller;
        caller.team = who ? who->team : std::string();
        caller.who = std::move(who);
        return options_.knowledge->handle(std::move(request), std::move(respond), std::move(caller));
    }
    if (path == "/v1/messages") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return messages(std::move(request), std::move(respond), std::move(who));
    }
    if (path == "/v1/messages/count_tokens") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return count_tokens(request, *respond);
    }
    if (path == "/v1/chat/completions" || path == "/v1/completions") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return chat_or_completion(std::move(request), std::move(respond), std::move(who), path == "/v1/chat/completions");
    }
    if (path == "/v1/route") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return route_only(std::move(request), *respond, std::move(who));
    }
    if (path == "/v1/embeddings") {
        if (!post) {
            return method_not_allowed("POST");
        }
        return embeddings(std::move(request), std::move(respond), std::move(who));
    }
    if (path == "/v1/models") {
        if (!get) {
            return method_not_allowed("GET");
        }
        return list_models(*respond);
    }
    if (path == "/health") {
        if (!get) {
            return method_not_allowed("GET");
        }
        return health(*respond);
    }
    if (path == "/ready") {
        if (!get) {
            return method_not_allowed("GET");
        }
        return readiness(*respond);
    }
    if (path == "/metrics" && options_.metrics_registry != nullptr) {
        if (!get) {
            return method_not_allowed("GET");
        }
        return respond->send(200, options_.metrics_registry->expose(), {}, obs::metrics_registry::content_type);
    }
    fail(error{error_kind::not_found, "no route for " + request.method + " " +
                                                          (path.size() > 200 ? path.substr(0, 200) : path),
                               "", "unknown_route", {}});
}

void routes::chat_or_completion(http_request && request, std::shared_ptr<responder> respond,
                                std::shared_ptr<const auth::key_identity> who, bool chat) {
    auto call = chat ? parse_chat_request(request.body) : parse_completion_request(request.body);
    if (!call) {
        return send_error(*respond, call.err());
    }
    if (!knows_model(call->model)) {
        return send_error(*respond, unknown_model(call->model));
    }
    if (options_.overloaded()) {
        return send_error(*respond, error{error_kind::unavailable, "the usage ledger is backlogged; retry shortly", "",
                                          "overloaded", 1});
    }
    auto ctx = context_of(request, std::move(who), chat ? "chatcmpl" : "cmpl");
    response_meta meta{ctx.request_id, unix_now(), call->model};
    auto route = std::make_shared<gateway::response_route>();
    std::shared_ptr<generation_observer> observer;
    if (call->stream) {
        observer = std::make_shared<stream_observer>(respond, std::move(meta), route, chat, call->params.logprobs,
                                                     call->include_usage);
    } else {
        observer = std::make_shared<whole_observer>(respond, std::move(meta), route, chat, call->params.logprobs);
    }
    generate(std::move(ctx), std::move(*call), std::move(route), std::move(observer));
}

void routes::messages(http_request && request, std::shared_ptr<responder> respond,
                      std::shared_ptr<const auth::key_identity> who) {
    auto call = parse_messages_request(request.body);
    if (!call) {
        return send_anthropic_error(*respond, call.err());
    }
    if (!knows_model(call->model)) {
        return send_anthropic_error(*respond, unknown_model(call->model));
    }
    if (options_.overloaded()) {
        return send_anthropic_error(*respond, error{error_kind::unavailable,
                                                    "the usage ledger is backlogged; retry shortly", "", "overloaded", 1});
    }
    auto ctx = context_of(request, std::move(who), "msg");
    response_meta meta{ctx.request_id, unix_now(), call->model};
    auto route = std::make_shared<gateway::response_route>();
    auto observer = make_anthropic_observer(respond, std::move(meta), route, call->stream);
    generate(std::move(ctx), std::move(*call), std::move(route), std::move(observer));
}

bool routes::knows_model(const std::string & model) const {
    return (options_.front != nullptr && options_.front->serves(model)) || gateway_.knows_model(model);
}

void routes::generate(gateway::request_context ctx, generation_call call, std::shared_ptr<gateway::response_route> route,
                      std::shared_ptr<generation_observer> observer) {
    if (options_.front != nullptr && options_.front->serves(call.model)) {
        return options_.front->generate(std::move(ctx), std::move(call), std::move(route), std::move(observer));
    }
    gateway_.generate(std::move(ctx), std::move(call), std::move(route), std::move(observer));
}

void routes::count_tokens(const http_request & request, responder & respond) {
    auto call = parse_messages_request(request.body, true);
    if (!call) {
        return send_anthropic_error(respond, call.err());
    }
    if (!knows_model(call->model)) {
        return send_anthropic_error(respond, unknown_model(call->model));
    }
    // the gateway's own estimate, the one budgets and routing use
    const int tokens = providers::estimate_tokens(providers::prompt_bytes(*call));
    respond.send(200, nlohmann::json{{"input_tokens", tokens}}.dump());
}

void routes::route_only(http_request && request, responder & respond, std::shared_ptr<const auth::key_identity> who) {
    // the body of a chat completion; "prompt" instead of "messages" for a text completion; a
    // Messages API body when the request says `anthropic-version`, as Anthropic clients do
    const bool anthropic = request.header("anthropic-version") != nullptr;
    const bool completion = !anthropic && is_completion_body(request.body);
    auto call = anthropic    ? parse_messages_request(request.body)
                : completion ? parse_completion_request(request.body)
                             : parse_chat_request(request.body);
    auto fail = [&](const error & e) { anthropic ? send_anthropic_error(respond, e) : send_error(respond, e); };
    if (!call) {
        return fail(call.err());
    }
    if (!knows_model(call->model)) {
        return fail(unknown_model(call->model));
    }
    auto ctx = context_of(request, std::move(who), "route");
    auto decision = options_.front != nullptr && options_.front->serves(call->model) ? options_.front->explain(ctx, *call)
                                                                                      : gateway_.explain(ctx, *call);
    if (!decision) {
        return fail(decision.err());
    }
    respond.send(200, decision->dump());
}

void routes::embeddings(http_request && request, std::shared_ptr<responder> respond,
                        std::shared_ptr<const auth::key_identity> who) {
    auto call = parse_embedding_request(request.body);
    if (!call) {
        return send_error(*respond, call.err());
    }
    providers::provider * p = models_.find(call->model);
    if (p == nullptr) {
        return send_error(*respond, unknown_model(call->model));
    }
    if (!p->supports_embeddings()) {
        return send_error(*respond, error::invalid("the model '" + p->name() + "' does not serve embeddings", "model",
                                                   "unsupported_model"));
    }
    auto ctx = context_of(request, std::move(who), "emb");
    const bool base64 = call->base64;
    auto route = std::make_shared<gateway::response_route>();
    gateway_.embed(std::move(ctx), std::move(*call), route, [respond, base64, route](result<embedding_result> r) {
        if (!r) {
            return send_error(*respond, r.err());
        }
        respond->send(200, embeddings_body(*r, base64), route_headers(*route));
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

void routes::list_models(responder & respond) {
    nlohmann::json data = nlohmann::json::array();
    const int64_t now = unix_now();
    data.push_back({{"id", gateway_.router_model_name()}, {"object", "model"}, {"created", now}, {"owned_by", "tiergate"}});
    if (options_.front != nullptr) {
        for (const auto & name : options_.front->model_names()) {
            data.push_back({{"id", name}, {"object", "model"}, {"created", now}, {"owned_by", "tiergate-agents"}});
        }
    }
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

void routes::readiness(responder & respond) {
    if (!options_.ready()) {
        return send_error(respond, error{error_kind::unavailable, "models are still loading", "", "not_ready", 1});
    }
    if (options_.draining()) {
        return send_error(respond, error{error_kind::unavailable, "the server is draining for a shutdown", "",
                                         "draining", {}});
    }
    if (options_.overloaded()) {
        return send_error(respond, error{error_kind::unavailable, "the usage ledger is backlogged; retry shortly", "",
                                         "overloaded", 1});
    }
    respond.send(200, nlohmann::json{{"status", "ready"}}.dump());
}

}  // namespace tiergate::api
