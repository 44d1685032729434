// The config's retrieval and cache sections, and each model's pool of
// deployments, on any text: settings or errors naming file, line and field;
// never a crash or a throw.
#include "cache/cache_settings.h"
#include "config/load_config.h"
#include "fleet/pool_settings.h"
#include "fuzz_input.h"
#include "rag/knowledge_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::string text(fuzz::as_text(data, size));
    const auto env = config::fixed_env({{"OPENAI_API_KEY", "sk-test"}});
    auto loaded = config::load_config_text(text, "fuzz.yaml", "/nonexistent/tiergate-fuzz", env);
    if (!loaded.ok()) {
        return 0;
    }
    config::config_errors errors("fuzz.yaml");
    const auto knowledge = rag::read_knowledge_settings(*loaded.value, errors);
    if (!knowledge && loaded.value->retrieval.section.present() && errors.empty()) {
        fuzz::violated("a refused retrieval section names no error");
    }
    const size_t before = errors.list().size();
    const auto cache = cache::read_cache_settings(*loaded.value, errors);
    if (!cache && loaded.value->cache.section.present() && errors.list().size() == before) {
        fuzz::violated("a refused cache section names no error");
    }
    for (const auto & model : loaded.value->models) {
        const size_t was = errors.list().size();
        const auto pool = fleet::read_pool_settings(*loaded.value, model, env, errors);
        if (!pool && model.deployments.present() && errors.list().size() == was) {
            fuzz::violated("a refused pool names no error");
        }
        if (pool && pool->deployments.empty()) {
            fuzz::violated("a pool without deployments was accepted");
        }
    }
    (void)errors.to_string();
    return 0;
}
