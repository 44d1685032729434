#include "cache/call_digest.h"

#include <openssl/evp.h>

#include <cstdio>

namespace tiergate::cache {

namespace {

// Length-prefixed fields, so that no two different calls serialize alike.
class canonical {
  public:
    canonical & field(const std::string & s) {
        out_ += std::to_string(s.size());
        out_ += ':';
        out_ += s;
        out_ += ';';
        return *this;
    }
    template <class T>
    canonical & number(const std::optional<T> & v) {
        if (!v) {
            return field("-");
        }
        char buf[64];
        snprintf(buf, sizeof(buf), "%.9g", static_cast<double>(*v));
        return field(buf);
    }
    const std::string & text() const { return out_; }

  private:
    std::string out_;
};

std::string sha256(const std::string & data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char *>(md), len);
}

void add_params(canonical & c, const generation_call & call) {
    const auto & p = call.params;
    c.field(call.kind == request_kind::chat ? "chat" : "completion").field(call.model);
    c.number(p.temperature).number(p.top_p).number(p.top_k).number(p.min_p);
    c.number(p.presence_penalty).number(p.frequency_penalty).number(p.seed).number(p.max_tokens);
    c.field(std::to_string(p.stop.size()));
    for (const auto & s : p.stop) {
        c.field(s);
    }
    c.field(std::to_string(static_cast<int>(p.format.type))).field(p.format.schema_json).field(p.format.schema_name);
    c.field(std::to_string(p.logit_bias.size()));
    for (const auto & [token, bias] : p.logit_bias) {
        c.field(std::to_string(token)).number(std::optional<float>(bias));
    }
    c.field(p.reasoning_effort);
    c.field(std::to_string(call.tools.size()));
    for (const auto & t : call.tools) {
        c.field(t.name).field(t.description).field(t.parameters_json).field(t.strict ? "strict" : "");
    }
    c.field(std::to_string(static_cast<int>(call.choice.type))).field(call.choice.function);
    c.field(call.parallel_tool_calls ? (*call.parallel_tool_calls ? "parallel" : "serial") : "-");
}

void add_message(canonical & c, const chat_message & m, bool with_text) {
    c.field(m.role).field(m.name).field(with_text ? normalize_text(m.content) : std::string("<last user turn>"));
    c.field(std::to_string(m.tool_calls.size()));
    for (const auto & t : m.tool_calls) {
        c.field(t.id).field(t.name).field(t.arguments);
    }
    c.field(m.tool_call_id);
    c.field(std::to_string(m.parts.size()));
    for (const auto & part : m.parts) {
        c.field(std::to_string(static_cast<int>(part.type)));
        c.field(part.type == content_part::kind::text && !with_text ? std::string() : part.text);
        c.field(part.url).field(part.detail).field(part.data).field(part.format);
    }
}

}  // namespace

std::string normalize_text(const std::string & text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (char ch : text) {
        const bool ws = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
        if (ws) {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += ch;
    }
    return out;
}

call_digest digest_call(const std::string & team, const generation_call & call) {
    call_digest out;
    if (call.params.logprobs) {
        return out;  // token log-probabilities are not kept
    }
    canonical whole;
    canonical context;
    whole.field(team);
    context.field(team);
    add_params(whole, call);
    add_params(context, call);
    if (call.kind == request_kind::completion) {
        whole.field(normalize_text(call.prompt));
        context.field("<prompt>");
        out.last_user = normalize_text(call.prompt);
    } else {
        if (call.messages.empty()) {
            return out;
        }
        const bool ends_with_user = call.messages.back().role == "user";
        for (size_t i = 0; i < call.messages.size(); ++i) {
            const bool last = i + 1 == call.messages.size();
            add_message(whole, call.messages[i], true);
            add_message(context, call.messages[i], !(last && ends_with_user));
        }
        if (ends_with_user) {
            out.last_user = normalize_text(call.messages.back().content);
        }
    }
    out.cacheable = true;
    out.exact = sha256(whole.text());
    if (!out.last_user.empty()) {
        out.context = sha256(context.text());
    }
    return out;
}

}  // namespace tiergate::cache
