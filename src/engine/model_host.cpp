#include "engine/model_host.h"

#include "engine/llama_backend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "common.h"
#include "engine/bounded_tokenize.h"
#include "engine/chat_format.h"
#include "engine/text_releaser.h"
#include "engine/token_probs.h"
#include "engine/worker_pool.h"
#include "ggml-cpu.h"
#include "json-schema-to-grammar.h"
#include "engine/tool_format.h"
#include "json.h"
#include "llama.h"
#include "sampling.h"

namespace tiergate::engine {

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

struct slot {
    int32_t id = 0;
    std::vector<llama_token> cache;  // tokens whose KV entries this sequence holds
    std::optional<generation_request> req;
    common_sampler_ptr sampler;
    bool greedy_argmax = false;    // temperature <= 0 with nothing that reshapes the distribution
    std::optional<text_releaser> releaser;
    size_t prompt_pos = 0;         // next prompt token to evaluate
    int32_t cached_prompt = 0;     // prompt tokens reused from the cache
    int32_t generated = 0;
    std::optional<llama_token> next_input;  // sampled, not yet decoded
    int32_t batch_index = -1;      // row of this step's logits, -1 if none
    clock_type::time_point submitted;
    std::optional<double> ttft_ms;

    bool busy() const { return req.has_value(); }
    bool prefilling() const { return busy() && prompt_pos < req->prompt_tokens.size(); }
};

// What a caller hears once the model is stopping.
error shutting_down() { return error{error_kind::unavailable, "the model is shutting down", "", "shutdown", {}}; }

// The most input bytes one token can stand for, for the byte bound of bounded_tokenize:
// SPM and byte-level BPE vocabularies drop no input, so a token covers at most its own
// piece. 0 (no bound) for other tokenizers, and, in `special`, for special-token parsing
// when a special token strips the whitespace around it. One pass over the vocabulary.
struct token_byte_bounds {
    size_t plain = 0;
    size_t special = 0;
};

token_byte_bounds max_token_bytes(const llama_vocab * vocab) {
    const enum llama_vocab_type type = llama_vocab_type(vocab);
    if (type != LLAMA_VOCAB_TYPE_SPM && type != LLAMA_VOCAB_TYPE_BPE) {
        return {};
    }
    size_t longest = 1;
    bool strips = false;
    const int32_t n = llama_vocab_n_tokens(vocab);
    for (int32_t t = 0; t < n; ++t) {
        const llama_token_attr attr = llama_vocab_get_attr(vocab, t);
        const bool special = (attr & (LLAMA_TOKEN_ATTR_CONTROL | LLAMA_TOKEN_ATTR_USER_DEFINED)) != 0;
        strips = strips || (special && (attr & (LLAMA_TOKEN_ATTR_LSTRIP | LLAMA_TOKEN_ATTR_RSTRIP)) != 0);
        longest = std::max(longest, common_token_to_piece(vocab, t, true).size());
    }
    return {longest, strips ? 0 : longest};
}

// The first most probable token: what llama.cpp's sampler chain picks at temperature <= 0
// when no penalty, grammar or logit bias applies, without copying the vocabulary into a
// candidate array and running the chain.
llama_token argmax(const float * logits, int32_t n_vocab) {
    llama_token best = 0;
    for (int32_t i = 1; i < n_vocab; ++i) {
        if (logits[i] > logits[best]) {
            best = i;
        }
    }
    return best;
}

size_t common_prefix(const std::vector<llama_token> & a, const std::vector<int32_t> & b) {
    size_t n = std::min(a.size(), b.size());
    size_t i = 0;
    while (i < n && a[i] == b[i]) {
        ++i;
    }
    return i;
}

}  // namespace

struct model_host::impl {
    model_options options;
    llama_model * model = nullptr;
    llama_context * ctx = nullptr;
    llama_context * emb_ctx = nullptr;  // created on the first embedding request
    // One persistent pool of compute threads for every decode. Without it, ggml starts and
    // joins a fresh set of threads on each llama_decode call, which on a busy machine costs
    // more than decoding a token of a small model.
    ggml_threadpool * threadpool = nullptr;
    const llama_vocab * vocab = nullptr;
    std::unique_ptr<chat_format> format;
    int32_t n_ctx_slot = 0;
    int32_t n_vocab = 0;
    size_t max_token_bytes_plain = 0;    // bounded_tokenize's byte bound, parse_special off
    size_t max_token_bytes_special = 0;  // and on
    std::unique_ptr<worker_pool> preparation;
    llama_batch batch{};

    std::vector<slot> slots;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<generation_request> gen_queue;
    std::deque<embedding_request> emb_queue;
    bool stopping = false;
    std::thread thread;

    std::atomic<int32_t> active{0};
    std::atomic<int32_t> queued{0};
    std::atomic<int32_t> embeddings_pending{0};  // embedding requests submitted and not yet answered
    std::atomic<int64_t> decode_steps{0};
    std::atomic<int64_t> prompt_evaluated{0};
    std::atomic<int64_t> prompt_reused{0};
    std::atomic<int64_t> generated{0};

    ~impl() {
        if (preparation) {
            preparation->shutdown();  // jobs still queued run now, and hear that the model is stopping
        }
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        if (thread.joinable()) {
            thread.join();
        }
        for (auto & s : slots) {
            s.sampler.reset();
        }
        if (batch.token != nullptr) {
            llama_batch_free(batch);
        }
        if (emb_ctx != nullptr) {
            llama_free(emb_ctx);
        }
        if (ctx != nullptr) {
            llama_free(ctx);
        }
        if (threadpool != nullptr) {
            ggml_threadpool_free(threadpool);
        }
        if (model != nullptr) {
            llama_model_free(model);
        }
    }

    void run();
    void admit_tasks();
    void finish(slot & s, finish_reason reason, std::optional<error> failure = {});
    bool start(slot & s, generation_request && req);
    void step();
    void after_decode();
    void run_embeddings(embedding_request & req);
};

model_host::model_host() : impl_(std::make_unique<impl>()) {}
model_host::~model_host() = default;

result<std::unique_ptr<model_host>> model_host::load(const model_options & options) {
    init_llama_backend();

    std::unique_ptr<model_host> host(new model_host());
    auto & d = *host->impl_;
    d.options = options;

    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    d.model = llama_model_load_from_file(options.path.c_str(), mp);
    if (d.model == nullptr) {
        return error{error_kind::internal, "cannot load model '" + options.name + "' from " + options.path, "", "model_load_failed", {}};
    }
    d.vocab = llama_model_get_vocab(d.model);
    d.n_vocab = llama_vocab_n_tokens(d.vocab);
    const token_byte_bounds bounds = max_token_bytes(d.vocab);
    d.max_token_bytes_plain = bounds.plain;
    d.max_token_bytes_special = bounds.special;

    const int32_t parallel = std::max(1, options.parallel);
    int32_t ctx_slot = options.ctx_per_slot;
    if (ctx_slot <= 0) {
        ctx_slot = std::min(llama_model_n_ctx_train(d.model), 4096);
    }
    d.n_ctx_slot = std::max(ctx_slot, 8);

    const int32_t threads = options.threads > 0 ? options.threads
                                                : static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = static_cast<uint32_t>(d.n_ctx_slot * parallel);
    cp.n_batch = static_cast<uint32_t>(std::max(options.batch, parallel));
    cp.n_ubatch = cp.n_batch;
    cp.n_seq_max = static_cast<uint32_t>(parallel);
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    cp.kv_unified = true;
    cp.no_perf = true;
    d.ctx = llama_init_from_model(d.model, cp);
    if (d.ctx == nullptr) {
        return error{error_kind::internal, "cannot create a context for model '" + options.name + "'", "", "context_failed", {}};
    }
    ggml_threadpool_params tpp = ggml_threadpool_params_default(threads);
    d.threadpool = ggml_threadpool_new(&tpp);
    if (d.threadpool != nullptr) {
        llama_attach_threadpool(d.ctx, d.threadpool, nullptr);
    }
    d.batch = llama_batch_init(static_cast<int32_t>(cp.n_batch), 0, parallel);
    d.format = std::make_unique<chat_format>(d.model);

    d.slots.resize(parallel);
    for (int32_t i = 0; i < parallel; ++i) {
        d.slots[i].id = i;
    }
    d.thread = std::thread([&d] { d.run(); });
    d.preparation = std::make_unique<worker_pool>(2);
    return host;
}

const std::string & model_host::name() const { return impl_->options.name; }
const std::string & model_host::path() const { return impl_->options.path; }
const std::string & model_host::version() const { return impl_->options.version; }
int32_t model_host::ctx_per_slot() const { return impl_->n_ctx_slot; }
int32_t model_host::n_vocab() const { return impl_->n_vocab; }
int32_t model_host::n_embd() const { return llama_model_n_embd(impl_->model); }
int64_t model_host::n_params() const { return static_cast<int64_t>(llama_model_n_params(impl_->model)); }
uint64_t model_host::weight_bytes() const { return llama_model_size(impl_->model); }
bool model_host::embeddings_enabled() const { return impl_->options.embeddings; }

std::vector<int32_t> model_host::tokenize(std::string_view text, bool add_special, bool parse_special) const {
    return common_tokenize(impl_->vocab, std::string(text), add_special, parse_special);
}

result<std::vector<int32_t>> model_host::tokenize_prompt(std::string_view text, bool add_special, bool parse_special,
                                                         prompt_use use, const std::string & param) const {
    const auto & d = *impl_;
    bounded_tokenize_options o;
    // a generation needs room for one completion token (see submit)
    o.max_tokens = static_cast<size_t>(use == prompt_use::generation ? d.n_ctx_slot - 1 : d.n_ctx_slot);
    o.max_token_bytes = parse_special ? d.max_token_bytes_special : d.max_token_bytes_plain;
    bounded_tokens out = tokenize_bounded(text, o, [&](std::string_view piece, bool first) {
        return common_tokenize(d.vocab, std::string(piece), add_special && first, parse_special);
    });
    if (!out.over_limit) {
        return std::move(out.tokens);
    }
    const std::string count = out.exact_count ? std::to_string(out.at_least) + " tokens"
                                              : "more than " + std::to_string(o.max_tokens) + " tokens";
    std::string message = use == prompt_use::generation
                              ? "this model's context is " + std::to_string(d.n_ctx_slot) + " tokens; the prompt has " +
                                    count + " and leaves no room for the completion"
                              : "an embedding input has " + count + "; this model's context is " + std::to_string(d.n_ctx_slot);
    return error{error_kind::invalid_request, std::move(message), param, "context_length_exceeded", {}};
}

bool model_host::post_preparation(std::function<void()> job) {
    return impl_->preparation->post(std::move(job));
}

std::string model_host::token_piece(int32_t token) const {
    if (token < 0 || token >= impl_->n_vocab) {
        return {};
    }
    return common_token_to_piece(impl_->vocab, token, false);
}

result<chat_prompt> model_host::render_chat(const std::vector<chat_message> & messages, const chat_tools * tools) const {
    return impl_->format->render(messages, tools);
}

result<std::string> model_host::grammar_for_schema(const std::string & schema_json) const {
    try {
        common_json schema = common_json::parse(schema_json);
        std::string grammar = json_schema_to_grammar(schema);
        if (grammar.empty()) {
            return error::invalid("the JSON schema could not be turned into a grammar", "response_format");
        }
        return grammar;
    } catch (const std::exception & e) {
        return error::invalid(std::string("unsupported JSON schema: ") + e.what(), "response_format");
    }
}

result<bool> model_host::submit(generation_request request) {
    auto & d = *impl_;
    const auto n_prompt = static_cast<int32_t>(request.prompt_tokens.size());
    if (n_prompt == 0) {
        return error::invalid("the prompt is empty", "messages");
    }
    if (n_prompt >= d.n_ctx_slot) {
        return error{error_kind::invalid_request,
                     "this model's context is " + std::to_string(d.n_ctx_slot) + " tokens; the prompt has " +
                         std::to_string(n_prompt) + " tokens and leaves no room for the completion",
                     "messages", "context_length_exceeded", {}};
    }
    for (int32_t t : request.prompt_tokens) {
        if (t < 0 || t >= d.n_vocab) {
            return error::invalid("token id " + std::to_string(t) + " is outside the vocabulary", "prompt");
        }
    }
    if (!request.sink) {
        return error{error_kind::internal, "generation without a sink", "", "", {}};
    }
    {
        std::lock_guard lock(d.mutex);
        if (d.stopping) {
            return shutting_down();
        }
        d.gen_queue.push_back(std::move(request));
        d.queued.store(static_cast<int32_t>(d.gen_queue.size()));
    }
    d.wake.notify_one();
    return true;
}

result<bool> model_host::submit(embedding_request request) {
    auto & d = *impl_;
    if (!d.options.embeddings) {
        return error::invalid("model '" + d.options.name + "' does not serve embeddings", "model");
    }
    for (const auto & input : request.inputs) {
        if (input.empty()) {
            return error::invalid("an embedding input is empty", "input");
        }
        if (static_cast<int32_t>(input.size()) > d.n_ctx_slot) {
            return error{error_kind::invalid_request,
                         "an embedding input has " + std::to_string(input.size()) + " tokens; this model's context is " +
                             std::to_string(d.n_ctx_slot),
                         "input", "context_length_exceeded", {}};
        }
        for (int32_t t : input) {
            if (t < 0 || t >= d.n_vocab) {
                return error::invalid("token id " + std::to_string(t) + " is outside the vocabulary", "input");
            }
        }
    }
    {
        std::lock_guard lock(d.mutex);
        if (d.stopping) {
            return shutting_down();
        }
        d.emb_queue.push_back(std::move(request));
        d.embeddings_pending.fetch_add(1);
    }
    d.wake.notify_one();
    return true;
}

host_stats model_host::stats() const {
    const auto & d = *impl_;
    host_stats s;
    s.slots = static_cast<int32_t>(d.slots.size());
    // queued before active: a task moves from the queue to a slot by raising
    // active first, so these two reads never both miss it (engine::reap relies on it)
    s.queued = d.queued.load() + d.embeddings_pending.load();
    s.active = d.active.load();
    s.decode_steps = d.decode_steps.load();
    s.prompt_tokens_evaluated = d.prompt_evaluated.load();
    s.prompt_tokens_reused = d.prompt_reused.load();
    s.tokens_generated = d.generated.load();
    return s;
}

// ---- inference thread -------------------------------------------------------

void model_host::impl::run() {
    for (;;) {
        std::deque<embedding_request> embeddings;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] {
                return stopping || !emb_queue.empty() || active.load() > 0 || !gen_queue.empty();
            });
            if (stopping) {
                break;
            }
            embeddings.swap(emb_queue);
        }
        for (auto & e : embeddings) {
            run_embeddings(e);
            embeddings_pending.fetch_sub(1);
        }
        admit_tasks();
        if (active.load() > 0) {
            step();
        }
    }
    // shutting down: every caller still waiting hears about it
    for (auto & s : slots) {
        if (s.busy()) {
            finish(s, finish_reason::error, shutting_down());
        }
    }
    std::deque<generation_request> rest;
    std::deque<embedding_request> rest_emb;
    {
        std::lock_guard lock(mutex);
        rest.swap(gen_queue);
        rest_emb.swap(emb_queue);
    }
    for (auto & r : rest) {
        generation_result res;
        res.reason = finish_reason::error;
        res.failure = shutting_down();
        r.sink->on_done(res);
    }
    for (auto & r : rest_emb) {
        r.done(shutting_down());
    }
}

void model_host::impl::admit_tasks() {
    std::deque<generation_request> cancelled;
    {
        std::lock_guard lock(mutex);
        // drop queued tasks whose client went away
        for (auto it = gen_queue.begin(); it != gen_queue.end();) {
            if (it->cancelled->load()) {
                cancelled.push_back(std::move(*it));
                it = gen_queue.erase(it);
            } else {
                ++it;
            }
        }
        while (!gen_queue.empty()) {
            // the free slot whose cache shares the longest prefix with the prompt
            slot * best = nullptr;
            size_t best_len = 0;
            for (auto & s : slots) {
                if (s.busy()) {
                    continue;
                }
                size_t len = common_prefix(s.cache, gen_queue.front().prompt_tokens);
                if (best == nullptr || len > best_len) {
                    best = &s;
                    best_len = len;
                }
            }
            if (best == nullptr) {
                break;
            }
            generation_request req = std::move(gen_queue.front());
            gen_queue.pop_front();
            start(*best, std::move(req));
        }
        queued.store(static_cast<int32_t>(gen_queue.size()));
    }
    for (auto & r : cancelled) {
        generation_result res;
        res.reason = finish_reason::cancelled;
        res.prompt_tokens = static_cast<int32_t>(r.prompt_tokens.size());
        r.sink->on_done(res);
    }
}

bool model_host::impl::start(slot & s, generation_request && req) {
    common_params_sampling sp;
    sp.temp = req.sampling.temperature;
    sp.top_p = req.sampling.top_p;
    sp.top_k = req.sampling.top_k;
    sp.min_p = req.sampling.min_p;
    sp.penalty_freq = req.sampling.frequency_penalty;
    sp.penalty_present = req.sampling.presence_penalty;
    // the whole slot: llama.cpp's sampler takes -1 as 0, which turns the penalties off
    sp.penalty_last_n = n_ctx_slot;
    sp.seed = req.sampling.seed.value_or(LLAMA_DEFAULT_SEED);
    sp.ignore_eos = req.ignore_eos;
    sp.no_perf = true;
    if (!req.grammar.empty()) {
        sp.grammar = common_grammar(COMMON_GRAMMAR_TYPE_USER, req.grammar);
    } else if (req.tools && !req.tools->params.grammar.empty()) {
        // the tool format's grammar, as llama-server applies it
        const auto & cp = req.tools->params;
        // the generic format's grammar covers the answer from its first token (no prefill)
        sp.grammar = common_grammar(req.tools->generic ? COMMON_GRAMMAR_TYPE_USER : COMMON_GRAMMAR_TYPE_TOOL_CALLS,
                                    cp.grammar);
        sp.grammar_lazy = cp.grammar_lazy;
        sp.generation_prompt = cp.generation_prompt;
        for (const auto & t : cp.preserved_tokens) {
            auto ids = common_tokenize(vocab, t, false, true);
            if (ids.size() == 1) {
                sp.preserved_tokens.insert(ids[0]);
            }
        }
        for (const auto & t : cp.grammar_triggers) {
            if (t.type == COMMON_GRAMMAR_TRIGGER_TYPE_WORD) {
                auto ids = common_tokenize(vocab, t.value, false, true);
                if (ids.size() == 1 && sp.preserved_tokens.count(ids[0]) != 0) {
                    sp.grammar_triggers.push_back({COMMON_GRAMMAR_TRIGGER_TYPE_TOKEN, t.value, ids[0]});
                    continue;
                }
            }
            sp.grammar_triggers.push_back(t);
        }
    }
    for (const auto & [token, bias] : req.logit_bias) {
        sp.logit_bias.push_back({token, bias});
    }
    common_sampler * sampler = nullptr;
    try {
        sampler = common_sampler_init(model, sp);
    } catch (const std::exception &) {
        sampler = nullptr;
    }
    if (sampler == nullptr) {
        generation_result res;
        res.reason = finish_reason::error;
        res.failure = error::invalid("the grammar could not be parsed", "response_format");
        req.sink->on_done(res);
        return false;
    }

    size_t reuse = common_prefix(s.cache, req.prompt_tokens);
    if (reuse >= req.prompt_tokens.size()) {
        reuse = req.prompt_tokens.size() - 1;  // the last prompt token is evaluated again for its logits
    }
    llama_memory_seq_rm(llama_get_memory(ctx), s.id, static_cast<llama_pos>(reuse), -1);
    s.cache.resize(reuse);

    // the penalties count the prompt's tokens too, as llama-server's do
    if (req.sampling.frequency_penalty != 0.0f || req.sampling.presence_penalty != 0.0f) {
        for (int32_t t : req.prompt_tokens) {
            common_sampler_accept(sampler, t, false);
        }
    }
    s.sampler.reset(sampler);
    int32_t n_suppress = 0;
    llama_vocab_get_suppress_tokens(vocab, &n_suppress);
    s.greedy_argmax = req.sampling.temperature <= 0.0f && req.grammar.empty() && sp.grammar.empty() &&
                      req.logit_bias.empty() && !req.ignore_eos &&
                      n_suppress == 0 &&
                      req.sampling.frequency_penalty == 0.0f && req.sampling.presence_penalty == 0.0f;
    s.releaser.emplace(req.stop);
    s.prompt_pos = reuse;
    s.cached_prompt = static_cast<int32_t>(reuse);
    s.generated = 0;
    s.next_input.reset();
    s.batch_index = -1;
    s.submitted = clock_type::now();
    s.ttft_ms.reset();
    s.req.emplace(std::move(req));
    prompt_reused += static_cast<int64_t>(reuse);
    active.fetch_add(1);
    return true;
}

void model_host::impl::finish(slot & s, finish_reason reason, std::optional<error> failure) {
    generation_result res;
    res.reason = reason;
    res.text_delta = (reason == finish_reason::stop || reason == finish_reason::length) ? s.releaser->finish() : std::string();
    res.text = s.releaser->text();
    res.prompt_tokens = static_cast<int32_t>(s.req->prompt_tokens.size());
    res.completion_tokens = s.generated;
    res.cached_prompt_tokens = s.cached_prompt;
    res.ttft_ms = s.ttft_ms.value_or(0.0);
    res.total_ms = ms_since(s.submitted);
    res.failure = std::move(failure);
    auto sink = std::move(s.req->sink);
    if (s.next_input) {
        // the last sampled token was never decoded: the cache stays consistent without it
        s.next_input.reset();
    }
    s.req.reset();
    s.sampler.reset();
    s.releaser.reset();
    s.batch_index = -1;
    active.fetch_sub(1);
    sink->on_done(res);
}

void model_host::impl::step() {
    // cancelled requests leave before the next decode
    for (auto & s : slots) {
        if (s.busy() && s.req->cancelled->load()) {
            finish(s, finish_reason::cancelled);
        }
    }

    common_batch_clear(batch);
    const auto capacity = static_cast<int32_t>(llama_n_batch(ctx));
    // generating slots first: one token each, so decoding never waits on a prefill
    for (auto & s : slots) {
        s.batch_index = -1;
        if (s.busy() && !s.prefilling() && s.next_input) {
            s.batch_index = batch.n_tokens;
            common_batch_add(batch, *s.next_input, static_cast<llama_pos>(s.cache.size()), {s.id}, true);
            s.cache.push_back(*s.next_input);
            s.next_input.reset();
        }
    }
    // then prompt chunks in the room that is left
    for (auto & s : slots) {
        if (!s.prefilling()) {
            continue;
        }
        const auto & prompt = s.req->prompt_tokens;
        while (s.prompt_pos < prompt.size() && batch.n_tokens < capacity) {
            const bool last = s.prompt_pos + 1 == prompt.size();
            if (last) {
                s.batch_index = batch.n_tokens;
            }
            common_batch_add(batch, prompt[s.prompt_pos], static_cast<llama_pos>(s.cache.size()), {s.id}, last);
            s.cache.push_back(prompt[s.prompt_pos]);
            ++s.prompt_pos;
            ++prompt_evaluated;
        }
    }
    if (batch.n_tokens == 0) {
        return;
    }
    const int32_t rc = llama_decode(ctx, batch);
    ++decode_steps;
    if (rc != 0) {
        for (auto & s : slots) {
            if (s.busy() && s.batch_index >= 0) {
                // the KV state of this sequence is unknown now: start it afresh next time
                llama_memory_seq_rm(llama_get_memory(ctx), s.id, -1, -1);
                s.cache.clear();
                finish(s, finish_reason::error,
                       error{error_kind::internal, "decoding failed (code " + std::to_string(rc) + ")", "", "decode_failed", {}});
            }
        }
        return;
    }
    after_decode();
}

void model_host::impl::after_decode() {
    for (auto & s : slots) {
        if (!s.busy() || s.batch_index < 0) {
            continue;
        }
        const int32_t idx = s.batch_index;
        s.batch_index = -1;
        auto & req = *s.req;

        const float * logits = llama_get_logits_ith(ctx, idx);
        const llama_token token = s.greedy_argmax && logits != nullptr
                                      ? argmax(logits, n_vocab)
                                      : common_sampler_sample(s.sampler.get(), ctx, idx);
        common_sampler_accept(s.sampler.get(), token, true);
        if (!s.ttft_ms) {
            s.ttft_ms = ms_since(s.submitted);
        }

        if (llama_vocab_is_eog(vocab, token) && !req.ignore_eos) {
            finish(s, finish_reason::stop);
            continue;
        }

        token_event ev;
        ev.token = token;
        ev.index = s.generated;
        ev.piece = common_token_to_piece(vocab, token, false);
        if (logits != nullptr && (req.logprobs || req.n_top_logprobs > 0)) {
            token_logprobs lp = compute_logprobs(logits, n_vocab, token, req.n_top_logprobs);
            ev.logprob = lp.chosen;
            ev.top.reserve(lp.top.size());
            for (const auto & [t, v] : lp.top) {
                ev.top.push_back({t, common_token_to_piece(vocab, t, false), v});
            }
        }
        ev.text_delta = s.releaser->push(ev.piece);
        ++s.generated;
        ++generated;

        const bool keep_going = req.sink->on_token(ev);
        if (!keep_going || req.cancelled->load()) {
            finish(s, finish_reason::cancelled);
            continue;
        }
        if (s.releaser->stopped()) {
            finish(s, finish_reason::stop);
            continue;
        }
        if (req.max_tokens >= 0 && s.generated >= req.max_tokens) {
            finish(s, finish_reason::length);
            continue;
        }
        if (static_cast<int32_t>(s.cache.size()) + 1 >= n_ctx_slot) {
            finish(s, finish_reason::length);
            continue;
        }
        s.next_input = token;
    }
}

void model_host::impl::run_embeddings(embedding_request & req) {
    if (emb_ctx == nullptr) {
        llama_context_params cp = llama_context_default_params();
        cp.n_ctx = static_cast<uint32_t>(n_ctx_slot);
        cp.n_batch = cp.n_ctx;
        cp.n_ubatch = cp.n_ctx;
        cp.n_seq_max = 1;
        cp.embeddings = true;
        cp.pooling_type = LLAMA_POOLING_TYPE_NONE;
        const int32_t threads = options.threads > 0 ? options.threads
                                                    : static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
        cp.n_threads = threads;
        cp.n_threads_batch = threads;
        cp.no_perf = true;
        emb_ctx = llama_init_from_model(model, cp);
        if (emb_ctx == nullptr) {
            req.done(error{error_kind::internal, "cannot create an embedding context", "", "context_failed", {}});
            return;
        }
        if (threadpool != nullptr) {  // the same thread count as the generation context
            llama_attach_threadpool(emb_ctx, threadpool, nullptr);
        }
    }
    const int32_t n_embd = llama_model_n_embd(model);
    std::vector<std::vector<float>> out;
    out.reserve(req.inputs.size());
    llama_batch eb = llama_batch_init(n_ctx_slot, 0, 1);
    for (const auto & input : req.inputs) {
        llama_memory_clear(llama_get_memory(emb_ctx), true);
        common_batch_clear(eb);
        for (size_t i = 0; i < input.size(); ++i) {
            common_batch_add(eb, input[i], static_cast<llama_pos>(i), {0}, true);
        }
        const bool encoder_only = llama_model_has_encoder(model) && !llama_model_has_decoder(model);
        const int32_t rc = encoder_only ? llama_encode(emb_ctx, eb) : llama_decode(emb_ctx, eb);
        if (rc != 0) {
            llama_batch_free(eb);
            req.done(error{error_kind::internal, "embedding failed (code " + std::to_string(rc) + ")", "", "decode_failed", {}});
            return;
        }
        std::vector<float> v(n_embd, 0.0f);
        const auto n = static_cast<int32_t>(input.size());
        auto row = [&](int32_t i) { return llama_get_embeddings_ith(emb_ctx, i); };
        if (req.pool == pooling::mean) {
            for (int32_t i = 0; i < n; ++i) {
                const float * r = row(i);
                for (int32_t k = 0; k < n_embd; ++k) {
                    v[k] += r[k];
                }
            }
            for (auto & x : v) {
                x /= static_cast<float>(n);
            }
        } else {
            const float * r = row(req.pool == pooling::cls ? 0 : n - 1);
            std::copy(r, r + n_embd, v.begin());
        }
        if (req.normalize) {
            double norm = 0.0;
            for (float x : v) {
                norm += static_cast<double>(x) * x;
            }
            norm = std::sqrt(norm);
            if (norm > 0.0) {
                for (auto & x : v) {
                    x = static_cast<float>(x / norm);
                }
            }
        }
        out.push_back(std::move(v));
    }
    llama_batch_free(eb);
    req.done(std::move(out));
}

}  // namespace tiergate::engine
