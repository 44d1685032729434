// PDF to text with poppler-cpp: pages in order, each page's text in reading
// order. Encrypted and broken files are errors, never a crash.

#include "rag/extract.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <memory>

namespace tiergate::rag {

namespace {

void quiet(const std::string &, void *) {}

}  // namespace

result<std::string> pdf_to_text(std::string_view pdf, const std::string & name) {
    static const bool silenced = [] {
        poppler::set_debug_error_function(quiet, nullptr);
        return true;
    }();
    (void)silenced;
    if (pdf.size() > static_cast<size_t>(INT32_MAX)) {
        return error::invalid(name + ": PDF too large", "file", "invalid_file");
    }
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
    if (!doc) {
        return error::invalid(name + ": not a readable PDF (broken or truncated)", "file", "invalid_pdf");
    }
    if (doc->is_locked()) {
        return error::invalid(name + ": the PDF is encrypted with a password", "file", "encrypted_pdf");
    }
    std::string out;
    const int pages = doc->pages();
    for (int i = 0; i < pages; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) {
            continue;
        }
        const poppler::byte_array bytes = page->text().to_utf8();
        if (!out.empty() && !bytes.empty()) {
            out += "\n\n";
        }
        out.append(bytes.data(), bytes.size());
    }
    return out;
}

}  // namespace tiergate::rag
