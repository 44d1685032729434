// The retrieval extractors and the chunker on a hostile file: the first byte
// picks the format (text, Markdown, HTML, PDF, JSON Lines), the rest is the
// file. Documents or an error, never a crash; every document's text is valid
// UTF-8, and its chunks are in order, inside the text, and never split a
// UTF-8 sequence.
#include "core/utf8.h"
#include "fuzz_input.h"
#include "rag/chunker.h"
#include "rag/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size) {
    using namespace tiergate;
    if (size == 0) {
        return 0;
    }
    static constexpr rag::file_format formats[] = {rag::file_format::text, rag::file_format::markdown,
                                                   rag::file_format::html, rag::file_format::pdf,
                                                   rag::file_format::jsonl};
    const rag::file_format format = formats[data[0] % 5];
    const std::string_view bytes = fuzz::as_text(data + 1, size - 1);
    auto docs = rag::extract_documents(bytes, format, "fuzz.input");
    if (!docs.ok()) {
        if (docs.err().message.empty()) {
            fuzz::violated("a refused file has no message");
        }
        return 0;
    }
    const rag::chunk_settings settings{24, 6};
    for (const rag::document & d : *docs) {
        if (find_invalid_utf8(d.text) != std::string_view::npos || find_invalid_utf8(d.title) != std::string_view::npos) {
            fuzz::violated("an extracted document is not valid UTF-8");
        }
        size_t last_begin = 0;
        for (const rag::chunk_span & c : rag::chunk_text(d.text, settings)) {
            if (c.begin >= c.end || c.end > d.text.size() || c.begin < last_begin) {
                fuzz::violated("a chunk outside the text or out of order");
            }
            if (find_invalid_utf8(std::string_view(d.text).substr(c.begin, c.end - c.begin)) != std::string_view::npos) {
                fuzz::violated("a chunk splits a UTF-8 sequence");
            }
            last_begin = c.begin;
        }
    }
    return 0;
}
