#include "cli/distill_commands.h"

#include "cli/cli_errors.h"
#include "cli/gateway_assembly.h"
#include "config/load_config.h"
#include "core/request_id.h"
#include "distill/distill_settings.h"
#include "distill/capture_store.h"
#include "distill/chat_example.h"
#include "distill/dataset_export.h"
#include "distill/evaluator.h"
#include "distill/promotion_log.h"
#include "distill/trainer.h"
#include "obs/log.h"
#include "rag/store_location.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

namespace tiergate::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) { interrupted.store(true); }

// --- generate -------------------------------------------------------------

// One prompt of a prompts file: {"messages": [...]} (the answer is the
// teacher's to write) or {"prompt": "..."} (one user message).
result<std::vector<chat_message>> read_prompt(const std::string & line, const std::string & where) {
    json doc = json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return error::invalid(where + ": not a JSON object", where, "invalid_prompts");
    }
    if (auto p = doc.find("prompt"); p != doc.end()) {
        if (!p->is_string() || p->get_ref<const std::string &>().empty()) {
            return error::invalid(where + ": \"prompt\" must be a non-empty string", where, "invalid_prompts");
        }
        return std::vector<chat_message>{chat_message{"user", p->get<std::string>(), {}, {}, {}, {}}};
    }
    // the chat form, with or without a final answer (which is dropped)
    json probe = doc;
    if (auto m = probe.find("messages"); m != probe.end() && m->is_array()) {
        const bool ends_with_answer = !m->empty() && m->back().is_object() && m->back().contains("role") &&
                                      m->back()["role"].is_string() && m->back()["role"] == "assistant";
        if (!ends_with_answer) {
            m->push_back({{"role", "assistant"}, {"content", "-"}});
        }
    }
    auto example = distill::parse_example(probe.dump(), where);
    if (!example) {
        return example.err();
    }
    return std::move(example->prompt);
}

class collected final : public generation_observer {
  public:
    void on_delta(generation_delta && d) override { text += d.content; }
    void on_end(generation_end && e) override {
        std::lock_guard lock(mu);
        end = std::move(e);
        done = true;
        cv.notify_all();
    }
    bool wanted() const override { return true; }
    void wait() {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return done; });
    }
    std::string text;
    generation_end end;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
};

void register_generate(CLI::App & distill) {
    struct options {
        std::string config, task, teacher, prompts, store;
        int max_tokens = 512;
    };
    auto o = std::make_shared<options>();
    CLI::App * cmd = distill.add_subcommand(
        "generate", "send prompts to a teacher model through the gateway (guard, budgets, ledger) and keep its answers");
    cmd->add_option("--config", o->config, "the gateway config")->required()->check(CLI::ExistingFile);
    cmd->add_option("--task", o->task, "the task the answers are for")->required();
    cmd->add_option("--teacher", o->teacher, "the teacher model (a configured name or alias)")->required();
    cmd->add_option("--prompts", o->prompts, "JSONL: {\"prompt\": ...} or {\"messages\": [...]} per line")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--store", o->store, "the capture store (default: the config's distill.capture.store, else "
                                         "tiergate-distill.db beside the config)");
    cmd->add_option("--max-tokens", o->max_tokens, "answer length limit")->capture_default_str()->check(CLI::Range(1, 65536));
    cmd->callback([o] {
        guarded([&] {
            obs::setup_logging({"warn", obs::log_format::text, ""});
            // every prompt is read before anything is sent: a bad line costs nothing
            std::ifstream in(o->prompts, std::ios::binary);
            std::vector<std::vector<chat_message>> prompts;
            std::string line;
            size_t number = 0;
            while (std::getline(in, line)) {
                ++number;
                if (line.find_first_not_of(" \t\r") == std::string::npos) {
                    continue;
                }
                prompts.push_back(take(read_prompt(line, o->prompts + ":" + std::to_string(number))));
            }
            if (prompts.empty()) {
                fail(error::invalid(o->prompts + ": no prompts", o->prompts));
            }
            auto loaded = config::load_config_file(o->config);
            if (!loaded.ok()) {
                std::fprintf(stderr, "%s", loaded.errors_text().c_str());
                throw CLI::RuntimeError(2);
            }
            config::config cfg = std::move(*loaded.value);
            const auto * teacher = cfg.find_model(o->teacher);
            if (teacher == nullptr) {
                fail(error::invalid("the config has no model '" + o->teacher + "'", "teacher"));
            }
            // the capture of this run: every call of this task, into the
            // config's distill store (or --store)
            std::string store = o->store;
            if (store.empty()) {
                config::config_errors errors(cfg.source);
                auto settings = distill::read_distill_settings(cfg, errors);
                if (!errors.empty()) {
                    std::fprintf(stderr, "%s", errors.to_string().c_str());
                    throw CLI::RuntimeError(2);
                }
                store = settings ? settings->store : (cfg.base_dir / "tiergate-distill.db").string();
            }
            YAML::Node section;
            auto where = rag::parse_store_location(store);
            section["store"] = where && !where->postgresql ? fs::absolute(where->target).string() : store;
            section["capture"]["tasks"].push_back(o->task);
            cfg.distill.section = {section, "<distill generate>", "distill"};
            assembly_failure failure;
            auto assembly = gateway_assembly::build(std::move(cfg), failure);
            if (!assembly) {
                if (!failure.message.empty()) {
                    std::fprintf(stderr, "error: %s\n", failure.message.c_str());
                }
                throw CLI::RuntimeError(failure.exit_code);
            }
            std::signal(SIGINT, on_interrupt);
            size_t ok = 0, failed = 0;
            for (size_t i = 0; i < prompts.size() && !interrupted.load(); ++i) {
                generation_call call;
                call.model = teacher->name;
                call.messages = prompts[i];
                call.task = o->task;
                call.params.max_tokens = o->max_tokens;
                call.use_cache = false;  // a fresh answer from the teacher
                gateway::request_context ctx;
                ctx.request_id = new_request_id("distill");
                ctx.arrival_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
                auto answer = std::make_shared<collected>();
                assembly->gate->generate(ctx, std::move(call), std::make_shared<gateway::response_route>(), answer);
                answer->wait();
                if (answer->end.failure) {
                    ++failed;
                    std::fprintf(stderr, "\nprompt %zu: %s\n", i + 1, answer->end.failure->message.c_str());
                } else {
                    ++ok;
                }
                std::fprintf(stderr, "\r%zu/%zu prompts answered, %zu failed   ", ok, prompts.size(), failed);
            }
            std::fprintf(stderr, "\n");
            assembly->shutdown();
            std::printf("%zu answers from %s for task %s into %s; %zu failed\n", ok, o->teacher.c_str(),
                        o->task.c_str(), store.c_str(), failed);
            if (ok == 0) {
                throw CLI::RuntimeError(1);
            }
        });
    });
}

// --- dataset --------------------------------------------------------------

void register_dataset(CLI::App & distill) {
    struct options {
        std::string store = "tiergate-distill.db";
        distill::export_options e;
        std::string out, validation_out, contrast_out;
    };
    auto o = std::make_shared<options>();
    CLI::App * cmd = distill.add_subcommand("dataset", "export captured teacher answers as a chat fine-tuning data set");
    cmd->add_option("--store", o->store, "the capture store: a SQLite file or a postgresql:// URL")->capture_default_str();
    cmd->add_option("--task", o->e.task, "only this task (default: every task)");
    cmd->add_option("--teacher", o->e.teacher, "only this model's answers (default: any model not of the slm tier)");
    cmd->add_option("--out", o->out, "the train examples (JSONL)")->required();
    cmd->add_option("--validation-out", o->validation_out, "the validation examples (default: <out stem>.validation.jsonl)");
    cmd->add_option("--contrast-out", o->contrast_out, "also the cascade's contrast pairs (JSONL)");
    cmd->add_option("--validation-share", o->e.validation_share, "the share held out, by a hash of the prompt")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.9));
    cmd->callback([o] {
        guarded([&] {
            auto where = take(rag::parse_store_location(o->store));
            if (!where.postgresql && !fs::exists(where.target)) {
                fail(error::invalid("no capture store at " + where.target, "store"));
            }
            auto store = take(distill::open_capture_store(o->store));
            o->e.out = o->out;
            o->e.validation_out = o->validation_out;
            o->e.contrast_out = o->contrast_out;
            const auto r = take(distill::export_dataset(*store, o->e));
            std::printf("%zu teacher answers read: %zu duplicates, %zu unusable\n", r.captured, r.duplicates, r.unusable);
            std::printf("train:      %zu examples, %lld prompt tokens, %lld answer tokens -> %s\n", r.train,
                        static_cast<long long>(r.train_prompt_tokens), static_cast<long long>(r.train_answer_tokens),
                        o->out.c_str());
            std::printf("validation: %zu examples, %lld prompt tokens, %lld answer tokens -> %s\n", r.validation,
                        static_cast<long long>(r.validation_prompt_tokens),
                        static_cast<long long>(r.validation_answer_tokens), r.validation_out.string().c_str());
            if (!o->contrast_out.empty()) {
                std::printf("contrast:   %zu pairs -> %s\n", r.contrast, o->contrast_out.c_str());
            }
            if (r.train + r.validation == 0) {
                fail(error::invalid("no teacher answers to export" +
                                        (o->e.task.empty() ? std::string() : " for task '" + o->e.task + "'"),
                                    "task"));
            }
        });
    });
}

// --- train ----------------------------------------------------------------

void register_train(CLI::App & distill) {
    auto o = std::make_shared<distill::train_options>();
    auto paths = std::make_shared<std::array<std::string, 4>>();
    CLI::App * cmd = distill.add_subcommand("train", "fine-tune a GGUF model on a chat data set (llama.cpp ggml-opt)");
    cmd->add_option("--base", (*paths)[0], "the model to start from (GGUF, F32 weights)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--data", (*paths)[1], "the train examples (JSONL chat format)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--validation", (*paths)[2], "held-out examples (default: --validation-share of --data)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--out", (*paths)[3], "the student (GGUF)")->required();
    cmd->add_option("--epochs", o->epochs)->capture_default_str()->check(CLI::Range(1, 1000));
    cmd->add_option("--learning-rate", o->learning_rate)->capture_default_str();
    cmd->add_option("--context", o->context, "tokens per training window, a multiple of 256 (default: the base's, at most 512)")
        ->check(CLI::Range(16, 131072));
    cmd->add_option("--batch", o->batch, "tokens per micro-batch, dividing the context (default: the context)")
        ->check(CLI::Range(1, 131072));
    cmd->add_option("--validation-share", o->validation_share)->capture_default_str()->check(CLI::Range(0.0, 0.9));
    cmd->add_option("--threads", o->threads, "default: every core");
    cmd->add_option("--seed", o->seed, "the order of the examples")->capture_default_str();
    cmd->add_flag("--resume", o->resume, "continue from <out>.checkpoint.gguf when it exists");
    cmd->callback([o, paths] {
        guarded([&] {
            o->base = (*paths)[0];
            o->data = (*paths)[1];
            o->validation = (*paths)[2];
            o->out = (*paths)[3];
            obs::setup_logging({"warn", obs::log_format::text, ""});
            std::signal(SIGINT, on_interrupt);
            o->stop = &interrupted;
            o->progress = [](const distill::train_progress & p) {
                std::fprintf(stderr, "\repoch %d/%d  %lld/%lld windows  loss %.4f  %.0f tokens/s   ", p.epoch, p.epochs,
                             static_cast<long long>(p.step), static_cast<long long>(p.steps), p.loss, p.tokens_per_s);
                if (p.step == p.steps) {
                    std::fprintf(stderr, "\n");
                }
            };
            const auto r = take(distill::train(*o));
            if (r.interrupted) {
                std::printf("interrupted: checkpoint %s (resume with --resume)\n", r.written.string().c_str());
                throw CLI::RuntimeError(130);
            }
            std::printf("%zu train and %zu validation examples; %d epochs of %lld tokens at %.0f tokens/s (%.1f s)\n",
                        r.train_examples, r.validation_examples, r.epochs_done, static_cast<long long>(r.train_tokens),
                        r.tokens_per_s, r.seconds);
            std::printf("train loss %.4f", r.train_loss);
            if (r.validation_loss >= 0) {
                std::printf(", validation loss %.4f", r.validation_loss);
            }
            std::printf("\nstudent: %s\n", r.written.string().c_str());
        });
    });
}

// --- eval -----------------------------------------------------------------

json scores_json(const distill::eval_scores & s) {
    return {{"nll", s.nll},
            {"exact_match", s.exact_match},
            {"agreement", s.agreement},
            {"examples", s.examples},
            {"skipped", s.skipped},
            {"short_answers", s.short_answers},
            {"answer_tokens", s.answer_tokens}};
}

void register_eval(CLI::App & distill) {
    struct options {
        std::string model, data, baseline;
        bool as_json = false;
        distill::eval_options e;
    };
    auto o = std::make_shared<options>();
    CLI::App * cmd = distill.add_subcommand("eval", "score a model on the teacher's answers of a data set");
    cmd->add_option("--model", o->model, "the student (GGUF)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--data", o->data, "examples (JSONL chat format), usually the validation set")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--baseline", o->baseline, "the base model, scored side by side")->check(CLI::ExistingFile);
    cmd->add_option("--context", o->e.context, "default: the model's training context, at most 4096");
    cmd->add_option("--threads", o->e.threads, "default: every core");
    cmd->add_flag("--json", o->as_json, "print {\"student\": {...}, \"baseline\": {...}}");
    cmd->callback([o] {
        guarded([&] {
            obs::setup_logging({"warn", obs::log_format::text, ""});
            const auto examples = take(distill::read_examples(o->data));
            const auto student = take(distill::evaluate(o->model, examples, o->e));
            std::optional<distill::eval_scores> baseline;
            if (!o->baseline.empty()) {
                baseline = take(distill::evaluate(o->baseline, examples, o->e));
            }
            if (o->as_json) {
                json out = {{"student", scores_json(student)}};
                if (baseline) {
                    out["baseline"] = scores_json(*baseline);
                }
                std::printf("%s\n", out.dump(2).c_str());
                return;
            }
            std::printf("%-10s %10s %10s %12s %9s\n", "", "nll", "agreement", "exact_match", "examples");
            auto row = [](const char * name, const distill::eval_scores & s) {
                std::printf("%-10s %10.4f %10.4f %12.4f %9zu\n", name, s.nll, s.agreement, s.exact_match, s.examples);
            };
            row("student", student);
            if (baseline) {
                row("baseline", *baseline);
            }
        });
    });
}

// --- labels -----------------------------------------------------------------

// A CSV field, quoted as RFC 4180 says.
std::string csv_field(const std::string & text) {
    std::string out = "\"";
    for (char c : text) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

void register_labels(CLI::App & distill) {
    struct options {
        std::string model, data, out, student_name, teacher_name;
        distill::eval_options e;
    };
    auto o = std::make_shared<options>();
    CLI::App * cmd = distill.add_subcommand(
        "labels", "score a student on each teacher answer and write routing data (`tiergate router train --data`)");
    cmd->add_option("--model", o->model, "the student (GGUF), usually the one promoted")->required()->check(CLI::ExistingFile);
    cmd->add_option("--data", o->data, "examples (JSONL chat format)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--student-name", o->student_name, "the student's model name in the config")->required();
    cmd->add_option("--teacher-name", o->teacher_name, "the teacher's model name in the config")->required();
    cmd->add_option("--out", o->out, "routing CSV (RouteLLM format: prompt, one 0..1 column per model)")->required();
    cmd->add_option("--context", o->e.context, "default: the model's training context, at most 4096");
    cmd->add_option("--threads", o->e.threads, "default: every core");
    cmd->callback([o] {
        guarded([&] {
            obs::setup_logging({"warn", obs::log_format::text, ""});
            if (o->student_name == o->teacher_name || o->student_name.empty() ||
                o->student_name.find_first_of(",\"\n") != std::string::npos ||
                o->teacher_name.find_first_of(",\"\n") != std::string::npos) {
                fail(error::invalid("the student and teacher names must differ and hold no comma, quote or newline",
                                    "student-name"));
            }
            const auto examples = take(distill::read_examples(o->data));
            o->e.per_example = true;
            const auto scores = take(distill::evaluate(o->model, examples, o->e));
            std::ofstream out(o->out, std::ios::binary | std::ios::trunc);
            if (!out) {
                fail(error::invalid("cannot write " + o->out, "out"));
            }
            out << "prompt," << o->student_name << "," << o->teacher_name << "\n";
            size_t written = 0;
            double sum = 0.0;
            for (size_t i = 0; i < examples.size() && i < scores.per_example.size(); ++i) {
                const auto & s = scores.per_example[i];
                // the router reads the last user message
                const chat_message * last_user = nullptr;
                for (const auto & m : examples[i].prompt) {
                    if (m.role == "user") {
                        last_user = &m;
                    }
                }
                if (s.skipped || last_user == nullptr) {
                    continue;
                }
                // how well the student stands in for the teacher: the share of the answer's
                // tokens that are its own first choice (1: it writes the teacher's answer)
                const double quality = s.exact ? 1.0 : s.agreement;
                char cell[32];
                std::snprintf(cell, sizeof(cell), "%.4f", quality);
                out << csv_field(last_user->content) << "," << cell << ",1\n";
                sum += quality;
                ++written;
            }
            if (!out.flush()) {
                fail(error::invalid("cannot write " + o->out + " (is the disk full?)", "out"));
            }
            std::printf("%zu prompts labelled into %s: mean quality of %s %.3f (%s: 1)\n", written, o->out.c_str(),
                        o->student_name.c_str(), written ? sum / static_cast<double>(written) : 0.0,
                        o->teacher_name.c_str());
        });
    });
}

// --- promote / rollback ----------------------------------------------------

// The config's local model `name`, its distill store, and the weights it serves now.
struct served_model {
    std::string name;
    std::string store;
    std::string current;
};

served_model served(const std::string & config_path, const std::string & model) {
    auto loaded = config::load_config_file(config_path);
    if (!loaded.ok()) {
        std::fprintf(stderr, "%s", loaded.errors_text().c_str());
        throw CLI::RuntimeError(2);
    }
    const config::config & cfg = *loaded.value;
    const auto * m = cfg.find_model(model);
    if (m == nullptr || m->provider != config::provider_kind::local) {
        fail(error::invalid("the config has no local model '" + model + "'", "model"));
    }
    config::config_errors errors(cfg.source);
    auto settings = distill::read_distill_settings(cfg, errors);
    if (!errors.empty()) {
        std::fprintf(stderr, "%s", errors.to_string().c_str());
        throw CLI::RuntimeError(2);
    }
    if (!settings) {
        fail(error::invalid(config_path + " has no distill section: gateways following it would not see a promotion",
                            "config"));
    }
    served_model out{m->name, settings->store, m->local->path.string()};
    auto log = take(distill::open_promotion_log(out.store));
    if (auto last = take(log->latest(out.name))) {
        out.current = last->path;
    }
    return out;
}

void register_promote(CLI::App & distill) {
    struct options {
        std::string config, model, student, validation;
        bool force = false;
        distill::eval_options e;
    };
    auto o = std::make_shared<options>();
    CLI::App * cmd = distill.add_subcommand(
        "promote", "serve a student in place of a local model's weights, in every gateway following the config's store");
    cmd->add_option("--config", o->config, "the gateway config")->required()->check(CLI::ExistingFile);
    cmd->add_option("--model", o->model, "the local model entry")->required();
    cmd->add_option("--student", o->student, "the student (GGUF)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--validation", o->validation,
                    "held-out examples: the student must not be worse (NLL) than the weights served now")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--force", o->force, "promote even when the student is worse on the validation set");
    cmd->callback([o] {
        guarded([&] {
            obs::setup_logging({"warn", obs::log_format::text, ""});
            served_model m = served(o->config, o->model);
            const std::string student = fs::absolute(o->student).string();
            distill::promotion p;
            p.model = m.name;
            p.path = student;
            p.previous = m.current;
            p.action = "promote";
            p.forced = o->force;
            if (!o->validation.empty()) {
                const auto examples = take(distill::read_examples(o->validation));
                o->e.per_example = true;
                const auto s = take(distill::evaluate(student, examples, o->e));
                const auto b = take(distill::evaluate(m.current, examples, o->e));
                // over the examples both scored (their contexts may differ)
                double s_sum = 0, b_sum = 0;
                int64_t s_tokens = 0, b_tokens = 0;
                size_t both = 0;
                for (size_t i = 0; i < s.per_example.size() && i < b.per_example.size(); ++i) {
                    const auto & x = s.per_example[i];
                    const auto & y = b.per_example[i];
                    if (x.skipped || y.skipped) {
                        continue;
                    }
                    s_sum += x.nll * static_cast<double>(x.tokens);
                    b_sum += y.nll * static_cast<double>(y.tokens);
                    s_tokens += x.tokens;
                    b_tokens += y.tokens;
                    ++both;
                }
                if (both == 0) {
                    fail(error::invalid("no example of " + o->validation + " fits both models' contexts", "validation"));
                }
                p.student_nll = s_sum / static_cast<double>(s_tokens);
                p.base_nll = b_sum / static_cast<double>(b_tokens);
                std::printf("validation NLL: student %.4f, served now %.4f (%zu examples)\n", p.student_nll,
                            p.base_nll, both);
                if (p.student_nll > p.base_nll && !o->force) {
                    fail(error::invalid("refused: the student is worse than the weights served now on " +
                                            o->validation + " (NLL " + std::to_string(p.student_nll) + " > " +
                                            std::to_string(p.base_nll) + "); --force promotes it anyway",
                                        "student"));
                }
            } else {
                // at least a model llama.cpp loads: a failed load in the gateways would only be logged
                take(distill::check_loadable(student));
            }
            auto log = take(distill::open_promotion_log(m.store));
            const auto r = take(log->record(p));
            std::printf("model %s: version %d serves %s (was %s); running gateways swap within a second\n",
                        r.model.c_str(), r.version, r.path.c_str(), r.previous.c_str());
        });
    });
}

void register_rollback(CLI::App & distill) {
    struct options {
        std::string config, model;
    };
    auto o = std::make_shared<options>();
    CLI::App * cmd = distill.add_subcommand("rollback", "serve the weights a local model served before its last promotion");
    cmd->add_option("--config", o->config, "the gateway config")->required()->check(CLI::ExistingFile);
    cmd->add_option("--model", o->model, "the local model entry")->required();
    cmd->callback([o] {
        guarded([&] {
            obs::setup_logging({"warn", obs::log_format::text, ""});
            served_model m = served(o->config, o->model);
            auto log = take(distill::open_promotion_log(m.store));
            auto last = take(log->latest(m.name));
            if (!last || last->previous.empty()) {
                fail(error::invalid("model " + m.name + " has no promotion to roll back", "model"));
            }
            distill::promotion p;
            p.model = m.name;
            p.path = last->previous;
            p.previous = last->path;
            p.action = "rollback";
            const auto r = take(log->record(p));
            std::printf("model %s: version %d serves %s again (was %s)\n", r.model.c_str(), r.version, r.path.c_str(),
                        r.previous.c_str());
        });
    });
}

}  // namespace

void register_distill_commands(CLI::App & root) {
    CLI::App * distill = root.add_subcommand("distill", "capture teacher answers, build data sets, fine-tune, evaluate");
    distill->require_subcommand(1);
    register_generate(*distill);
    register_dataset(*distill);
    register_train(*distill);
    register_eval(*distill);
    register_labels(*distill);
    register_promote(*distill);
    register_rollback(*distill);
}

}  // namespace tiergate::cli
