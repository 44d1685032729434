#include "cli/finops_commands.h"

#include "cli/cli_group.h"
#include "core/error.h"
#include "ledger/budget_enforcer.h"
#include "ledger/report.h"
#include "ledger/store.h"
#include "plan/cost_plan.h"
#include "plan/gguf_reader.h"
#include "plan/memory_plan.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

namespace tiergate::cli {

namespace {

// Exit codes: 2 for input the user must fix, 1 for failures at run time.
[[noreturn]] void fail(const error & e) {
    std::cerr << "error: " << e.message;
    if (!e.param.empty()) {
        std::cerr << " (--" << e.param << ")";
    }
    std::cerr << "\n";
    throw CLI::RuntimeError(e.kind == error_kind::invalid_request || e.kind == error_kind::not_found ? 2 : 1);
}

struct report_args {
    std::string since = "7d";
    std::string db = "tiergate-ledger.db";
    std::string html;
    bool json = false;
};

void run_report(const report_args & a) {
    auto period = ledger::parse_period(a.since);
    if (!period) {
        fail(period.err());
    }
    // A report reads an existing ledger: do not create an empty SQLite file.
    const bool postgres = a.db.rfind("postgresql://", 0) == 0 || a.db.rfind("postgres://", 0) == 0;
    if (!postgres && a.db != ":memory:") {
        std::string path = a.db;
        if (path.rfind("sqlite://", 0) == 0) {
            path = path.substr(9);
        } else if (path.rfind("sqlite:", 0) == 0) {
            path = path.substr(7);
        }
        if (path.find("://") == std::string::npos && !std::filesystem::exists(path)) {
            fail(error{error_kind::not_found, "no ledger database at " + path, "db", "", {}});
        }
    }
    auto source = ledger::open_store(a.db);
    if (!source) {
        fail(source.err());
    }
    const int64_t to = ledger::system_now_ms() + 1;
    auto report = ledger::build_report(**source, to - *period, to);
    if (!report) {
        fail(report.err());
    }
    if (!a.html.empty()) {
        std::ofstream out(a.html, std::ios::binary | std::ios::trunc);
        out << ledger::render_report_html(*report);
        if (!out.flush()) {
            fail(error{error_kind::invalid_request, "cannot write " + a.html, "html", "", {}});
        }
    }
    std::cout << (a.json ? ledger::render_report_json(*report) + "\n" : ledger::render_report_text(*report));
}

struct memory_args {
    std::string model;
    int64_t ctx = 0;
    int64_t parallel = 1;
    std::string kv_type = "f16";
    bool json = false;
};

void run_plan_memory(const memory_args & a) {
    auto file = plan::read_gguf(a.model);
    if (!file) {
        fail(file.err());
    }
    plan::memory_plan_options o;
    o.ctx_per_slot = a.ctx;
    o.parallel = a.parallel;
    o.kv_type = a.kv_type;
    auto p = plan::plan_memory(*file, o);
    if (!p) {
        fail(p.err());
    }
    std::cout << (a.json ? plan::render_memory_plan_json(*p) + "\n" : plan::render_memory_plan_text(*p));
}

struct cost_args {
    plan::cost_plan_options options;
    plan::cost_price_table prices;
    bool json = false;
};

void run_plan_cost(const cost_args & a) {
    auto c = plan::plan_cost(a.options, a.prices);
    if (!c) {
        fail(c.err());
    }
    std::cout << (a.json ? plan::render_cost_plan_json(*c) + "\n" : plan::render_cost_plan_text(*c));
}

}  // namespace

void register_finops_commands(CLI::App & root) {
    auto report = std::make_shared<report_args>();
    CLI::App * r = root.add_subcommand("report", "Cost, savings, traffic share and latency per tier from the ledger");
    r->add_option("--since", report->since, "period to report, ending now: 7d, 24h, 90m, 2w")->capture_default_str();
    r->add_option("--db", report->db, "ledger database: a SQLite path or postgresql://...")->capture_default_str();
    r->add_option("--html", report->html, "also write an HTML report with charts to this file");
    r->add_flag("--json", report->json, "print JSON instead of text");
    r->callback([report] { run_report(*report); });

    CLI::App & plan_group = command_group(root, "plan", "Capacity and cost planning");

    auto memory = std::make_shared<memory_args>();
    CLI::App * m = plan_group.add_subcommand("memory", "Memory needed to serve a GGUF model in tiergate");
    m->add_option("--model", memory->model, "GGUF model file")->required();
    m->add_option("--ctx", memory->ctx, "context tokens per slot (0: the model's, at most 4096)")->capture_default_str();
    m->add_option("--parallel", memory->parallel, "slots decoded together")->capture_default_str();
    m->add_option("--kv-type", memory->kv_type, "KV cache type: f16 or q8_0")->capture_default_str();
    m->add_flag("--json", memory->json, "print JSON instead of text");
    m->callback([memory] { run_plan_memory(*memory); });

    auto cost = std::make_shared<cost_args>();
    CLI::App * c = plan_group.add_subcommand("cost", "Monthly cost: all-frontier vs hybrid vs self-hosted, and break-even");
    c->add_option("--requests-per-day", cost->options.requests_per_day, "requests per day")->required();
    c->add_option("--input-tokens", cost->options.input_tokens, "prompt tokens per request")->required();
    c->add_option("--output-tokens", cost->options.output_tokens, "output tokens per request")->required();
    c->add_option("--slm-share", cost->options.slm_share, "share of requests served by the SLM, 0..1")->required();
    c->add_option("--mid-share", cost->options.mid_share, "share of requests served by the mid tier, 0..1")
        ->capture_default_str();
    c->add_option("--gpu-usd-per-hour", cost->prices.gpu_usd_per_hour, "price of one inference GPU per hour")
        ->capture_default_str();
    c->add_flag("--json", cost->json, "print JSON instead of text");
    c->callback([cost] { run_plan_cost(*cost); });
}

}  // namespace tiergate::cli
