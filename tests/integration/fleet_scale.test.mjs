// Scale-out: three tiergate processes sharing one Redis (budget counters),
// one PostgreSQL ledger and one SQLite key store, in front of one fake
// OpenAI-compatible upstream (lib/fake_upstream.mjs) whose usage the tests
// choose, so every cost is known.
//
//   1. load through all three, one SIGKILLed mid-load; the client retries a
//      request cut by the kill once on another replica; the ledger holds one
//      row per answered request; the survivors drain on SIGTERM.
//   2. a team budget raced through all three replicas: what settles stays
//      within the bound the reservations give.
//   3. a key revoked (or created) through the admin API of one replica is
//      refused (accepted) by the others within the key verifier's refresh
//      interval.
//   4. a budget set through the admin API of one replica applies on the others
//      within the key verifier's refresh interval (they watch the same store file).
//
// Skips unless TIERGATE_TEST_REDIS_URL and TIERGATE_TEST_PG_URL are set
// (scripts/services.sh start ENV_FILE && . ENV_FILE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { get, parseSse, startServer } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { createKey, remoteModel, writeConfigFile } from './lib/config.mjs';

const REDIS = process.env.TIERGATE_TEST_REDIS_URL;
const PG = process.env.TIERGATE_TEST_PG_URL;
const skip = !REDIS || !PG
  ? `${[!REDIS && 'TIERGATE_TEST_REDIS_URL', !PG && 'TIERGATE_TEST_PG_URL'].filter(Boolean).join(' and ')} not set ` +
    '(scripts/services.sh start ENV_FILE && . ENV_FILE starts Redis and PostgreSQL)'
  : false;

// ---------------------------------------------------------------- costs

// USD per million tokens. A 40-byte prompt is estimated at 10 tokens; with
// max_tokens 20 the gateway reserves 10*10/1e6 + 20*20/1e6 = 0.0005 USD.
const PRICE = { input_per_mtok: 10, output_per_mtok: 20 };
const PROMPT_TOKENS = 10;
const MAX_TOKENS = 20;
const costOf = (inTok, outTok) => (inTok * PRICE.input_per_mtok + outTok * PRICE.output_per_mtok) / 1e6;
const RESERVATION = costOf(PROMPT_TOKENS, MAX_TOKENS);
// The reservation in micro-dollars as the gateway rounds it (up): 500, or 501
// if the float product lands a hair above 500.
const RESERVATION_MICRO_MAX = Math.ceil(RESERVATION * 1e6 + 1e-6);
const micro = (usd) => Math.ceil(usd * 1e6 - 1e-6);
const near = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));
const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A prompt of exactly 40 bytes (the gateway estimates 10 tokens); `tag`
// lets the fake upstream tell the phases apart.
function prompt40(tag, i) {
  const s = `${tag} ${i} `;
  assert.ok(s.length <= 40);
  return (s + 'x'.repeat(40)).slice(0, 40);
}

// ---------------------------------------------------------------- services

function psql(url, sql) {
  const q = spawnSync('psql', [url, '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  assert.equal(q.status, 0, `psql: ${q.stderr}`);
  return q.stdout;
}

// A new PostgreSQL database for one test (dropped after it): the ledger rows
// it holds are this test's only.
function freshDatabase(t, name) {
  const db = `tiergate_fleet_${name}_${process.pid}_${Date.now()}`;
  psql(PG, `CREATE DATABASE ${db}`);
  t.after(() => psql(PG, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  const url = new URL(PG);
  url.pathname = `/${db}`;
  return url.href;
}

const ROW_COLUMNS = ['request_id', 'key_id', 'team', 'http_status', 'error_code', 'cost_usd', 'input_tokens', 'output_tokens'];
function ledgerRows(url) {
  const out = psql(url, `SELECT ${ROW_COLUMNS.join(', ')} FROM requests`).trim();
  if (!out) return [];
  return out.split('\n').map((line) => {
    const c = line.split('\t');
    return {
      request_id: c[0], key_id: c[1], team: c[2], http_status: Number(c[3]), error_code: c[4],
      cost_usd: Number(c[5]), input_tokens: Number(c[6]), output_tokens: Number(c[7]),
    };
  });
}

function redis(...args) {
  const r = spawnSync('redis-cli', ['-u', REDIS, '--no-raw', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `redis-cli: ${r.stderr}`);
  return r.stdout.trim();
}
const dayStart = () => Math.floor(Date.now() / 86_400_000) * 86_400_000;
function budgetCounter(scope, id, kind = 'usd_per_day', windowStart = dayStart()) {
  const v = redis('GET', `tg:budget:${scope}:${id}:${kind}:${windowStart}`);
  return v === '(nil)' ? 0 : Number(v.replace(/^\(integer\) /, '').replace(/"/g, ''));
}
function dropCounters(ids) {
  for (const id of ids) {
    const keys = redis('--scan', '--pattern', `tg:budget:*:${id}:*`).split('\n').filter(Boolean).map((k) => k.replace(/"/g, ''));
    if (keys.length) redis('DEL', ...keys);
  }
}

// A burst of about marginMs must not cross the end of the UTC day (the
// usd_per_day counters start again there).
async function awayFromDayEnd(marginMs) {
  const left = 86_400_000 - (Date.now() % 86_400_000);
  if (left < marginMs) await sleep(left + 200);
}

// ---------------------------------------------------------------- the fleet

function tempDir(t, name) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `tiergate-fleet-${name}-`));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

// Three replicas' configs in one directory: the same keys.db, the same
// Redis, the same PostgreSQL ledger.
async function startFleet(t, dir, { upstream, ledger, budgets, groupCommitMs = 50, n = 3, extraArgs = [], models = null }) {
  const cfg = {
    server: { host: '127.0.0.1', port: 0, threads: 1 },
    models: models ?? [remoteModel('frontier-x', 'frontier', PRICE, upstream)],
    frontier_baseline: 'frontier-x',
    budgets: { ...budgets, redis: REDIS },
    ledger: { store: ledger, group_commit_ms: groupCommitMs },
    keys: { store: 'keys.db' },
  };
  const files = Array.from({ length: n }, (_, i) => writeConfigFile(dir, cfg, `replica-${i}`));
  const servers = await Promise.all(files.map((f) => startServer({ extraArgs: ['--config', f, ...extraArgs] })));
  for (const s of servers) t.after(() => s.stop());
  return servers;
}

function waitExit(server, timeoutMs = 30_000) {
  return new Promise((resolve) => {
    if (server.exited()) return resolve(server.exited());
    const timer = setTimeout(() => resolve(null), timeoutMs);
    server.proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

// One chat completion. Resolves with what the client saw, never rejects:
//   { answered: true, status, id, usage, at }  a complete HTTP answer (for a 200: the body's id;
//                                             for a stream: ended by [DONE])
//   { answered: false, code, at }             no complete answer: refused, reset, cut or timed out
async function chat(base, key, content, { stream = false, timeoutMs = 20_000 } = {}) {
  const body = { model: 'frontier-x', messages: [{ role: 'user', content }], max_tokens: MAX_TOKENS };
  if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  let res;
  let text;
  try {
    res = await fetch(base + '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    const code = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.cause?.name ?? e.name);
    return { answered: false, code, message: `${e.message} (${e.cause?.message ?? ''})`, at: performance.now() };
  }
  const at = performance.now();
  if (res.status !== 200) {
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { answered: true, status: res.status, json, text, at };
  }
  if (stream) {
    let events;
    try {
      events = parseSse(text);
    } catch {
      return { answered: false, code: 'truncated_stream', message: text.slice(-120), at };
    }
    if (events.at(-1) !== '[DONE]') return { answered: false, code: 'truncated_stream', message: text.slice(-120), at };
    const chunks = events.filter((e) => e !== '[DONE]');
    return { answered: true, status: 200, id: chunks[0].id, usage: chunks.find((c) => c.usage)?.usage ?? null, at };
  }
  const json = JSON.parse(text);
  return { answered: true, status: 200, id: json.id, usage: json.usage, json, at };
}

// A connection-level failure: the replica is gone (refused) or went away (reset, closed, cut stream).
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'truncated_stream', 'SocketError']);

// ---------------------------------------------------------------- tests

test('SIGKILL of one of three replicas under load: every answered request is in the shared ledger once (but the killed replica\'s last group commit); the survivors drain', { skip }, async (t) => {
  await awayFromDayEnd(120_000);
  const dir = tempDir(t, 'kill');
  const ledger = freshDatabase(t, 'kill');
  const DRAIN = 'drain';
  const up = await startFakeUpstream({
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS },
    // requests of the drain phase are slow, so they are in flight at SIGTERM
    delayMs: (body, n) => (String(body.messages?.[0]?.content ?? '').startsWith(DRAIN) ? 800 : 30 + ((n * 37) % 120)),
  });
  t.after(() => up.close());
  // one key per replica (the client uses replica r's key on replica r, retries included), so the
  // ledger tells which replica recorded a row; all in one store and one team.
  const team = `fleet-kill-${process.pid}-${Date.now()}`;
  const keys = [0, 1, 2].map(() => createKey(dir, team));
  t.after(() => dropCounters(keys.map((k) => k.id)));
  const groupCommitMs = 50;
  const drainMs = 10_000;
  const servers = await startFleet(t, dir, {
    upstream: up,
    ledger,
    groupCommitMs,
    // a usd_per_day limit far above the traffic: every request reserves and settles in Redis
    budgets: { keys: Object.fromEntries(keys.map((k) => [k.id, { usd_per_day: 100 }])) },
    extraArgs: ['--drain-ms', String(drainMs)],
  });

  const TOTAL = 300;
  const CONCURRENCY = 12;
  const KILL_AFTER = 100;  // answered requests before the kill
  const KILLED = 1;
  let next = 0;
  let answeredCount = 0;
  let killed = false;
  let killedAt = 0;
  const outcomes = new Array(TOTAL);  // per client request: its attempts
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < TOTAL) {
      const i = next++;
      const r = i % 3;
      const stream = i % 4 === 0;
      const attempts = [];
      const first = await chat(servers[r].base, keys[r].key, prompt40('load', i), { stream });
      attempts.push({ replica: r, ...first });
      // a request that failed at the connection on the killed replica: once more on another one
      if (!first.answered && killed && r === KILLED && CONNECTION_ERRORS.has(first.code)) {
        const other = (r + 1) % 3;
        attempts.push({ replica: other, ...(await chat(servers[other].base, keys[other].key, prompt40('load', i), { stream })) });
      }
      outcomes[i] = attempts;
      if (attempts.at(-1).answered) answeredCount++;
      if (!killed && answeredCount >= KILL_AFTER) {
        killed = true;
        killedAt = performance.now();
        servers[KILLED].proc.kill('SIGKILL');
      }
    }
  }));
  const loadMs = performance.now() - t0;
  assert.ok(killed, 'the replica was never killed');
  assert.equal((await waitExit(servers[KILLED]))?.signal, 'SIGKILL');

  const attempts = outcomes.flat();
  const unanswered = outcomes.filter((a) => !a.at(-1).answered).map((a) => a.map((x) => `${x.replica}:${x.code} ${x.message}`).join(' -> '));
  assert.deepEqual(unanswered, [], 'requests left without an answer after one retry');
  const failedOnSurvivors = attempts.filter((a) => !a.answered && a.replica !== KILLED);
  assert.deepEqual(failedOnSurvivors, [], 'a surviving replica failed a request');
  for (const a of attempts.filter((x) => x.answered)) assert.equal(a.status, 200, a.text);
  const refused = attempts.filter((a) => !a.answered && a.code === 'ECONNREFUSED').length;
  // cut: the connection to the killed replica failed other than by refusal, so the request may have reached it
  const cut = attempts.filter((a) => !a.answered && a.code !== 'ECONNREFUSED');
  for (const a of cut) assert.ok(CONNECTION_ERRORS.has(a.code), `unexpected failure ${a.code}: ${a.message}`);
  const retried = outcomes.filter((a) => a.length === 2).length;
  assert.ok(retried > 0, 'no request was retried: the kill cut nothing and refused nothing');

  // drain: slow requests in flight on both survivors, then SIGTERM
  const survivors = [0, 2];
  const drained = survivors.flatMap((r) => Array.from({ length: 3 }, (_, j) =>
    chat(servers[r].base, keys[r].key, prompt40(DRAIN, r * 10 + j)).then((x) => ({ replica: r, ...x }))));
  const drainStarted = up.requests;
  for (let i = 0; i < 200 && up.requests < drainStarted + 6; i++) await sleep(20);
  assert.ok(up.requests >= drainStarted + 6, 'the drain requests did not reach the upstream');
  const signalledAt = performance.now();
  for (const r of survivors) servers[r].proc.kill('SIGTERM');
  const exits = await Promise.all(survivors.map((r) => waitExit(servers[r])));
  const drainExitMs = performance.now() - signalledAt;
  for (const [k, e] of exits.entries()) assert.deepEqual(e, { code: 0, signal: null }, servers[survivors[k]].stderr());
  assert.ok(drainExitMs < drainMs, `exit ${drainExitMs.toFixed(0)} ms after SIGTERM; the drain window is ${drainMs} ms`);
  const drainedResults = await Promise.all(drained);
  for (const d of drainedResults) assert.equal(d.status, 200, `${d.code ?? ''} ${d.message ?? d.text ?? ''}`);

  // the ledger
  // (request_id is the table's primary key: a row per id at most)
  const rows = ledgerRows(ledger);
  const byId = new Map(rows.map((row) => [row.request_id, row]));
  const answered = [...attempts.filter((a) => a.answered), ...drainedResults];
  const answeredIds = new Set(answered.map((a) => a.id));
  assert.equal(answeredIds.size, answered.length, 'response ids are not unique across the replicas');
  const expectedCost = costOf(PROMPT_TOKENS, MAX_TOKENS);
  const lost = [];
  for (const a of answered) {
    const row = byId.get(a.id);
    if (!row) {
      lost.push(a);
      continue;
    }
    assert.equal(row.key_id, keys[a.replica].id, `row ${a.id} recorded under another key than its replica's`);
    assert.equal(row.http_status, 200);
    assert.deepEqual([row.input_tokens, row.output_tokens], [PROMPT_TOKENS, MAX_TOKENS]);
    assert.ok(near(row.cost_usd, expectedCost), `cost ${row.cost_usd}`);
  }
  // Only the killed replica may lose answered requests, and only those answered in its last
  // group-commit window (docs/finops.md, "kill -9"): queued, not yet committed.
  const slackMs = 1000;  // one batch write to PostgreSQL plus scheduling on a loaded machine
  for (const a of lost) {
    assert.equal(a.replica, KILLED, `request ${a.id} answered by surviving replica ${a.replica} has no ledger row`);
    assert.ok(killedAt - a.at <= groupCommitMs + slackMs,
      `request ${a.id} answered ${(killedAt - a.at).toFixed(0)} ms before the kill has no ledger row`);
  }
  // Rows of requests the client never saw answered: only requests cut by the kill, on the killed replica.
  const stray = rows.filter((row) => !answeredIds.has(row.request_id));
  for (const row of stray) assert.equal(row.key_id, keys[KILLED].id, `row ${JSON.stringify(row)} is not the killed replica's`);
  assert.ok(stray.length <= cut.length, `${stray.length} unanswered rows, but only ${cut.length} requests were cut`);
  // every answer came from one upstream call; a cut request may or may not have made one; a refused connection none
  assert.ok(up.requests >= answered.length && up.requests <= answered.length + cut.length,
    `upstream calls ${up.requests}, answered ${answered.length}, cut ${cut.length}`);

  // Redis: a survivor's counter is exactly what its rows settled; the killed replica's holds its rows,
  // the answers it lost, and the reservations of requests cut before they settled (never released).
  for (const r of survivors) {
    const mine = rows.filter((row) => row.key_id === keys[r].id);
    assert.equal(budgetCounter('key', keys[r].id), sum(mine, (row) => micro(row.cost_usd)), `replica ${r} counter`);
  }
  const killedRows = rows.filter((row) => row.key_id === keys[KILLED].id);
  const killedCounter = budgetCounter('key', keys[KILLED].id);
  const settledMicro = sum(killedRows, (row) => micro(row.cost_usd)) + lost.length * micro(expectedCost);
  assert.ok(killedCounter >= settledMicro, `killed replica's counter ${killedCounter} < settled ${settledMicro}`);
  assert.ok(killedCounter - settledMicro <= cut.length * RESERVATION_MICRO_MAX,
    `killed replica's counter ${killedCounter} exceeds settled ${settledMicro} by more than ${cut.length} reservations`);
  const leaked = Math.round((killedCounter - settledMicro) / micro(expectedCost));

  const perReplica = [0, 1, 2].map((r) => attempts.filter((a) => a.answered && a.replica === r).length);
  process.stderr.write(`# fleet kill: ${TOTAL} requests in ${(loadMs / 1000).toFixed(1)} s, answered per replica ${perReplica.join(' / ')}; ` +
    `after the kill ${refused} refused + ${cut.length} cut (${[...new Set(cut.map((c) => c.code))].join(',') || '-'}), ${retried} retried; ` +
    `${rows.length} ledger rows: ${lost.length} answered but lost (last group commit), ${stray.length} rows of cut requests; ` +
    `${leaked} reservation(s) left held in Redis by the killed replica; survivors drained in ${drainExitMs.toFixed(0)} ms\n`);
});

test('a team budget raced through three replicas: what settles stays within the reservations\' bound', { skip }, async (t) => {
  await awayFromDayEnd(120_000);
  const dir = tempDir(t, 'race');
  const ledger = freshDatabase(t, 'race');
  const OVER = 'over';
  // usage: exactly the reservation (10 + 20 tokens), or, for phase B's prompts, 30 prompt tokens
  // where the gateway estimated 10: 0.0007 USD settled for 0.0005 reserved.
  const up = await startFakeUpstream({
    usage: (body) => ({
      prompt_tokens: String(body.messages?.[0]?.content ?? '').startsWith(OVER) ? 30 : PROMPT_TOKENS,
      completion_tokens: MAX_TOKENS,
    }),
    delayMs: (body, n) => 40 + ((n * 53) % 160),
  });
  t.after(() => up.close());
  const stamp = `${process.pid}-${Date.now()}`;
  const teams = { exact: `race-exact-${stamp}`, over: `race-over-${stamp}` };
  const keys = { exact: [0, 1, 2].map(() => createKey(dir, teams.exact)), over: [0, 1, 2].map(() => createKey(dir, teams.over)) };
  t.after(() => dropCounters(Object.values(teams)));
  // 20.4 reservations: 20 fit whether the gateway rounds a reservation to 500 or 501 micro-dollars
  const budget = 0.0102;
  const servers = await startFleet(t, dir, {
    upstream: up,
    ledger,
    budgets: { teams: { [teams.exact]: { usd_per_day: budget }, [teams.over]: { usd_per_day: budget } } },
  });
  const CONCURRENCY = 12;
  const REQUESTS = 60;

  async function race(phase, tag) {
    const results = new Array(REQUESTS);
    let next = 0;
    const callsBefore = up.requests;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const r = i % 3;
        results[i] = { replica: r, ...(await chat(servers[r].base, keys[phase][r].key, prompt40(tag, i))) };
      }
    }));
    for (const x of results) assert.ok(x.answered && (x.status === 200 || x.status === 429), `${x.status ?? x.code} ${x.text ?? x.message}`);
    const ok = results.filter((x) => x.status === 200);
    const refused = results.filter((x) => x.status === 429);
    for (const x of refused) {
      assert.equal(x.json?.error?.code, 'budget_exhausted', x.text);
      assert.ok(x.json.error.message.includes(`team '${teams[phase]}' budget of 0.01 USD per day`), x.json.error.message);
    }
    assert.equal(up.requests - callsBefore, ok.length, 'refused requests must not reach the upstream');
    const perReplica = [0, 1, 2].map((r) => ok.filter((x) => x.replica === r).length);
    // each replica alone would admit 20: together they admit the team's budget once
    assert.ok(perReplica.every((n) => n > 0), `answered per replica ${perReplica}`);
    return { results, ok, refused, perReplica };
  }

  // A: usage equal to the reservation. A request is granted only while counter + reservation <= limit,
  // and settling changes nothing, so exactly floor(limit / reservation) = 20 pass and nothing overshoots.
  const a = await race('exact', 'exact');
  // B: usage above the reservation by 0.0002 USD. After the last grant the counter is <= the limit and
  // only the requests still unsettled then (at most CONCURRENCY) add their excess:
  // settled <= limit + CONCURRENCY * 0.0002.
  const b = await race('over', OVER);
  for (const s of servers) assert.deepEqual(await s.stop(), { code: 0, signal: null }, s.stderr());

  const rows = ledgerRows(ledger);
  const report = {};
  for (const [phase, r] of [['exact', a], ['over', b]]) {
    const mine = rows.filter((row) => row.team === teams[phase]);
    const byId = new Map(mine.map((row) => [row.request_id, row]));
    for (const x of r.ok) {
      const row = byId.get(x.id);
      assert.ok(row, `no ledger row for ${x.id}`);
      assert.equal(row.http_status, 200);
      assert.equal(row.key_id, keys[phase][x.replica].id);
    }
    // refusals are recorded too (429 budget_exhausted), one row each
    assert.equal(mine.filter((row) => row.http_status === 200).length, r.ok.length, `${phase}: 200 rows`);
    assert.equal(mine.filter((row) => row.http_status === 429).length, r.refused.length, `${phase}: 429 rows`);
    assert.equal(mine.length, REQUESTS, `${phase}: rows`);
    const settled = sum(mine, (row) => row.cost_usd);
    // the shared counter holds exactly what the ledger settled (micro-dollars, each request rounded up)
    const counter = budgetCounter('team', teams[phase]);
    assert.equal(counter, sum(mine, (row) => micro(row.cost_usd)), `${phase}: Redis counter ${counter} != ledger`);
    report[phase] = { answered: r.ok.length, perReplica: r.perReplica, settled, overshoot: settled - budget };
  }
  assert.equal(a.ok.length, 20, `usage = reservation: ${a.ok.length} answered, expected floor(${budget} / ${RESERVATION}) = 20`);
  assert.ok(report.exact.settled <= budget + 1e-12, `usage = reservation: settled ${report.exact.settled} > budget ${budget}`);
  const excess = costOf(30, MAX_TOKENS) - RESERVATION;
  const bound = budget + CONCURRENCY * excess;
  assert.ok(report.over.settled <= bound + 1e-12, `usage > reservation: settled ${report.over.settled} > ${bound}`);
  for (const row of rows.filter((x) => x.team === teams.over && x.http_status === 200)) {
    assert.ok(near(row.cost_usd, costOf(30, MAX_TOKENS)), `cost ${row.cost_usd}`);
  }
  process.stderr.write(`# fleet budget race (limit ${budget} USD, reservation ${RESERVATION} USD, ${REQUESTS} requests x ${CONCURRENCY} concurrent over 3 replicas): ` +
    `usage = reservation: ${report.exact.answered} answered (${report.exact.perReplica.join('+')}), settled ${report.exact.settled.toFixed(6)}, overshoot ${report.exact.overshoot.toFixed(6)}; ` +
    `usage = reservation + ${excess.toFixed(4)}: ${report.over.answered} answered (${report.over.perReplica.join('+')}), settled ${report.over.settled.toFixed(6)}, ` +
    `overshoot ${report.over.overshoot.toFixed(6)} (bound ${(CONCURRENCY * excess).toFixed(4)}; 3 replicas x one reservation would be ${(3 * RESERVATION).toFixed(4)}; ` +
    `peak upstream concurrency ${up.maxInFlight})\n`);
});

// Admin API calls with an admin key.
async function admin(base, key, method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

// GET /v1/models with `key`: authenticates without calling a model or writing the ledger.
async function probe(base, key) {
  const r = await get(base, '/v1/models', { headers: { authorization: `Bearer ${key}` } });
  return { status: r.status, json: r.json, text: r.body };
}

// Probes every `everyMs` until pred(answer) holds; resolves with the ms since `since`, or null after limitMs.
async function until(base, key, pred, since, limitMs = 5000, everyMs = 20) {
  while (performance.now() - since < limitMs) {
    const r = await probe(base, key);
    if (pred(r)) return { ms: performance.now() - since, answer: r };
    await sleep(everyMs);
  }
  return null;
}

// docs/admin.md: key changes reach every server reading the store within the key verifier's
// refresh interval (1 s; auth/key_verifier.h verifier_options::refresh_interval, not configurable).
const REFRESH_MS = 1000;
const SCHEDULING_SLACK_MS = 1000;  // a watcher thread woken late on a loaded 2-core machine

test('a key revoked or created through the admin API of one replica is refused or accepted by the others within the refresh interval', { skip }, async (t) => {
  const dir = tempDir(t, 'keys');
  const ledger = freshDatabase(t, 'keys');
  const up = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  t.after(() => up.close());
  const team = `fleet-keys-${process.pid}-${Date.now()}`;
  const ops = createKey(dir, team, { role: 'admin' });
  const user = createKey(dir, team);
  const servers = await startFleet(t, dir, { upstream: up, ledger, budgets: {} });
  for (const s of servers) {
    const r = await probe(s.base, user.key);
    assert.equal(r.status, 200, r.text);
    assert.equal((await chat(s.base, user.key, prompt40('before', 0))).status, 200);
  }

  // revoke on replica 0
  const sent = performance.now();
  const revoked = await admin(servers[0].base, ops.key, 'POST', `/admin/v1/keys/${user.id}/revoke`);
  const since = performance.now();
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal(revoked.json.id, user.id);
  assert.ok(revoked.json.revoked_ms > 0, revoked.text);
  assert.equal(revoked.json.status, 'revoked', revoked.text);
  const refusedAfter = await Promise.all(servers.map((s) => until(s.base, user.key, (r) => r.status === 401, since)));
  for (const [i, w] of refusedAfter.entries()) {
    assert.ok(w, `replica ${i} still accepts the revoked key 5 s after the revocation`);
    assert.equal(w.answer.json?.error?.code, 'key_revoked', w.answer.text);
    assert.ok(w.answer.json.error.message.includes(user.id), w.answer.text);
    assert.ok(w.ms <= REFRESH_MS + SCHEDULING_SLACK_MS, `replica ${i} refused the revoked key only ${w.ms.toFixed(0)} ms after the revocation`);
  }
  // the replica that revoked it refuses it from its answer on (its verifier read the store then)
  assert.ok(refusedAfter[0].ms < 100, `the revoking replica accepted the key ${refusedAfter[0].ms.toFixed(0)} ms after revoking it`);
  // and stays refused, on every route
  for (const s of servers) {
    for (let i = 0; i < 3; i++) assert.equal((await probe(s.base, user.key)).status, 401);
    const c = await chat(s.base, user.key, prompt40('after', 0));
    assert.equal(c.status, 401, c.text);
    assert.equal(c.json?.error?.code, 'key_revoked');
  }

  // create on replica 1, use on 2 and 0
  const created = await admin(servers[1].base, ops.key, 'POST', '/admin/v1/keys', { team });
  const createdAt = performance.now();
  assert.equal(created.status, 201, created.text);
  const acceptedAfter = await Promise.all([2, 0].map((i) => until(servers[i].base, created.json.key, (r) => r.status === 200, createdAt)));
  for (const [k, w] of acceptedAfter.entries()) {
    assert.ok(w, `replica ${[2, 0][k]} does not accept the new key 5 s after its creation`);
    assert.ok(w.ms <= REFRESH_MS + SCHEDULING_SLACK_MS, `replica ${[2, 0][k]} accepted the new key only after ${w.ms.toFixed(0)} ms`);
  }
  for (const s of servers) assert.deepEqual(await s.stop(), { code: 0, signal: null }, s.stderr());
  process.stderr.write(`# fleet keys: revoke answered in ${(since - sent).toFixed(0)} ms; revoked key refused after ` +
    `${refusedAfter.map((w, i) => `replica ${i}${i === 0 ? ' (revoking)' : ''} ${w.ms.toFixed(0)} ms`).join(', ')}; ` +
    `new key accepted after ${acceptedAfter.map((w, k) => `replica ${[2, 0][k]} ${w.ms.toFixed(0)} ms`).join(', ')}\n`);
});

// Budgets set through the API live in the shared key store file; every replica's key verifier
// sees the file change and its admin API reads the budgets again (admin_api::key_store_changed).
test('a budget set through the admin API of one replica applies on the others', { skip }, async (t) => {
  const dir = tempDir(t, 'override');
  const ledger = freshDatabase(t, 'override');
  const up = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  t.after(() => up.close());
  const team = `fleet-override-${process.pid}-${Date.now()}`;
  const ops = createKey(dir, team, { role: 'admin' });
  const user = createKey(dir, team);
  t.after(() => dropCounters([user.id]));
  // budgets: {} and a key store: the admin API keeps budgets set through it in the store
  const servers = await startFleet(t, dir, { upstream: up, ledger, budgets: {} });
  for (const s of servers) assert.equal((await chat(s.base, user.key, prompt40('before', 0))).status, 200);

  // no request at all for this key from now on, set on replica 0
  const put = await admin(servers[0].base, ops.key, 'PUT', `/admin/v1/budgets/key/${user.id}`, { requests_per_minute: 0 });
  const since = performance.now();
  assert.equal(put.status, 200, put.text);
  // the replica that took the change applies it to the next request (docs/admin.md)
  const own = await chat(servers[0].base, user.key, prompt40('own', 0));
  assert.equal(own.status, 429, own.text);
  assert.equal(own.json?.error?.code, 'rate_limit_exceeded', own.text);
  // the others: within the same bound as a key change (the override lives in the same shared store)
  const seen = [];
  for (const i of [1, 2]) {
    let refusedAt = null;
    let last = null;
    for (let n = 0; performance.now() - since <= REFRESH_MS + SCHEDULING_SLACK_MS; n++) {
      last = await chat(servers[i].base, user.key, prompt40('other', n));
      if (last.status === 429) {
        refusedAt = performance.now() - since;
        break;
      }
      await sleep(100);
    }
    seen.push(`replica ${i}: ${refusedAt == null ? `still ${last?.status}` : `429 after ${refusedAt.toFixed(0)} ms`}`);
    assert.ok(refusedAt != null, `replica ${i} still answers ${last?.status} ${REFRESH_MS + SCHEDULING_SLACK_MS} ms after ` +
      `replica 0 set requests_per_minute 0 for ${user.id}`);
  }
  for (const s of servers) assert.deepEqual(await s.stop(), { code: 0, signal: null }, s.stderr());
  process.stderr.write(`# fleet budget override: ${seen.join(', ')}\n`);
});

// ---------------------------------------------------------------- a pool's limits across replicas

// docs/fleet.md: with budgets in Redis, a pool's deployments count their RPM use together with
// the other replicas, each reporting every 200 ms (fleet::usage_sync_interval).
test('three replicas hold one deployment\'s requests per minute together through Redis', { skip }, async (t) => {
  const dir = tempDir(t, 'pool');
  const ledger = freshDatabase(t, 'pool');
  const limited = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  const spare = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  t.after(() => limited.close());
  t.after(() => spare.close());
  const team = `fleet-pool-${process.pid}-${Date.now()}`;
  const user = createKey(dir, team);
  const RPM = 12;
  const pool = {
    name: 'frontier-x', provider: 'openai_compatible', tier: 'frontier', price: PRICE,
    retries: { max_attempts: 1, base_backoff_ms: 10 },
    deployments: [
      { name: 'limited', endpoint: limited.endpoint, rpm: RPM, weight: 1000 },
      { name: 'spare', endpoint: spare.endpoint, weight: 0.001 },
    ],
  };
  // a burst within one wall-clock minute
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await sleep(60_000 - intoMinute + 200);
  const servers = await startFleet(t, dir, { upstream: limited, ledger, budgets: {}, models: [pool] });
  const minute = Math.floor(Date.now() / 60_000);
  const N = 36;
  for (let i = 0; i < N; i++) {
    const r = await chat(servers[i % 3].base, user.key, prompt40('pool', i));
    assert.equal(r.status, 200, r.text);
    await sleep(60);  // 36 requests over about 3 s: several reports of each replica
  }
  if (Math.floor(Date.now() / 60_000) !== minute) return t.skip('the wall-clock minute turned over during the burst');
  // each replica may pass the shared count by what it sends between two reports and the
  // report's round trip (a request every 180 ms per replica: 2 each, 3 with a late thread);
  // without sharing, each replica would take 12
  const bound = RPM + 3 * 3;
  assert.ok(limited.requests >= RPM, `the limited deployment took only ${limited.requests} of its ${RPM}`);
  assert.ok(limited.requests <= bound, `the limited deployment took ${limited.requests}; the fleet bound is ${bound}`);
  assert.equal(limited.requests + spare.requests, N);
  process.stderr.write(`# fleet pool: rpm ${RPM} across 3 replicas: the limited deployment took ${limited.requests}, the spare ${spare.requests}\n`);
});

// ---------------------------------------------------------------- a reload on one replica

test('a config reload on one replica changes that replica only, and no call on the others fails', { skip }, async (t) => {
  const dir = tempDir(t, 'reload');
  const ledger = freshDatabase(t, 'reload');
  const up = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS }, delayMs: 20 });
  t.after(() => up.close());
  const team = `fleet-reload-${process.pid}-${Date.now()}`;
  const ops = createKey(dir, team, { role: 'admin' });
  const user = createKey(dir, team);
  t.after(() => dropCounters([user.id, team]));
  const servers = await startFleet(t, dir, { upstream: up, ledger, budgets: {} });

  // calls through all three while replica 0 reloads a file that gives the team a budget too small for one call
  const results = [];
  let stop = false;
  const load = (async () => {
    for (let i = 0; !stop && i < 400; i++) {
      const which = i % 3;
      results.push({ which, r: await chat(servers[which].base, user.key, prompt40('reload', i)) });
    }
  })();
  await sleep(300);
  const file = path.join(dir, 'replica-0.yaml');
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /^budgets:\n/m);
  fs.writeFileSync(file, text.replace(/^budgets:\n/m, `budgets:\n  teams:\n    ${team}:\n      usd_per_day: 0.0001\n`));
  const reloaded = await admin(servers[0].base, ops.key, 'POST', '/admin/v1/config/reload');
  assert.equal(reloaded.status, 200, reloaded.text);
  assert.deepEqual(reloaded.json.applied, ['budgets']);
  await sleep(500);
  stop = true;
  await load;

  const others = results.filter((x) => x.which !== 0);
  assert.ok(others.length > 20, `only ${others.length} calls on replicas 1 and 2`);
  for (const { r } of others) assert.equal(r.status, 200, r.text ?? r.message);
  const after = await chat(servers[0].base, user.key, prompt40('after', 0));
  assert.equal(after.status, 429, after.text);
  assert.equal(after.json?.error?.code, 'budget_exhausted', after.text);
  for (const s of servers.slice(1)) {
    const r = await chat(s.base, user.key, prompt40('after', 1));
    assert.equal(r.status, 200, r.text);
    const limits = await admin(s.base, ops.key, 'GET', '/admin/v1/budgets');
    assert.equal(limits.status, 200, limits.text);
    assert.ok(!limits.json.limits.some((l) => l.id === team), `the other replica took the reload: ${limits.text}`);
  }
  process.stderr.write(`# fleet reload: ${others.length} calls on replicas 1 and 2 during replica 0's reload, all answered\n`);
});
