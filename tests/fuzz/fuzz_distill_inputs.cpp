// What distillation reads from outside: data set lines (any bytes) and the
// config's distill section. An example or an error that names the line;
// settings or errors naming file, line and field; never a crash or a throw.
#include "config/load_config.h"
#include "distill/distill_settings.h"
#include "distill/chat_example.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string_view text = fuzz::as_text(data, size);
    auto example = distill::parse_example(text, "fuzz.jsonl:1");
    if (example) {
        if (example->answer.empty()) {
            fuzz::violated("an example without an answer was accepted");
        }
        // written back, the line reads as the same example
        auto again = distill::parse_example(distill::example_line(*example), "again");
        if (!again || again->answer != example->answer ||
            distill::prompt_hash(again->prompt) != distill::prompt_hash(example->prompt)) {
            fuzz::violated("an example does not survive being written and read back");
        }
    } else if (example.err().message.rfind("fuzz.jsonl:1: ", 0) != 0) {
        fuzz::violated("a data set error does not name its line");
    }
    auto loaded = config::load_config_text(std::string(text), "fuzz.yaml", "/nonexistent/tiergate-fuzz",
                                           config::fixed_env({}));
    if (loaded.ok()) {
        config::config_errors errors("fuzz.yaml");
        auto settings = distill::read_distill_settings(*loaded.value, errors);
        if (!settings && loaded.value->distill.section.present() && errors.empty()) {
            fuzz::violated("a refused distill section names no error");
        }
    }
    return 0;
}
