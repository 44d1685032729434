#pragma once
// A bounded first-in first-out queue of jobs served by its own threads, for
// work that must not run on an I/O thread (file ingestion, store queries).
// post() refuses a job when the queue is full; the destructor runs the jobs
// already queued, then joins.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tiergate {

class work_queue {
  public:
    work_queue(size_t threads, size_t capacity);
    ~work_queue();
    work_queue(const work_queue &) = delete;
    work_queue & operator=(const work_queue &) = delete;

    // false when `capacity` jobs are already waiting.
    bool post(std::function<void()> job);

  private:
    void serve();

    size_t capacity_;
    std::mutex mu_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace tiergate
