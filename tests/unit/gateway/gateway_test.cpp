// The request path with scripted providers: guard (egress texts, restore,
// on-prem residency, block), router stages, the cascade (held tokens, early
// stop, escalation), fallbacks, budgets under concurrency and the ledger.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <filesystem>
#include <numeric>
#include <thread>

#include "config/load_config.h"
#include "fake_provider.h"
#include "cache/answer_store.h"
#include "gateway/gateway.h"
#include "gateway/gateway_settings.h"
#include "ledger/budget_memory_counter.h"
#include "ledger/store.h"
#include "obs/metrics_registry.h"
#include "router/scorer_file.h"
#include "router/scorer_training.h"

namespace tiergate::gateway {
namespace {

using testing::collecting_observer;
using testing::fake_provider;
using testing::scripted_token;

const char * models_yaml = R"(
models:
  - name: slm
    provider: local
    tier: slm
    path: stories260K.gguf
    capabilities: [logprobs, json_schema]
  - name: mid
    provider: openai_compatible
    endpoint: http://127.0.0.1:9/v1
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
  - name: frontier
    provider: openai_compatible
    endpoint: https://api.example.com/v1
    tier: frontier
    residency: external
    price: { input_per_mtok: 10, output_per_mtok: 30 }
    fallbacks: [mid]
frontier_baseline: frontier
)";

std::vector<scripted_token> confident(const std::vector<std::string> & words) {
    std::vector<scripted_token> out;
    for (const auto & w : words) {
        out.push_back({w, -0.05f, -4.0f});
    }
    return out;
}

class gateway_test : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tiergate-gateway-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        gate_.reset();
        if (writer_) {
            writer_->shutdown();
        }
        std::filesystem::remove_all(dir_);
    }

    // Builds the gateway from `extra` YAML (router, guard, budgets sections).
    void start(const std::string & extra, bool with_ledger = true) {
        const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n" + std::string(models_yaml) + extra;
        auto loaded = config::load_config_text(yaml, "test.yaml", dir_, config::fixed_env({}));
        ASSERT_TRUE(loaded.ok()) << loaded.errors_text();
        cfg_ = std::move(*loaded.value);
        config::config_errors errors("test.yaml");
        auto settings = read_gateway_settings(cfg_, errors);
        ASSERT_TRUE(errors.empty()) << errors.to_string();
        models_ = std::make_unique<providers::registry>();
        auto add = [&](std::unique_ptr<fake_provider> p, fake_provider *& out) {
            out = p.get();
            models_->add(std::move(p));
        };
        add(std::make_unique<fake_provider>("slm", config::provider_kind::local), slm);
        add(std::make_unique<fake_provider>("mid"), mid);
        add(std::make_unique<fake_provider>("frontier"), frontier);
        gateway_parts parts;
        parts.knowledge = knowledge_;
        parts.attached = attached_;
        parts.cache = cache_;
        parts.capture = capture_;
        parts.cfg = &cfg_;
        parts.models = models_.get();
        std::unique_ptr<router::answer_scorer> scorer;
        if (settings.route.cascade && settings.route.cascade->scorer) {
            auto file = router::load_scorer(settings.route.cascade->scorer->file);
            ASSERT_TRUE(file.ok()) << file.err().message;
            scorer = std::make_unique<router::answer_scorer>(std::move(*file));
        }
        parts.planner = std::make_unique<router::route_planner>(settings.route, router::route_models(cfg_), nullptr,
                                                                std::move(scorer));
        auto scanner = guard::scanner::make({}, settings.guard.custom_patterns);
        ASSERT_TRUE(scanner);
        parts.scanner = std::make_unique<guard::scanner>(std::move(*scanner));
        parts.guard = settings.guard;
        parts.budget = settings.budgets;
        if (settings.budgets.any()) {
            auto counters = std::make_unique<ledger::memory_counter_backend>();
            parts.counters = std::move(counters);
        }
        metrics_registry_ = std::make_unique<obs::metrics_registry>();
        metrics_ = std::make_unique<obs::gateway_metrics>(*metrics_registry_);
        parts.metrics = metrics_.get();
        if (with_ledger) {
            auto store = ledger::open_store("sqlite:" + (dir_ / "ledger.db").string());
            ASSERT_TRUE(store) << store.err().message;
            writer_ = std::make_unique<ledger::ledger_writer>(std::move(*store));
            parts.ledger = writer_.get();
        }
        gate_ = std::make_unique<gateway>(std::move(parts));
    }

    struct answer {
        std::shared_ptr<collecting_observer> client;
        std::shared_ptr<response_route> route;
    };

    answer ask(const std::string & model, std::vector<chat_message> messages, int max_tokens = 64,
               std::shared_ptr<const auth::key_identity> who = nullptr) {
        generation_call call;
        call.model = model;
        call.messages = std::move(messages);
        call.params.max_tokens = max_tokens;
        request_context ctx;
        ctx.request_id = "req-" + std::to_string(++next_id_);
        ctx.who = std::move(who);
        ctx.headers = headers_.empty() ? nullptr : &headers_;
        ctx.arrival_ms = 1'800'000'000'000;
        answer a{std::make_shared<collecting_observer>(), std::make_shared<response_route>()};
        gate_->generate(ctx, call, a.route, a.client);
        return a;
    }

    // The fake providers answer embeddings before embed() returns.
    result<embedding_result> embed(const std::string & model, std::vector<std::string> inputs, const std::string & id,
                                   std::shared_ptr<const auth::key_identity> who = nullptr) {
        std::optional<result<embedding_result>> got;
        embedding_call call;
        call.model = model;
        call.inputs = std::move(inputs);
        request_context ctx;
        ctx.request_id = id;
        ctx.who = std::move(who);
        gate_->embed(ctx, call, std::make_shared<response_route>(), [&](result<embedding_result> r) { got = std::move(r); });
        EXPECT_TRUE(got.has_value());
        return got ? std::move(*got) : result<embedding_result>(error::invalid("no answer", "", ""));
    }

    std::vector<ledger::usage_record> records() {
        EXPECT_TRUE(writer_->flush());
        auto store = ledger::open_store("sqlite:" + (dir_ / "ledger.db").string());
        auto r = (*store)->read(0, INT64_MAX, true);
        EXPECT_TRUE(r);
        return r ? *r : std::vector<ledger::usage_record>{};
    }

    std::filesystem::path dir_;
    config::config cfg_;
    std::unique_ptr<providers::registry> models_;
    fake_provider * slm = nullptr;
    fake_provider * mid = nullptr;
    fake_provider * frontier = nullptr;
    std::unique_ptr<obs::metrics_registry> metrics_registry_;
    std::unique_ptr<obs::gateway_metrics> metrics_;
    std::unique_ptr<ledger::ledger_writer> writer_;
    std::unique_ptr<gateway> gate_;
    std::atomic<int> next_id_{0};
    context_source * knowledge_ = nullptr;  // set before start()
    answer_cache * cache_ = nullptr;        // set before start()
    answer_capture * capture_ = nullptr;    // set before start()
    retrieval_attachments attached_;        // set before start()
    std::map<std::string, std::string> headers_;  // the client's headers on ask()
};

// A knowledge layer that answers with `found` (or `failure`) when the test
// says so, after generate() has returned, as the real one does from its thread.
class deferred_knowledge final : public context_source {
  public:
    retrieved_context found;
    std::optional<error> failure;
    std::vector<std::pair<std::string, std::string>> asked;  // team, query
    std::vector<std::string> request_ids;                    // of the callers

    void retrieve(const knowledge_caller & caller, const retrieval_request & request, const std::string & query,
                  std::function<void(result<retrieved_context>)> done) override {
        asked.emplace_back(caller.team, query);
        request_ids.push_back(caller.request_id);
        last_request = request;
        pending.push_back(std::move(done));
    }
    void answer_all() {
        auto jobs = std::move(pending);
        pending.clear();
        for (auto & done : jobs) {
            failure ? done(*failure) : done(found);
        }
    }
    retrieval_request last_request;
    std::vector<std::function<void(result<retrieved_context>)>> pending;
};

retrieved_passage passage(int index, const std::string & collection, int64_t chunk, const std::string & text) {
    retrieved_passage p;
    p.source.index = index;
    p.source.collection = collection;
    p.source.document_id = "file-1";
    p.source.file_id = "file-1";
    p.source.filename = "handbook.md";
    p.source.title = "Handbook";
    p.source.chunk_id = chunk;
    p.source.start = chunk * 100;
    p.source.end = chunk * 100 + 50;
    p.source.score = 1.0 / index;
    p.text = text;
    return p;
}

// A key that may use the slm and frontier tiers, not mid.
std::shared_ptr<auth::key_identity> slm_and_frontier_key() {
    auto who = std::make_shared<auth::key_identity>();
    who->key_id = "key_test";
    who->team = "t";
    who->scope.tiers = {config::model_tier::slm, config::model_tier::frontier};
    return who;
}

chat_message user(std::string text) { return {"user", std::move(text), ""}; }
chat_message system_msg(std::string text) { return {"system", std::move(text), ""}; }
chat_message assistant(std::string text) { return {"assistant", std::move(text), ""}; }

TEST_F(gateway_test, an_external_model_sees_placeholders_and_the_client_gets_the_values_back) {
    start("");
    frontier->echo = true;
    auto a = ask("frontier", {system_msg("You help Jane Doe."), user("Write to jane.doe@example.com"),
                              assistant("Sure, jane.doe@example.com it is."), user("Mail jane.doe@example.com now")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    auto calls = frontier->calls();
    ASSERT_EQ(calls.size(), 1u);
    std::string sent;
    for (const auto & m : calls[0].messages) {
        sent += m.content + "\n";
    }
    EXPECT_EQ(sent.find("jane.doe@example.com"), std::string::npos) << sent;
    EXPECT_EQ(sent.find("Jane Doe"), std::string::npos) << sent;
    // the same value has the same placeholder in every message
    const std::string placeholder = "<EMAIL_ADDRESS_1>";
    EXPECT_NE(calls[0].messages[1].content.find(placeholder), std::string::npos);
    EXPECT_NE(calls[0].messages[2].content.find(placeholder), std::string::npos);
    EXPECT_NE(calls[0].messages[3].content.find(placeholder), std::string::npos);
    // the echoed placeholders, one byte per delta, are restored
    EXPECT_EQ(a.client->text(), "Mail jane.doe@example.com now");
    EXPECT_EQ(a.route->model, "frontier");
    EXPECT_EQ(a.route->route, "pinned:frontier");
}

TEST_F(gateway_test, an_on_prem_model_gets_the_original_text) {
    start("");
    mid->echo = true;
    auto a = ask("mid", {user("Call Jane Doe at +1 415 555 0134")});
    auto calls = mid->calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].messages[0].content, "Call Jane Doe at +1 415 555 0134");
    EXPECT_EQ(a.client->text(), "Call Jane Doe at +1 415 555 0134");
}

TEST_F(gateway_test, data_that_must_stay_on_prem_never_reaches_an_external_model) {
    start("");
    frontier->echo = true;
    mid->echo = true;
    auto pinned = ask("frontier", {user("My SSN is 078-05-1120, card 4111 1111 1111 1111")});
    ASSERT_TRUE(pinned.client->end && pinned.client->end->failure);
    EXPECT_EQ(pinned.client->end->failure->code, "on_prem_only");
    EXPECT_EQ(pinned.client->end->failure->message.find("078-05-1120"), std::string::npos);
    // routed: the on-prem models only, and no fallback leaves either
    frontier->failure = error{error_kind::upstream, "down", "", "upstream_status", {}};
    auto routed = ask("auto", {user("My SSN is 078-05-1120")});
    ASSERT_TRUE(routed.client->end);
    EXPECT_FALSE(routed.client->end->failure);
    EXPECT_NE(routed.route->model, "frontier");
    EXPECT_TRUE(frontier->calls().empty());
}

TEST_F(gateway_test, a_blocked_secret_is_refused_without_naming_its_value) {
    start("");
    const std::string key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1s3cr3tkeyMaterial\n-----END RSA PRIVATE KEY-----";
    auto a = ask("slm", {user("Here is my key:\n" + key)});
    ASSERT_TRUE(a.client->end && a.client->end->failure);
    EXPECT_EQ(a.client->end->failure->kind, error_kind::permission);
    EXPECT_EQ(a.client->end->failure->code, "pii_blocked");
    EXPECT_NE(a.client->end->failure->message.find("PRIVATE_KEY"), std::string::npos);
    EXPECT_EQ(a.client->end->failure->message.find("MIIE"), std::string::npos);
    EXPECT_TRUE(slm->calls().empty());
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].status.http_status, 403);
    EXPECT_EQ(recs[0].pii_counts.at("PRIVATE_KEY"), 1);
}

TEST_F(gateway_test, the_cascade_releases_a_confident_answer) {
    start("router:\n  cascade: { from: slm, to: frontier, min_mean_logprob: -1.0, min_token_logprob: -5 }\n");
    slm->tokens = confident({"Once", " upon", " a", " time"});
    frontier->tokens = confident({"frontier"});
    auto a = ask("auto", {user("Tell a story")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "Once upon a time");
    EXPECT_TRUE(frontier->calls().empty());
    EXPECT_EQ(a.route->model, "slm");
    EXPECT_NE(a.route->route.find("+cascade:accepted("), std::string::npos) << a.route->route;
    // the client did not ask for logprobs: none reach it, although the cascade read them
    for (const auto & d : a.client->deltas) {
        EXPECT_TRUE(d.logprobs.empty());
    }
    ASSERT_EQ(slm->calls().size(), 1u);
    EXPECT_TRUE(slm->calls()[0].params.logprobs);
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_FALSE(recs[0].escalated);
    ASSERT_EQ(recs[0].attempts.size(), 1u);
    EXPECT_EQ(recs[0].attempts[0].output_tokens, 4);
}

TEST_F(gateway_test, the_cascade_stops_early_discards_and_escalates) {
    start("router:\n  cascade: { from: slm, to: frontier, min_token_logprob: -5 }\n");
    slm->tokens = confident({"a", "b", "c", "d", "e", "f", "g", "h"});
    slm->tokens[2].logprob = -9.0f;  // the third token is too unlikely
    frontier->tokens = confident({"the", " frontier", " answer"});
    auto a = ask("auto", {user("Explain")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "the frontier answer") << "no token of the discarded answer reaches the client";
    EXPECT_EQ(a.route->model, "frontier");
    EXPECT_NE(a.route->route.find("+cascade:escalated(min_logprob -9.00 < -5.00, early stop, held "), std::string::npos)
        << a.route->route;
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    const auto & r = recs[0];
    EXPECT_TRUE(r.escalated);
    ASSERT_EQ(r.attempts.size(), 2u);
    EXPECT_EQ(r.attempts[0].kind, ledger::attempt_kind::primary);
    EXPECT_EQ(r.attempts[0].model, "slm");
    EXPECT_EQ(r.attempts[0].output_tokens, 3) << "decoding stopped at the third token";
    EXPECT_EQ(r.attempts[0].status.error_code, "low_confidence");
    EXPECT_EQ(r.attempts[1].kind, ledger::attempt_kind::escalation);
    EXPECT_EQ(r.attempts[1].model, "frontier");
    EXPECT_EQ(r.attempts[1].output_tokens, 3);
    EXPECT_EQ(r.model, "frontier");
    EXPECT_GT(r.cost_usd, 0.0);
}

TEST_F(gateway_test, the_cascade_escalates_when_the_first_model_fails) {
    start("router:\n  cascade: { from: slm, to: mid, min_mean_logprob: -2 }\n");
    slm->failure = error{error_kind::unavailable, "busy", "", "overloaded", {}};
    mid->tokens = confident({"ok"});
    auto a = ask("auto", {user("hi")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "ok");
    EXPECT_NE(a.route->route.find("escalated(the first model failed: busy, held "), std::string::npos) << a.route->route;
}

// A scorer for the cascade tests, trained on synthetic answers of the three
// configured models: "certainly X" is right, "perhaps X" wrong, and answers
// that agree are right more often than an answer alone.
std::string write_test_scorer(const std::filesystem::path & dir) {
    std::vector<std::string> prompts(2000);
    std::vector<std::vector<std::string>> texts(prompts.size());
    std::vector<router::scorer_training_prompt> data(prompts.size());
    uint64_t state = 12345;
    auto next = [&]() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<uint32_t>(state >> 33);
    };
    const char * names[] = {"slm", "mid", "frontier"};
    const uint32_t skill[] = {55, 70, 85};
    for (size_t i = 0; i < prompts.size(); ++i) {
        prompts[i] = "Question " + std::to_string(i) + "?\nA) one\nB) two\nC) three\nD) four\nAnswer:";
        const char right = static_cast<char>('A' + next() % 4);
        for (size_t m = 0; m < 3; ++m) {
            const bool ok = next() % 100 < skill[m];
            char letter = right;
            while (!ok && letter == right) {
                letter = static_cast<char>('A' + next() % 4);
            }
            std::string text(1, letter);
            if (next() % 2 == 0) {
                text = (ok ? "certainly " : "perhaps ") + text;
            }
            texts[i].push_back(text);
            data[i].labels.push_back(ok ? 1.0f : 0.0f);
        }
    }
    for (size_t i = 0; i < prompts.size(); ++i) {
        data[i].prompt = prompts[i];
        const auto options = router::prompt_options::read(prompts[i]);
        for (size_t m = 0; m < 3; ++m) {
            data[i].answers.push_back({names[m], texts[i][m], router::extract_final_answer(options, texts[i][m]), {}, {}});
        }
    }
    router::scorer_training_config config;
    config.features.hash_bits = 14;
    auto model = router::train_scorer(data, config);
    EXPECT_TRUE(model.ok());
    model->models = {"slm", "mid", "frontier"};
    model->costs = {0.0, 0.001, 0.01};
    const std::string path = (dir / "test.scorer").string();
    EXPECT_TRUE(router::save_scorer(*model, path).ok());
    return path;
}

std::vector<scripted_token> words(const std::string & text) {
    std::vector<scripted_token> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find(' ', start + 1);
        end = end == std::string::npos ? text.size() : end;
        out.push_back({text.substr(start, end - start), -0.1f, -3.0f});
        start = end;
    }
    return out;
}

const char * question = "Question 5000?\nA) one\nB) two\nC) three\nD) four\nAnswer:";

TEST_F(gateway_test, a_scored_cascade_moves_through_its_stages_until_an_answer_is_accepted) {
    const std::string scorer = write_test_scorer(dir_);
    start("router:\n  cascade: { from: slm, through: [mid], to: frontier, scorer: { file: " + scorer +
          ", threshold: 0.6 } }\n");
    slm->tokens = words("perhaps B");
    mid->tokens = words("certainly C");
    frontier->tokens = words("frontier D");
    auto a = ask("auto", {user(question)});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "certainly C") << "nothing of the discarded first answer reaches the client";
    EXPECT_TRUE(frontier->calls().empty());
    EXPECT_EQ(a.route->model, "mid");
    EXPECT_NE(a.route->route.find("+cascade:accepted(score "), std::string::npos) << a.route->route;
    EXPECT_NE(a.route->route.find("accepted mid (score "), std::string::npos) << a.route->route;
    EXPECT_NE(a.route->route.find(", held "), std::string::npos) << a.route->route;
    ASSERT_EQ(slm->calls().size(), 1u);
    EXPECT_FALSE(slm->calls()[0].params.logprobs) << "no token criteria: the scorer alone decides";
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    const auto & r = recs[0];
    ASSERT_EQ(r.attempts.size(), 2u);
    EXPECT_EQ(r.attempts[0].model, "slm");
    EXPECT_EQ(r.attempts[0].kind, ledger::attempt_kind::primary);
    EXPECT_EQ(r.attempts[0].status.error_code, "low_confidence");
    EXPECT_EQ(r.attempts[1].model, "mid");
    EXPECT_EQ(r.attempts[1].kind, ledger::attempt_kind::escalation);
    EXPECT_TRUE(r.attempts[1].status.ok());
    EXPECT_EQ(r.attempts[1].output_tokens, 2);
    EXPECT_EQ(r.model, "mid");
    EXPECT_TRUE(r.escalated);
    EXPECT_NE(r.route_reason.find("+cascade:accepted"), std::string::npos) << r.route_reason;
    EXPECT_GT(r.cost_usd, 0.0) << "the mid model's call is paid";
}

TEST_F(gateway_test, a_scored_cascade_escalates_to_the_last_model_when_no_answer_passes) {
    const std::string scorer = write_test_scorer(dir_);
    start("router:\n  cascade: { from: slm, through: [mid], to: frontier, scorer: { file: " + scorer +
          ", thresholds: [0.6, 0.9] } }\n");
    slm->tokens = words("perhaps B");
    mid->tokens = words("perhaps C");
    frontier->tokens = words("frontier D");
    auto a = ask("auto", {user(question)});
    ASSERT_TRUE(a.client->end);
    EXPECT_EQ(a.client->text(), "frontier D");
    EXPECT_EQ(a.route->model, "frontier");
    EXPECT_NE(a.route->route.find("+cascade:escalated(score "), std::string::npos) << a.route->route;
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    const auto & r = recs[0];
    ASSERT_EQ(r.attempts.size(), 3u);
    EXPECT_EQ(r.attempts[0].status.error_code, "low_confidence");
    EXPECT_EQ(r.attempts[1].status.error_code, "low_confidence");
    EXPECT_EQ(r.attempts[2].model, "frontier");
    EXPECT_EQ(r.attempts[2].kind, ledger::attempt_kind::escalation);
    EXPECT_EQ(r.attempts[1].output_tokens, 2) << "every held attempt's tokens are accounted";
    EXPECT_TRUE(r.escalated);
}

TEST_F(gateway_test, a_partner_answers_beside_the_first_model_and_agreement_decides) {
    const std::string scorer = write_test_scorer(dir_);
    start("router:\n  cascade: { from: slm, partner: mid, to: frontier, scorer: { file: " + scorer +
          ", threshold: 0.75 } }\n");
    slm->tokens = words("B");
    mid->tokens = words("B");
    frontier->tokens = words("frontier D");
    auto agreed = ask("auto", {user(question)});
    ASSERT_TRUE(agreed.client->end);
    EXPECT_EQ(agreed.client->text(), "B");
    EXPECT_TRUE(frontier->calls().empty()) << agreed.route->route;
    ASSERT_EQ(mid->calls().size(), 1u) << "the partner was asked at once";

    mid->tokens = words("C");
    auto disputed = ask("auto", {user(question)});
    ASSERT_TRUE(disputed.client->end);
    EXPECT_EQ(disputed.client->text(), "frontier D") << disputed.route->route;
    auto recs = records();
    ASSERT_EQ(recs.size(), 2u);
    for (const auto & r : recs) {
        ASSERT_GE(r.attempts.size(), 2u);
        EXPECT_EQ(r.attempts[0].kind, ledger::attempt_kind::primary);
        EXPECT_EQ(r.attempts[1].kind, ledger::attempt_kind::primary) << "the partner starts with the first model";
    }
    const auto & first = recs[0].attempts.size() == 2 ? recs[0] : recs[1];
    const auto & second = recs[0].attempts.size() == 2 ? recs[1] : recs[0];
    ASSERT_EQ(first.attempts.size(), 2u);
    EXPECT_NE(first.attempts[0].status.ok(), first.attempts[1].status.ok()) << "one answer was kept, one discarded";
    ASSERT_EQ(second.attempts.size(), 3u);
    EXPECT_EQ(second.attempts[2].model, "frontier");
}

TEST_F(gateway_test, a_failing_held_model_moves_the_cascade_on) {
    const std::string scorer = write_test_scorer(dir_);
    start("router:\n  cascade: { from: slm, through: [mid], to: frontier, scorer: { file: " + scorer + " } }\n");
    slm->failure = error{error_kind::unavailable, "busy", "", "overloaded", {}};
    mid->tokens = words("certainly A");
    auto a = ask("auto", {user(question)});
    ASSERT_TRUE(a.client->end);
    EXPECT_EQ(a.client->text(), "certainly A");
    EXPECT_NE(a.route->route.find("the first model failed: busy"), std::string::npos) << a.route->route;
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    ASSERT_EQ(recs[0].attempts.size(), 2u);
    EXPECT_NE(recs[0].attempts[0].status.http_status, 200);
}

TEST_F(gateway_test, a_client_leaving_during_the_held_stages_ends_the_cascade) {
    const std::string scorer = write_test_scorer(dir_);
    start("router:\n  cascade: { from: slm, through: [mid], to: frontier, scorer: { file: " + scorer + " } }\n");
    slm->tokens = words("perhaps B perhaps B perhaps B perhaps B perhaps B");
    slm->token_delay = std::chrono::milliseconds(20);
    mid->tokens = words("certainly A");
    auto client = std::make_shared<collecting_observer>();
    auto route = std::make_shared<response_route>();
    generation_call call;
    call.model = "auto";
    call.messages = {user(question)};
    call.params.max_tokens = 64;
    request_context ctx;
    ctx.request_id = "req-gone";
    ctx.arrival_ms = 1'800'000'000'000;
    std::thread asking([&] { gate_->generate(ctx, call, route, client); });
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    client->client_gone = true;
    asking.join();
    ASSERT_TRUE(client->end);
    EXPECT_EQ(client->end->finish_reason, "cancelled");
    EXPECT_TRUE(client->text().empty()) << "nothing held was released";
    EXPECT_TRUE(mid->calls().empty()) << "no later stage starts for a client that left";
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    ASSERT_EQ(recs[0].attempts.size(), 1u);
    EXPECT_EQ(recs[0].attempts[0].status.http_status, 499);
    EXPECT_NE(recs[0].route_reason.find("+cascade:cancelled(the client left"), std::string::npos) << recs[0].route_reason;
}

TEST_F(gateway_test, scored_cascade_settings_are_checked) {
    const std::string scorer = write_test_scorer(dir_);
    auto errors_of = [&](const std::string & router) {
        const std::string yaml = "model_dir: " TIERGATE_SHARED_DIR "/models\n" + std::string(models_yaml) + router;
        auto loaded = config::load_config_text(yaml, "test.yaml", dir_, config::fixed_env({}));
        EXPECT_TRUE(loaded.ok()) << loaded.errors_text();
        config::config_errors errors("test.yaml");
        read_gateway_settings(*loaded.value, errors);
        return errors.to_string();
    };
    EXPECT_EQ(errors_of("router:\n  cascade: { from: slm, to: frontier, scorer: { file: " + scorer + " } }\n"), "");
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, partner: mid, to: frontier, min_mean_logprob: -1 }\n")
                  .find("configure `scorer`"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, through: [mid], to: frontier, scorer: { file: " + scorer +
                        ", thresholds: [0.5, 0.5, 0.5] } }\n")
                  .find("one threshold per held stage"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, to: frontier, scorer: { file: " + scorer + ", threshold: 1.5 } }\n")
                  .find("within 0..1"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, to: frontier, decide_after_tokens: 4, scorer: { file: " +
                        scorer + " } }\n")
                  .find("decide_after_tokens"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, through: [nope], to: frontier, scorer: { file: " + scorer + " } }\n")
                  .find("unknown model"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, partner: mid, through: [mid], to: frontier, scorer: { file: " +
                        scorer + " } }\n")
                  .find("already in the cascade"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: slm, to: frontier, scorer: { file: /nonexistent.scorer } }\n")
                  .find("no scorer file"),
              std::string::npos);
    EXPECT_NE(errors_of("router:\n  cascade: { from: [slm, frontier], to: frontier, scorer: { file: " + scorer + " } }\n")
                  .find("the same model"),
              std::string::npos);
}

TEST_F(gateway_test, a_failing_model_falls_back_and_the_answer_says_who_answered) {
    start("");
    frontier->failure = error{error_kind::upstream, "HTTP 503", "", "upstream_status", {}};
    mid->tokens = confident({"from", " mid"});
    auto a = ask("frontier", {user("hello")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "from mid");
    EXPECT_EQ(a.route->model, "mid");
    EXPECT_EQ(a.route->tier, "mid");
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    ASSERT_EQ(recs[0].attempts.size(), 2u);
    EXPECT_EQ(recs[0].attempts[0].model, "frontier");
    EXPECT_EQ(recs[0].attempts[0].status.http_status, 502);
    EXPECT_EQ(recs[0].attempts[1].kind, ledger::attempt_kind::fallback);
    EXPECT_EQ(recs[0].attempts[1].model, "mid");
    EXPECT_EQ(recs[0].model, "mid");
}

TEST_F(gateway_test, rules_route_by_header_and_the_route_header_says_why) {
    start(R"(router:
  rules:
    - { name: vip, when: { header: { x-user-tier: vip } }, to: { tier: frontier } }
)");
    frontier->tokens = confident({"vip"});
    slm->tokens = confident({"std"});
    std::map<std::string, std::string> headers{{"x-user-tier", "vip"}};
    generation_call call;
    call.model = "auto";
    call.messages = {user("hi")};
    request_context ctx;
    ctx.request_id = "r1";
    ctx.headers = &headers;
    auto client = std::make_shared<collecting_observer>();
    auto route = std::make_shared<response_route>();
    gate_->generate(ctx, call, route, client);
    EXPECT_EQ(client->text(), "vip");
    EXPECT_EQ(route->route, "rules:vip");
    EXPECT_EQ(route->tier, "frontier");
    auto plain = ask("auto", {user("hi")});
    EXPECT_EQ(plain.client->text(), "std");
    auto explained = gate_->explain(ctx, call);
    ASSERT_TRUE(explained);
    EXPECT_EQ((*explained)["model"], "frontier");
    EXPECT_EQ((*explained)["stage"], "rules");
    EXPECT_TRUE((*explained)["trace"].is_array());
    EXPECT_EQ(frontier->calls().size(), 1u) << "explain generates nothing";
}

TEST_F(gateway_test, a_budget_holds_under_200_concurrent_requests) {
    // each request: 7 prompt tokens (upstream) but reserved at its estimate,
    // 100 output tokens at $30/Mtok = $0.003; the budget is $0.02
    start(R"(budgets:
  default_key: { usd_per_day: 0.02 }
)");
    frontier->tokens.assign(100, {"x", -0.1f, -3.0f});
    std::vector<answer> answers(200);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = t; i < 200; i += 8) {
                answers[i] = ask("frontier", {user("Count to one hundred")}, 100);
            }
        });
    }
    for (auto & th : threads) {
        th.join();
    }
    int ok = 0;
    int refused = 0;
    for (const auto & a : answers) {
        ASSERT_TRUE(a.client->end);
        if (!a.client->end->failure) {
            ++ok;
        } else {
            EXPECT_EQ(a.client->end->failure->kind, error_kind::rate_limited);
            EXPECT_EQ(a.client->end->failure->code, "budget_exhausted");
            EXPECT_TRUE(a.client->end->failure->retry_after_s);
            ++refused;
        }
    }
    EXPECT_EQ(ok + refused, 200);
    auto recs = records();
    ASSERT_EQ(recs.size(), 200u) << "every request has a record, refused ones too";
    double settled = 0.0;
    double max_one = 0.0;
    for (const auto & r : recs) {
        settled += r.cost_usd;
        max_one = std::max(max_one, r.cost_usd);
    }
    EXPECT_GT(ok, 0);
    EXPECT_LE(settled, 0.02 + max_one + 1e-12) << ok << " answered";
    EXPECT_GE(settled, 0.02 - 2 * 0.0032) << "the budget is used, not refused early";
}

TEST_F(gateway_test, a_call_cut_without_an_end_is_recorded_and_its_reservation_settled) {
    // a reservation is about $0.003 (100 output tokens at $30/Mtok); the budget holds one
    start(R"(budgets:
  default_key: { usd_per_day: 0.004 }
)");
    frontier->tokens.assign(100, {"x", -0.1f, -3.0f});
    frontier->drop_calls = true;
    auto cut = ask("frontier", {user("Count to one hundred")}, 100);
    EXPECT_FALSE(cut.client->end) << "the client of a cut call hears nothing";
    frontier->drop_calls = false;
    auto next = ask("frontier", {user("Count to one hundred")}, 100);
    ASSERT_TRUE(next.client->end);
    EXPECT_FALSE(next.client->end->failure) << "the cut call's reservation still holds the budget: "
                                            << next.client->end->failure->message;
    auto recs = records();
    ASSERT_EQ(recs.size(), 2u);
    const auto & r = recs[0].request_id == "req-1" ? recs[0] : recs[1];
    EXPECT_EQ(r.status.http_status, 503);
    EXPECT_EQ(r.status.error_code, "shutdown");
    EXPECT_EQ(r.model, "frontier");
    EXPECT_EQ(r.cost_usd, 0.0);
}

TEST_F(gateway_test, a_request_limit_admits_exactly_its_count) {
    start(R"(budgets:
  default_key: { requests_per_minute: 5 }
)");
    slm->tokens = confident({"ok"});
    int ok = 0;
    for (int i = 0; i < 12; ++i) {
        auto a = ask("slm", {user("hi")});
        ok += a.client->end && !a.client->end->failure;
    }
    EXPECT_EQ(ok, 5);
}

TEST_F(gateway_test, an_exhausted_budget_can_degrade_to_the_slm) {
    start(R"(budgets:
  default_key: { usd_per_day: 0.0000001, on_usd_exhausted: degrade_to_slm }
)");
    frontier->tokens = confident({"expensive"});
    slm->tokens = confident({"cheap"});
    auto a = ask("frontier", {user("hi")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "cheap");
    EXPECT_EQ(a.route->tier, "slm");
    EXPECT_EQ(a.route->route, "constraints:budget");
    EXPECT_TRUE(frontier->calls().empty());
}

TEST_F(gateway_test, a_key_outside_its_scope_is_refused_and_fallbacks_respect_it) {
    start("");
    auto who = slm_and_frontier_key();
    frontier->failure = error{error_kind::upstream, "down", "", "upstream_status", {}};
    mid->tokens = confident({"mid"});
    auto refused = ask("mid", {user("hi")}, 8, who);
    ASSERT_TRUE(refused.client->end && refused.client->end->failure);
    EXPECT_EQ(refused.client->end->failure->kind, error_kind::permission);
    auto fell = ask("frontier", {user("hi")}, 8, who);
    ASSERT_TRUE(fell.client->end && fell.client->end->failure) << "the fallback to mid is outside the key's scope";
    EXPECT_TRUE(mid->calls().empty());
}

TEST_F(gateway_test, a_cascade_escalation_to_an_external_model_goes_through_the_guard) {
    start("router:\n  cascade: { from: slm, to: frontier, min_token_logprob: -0.5 }\n");
    slm->tokens = confident({"unsure"});
    slm->tokens[0].logprob = -3.0f;
    frontier->echo = true;
    auto a = ask("auto", {user("Remind Jane Doe at jane@corp.example about it")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    ASSERT_EQ(slm->calls().size(), 1u);
    EXPECT_EQ(slm->calls()[0].messages[0].content, "Remind Jane Doe at jane@corp.example about it")
        << "the on-prem SLM reads the original";
    ASSERT_EQ(frontier->calls().size(), 1u);
    const std::string sent = frontier->calls()[0].messages[0].content;
    EXPECT_EQ(sent.find("jane@corp.example"), std::string::npos) << sent;
    EXPECT_EQ(sent.find("Jane Doe"), std::string::npos) << sent;
    EXPECT_EQ(a.client->text(), "Remind Jane Doe at jane@corp.example about it");
}

TEST_F(gateway_test, custom_patterns_from_the_config_are_applied) {
    start(R"(guard:
  policy: hr
  policies:
    hr:
      - { action: redact, entities: [EMPLOYEE_ID] }
  custom_patterns:
    - { name: EMPLOYEE_ID, regex: "\\bEMP-[0-9]{6}\\b" }
)");
    mid->echo = true;
    auto a = ask("mid", {user("Promote EMP-123456 today")});
    ASSERT_EQ(mid->calls().size(), 1u);
    EXPECT_EQ(mid->calls()[0].messages[0].content, "Promote <CUSTOM> today");
    EXPECT_EQ(a.client->text(), "Promote <CUSTOM> today") << "redacted values are not restored";
}

TEST_F(gateway_test, the_request_deadline_stops_the_call_and_answers_504) {
    start("server: { request_timeout_ms: 60 }\n");
    slm->tokens = confident({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
    slm->token_delay = std::chrono::milliseconds(25);
    auto a = ask("slm", {user("slow")});
    ASSERT_TRUE(a.client->end);
    ASSERT_TRUE(a.client->end->failure);
    EXPECT_EQ(a.client->end->failure->kind, error_kind::timeout);
    EXPECT_EQ(a.client->end->failure->code, "request_timeout");
    EXPECT_LT(a.client->deltas.size(), 5u) << "the provider stopped at the deadline";
    auto recs = records();
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].status.http_status, 504);
}

TEST_F(gateway_test, embeddings_to_an_external_model_are_pseudonymized) {
    start("");
    std::optional<result<embedding_result>> got;
    embedding_call call;
    call.model = "frontier";
    call.inputs = {"Jane Doe lives at 221B Baker Street", "no pii here"};
    request_context ctx;
    ctx.request_id = "e1";
    gate_->embed(ctx, call, std::make_shared<response_route>(), [&](result<embedding_result> r) { got = std::move(r); });
    ASSERT_TRUE(got && got->ok());
    auto inputs = frontier->embed_inputs();
    ASSERT_EQ(inputs.size(), 1u);
    EXPECT_EQ(inputs[0][0].find("Jane Doe"), std::string::npos) << inputs[0][0];
    EXPECT_EQ(inputs[0][1], "no pii here");
}

TEST_F(gateway_test, refused_embeddings_are_in_the_ledger_with_their_pii_counts) {
    start("");
    auto who = slm_and_frontier_key();
    auto scoped = embed("mid", {"hi"}, "scope", who);
    ASSERT_FALSE(scoped);
    EXPECT_EQ(scoped.err().code, "model_not_allowed");
    const std::string key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1s3cr3tkeyMaterial\n-----END RSA PRIVATE KEY-----";
    auto blocked = embed("slm", {"fine", "my key: " + key}, "guard");
    ASSERT_FALSE(blocked);
    EXPECT_EQ(blocked.err().code, "pii_blocked");
    EXPECT_TRUE(slm->embed_inputs().empty());
    EXPECT_TRUE(mid->embed_inputs().empty());
    auto recs = records();
    ASSERT_EQ(recs.size(), 2u);
    const auto & s = recs[0].request_id == "scope" ? recs[0] : recs[1];
    const auto & g = recs[0].request_id == "scope" ? recs[1] : recs[0];
    EXPECT_EQ(s.status.http_status, 403);
    EXPECT_EQ(s.status.error_code, "model_not_allowed");
    EXPECT_EQ(s.key_id, "key_test");
    EXPECT_EQ(s.model, "mid");
    EXPECT_EQ(g.status.http_status, 403);
    EXPECT_EQ(g.route, "guard");
    EXPECT_EQ(g.pii_counts.at("PRIVATE_KEY"), 1);
    EXPECT_EQ(g.cost_usd, 0.0);
}

TEST_F(gateway_test, embeddings_are_held_to_the_budgets_and_their_spend_counts) {
    // "8 bytes!" is estimated at 2 tokens: each call reserves $0.00002 at $10/Mtok
    // and settles at the 1 token the provider reports ($0.00001). With $0.000105
    // a day, nine calls fit (the ninth starts at $0.00008 spent), the tenth does not:
    // its reservation alone would fit, the spend before it does not.
    start(R"(budgets:
  default_key: { usd_per_day: 0.000105 }
)");
    int ok = 0;
    for (int i = 0; i < 9; ++i) {
        auto r = embed("frontier", {"8 bytes!"}, "e" + std::to_string(i));
        EXPECT_TRUE(r) << i << ": " << (r ? "" : r.err().message);
        ok += r.ok();
    }
    EXPECT_EQ(ok, 9);
    auto refused = embed("frontier", {"8 bytes!"}, "e9");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.err().kind, error_kind::rate_limited);
    EXPECT_EQ(refused.err().code, "budget_exhausted");
    EXPECT_TRUE(refused.err().retry_after_s);
    EXPECT_EQ(frontier->embed_inputs().size(), 9u) << "the refused call never reached the model";
    auto recs = records();
    ASSERT_EQ(recs.size(), 10u) << "every request has a record, refused ones too";
    const double spent = std::accumulate(recs.begin(), recs.end(), 0.0,
                                         [](double sum, const ledger::usage_record & r) { return sum + r.cost_usd; });
    EXPECT_NEAR(spent, 9 * 0.00001, 1e-12);
    EXPECT_EQ(std::count_if(recs.begin(), recs.end(), [](const auto & r) { return r.status.http_status == 429; }), 1);
}

}  // namespace
}  // namespace tiergate::gateway

namespace tiergate::gateway {
namespace {

generation_call retrieval_call(const std::string & model, std::vector<chat_message> messages,
                               std::vector<std::string> collections) {
    generation_call call;
    call.model = model;
    call.messages = std::move(messages);
    call.params.max_tokens = 64;
    call.retrieval = retrieval_request{std::move(collections), 2, 0.0, ""};
    return call;
}

generation_call chat_call(const std::string & model, std::vector<chat_message> messages) {
    generation_call call;
    call.model = model;
    call.messages = std::move(messages);
    call.params.max_tokens = 64;
    return call;
}

TEST_F(gateway_test, retrieved_passages_reach_the_model_and_their_citations_the_answer) {
    deferred_knowledge kb;
    kb.found.passages = {passage(1, "vs_a", 12, "The boiler is inspected on Tuesdays."),
                         passage(2, "vs_a", 40, "Badges go back to the front desk.")};
    knowledge_ = &kb;
    start("");
    slm->tokens = confident({"Tuesdays", " [1]"});
    auto who = std::make_shared<auth::key_identity>();
    who->key_id = "key_ops";
    who->team = "ops";
    std::map<std::string, std::string> headers{{"x-user-tier", "std"}};
    auto call = retrieval_call("slm", {system_msg("Be brief."), user("hello"), assistant("hi"), user("When is the boiler inspected?")},
                               {"vs_a"});
    request_context ctx;
    ctx.request_id = "rag-1";
    ctx.who = who;
    {
        // the request's headers are gone before the search answers
        auto gone = std::make_unique<std::map<std::string, std::string>>(headers);
        ctx.headers = gone.get();
        auto client = std::make_shared<collecting_observer>();
        auto route = std::make_shared<response_route>();
        gate_->generate(ctx, call, route, client);
        gone.reset();
        EXPECT_FALSE(client->end) << "nothing happens before the search answers";
        EXPECT_TRUE(slm->calls().empty());
        ASSERT_EQ(kb.asked.size(), 1u);
        EXPECT_EQ(kb.asked[0].first, "ops");
        EXPECT_EQ(kb.asked[0].second, "When is the boiler inspected?");
        EXPECT_EQ(kb.last_request.collections, std::vector<std::string>{"vs_a"});
        kb.answer_all();
        ASSERT_TRUE(client->end);
        EXPECT_FALSE(client->end->failure);
        EXPECT_EQ(client->text(), "Tuesdays [1]");
        ASSERT_EQ(route->citations.size(), 2u);
        EXPECT_EQ(route->citations[0].chunk_id, 12);
        EXPECT_EQ(route->citations[1].index, 2);
    }
    auto calls = slm->calls();
    ASSERT_EQ(calls.size(), 1u);
    ASSERT_EQ(calls[0].messages.size(), 4u) << "the passages join the system message";
    const std::string & system = calls[0].messages[0].content;
    EXPECT_EQ(system.rfind("Be brief.", 0), 0u) << system;
    EXPECT_NE(system.find("[1] Handbook\nThe boiler is inspected on Tuesdays."), std::string::npos) << system;
    EXPECT_NE(system.find("[2] Handbook\nBadges go back"), std::string::npos) << system;
    EXPECT_EQ(calls[0].messages[3].content, "When is the boiler inspected?");
    auto rows = records();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].retrieved, "vs_a:12 vs_a:40");
    EXPECT_EQ(rows[0].team, "ops");
    // without a system message the passages come first in one of their own
    auto second = retrieval_call("slm", {user("Badges?")}, {"vs_a"});
    auto client = std::make_shared<collecting_observer>();
    gate_->generate(request_context{}, second, std::make_shared<response_route>(), client);
    kb.answer_all();
    ASSERT_TRUE(client->end);
    calls = slm->calls();
    ASSERT_EQ(calls.size(), 2u);
    ASSERT_EQ(calls[1].messages.size(), 2u);
    EXPECT_EQ(calls[1].messages[0].role, "system");
    EXPECT_EQ(calls[1].messages[1].content, "Badges?");
}

TEST_F(gateway_test, passages_from_an_on_prem_only_store_never_reach_an_external_model) {
    deferred_knowledge kb;
    kb.found.passages = {passage(1, "vs_plant", 3, "Reactor loop pressure is 155 bar.")};
    kb.found.on_prem_collections = {"vs_plant"};
    knowledge_ = &kb;
    start("");
    frontier->echo = true;
    mid->echo = true;
    auto pinned = std::make_shared<collecting_observer>();
    gate_->generate(request_context{}, retrieval_call("frontier", {user("Loop pressure?")}, {"vs_plant"}),
                    std::make_shared<response_route>(), pinned);
    kb.answer_all();
    ASSERT_TRUE(pinned->end && pinned->end->failure);
    EXPECT_EQ(pinned->end->failure->code, "on_prem_only");
    EXPECT_NE(pinned->end->failure->message.find("vs_plant"), std::string::npos) << pinned->end->failure->message;
    auto routed = std::make_shared<collecting_observer>();
    auto route = std::make_shared<response_route>();
    frontier->failure = error{error_kind::upstream, "down", "", "upstream_status", {}};
    gate_->generate(request_context{}, retrieval_call("auto", {user("Loop pressure?")}, {"vs_plant"}), route, routed);
    kb.answer_all();
    ASSERT_TRUE(routed->end);
    EXPECT_FALSE(routed->end->failure);
    EXPECT_NE(route->model, "frontier");
    EXPECT_TRUE(frontier->calls().empty());
}

TEST_F(gateway_test, collections_attached_by_policy_are_searched_without_the_call_naming_them) {
    deferred_knowledge kb;
    kb.found.passages = {passage(1, "vs_ops", 3, "The boiler is inspected on Tuesdays.")};
    knowledge_ = &kb;
    attached_.by_team["ops"].collections = {"vs_ops"};
    attached_.by_team["ops"].k = 3;
    attached_.by_model["mid"].collections = {"vs_mid"};
    start("");
    slm->tokens = confident({"Tuesdays"});
    auto ops = std::make_shared<auth::key_identity>();
    ops->key_id = "key_ops";
    ops->team = "ops";
    request_context ctx;
    ctx.who = ops;
    auto client = std::make_shared<collecting_observer>();
    auto route = std::make_shared<response_route>();
    gate_->generate(ctx, chat_call("slm", {user("When is the boiler inspected?")}), route, client);
    ASSERT_EQ(kb.asked.size(), 1u) << "the team's collections are searched";
    EXPECT_EQ(kb.last_request.collections, std::vector<std::string>{"vs_ops"});
    EXPECT_EQ(kb.last_request.k, 3);
    kb.answer_all();
    ASSERT_TRUE(client->end);
    EXPECT_FALSE(client->end->failure);
    ASSERT_EQ(route->citations.size(), 1u);
    // a call naming its own collections keeps them
    gate_->generate(ctx, retrieval_call("slm", {user("q")}, {"vs_other"}), std::make_shared<response_route>(),
                    std::make_shared<collecting_observer>());
    EXPECT_EQ(kb.last_request.collections, std::vector<std::string>{"vs_other"});
    // another team: by the requested model, or nothing
    auto red = std::make_shared<auth::key_identity>();
    red->key_id = "key_red";
    red->team = "red";
    ctx.who = red;
    gate_->generate(ctx, chat_call("mid", {user("q")}), std::make_shared<response_route>(),
                    std::make_shared<collecting_observer>());
    EXPECT_EQ(kb.last_request.collections, std::vector<std::string>{"vs_mid"});
    const size_t asked = kb.asked.size();
    gate_->generate(ctx, chat_call("slm", {user("q")}), std::make_shared<response_route>(),
                    std::make_shared<collecting_observer>());
    EXPECT_EQ(kb.asked.size(), asked) << "nothing attached: no search";
    kb.answer_all();
}

TEST_F(gateway_test, the_guard_scans_retrieved_text_before_it_leaves) {
    deferred_knowledge kb;
    kb.found.passages = {passage(1, "vs_crm", 9, "Account owner: jane.doe@example.com")};
    knowledge_ = &kb;
    start("");
    frontier->echo = true;
    auto client = std::make_shared<collecting_observer>();
    gate_->generate(request_context{}, retrieval_call("frontier", {user("Who owns the account?")}, {"vs_crm"}),
                    std::make_shared<response_route>(), client);
    kb.answer_all();
    ASSERT_TRUE(client->end);
    EXPECT_FALSE(client->end->failure);
    auto calls = frontier->calls();
    ASSERT_EQ(calls.size(), 1u);
    const std::string & system = calls[0].messages[0].content;
    EXPECT_EQ(system.find("jane.doe@example.com"), std::string::npos) << system;
    EXPECT_NE(system.find("<EMAIL_ADDRESS_1>"), std::string::npos) << system;
}

TEST_F(gateway_test, retrieval_that_cannot_run_ends_the_request_in_the_ledger) {
    start("");  // no knowledge layer
    auto refused = std::make_shared<collecting_observer>();
    gate_->generate(request_context{"r-none", nullptr, nullptr, 0}, retrieval_call("slm", {user("q")}, {"vs_a"}),
                    std::make_shared<response_route>(), refused);
    ASSERT_TRUE(refused->end && refused->end->failure);
    EXPECT_EQ(refused->end->failure->code, "retrieval_not_configured");
    EXPECT_EQ(refused->end->failure->kind, error_kind::invalid_request);

    deferred_knowledge kb;
    kb.failure = error{error_kind::not_found, "no vector store 'vs_x'", "", "not_found", {}};
    knowledge_ = &kb;
    gate_.reset();
    writer_->shutdown();
    writer_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    start("");
    auto missing = std::make_shared<collecting_observer>();
    gate_->generate(request_context{"r-missing", nullptr, nullptr, 0}, retrieval_call("slm", {user("q")}, {"vs_x"}),
                    std::make_shared<response_route>(), missing);
    kb.answer_all();
    ASSERT_TRUE(missing->end && missing->end->failure);
    EXPECT_EQ(missing->end->failure->kind, error_kind::not_found);
    EXPECT_TRUE(slm->calls().empty());
    auto rows = records();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].request_id, "r-missing");
    EXPECT_EQ(rows[0].route, "retrieval");
    EXPECT_EQ(rows[0].status.http_status, 404);
    // an empty last user turn asks nothing and goes on without passages
    auto empty = std::make_shared<collecting_observer>();
    auto route = std::make_shared<response_route>();
    gate_->generate(request_context{}, retrieval_call("slm", {user("")}, {"vs_a"}), route, empty);
    ASSERT_TRUE(empty->end);
    EXPECT_FALSE(empty->end->failure);
    EXPECT_TRUE(route->citations.empty());
}

}  // namespace
}  // namespace tiergate::gateway

namespace tiergate::gateway {
namespace {

TEST_F(gateway_test, the_same_question_again_is_answered_from_the_cache_at_no_cost) {
    cache::answer_store store({});
    cache_ = &store;
    start("");
    frontier->tokens = confident({"Paris", " is", " the", " capital."});
    auto first = ask("frontier", {user("What is the capital of France?")});
    ASSERT_TRUE(first.client->end);
    EXPECT_FALSE(first.client->end->failure);
    EXPECT_EQ(first.route->cache, "miss");
    EXPECT_EQ(store.size(), 1u);
    auto again = ask("frontier", {user("What is the capital  of France?")});
    ASSERT_TRUE(again.client->end);
    EXPECT_FALSE(again.client->end->failure);
    EXPECT_EQ(again.client->text(), "Paris is the capital.");
    EXPECT_EQ(again.client->end->finish_reason, "stop");
    EXPECT_EQ(again.route->cache, "exact");
    EXPECT_EQ(again.route->route, "cache:exact");
    EXPECT_EQ(again.route->model, "frontier");
    EXPECT_EQ(frontier->calls().size(), 1u) << "the second answer called no model";
    auto close = ask("frontier", {user("what is the capital of france")});
    EXPECT_EQ(close.route->cache, "semantic");
    EXPECT_EQ(close.client->text(), "Paris is the capital.");
    EXPECT_EQ(frontier->calls().size(), 1u);
    auto recs = records();
    ASSERT_EQ(recs.size(), 3u);
    std::sort(recs.begin(), recs.end(), [](const auto & a, const auto & b) { return a.request_id < b.request_id; });
    EXPECT_EQ(recs[0].cache, "");
    EXPECT_GT(recs[0].cost_usd, 0.0);
    EXPECT_EQ(recs[1].cache, "exact");
    EXPECT_EQ(recs[1].route, "cache");
    EXPECT_EQ(recs[1].cost_usd, 0.0);
    EXPECT_GT(recs[1].counterfactual_cost_usd, 0.0);
    EXPECT_EQ(recs[1].output_tokens, recs[0].output_tokens);
    EXPECT_EQ(recs[2].cache, "semantic");
    EXPECT_EQ(recs[2].cost_usd, 0.0);
    EXPECT_EQ(metrics_->cache_lookups.with({"exact"}).value(), 1);
    EXPECT_EQ(metrics_->cache_lookups.with({"semantic"}).value(), 1);
    EXPECT_EQ(metrics_->cache_lookups.with({"miss"}).value(), 1);
}

TEST_F(gateway_test, data_the_guard_keeps_on_prem_is_neither_served_from_nor_kept_in_the_cache) {
    cache::answer_store store({});
    cache_ = &store;
    start("");
    mid->echo = true;
    auto a = ask("mid", {user("My SSN is 078-05-1120")});
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.route->cache, "bypass");
    auto b = ask("mid", {user("My SSN is 078-05-1120")});
    EXPECT_EQ(b.route->cache, "bypass");
    EXPECT_EQ(mid->calls().size(), 2u);
    EXPECT_EQ(store.size(), 0u);
    // a name and a phone number are pseudonymized for external models, not kept on-prem: cached
    frontier->echo = true;
    auto c = ask("frontier", {user("Call Jane Doe at +1 415 555 0134")});
    EXPECT_EQ(c.route->cache, "miss");
    auto d = ask("frontier", {user("Call Jane Doe at +1 415 555 0134")});
    EXPECT_EQ(d.route->cache, "exact");
    EXPECT_EQ(d.client->text(), "Call Jane Doe at +1 415 555 0134");
    // kept in placeholders: another name and number share the entry, each
    // answer restored with the values of its own request
    const size_t calls = frontier->calls().size();
    auto e = ask("frontier", {user("Call John Roe at +1 415 555 0199")});
    EXPECT_EQ(e.route->cache, "exact");
    EXPECT_EQ(e.client->text(), "Call John Roe at +1 415 555 0199");
    EXPECT_EQ(frontier->calls().size(), calls);
    // an answer that holds a value the request did not have is not kept
    frontier->echo = false;
    frontier->tokens = confident({"Ask", " Mary", " Major", " at", " +1 212 555 0147"});
    auto f = ask("frontier", {user("Who approves travel for Jane Doe?")});
    EXPECT_EQ(f.route->cache, "miss");
    auto g = ask("frontier", {user("Who approves travel for Jane Doe?")});
    EXPECT_EQ(g.route->cache, "miss") << "the answer named a phone number: not kept";
    // an on-prem model saw the values themselves: its answer is not kept under the placeholders
    auto h = ask("mid", {user("Call Jane Doe at +1 415 555 0134 today")});
    EXPECT_EQ(h.route->cache, "miss");
    auto i = ask("mid", {user("Call Jane Doe at +1 415 555 0134 today")});
    EXPECT_EQ(i.route->cache, "miss");
}

TEST_F(gateway_test, cache_control_turns_the_cache_off_for_a_request) {
    cache::answer_store store({});
    cache_ = &store;
    start("");
    slm->tokens = confident({"Once", " upon"});
    headers_ = {{"cache-control", "no-store"}};
    EXPECT_EQ(ask("slm", {user("Tell a story")}).route->cache, "bypass");
    EXPECT_EQ(store.size(), 0u);
    headers_ = {{"cache-control", "no-cache"}};
    EXPECT_EQ(ask("slm", {user("Tell a story")}).route->cache, "bypass");  // a fresh answer, kept
    EXPECT_EQ(store.size(), 1u);
    headers_.clear();
    EXPECT_EQ(ask("slm", {user("Tell a story")}).route->cache, "exact");
    EXPECT_EQ(slm->calls().size(), 2u);
}

TEST_F(gateway_test, a_failed_answer_is_not_kept) {
    cache::answer_store store({});
    cache_ = &store;
    start("");
    frontier->failure = error{error_kind::upstream, "down", "", "upstream_status", {}};
    mid->failure = error{error_kind::upstream, "down", "", "upstream_status", {}};
    auto a = ask("frontier", {user("Summarize the report")});
    ASSERT_TRUE(a.client->end && a.client->end->failure);
    EXPECT_EQ(store.size(), 0u);
    frontier->failure.reset();
    mid->failure.reset();
    frontier->tokens = confident({"Summary."});
    auto b = ask("frontier", {user("Summarize the report")});
    EXPECT_EQ(b.route->cache, "miss");
    EXPECT_EQ(store.size(), 1u);
}

TEST_F(gateway_test, a_cached_answer_is_not_served_to_a_key_that_may_not_use_its_model) {
    cache::answer_store store({});
    cache_ = &store;
    start("router:\n  rules:\n    - { name: plans, when: { keywords: [plan] }, to: { model: mid } }\n");
    mid->tokens = confident({"From", " mid."});
    slm->tokens = confident({"From", " slm."});
    frontier->tokens = confident({"From", " frontier."});
    auto who = std::make_shared<auth::key_identity>();
    who->key_id = "key_all";
    who->team = "t";
    auto a = ask("auto", {user("Explain the plan")}, 64, who);
    EXPECT_EQ(a.route->model, "mid");
    EXPECT_EQ(a.route->cache, "miss");
    // the same team and call, but this key may not use mid: mid's answer is not handed to it
    auto b = ask("auto", {user("Explain the plan")}, 64, slm_and_frontier_key());
    EXPECT_EQ(b.route->cache, "miss");
    EXPECT_NE(b.route->model, "mid");
    EXPECT_NE(b.client->text(), "From mid.");
}


// A capture that keeps everything in memory, and every scope it was asked about.
class memory_capture final : public answer_capture {
  public:
    bool wants(const capture_scope & scope) override {
        std::lock_guard lock(mu);
        scopes.push_back(scope);
        return !scope.on_prem_only;
    }
    void keep(captured_call && call) override {
        std::lock_guard lock(mu);
        kept.push_back(std::move(call));
    }
    std::mutex mu;
    std::vector<capture_scope> scopes;
    std::vector<captured_call> kept;
};

TEST_F(gateway_test, the_capture_keeps_what_an_external_teacher_saw_and_wrote) {
    memory_capture capture;
    capture_ = &capture;
    headers_["x-tiergate-task"] = "mail";
    start("");
    frontier->echo = true;
    auto a = ask("frontier", {system_msg("You help."), user("Mail jane.doe@example.com now")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(a.client->text(), "Mail jane.doe@example.com now") << "the client gets the value";
    ASSERT_EQ(capture.scopes.size(), 1u);
    EXPECT_EQ(capture.scopes[0].task, "mail");
    EXPECT_EQ(capture.scopes[0].route, "frontier");
    ASSERT_EQ(capture.kept.size(), 1u);
    const auto & c = capture.kept[0];
    EXPECT_EQ(c.model, "frontier");
    EXPECT_EQ(c.tier, "frontier");
    EXPECT_EQ(c.role, "teacher");
    EXPECT_EQ(c.task, "mail");
    EXPECT_EQ(c.request_id, "req-1");
    EXPECT_EQ(c.decision, "pinned:frontier");
    ASSERT_EQ(c.messages.size(), 2u);
    EXPECT_EQ(c.messages[1].content, "Mail <EMAIL_ADDRESS_1> now") << "the call as the teacher saw it";
    EXPECT_EQ(c.answer, "Mail <EMAIL_ADDRESS_1> now") << "the answer as the teacher wrote it, never restored";
    EXPECT_EQ(c.finish_reason, "stop");
    EXPECT_GT(c.completion_tokens, 0);
    EXPECT_GT(c.cost_usd, 0.0);
}

TEST_F(gateway_test, the_capture_hears_that_a_request_stays_on_prem_and_a_failed_call_is_not_kept) {
    memory_capture capture;
    capture_ = &capture;
    start("");
    mid->echo = true;
    auto kept_on_prem = ask("auto", {user("My SSN is 078-05-1120")});
    ASSERT_TRUE(kept_on_prem.client->end);
    ASSERT_EQ(capture.scopes.size(), 1u);
    EXPECT_TRUE(capture.scopes[0].on_prem_only);
    EXPECT_TRUE(capture.kept.empty()) << "this capture declines on-prem requests";
    mid->failure = error{error_kind::upstream, "down", "", "upstream_status", {}};
    auto failed = ask("mid", {user("Hello")});
    ASSERT_TRUE(failed.client->end);
    EXPECT_TRUE(failed.client->end->failure);
    EXPECT_TRUE(capture.kept.empty()) << "an answer that did not end well is not training data";
}

TEST_F(gateway_test, a_cascade_escalation_keeps_the_discarded_answer_beside_the_teachers) {
    memory_capture capture;
    capture_ = &capture;
    start("router:\n  cascade: { from: slm, to: frontier, min_token_logprob: -5 }\n");
    slm->tokens = confident({"a", "b", "c", "d", "e", "f", "g", "h"});
    slm->tokens[2].logprob = -9.0f;
    frontier->tokens = confident({"the", " frontier", " answer"});
    auto a = ask("auto", {user("Explain")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    std::lock_guard lock(capture.mu);
    ASSERT_EQ(capture.kept.size(), 2u);
    const auto & student = capture.kept[0].role == "student" ? capture.kept[0] : capture.kept[1];
    const auto & teacher = capture.kept[0].role == "student" ? capture.kept[1] : capture.kept[0];
    EXPECT_EQ(student.role, "student");
    EXPECT_EQ(student.model, "slm");
    EXPECT_EQ(student.answer, "abc") << "what the SLM wrote before the cascade stopped it";
    EXPECT_EQ(teacher.role, "teacher");
    EXPECT_EQ(teacher.model, "frontier");
    EXPECT_EQ(teacher.answer, "the frontier answer");
    EXPECT_EQ(student.request_id, teacher.request_id) << "a contrast pair";
}


TEST_F(gateway_test, an_on_prem_models_call_holding_values_pseudonymized_for_external_ones_is_not_captured) {
    memory_capture capture;
    capture_ = &capture;
    start("");
    mid->echo = true;
    auto a = ask("mid", {user("Mail jane.doe@example.com now")});
    ASSERT_TRUE(a.client->end);
    EXPECT_FALSE(a.client->end->failure);
    EXPECT_EQ(mid->calls().at(0).messages[0].content, "Mail jane.doe@example.com now") << "on-prem: the value";
    EXPECT_TRUE(capture.kept.empty()) << "the capture would have kept the value";
    auto plain = ask("mid", {user("Nothing personal here")});
    ASSERT_TRUE(plain.client->end);
    ASSERT_EQ(capture.kept.size(), 1u) << "without such values an on-prem teacher is captured";
    EXPECT_EQ(capture.kept[0].model, "mid");
}

}  // namespace
}  // namespace tiergate::gateway
