#include "engine/chat_format.h"

#include <mutex>

#include "chat.h"
#include "engine/generic_tool_format.h"
#include "engine/tool_format.h"
#include "llama.h"

namespace tiergate::engine {

struct chat_format::impl {
    common_chat_templates_ptr templates;
    bool model_template = false;  // false: llama.cpp's ChatML default, used for chats with tools only
    std::mutex mutex;             // the template engine is not documented as thread-safe
};

chat_format::chat_format(const llama_model * model) {
    const char * tmpl = llama_model_chat_template(model, nullptr);
    const bool own = tmpl != nullptr && *tmpl != '\0';
    try {
        // without a template of the model's own, llama.cpp's default (ChatML)
        auto templates = common_chat_templates_init(model, "");
        if (templates) {
            impl_ = std::make_unique<impl>();
            impl_->templates = std::move(templates);
            impl_->model_template = own;
        }
    } catch (const std::exception &) {
        impl_.reset();  // an unparsable template: fall back to the plain format
    }
}

chat_format::~chat_format() = default;

bool chat_format::has_template() const { return impl_ != nullptr && impl_->model_template; }

chat_prompt chat_format::render_plain(const std::vector<chat_message> & messages) {
    chat_prompt out;
    for (const auto & m : messages) {
        if (m.role == "system" || m.role == "developer") {
            out.text += m.content;
            out.text += "\n\n";
        } else if (m.role == "assistant") {
            out.text += "Assistant: " + m.content + "\n";
        } else {
            out.text += "User: " + m.content + "\n";
        }
    }
    out.text += "Assistant:";
    out.stop = {"\nUser:"};
    return out;
}

namespace {

common_chat_tool_choice choice_of(const tool_choice & c) {
    switch (c.type) {
        case tool_choice::kind::none: return COMMON_CHAT_TOOL_CHOICE_NONE;
        case tool_choice::kind::required:
        case tool_choice::kind::function: return COMMON_CHAT_TOOL_CHOICE_REQUIRED;
        default: return COMMON_CHAT_TOOL_CHOICE_AUTO;
    }
}

}  // namespace

namespace {

common_chat_msg to_common(const chat_message & m) {
    common_chat_msg msg;
    msg.role = m.role == "developer" ? "system" : m.role;
    msg.content = m.content;
    for (const auto & c : m.tool_calls) {
        msg.tool_calls.push_back({c.name, c.arguments, c.id});
    }
    msg.tool_call_id = m.tool_call_id;
    return msg;
}

}  // namespace

result<chat_prompt> chat_format::render(const std::vector<chat_message> & messages, const chat_tools * tools) const {
    const bool offers = tools != nullptr && tools->tools != nullptr && !tools->tools->empty() &&
                        tools->choice.type != tool_choice::kind::none;
    bool with_tools = offers;
    for (const auto & m : messages) {
        with_tools = with_tools || !m.tool_calls.empty() || m.role == "tool";
    }
    if (!impl_ || (!impl_->model_template && !with_tools)) {
        return render_plain(messages);
    }
    common_chat_templates_inputs inputs;
    inputs.use_jinja = true;
    inputs.add_generation_prompt = true;
    for (const auto & m : messages) {
        inputs.messages.push_back(to_common(m));
    }
    if (offers) {
        for (const auto & t : *tools->tools) {
            // a named function: the only one offered, and a call required
            if (tools->choice.type == tool_choice::kind::function && t.name != tools->choice.function) {
                continue;
            }
            inputs.tools.push_back(
                {t.name, t.description, t.parameters_json.empty() ? std::string(R"({"type":"object"})") : t.parameters_json});
        }
        inputs.tool_choice = choice_of(tools->choice);
        inputs.parallel_tool_calls = tools->parallel;
    }
    try {
        std::lock_guard lock(impl_->mutex);
        common_chat_params params = common_chat_templates_apply(impl_->templates.get(), inputs);
        chat_prompt out;
        out.from_template = true;
        if (!with_tools) {
            out.text = std::move(params.prompt);
            out.stop = std::move(params.additional_stops);
            return out;
        }
        if (offers && !params.grammar.empty()) {
            // the template's own tool-call syntax, as llama.cpp reads it
            auto format = std::make_shared<tool_format>();
            format->parser = common_chat_parser_params(params);
            if (!params.parser.empty()) {
                format->parser.parser.load(params.parser);
            }
            out.text = params.prompt;
            out.stop = params.additional_stops;
            format->params = std::move(params);
            out.tools = std::move(format);
            return out;
        }
        // no tool-call syntax in the template (or no tools on offer): the generic JSON format
        const chat_tools none{nullptr, {tool_choice::kind::none, ""}, false};
        const auto prepared = generic_tools::prepare_messages(messages, offers ? *tools : none);
        common_chat_templates_inputs plain;
        plain.use_jinja = true;
        plain.add_generation_prompt = true;
        for (const auto & m : prepared) {
            plain.messages.push_back(to_common(m));
        }
        common_chat_params rendered = common_chat_templates_apply(impl_->templates.get(), plain);
        out.text = std::move(rendered.prompt);
        out.stop = std::move(rendered.additional_stops);
        if (offers) {
            auto g = generic_tools::grammar(*tools);
            if (!g) {
                return g.err();
            }
            auto format = std::make_shared<tool_format>();
            format->generic = true;
            format->params.grammar = std::move(*g);
            out.tools = std::move(format);
        }
        return out;
    } catch (const std::exception & e) {
        return error::invalid(std::string("the model's chat template rejected the messages: ") + e.what(), "messages");
    }
}

result<tool_answer> chat_format::parse_tool_answer(const tool_format & format, const std::string & text,
                                                   bool truncated) {
    if (format.generic) {
        return generic_tools::parse(text, truncated);
    }
    try {
        common_chat_msg msg = common_chat_parse(text, false, format.parser);
        tool_answer out;
        out.content = std::move(msg.content);
        for (auto & c : msg.tool_calls) {
            out.calls.push_back({std::move(c.id), std::move(c.name), std::move(c.arguments)});
        }
        return out;
    } catch (const std::exception & e) {
        return error{error_kind::upstream,
                     std::string("the local model's answer could not be read as text and tool calls: ") + e.what(), "",
                     "tool_call_parse_error", {}};
    }
}

}  // namespace tiergate::engine
