#include "rag/fts_tokens.h"

#include <sqlite3.h>

#include <climits>

namespace tiergate::rag {

struct fts_tokens::impl {
    fts5_tokenizer api{};
    Fts5Tokenizer * tokenizer = nullptr;

    ~impl() {
        if (tokenizer) {
            api.xDelete(tokenizer);
        }
    }
};

namespace {

fts5_api * fts5_of(sqlite3 * db) {
    fts5_api * api = nullptr;
    sqlite3_stmt * st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) {
        return nullptr;
    }
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

struct visit_context {
    std::string_view text;
    const std::function<void(std::string_view, size_t, size_t)> * visit;
};

int on_token(void * ctx, int /*flags*/, const char * token, int n, int begin, int end) {
    auto * v = static_cast<visit_context *>(ctx);
    if (n > 0 && begin >= 0 && end >= begin && static_cast<size_t>(end) <= v->text.size()) {
        (*v->visit)(std::string_view(token, static_cast<size_t>(n)), static_cast<size_t>(begin),
                    static_cast<size_t>(end));
    }
    return SQLITE_OK;
}

}  // namespace

fts_tokens::fts_tokens(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
fts_tokens::~fts_tokens() = default;

std::unique_ptr<fts_tokens> fts_tokens::open(sqlite3 * db) {
    fts5_api * api = fts5_of(db);
    if (!api || api->iVersion < 2) {
        return nullptr;
    }
    auto p = std::make_unique<impl>();
    void * user = nullptr;
    if (api->xFindTokenizer(api, "porter", &user, &p->api) != SQLITE_OK) {
        return nullptr;
    }
    const char * args[] = {"unicode61"};
    if (p->api.xCreate(user, args, 1, &p->tokenizer) != SQLITE_OK) {
        p->tokenizer = nullptr;
        return nullptr;
    }
    return std::unique_ptr<fts_tokens>(new fts_tokens(std::move(p)));
}

bool fts_tokens::tokenize(std::string_view text,
                          const std::function<void(std::string_view, size_t, size_t)> & visit) const {
    if (text.size() > static_cast<size_t>(INT_MAX)) {
        return false;
    }
    visit_context ctx{text, &visit};
    return impl_->api.xTokenize(impl_->tokenizer, &ctx, FTS5_TOKENIZE_DOCUMENT, text.data(),
                                static_cast<int>(text.size()), on_token) == SQLITE_OK;
}

}  // namespace tiergate::rag
