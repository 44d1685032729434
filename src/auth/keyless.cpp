#include "auth/keyless.h"

namespace tiergate::auth {

bool is_loopback_host(std::string_view host) { return host == "127.0.0.1" || host == "::1" || host == "[::1]"; }

bool keyless_allowed(std::string_view host, bool keys_configured) {
    return !keys_configured && is_loopback_host(host);
}

result<std::monostate> check_key_policy(const config::config & cfg) {
    bool keys_configured = cfg.keys.store.has_value();
    if (keys_configured || keyless_allowed(cfg.server.host, keys_configured)) {
        return std::monostate{};
    }
    return error::invalid(cfg.source + ": server.host is " + cfg.server.host +
                              " but keys.store is not set: without virtual keys tiergate listens only on 127.0.0.1 or ::1",
                          "keys.store", "keys_required");
}

}  // namespace tiergate::auth
