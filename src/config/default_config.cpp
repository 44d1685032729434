#include "config/default_config.h"

#include <algorithm>
#include <system_error>

namespace tiergate::config {

std::filesystem::path default_model_dir(const env_lookup & env) {
    auto from_env = env("TIERGATE_MODEL_DIR");
    std::filesystem::path dir = from_env && !from_env->empty() ? std::filesystem::path(*from_env)
                                                                : std::filesystem::path("./models");
    return std::filesystem::absolute(dir).lexically_normal();
}

config build_default_config(const std::filesystem::path & model_dir) {
    config out;
    out.source = "<embedded default>";
    out.model_dir = std::filesystem::absolute(model_dir).lexically_normal();
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto & entry : std::filesystem::directory_iterator(out.model_dir, ec)) {
        if (entry.is_regular_file(ec) && entry.path().extension() == ".gguf") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto & file : files) {
        model_config model;
        model.name = file.stem().string();
        model.provider = provider_kind::local;
        model.tier = model_tier::slm;
        model.residency = data_residency::on_prem;
        model.local = local_model{};
        model.local->path = file;
        model.capabilities = {model_capability::json_schema, model_capability::logprobs, model_capability::embeddings};
        out.models.push_back(std::move(model));
    }
    if (!out.models.empty()) {
        out.router.default_model = out.models.front().name;
    }
    out.reindex();
    return out;
}

config build_default_config(const env_lookup & env) { return build_default_config(default_model_dir(env)); }

}  // namespace tiergate::config
