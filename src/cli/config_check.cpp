#include "cli/config_check.h"

#include "admin/admin_settings.h"
#include "agents/agent_settings.h"
#include "auth/keyless.h"
#include "cache/cache_settings.h"
#include "distill/distill_settings.h"
#include "fleet/pool_settings.h"
#include "gateway/gateway_settings.h"
#include "rag/knowledge_settings.h"

namespace tiergate::cli {

config::load_result check_config_file(const std::filesystem::path & file) {
    config::load_result loaded = config::load_config_file(file);
    if (!loaded.ok()) {
        return loaded;
    }
    config::config_errors errors(file.string());
    if (auto policy = auth::check_key_policy(*loaded.value); !policy) {
        errors.add({}, "server.host", policy.err().message);
    }
    const auto gateway_settings = gateway::read_gateway_settings(*loaded.value, errors);
    rag::read_knowledge_settings(*loaded.value, errors);
    cache::read_cache_settings(*loaded.value, errors);
    distill::read_distill_settings(*loaded.value, errors);
    agents::read_agent_settings(*loaded.value, gateway_settings.route.model_name, errors);
    admin::read_admin_settings(*loaded.value, errors);
    for (const auto & m : loaded.value->models) {
        fleet::read_pool_settings(*loaded.value, m, config::process_env(), errors);
    }
    if (!errors.empty()) {
        loaded.value.reset();
        loaded.errors = errors.list();
    }
    return loaded;
}

}  // namespace tiergate::cli
