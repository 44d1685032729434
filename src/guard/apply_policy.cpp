#include "guard/apply_policy.h"

namespace tiergate::guard {

namespace {

const policy_rule * deciding_rule(const guard_policy & policy, const finding & f) {
    for (const policy_rule & rule : policy.rules) {
        if (rule.covers(f.type, f.score)) {
            return &rule;
        }
    }
    return nullptr;
}

}  // namespace

policy_action action_for(const guard_policy & policy, const finding & f) {
    const policy_rule * rule = deciding_rule(policy, f);
    return rule == nullptr ? policy_action::allow : rule->action;
}

guarded_text apply_policy(std::string_view text, const std::vector<finding> & findings, const guard_policy & policy,
                          pseudonymizer & names) {
    guarded_text out;
    out.text.reserve(text.size());
    size_t pos = 0;
    for (const finding & f : findings) {
        if (f.start < pos || f.end > text.size() || f.end <= f.start) {
            continue;
        }
        const size_t t = index_of(f.type);
        ++out.result.found[t];
        const policy_rule * rule = deciding_rule(policy, f);
        const policy_action action = rule == nullptr ? policy_action::allow : rule->action;
        switch (action) {
            case policy_action::allow:
                break;
            case policy_action::on_prem_only:
                out.result.on_prem_only = true;
                break;
            case policy_action::block:
                out.result.blocked = true;
                ++out.result.blocking[t];
                break;
            case policy_action::redact:
                out.text.append(text.substr(pos, f.start - pos));
                out.text.append(redaction_marker(f.type));
                pos = f.end;
                ++out.result.redacted[t];
                break;
            case policy_action::pseudonymize:
                out.text.append(text.substr(pos, f.start - pos));
                out.text.append(names.placeholder_for(f.type, text.substr(f.start, f.end - f.start)));
                pos = f.end;
                ++out.result.pseudonymized[t];
                break;
        }
    }
    out.text.append(text.substr(pos));
    return out;
}

result<guarded_text> guard_text(const scanner & scanner, std::string_view text, const guard_policy & policy,
                                pseudonymizer & names) {
    const std::vector<finding> findings = scanner.scan(text);
    guarded_text out = apply_policy(text, findings, policy, names);
    if (out.result.blocked) {
        return error{error_kind::permission,
                     "the request contains data that policy blocks: " + describe_counts(out.result.blocking),
                     "messages", "pii_blocked", {}};
    }
    return out;
}

}  // namespace tiergate::guard
