#pragma once
// Helpers shared by the fuzz targets: a fuzzer's bytes as a view, split
// points drawn from the input itself, and a scratch file for readers that
// take a path.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace tiergate::fuzz {

inline std::string_view as_text(const uint8_t * data, size_t size) {
    return {reinterpret_cast<const char *>(data), size};
}

// Chunk lengths for feeding `total` bytes in pieces, taken from `seed` bytes
// (each 1..64, the last piece takes the rest).
inline std::vector<size_t> split_points(std::string_view seed, size_t total) {
    std::vector<size_t> cuts;
    size_t at = 0;
    for (size_t i = 0; at < total; ++i) {
        size_t step = seed.empty() ? total : 1 + static_cast<unsigned char>(seed[i % seed.size()]) % 64;
        step = std::min(step, total - at);
        cuts.push_back(step);
        at += step;
    }
    return cuts;
}

// A fatal property violation: libFuzzer records the input as a crash.
[[noreturn]] inline void violated(const char * what) {
    fprintf(stderr, "property violated: %s\n", what);
    abort();
}

// A file holding the input, for readers that take a path; removed on scope exit.
class scratch_file {
  public:
    scratch_file(const uint8_t * data, size_t size) {
        char tmpl[] = "/tmp/tiergate-fuzz-XXXXXX";
        int fd = mkstemp(tmpl);
        if (fd < 0) {
            violated("mkstemp failed");
        }
        path_ = tmpl;
        size_t off = 0;
        while (off < size) {
            ssize_t n = write(fd, data + off, size - off);
            if (n <= 0) {
                violated("write failed");
            }
            off += static_cast<size_t>(n);
        }
        close(fd);
    }
    ~scratch_file() { unlink(path_.c_str()); }
    scratch_file(const scratch_file &) = delete;
    scratch_file & operator=(const scratch_file &) = delete;
    const std::string & path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace tiergate::fuzz
