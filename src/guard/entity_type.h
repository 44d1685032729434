#pragma once
// The closed set of entity types the guard detects, named as Presidio names them.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace tiergate::guard {

enum class entity_type {
    email_address,
    phone_number,
    credit_card,
    iban_code,
    us_ssn,
    ip_address,
    url,
    date_time,
    person,
    street_address,
    location,
    organization,
    us_driver_license,
    api_key,
    private_key,
    secret_token,
    custom,
};

inline constexpr size_t entity_type_count = static_cast<size_t>(entity_type::custom) + 1;

inline constexpr std::array<entity_type, entity_type_count> all_entity_types = {
    entity_type::email_address, entity_type::phone_number,  entity_type::credit_card,
    entity_type::iban_code,     entity_type::us_ssn,        entity_type::ip_address,
    entity_type::url,           entity_type::date_time,     entity_type::person,
    entity_type::street_address, entity_type::location,     entity_type::organization,
    entity_type::us_driver_license, entity_type::api_key,   entity_type::private_key,
    entity_type::secret_token,  entity_type::custom,
};

// "EMAIL_ADDRESS", "PERSON", ...
std::string_view to_string(entity_type type);

// Accepts the canonical names and Presidio's aliases: GPE -> LOCATION,
// DOMAIN_NAME -> URL, ORG -> ORGANIZATION, LOC -> LOCATION. Case-sensitive.
std::optional<entity_type> parse_entity_type(std::string_view name);

inline size_t index_of(entity_type type) { return static_cast<size_t>(type); }

}  // namespace tiergate::guard
