#pragma once
// Chunk ids as the change log stores them: 8 bytes each, little-endian.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tiergate::rag {

inline std::string encode_id_list(const std::vector<int64_t> & ids) {
    std::string out;
    out.reserve(ids.size() * 8);
    for (int64_t id : ids) {
        auto v = static_cast<uint64_t>(id);
        for (int i = 0; i < 8; ++i) {
            out.push_back(static_cast<char>(v & 0xff));
            v >>= 8;
        }
    }
    return out;
}

// Trailing bytes short of a whole id are ignored.
inline std::vector<int64_t> decode_id_list(std::string_view bytes) {
    std::vector<int64_t> out;
    out.reserve(bytes.size() / 8);
    for (size_t at = 0; at + 8 <= bytes.size(); at += 8) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; --i) {
            v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<size_t>(i)]);
        }
        out.push_back(static_cast<int64_t>(v));
    }
    return out;
}

}  // namespace tiergate::rag
