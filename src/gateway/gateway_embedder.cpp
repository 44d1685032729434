#include "gateway/gateway_embedder.h"

#include "core/request_id.h"

#include <atomic>
#include <chrono>
#include <future>

namespace tiergate::gateway {

namespace {

// The longest the knowledge layer's thread waits for one batch's vectors.
constexpr std::chrono::seconds max_wait{300};

}  // namespace

gateway_embedder::gateway_embedder(std::string model, bool on_prem, rag::token_counter count, size_t batch)
    : model_(std::move(model)), on_prem_(on_prem), count_(std::move(count)), batch_(std::max<size_t>(batch, 1)) {}

result<std::vector<std::vector<float>>> gateway_embedder::embed(const std::vector<std::string> & texts,
                                                                const knowledge_caller & caller) {
    if (texts.empty()) {
        return std::vector<std::vector<float>>{};
    }
    if (gateway_ == nullptr) {
        return error{error_kind::unavailable, "the gateway is starting; retry shortly", "", "starting", 1};
    }
    request_context ctx;
    // one ledger row per batch: an id of its own, after the request it serves
    ctx.request_id = new_request_id(caller.request_id.empty() ? "embd" : (caller.request_id + "-embd").c_str());
    ctx.who = caller.who;
    ctx.arrival_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    embedding_call call;
    call.model = model_;
    call.inputs = texts;
    struct pending {
        std::promise<result<embedding_result>> promise;
        std::atomic_flag answered = ATOMIC_FLAG_INIT;
    };
    auto done = std::make_shared<pending>();
    auto answer = done->promise.get_future();
    gateway_->embed(std::move(ctx), std::move(call), std::make_shared<response_route>(),
                    [done](result<embedding_result> r) {
                        if (!done->answered.test_and_set()) {  // the first answer counts
                            done->promise.set_value(std::move(r));
                        }
                    });
    if (answer.wait_for(max_wait) != std::future_status::ready) {
        return error{error_kind::timeout,
                     "the embedding model '" + model_ + "' did not answer within " + std::to_string(max_wait.count()) +
                         " s",
                     "", "rag_embedding_timeout", {}};
    }
    auto r = answer.get();
    if (!r) {
        error e = r.err();
        e.message = "embedding with '" + model_ + "': " + e.message;
        return e;
    }
    if (r->vectors.size() != texts.size()) {
        return error{error_kind::upstream,
                     "the embedding model '" + model_ + "' answered " + std::to_string(r->vectors.size()) +
                         " vectors for " + std::to_string(texts.size()) + " texts",
                     "", "rag_embedding_failed", {}};
    }
    return std::move(r->vectors);
}

}  // namespace tiergate::gateway
