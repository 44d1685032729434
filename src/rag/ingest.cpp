#include "rag/ingest.h"

#include "core/utf8.h"
#include "rag/chunker.h"
#include "rag/flat_index.h"

namespace tiergate::rag {

namespace {

constexpr size_t max_document_id_bytes = 512;

}  // namespace

std::string embedding_text(const std::string & title, std::string_view chunk) {
    if (title.empty()) {
        return std::string(chunk);
    }
    std::string out;
    out.reserve(title.size() + 2 + chunk.size());
    out += title;
    out += "\n\n";
    out += chunk;
    return out;
}

result<ingest_result> ingester::ingest(const std::string & collection, const document & doc,
                                       const knowledge_caller & caller) {
    if (doc.id.empty() || doc.id.size() > max_document_id_bytes) {
        return error::invalid("a document needs an id of 1 to " + std::to_string(max_document_id_bytes) + " bytes", "id",
                              "invalid_document_id");
    }
    for (const std::string * field : {&doc.id, &doc.title, &doc.text}) {
        if (const size_t bad = find_invalid_utf8(*field); bad != std::string_view::npos) {
            return error::invalid("document '" + doc.id + "' is not valid UTF-8 (byte " + std::to_string(bad) + ")",
                                  "text", "invalid_utf8");
        }
    }
    auto info = store_.collection(collection);
    if (!info) {
        return info.err();
    }
    auto model = models_.for_collection(*info);
    if (!model) {
        return model.err();
    }
    embedder & chosen = **model;
    const auto spans = chunk_text(doc.text, info->chunking,
                                  [&chosen](std::string_view t) { return chosen.count_tokens(t); });
    std::vector<chunk_input> chunks;
    chunks.reserve(spans.size());
    ingest_result out;
    for (const chunk_span & s : spans) {
        chunks.push_back({s.begin, s.end, doc.text.substr(s.begin, s.end - s.begin), {}});
        out.tokens += s.tokens;
    }
    const size_t batch = std::max<size_t>(chosen.batch_size(), 1);
    for (size_t at = 0; at < chunks.size(); at += batch) {
        std::vector<std::string> texts;
        for (size_t i = at; i < std::min(chunks.size(), at + batch); ++i) {
            texts.push_back(embedding_text(doc.title, chunks[i].text));
        }
        auto vectors = chosen.embed(texts, caller);
        if (!vectors) {
            return vectors.err();
        }
        if (vectors->size() != texts.size()) {
            return error{error_kind::upstream, "the embedding model answered " + std::to_string(vectors->size()) +
                                                   " vectors for " + std::to_string(texts.size()) + " texts",
                         "", "rag_embedding_failed", {}};
        }
        for (size_t i = 0; i < vectors->size(); ++i) {
            normalize((*vectors)[i]);
            chunks[at + i].vector = std::move((*vectors)[i]);
        }
    }
    document_info d;
    d.collection = collection;
    d.id = doc.id;
    d.title = doc.title;
    d.source = doc.source;
    d.bytes = static_cast<int64_t>(doc.text.size());
    d.metadata = doc.metadata.is_object() ? doc.metadata : nlohmann::json::object();
    std::vector<std::vector<float>> vectors;
    vectors.reserve(chunks.size());
    for (const chunk_input & c : chunks) {
        vectors.push_back(c.vector);
    }
    auto put = store_.put_document(d, chunks, chosen.model());
    if (!put) {
        return put.err();
    }
    if (retriever_) {
        retriever_->apply(put->change, vectors);
    }
    out.document = std::move(put->document);
    return out;
}

}  // namespace tiergate::rag
