// The config loader on any text: a config or errors naming file, line and
// field; never a crash, a throw or a read of the environment.
#include "config/load_config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string text(fuzz::as_text(data, size));
    const auto env = config::fixed_env({{"OPENAI_API_KEY", "sk-test"}, {"TIERGATE_PORT", "8080"}});
    auto loaded = config::load_config_text(text, "fuzz.yaml", "/nonexistent/tiergate-fuzz", env);
    if (!loaded.ok() && loaded.errors.empty()) {
        fuzz::violated("a refused config names no error");
    }
    (void)loaded.errors_text();
    return 0;
}
