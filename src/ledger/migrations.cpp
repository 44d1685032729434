#include "ledger/migrations.h"

namespace tiergate::ledger {

const std::vector<migration> & ledger_migrations() {
    static const std::vector<migration> all = {
        {1, "requests and attempts",
         R"sql(
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  team TEXT NOT NULL,
  route TEXT NOT NULL,
  route_reason TEXT NOT NULL,
  tier TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  counterfactual_cost_usd REAL NOT NULL,
  latency_ms REAL NOT NULL,
  ttft_ms REAL NOT NULL,
  http_status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  escalated INTEGER NOT NULL,
  attempt_count INTEGER NOT NULL,
  pii_counts TEXT NOT NULL
);
CREATE TABLE attempts (
  request_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  kind TEXT NOT NULL,
  tier TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  latency_ms REAL NOT NULL,
  ttft_ms REAL NOT NULL,
  http_status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  PRIMARY KEY (request_id, attempt)
);
)sql",
         R"sql(
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  key_id TEXT NOT NULL,
  team TEXT NOT NULL,
  route TEXT NOT NULL,
  route_reason TEXT NOT NULL,
  tier TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cost_usd DOUBLE PRECISION NOT NULL,
  counterfactual_cost_usd DOUBLE PRECISION NOT NULL,
  latency_ms DOUBLE PRECISION NOT NULL,
  ttft_ms DOUBLE PRECISION NOT NULL,
  http_status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  escalated INTEGER NOT NULL,
  attempt_count INTEGER NOT NULL,
  pii_counts TEXT NOT NULL
);
CREATE TABLE attempts (
  request_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  kind TEXT NOT NULL,
  tier TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cost_usd DOUBLE PRECISION NOT NULL,
  latency_ms DOUBLE PRECISION NOT NULL,
  ttft_ms DOUBLE PRECISION NOT NULL,
  http_status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  PRIMARY KEY (request_id, attempt)
);
)sql"},
        {2, "indexes for reports and per-key queries",
         R"sql(
CREATE INDEX requests_time ON requests (time_ms);
CREATE INDEX requests_key_time ON requests (key_id, time_ms);
CREATE INDEX requests_team_time ON requests (team, time_ms);
)sql",
         R"sql(
CREATE INDEX requests_time ON requests (time_ms);
CREATE INDEX requests_key_time ON requests (key_id, time_ms);
CREATE INDEX requests_team_time ON requests (team, time_ms);
)sql"},
        {3, "tool calls per request",
         "ALTER TABLE requests ADD COLUMN tool_calls INTEGER NOT NULL DEFAULT 0;",
         "ALTER TABLE requests ADD COLUMN tool_calls INTEGER NOT NULL DEFAULT 0;"},
        {4, "the chunks retrieval added to a request's prompt",
         "ALTER TABLE requests ADD COLUMN retrieved TEXT NOT NULL DEFAULT '';",
         "ALTER TABLE requests ADD COLUMN retrieved TEXT NOT NULL DEFAULT '';"},
        {5, "answers served from the answer cache",
         "ALTER TABLE requests ADD COLUMN cache TEXT NOT NULL DEFAULT '';",
         "ALTER TABLE requests ADD COLUMN cache TEXT NOT NULL DEFAULT '';"},
        {6, "the version of a local model's weights that answered",
         "ALTER TABLE requests ADD COLUMN model_version TEXT NOT NULL DEFAULT '';",
         "ALTER TABLE requests ADD COLUMN model_version TEXT NOT NULL DEFAULT '';"},
        {7, "the agent run a request was a step of, and its specialist",
         "ALTER TABLE requests ADD COLUMN trace_id TEXT NOT NULL DEFAULT '';"
         "ALTER TABLE requests ADD COLUMN agent TEXT NOT NULL DEFAULT '';",
         "ALTER TABLE requests ADD COLUMN trace_id TEXT NOT NULL DEFAULT '';"
         "ALTER TABLE requests ADD COLUMN agent TEXT NOT NULL DEFAULT '';"},
        {8, "the deployment of a pooled model each attempt went to",
         "ALTER TABLE attempts ADD COLUMN deployment TEXT NOT NULL DEFAULT '';",
         "ALTER TABLE attempts ADD COLUMN deployment TEXT NOT NULL DEFAULT '';"},
    };
    return all;
}

int latest_schema_version() { return ledger_migrations().back().version; }

}  // namespace tiergate::ledger
