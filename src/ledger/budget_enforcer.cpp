#include "ledger/budget_enforcer.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace tiergate::ledger {

std::string_view to_string(limit_scope s) { return s == limit_scope::key ? "key" : "team"; }

std::string_view to_string(limit_kind k) {
    switch (k) {
        case limit_kind::usd_per_day: return "usd_per_day";
        case limit_kind::usd_per_month: return "usd_per_month";
        case limit_kind::tokens_per_minute: return "tokens_per_minute";
        case limit_kind::requests_per_minute: return "requests_per_minute";
    }
    return "requests_per_minute";
}

int64_t budget_decision::retry_after_s() const {
    if (!limit) {
        return 0;
    }
    const int64_t now = system_now_ms();
    const int64_t wait_ms = std::max<int64_t>(0, limit->reset_at_ms - now);
    return std::max<int64_t>(1, (wait_ms + 999) / 1000);
}

int64_t system_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

time_window window_for(limit_kind kind, int64_t now_ms) {
    using namespace std::chrono;
    constexpr int64_t minute = 60'000;
    constexpr int64_t day = 86'400'000;
    switch (kind) {
        case limit_kind::tokens_per_minute:
        case limit_kind::requests_per_minute: {
            const int64_t start = now_ms - ((now_ms % minute) + minute) % minute;
            return {start, start + minute};
        }
        case limit_kind::usd_per_day: {
            const int64_t start = now_ms - ((now_ms % day) + day) % day;
            return {start, start + day};
        }
        case limit_kind::usd_per_month: {
            const sys_days today = floor<days>(sys_time<milliseconds>(milliseconds(now_ms)));
            const year_month_day ymd(today);
            const sys_days first = sys_days(ymd.year() / ymd.month() / 1);
            const sys_days next = sys_days((ymd.year() / ymd.month() + months(1)) / 1);
            return {duration_cast<milliseconds>(first.time_since_epoch()).count(),
                    duration_cast<milliseconds>(next.time_since_epoch()).count()};
        }
    }
    return {now_ms, now_ms + minute};
}

std::string format_utc(int64_t ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds(ms)};
    const sys_days d = floor<days>(t);
    const year_month_day ymd(d);
    const hh_mm_ss hms(floor<seconds>(t - d));
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                  static_cast<long>(hms.seconds().count()));
    return buf;
}

namespace {

int64_t to_micro_usd(double usd) {
    if (!(usd > 0.0)) {
        return 0;
    }
    return static_cast<int64_t>(std::ceil(usd * micro_usd_per_usd));
}

bool is_usd(limit_kind k) { return k == limit_kind::usd_per_day || k == limit_kind::usd_per_month; }

struct planned_charge {
    counter_charge charge;
    limit_scope scope;
    std::string id;
    limit_kind kind;
    int64_t reset_at_ms;
    exhaust_action on_exhausted;
};

std::string counter_name(const budget_config & config, limit_scope scope, const std::string & id, limit_kind kind,
                         const time_window & w) {
    return config.key_prefix + std::string(to_string(scope)) + ":" + id + ":" + std::string(to_string(kind)) + ":" +
           std::to_string(w.start_ms);
}

// The limits of one key or team: its own, else the default for its scope; null: none.
const limit_set * limits_for(const budget_config & config, limit_scope scope, const std::string & id) {
    const auto & own = scope == limit_scope::key ? config.keys : config.teams;
    if (auto it = own.find(id); it != own.end()) {
        return &it->second;
    }
    const auto & fallback = scope == limit_scope::key ? config.default_key : config.default_team;
    return fallback ? &*fallback : nullptr;
}

// The limits a set holds, each with its value in counter units (micro-dollars, tokens, requests).
std::vector<std::pair<limit_kind, int64_t>> kinds_of(const limit_set & limits);

void add_limits(std::vector<planned_charge> & out, const budget_config & config, limit_scope scope,
                const std::string & id, const limit_set & limits, const budget_request & req, int64_t now_ms) {
    auto add = [&](limit_kind kind, int64_t limit, int64_t amount) {
        const auto w = window_for(kind, now_ms);
        planned_charge p;
        p.charge.counter = counter_name(config, scope, id, kind, w);
        p.charge.amount = amount;
        p.charge.limit = limit;
        // Counters outlive their window by a minute so a late settle still finds them.
        p.charge.expire_at_ms = w.end_ms + 60'000;
        p.scope = scope;
        p.id = id;
        p.kind = kind;
        p.reset_at_ms = w.end_ms;
        p.on_exhausted = is_usd(kind) ? limits.on_usd_exhausted : exhaust_action::reject;
        out.push_back(std::move(p));
    };
    for (const auto & [kind, limit] : kinds_of(limits)) {
        const int64_t amount = kind == limit_kind::requests_per_minute ? 1
                               : kind == limit_kind::tokens_per_minute ? std::max<int64_t>(0, req.max_tokens)
                                                                       : to_micro_usd(req.max_cost_usd);
        add(kind, limit, amount);
    }
}

std::vector<std::pair<limit_kind, int64_t>> kinds_of(const limit_set & limits) {
    std::vector<std::pair<limit_kind, int64_t>> out;
    if (limits.requests_per_minute) {
        out.emplace_back(limit_kind::requests_per_minute, std::max<int64_t>(0, *limits.requests_per_minute));
    }
    if (limits.tokens_per_minute) {
        out.emplace_back(limit_kind::tokens_per_minute, std::max<int64_t>(0, *limits.tokens_per_minute));
    }
    if (limits.usd_per_day) {
        out.emplace_back(limit_kind::usd_per_day, to_micro_usd(*limits.usd_per_day));
    }
    if (limits.usd_per_month) {
        out.emplace_back(limit_kind::usd_per_month, to_micro_usd(*limits.usd_per_month));
    }
    return out;
}

double display_amount(limit_kind kind, int64_t v) {
    return is_usd(kind) ? static_cast<double>(v) / micro_usd_per_usd : static_cast<double>(v);
}

}  // namespace

budget_enforcer::budget_enforcer(budget_config config, counter_backend & counters)
    : config_(std::make_shared<const budget_config>(std::move(config))), counters_(counters) {}

std::shared_ptr<const budget_config> budget_enforcer::config() const {
    std::lock_guard lock(config_mutex_);
    return config_;
}

void budget_enforcer::set_config(budget_config config) {
    auto next = std::make_shared<const budget_config>(std::move(config));
    std::lock_guard lock(config_mutex_);
    config_ = std::move(next);
}

bool budget_enforcer::applies(const std::string & key_id, const std::string & team) const {
    const auto cfg = config();
    return limits_for(*cfg, limit_scope::key, key_id) != nullptr ||
           (!team.empty() && limits_for(*cfg, limit_scope::team, team) != nullptr);
}

result<std::vector<limit_status>> budget_enforcer::status(limit_scope scope, const std::string & id,
                                                          int64_t now_ms) const {
    const int64_t now = now_ms > 0 ? now_ms : system_now_ms();
    const auto cfg = config();
    std::vector<limit_status> out;
    const limit_set * limits = limits_for(*cfg, scope, id);
    if (limits == nullptr) {
        return out;
    }
    for (const auto & [kind, limit] : kinds_of(*limits)) {
        const auto w = window_for(kind, now);
        auto used = counters_.value(counter_name(*cfg, scope, id, kind, w), now);
        if (!used) {
            return used.err();
        }
        limit_status s;
        s.scope = scope;
        s.id = id;
        s.kind = kind;
        s.limit = display_amount(kind, limit);
        s.used = display_amount(kind, *used);
        s.reset_at_ms = w.end_ms;
        s.on_exhausted = is_usd(kind) ? limits->on_usd_exhausted : exhaust_action::reject;
        out.push_back(std::move(s));
    }
    return out;
}

result<budget_decision> budget_enforcer::reserve(const budget_request & req) {
    const int64_t now = req.now_ms > 0 ? req.now_ms : system_now_ms();
    const auto cfg = config();
    std::vector<planned_charge> planned;
    if (const limit_set * key_limits = limits_for(*cfg, limit_scope::key, req.key_id)) {
        add_limits(planned, *cfg, limit_scope::key, req.key_id, *key_limits, req, now);
    }
    if (!req.team.empty()) {
        if (const limit_set * team_limits = limits_for(*cfg, limit_scope::team, req.team)) {
            add_limits(planned, *cfg, limit_scope::team, req.team, *team_limits, req, now);
        }
    }
    budget_decision decision;
    if (planned.empty()) {
        return decision;
    }
    std::vector<counter_charge> charges;
    charges.reserve(planned.size());
    for (const auto & p : planned) {
        charges.push_back(p.charge);
    }
    auto outcome = counters_.reserve(charges, now);
    if (!outcome) {
        return outcome.err();
    }
    if (outcome->granted) {
        for (const auto & p : planned) {
            decision.held.charges.push_back({p.charge.counter, p.kind, p.charge.amount});
        }
        return decision;
    }
    const auto & p = planned[std::min(outcome->refused_index, planned.size() - 1)];
    exhausted_limit l;
    l.scope = p.scope;
    l.id = p.id;
    l.kind = p.kind;
    l.limit = display_amount(p.kind, p.charge.limit);
    l.used = display_amount(p.kind, outcome->current);
    l.reset_at_ms = p.reset_at_ms;
    decision.limit = l;
    decision.verdict = p.on_exhausted == exhaust_action::degrade_to_slm ? budget_verdict::degrade_to_slm
                                                                       : budget_verdict::rejected;
    return decision;
}

result<bool> budget_enforcer::settle(reservation & held, double cost_usd, int64_t tokens, int64_t now_ms) {
    if (held.settled) {
        return false;
    }
    const int64_t now = now_ms > 0 ? now_ms : system_now_ms();
    std::vector<counter_delta> deltas;
    for (const auto & c : held.charges) {
        int64_t actual = c.amount;
        switch (c.kind) {
            case limit_kind::usd_per_day:
            case limit_kind::usd_per_month: actual = to_micro_usd(cost_usd); break;
            case limit_kind::tokens_per_minute: actual = std::max<int64_t>(0, tokens); break;
            case limit_kind::requests_per_minute: actual = c.amount; break;
        }
        if (actual != c.amount) {
            deltas.push_back({c.counter, actual - c.amount});
        }
    }
    held.settled = true;
    if (deltas.empty()) {
        return true;
    }
    return counters_.adjust(deltas, now);
}

result<bool> budget_enforcer::release(reservation & held, int64_t now_ms) { return settle(held, 0.0, 0, now_ms); }

error budget_error(const budget_decision & d) {
    error e;
    e.kind = error_kind::rate_limited;
    if (!d.limit) {
        e.message = "budget exhausted";
        e.code = "budget_exhausted";
        return e;
    }
    const auto & l = *d.limit;
    char amount[64];
    const bool usd = l.kind == limit_kind::usd_per_day || l.kind == limit_kind::usd_per_month;
    if (usd) {
        std::snprintf(amount, sizeof(amount), "%.2f USD", l.limit);
    } else {
        std::snprintf(amount, sizeof(amount), "%.0f", l.limit);
    }
    const char * what = "";
    switch (l.kind) {
        case limit_kind::usd_per_day: what = "per day"; break;
        case limit_kind::usd_per_month: what = "per month"; break;
        case limit_kind::tokens_per_minute: what = "tokens per minute"; break;
        case limit_kind::requests_per_minute: what = "requests per minute"; break;
    }
    e.message = std::string(to_string(l.scope)) + " '" + l.id + "' " + (usd ? "budget of " : "limit of ") + amount + " " +
                what + " is exhausted; it resets at " + format_utc(l.reset_at_ms);
    e.code = usd ? "budget_exhausted" : "rate_limit_exceeded";
    e.retry_after_s = static_cast<int>(d.retry_after_s());
    return e;
}

}  // namespace tiergate::ledger
