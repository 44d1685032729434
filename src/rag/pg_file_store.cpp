#include "rag/pg_file_store.h"

#include "rag/pg_connection.h"

#include <chrono>

namespace tiergate::rag {

namespace {

constexpr int64_t schema_lock_id = 7'201'104'419;

// rag_collections is the retrieval store's (rag/pg_store.cpp), created first.
constexpr const char * schema = R"sql(
CREATE TABLE IF NOT EXISTS rag_files(
  id TEXT PRIMARY KEY, filename TEXT NOT NULL, purpose TEXT NOT NULL, team TEXT NOT NULL,
  bytes BIGINT NOT NULL, created_ms BIGINT NOT NULL, content BYTEA NOT NULL);
CREATE INDEX IF NOT EXISTS rag_files_by_team ON rag_files(team, id);
CREATE TABLE IF NOT EXISTS rag_attachments(
  collection TEXT NOT NULL REFERENCES rag_collections(id) ON DELETE CASCADE, file_id TEXT NOT NULL,
  attributes TEXT NOT NULL, documents TEXT NOT NULL, bytes BIGINT NOT NULL, created_ms BIGINT NOT NULL,
  status TEXT NOT NULL, last_error TEXT NOT NULL, PRIMARY KEY(collection, file_id));
CREATE INDEX IF NOT EXISTS rag_attachments_by_file ON rag_attachments(file_id);
)sql";

constexpr const char * file_columns = "id, filename, purpose, team, bytes, created_ms";
constexpr const char * attachment_columns =
    "collection, file_id, attributes, documents, bytes, created_ms, status, last_error";

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

file_info file_from_row(const pqxx::row & r) {
    file_info f;
    f.id = r[0].as<std::string>();
    f.filename = r[1].as<std::string>();
    f.purpose = r[2].as<std::string>();
    f.team = r[3].as<std::string>();
    f.bytes = r[4].as<int64_t>();
    f.created_ms = r[5].as<int64_t>();
    return f;
}

attachment attachment_from_row(const pqxx::row & r) {
    attachment a;
    a.collection = r[0].as<std::string>();
    a.file_id = r[1].as<std::string>();
    a.attributes = nlohmann::json::parse(r[2].c_str(), nullptr, false);
    if (!a.attributes.is_object()) {
        a.attributes = nlohmann::json::object();
    }
    const auto docs = nlohmann::json::parse(r[3].c_str(), nullptr, false);
    if (docs.is_array()) {
        for (const auto & d : docs) {
            if (d.is_string()) {
                a.documents.push_back(d.get<std::string>());
            }
        }
    }
    a.bytes = r[4].as<int64_t>();
    a.created_ms = r[5].as<int64_t>();
    a.status = r[6].as<std::string>();
    a.last_error = r[7].as<std::string>();
    return a;
}

// Ids and names with a NUL character name nothing stored.
bool storable(std::initializer_list<std::string_view> texts) { return bool(pg_connection::check_text(texts, "id")); }

}  // namespace

struct pg_file_store::impl {
    std::unique_ptr<pg_connection> db;
};

pg_file_store::pg_file_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
pg_file_store::~pg_file_store() = default;

result<std::unique_ptr<pg_file_store>> pg_file_store::open(const std::string & url) {
    auto p = std::make_unique<impl>();
    auto conn = pg_connection::open(url, "file store");
    if (!conn) {
        return conn.err();
    }
    p->db = std::move(*conn);
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
    return std::unique_ptr<pg_file_store>(new pg_file_store(std::move(p)));
}

result<file_info> pg_file_store::put(file_info info, const std::string & content) {
    if (auto ok = pg_connection::check_text({info.id, info.filename, info.purpose, info.team}, "file"); !ok) {
        return ok.err();
    }
    if (info.created_ms == 0) {
        info.created_ms = now_ms();
    }
    info.bytes = static_cast<int64_t>(content.size());
    return impl_->db->run("keep a file", [&](pqxx::connection & c) -> result<file_info> {
        pqxx::work tx(c);
        tx.exec_params0("INSERT INTO rag_files(id, filename, purpose, team, bytes, created_ms, content) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        info.id, info.filename, info.purpose, info.team, info.bytes, info.created_ms,
                        pqxx::binarystring(content.data(), content.size()));
        tx.commit();
        return info;
    });
}

result<std::optional<file_info>> pg_file_store::file(const std::string & id) const {
    if (!storable({id})) {
        return std::optional<file_info>();
    }
    return impl_->db->run("read a file", [&](pqxx::connection & c) -> result<std::optional<file_info>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(std::string("SELECT ") + file_columns + " FROM rag_files WHERE id = $1", id);
        if (rows.empty()) {
            return std::optional<file_info>();
        }
        return std::optional<file_info>(file_from_row(rows[0]));
    });
}

result<std::optional<std::string>> pg_file_store::content(const std::string & id) const {
    if (!storable({id})) {
        return std::optional<std::string>();
    }
    return impl_->db->run("read a file's content", [&](pqxx::connection & c) -> result<std::optional<std::string>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params("SELECT content FROM rag_files WHERE id = $1", id);
        if (rows.empty()) {
            return std::optional<std::string>();
        }
        pqxx::binarystring b(rows[0][0]);
        return std::optional<std::string>(std::string(reinterpret_cast<const char *>(b.data()), b.size()));
    });
}

result<std::vector<file_info>> pg_file_store::files(const std::string & team, const std::string & purpose, size_t limit,
                                                    const std::string & after) const {
    if (!storable({team, purpose, after})) {
        return std::vector<file_info>{};
    }
    return impl_->db->run("list files", [&](pqxx::connection & c) -> result<std::vector<file_info>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(std::string("SELECT ") + file_columns +
                                       " FROM rag_files WHERE team = $1 AND ($2 = '' OR purpose = $2) AND "
                                       "id COLLATE \"C\" > $3 ORDER BY id COLLATE \"C\" LIMIT $4",
                                   team, purpose, after, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
        std::vector<file_info> out;
        out.reserve(rows.size());
        for (const auto & row : rows) {
            out.push_back(file_from_row(row));
        }
        return out;
    });
}

result<bool> pg_file_store::remove(const std::string & id) {
    if (!storable({id})) {
        return false;
    }
    return impl_->db->run("delete a file", [&](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        auto r = tx.exec_params("DELETE FROM rag_files WHERE id = $1", id);
        tx.commit();
        return r.affected_rows() > 0;
    });
}

result<attachment> pg_file_store::attach(attachment a) {
    const std::string attributes = a.attributes.dump(), documents = nlohmann::json(a.documents).dump();
    if (auto ok = pg_connection::check_text({a.collection, a.file_id, a.status, a.last_error}, "attachment"); !ok) {
        return ok.err();
    }
    if (a.created_ms == 0) {
        a.created_ms = now_ms();
    }
    return impl_->db->run("attach a file", [&](pqxx::connection & c) -> result<attachment> {
        pqxx::work tx(c);
        tx.exec_params0(std::string("INSERT INTO rag_attachments(") + attachment_columns +
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (collection, file_id) DO UPDATE SET "
                            "attributes = excluded.attributes, documents = excluded.documents, bytes = excluded.bytes, "
                            "created_ms = excluded.created_ms, status = excluded.status, last_error = excluded.last_error",
                        a.collection, a.file_id, attributes, documents, a.bytes, a.created_ms, a.status, a.last_error);
        tx.commit();
        return a;
    });
}

result<std::optional<attachment>> pg_file_store::attachment_of(const std::string & collection,
                                                               const std::string & file_id) const {
    if (!storable({collection, file_id})) {
        return std::optional<attachment>();
    }
    return impl_->db->run("read an attachment", [&](pqxx::connection & c) -> result<std::optional<attachment>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(std::string("SELECT ") + attachment_columns +
                                       " FROM rag_attachments WHERE collection = $1 AND file_id = $2",
                                   collection, file_id);
        if (rows.empty()) {
            return std::optional<attachment>();
        }
        return std::optional<attachment>(attachment_from_row(rows[0]));
    });
}

result<std::vector<attachment>> pg_file_store::attachments(const std::string & collection, size_t limit,
                                                           const std::string & after) const {
    if (!storable({collection, after})) {
        return std::vector<attachment>{};
    }
    return impl_->db->run("list attachments", [&](pqxx::connection & c) -> result<std::vector<attachment>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(std::string("SELECT ") + attachment_columns +
                                       " FROM rag_attachments WHERE collection = $1 AND file_id COLLATE \"C\" > $2 "
                                       "ORDER BY file_id COLLATE \"C\" LIMIT $3",
                                   collection, after, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
        std::vector<attachment> out;
        out.reserve(rows.size());
        for (const auto & row : rows) {
            out.push_back(attachment_from_row(row));
        }
        return out;
    });
}

result<std::vector<std::string>> pg_file_store::collections_of(const std::string & file_id) const {
    if (!storable({file_id})) {
        return std::vector<std::string>{};
    }
    return impl_->db->run("list a file's collections", [&](pqxx::connection & c) -> result<std::vector<std::string>> {
        pqxx::read_transaction tx(c);
        auto rows = tx.exec_params(
            "SELECT collection FROM rag_attachments WHERE file_id = $1 ORDER BY collection COLLATE \"C\"", file_id);
        std::vector<std::string> out;
        for (const auto & row : rows) {
            out.push_back(row[0].as<std::string>());
        }
        return out;
    });
}

result<bool> pg_file_store::detach(const std::string & collection, const std::string & file_id) {
    if (!storable({collection, file_id})) {
        return false;
    }
    return impl_->db->run("detach a file", [&](pqxx::connection & c) -> result<bool> {
        pqxx::work tx(c);
        auto r = tx.exec_params("DELETE FROM rag_attachments WHERE collection = $1 AND file_id = $2", collection,
                                file_id);
        tx.commit();
        return r.affected_rows() > 0;
    });
}

}  // namespace tiergate::rag
