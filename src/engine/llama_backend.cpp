#include "engine/llama_backend.h"

#include <llama.h>

#include <cstdio>
#include <mutex>

namespace tiergate::engine {

void init_llama_backend() {
    static std::once_flag once;
    std::call_once(once, [] {
        llama_log_set([](ggml_log_level level, const char * text, void *) {
            if (level == GGML_LOG_LEVEL_ERROR) {
                fputs(text, stderr);
            }
        }, nullptr);
        llama_backend_init();
    });
}

}  // namespace tiergate::engine
