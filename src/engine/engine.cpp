#include "engine/engine.h"

#include <algorithm>
#include <system_error>
#include <thread>

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
        auto s = std::make_unique<slot>();
        s->options = options;
        s->host.store(std::shared_ptr<model_host>(std::move(*host)));
        out->by_name_[options.name] = std::move(s);
    }
    return out;
}

std::shared_ptr<model_host> engine::find(const std::string & name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second->host.load();
}

std::vector<std::string> engine::names() const {
    std::vector<std::string> out;
    for (const auto & [name, s] : by_name_) {
        out.push_back(name);
    }
    return out;
}

std::string engine::path_of(const std::string & name) const {
    auto host = find(name);
    return host ? host->path() : std::string();
}

result<bool> engine::replace(const std::string & name, const std::string & path, const std::string & version) {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) {
        return error::invalid("no local model is named '" + name + "'", "model", "model_not_found");
    }
    model_options options = it->second->options;
    options.path = path;
    options.version = version;
    if (options.ctx_per_slot <= 0) {
        // the context the model serves with now: a fine-tuned student records its
        // training window as its context length, which must not shrink what clients may send
        if (auto current = it->second->host.load()) {
            options.ctx_per_slot = current->ctx_per_slot();
        }
    }
    auto host = model_host::load(options);
    if (!host) {
        return host.err();
    }
    std::lock_guard lock(retired_mu_);
    if (stopping_) {
        return error{error_kind::unavailable, "the engine is stopping", "model", "shutdown", {}};
    }
    auto old = it->second->host.exchange(std::shared_ptr<model_host>(std::move(*host)));
    retired_.push_back(std::move(old));
    if (!reaper_.joinable()) {
        reaper_ = std::thread([this] { reap(); });
    }
    retired_cv_.notify_all();
    return true;
}

size_t engine::retiring() const {
    std::lock_guard lock(retired_mu_);
    return retired_.size();
}

// A host is freed here, never by the last call that held it: a call's last
// reference may be dropped on the host's own threads, which cannot join
// themselves.
void engine::reap() {
    std::unique_lock lock(retired_mu_);
    while (!stopping_) {
        retired_cv_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stopping_; });
        for (auto it = retired_.begin(); it != retired_.end();) {
            // a call that holds the host has not necessarily submitted its work
            // yet: only when none holds it do the slot counts say everything
            if (it->use_count() == 1) {
                const host_stats s = (*it)->stats();
                if (s.active == 0 && s.queued == 0) {
                    std::shared_ptr<model_host> done = std::move(*it);
                    it = retired_.erase(it);
                    lock.unlock();
                    done.reset();
                    lock.lock();
                    continue;
                }
            }
            ++it;
        }
    }
}

engine::~engine() { stop(); }

void engine::stop() {
    {
        std::lock_guard lock(retired_mu_);
        stopping_ = true;
    }
    retired_cv_.notify_all();
    if (reaper_.joinable()) {
        reaper_.join();
    }
    // Freed here, on this thread: a preparation job still holding a host is
    // let finish first (the jobs are short; they never wait on a generation).
    std::vector<std::shared_ptr<model_host>> all;
    {
        std::lock_guard lock(retired_mu_);
        all = std::move(retired_);
        retired_.clear();
    }
    for (auto & [name, s] : by_name_) {
        all.push_back(s->host.exchange(nullptr));
    }
    for (auto & host : all) {
        while (host && host.use_count() > 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        host.reset();
    }
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
