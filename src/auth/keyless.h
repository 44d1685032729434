#pragma once
// When tiergate may serve without virtual keys: only when no key store is
// configured AND it listens on the loopback address (127.0.0.1 or ::1), so
// nothing beyond this machine can reach it.

#include <string_view>

#include "config/config.h"
#include "core/error.h"

namespace tiergate::auth {

bool is_loopback_host(std::string_view host);
bool keyless_allowed(std::string_view host, bool keys_configured);

// The startup check: an error naming server.host and keys.store when a
// config would serve the network without keys.
result<std::monostate> check_key_policy(const config::config & cfg);

}  // namespace tiergate::auth
