#include "admin/admin_access.h"

namespace tiergate::admin {

namespace {

error forbidden(std::string message) { return {error_kind::permission, std::move(message), "", "forbidden", {}}; }

// Origin absent (not a browser, or a same-origin GET) or naming this server.
bool same_origin(const api::http_request & request) {
    const std::string * origin = request.header("origin");
    if (origin == nullptr) {
        return true;
    }
    const std::string * host = request.header("host");
    return host != nullptr && (*origin == "http://" + *host || *origin == "https://" + *host);
}

// Absent (not a browser), or a loopback name: a page of another site that
// made its name resolve to 127.0.0.1 (DNS rebinding) still sends its own name.
bool loopback_host(const api::http_request & request) {
    const std::string * host = request.header("host");
    if (host == nullptr) {
        return true;
    }
    std::string name = *host;
    if (name.starts_with("[")) {
        name = name.substr(0, name.find(']') + 1);
    } else if (const size_t colon = name.find(':'); colon != std::string::npos) {
        name = name.substr(0, colon);
    }
    return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
}

}  // namespace

result<admin_caller> authorize(const api::http_request & request, const auth::key_verifier * keys, bool change) {
    if (change && !same_origin(request)) {
        return forbidden("a change must come from this server's own origin");
    }
    admin_caller caller;
    if (keys == nullptr) {
        if (!loopback_host(request)) {
            return forbidden("without keys the admin API answers only requests addressed to a loopback name "
                             "(localhost, 127.0.0.1, [::1])");
        }
        if (change) {
            return forbidden("changes need an admin key: configure keys.store and create one with "
                             "`tiergate keys create --role admin`");
        }
        caller.role = "keyless";
        return caller;
    }
    result<std::shared_ptr<const auth::key_identity>> who = error{};
    if (const std::string * bearer = request.header("authorization")) {
        who = keys->authenticate(*bearer);
    } else if (const std::string * key = request.header("x-api-key")) {
        who = keys->authenticate_key(*key);
    } else {
        who = keys->authenticate("");
    }
    if (!who) {
        return who.err();
    }
    const auth::key_role role = (*who)->role;
    if (role == auth::key_role::user) {
        return forbidden("this key may call models but not use the admin API: it needs the viewer or admin role");
    }
    if (change && role != auth::key_role::admin) {
        return forbidden("a viewer key reads the admin API; changes need an admin key");
    }
    caller.role = std::string(auth::to_string(role));
    caller.key_id = (*who)->key_id;
    caller.team = (*who)->team;
    caller.can_change = role == auth::key_role::admin;
    return caller;
}

}  // namespace tiergate::admin
