#include "engine/engine.h"

#include <algorithm>
#include <system_error>

namespace tiergate::engine {

result<std::unique_ptr<engine>> engine::load(const std::vector<model_options> & models) {
    auto out = std::make_unique<engine>();
    for (const auto & options : models) {
        if (out->by_name_.count(options.name) != 0) {
            return error::invalid("two models are named '" + options.name + "'");
        }
        auto host = model_host::load(options);
        if (!host) {
            return host.err();
        }
        out->by_name_[options.name] = host->get();
        out->hosts_.push_back(std::move(*host));
    }
    return out;
}

model_host * engine::find(const std::string & name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
}

std::vector<model_options> discover_models(const std::filesystem::path & dir) {
    std::vector<model_options> out;
    std::error_code ec;
    for (const auto & entry : std::filesystem::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec) || entry.path().extension() != ".gguf") {
            continue;
        }
        model_options m;
        m.name = entry.path().stem().string();
        m.path = entry.path().string();
        out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(), [](const auto & a, const auto & b) { return a.name < b.name; });
    return out;
}

}  // namespace tiergate::engine
