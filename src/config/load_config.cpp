#include "config/load_config.h"

#include <fstream>
#include <sstream>

#include "config/parse_raw_config.h"
#include "config/validate_config.h"

namespace tiergate::config {

std::string load_result::errors_text() const {
    std::string out;
    for (const auto & err : errors) {
        out += err.to_string();
        out += '\n';
    }
    return out;
}

load_result load_config_text(const std::string & yaml_text, const std::string & file_name,
                             const std::filesystem::path & base_dir, const env_lookup & env) {
    load_result out;
    config_errors errors(file_name);
    raw_config raw = parse_raw_config(yaml_text, errors);
    if (!errors.empty()) {
        out.errors = errors.list();
        return out;
    }
    validate_options options{env, base_dir};
    config validated = validate_config(raw, options, errors);
    if (!errors.empty()) {
        out.errors = errors.list();
        return out;
    }
    out.value = std::move(validated);
    return out;
}

load_result load_config_file(const std::filesystem::path & path, const env_lookup & env) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        load_result out;
        out.errors.push_back({path.string(), {}, "", "cannot open the config file"});
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::filesystem::path base = std::filesystem::absolute(path).parent_path();
    return load_config_text(text.str(), path.string(), base, env);
}

config load_config_or_throw(const std::filesystem::path & path, const env_lookup & env) {
    load_result loaded = load_config_file(path, env);
    if (!loaded.ok()) {
        throw config_load_error(std::move(loaded.errors));
    }
    return std::move(*loaded.value);
}

}  // namespace tiergate::config
