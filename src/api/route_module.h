#pragma once
// A set of paths another module answers in full (its own authentication,
// its own error shapes): the admin API and the dashboard. The routes hand
// such a request over before anything else looks at it.

#include <memory>
#include <string>

#include "api/http_server.h"

namespace tiergate::api {

class route_module {
  public:
    virtual ~route_module() = default;
    virtual bool owns(const std::string & path) const = 0;
    // Never blocks the calling I/O thread.
    virtual void handle(http_request && request, std::shared_ptr<responder> respond) = 0;
};

}  // namespace tiergate::api
