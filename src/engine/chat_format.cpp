#include "engine/chat_format.h"

#include <mutex>

#include "chat.h"
#include "llama.h"

namespace tiergate::engine {

struct chat_format::impl {
    common_chat_templates_ptr templates;
    std::mutex mutex;  // the template engine is not documented as thread-safe
};

chat_format::chat_format(const llama_model * model) {
    const char * tmpl = llama_model_chat_template(model, nullptr);
    if (tmpl == nullptr || *tmpl == '\0') {
        return;
    }
    try {
        auto templates = common_chat_templates_init(model, "");
        if (templates) {
            impl_ = std::make_unique<impl>();
            impl_->templates = std::move(templates);
        }
    } catch (const std::exception &) {
        impl_.reset();  // an unparsable template: fall back to the plain format
    }
}

chat_format::~chat_format() = default;

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

result<chat_prompt> chat_format::render(const std::vector<chat_message> & messages) const {
    if (!impl_) {
        return render_plain(messages);
    }
    common_chat_templates_inputs inputs;
    inputs.use_jinja = true;
    inputs.add_generation_prompt = true;
    for (const auto & m : messages) {
        common_chat_msg msg;
        msg.role = m.role == "developer" ? "system" : m.role;
        msg.content = m.content;
        inputs.messages.push_back(std::move(msg));
    }
    try {
        std::lock_guard lock(impl_->mutex);
        common_chat_params params = common_chat_templates_apply(impl_->templates.get(), inputs);
        chat_prompt out;
        out.text = std::move(params.prompt);
        out.stop = std::move(params.additional_stops);
        out.from_template = true;
        return out;
    } catch (const std::exception & e) {
        return error::invalid(std::string("the model's chat template rejected the messages: ") + e.what(), "messages");
    }
}

}  // namespace tiergate::engine
