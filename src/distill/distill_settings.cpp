#include "distill/distill_settings.h"

#include "config/map_reader.h"
#include "rag/store_location.h"

namespace tiergate::distill {

namespace {

void read_capture(config::map_reader & in, capture_settings & out, config::config_errors & errors) {
    auto list = [&](const char * key, std::vector<std::string> & into) {
        if (auto l = in.string_list(key)) {
            for (auto & v : l->value) {
                into.push_back(std::move(v.value));
            }
        }
    };
    list("routes", out.rules.routes);
    list("keys", out.rules.keys);
    list("teams", out.rules.teams);
    list("tasks", out.rules.tasks);
    if (auto s = in.number("sample")) {
        if (s->value < 0.0 || s->value > 1.0) {
            errors.add(s->pos, in.field_path("sample"), "must be between 0 and 1");
        } else {
            out.rules.sample = s->value;
        }
    }
    if (auto mb = in.integer("max_mb")) {
        if (mb->value < 1 || mb->value > (int64_t{1} << 24)) {
            errors.add(mb->pos, in.field_path("max_mb"), "must be between 1 and 16777216");
        } else {
            out.max_bytes = mb->value << 20;
        }
    }
    if (auto b = in.boolean("on_prem")) {
        out.rules.on_prem = b->value;
    }
}

}  // namespace

std::optional<distill_settings> read_distill_settings(const config::config & cfg, config::config_errors & errors) {
    const auto & section = cfg.distill.section;
    if (!section.present()) {
        return std::nullopt;
    }
    const size_t errors_before = errors.list().size();
    config::map_reader top(section.node, section.path, errors);
    if (!top.valid()) {
        return std::nullopt;
    }
    distill_settings out;
    auto ledger = rag::parse_store_location(cfg.ledger.store);
    out.store = ledger && ledger->postgresql ? cfg.ledger.store : (cfg.base_dir / "tiergate-distill.db").string();
    if (auto store = top.string("store")) {
        auto where = rag::parse_store_location(store->value);
        if (!where) {
            errors.add(store->pos, top.field_path("store"), where.err().message);
        } else if (where->postgresql) {
            out.store = where->target;
        } else {
            std::filesystem::path p = where->target;
            out.store = (p.is_absolute() ? p : cfg.base_dir / p).string();
        }
    }
    auto node = top.node("capture");
    top.finish();
    if (node) {
        config::map_reader in(*node, top.field_path("capture"), errors);
        if (in.valid()) {
            capture_settings c;
            c.store = out.store;
            read_capture(in, c, errors);
            in.finish();
            out.capture = std::move(c);
        }
    }
    if (errors.list().size() != errors_before) {
        return std::nullopt;
    }
    return out;
}

}  // namespace tiergate::distill
