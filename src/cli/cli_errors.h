#pragma once
// How a command reports a failure: "error: <message> (<param>)" on stderr and
// exit code 1. take() unwraps a result or fails; guarded() turns an escaping
// exception into the same report.
#include "core/error.h"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <utility>

namespace tiergate::cli {

[[noreturn]] inline void fail(const error & err) {
    std::cerr << "error: " << err.message;
    if (!err.param.empty()) {
        std::cerr << " (" << err.param << ")";
    }
    std::cerr << "\n";
    throw CLI::RuntimeError(1);
}

template <class T>
T take(result<T> value) {
    if (!value) {
        fail(value.err());
    }
    return std::move(*value);
}

template <class handler>
void guarded(handler && run) {
    try {
        run();
    } catch (const CLI::RuntimeError &) {
        throw;
    } catch (const std::exception & e) {
        fail(error{error_kind::internal, e.what(), {}, {}, {}});
    }
}

}  // namespace tiergate::cli
