#pragma once
// What every remote provider shares: the shared I/O thread, the HTTP client, the
// circuit breakers (one per upstream origin) and where API keys are read.
// Create one per process; it must outlive the providers made with it.

#include <memory>

#include "config/env_lookup.h"
#include "providers/circuit_breaker_registry.h"
#include "providers/http_client.h"
#include "providers/io_runtime.h"

namespace tiergate::providers {

struct remote_context {
    std::shared_ptr<io_runtime> runtime;
    std::shared_ptr<http_client> client;
    std::shared_ptr<circuit_breaker_registry> breakers;
    config::env_lookup env;

    // A runtime with its thread, a client, breakers with `breaker` options,
    // keys from the process environment.
    static remote_context make(circuit_breaker_options breaker = {});

    // The shutdown of a process, in this order around everything else that
    // may still call a remote provider (the inference threads):
    //   stop()   remote calls make no more progress; new ones fail at once
    //            ("shutdown") on the caller's thread (a call begun on a
    //            server loop runs on that loop and ends with it instead);
    //   close()  the kept-alive connections close and the calls that never
    //            finished are destroyed (their observers without an end).
    // Both before anything the calls' observers reach is destroyed.
    void stop();
    void close();
};

}  // namespace tiergate::providers
