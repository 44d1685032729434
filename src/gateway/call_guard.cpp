#include "gateway/call_guard.h"

#include "guard/apply_policy.h"

namespace tiergate::gateway {

namespace {

error blocked(const guard::guard_result & r) {
    return error{error_kind::permission,
                 "the request contains data that policy blocks: " + guard::describe_counts(r.blocking) +
                     "; remove it and send again",
                 "messages", "pii_blocked", {}};
}

// Rewrites one text both ways and adds its findings to `result`.
void guard_one(const guard::scanner & scanner, const guard::guard_policy & policy,
               const guard::guard_policy & on_prem_policy, guard::pseudonymizer & names, const std::string & text,
               std::string & egress, std::string & on_prem, guard::guard_result & result) {
    if (text.empty()) {
        egress = text;
        on_prem = text;
        return;
    }
    const auto findings = scanner.scan(text);
    if (findings.empty()) {
        egress = text;
        on_prem = text;
        return;
    }
    guard::guarded_text out = guard::apply_policy(text, findings, policy, names);
    guard::pseudonymizer unused;
    guard::guarded_text local = guard::apply_policy(text, findings, on_prem_policy, unused);
    egress = std::move(out.text);
    on_prem = std::move(local.text);
    result.merge(out.result);
}

}  // namespace

result<guarded_call> guard_call(const guard::scanner & scanner, const guard::guard_policy & policy,
                                const guard::guard_policy & on_prem_policy, const generation_call & call) {
    guarded_call g;
    g.egress = call;
    g.on_prem = call;
    auto names = std::make_shared<guard::pseudonymizer>();
    for (const auto & m : call.messages) {
        names->reserve_literals(m.content);
    }
    names->reserve_literals(call.prompt);
    for (size_t i = 0; i < call.messages.size(); ++i) {
        guard_one(scanner, policy, on_prem_policy, *names, call.messages[i].content, g.egress.messages[i].content,
                  g.on_prem.messages[i].content, g.result);
    }
    guard_one(scanner, policy, on_prem_policy, *names, call.prompt, g.egress.prompt, g.on_prem.prompt, g.result);
    if (g.result.blocked) {
        return blocked(g.result);
    }
    g.names = std::move(names);
    return g;
}

result<guarded_inputs> guard_inputs(const guard::scanner & scanner, const guard::guard_policy & policy,
                                    const guard::guard_policy & on_prem_policy, const std::vector<std::string> & inputs) {
    guarded_inputs g;
    g.egress.resize(inputs.size());
    g.on_prem.resize(inputs.size());
    guard::pseudonymizer names;
    for (const auto & input : inputs) {
        names.reserve_literals(input);
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
        guard_one(scanner, policy, on_prem_policy, names, inputs[i], g.egress[i], g.on_prem[i], g.result);
    }
    if (g.result.blocked) {
        return blocked(g.result);
    }
    return g;
}

}  // namespace tiergate::gateway
