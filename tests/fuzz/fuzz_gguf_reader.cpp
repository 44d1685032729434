// The GGUF reader of `tiergate plan memory` on a hostile file: metadata and
// tensor infos, or an error naming the byte offset; never a read out of
// bounds or an allocation without bound.
#include <vector>

#include "fuzz_input.h"
#include "plan/gguf_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    const std::vector<uint8_t> bytes(data, data + size);
    auto file = plan::parse_gguf(bytes);
    if (!file.ok()) {
        if (file.err().message.empty()) {
            fuzz::violated("a refused GGUF file has no message");
        }
        return 0;
    }
    for (const auto & t : file->tensors) {
        const uint64_t data_size = file->file_size - file->data_offset;  // data_offset <= file_size with tensors
        if (file->data_offset > file->file_size || t.offset > data_size || t.n_bytes > data_size - t.offset) {
            fuzz::violated("a tensor lies outside the file");
        }
    }
    (void)file->architecture();
    return 0;
}
