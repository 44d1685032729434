#include "distill/promotion_watcher.h"

#include <algorithm>

#include "obs/log.h"

namespace tiergate::distill {

promotion_watcher::promotion_watcher(std::unique_ptr<promotion_log> log, std::vector<std::string> models,
                                     apply_fn apply, std::chrono::milliseconds interval)
    : log_(std::move(log)), models_(std::move(models)), apply_(std::move(apply)), interval_(interval) {}

promotion_watcher::~promotion_watcher() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void promotion_watcher::apply(const promotion & p) {
    if (std::find(models_.begin(), models_.end(), p.model) == models_.end()) {
        return;
    }
    auto done = apply_(p);
    if (!done) {
        TIERGATE_LOG_ERROR("distill: {} of model {} to {} (version {}) failed, the model serves as before: {}", p.action,
                           p.model, p.path, p.version, done.err().message);
        return;
    }
    applied_.fetch_add(1);
    TIERGATE_LOG_INFO("distill: model {} serves {} (version {}, {})", p.model, p.path, p.version, p.action);
}

void promotion_watcher::start() {
    auto all = log_->since(0);
    if (!all) {
        TIERGATE_LOG_ERROR("distill: cannot read the promotion log: {}", all.err().message);
    } else {
        for (const auto & model : models_) {
            const promotion * last = nullptr;
            for (const auto & p : *all) {
                if (p.model == model) {
                    last = &p;
                }
            }
            if (last != nullptr) {
                apply(*last);
            }
        }
        if (!all->empty()) {
            seen_ = all->back().id;
        }
    }
    thread_ = std::thread([this] { run(); });
}

void promotion_watcher::run() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval_, [&] { return stopping_; })) {
        lock.unlock();
        auto fresh = log_->since(seen_);
        if (!fresh) {
            TIERGATE_LOG_WARN("distill: cannot read the promotion log: {}", fresh.err().message);
        } else {
            for (const auto & p : *fresh) {
                apply(p);
                seen_ = p.id;
            }
        }
        lock.lock();
    }
}

}  // namespace tiergate::distill
