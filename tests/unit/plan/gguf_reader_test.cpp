#include "plan/ggml_type_info.h"
#include "plan/gguf_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

using namespace tiergate::plan;

namespace {

const std::string models = std::string(TIERGATE_SHARED_DIR) + "/models/";

std::vector<uint8_t> file_bytes(const std::string & path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// A minimal valid GGUF v3 file built by hand: one u32 and one string array
// metadata entry, one f32 tensor of 8 elements.
struct builder {
    std::vector<uint8_t> b;
    void u32(uint32_t v) { put(&v, 4); }
    void u64(uint64_t v) { put(&v, 8); }
    void str(const std::string & s) {
        u64(s.size());
        put(s.data(), s.size());
    }
    void put(const void * p, size_t n) {
        const auto * c = static_cast<const uint8_t *>(p);
        b.insert(b.end(), c, c + n);
    }
};

std::vector<uint8_t> tiny_gguf(uint32_t n_dims = 1, uint32_t type = 0, uint64_t offset = 0, uint64_t dim0 = 8) {
    builder w;
    w.u32(0x46554747);
    w.u32(3);
    w.u64(1);  // tensors
    w.u64(2);  // kv
    w.str("general.architecture");
    w.u32(8);
    w.str("llama");
    w.str("tokenizer.ggml.tokens");
    w.u32(9);
    w.u32(8);
    w.u64(2);
    w.str("a");
    w.str("b");
    w.str("tok_embd.weight");
    w.u32(n_dims);
    for (uint32_t i = 0; i < n_dims; ++i) {
        w.u64(i == 0 ? dim0 : 1);
    }
    w.u32(type);
    w.u64(offset);
    while (w.b.size() % 32 != 0) {
        w.b.push_back(0);
    }
    w.b.resize(w.b.size() + 32, 0);
    return w.b;
}

}  // namespace

TEST(gguf_reader, reads_stories260k) {
    auto f = read_gguf(models + "stories260K.gguf");
    ASSERT_TRUE(f) << f.err().message;
    EXPECT_EQ(f->architecture(), "llama");
    EXPECT_EQ(f->get_uint("llama.block_count"), 5u);
    EXPECT_EQ(f->get_uint("llama.embedding_length"), 64u);
    ASSERT_NE(f->get_array("tokenizer.ggml.tokens"), nullptr);
    EXPECT_EQ(f->get_array("tokenizer.ggml.tokens")->length, 512u);
    EXPECT_EQ(f->data_offset % f->alignment, 0u);
    uint64_t bytes = 0;
    for (const auto & t : f->tensors) {
        EXPECT_LE(f->data_offset + t.offset + t.n_bytes, f->file_size) << t.name;
        bytes += t.n_bytes;
    }
    // llama.cpp's llama_model_size() reports 1171200 bytes for this model.
    EXPECT_EQ(bytes, 1'171'200u);
}

TEST(gguf_reader, reads_llama2_tiny_random) {
    auto f = read_gguf(models + "llama-2-tiny-random.gguf");
    ASSERT_TRUE(f) << f.err().message;
    EXPECT_EQ(f->architecture(), "llama");
    EXPECT_EQ(f->get_uint("llama.block_count"), 1u);
    EXPECT_EQ(f->get_array("tokenizer.ggml.tokens")->length, 32000u);
    EXPECT_LE(f->get_array("tokenizer.ggml.tokens")->strings.size(), gguf_limits{}.max_kept_strings);
    uint64_t bytes = 0;
    for (const auto & t : f->tensors) {
        bytes += t.n_bytes;
    }
    // llama.cpp's llama_model_size() reports 1026144 bytes for this model.
    EXPECT_EQ(bytes, 1'026'144u);
}

TEST(gguf_reader, missing_file_is_not_found) {
    auto f = read_gguf(models + "no-such-model.gguf");
    ASSERT_FALSE(f);
    EXPECT_EQ(f.err().kind, tiergate::error_kind::not_found);
}

TEST(gguf_reader, hand_built_file_parses) {
    auto f = parse_gguf(tiny_gguf());
    ASSERT_TRUE(f) << f.err().message;
    ASSERT_EQ(f->tensors.size(), 1u);
    EXPECT_EQ(f->tensors[0].n_bytes, 32u);
    EXPECT_EQ(f->get_array("tokenizer.ggml.tokens")->strings, (std::vector<std::string>{"a", "b"}));
}

TEST(gguf_reader, rejects_malformed_headers) {
    auto expect_bad = [](std::vector<uint8_t> bytes, const std::string & fragment) {
        auto f = parse_gguf(bytes);
        ASSERT_FALSE(f) << "accepted: " << fragment;
        EXPECT_EQ(f.err().code, "invalid_gguf");
        EXPECT_NE(f.err().message.find(fragment), std::string::npos) << f.err().message;
    };
    expect_bad({}, "magic");
    expect_bad({'G', 'G', 'U', 'F'}, "end of file");
    auto v1 = tiny_gguf();
    v1[4] = 1;
    expect_bad(v1, "version 1");
    expect_bad(tiny_gguf(5), "dimensions");
    expect_bad(tiny_gguf(1, 4), "unknown ggml type");
    expect_bad(tiny_gguf(1, 0, 3), "aligned");
    expect_bad(tiny_gguf(1, 0, 1024), "past the end");
    expect_bad(tiny_gguf(1, 8, 0, 8), "whole number");
    expect_bad(tiny_gguf(1, 0, 0, 0), "invalid dimension");
    auto huge_string = tiny_gguf();
    const uint64_t big = 1ull << 40;
    std::memcpy(huge_string.data() + 24, &big, 8);  // length of the first key
    expect_bad(huge_string, "exceeds the limit");
    auto huge_count = tiny_gguf();
    std::memcpy(huge_count.data() + 8, &big, 8);  // tensor count
    expect_bad(huge_count, "tensor count");
}

TEST(gguf_reader, every_truncation_of_a_real_header_is_rejected) {
    const auto bytes = file_bytes(models + "stories260K.gguf");
    auto whole = parse_gguf(bytes);
    ASSERT_TRUE(whole);
    const size_t header_end = whole->data_offset;
    for (size_t n = 0; n < header_end; n += (n < 4096 ? 1 : 97)) {
        std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_FALSE(parse_gguf(prefix)) << "prefix of " << n << " bytes";
    }
}

TEST(gguf_reader, random_corruption_never_crashes) {
    const auto bytes = file_bytes(models + "stories260K.gguf");
    auto whole = parse_gguf(bytes);
    ASSERT_TRUE(whole);
    std::mt19937 rng(1234);
    int rejected = 0;
    for (int i = 0; i < 300; ++i) {
        auto copy = std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(whole->data_offset));
        copy.resize(bytes.size());  // keep the size so tensor bounds still check
        for (int k = 0; k < 4; ++k) {
            const auto pos = std::uniform_int_distribution<size_t>(0, whole->data_offset - 1)(rng);
            copy[pos] = static_cast<uint8_t>(rng());
        }
        auto f = parse_gguf(copy);
        if (!f) {
            ++rejected;
            EXPECT_FALSE(f.err().message.empty());
        }
    }
    EXPECT_GT(rejected, 0);
}

TEST(ggml_type_info, known_sizes) {
    EXPECT_EQ(find_ggml_type("q8_0")->block_bytes, 34u);
    EXPECT_EQ(find_ggml_type(12u)->name, "q4_K");
    EXPECT_EQ(find_ggml_type(12u)->block_bytes, 144u);
    EXPECT_FALSE(find_ggml_type(4u).has_value());
    EXPECT_EQ(*ggml_row_bytes(*find_ggml_type("f16"), 10), 20u);
    EXPECT_FALSE(ggml_row_bytes(*find_ggml_type("q4_0"), 10).has_value());
}
