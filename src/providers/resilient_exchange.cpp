#include "providers/resilient_exchange.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>

#include "core/io_home.h"
#include "providers/retry_backoff.h"
#include "providers/upstream_error.h"

namespace tiergate::providers {

namespace {

using clock = std::chrono::steady_clock;

class resilient_exchange : public std::enable_shared_from_this<resilient_exchange> {
  public:
    resilient_exchange(std::shared_ptr<http_client> client, boost::asio::io_context & context, exchange_plan plan,
                       exchange_hooks hooks)
        : client_(std::move(client)), context_(context), plan_(std::move(plan)), hooks_(std::move(hooks)) {}

    // The runtime is shutting down: the call ends without (another) attempt.
    void refuse() {
        finish(error{error_kind::unavailable, plan_.model + ": the server is shutting down", "", "shutdown", {}});
    }

    void attempt(int n) {
        if (!hooks_.wanted()) {
            return finish(error{error_kind::unavailable, plan_.model + ": the client went away", "", code_cancelled, {}});
        }
        if (plan_.breaker && !plan_.breaker->allow()) {
            const auto wait = plan_.breaker->retry_in();
            error e{error_kind::unavailable,
                    plan_.model + ": " + plan_.url.origin() + " is failing and skipped (circuit open for another " +
                        std::to_string(wait.count()) + " ms)",
                    "", code_circuit_open, static_cast<int>((wait.count() + 999) / 1000)};
            report(n, 0, e, 0.0);
            return finish(std::move(e));
        }
        n_ = n;
        started_ = clock::now();
        status_ = 0;
        ok_ = false;
        retry_after_.reset();
        error_body_.clear();
        body_error_.reset();
        http_callbacks cb;
        auto self = shared_from_this();
        cb.on_head = [self](int status, const header_map & headers) {
            self->status_ = status;
            self->ok_ = status >= 200 && status < 300;
            self->retry_after_ = retry_after(headers);
            if (self->ok_) {
                self->hooks_.on_success_head(headers);
            }
        };
        cb.on_body = [self](std::string_view chunk) {
            if (!self->ok_) {
                const size_t room = error_body_limit - std::min(error_body_limit, self->error_body_.size());
                self->error_body_.append(chunk.substr(0, room));
                return true;
            }
            if (auto e = self->hooks_.on_body(chunk)) {
                self->body_error_ = std::move(e);
                return false;
            }
            return self->hooks_.wanted();
        };
        cb.on_done = [self](http_outcome && outcome) { self->on_done(std::move(outcome)); };
        client_->start(plan_.url, plan_.request, std::move(cb));
    }

  private:
    static constexpr size_t error_body_limit = 64 * 1024;

    void on_done(http_outcome && outcome) {
        std::optional<error> failure;
        bool retryable = false;
        bool unhealthy = false;
        bool neutral = false;
        if (body_error_) {
            failure = std::move(body_error_);
            unhealthy = failure->kind != error_kind::invalid_request;
        } else if (outcome.failure == transport_failure::aborted) {
            failure = error{error_kind::unavailable, plan_.model + ": the client went away", "", code_cancelled, {}};
            neutral = true;
        } else if (outcome.failure != transport_failure::none) {
            failure = error_for_transport(plan_.model, outcome);
            retryable = is_retryable_transport(outcome.failure);
            unhealthy = true;
        } else if (!ok_) {
            failure = error_for_status(plan_.model, status_, error_body_, retry_after_);
            retryable = is_retryable_status(status_);
            unhealthy = status_ >= 500;
            neutral = !unhealthy;
        } else if (auto e = hooks_.on_complete()) {
            failure = std::move(e);
            unhealthy = true;
        }
        if (plan_.breaker) {
            if (!failure) {
                plan_.breaker->record_success();
            } else if (unhealthy) {
                plan_.breaker->record_failure();
            } else if (neutral) {
                plan_.breaker->record_neutral();
            } else {
                plan_.breaker->record_success();
            }
        }
        const double latency = std::chrono::duration<double, std::milli>(clock::now() - started_).count();
        report(n_, status_, failure, latency);
        if (!failure) {
            return finish(std::nullopt);
        }
        if (!retryable || n_ >= plan_.max_attempts || hooks_.committed() || !hooks_.wanted()) {
            if (n_ > 1 && failure->code != code_cancelled) {
                failure->message += " (after " + std::to_string(n_) + " attempts)";
            }
            return finish(std::move(failure));
        }
        millis delay = backoff_delay(plan_.base_backoff, n_);
        if (retry_after_) {
            const bool too_long = *retry_after_ > plan_.max_retry_after ||
                                  (plan_.request.limits.total.count() > 0 && *retry_after_ > plan_.request.limits.total);
            if (too_long) {
                failure->message += " (Retry-After " + std::to_string(retry_after_->count()) + " ms is too long to wait)";
                return finish(std::move(failure));
            }
            delay = std::max(delay, *retry_after_);
        }
        if (!timer_) {
            timer_.emplace(context_);
        }
        timer_->expires_after(delay);
        timer_->async_wait([self = shared_from_this()](const boost::system::error_code & ec) {
            if (ec) {
                return self->refuse();
            }
            self->attempt(self->n_ + 1);
        });
    }

    void report(int n, int status, const std::optional<error> & failure, double latency) {
        if (!hooks_.on_attempt) {
            return;
        }
        attempt_record r;
        r.model = plan_.model;
        r.attempt = n;
        r.status = status;
        r.failure = failure;
        r.latency_ms = latency;
        hooks_.on_attempt(r);
    }

    void finish(std::optional<error> failure) {
        if (finished_) {
            return;
        }
        finished_ = true;
        hooks_.on_finish(std::move(failure));
    }

    std::shared_ptr<http_client> client_;
    boost::asio::io_context & context_;  // where the attempts run: the caller's io_home or the runtime
    exchange_plan plan_;
    exchange_hooks hooks_;
    std::optional<boost::asio::steady_timer> timer_;  // made on the I/O thread, for the first retry
    int n_ = 1;
    clock::time_point started_;
    int status_ = 0;
    bool ok_ = false;
    std::optional<millis> retry_after_;
    std::string error_body_;
    std::optional<error> body_error_;
    bool finished_ = false;
};

}  // namespace

void run_resilient_exchange(std::shared_ptr<http_client> client, io_runtime & runtime, exchange_plan plan,
                            exchange_hooks hooks) {
    // A call made on an I/O thread with a home runs there (its attempts,
    // their exchanges and the retry timer), else on the runtime's thread.
    io_home * home = io_home::current();
    auto ex = std::make_shared<resilient_exchange>(std::move(client), home ? home->context() : runtime.context(),
                                                   std::move(plan), std::move(hooks));
    if (home) {
        boost::asio::post(home->context(), [ex] { ex->attempt(1); });
    } else if (!runtime.post([ex] { ex->attempt(1); })) {
        ex->refuse();
    }
}

}  // namespace tiergate::providers
