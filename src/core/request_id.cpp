#include "core/request_id.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace tiergate {

std::string new_request_id(const char * prefix) {
    static const uint64_t base = std::random_device{}() ^ (static_cast<uint64_t>(std::random_device{}()) << 32);
    static std::atomic<uint64_t> counter{0};
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%s-%016llx%08llx", prefix, static_cast<unsigned long long>(base),
                  static_cast<unsigned long long>(++counter));
    return buf;
}

}  // namespace tiergate
