#include "rag/pg_store.h"

#include "rag/id_list_codec.h"
#include "rag/pg_connection.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_map>

namespace tiergate::rag {

namespace {

// Held while the tables are created, so that gateways starting together do
// not race on them.
constexpr int64_t schema_lock_id = 7'201'104'418;
// A process whose index is further behind than this rebuilds it.
constexpr int64_t change_log_versions = 10000;

constexpr const char * schema = R"sql(
CREATE TABLE IF NOT EXISTS rag_collections(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL, created_ms BIGINT NOT NULL,
  chunk_tokens BIGINT NOT NULL, overlap_tokens BIGINT NOT NULL, on_prem_only BOOLEAN NOT NULL,
  embedding_model TEXT NOT NULL, dims BIGINT NOT NULL, metadata TEXT NOT NULL, version BIGINT NOT NULL,
  doc_count BIGINT NOT NULL DEFAULT 0, chunk_count BIGINT NOT NULL DEFAULT 0, byte_count BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS rag_documents(
  collection TEXT NOT NULL REFERENCES rag_collections(id) ON DELETE CASCADE, id TEXT NOT NULL, title TEXT NOT NULL,
  source TEXT NOT NULL, bytes BIGINT NOT NULL, chunks BIGINT NOT NULL, created_ms BIGINT NOT NULL,
  metadata TEXT NOT NULL, PRIMARY KEY(collection, id));
CREATE TABLE IF NOT EXISTS rag_chunks(
  id BIGSERIAL PRIMARY KEY, collection TEXT NOT NULL, doc_id TEXT NOT NULL, ordinal BIGINT NOT NULL,
  begin_byte BIGINT NOT NULL, end_byte BIGINT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, vector BYTEA,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', text), 'B')) STORED,
  FOREIGN KEY(collection, doc_id) REFERENCES rag_documents(collection, id) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS rag_chunks_by_document ON rag_chunks(collection, doc_id);
CREATE INDEX IF NOT EXISTS rag_chunks_tsv ON rag_chunks USING GIN(tsv);
CREATE TABLE IF NOT EXISTS rag_change_log(
  collection TEXT NOT NULL REFERENCES rag_collections(id) ON DELETE CASCADE, version BIGINT NOT NULL,
  removed BYTEA NOT NULL, added BYTEA NOT NULL, PRIMARY KEY(collection, version));
)sql";

constexpr const char * collection_columns =
    "c.id, c.name, c.team, c.created_ms, c.chunk_tokens, c.overlap_tokens, c.on_prem_only, c.embedding_model, c.dims, "
    "c.metadata, c.version, c.doc_count, c.chunk_count, c.byte_count";

constexpr const char * document_columns = "collection, id, title, source, bytes, chunks, created_ms, metadata";

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

nlohmann::json json_object(const pqxx::field & f) {
    nlohmann::json j = nlohmann::json::parse(f.c_str(), nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

collection_info collection_from_row(const pqxx::row & r) {
    collection_info c;
    c.id = r[0].as<std::string>();
    c.name = r[1].as<std::string>();
    c.team = r[2].as<std::string>();
    c.created_ms = r[3].as<int64_t>();
    c.chunking.max_tokens = r[4].as<size_t>();
    c.chunking.overlap_tokens = r[5].as<size_t>();
    c.on_prem_only = r[6].as<bool>();
    c.embedding_model = r[7].as<std::string>();
    c.dims = r[8].as<uint32_t>();
    c.metadata = json_object(r[9]);
    c.version = r[10].as<int64_t>();
    c.documents = r[11].as<int64_t>();
    c.chunks = r[12].as<int64_t>();
    c.bytes = r[13].as<int64_t>();
    return c;
}

document_info document_from_row(const pqxx::row & r) {
    document_info d;
    d.collection = r[0].as<std::string>();
    d.id = r[1].as<std::string>();
    d.title = r[2].as<std::string>();
    d.source = r[3].as<std::string>();
    d.bytes = r[4].as<int64_t>();
    d.chunks = r[5].as<int64_t>();
    d.created_ms = r[6].as<int64_t>();
    d.metadata = json_object(r[7]);
    return d;
}

std::string_view bytes_of(const pqxx::binarystring & b) {
    return std::string_view(reinterpret_cast<const char *>(b.data()), b.size());
}

error no_collection(const std::string & id) {
    return error{error_kind::not_found, "no collection '" + id + "'", "collection", "collection_not_found", {}};
}

// "$first, $first+1, ..." for n parameters.
std::string placeholders(size_t first, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        out += (i ? ", $" : "$") + std::to_string(first + i);
    }
    return out;
}

// Reads the vectors of a result's rows (id, vector) into `visit`.
size_t visit_vectors(const pqxx::result & rows, const std::function<void(int64_t, std::span<const float>)> & visit) {
    std::vector<float> buffer;
    size_t n = 0;
    for (const auto & row : rows) {
        pqxx::binarystring b(row[1]);
        buffer.resize(b.size() / sizeof(float));
        std::memcpy(buffer.data(), b.data(), buffer.size() * sizeof(float));
        visit(row[0].as<int64_t>(), buffer);
        ++n;
    }
    return n;
}

}  // namespace

struct pg_store::impl {
    std::unique_ptr<pg_connection> db;
    std::string location;  // the URL without its credentials
};

pg_store::pg_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
pg_store::~pg_store() = default;

const std::string & pg_store::path() const { return impl_->location; }

result<std::unique_ptr<pg_store>> pg_store::open(const std::string & url) {
    auto p = std::make_unique<impl>();
    auto conn = pg_connection::open(url, "retrieval store");
    if (!conn) {
        return conn.err();
    }
    p->db = std::move(*conn);
    // postgresql://user:password@host:port/db -> postgresql://host:port/db
    // and without its parameters, which may hold a password too
    p->location = url.substr(0, url.find('?'));
    if (const size_t scheme = p->location.find("://"), at = p->location.rfind('@');
        scheme != std::string::npos && at != std::string::npos && at > scheme) {
        p->location = p->location.substr(0, scheme + 3) + p->location.substr(at + 1);
    }
    auto made = p->db->run("creating the tables", [](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(schema_lock_id) + ")");
        tx.exec0(schema);
        tx.commit();
        return true;
    });
    if (!made) {
        return made.err();
    }
    return std::unique_ptr<pg_store>(new pg_store(std::move(p)));
}

result<collection_info> pg_store::create_collection(collection_info info) {
    if (auto ok = pg_connection::check_text({info.id, info.name, info.team, info.embedding_model}, "name"); !ok) {
        return ok.err();
    }
    if (info.created_ms == 0) {
        info.created_ms = now_ms();
    }
    return impl_->db->run("create collection", [&](pqxx::connection & c) -> result<collection_info> {
        pqxx::work tx(c);
        auto r = tx.exec_params(
            "INSERT INTO rag_collections(id, name, team, created_ms, chunk_tokens, overlap_tokens, on_prem_only, "
            "embedding_model, dims, metadata, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1) "
            "ON CONFLICT (id) DO NOTHING",
            info.id, info.name, info.team, info.created_ms, static_cast<int64_t>(info.chunking.max_tokens),
            static_cast<int64_t>(info.chunking.overlap_tokens), info.on_prem_only, info.embedding_model,
            static_cast<int64_t>(info.dims), info.metadata.dump());
        if (r.affected_rows() == 0) {
            return error::invalid("a collection with id '" + info.id + "' already exists", "id", "collection_exists");
        }
        tx.commit();
        info.version = 1;
        return info;
    });
}

result<collection_info> pg_store::collection(const std::string & id) const {
    if (auto ok = pg_connection::check_text({id}, "id"); !ok) {
        return no_collection(id);
    }
    return impl_->db->run("read collection", [&](pqxx::connection & c) -> result<collection_info> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(std::string("SELECT ") + collection_columns + " FROM rag_collections c WHERE c.id = $1",
                                   id);
        if (rows.empty()) {
            return no_collection(id);
        }
        return collection_from_row(rows[0]);
    });
}

result<std::vector<collection_info>> pg_store::collections(const std::optional<std::string> & team) const {
    if (team) {
        if (auto ok = pg_connection::check_text({*team}, "team"); !ok) {
            return std::vector<collection_info>{};
        }
    }
    return impl_->db->run("list collections", [&](pqxx::connection & c) -> result<std::vector<collection_info>> {
        pqxx::read_transaction tx(c);
        const std::string sql = std::string("SELECT ") + collection_columns + " FROM rag_collections c " +
                                (team ? "WHERE c.team = $1 " : "") + "ORDER BY c.created_ms, c.id";
        pqxx::result rows = team ? tx.exec_params(sql, *team) : tx.exec(sql);
        std::vector<collection_info> out;
        out.reserve(rows.size());
        for (const auto & row : rows) {
            out.push_back(collection_from_row(row));
        }
        return out;
    });
}

result<bool> pg_store::delete_collection(const std::string & id) {
    if (auto ok = pg_connection::check_text({id}, "id"); !ok) {
        return false;
    }
    return impl_->db->run("delete collection", [&](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        tx.exec_params0("DELETE FROM rag_chunks WHERE collection = $1", id);
        auto r = tx.exec_params("DELETE FROM rag_collections WHERE id = $1", id);  // documents and log cascade
        tx.commit();
        return r.affected_rows() > 0;
    });
}

result<bool> pg_store::rename_collection(const std::string & id, const std::string & name,
                                         const nlohmann::json & metadata) {
    if (auto ok = pg_connection::check_text({id, name}, "name"); !ok) {
        return ok.err();
    }
    return impl_->db->run("update collection", [&](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        auto r = tx.exec_params("UPDATE rag_collections SET name = $1, metadata = $2 WHERE id = $3", name,
                                metadata.dump(), id);
        tx.commit();
        return r.affected_rows() > 0;
    });
}

result<put_result> pg_store::put_document(const document_info & doc, const std::vector<chunk_input> & chunks,
                                          const std::string & embedding_model) {
    if (auto ok = pg_connection::check_text({doc.collection, doc.id, doc.title, doc.source, embedding_model}, "document");
        !ok) {
        return ok.err();
    }
    uint32_t dims = 0;
    for (const chunk_input & ch : chunks) {
        if (auto ok = pg_connection::check_text({ch.text}, "text"); !ok) {
            return ok.err();
        }
        if (ch.vector.empty()) {
            continue;
        }
        if (dims != 0 && ch.vector.size() != dims) {
            return error::invalid("chunks of one document have vectors of different sizes", "vector");
        }
        dims = static_cast<uint32_t>(ch.vector.size());
    }
    return impl_->db->run("put document", [&](pqxx::connection & c) -> result<put_result> {
        pqxx::work tx(c);
        // The collection's row, locked: changes to one collection are serialized across gateways.
        auto found = tx.exec_params("SELECT dims, embedding_model FROM rag_collections WHERE id = $1 FOR UPDATE",
                                    doc.collection);
        if (found.empty()) {
            return no_collection(doc.collection);
        }
        const auto have = found[0][0].as<uint32_t>();
        const auto model = found[0][1].as<std::string>();
        if (dims != 0 && have != 0 && have != dims) {
            return error::invalid("collection '" + doc.collection + "' holds vectors of " + std::to_string(have) +
                                      " dimensions, not " + std::to_string(dims),
                                  "vector", "dimension_mismatch");
        }
        if (dims != 0 && !model.empty() && !embedding_model.empty() && model != embedding_model) {
            return error::invalid("collection '" + doc.collection + "' is embedded with '" + model + "', not '" +
                                      embedding_model + "'",
                                  "model", "embedding_model_mismatch");
        }
        if (dims != 0) {
            tx.exec_params0("UPDATE rag_collections SET dims = $1, embedding_model = "
                            "CASE WHEN embedding_model = '' THEN $2 ELSE embedding_model END WHERE id = $3",
                            static_cast<int64_t>(dims), embedding_model, doc.collection);
        }
        put_result done;
        done.change.collection = doc.collection;
        for (const auto & row : tx.exec_params("DELETE FROM rag_chunks WHERE collection = $1 AND doc_id = $2 RETURNING id",
                                               doc.collection, doc.id)) {
            done.change.removed.push_back(row[0].as<int64_t>());
        }
        auto old = tx.exec_params("SELECT bytes FROM rag_documents WHERE collection = $1 AND id = $2", doc.collection,
                                  doc.id);
        const int64_t old_bytes = old.empty() ? 0 : old[0][0].as<int64_t>();
        std::sort(done.change.removed.begin(), done.change.removed.end());
        document_info out = doc;
        out.chunks = static_cast<int64_t>(chunks.size());
        if (out.created_ms == 0) {
            out.created_ms = now_ms();
        }
        tx.exec_params0("INSERT INTO rag_documents(collection, id, title, source, bytes, chunks, created_ms, metadata) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (collection, id) DO UPDATE SET "
                        "title = excluded.title, source = excluded.source, bytes = excluded.bytes, "
                        "chunks = excluded.chunks, created_ms = excluded.created_ms, metadata = excluded.metadata",
                        out.collection, out.id, out.title, out.source, out.bytes, out.chunks, out.created_ms,
                        out.metadata.dump());
        int64_t ordinal = 0;
        for (const chunk_input & ch : chunks) {
            const std::string sql = "INSERT INTO rag_chunks(collection, doc_id, ordinal, begin_byte, end_byte, title, "
                                    "text, vector) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
            pqxx::result r;
            if (ch.vector.empty()) {
                r = tx.exec_params(sql, out.collection, out.id, ordinal, static_cast<int64_t>(ch.begin),
                                   static_cast<int64_t>(ch.end), out.title, ch.text, nullptr);
            } else {
                const pqxx::binarystring v(ch.vector.data(), ch.vector.size() * sizeof(float));
                r = tx.exec_params(sql, out.collection, out.id, ordinal, static_cast<int64_t>(ch.begin),
                                   static_cast<int64_t>(ch.end), out.title, ch.text, v);
            }
            ++ordinal;
            done.change.added.push_back(r[0][0].as<int64_t>());
        }
        done.change.version =
            tx.exec_params1("UPDATE rag_collections SET version = version + 1, doc_count = doc_count + $2, "
                            "chunk_count = chunk_count + $3, byte_count = byte_count + $4 WHERE id = $1 RETURNING version",
                            out.collection, old.empty() ? 1 : 0,
                            static_cast<int64_t>(chunks.size()) - static_cast<int64_t>(done.change.removed.size()),
                            out.bytes - old_bytes)[0]
                .as<int64_t>();
        const std::string removed = encode_id_list(done.change.removed), added = encode_id_list(done.change.added);
        tx.exec_params0("INSERT INTO rag_change_log(collection, version, removed, added) VALUES ($1, $2, $3, $4)",
                        out.collection, done.change.version, pqxx::binarystring(removed.data(), removed.size()),
                        pqxx::binarystring(added.data(), added.size()));
        tx.exec_params0("DELETE FROM rag_change_log WHERE collection = $1 AND version <= $2", out.collection,
                        done.change.version - change_log_versions);
        tx.commit();
        done.document = std::move(out);
        return done;
    });
}

result<collection_change> pg_store::delete_document(const std::string & collection, const std::string & doc_id) {
    collection_change change;
    change.collection = collection;
    if (!pg_connection::check_text({collection, doc_id}, "document")) {
        return change;
    }
    return impl_->db->run("delete document", [&](pqxx::connection & c) -> result<collection_change> {
        pqxx::work tx(c);
        if (tx.exec_params("SELECT 1 FROM rag_collections WHERE id = $1 FOR UPDATE", collection).empty()) {
            return change;
        }
        for (const auto & row :
             tx.exec_params("DELETE FROM rag_chunks WHERE collection = $1 AND doc_id = $2 RETURNING id", collection, doc_id)) {
            change.removed.push_back(row[0].as<int64_t>());
        }
        std::sort(change.removed.begin(), change.removed.end());
        auto gone = tx.exec_params("DELETE FROM rag_documents WHERE collection = $1 AND id = $2 RETURNING bytes",
                                   collection, doc_id);
        if (!gone.empty()) {
            change.version =
                tx.exec_params1("UPDATE rag_collections SET version = version + 1, doc_count = doc_count - 1, "
                                "chunk_count = chunk_count - $2, byte_count = byte_count - $3 WHERE id = $1 "
                                "RETURNING version",
                                collection, static_cast<int64_t>(change.removed.size()), gone[0][0].as<int64_t>())[0]
                    .as<int64_t>();
            const std::string removed = encode_id_list(change.removed);
            tx.exec_params0("INSERT INTO rag_change_log(collection, version, removed, added) VALUES ($1, $2, $3, $4)",
                            collection, change.version, pqxx::binarystring(removed.data(), removed.size()),
                            pqxx::binarystring("", 0));
        }
        tx.commit();
        return change;
    });
}

result<std::optional<document_info>> pg_store::document(const std::string & collection, const std::string & doc_id) const {
    if (!pg_connection::check_text({collection, doc_id}, "document")) {
        return std::optional<document_info>();
    }
    return impl_->db->run("read document", [&](pqxx::connection & c) -> result<std::optional<document_info>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(std::string("SELECT ") + document_columns +
                                       " FROM rag_documents WHERE collection = $1 AND id = $2",
                                   collection, doc_id);
        if (rows.empty()) {
            return std::optional<document_info>();
        }
        return std::optional<document_info>(document_from_row(rows[0]));
    });
}

result<std::vector<document_info>> pg_store::documents(const std::string & collection, size_t limit,
                                                       const std::string & after) const {
    if (!pg_connection::check_text({collection, after}, "after")) {
        return std::vector<document_info>{};
    }
    return impl_->db->run("list documents", [&](pqxx::connection & c) -> result<std::vector<document_info>> {
        pqxx::read_transaction tx(c);
        // Ordered byte-wise, as SQLite orders text.
        auto rows = tx.exec_params(std::string("SELECT ") + document_columns +
                                       " FROM rag_documents WHERE collection = $1 AND id COLLATE \"C\" > $2 "
                                       "ORDER BY id COLLATE \"C\" LIMIT $3",
                                   collection, after, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
        std::vector<document_info> out;
        out.reserve(rows.size());
        for (const auto & row : rows) {
            out.push_back(document_from_row(row));
        }
        return out;
    });
}

result<std::vector<std::string>> pg_store::metadata_keys(const std::string & collection) const {
    if (!pg_connection::check_text({collection}, "collection")) {
        return std::vector<std::string>{};
    }
    return impl_->db->run("metadata keys", [&](pqxx::connection & c) -> result<std::vector<std::string>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params("SELECT DISTINCT k FROM rag_documents, json_object_keys(metadata::json) AS k "
                                   "WHERE collection = $1 ORDER BY k",
                                   collection);
        std::vector<std::string> out;
        for (const auto & row : rows) {
            out.push_back(row[0].as<std::string>());
        }
        return out;
    });
}

result<std::vector<scored_chunk>> pg_store::search_bm25(const std::vector<std::string> & collections,
                                                        const std::vector<weighted_term> & terms, size_t limit,
                                                        const bm25_weights &, size_t) const {
    std::vector<scored_chunk> out;
    std::vector<std::string> words, names;
    std::vector<double> weights;
    std::vector<bool> candidate;
    for (const weighted_term & t : terms) {
        if (!t.text.empty() && t.weight > 0 && pg_connection::check_text({t.text}, "query")) {
            words.push_back(t.text);
            weights.push_back(t.weight);
            candidate.push_back(t.candidate);
        }
    }
    for (const std::string & c : collections) {
        if (pg_connection::check_text({c}, "collection")) {
            names.push_back(c);
        }
    }
    if (words.empty() || names.empty() || limit == 0 || std::find(candidate.begin(), candidate.end(), true) == candidate.end()) {
        return out;
    }
    // One query: the terms as tsqueries; the chunks of the collections that
    // hold a candidate term (m); each term's document frequency among the
    // collections' chunks (over m, or over every chunk holding any term when
    // some terms only score); then sum(weight * idf * ts_rank) per chunk.
    // Parameters: the terms ($1..$n), then the collections.
    const size_t n = words.size();
    const std::string in = placeholders(n + 1, names.size());
    const bool all_candidates = std::find(candidate.begin(), candidate.end(), false) == candidate.end();
    std::string q_columns, any, any_candidate, df_columns, score;
    for (size_t i = 0; i < n; ++i) {
        const std::string k = std::to_string(i + 1);
        const std::string tsquery = "plainto_tsquery('english', $" + k + ")";
        q_columns += (i ? ", " : "") + tsquery + " AS q" + k;
        any += (i ? " || " : "") + tsquery;
        if (candidate[i]) {
            any_candidate += (any_candidate.empty() ? "" : " || ") + tsquery;
        }
        df_columns += ", count(*) FILTER (WHERE a.tsv @@ q.q" + k + ") AS d" + k;
        char w[64];
        std::snprintf(w, sizeof w, "%.9g", weights[i]);
        score += std::string(i ? " + " : "") + w + " * greatest(1e-6, ln((greatest(t.total, df.d" + k + ") - df.d" + k +
                 " + 0.5) / (df.d" + k + " + 0.5))) * ts_rank(m.tsv, q.q" + k + ", 1)";
    }
    const std::string sql =
        // every part once (MATERIALIZED): on tables without statistics the
        // planner would otherwise count the frequencies again for each chunk
        "WITH q AS MATERIALIZED (SELECT " + q_columns + "), " +
        "m AS MATERIALIZED (SELECT c.id, c.tsv FROM rag_chunks c WHERE c.collection IN (" + in + ") AND c.tsv @@ (" +
        any_candidate + ")), " +
        (all_candidates ? std::string("a AS (SELECT tsv FROM m), ")
                        : "a AS (SELECT c.tsv FROM rag_chunks c WHERE c.collection IN (" + in + ") AND c.tsv @@ (" + any +
                              ")), ") +
        "t AS MATERIALIZED (SELECT coalesce(sum(chunk_count), 0)::float8 AS total FROM rag_collections WHERE id IN (" +
        in + ")), " +
        "df AS MATERIALIZED (SELECT 1 AS one" + df_columns + " FROM a, q) " +
        "SELECT m.id, " + score + " AS score FROM m, q, t, df ORDER BY score DESC, m.id LIMIT " + std::to_string(limit);
    std::vector<std::string> params = words;
    params.insert(params.end(), names.begin(), names.end());
    return impl_->db->run("search", [&](pqxx::connection & c) -> result<std::vector<scored_chunk>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
        out.reserve(rows.size());
        for (const auto & row : rows) {
            out.push_back({row[0].as<int64_t>(), row[1].as<double>()});
        }
        return out;
    });
}

result<std::vector<chunk_terms>> pg_store::terms_of(const std::vector<int64_t> & ids) const {
    return impl_->db->run("read chunk terms", [&](pqxx::connection & c) -> result<std::vector<chunk_terms>> {
        pqxx::read_transaction tx(c);
        std::vector<chunk_terms> out;
        out.reserve(ids.size());
        for (int64_t id : ids) {
            // Each word the english configuration indexes, with its lexeme, in
            // text order: the first word of a lexeme stands for it.
            auto rows = tx.exec_params(
                "SELECT d.token, d.lexemes[1] FROM rag_chunks c, "
                "LATERAL ts_debug('english', c.title || ' ' || c.text) d "
                "WHERE c.id = $1 AND array_length(d.lexemes, 1) > 0",
                id);
            if (rows.empty()) {
                continue;
            }
            chunk_terms t;
            t.id = id;
            std::unordered_map<std::string, size_t> at;
            for (const auto & row : rows) {
                ++t.length;
                auto [it, added] = at.try_emplace(row[1].as<std::string>(), t.counts.size());
                if (added) {
                    t.counts.push_back({it->first, row[0].as<std::string>(), 0});
                }
                ++t.counts[it->second].count;
            }
            out.push_back(std::move(t));
        }
        return out;
    });
}

result<std::vector<stored_chunk>> pg_store::chunks(const std::vector<int64_t> & ids) const {
    if (ids.empty()) {
        return std::vector<stored_chunk>{};
    }
    return impl_->db->run("read chunks", [&](pqxx::connection & c) -> result<std::vector<stored_chunk>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params("SELECT c.id, c.collection, c.doc_id, c.ordinal, c.begin_byte, c.end_byte, c.title, "
                                   "c.text, d.metadata FROM rag_chunks c JOIN rag_documents d "
                                   "ON d.collection = c.collection AND d.id = c.doc_id WHERE c.id IN (" +
                                       placeholders(1, ids.size()) + ")",
                                   pqxx::prepare::make_dynamic_params(ids));
        std::unordered_map<int64_t, stored_chunk> found;
        for (const auto & r : rows) {
            stored_chunk ch;
            ch.id = r[0].as<int64_t>();
            ch.collection = r[1].as<std::string>();
            ch.doc_id = r[2].as<std::string>();
            ch.ordinal = r[3].as<int64_t>();
            ch.begin = r[4].as<int64_t>();
            ch.end = r[5].as<int64_t>();
            ch.title = r[6].as<std::string>();
            ch.text = r[7].as<std::string>();
            ch.metadata = json_object(r[8]);
            found.emplace(ch.id, std::move(ch));
        }
        std::vector<stored_chunk> out;
        out.reserve(found.size());
        for (int64_t id : ids) {  // in the order asked; deleted ones are left out
            if (auto it = found.find(id); it != found.end()) {
                out.push_back(std::move(it->second));
                found.erase(it);
            }
        }
        return out;
    });
}

result<size_t> pg_store::for_each_vector(const std::string & collection,
                                         const std::function<void(int64_t, std::span<const float>)> & visit) const {
    if (!pg_connection::check_text({collection}, "collection")) {
        return size_t{0};
    }
    // Pages by id, so that memory stays bounded whatever the collection's size.
    constexpr int64_t page_rows = 20000;
    return impl_->db->run("read vectors", [&](pqxx::connection & c) -> result<size_t> {
        pqxx::read_transaction tx(c);
        size_t n = 0;
        int64_t after = 0;
        for (;;) {
            auto rows = tx.exec_params("SELECT id, vector FROM rag_chunks WHERE collection = $1 AND id > $2 AND "
                                       "vector IS NOT NULL ORDER BY id LIMIT $3",
                                       collection, after, page_rows);
            n += visit_vectors(rows, visit);
            if (rows.size() < static_cast<size_t>(page_rows)) {
                return n;
            }
            after = rows[rows.size() - 1][0].as<int64_t>();
        }
    }, false);  // rows already visited are not visited again
}

result<size_t> pg_store::vectors_of(const std::vector<int64_t> & ids,
                                    const std::function<void(int64_t, std::span<const float>)> & visit) const {
    if (ids.empty()) {
        return size_t{0};
    }
    return impl_->db->run("read vectors", [&](pqxx::connection & c) -> result<size_t> {
        pqxx::read_transaction tx(c);
        size_t n = 0;
        constexpr size_t per_query = 1000;
        for (size_t at = 0; at < ids.size(); at += per_query) {
            const std::vector<int64_t> part(ids.begin() + static_cast<ptrdiff_t>(at),
                                            ids.begin() + static_cast<ptrdiff_t>(std::min(ids.size(), at + per_query)));
            auto rows = tx.exec_params("SELECT id, vector FROM rag_chunks WHERE vector IS NOT NULL AND id IN (" +
                                           placeholders(1, part.size()) + ") ORDER BY id",
                                       pqxx::prepare::make_dynamic_params(part));
            n += visit_vectors(rows, visit);
        }
        return n;
    }, false);  // rows already visited are not visited again
}

result<int64_t> pg_store::version(const std::string & collection) const {
    auto c = this->collection(collection);
    if (!c) {
        return c.err();
    }
    return c->version;
}

result<std::optional<std::vector<collection_change>>> pg_store::changes_since(const std::string & collection,
                                                                              int64_t version) const {
    using changes = std::optional<std::vector<collection_change>>;
    if (!pg_connection::check_text({collection}, "collection")) {
        return no_collection(collection);
    }
    return impl_->db->run("read the change log", [&](pqxx::connection & c) -> result<changes> {
        pqxx::read_transaction tx(c);
        auto v = tx.exec_params("SELECT version FROM rag_collections WHERE id = $1", collection);
        if (v.empty()) {
            return no_collection(collection);
        }
        const auto current = v[0][0].as<int64_t>();
        std::vector<collection_change> out;
        if (version >= current) {
            return changes(std::move(out));
        }
        // up to the version read: a change another gateway commits meanwhile waits for the next search
        auto rows = tx.exec_params("SELECT version, removed, added FROM rag_change_log WHERE collection = $1 AND "
                                   "version > $2 AND version <= $3 ORDER BY version",
                                   collection, version, current);
        for (const auto & row : rows) {
            collection_change ch;
            ch.collection = collection;
            ch.version = row[0].as<int64_t>();
            ch.removed = decode_id_list(bytes_of(pqxx::binarystring(row[1])));
            ch.added = decode_id_list(bytes_of(pqxx::binarystring(row[2])));
            if (ch.version != version + 1 + static_cast<int64_t>(out.size())) {
                return changes();  // pruned past `version`: rebuild
            }
            out.push_back(std::move(ch));
        }
        if (out.empty() || out.back().version != current) {
            return changes();
        }
        return changes(std::move(out));
    });
}

result<integrity_report> pg_store::check_integrity(const std::string & collection) const {
    if (!pg_connection::check_text({collection}, "collection")) {
        return no_collection(collection);
    }
    return impl_->db->run("check collection", [&](pqxx::connection & c) -> result<integrity_report> {
        pqxx::read_transaction tx(c);
        auto r = tx.exec_params1(
            "SELECT (SELECT count(*) FROM rag_documents WHERE collection = $1), "
            "(SELECT coalesce(sum(chunks), 0) FROM rag_documents WHERE collection = $1), "
            "(SELECT count(*) FROM rag_chunks WHERE collection = $1), "
            "(SELECT count(*) FROM rag_chunks WHERE collection = $1 AND vector IS NOT NULL), "
            "(SELECT count(*) FROM rag_chunks WHERE collection = $1 AND tsv IS NULL)",
            collection);
        integrity_report out;
        out.documents = r[0].as<int64_t>();
        out.declared_chunks = r[1].as<int64_t>();
        out.stored_chunks = r[2].as<int64_t>();
        out.vectors = r[3].as<int64_t>();
        // The tsvector is a generated column: it cannot drift from the text; a
        // missing one is the only damage to look for.
        out.fts_consistent = r[4].as<int64_t>() == 0;
        return out;
    });
}

}  // namespace tiergate::rag
