#include "gateway/call_guard.h"

#include <nlohmann/json.hpp>

#include "core/json_depth.h"
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

// JSON text a client sent (a tool call's arguments, a tool's parameter
// schema): each string value is guarded as text, so that a placeholder never
// breaks the JSON, and the keys keep their order. Text that is not JSON, or
// nests too deep to walk, is guarded as plain text; text the policy leaves
// as it was is passed on byte for byte.
void guard_json(const guard::scanner & scanner, const guard::guard_policy & policy,
                const guard::guard_policy & on_prem_policy, guard::pseudonymizer & names, const std::string & text,
                std::string & egress, std::string & on_prem, guard::guard_result & result) {
    using json = nlohmann::ordered_json;
    json doc;
    if (first_too_deep(text, max_request_json_depth) == std::string::npos) {
        doc = json::parse(text, nullptr, false);
    }
    if (doc.is_discarded() || doc.is_null()) {
        return guard_one(scanner, policy, on_prem_policy, names, text, egress, on_prem, result);
    }
    json out = doc, local = doc;
    bool egress_changed = false, on_prem_changed = false;
    auto walk = [&](auto && self, const json & in, json & e, json & o) -> void {
        if (in.is_string()) {
            const auto & s = in.get_ref<const std::string &>();
            std::string es, os;
            guard_one(scanner, policy, on_prem_policy, names, s, es, os, result);
            egress_changed = egress_changed || es != s;
            on_prem_changed = on_prem_changed || os != s;
            e = std::move(es);
            o = std::move(os);
        } else if (in.is_array()) {
            for (size_t i = 0; i < in.size(); ++i) {
                self(self, in[i], e[i], o[i]);
            }
        } else if (in.is_object()) {
            for (auto it = in.begin(); it != in.end(); ++it) {
                self(self, it.value(), e[it.key()], o[it.key()]);
            }
        }
    };
    walk(walk, doc, out, local);
    egress = egress_changed ? out.dump(-1, ' ', false, json::error_handler_t::replace) : text;
    on_prem = on_prem_changed ? local.dump(-1, ' ', false, json::error_handler_t::replace) : text;
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
        for (const auto & c : m.tool_calls) {
            names->reserve_literals(c.arguments);
        }
    }
    for (const auto & t : call.tools) {
        names->reserve_literals(t.description);
        names->reserve_literals(t.parameters_json);
    }
    names->reserve_literals(call.prompt);
    for (size_t i = 0; i < call.tools.size(); ++i) {
        guard_one(scanner, policy, on_prem_policy, *names, call.tools[i].description, g.egress.tools[i].description,
                  g.on_prem.tools[i].description, g.result);
        guard_json(scanner, policy, on_prem_policy, *names, call.tools[i].parameters_json,
                   g.egress.tools[i].parameters_json, g.on_prem.tools[i].parameters_json, g.result);
    }
    for (size_t i = 0; i < call.messages.size(); ++i) {
        const auto & m = call.messages[i];
        if (!m.parts.empty()) {
            // the text parts one by one (images and audio pass as they are); the
            // joined text is rebuilt from them, so each finding counts once
            auto & e = g.egress.messages[i];
            auto & o = g.on_prem.messages[i];
            e.content.clear();
            o.content.clear();
            for (size_t k = 0; k < m.parts.size(); ++k) {
                if (m.parts[k].type == content_part::kind::text) {
                    guard_one(scanner, policy, on_prem_policy, *names, m.parts[k].text, e.parts[k].text, o.parts[k].text,
                              g.result);
                    e.content += e.parts[k].text;
                    o.content += o.parts[k].text;
                }
            }
        } else {
            guard_one(scanner, policy, on_prem_policy, *names, m.content, g.egress.messages[i].content,
                      g.on_prem.messages[i].content, g.result);
        }
        for (size_t k = 0; k < call.messages[i].tool_calls.size(); ++k) {
            guard_json(scanner, policy, on_prem_policy, *names, call.messages[i].tool_calls[k].arguments,
                       g.egress.messages[i].tool_calls[k].arguments, g.on_prem.messages[i].tool_calls[k].arguments,
                       g.result);
        }
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
