#include "rag/sqlite_store.h"

#include "rag/fts_rank.h"
#include "rag/fts_tokens.h"
#include "rag/sqlite_fts.h"
#include "rag/id_list_codec.h"
#include "rag/sqlite_statement.h"

#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace tiergate::rag {

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A process whose index is further behind than this rebuilds it.
constexpr int64_t change_log_versions = 10000;

// Each collection's full-text index is a table of its own (rag/sqlite_fts.h),
// numbered by `fts`; its documents, chunks and bytes are counted as they change.
constexpr const char * schema = R"sql(
CREATE TABLE IF NOT EXISTS collections(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL, created_ms INTEGER NOT NULL,
  chunk_tokens INTEGER NOT NULL, overlap_tokens INTEGER NOT NULL, on_prem_only INTEGER NOT NULL,
  embedding_model TEXT NOT NULL, dims INTEGER NOT NULL, metadata TEXT NOT NULL, version INTEGER NOT NULL,
  fts INTEGER NOT NULL DEFAULT 0, doc_count INTEGER NOT NULL DEFAULT 0, chunk_count INTEGER NOT NULL DEFAULT 0,
  byte_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents(
  collection TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE, id TEXT NOT NULL, title TEXT NOT NULL,
  source TEXT NOT NULL, bytes INTEGER NOT NULL, chunks INTEGER NOT NULL, created_ms INTEGER NOT NULL,
  metadata TEXT NOT NULL, PRIMARY KEY(collection, id));
CREATE TABLE IF NOT EXISTS chunks(
  id INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
  begin_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, vector BLOB,
  FOREIGN KEY(collection, doc_id) REFERENCES documents(collection, id) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(collection, doc_id);
CREATE TABLE IF NOT EXISTS change_log(
  collection TEXT NOT NULL, version INTEGER NOT NULL, removed BLOB NOT NULL, added BLOB NOT NULL,
  PRIMARY KEY(collection, version));
)sql";

// Stores written before collections had full-text tables of their own kept
// one for all (chunks_fts, fed by triggers): each collection gets its own
// table and the shared one goes, in one transaction.
constexpr const char * shared_fts_table = "chunks_fts";

}  // namespace

struct sqlite_store::impl {
    sqlite3 * db = nullptr;
    std::string path;
    std::unique_ptr<fts_tokens> tokens;
    std::unique_ptr<sqlite_fts> fts;
    mutable std::mutex mu;

    ~impl() { sqlite3_close(db); }

    result<bool> exec(const char * sql) const {
        char * msg = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            std::string m = msg ? msg : "unknown";
            sqlite3_free(msg);
            return error{error_kind::internal, "retrieval store (sqlite): " + m, "", "rag_store_failed", {}};
        }
        return true;
    }

    result<bool> prepare(statement & st, const char * sql) const {
        if (sqlite3_prepare_v2(db, sql, -1, &st.s, nullptr) != SQLITE_OK) {
            return sqlite_error(db, "prepare");
        }
        return true;
    }

    // Runs a statement with one id parameter for each id, calling
    // `visit(id, row)` for each that has a row; ids without one (deleted
    // since they were found) are passed over.
    template <class Visit>
    result<bool> each_by_id(statement & st, const std::vector<int64_t> & ids, const char * what, Visit && visit) const {
        for (int64_t id : ids) {
            sqlite3_reset(st.s);
            sqlite3_bind_int64(st.s, 1, id);
            const int rc = sqlite3_step(st.s);
            if (rc == SQLITE_DONE) {
                continue;
            }
            if (rc != SQLITE_ROW) {
                return sqlite_error(db, what);
            }
            visit(id, st.s);
        }
        return true;
    }

    static collection_info collection_from_row(sqlite3_stmt * s) {
        collection_info c;
        c.id = column_text(s, 0);
        c.name = column_text(s, 1);
        c.team = column_text(s, 2);
        c.created_ms = sqlite3_column_int64(s, 3);
        c.chunking.max_tokens = static_cast<size_t>(sqlite3_column_int64(s, 4));
        c.chunking.overlap_tokens = static_cast<size_t>(sqlite3_column_int64(s, 5));
        c.on_prem_only = sqlite3_column_int(s, 6) != 0;
        c.embedding_model = column_text(s, 7);
        c.dims = static_cast<uint32_t>(sqlite3_column_int64(s, 8));
        c.metadata = column_json(s, 9);
        c.version = sqlite3_column_int64(s, 10);
        c.documents = sqlite3_column_int64(s, 11);
        c.chunks = sqlite3_column_int64(s, 12);
        c.bytes = sqlite3_column_int64(s, 13);
        return c;
    }

    static document_info document_from_row(sqlite3_stmt * s) {
        document_info d;
        d.collection = column_text(s, 0);
        d.id = column_text(s, 1);
        d.title = column_text(s, 2);
        d.source = column_text(s, 3);
        d.bytes = sqlite3_column_int64(s, 4);
        d.chunks = sqlite3_column_int64(s, 5);
        d.created_ms = sqlite3_column_int64(s, 6);
        d.metadata = column_json(s, 7);
        return d;
    }

    result<std::vector<collection_info>> select_collections(const char * where, const std::string * arg) const {
        std::string sql =
            "SELECT c.id, c.name, c.team, c.created_ms, c.chunk_tokens, c.overlap_tokens, c.on_prem_only, "
            "c.embedding_model, c.dims, c.metadata, c.version, c.doc_count, c.chunk_count, c.byte_count "
            "FROM collections c ";
        sql += where;
        sql += " ORDER BY c.created_ms, c.id";
        statement st;
        if (auto ok = prepare(st, sql.c_str()); !ok) {
            return ok.err();
        }
        if (arg) {
            bind_text(st.s, 1, *arg);
        }
        std::vector<collection_info> out;
        int rc;
        while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
            out.push_back(collection_from_row(st.s));
        }
        if (rc != SQLITE_DONE) {
            return sqlite_error(db, "list collections");
        }
        return out;
    }

    // The collection's full-text table number, version and chunk count.
    struct fts_state {
        int64_t n = 0;
        int64_t version = 0;
        int64_t chunks = 0;
    };
    result<fts_state> fts_state_of(const std::string & collection) const {
        statement st;
        if (auto ok = prepare(st, "SELECT fts, version, chunk_count FROM collections WHERE id = ?"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, collection);
        const int rc = sqlite3_step(st.s);
        if (rc == SQLITE_DONE) {
            return error{error_kind::not_found, "no collection '" + collection + "'", "collection",
                         "collection_not_found", {}};
        }
        if (rc != SQLITE_ROW) {
            return sqlite_error(db, "read collection");
        }
        return fts_state{sqlite3_column_int64(st.s, 0), sqlite3_column_int64(st.s, 1), sqlite3_column_int64(st.s, 2)};
    }

    result<bool> add_counts(const std::string & collection, int64_t documents, int64_t chunks, int64_t bytes) const {
        statement st;
        if (auto ok = prepare(st, "UPDATE collections SET doc_count = max(0, doc_count + ?), "
                                  "chunk_count = max(0, chunk_count + ?), byte_count = max(0, byte_count + ?) WHERE id = ?");
            !ok) {
            return ok.err();
        }
        sqlite3_bind_int64(st.s, 1, documents);
        sqlite3_bind_int64(st.s, 2, chunks);
        sqlite3_bind_int64(st.s, 3, bytes);
        bind_text(st.s, 4, collection);
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(db, "count a collection's contents");
        }
        return true;
    }

    // The stored document's size, when there is one.
    result<std::optional<int64_t>> document_bytes(const std::string & collection, const std::string & doc_id) const {
        statement st;
        if (auto ok = prepare(st, "SELECT bytes FROM documents WHERE collection = ? AND id = ?"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, collection);
        bind_text(st.s, 2, doc_id);
        const int rc = sqlite3_step(st.s);
        if (rc == SQLITE_ROW) {
            return std::optional<int64_t>(sqlite3_column_int64(st.s, 0));
        }
        if (rc != SQLITE_DONE) {
            return sqlite_error(db, "read document");
        }
        return std::optional<int64_t>();
    }

    // Counts every collection's contents again (for stores from before they were kept).
    result<bool> recount() const {
        return exec("UPDATE collections SET "
                    "doc_count = (SELECT count(*) FROM documents d WHERE d.collection = collections.id), "
                    "chunk_count = (SELECT count(*) FROM chunks k WHERE k.collection = collections.id), "
                    "byte_count = (SELECT coalesce(sum(bytes), 0) FROM documents d WHERE d.collection = collections.id)");
    }

    // Gives a collection its full-text table: numbered by its row.
    result<bool> create_fts(const std::string & collection) const {
        statement st;
        if (auto ok = prepare(st, "UPDATE collections SET fts = rowid WHERE id = ? RETURNING fts"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, collection);
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            return sqlite_error(db, "number a full-text index");
        }
        return fts->create(sqlite3_column_int64(st.s, 0), collection);
    }

    // A store with one shared full-text table gets one table per collection.
    result<bool> migrate_shared_fts() const {
        {
            statement exists;
            if (auto ok = prepare(exists, "SELECT 1 FROM sqlite_master WHERE name = ?"); !ok) {
                return ok.err();
            }
            bind_text(exists.s, 1, shared_fts_table);
            if (sqlite3_step(exists.s) != SQLITE_ROW) {
                return true;
            }
        }
        if (auto ok = exec("BEGIN IMMEDIATE"); !ok) {
            return ok.err();
        }
        auto undo = [this](error e) {
            exec("ROLLBACK");
            return e;
        };
        std::vector<std::string> ids;
        {
            statement st;
            if (auto ok = prepare(st, "SELECT id FROM collections WHERE fts = 0"); !ok) {
                return undo(ok.err());
            }
            while (sqlite3_step(st.s) == SQLITE_ROW) {
                ids.push_back(column_text(st.s, 0));
            }
        }
        for (const std::string & id : ids) {
            if (auto ok = create_fts(id); !ok) {
                return undo(ok.err());
            }
        }
        if (auto ok = recount(); !ok) {
            return undo(ok.err());
        }
        if (auto ok = exec("DROP TRIGGER IF EXISTS chunks_fts_insert; DROP TRIGGER IF EXISTS chunks_fts_delete;"
                           "DROP TABLE chunks_fts; COMMIT;");
            !ok) {
            return undo(ok.err());
        }
        return true;
    }

    result<int64_t> bump_version(const std::string & collection) const {
        statement st;
        if (auto ok = prepare(st, "UPDATE collections SET version = version + 1 WHERE id = ? RETURNING version"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, collection);
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            return sqlite_error(db, "bump version");
        }
        return sqlite3_column_int64(st.s, 0);
    }

    // Deletes a document's chunks, their full-text rows (collection `fts_n`'s
    // table) and their count.
    result<bool> delete_chunks(int64_t fts_n, const std::string & collection, const std::string & doc_id,
                               std::vector<int64_t> & removed) const {
        {
            statement ids;
            if (auto ok = prepare(ids, "SELECT id FROM chunks WHERE collection = ? AND doc_id = ?"); !ok) {
                return ok.err();
            }
            bind_text(ids.s, 1, collection);
            bind_text(ids.s, 2, doc_id);
            int rc;
            while ((rc = sqlite3_step(ids.s)) == SQLITE_ROW) {
                removed.push_back(sqlite3_column_int64(ids.s, 0));
            }
            if (rc != SQLITE_DONE) {
                return sqlite_error(db, "read chunks");
            }
        }
        if (removed.empty()) {
            return true;
        }
        if (auto ok = fts->remove_document(fts_n, collection, doc_id); !ok) {
            return ok.err();
        }
        statement st;
        if (auto ok = prepare(st, "DELETE FROM chunks WHERE collection = ? AND doc_id = ?"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, collection);
        bind_text(st.s, 2, doc_id);
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(db, "delete chunks");
        }
        return add_counts(collection, 0, -static_cast<int64_t>(removed.size()), 0);
    }

    // Records a change under its version, and forgets those more than
    // change_log_versions older.
    result<bool> log_change(const collection_change & change) const {
        statement st;
        if (auto ok = prepare(st, "INSERT INTO change_log(collection, version, removed, added) VALUES (?, ?, ?, ?)"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, change.collection);
        sqlite3_bind_int64(st.s, 2, change.version);
        const std::string removed = encode_id_list(change.removed), added = encode_id_list(change.added);
        sqlite3_bind_blob(st.s, 3, removed.data(), static_cast<int>(removed.size()), SQLITE_TRANSIENT);
        sqlite3_bind_blob(st.s, 4, added.data(), static_cast<int>(added.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(db, "log change");
        }
        statement prune;
        if (auto ok = prepare(prune, "DELETE FROM change_log WHERE collection = ? AND version <= ?"); !ok) {
            return ok.err();
        }
        bind_text(prune.s, 1, change.collection);
        sqlite3_bind_int64(prune.s, 2, change.version - change_log_versions);
        if (sqlite3_step(prune.s) != SQLITE_DONE) {
            return sqlite_error(db, "prune the change log");
        }
        return true;
    }
};

// A transaction that rolls back unless committed.
class transaction {
  public:
    explicit transaction(sqlite3 * db) : db_(db) { ok_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK; }
    ~transaction() {
        if (ok_ && !done_) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    bool started() const { return ok_; }
    bool commit() {
        done_ = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
        return done_;
    }

  private:
    sqlite3 * db_;
    bool ok_ = false;
    bool done_ = false;
};

sqlite_store::sqlite_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
sqlite_store::~sqlite_store() = default;

const std::string & sqlite_store::path() const { return impl_->path; }

result<std::unique_ptr<sqlite_store>> sqlite_store::open(const std::string & path) {
    auto p = std::make_unique<impl>();
    p->path = path;
    if (sqlite3_open_v2(path.c_str(), &p->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
        return sqlite_error(p->db, "open " + path);
    }
    sqlite3_busy_timeout(p->db, 5000);
    for (const char * pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        if (auto ok = p->exec(pragma); !ok) {
            return ok.err();
        }
    }
    if (auto ok = p->exec(schema); !ok) {
        return ok.err();
    }
    // columns newer than the table
    bool added_counts = false;
    for (const char * column : {"fts", "doc_count", "chunk_count", "byte_count"}) {
        statement st;
        if (auto ok = p->prepare(st, "SELECT 1 FROM pragma_table_info('collections') WHERE name = ?"); !ok) {
            return ok.err();
        }
        sqlite3_bind_text(st.s, 1, column, -1, SQLITE_STATIC);
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            const std::string add = std::string("ALTER TABLE collections ADD COLUMN ") + column + " INTEGER NOT NULL DEFAULT 0";
            if (auto ok = p->exec(add.c_str()); !ok) {
                return ok.err();
            }
            added_counts = added_counts || std::string_view(column) != "fts";
        }
    }
    if (!register_fts_rank(p->db)) {
        return sqlite_error(p->db, "register the BM25 function (is FTS5 built in?)");
    }
    p->tokens = fts_tokens::open(p->db);
    if (!p->tokens) {
        return sqlite_error(p->db, "open FTS5's porter tokenizer");
    }
    if (added_counts) {
        if (auto ok = p->recount(); !ok) {
            return ok.err();
        }
    }
    p->fts = std::make_unique<sqlite_fts>(p->db, *p->tokens);
    if (auto ok = p->migrate_shared_fts(); !ok) {
        return ok.err();
    }
    return std::unique_ptr<sqlite_store>(new sqlite_store(std::move(p)));
}

result<collection_info> sqlite_store::create_collection(collection_info info) {
    std::lock_guard lock(impl_->mu);
    if (info.created_ms == 0) {
        info.created_ms = now_ms();
    }
    transaction tx(impl_->db);
    if (!tx.started()) {
        return sqlite_error(impl_->db, "begin");
    }
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "INSERT INTO collections(id, name, team, created_ms, chunk_tokens, overlap_tokens, "
                                 "on_prem_only, embedding_model, dims, metadata, version) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, info.id);
    bind_text(st.s, 2, info.name);
    bind_text(st.s, 3, info.team);
    sqlite3_bind_int64(st.s, 4, info.created_ms);
    sqlite3_bind_int64(st.s, 5, static_cast<int64_t>(info.chunking.max_tokens));
    sqlite3_bind_int64(st.s, 6, static_cast<int64_t>(info.chunking.overlap_tokens));
    sqlite3_bind_int(st.s, 7, info.on_prem_only ? 1 : 0);
    bind_text(st.s, 8, info.embedding_model);
    sqlite3_bind_int64(st.s, 9, info.dims);
    bind_text(st.s, 10, info.metadata.dump());
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_CONSTRAINT) {
        return error::invalid("a collection with id '" + info.id + "' already exists", "id", "collection_exists");
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "create collection");
    }
    if (auto ok = impl_->create_fts(info.id); !ok) {
        return ok.err();
    }
    if (!tx.commit()) {
        return sqlite_error(impl_->db, "commit");
    }
    info.version = 1;
    return info;
}

result<collection_info> sqlite_store::collection(const std::string & id) const {
    std::lock_guard lock(impl_->mu);
    auto found = impl_->select_collections("WHERE c.id = ?", &id);
    if (!found) {
        return found.err();
    }
    if (found->empty()) {
        return error{error_kind::not_found, "no collection '" + id + "'", "id", "collection_not_found", {}};
    }
    return std::move(found->front());
}

result<std::vector<collection_info>> sqlite_store::collections(const std::optional<std::string> & team) const {
    std::lock_guard lock(impl_->mu);
    return team ? impl_->select_collections("WHERE c.team = ?", &*team) : impl_->select_collections("", nullptr);
}

result<bool> sqlite_store::delete_collection(const std::string & id) {
    std::lock_guard lock(impl_->mu);
    transaction tx(impl_->db);
    if (!tx.started()) {
        return sqlite_error(impl_->db, "begin");
    }
    if (auto state = impl_->fts_state_of(id); state) {
        if (auto ok = impl_->fts->drop(state->n); !ok) {
            return ok.err();
        }
    } else if (state.err().kind != error_kind::not_found) {
        return state.err();
    }
    for (const char * sql : {"DELETE FROM chunks WHERE collection = ?", "DELETE FROM documents WHERE collection = ?",
                             "DELETE FROM change_log WHERE collection = ?", "DELETE FROM collections WHERE id = ?"}) {
        statement st;
        if (auto ok = impl_->prepare(st, sql); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, id);
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(impl_->db, "delete collection");
        }
    }
    const bool existed = sqlite3_changes(impl_->db) > 0;
    if (!tx.commit()) {
        return sqlite_error(impl_->db, "commit");
    }
    return existed;
}

result<bool> sqlite_store::rename_collection(const std::string & id, const std::string & name, const nlohmann::json & metadata) {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "UPDATE collections SET name = ?, metadata = ? WHERE id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, name);
    bind_text(st.s, 2, metadata.dump());
    bind_text(st.s, 3, id);
    if (sqlite3_step(st.s) != SQLITE_DONE) {
        return sqlite_error(impl_->db, "update collection");
    }
    return sqlite3_changes(impl_->db) > 0;
}

result<put_result> sqlite_store::put_document(const document_info & doc, const std::vector<chunk_input> & chunks,
                                          const std::string & embedding_model) {
    std::lock_guard lock(impl_->mu);
    uint32_t dims = 0;
    for (const chunk_input & c : chunks) {
        if (c.vector.empty()) {
            continue;
        }
        if (dims != 0 && c.vector.size() != dims) {
            return error::invalid("chunks of one document have vectors of different sizes", "vector");
        }
        dims = static_cast<uint32_t>(c.vector.size());
    }
    transaction tx(impl_->db);
    if (!tx.started()) {
        return sqlite_error(impl_->db, "begin");
    }
    {
        statement st;
        if (auto ok = impl_->prepare(st, "SELECT dims, embedding_model FROM collections WHERE id = ?"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, doc.collection);
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            return error{error_kind::not_found, "no collection '" + doc.collection + "'", "collection",
                         "collection_not_found", {}};
        }
        const auto have = static_cast<uint32_t>(sqlite3_column_int64(st.s, 0));
        const std::string model = column_text(st.s, 1);
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
    }
    if (dims != 0) {
        statement st;
        if (auto ok = impl_->prepare(st,
                                     "UPDATE collections SET dims = ?, embedding_model = "
                                     "CASE WHEN embedding_model = '' THEN ? ELSE embedding_model END WHERE id = ?");
            !ok) {
            return ok.err();
        }
        sqlite3_bind_int64(st.s, 1, dims);
        bind_text(st.s, 2, embedding_model);
        bind_text(st.s, 3, doc.collection);
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(impl_->db, "update collection");
        }
    }
    auto fts = impl_->fts_state_of(doc.collection);
    if (!fts) {
        return fts.err();
    }
    put_result done;
    done.change.collection = doc.collection;
    if (auto ok = impl_->delete_chunks(fts->n, doc.collection, doc.id, done.change.removed); !ok) {
        return ok.err();
    }
    auto old_bytes = impl_->document_bytes(doc.collection, doc.id);
    if (!old_bytes) {
        return old_bytes.err();
    }
    document_info out = doc;
    out.chunks = static_cast<int64_t>(chunks.size());
    if (out.created_ms == 0) {
        out.created_ms = now_ms();
    }
    {
        statement st;
        if (auto ok = impl_->prepare(st,
                                     "INSERT OR REPLACE INTO documents(collection, id, title, source, bytes, chunks, "
                                     "created_ms, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, out.collection);
        bind_text(st.s, 2, out.id);
        bind_text(st.s, 3, out.title);
        bind_text(st.s, 4, out.source);
        sqlite3_bind_int64(st.s, 5, out.bytes);
        sqlite3_bind_int64(st.s, 6, out.chunks);
        sqlite3_bind_int64(st.s, 7, out.created_ms);
        bind_text(st.s, 8, out.metadata.dump());
        if (sqlite3_step(st.s) != SQLITE_DONE) {
            return sqlite_error(impl_->db, "insert document");
        }
    }
    {
        statement st;
        if (auto ok = impl_->prepare(st,
                                     "INSERT INTO chunks(collection, doc_id, ordinal, begin_byte, end_byte, title, "
                                     "text, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            !ok) {
            return ok.err();
        }
        int64_t ordinal = 0;
        for (const chunk_input & c : chunks) {
            sqlite3_reset(st.s);
            bind_text(st.s, 1, out.collection);
            bind_text(st.s, 2, out.id);
            sqlite3_bind_int64(st.s, 3, ordinal++);
            sqlite3_bind_int64(st.s, 4, static_cast<int64_t>(c.begin));
            sqlite3_bind_int64(st.s, 5, static_cast<int64_t>(c.end));
            bind_text(st.s, 6, out.title);
            bind_text(st.s, 7, c.text);
            if (c.vector.empty()) {
                sqlite3_bind_null(st.s, 8);
            } else {
                sqlite3_bind_blob(st.s, 8, c.vector.data(), static_cast<int>(c.vector.size() * sizeof(float)),
                                  SQLITE_TRANSIENT);
            }
            if (sqlite3_step(st.s) != SQLITE_DONE) {
                return sqlite_error(impl_->db, "insert chunk");
            }
            done.change.added.push_back(sqlite3_last_insert_rowid(impl_->db));
        }
    }
    if (auto ok = impl_->fts->add_document(fts->n, out.collection, out.id); !ok) {
        return ok.err();
    }
    if (auto ok = impl_->add_counts(out.collection, *old_bytes ? 0 : 1, static_cast<int64_t>(chunks.size()),
                                    out.bytes - old_bytes->value_or(0));
        !ok) {
        return ok.err();
    }
    auto version = impl_->bump_version(out.collection);
    if (!version) {
        return version.err();
    }
    done.change.version = *version;
    if (auto ok = impl_->log_change(done.change); !ok) {
        return ok.err();
    }
    if (!tx.commit()) {
        return sqlite_error(impl_->db, "commit");
    }
    done.document = std::move(out);
    return done;
}

result<collection_change> sqlite_store::delete_document(const std::string & collection, const std::string & doc_id) {
    std::lock_guard lock(impl_->mu);
    transaction tx(impl_->db);
    if (!tx.started()) {
        return sqlite_error(impl_->db, "begin");
    }
    collection_change change;
    change.collection = collection;
    auto fts = impl_->fts_state_of(collection);
    if (!fts) {
        if (fts.err().kind == error_kind::not_found) {
            return change;
        }
        return fts.err();
    }
    auto old_bytes = impl_->document_bytes(collection, doc_id);
    if (!old_bytes) {
        return old_bytes.err();
    }
    if (auto ok = impl_->delete_chunks(fts->n, collection, doc_id, change.removed); !ok) {
        return ok.err();
    }
    statement st;
    if (auto ok = impl_->prepare(st, "DELETE FROM documents WHERE collection = ? AND id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, doc_id);
    if (sqlite3_step(st.s) != SQLITE_DONE) {
        return sqlite_error(impl_->db, "delete document");
    }
    if (sqlite3_changes(impl_->db) > 0) {
        if (auto ok = impl_->add_counts(collection, -1, 0, -old_bytes->value_or(0)); !ok) {
            return ok.err();
        }
        auto version = impl_->bump_version(collection);
        if (!version) {
            return version.err();
        }
        change.version = *version;
        if (auto ok = impl_->log_change(change); !ok) {
            return ok.err();
        }
    }
    if (!tx.commit()) {
        return sqlite_error(impl_->db, "commit");
    }
    return change;
}

result<std::optional<document_info>> sqlite_store::document(const std::string & collection, const std::string & doc_id) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT collection, id, title, source, bytes, chunks, created_ms, metadata "
                                 "FROM documents WHERE collection = ? AND id = ?");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, doc_id);
    const int rc = sqlite3_step(st.s);
    if (rc == SQLITE_ROW) {
        return std::optional<document_info>(impl::document_from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "read document");
    }
    return std::optional<document_info>();
}

result<std::vector<document_info>> sqlite_store::documents(const std::string & collection, size_t limit,
                                                    const std::string & after) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT collection, id, title, source, bytes, chunks, created_ms, metadata "
                                 "FROM documents WHERE collection = ? AND id > ? ORDER BY id LIMIT ?");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    bind_text(st.s, 2, after);
    sqlite3_bind_int64(st.s, 3, static_cast<int64_t>(limit));
    std::vector<document_info> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(impl::document_from_row(st.s));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "list documents");
    }
    return out;
}

result<std::vector<std::string>> sqlite_store::metadata_keys(const std::string & collection) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT DISTINCT j.key FROM documents d, json_each(d.metadata) j "
                                 "WHERE d.collection = ? ORDER BY j.key");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        out.push_back(column_text(st.s, 0));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "metadata keys");
    }
    return out;
}

result<std::vector<scored_chunk>> sqlite_store::search_bm25(const std::vector<std::string> & collections,
                                                            const std::vector<weighted_term> & terms, size_t limit,
                                                            const bm25_weights & weights, size_t enough) const {
    std::vector<scored_chunk> out;
    if (collections.empty() || limit == 0 || terms.empty()) {
        return out;
    }
    std::lock_guard lock(impl_->mu);
    for (const std::string & c : collections) {
        auto state = impl_->fts_state_of(c);
        if (!state) {
            if (state.err().kind == error_kind::not_found) {
                continue;  // deleted: nothing to find in it
            }
            return state.err();
        }
        auto found = impl_->fts->search(state->n, state->version, state->chunks, terms, limit, weights, enough);
        if (!found) {
            return found.err();
        }
        out.insert(out.end(), found->begin(), found->end());
    }
    if (collections.size() > 1) {
        // each collection ranked by its own statistics; the lists merged by score
        std::sort(out.begin(), out.end(), [](const scored_chunk & a, const scored_chunk & b) {
            return a.score != b.score ? a.score > b.score : a.id < b.id;
        });
        if (out.size() > limit) {
            out.resize(limit);
        }
    }
    return out;
}

result<std::vector<chunk_terms>> sqlite_store::terms_of(const std::vector<int64_t> & ids) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "SELECT title, text FROM chunks WHERE id = ?"); !ok) {
        return ok.err();
    }
    std::vector<chunk_terms> out;
    out.reserve(ids.size());
    auto read = impl_->each_by_id(st, ids, "read chunk", [&](int64_t id, sqlite3_stmt * row) {
        chunk_terms t;
        t.id = id;
        std::unordered_map<std::string, size_t> at;  // term -> its place in t.counts
        for (int column = 0; column < 2; ++column) {
            const std::string text = column_text(row, column);
            impl_->tokens->tokenize(text, [&](std::string_view term, size_t begin, size_t end) {
                ++t.length;
                auto [it, added] = at.try_emplace(std::string(term), t.counts.size());
                if (added) {
                    t.counts.push_back({std::string(term), text.substr(begin, end - begin), 0});
                }
                ++t.counts[it->second].count;
            });
        }
        out.push_back(std::move(t));
    });
    if (!read) {
        return read.err();
    }
    return out;
}

result<std::vector<stored_chunk>> sqlite_store::chunks(const std::vector<int64_t> & ids) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT c.id, c.collection, c.doc_id, c.ordinal, c.begin_byte, c.end_byte, c.title, "
                                 "c.text, d.metadata FROM chunks c JOIN documents d "
                                 "ON d.collection = c.collection AND d.id = c.doc_id WHERE c.id = ?");
        !ok) {
        return ok.err();
    }
    std::vector<stored_chunk> out;
    out.reserve(ids.size());
    auto read = impl_->each_by_id(st, ids, "read chunk", [&](int64_t, sqlite3_stmt * row) {
        stored_chunk c;
        c.id = sqlite3_column_int64(row, 0);
        c.collection = column_text(row, 1);
        c.doc_id = column_text(row, 2);
        c.ordinal = sqlite3_column_int64(row, 3);
        c.begin = sqlite3_column_int64(row, 4);
        c.end = sqlite3_column_int64(row, 5);
        c.title = column_text(row, 6);
        c.text = column_text(row, 7);
        c.metadata = column_json(row, 8);
        out.push_back(std::move(c));
    });
    if (!read) {
        return read.err();
    }
    return out;
}

result<size_t> sqlite_store::for_each_vector(const std::string & collection,
                                      const std::function<void(int64_t, std::span<const float>)> & visit) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT id, vector FROM chunks WHERE collection = ? AND vector IS NOT NULL ORDER BY id");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    size_t n = 0;
    std::vector<float> buffer;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        const auto bytes = static_cast<size_t>(sqlite3_column_bytes(st.s, 1));
        buffer.resize(bytes / sizeof(float));
        std::memcpy(buffer.data(), sqlite3_column_blob(st.s, 1), buffer.size() * sizeof(float));
        visit(sqlite3_column_int64(st.s, 0), buffer);
        ++n;
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "read vectors");
    }
    return n;
}

result<size_t> sqlite_store::vectors_of(const std::vector<int64_t> & ids,
                                        const std::function<void(int64_t, std::span<const float>)> & visit) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "SELECT vector FROM chunks WHERE id = ? AND vector IS NOT NULL"); !ok) {
        return ok.err();
    }
    size_t n = 0;
    std::vector<float> buffer;
    auto read = impl_->each_by_id(st, ids, "read vector", [&](int64_t id, sqlite3_stmt * row) {
        buffer.resize(static_cast<size_t>(sqlite3_column_bytes(row, 0)) / sizeof(float));
        std::memcpy(buffer.data(), sqlite3_column_blob(row, 0), buffer.size() * sizeof(float));
        visit(id, buffer);
        ++n;
    });
    if (!read) {
        return read.err();
    }
    return n;
}

result<int64_t> sqlite_store::version(const std::string & collection) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st, "SELECT version FROM collections WHERE id = ?"); !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    if (sqlite3_step(st.s) != SQLITE_ROW) {
        return error{error_kind::not_found, "no collection '" + collection + "'", "collection", "collection_not_found", {}};
    }
    return sqlite3_column_int64(st.s, 0);
}

result<std::optional<std::vector<collection_change>>> sqlite_store::changes_since(const std::string & collection,
                                                                                  int64_t version) const {
    std::lock_guard lock(impl_->mu);
    int64_t current = 0;
    {
        statement st;
        if (auto ok = impl_->prepare(st, "SELECT version FROM collections WHERE id = ?"); !ok) {
            return ok.err();
        }
        bind_text(st.s, 1, collection);
        if (sqlite3_step(st.s) != SQLITE_ROW) {
            return error{error_kind::not_found, "no collection '" + collection + "'", "collection",
                         "collection_not_found", {}};
        }
        current = sqlite3_column_int64(st.s, 0);
    }
    std::vector<collection_change> out;
    if (version >= current) {
        return std::optional<std::vector<collection_change>>(std::move(out));
    }
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT version, removed, added FROM change_log WHERE collection = ? AND version > ? "
                                 "ORDER BY version");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    sqlite3_bind_int64(st.s, 2, version);
    int rc;
    auto blob = [&](int i) {
        return std::string_view(static_cast<const char *>(sqlite3_column_blob(st.s, i)),
                                static_cast<size_t>(sqlite3_column_bytes(st.s, i)));
    };
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
        collection_change c;
        c.collection = collection;
        c.version = sqlite3_column_int64(st.s, 0);
        c.removed = decode_id_list(blob(1));
        c.added = decode_id_list(blob(2));
        out.push_back(std::move(c));
    }
    if (rc != SQLITE_DONE) {
        return sqlite_error(impl_->db, "read the change log");
    }
    // Every version from the one asked for to the current one, each once:
    // else the log was pruned past it (or predates it) and the caller rebuilds.
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i].version != version + 1 + static_cast<int64_t>(i)) {
            return std::optional<std::vector<collection_change>>();
        }
    }
    if (out.empty() || out.back().version != current) {
        return std::optional<std::vector<collection_change>>();
    }
    return std::optional<std::vector<collection_change>>(std::move(out));
}

fts_search_stats sqlite_store::search_stats() const {
    std::lock_guard lock(impl_->mu);
    return impl_->fts->stats();
}

result<integrity_report> sqlite_store::check_integrity(const std::string & collection) const {
    std::lock_guard lock(impl_->mu);
    statement st;
    if (auto ok = impl_->prepare(st,
                                 "SELECT (SELECT count(*) FROM documents WHERE collection = ?1), "
                                 "(SELECT coalesce(sum(chunks), 0) FROM documents WHERE collection = ?1), "
                                 "(SELECT count(*) FROM chunks WHERE collection = ?1), "
                                 "(SELECT count(*) FROM chunks WHERE collection = ?1 AND vector IS NOT NULL)");
        !ok) {
        return ok.err();
    }
    bind_text(st.s, 1, collection);
    if (sqlite3_step(st.s) != SQLITE_ROW) {
        return sqlite_error(impl_->db, "check collection");
    }
    integrity_report r;
    r.documents = sqlite3_column_int64(st.s, 0);
    r.declared_chunks = sqlite3_column_int64(st.s, 1);
    r.stored_chunks = sqlite3_column_int64(st.s, 2);
    r.vectors = sqlite3_column_int64(st.s, 3);
    auto fts = impl_->fts_state_of(collection);
    if (!fts) {
        return fts.err();
    }
    r.fts_consistent = impl_->fts->consistent(fts->n);
    return r;
}

}  // namespace tiergate::rag
