#include "ledger/budget_redis_counter.h"

#include <hiredis/hiredis.h>

#include <charconv>
#include <cstring>

namespace tiergate::ledger {

namespace {

// KEYS: counters. ARGV: per counter amount, limit, expire_at_ms.
// Returns {0, 0} when granted, else {refused 1-based index, current value}.
constexpr const char * reserve_script = R"lua(
local n = #KEYS
for i = 1, n do
  local amount = tonumber(ARGV[3 * i - 2])
  local limit = tonumber(ARGV[3 * i - 1])
  if amount > 0 and limit >= 0 then
    local current = tonumber(redis.call('GET', KEYS[i]) or '0')
    if current + amount > limit then
      return {i, current}
    end
  end
end
for i = 1, n do
  redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
  redis.call('PEXPIREAT', KEYS[i], ARGV[3 * i])
end
return {0, 0}
)lua";

// KEYS: counters. ARGV: per counter a signed delta. Expired counters are skipped.
constexpr const char * adjust_script = R"lua(
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCRBY', KEYS[i], ARGV[i])
  end
end
return 0
)lua";

error redis_error(const std::string & what) {
    return error{error_kind::unavailable, "budget counters (redis): " + what, "", "budget_store_unavailable", {}};
}

struct reply_ptr {
    redisReply * r = nullptr;
    explicit reply_ptr(void * p) : r(static_cast<redisReply *>(p)) {}
    reply_ptr(const reply_ptr &) = delete;
    reply_ptr & operator=(const reply_ptr &) = delete;
    ~reply_ptr() {
        if (r) {
            freeReplyObject(r);
        }
    }
};

}  // namespace

result<redis_endpoint> parse_redis_url(const std::string & url) {
    redis_endpoint e;
    const std::string scheme = "redis://";
    if (url.rfind(scheme, 0) != 0) {
        return error::invalid("a Redis URL starts with redis:// (got '" + url + "')", "redis_url");
    }
    std::string rest = url.substr(scheme.size());
    if (auto at = rest.rfind('@'); at != std::string::npos) {
        std::string auth = rest.substr(0, at);
        rest = rest.substr(at + 1);
        if (auto colon = auth.find(':'); colon != std::string::npos) {
            e.password = auth.substr(colon + 1);
        } else {
            e.password = auth;
        }
    }
    std::string db;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        db = rest.substr(slash + 1);
        rest = rest.substr(0, slash);
    }
    if (auto colon = rest.rfind(':'); colon != std::string::npos) {
        const std::string port = rest.substr(colon + 1);
        int p = 0;
        auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || ptr != port.data() + port.size() || p <= 0 || p > 65535) {
            return error::invalid("invalid port '" + port + "' in the Redis URL", "redis_url");
        }
        e.port = p;
        rest = rest.substr(0, colon);
    }
    if (!rest.empty()) {
        e.host = rest;
    }
    if (!db.empty()) {
        auto [ptr, ec] = std::from_chars(db.data(), db.data() + db.size(), e.db);
        if (ec != std::errc{} || ptr != db.data() + db.size() || e.db < 0) {
            return error::invalid("invalid database number '" + db + "' in the Redis URL", "redis_url");
        }
    }
    return e;
}

struct redis_counter_backend::impl {
    redis_endpoint endpoint;
    redisContext * ctx = nullptr;
    std::string reserve_sha;
    std::string adjust_sha;
    std::mutex mutex;

    ~impl() { close(); }

    void close() {
        if (ctx) {
            redisFree(ctx);
            ctx = nullptr;
        }
    }

    result<bool> command(std::vector<std::string> args, reply_ptr & out) {
        std::vector<const char *> argv;
        std::vector<size_t> lens;
        for (const auto & a : args) {
            argv.push_back(a.data());
            lens.push_back(a.size());
        }
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!ctx) {
                auto opened = open();
                if (!opened) {
                    return opened.err();
                }
            }
            void * r = redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data());
            if (r == nullptr) {
                const std::string why = ctx->errstr;
                close();
                if (attempt == 1) {
                    return redis_error(why);
                }
                continue;
            }
            out.r = static_cast<redisReply *>(r);
            return true;
        }
        return redis_error("no reply");
    }

    result<std::string> load(const char * script) {
        void * r = redisCommand(ctx, "SCRIPT LOAD %s", script);
        reply_ptr reply(r);
        if (!reply.r || reply.r->type != REDIS_REPLY_STRING) {
            return redis_error(std::string("loading a script: ") + (reply.r && reply.r->str ? reply.r->str : ctx->errstr));
        }
        return std::string(reply.r->str, reply.r->len);
    }

    result<bool> open() {
        timeval tv{endpoint.timeout_ms / 1000, (endpoint.timeout_ms % 1000) * 1000};
        ctx = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, tv);
        if (ctx == nullptr || ctx->err) {
            const std::string why = ctx ? ctx->errstr : "out of memory";
            close();
            return redis_error("cannot connect to " + endpoint.host + ":" + std::to_string(endpoint.port) + ": " + why);
        }
        redisSetTimeout(ctx, tv);
        if (!endpoint.password.empty()) {
            reply_ptr reply(redisCommand(ctx, "AUTH %s", endpoint.password.c_str()));
            if (!reply.r || reply.r->type == REDIS_REPLY_ERROR) {
                close();
                return redis_error("authentication failed");
            }
        }
        if (endpoint.db != 0) {
            reply_ptr reply(redisCommand(ctx, "SELECT %d", endpoint.db));
            if (!reply.r || reply.r->type == REDIS_REPLY_ERROR) {
                close();
                return redis_error("cannot select database " + std::to_string(endpoint.db));
            }
        }
        auto r1 = load(reserve_script);
        auto r2 = r1 ? load(adjust_script) : result<std::string>(r1.err());
        if (!r1 || !r2) {
            close();
            return r1 ? r2.err() : r1.err();
        }
        reserve_sha = *r1;
        adjust_sha = *r2;
        return true;
    }

    // EVALSHA, or EVAL when the server no longer has the script.
    result<bool> eval(const char * script, const std::string & sha, const std::vector<std::string> & keys,
                      const std::vector<std::string> & args, reply_ptr & out) {
        std::vector<std::string> cmd = {"EVALSHA", sha, std::to_string(keys.size())};
        cmd.insert(cmd.end(), keys.begin(), keys.end());
        cmd.insert(cmd.end(), args.begin(), args.end());
        auto sent = command(cmd, out);
        if (!sent) {
            return sent;
        }
        if (out.r->type == REDIS_REPLY_ERROR && std::strncmp(out.r->str, "NOSCRIPT", 8) == 0) {
            freeReplyObject(out.r);
            out.r = nullptr;
            cmd[0] = "EVAL";
            cmd[1] = script;
            sent = command(cmd, out);
            if (!sent) {
                return sent;
            }
        }
        if (out.r->type == REDIS_REPLY_ERROR) {
            return redis_error(std::string(out.r->str, out.r->len));
        }
        return true;
    }
};

redis_counter_backend::redis_counter_backend(std::unique_ptr<impl> d) : impl_(std::move(d)) {}
redis_counter_backend::~redis_counter_backend() = default;

result<std::unique_ptr<redis_counter_backend>> redis_counter_backend::connect(const redis_endpoint & endpoint) {
    auto d = std::make_unique<impl>();
    d->endpoint = endpoint;
    auto opened = d->open();
    if (!opened) {
        return opened.err();
    }
    return std::unique_ptr<redis_counter_backend>(new redis_counter_backend(std::move(d)));
}

result<reserve_outcome> redis_counter_backend::reserve(const std::vector<counter_charge> & charges, int64_t) {
    std::vector<std::string> keys;
    std::vector<std::string> args;
    for (const auto & c : charges) {
        keys.push_back(c.counter);
        args.push_back(std::to_string(c.amount));
        args.push_back(std::to_string(c.limit));
        args.push_back(std::to_string(c.expire_at_ms));
    }
    std::lock_guard lock(impl_->mutex);
    reply_ptr reply(nullptr);
    auto ok = impl_->eval(reserve_script, impl_->reserve_sha, keys, args, reply);
    if (!ok) {
        return ok.err();
    }
    if (reply.r->type != REDIS_REPLY_ARRAY || reply.r->elements != 2 ||
        reply.r->element[0]->type != REDIS_REPLY_INTEGER || reply.r->element[1]->type != REDIS_REPLY_INTEGER) {
        return redis_error("unexpected reply to the reserve script");
    }
    const long long index = reply.r->element[0]->integer;
    if (index == 0) {
        return reserve_outcome{true, 0, 0};
    }
    return reserve_outcome{false, static_cast<size_t>(index - 1), reply.r->element[1]->integer};
}

result<bool> redis_counter_backend::adjust(const std::vector<counter_delta> & deltas, int64_t) {
    std::vector<std::string> keys;
    std::vector<std::string> args;
    for (const auto & d : deltas) {
        if (d.delta == 0) {
            continue;
        }
        keys.push_back(d.counter);
        args.push_back(std::to_string(d.delta));
    }
    if (keys.empty()) {
        return true;
    }
    std::lock_guard lock(impl_->mutex);
    reply_ptr reply(nullptr);
    auto ok = impl_->eval(adjust_script, impl_->adjust_sha, keys, args, reply);
    if (!ok) {
        return ok.err();
    }
    return true;
}

result<int64_t> redis_counter_backend::value(const std::string & counter, int64_t) {
    std::lock_guard lock(impl_->mutex);
    reply_ptr reply(nullptr);
    auto ok = impl_->command({"GET", counter}, reply);
    if (!ok) {
        return ok.err();
    }
    if (reply.r->type == REDIS_REPLY_NIL) {
        return int64_t{0};
    }
    if (reply.r->type != REDIS_REPLY_STRING) {
        return redis_error("unexpected reply to GET");
    }
    int64_t v = 0;
    std::from_chars(reply.r->str, reply.r->str + reply.r->len, v);
    return v;
}

}  // namespace tiergate::ledger
