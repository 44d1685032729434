#include "providers/remote_context.h"

namespace tiergate::providers {

remote_context remote_context::make(circuit_breaker_options breaker) {
    remote_context ctx;
    ctx.runtime = std::make_shared<io_runtime>();
    ctx.client = std::make_shared<http_client>(*ctx.runtime);
    ctx.breakers = std::make_shared<circuit_breaker_registry>(breaker);
    ctx.env = config::process_env();
    return ctx;
}

void remote_context::stop() {
    if (runtime) {
        runtime->stop();
    }
}

void remote_context::close() {
    stop();
    if (client) {
        client->drop_idle();
    }
    if (runtime) {
        runtime->discard();
    }
}

}  // namespace tiergate::providers
