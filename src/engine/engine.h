#pragma once
// All models loaded in this process, by name. Each has its own inference
// thread and slots; lookups are lock-free after startup.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "engine/model_host.h"

namespace tiergate::engine {

class engine {
  public:
    // Loads every model; the first failure stops and is returned.
    static result<std::unique_ptr<engine>> load(const std::vector<model_options> & models);

    model_host * find(const std::string & name) const;
    const std::vector<std::unique_ptr<model_host>> & models() const { return hosts_; }

  private:
    std::vector<std::unique_ptr<model_host>> hosts_;
    std::map<std::string, model_host *, std::less<>> by_name_;
};

// Every *.gguf file directly inside dir, sorted, named by its base name.
std::vector<model_options> discover_models(const std::filesystem::path & dir);

}  // namespace tiergate::engine
