#pragma once
// A few threads that run posted jobs in order of arrival. Each model uses one for the work
// that turns a request into tokens (rendering the chat template, tokenizing, compiling a
// JSON schema to a grammar), so that work runs neither on the HTTP I/O threads nor on the
// inference thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tiergate::engine {

class worker_pool {
  public:
    explicit worker_pool(int threads);
    // Runs the jobs still queued, then joins.
    ~worker_pool();
    worker_pool(const worker_pool &) = delete;
    worker_pool & operator=(const worker_pool &) = delete;

    // False after shutdown() (the job is not run).
    bool post(std::function<void()> job);
    // Stops taking jobs, runs those queued, joins the threads. Idempotent.
    void shutdown();

  private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace tiergate::engine
