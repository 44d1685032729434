#pragma once
// Who may use the admin API: viewer and admin keys read, admin keys change;
// an ordinary key gets 403, no key or a bad one 401. Without a key store
// (the keyless default, which serves loopback only) reads are open to
// requests addressed to a loopback name, and changes refused. A change whose Origin header names another origin than
// the server's own is refused (the key travels in a header, so a page of
// another site cannot send it; this closes the keyless case too).

#include <string>

#include "api/http_server.h"
#include "auth/key_verifier.h"
#include "core/error.h"

namespace tiergate::admin {

struct admin_caller {
    std::string role;  // admin | viewer | keyless
    std::string key_id;
    std::string team;
    bool can_change = false;
};

result<admin_caller> authorize(const api::http_request & request, const auth::key_verifier * keys, bool change);

}  // namespace tiergate::admin
