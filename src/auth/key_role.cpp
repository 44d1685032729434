#include "auth/key_role.h"

namespace tiergate::auth {

std::string_view to_string(key_role role) {
    switch (role) {
        case key_role::viewer:
            return "viewer";
        case key_role::admin:
            return "admin";
        case key_role::user:
            break;
    }
    return "user";
}

std::optional<key_role> parse_key_role(std::string_view text) {
    for (auto role : {key_role::user, key_role::viewer, key_role::admin}) {
        if (text == to_string(role)) {
            return role;
        }
    }
    return std::nullopt;
}

}  // namespace tiergate::auth
