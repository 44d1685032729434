#include "guard/entity_type.h"

namespace tiergate::guard {

std::string_view to_string(entity_type type) {
    switch (type) {
        case entity_type::email_address: return "EMAIL_ADDRESS";
        case entity_type::phone_number: return "PHONE_NUMBER";
        case entity_type::credit_card: return "CREDIT_CARD";
        case entity_type::iban_code: return "IBAN_CODE";
        case entity_type::us_ssn: return "US_SSN";
        case entity_type::ip_address: return "IP_ADDRESS";
        case entity_type::url: return "URL";
        case entity_type::date_time: return "DATE_TIME";
        case entity_type::person: return "PERSON";
        case entity_type::street_address: return "STREET_ADDRESS";
        case entity_type::location: return "LOCATION";
        case entity_type::organization: return "ORGANIZATION";
        case entity_type::us_driver_license: return "US_DRIVER_LICENSE";
        case entity_type::api_key: return "API_KEY";
        case entity_type::private_key: return "PRIVATE_KEY";
        case entity_type::secret_token: return "SECRET_TOKEN";
        case entity_type::custom: return "CUSTOM";
    }
    return "CUSTOM";
}

std::optional<entity_type> parse_entity_type(std::string_view name) {
    for (entity_type type : all_entity_types) {
        if (to_string(type) == name) {
            return type;
        }
    }
    if (name == "GPE" || name == "LOC") {
        return entity_type::location;
    }
    if (name == "DOMAIN_NAME") {
        return entity_type::url;
    }
    if (name == "ORG") {
        return entity_type::organization;
    }
    if (name == "PER") {
        return entity_type::person;
    }
    return std::nullopt;
}

}  // namespace tiergate::guard
