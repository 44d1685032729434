#include "eval/intent_domains.h"

#include "eval/intent_data.h"
#include "router/intent_model.h"

#include <nlohmann/json.hpp>

namespace tiergate::eval {

result<intent_domain_map> parse_intent_domains(std::string_view json_text) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception & e) {
        return error::invalid(std::string("domain map is not valid JSON (or not UTF-8): ") + e.what(), "domains");
    }
    if (!doc.is_object()) {
        return error::invalid("domain map must be a JSON object: domain -> list of intents", "domains");
    }
    intent_domain_map map;
    for (const auto & [domain, intents] : doc.items()) {
        if (domain.empty() || domain.size() > max_intent_label_bytes) {
            return error::invalid("domain map has an empty domain name or one longer than " +
                                      std::to_string(max_intent_label_bytes) + " bytes",
                                  "domains");
        }
        if (!intents.is_array()) {
            return error::invalid("domain '" + domain + "' is not a list of intent names", "domains");
        }
        for (const auto & intent : intents) {
            if (!intent.is_string()) {
                return error::invalid("domain '" + domain + "' lists something that is not an intent name",
                                      "domains");
            }
            const std::string name = intent.get<std::string>();
            if (name.empty() || name.size() > max_intent_label_bytes) {
                return error::invalid("domain '" + domain + "' lists an empty or over-long intent name", "domains");
            }
            if (name == router::oos_intent) {
                return error::invalid("domain '" + domain + "' lists the reserved out-of-scope label 'oos'",
                                      "domains");
            }
            const auto [at, inserted] = map.emplace(name, domain);
            if (!inserted) {
                return error::invalid("intent '" + name + "' is in two domains: '" + at->second + "' and '" +
                                          domain + "'",
                                      "domains");
            }
        }
    }
    return map;
}

result<intent_domain_map> load_intent_domains(const std::string & path) {
    auto text = read_text_file(path, size_t{64} << 20, "domains");
    if (!text) {
        return text.err();
    }
    auto map = parse_intent_domains(*text);
    if (!map) {
        error e = map.err();
        e.message = path + ": " + e.message;
        return e;
    }
    return map;
}

}  // namespace tiergate::eval
