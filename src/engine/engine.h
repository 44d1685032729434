#pragma once
// All models loaded in this process, by name. Each has its own inference
// thread and slots. A model's weights can be replaced while it serves
// (replace()): calls that start afterwards get the new host, calls already
// running finish on the old one, which is freed once the last of them ends.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "engine/model_host.h"

namespace tiergate::engine {

class engine {
  public:
    engine() = default;
    ~engine();
    engine(const engine &) = delete;
    engine & operator=(const engine &) = delete;

    // Loads every model; the first failure stops and is returned.
    static result<std::unique_ptr<engine>> load(const std::vector<model_options> & models);

    // The host serving `name` now; null when unknown. Hold the pointer for as
    // long as a call uses the host.
    std::shared_ptr<model_host> find(const std::string & name) const;
    std::vector<std::string> names() const;
    // The file `name` serves now.
    std::string path_of(const std::string & name) const;

    // Loads `path` with the options `name` was loaded with and serves it from
    // now on. The previous host is freed once nothing uses it (no call holds
    // it, no slot decodes or waits on it), on a thread of the engine's own. A
    // file that does not load leaves the served model as it was.
    // `version` is what the ledger records for the new weights ("v2").
    result<bool> replace(const std::string & name, const std::string & path, const std::string & version);
    // Hosts replaced and not yet freed.
    size_t retiring() const;
    // Frees every host (after letting running preparation jobs end); find()
    // returns null afterwards. The destructor calls it; idempotent.
    void stop();

  private:
    struct slot {
        model_options options;
        std::atomic<std::shared_ptr<model_host>> host;
    };
    void reap();

    std::map<std::string, std::unique_ptr<slot>, std::less<>> by_name_;  // fixed after load()
    mutable std::mutex retired_mu_;
    std::condition_variable retired_cv_;
    std::vector<std::shared_ptr<model_host>> retired_;
    bool stopping_ = false;
    std::thread reaper_;
};

// Every *.gguf file directly inside dir, sorted, named by its base name.
std::vector<model_options> discover_models(const std::filesystem::path & dir);

}  // namespace tiergate::engine
