#pragma once
// What a key may do besides calling models: `user` keys call models only;
// `viewer` keys also read the admin API and the dashboard; `admin` keys also
// change keys, budgets and the config through it.

#include <optional>
#include <string_view>

namespace tiergate::auth {

enum class key_role { user, viewer, admin };

std::string_view to_string(key_role role);
std::optional<key_role> parse_key_role(std::string_view text);
inline constexpr const char * key_role_choices = "user, viewer, admin";

}  // namespace tiergate::auth
