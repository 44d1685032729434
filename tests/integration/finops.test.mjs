// FinOps on the real binary: budgets and rate limits under concurrency (in
// process and shared through Redis), degradation to the SLM, ledger
// durability on SIGTERM and kill -9, /metrics, `tiergate report`, and the
// PostgreSQL ledger. Remote models point at a fake OpenAI-compatible upstream
// (lib/fake_upstream.mjs) whose `usage` the tests choose, so every cost is known.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { binary, modelDir, parseSse, startServer, STORIES } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { sqliteRows } from './lib/ledger.mjs';
import { createKey, remoteModel, runTiergate, writeConfigFile } from './lib/config.mjs';

// ---------------------------------------------------------------- helpers

// USD per million tokens. A request with a 40-byte prompt (estimated 10
// tokens) and max_tokens 20 costs at most 10*100/1e6 + 20*200/1e6 = 0.005 USD
// on the frontier model.
const FRONTIER_PRICE = { input_per_mtok: 100, output_per_mtok: 200 };
const MID_PRICE = { input_per_mtok: 20, output_per_mtok: 40 };
const PROMPT_TOKENS = 10;
const MAX_TOKENS = 20;
const costOf = (price, inTok, outTok) => (inTok * price.input_per_mtok + outTok * price.output_per_mtok) / 1e6;
const MAX_COST = costOf(FRONTIER_PRICE, PROMPT_TOKENS, MAX_TOKENS);

// A prompt of exactly 40 bytes: the gateway estimates 10 tokens.
function prompt40(i) {
  const s = `request ${i} about budgets `;
  return (s + 'x'.repeat(40)).slice(0, 40);
}

const dirs = [];
function tempDir(name) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `tiergate-finops-${name}-`));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const run = runTiergate;


const slmModel = () => ({
  name: STORIES,
  provider: 'local',
  tier: 'slm',
  path: path.join(modelDir, `${STORIES}.gguf`),
  parallel: 4,
  ctx: 512,
  threads: 1,  // on a busy machine more decode threads only wait for each other
});

// Writes dir/<name>.yaml and returns its path.
function writeConfig(dir, { models, budgets, ledger = 'sqlite:ledger.db', groupCommitMs = 50, defaultModel, name = 'tiergate' }) {
  const cfg = {
    server: { host: '127.0.0.1', port: 0, threads: 2 },
    models,
    frontier_baseline: 'frontier-x',
    router: defaultModel ? { default_model: defaultModel } : undefined,
    budgets,
    ledger: { store: ledger, group_commit_ms: groupCommitMs },
    keys: { store: 'keys.db' },
  };
  return writeConfigFile(dir, cfg, name);
}

const serve = (file, extraArgs = []) => startServer({ extraArgs: ['--config', file, ...extraArgs] });

// One chat completion; resolves with what the client saw (never rejects).
async function chat(base, key, { model = 'frontier-x', content, maxTokens = MAX_TOKENS, stream = false, timeoutMs = 60_000 } = {}) {
  const body = { model, messages: [{ role: 'user', content }], max_tokens: maxTokens };
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
    return { status: 0, error: e, at: performance.now() };  // no answer: refused, reset or timed out
  }
  const out = { status: res.status, headers: res.headers, text, at: performance.now(), wall: Date.now() };
  if (stream && res.status === 200) {
    const events = parseSse(text);
    const chunks = events.filter((e) => e !== '[DONE]');
    assert.equal(events.at(-1), '[DONE]', text);
    out.json = { id: chunks[0].id, usage: chunks.find((c) => c.usage)?.usage ?? null };
  } else {
    out.json = JSON.parse(text);
  }
  return out;
}

const ledgerRows = (db) => sqliteRows(db, 'SELECT * FROM requests');

function report(db, extra = []) {
  const r = run(['report', '--since', '1d', '--db', db, '--json', ...extra]);
  return JSON.parse(r.stdout);
}

const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
const near = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits (at most marginMs) so that a burst of about marginMs does not cross
// the end of a fixed UTC window of `periodMs`.
async function awayFromWindowEnd(periodMs, marginMs) {
  const left = periodMs - (Date.now() % periodMs);
  if (left < marginMs) await sleep(left + 200);
}
const nextWindowStart = (periodMs) => Math.floor(Date.now() / periodMs) * periodMs + periodMs;
const utcSeconds = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// Checks a refused request: 429 in the OpenAI error shape, Retry-After, and a
// message naming the limit and its reset time.
function assertRefused(r, { code, limitText, resetMs }) {
  assert.equal(r.status, 429, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['error']);
  assert.deepEqual(Object.keys(r.json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(r.json.error.type, 'rate_limit_error');
  assert.equal(r.json.error.code, code);
  assert.ok(r.json.error.message.includes(limitText), r.json.error.message);
  assert.ok(r.json.error.message.includes(`resets at ${utcSeconds(resetMs)}`), r.json.error.message);
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After ${r.headers.get('retry-after')}`);
  const expected = Math.ceil((resetMs - r.wall) / 1000);
  assert.ok(Math.abs(retry - expected) <= 5, `Retry-After ${retry}, reset in ${expected} s`);
}

// Every 200 has a unique id and a ledger row; the ledger has exactly one row
// per response.
function assertOneRowPerResponse(results, rows) {
  const lost = results.filter((r) => r.status === 0).map((r) => `${r.error?.name}: ${r.error?.message} (${r.error?.cause?.code ?? r.error?.cause?.message ?? ''})`);
  assert.deepEqual(lost, [], 'requests without an HTTP answer');
  const ok = results.filter((r) => r.status === 200);
  const ids = ok.map((r) => r.json.id);
  assert.equal(new Set(ids).size, ids.length, 'response ids are not unique');
  assert.equal(new Set(rows.map((r) => r.request_id)).size, rows.length);
  assert.equal(rows.length, results.length, 'ledger rows != responses');
  const byId = new Map(rows.map((r) => [r.request_id, r]));
  for (const id of ids) {
    assert.ok(byId.has(id), `no ledger row for ${id}`);
    assert.equal(byId.get(id).http_status, 200);
  }
  for (const s of new Set(results.map((r) => r.status))) {
    assert.equal(rows.filter((r) => r.http_status === s).length, results.filter((r) => r.status === s).length, `status ${s}`);
  }
  return byId;
}

// A minimal Redis client (RESP2) for inspecting and deleting the test's counters.
async function redisCommand(url, ...args) {
  const u = new URL(url);
  const sock = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
  await new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const encode = (parts) => `*${parts.length}\r\n` + parts.map((p) => `$${Buffer.byteLength(String(p))}\r\n${p}\r\n`).join('');
  let buf = Buffer.alloc(0);
  const parse = (i) => {
    const end = buf.indexOf('\r\n', i);
    if (end < 0) return null;
    const type = String.fromCharCode(buf[i]);
    const line = buf.toString('utf8', i + 1, end);
    if (type === '+' || type === ':') return { value: type === ':' ? Number(line) : line, next: end + 2 };
    if (type === '-') return { value: new Error(line), next: end + 2 };
    if (type === '$') {
      const n = Number(line);
      if (n < 0) return { value: null, next: end + 2 };
      if (buf.length < end + 2 + n + 2) return null;
      return { value: buf.toString('utf8', end + 2, end + 2 + n), next: end + 2 + n + 2 };
    }
    if (type === '*') {
      const n = Number(line);
      const out = [];
      let at = end + 2;
      for (let k = 0; k < n; k++) {
        const item = parse(at);
        if (!item) return null;
        out.push(item.value);
        at = item.next;
      }
      return { value: out, next: at };
    }
    throw new Error(`unexpected RESP type ${type}`);
  };
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis: no reply in 5 s')), 5000);
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        const r = parse(0);
        if (r) {
          clearTimeout(timer);
          r.value instanceof Error ? reject(r.value) : resolve(r.value);
        }
      });
      sock.on('error', reject);
      sock.write(encode(args));
    });
  } finally {
    sock.destroy();
  }
}

async function redisKeys(url, pattern) {
  const keys = [];
  let cursor = '0';
  for (let i = 0; i < 1000; i++) {
    const [next, batch] = await redisCommand(url, 'SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
    if (cursor === '0') break;
  }
  return keys;
}

// ---------------------------------------------------------------- tests

test('a usd_per_day budget holds under 200 concurrent requests', async (t) => {
  await awayFromWindowEnd(86_400_000, 60_000);
  const dir = tempDir('budget');
  // completion tokens vary between 10 and 20, so settling releases part of each reservation
  const up = await startFakeUpstream({
    usage: (body, n) => ({ prompt_tokens: PROMPT_TOKENS, completion_tokens: 10 + ((n * 7) % 11) }),
    delayMs: (body, n) => 20 + ((n * 37) % 180),
  });
  t.after(() => up.close());
  const k = createKey(dir, 'budget-team');
  const budget = 0.25;  // 50 requests at their maximum
  const file = writeConfig(dir, {
    models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)],
    budgets: { keys: { [k.id]: { usd_per_day: budget } } },
  });
  const server = await serve(file);
  t.after(() => server.stop());
  const results = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      await sleep((i * 13) % 600);  // staggered over 0.6 s, so settles and new reservations interleave
      return chat(server.base, k.key, { content: prompt40(i) });
    }),
  );
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const statuses = results.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 200 || s === 429), `unexpected statuses: ${[...new Set(statuses)]}`);
  const ok = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 429);
  assert.ok(ok.length >= 10 && refused.length >= 10, `${ok.length} answered, ${refused.length} refused`);
  assert.equal(up.requests, ok.length, 'refused requests must not reach the upstream');
  const midnight = nextWindowStart(86_400_000);
  for (const r of refused) {
    assertRefused(r, { code: 'budget_exhausted', limitText: `key '${k.id}' budget of 0.25 USD per day`, resetMs: midnight });
  }

  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  const byId = assertOneRowPerResponse(results, rows);
  const settled = sum(rows, (r) => r.cost_usd);
  const answered = sum(ok, (r) => costOf(FRONTIER_PRICE, r.json.usage.prompt_tokens, r.json.usage.completion_tokens));
  assert.ok(near(settled, answered), `ledger ${settled} != answers ${answered}`);
  for (const r of ok) {
    const row = byId.get(r.json.id);
    assert.equal(row.output_tokens, r.json.usage.completion_tokens);
    assert.equal(row.tier, 'frontier');
  }
  assert.ok(settled <= budget + MAX_COST + 1e-9, `settled ${settled} USD > budget ${budget} + ${MAX_COST}`);
  const rep = report(path.join(dir, 'ledger.db'));
  assert.equal(rep.requests, 200);
  assert.ok(near(rep.cost_usd, settled), `report ${rep.cost_usd} != ledger ${settled}`);
  process.stderr.write(`# usd_per_day ${budget}: ${ok.length} answered, ${refused.length} refused, settled ${settled.toFixed(6)} USD, ` +
    `upstream peak concurrency ${up.maxInFlight}\n`);
});

test('requests_per_minute and tokens_per_minute let exactly the allowed number through', async (t) => {
  await awayFromWindowEnd(60_000, 15_000);
  const dir = tempDir('rate');
  // every request uses exactly what it reserves: 10 prompt + 20 output tokens
  const up = await startFakeUpstream({
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS },
    delayMs: (body, n) => 10 + (n % 50),
  });
  t.after(() => up.close());
  const byRequests = createKey(dir, 'rate-team-a');
  const byTokens = createKey(dir, 'rate-team-b');
  const file = writeConfig(dir, {
    models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)],
    budgets: {
      keys: {
        [byRequests.id]: { requests_per_minute: 25 },
        [byTokens.id]: { tokens_per_minute: 300 },  // 10 requests of 30 tokens
      },
    },
  });
  const server = await serve(file);
  t.after(() => server.stop());
  const [a, b] = await Promise.all([
    Promise.all(Array.from({ length: 80 }, (_, i) => chat(server.base, byRequests.key, { content: prompt40(i) }))),
    Promise.all(Array.from({ length: 80 }, (_, i) => chat(server.base, byTokens.key, { content: prompt40(i) }))),
  ]);
  const after = await chat(server.base, byTokens.key, { content: prompt40(999) });
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const minute = nextWindowStart(60_000);
  const count = (rs, s) => rs.filter((r) => r.status === s).length;
  assert.equal(count(a, 200), 25, `requests_per_minute 25: ${count(a, 200)} answered`);
  assert.equal(count(a, 429), 55);
  assert.equal(count(b, 200), 10, `tokens_per_minute 300: ${count(b, 200)} answered`);
  assert.equal(count(b, 429), 70);
  assert.equal(up.requests, 35);
  for (const r of a.filter((r) => r.status === 429)) {
    assertRefused(r, { code: 'rate_limit_exceeded', limitText: `key '${byRequests.id}' limit of 25 requests per minute`, resetMs: minute });
  }
  for (const r of [...b.filter((r) => r.status === 429), after]) {
    assertRefused(r, { code: 'rate_limit_exceeded', limitText: `key '${byTokens.id}' limit of 300 tokens per minute`, resetMs: minute });
  }
  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  assertOneRowPerResponse([...a, ...b, after], rows);
  assert.equal(sum(rows.filter((r) => r.key_id === byTokens.id), (r) => r.input_tokens + r.output_tokens), 300);
});

test('embeddings are held to the budgets: requests_per_minute refuses the ones over it, in the ledger', async (t) => {
  await awayFromWindowEnd(60_000, 15_000);
  const dir = tempDir('embed-rate');
  const up = await startFakeUpstream();
  t.after(() => up.close());
  const k = createKey(dir, 'embed-team');
  const file = writeConfig(dir, {
    models: [{ ...slmModel(), embedding: true }, remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)],
    budgets: { keys: { [k.id]: { requests_per_minute: 4 } } },
  });
  const server = await serve(file);
  t.after(() => server.stop());
  const results = [];
  for (let i = 0; i < 7; i++) {
    const res = await fetch(server.base + '/v1/embeddings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k.key}` },
      body: JSON.stringify({ model: STORIES, input: [`text number ${i}`, 'another'] }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    results.push({ status: res.status, headers: res.headers, text, json: JSON.parse(text), wall: Date.now() });
  }
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const minute = nextWindowStart(60_000);
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 429, 429, 429]);
  for (const r of results.slice(0, 4)) assert.equal(r.json.data.length, 2, r.text);
  for (const r of results.slice(4)) {
    assertRefused(r, { code: 'rate_limit_exceeded', limitText: `key '${k.id}' limit of 4 requests per minute`, resetMs: minute });
  }
  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  assert.equal(rows.length, 7);
  assert.deepEqual(rows.map((r) => r.http_status).sort(), [200, 200, 200, 200, 429, 429, 429]);
  for (const r of rows) assert.equal(r.key_id, k.id);
});

test('on_usd_exhausted: degrade_to_slm serves `auto` from the SLM once the budget is spent', async (t) => {
  await awayFromWindowEnd(86_400_000, 60_000);
  const dir = tempDir('degrade');
  const up = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  t.after(() => up.close());
  const k = createKey(dir, 'degrade-team');
  const file = writeConfig(dir, {
    models: [slmModel(), remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)],
    defaultModel: 'frontier-x',
    // two requests at 0.005 fit; the third would exceed 0.012
    budgets: { keys: { [k.id]: { usd_per_day: 0.012, on_usd_exhausted: 'degrade_to_slm' } } },
  });
  const server = await serve(file);
  t.after(() => server.stop());
  const results = [];
  for (let i = 0; i < 4; i++) {
    results.push(await chat(server.base, k.key, { model: 'auto', content: prompt40(i), stream: i % 2 === 1 }));
  }
  // once degraded, a burst is served by the SLM as well
  results.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => chat(server.base, k.key, { model: 'auto', content: prompt40(100 + i) })))));
  const metrics = parseMetrics(await (await fetch(server.base + '/metrics')).text());
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  for (const r of results) assert.equal(r.status, 200, r.text);
  const tiers = results.map((r) => r.headers.get('x-tiergate-tier'));
  assert.deepEqual(tiers, ['frontier', 'frontier', ...Array(14).fill('slm')]);
  for (const r of results.slice(2)) assert.equal(r.headers.get('x-tiergate-model'), STORIES);
  assert.equal(up.requests, 2);
  assert.equal(metricValue(metrics, 'tiergate_budget_degradations_total', { scope: 'key', limit: 'usd_per_day' }), 14);
  assert.equal(metricValue(metrics, 'tiergate_budget_rejections_total', {}), 0);
  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  const byId = assertOneRowPerResponse(results, rows);
  for (const [i, r] of results.entries()) {
    const row = byId.get(r.json.id);
    if (i < 2) {
      assert.equal(row.tier, 'frontier');
      assert.ok(near(row.cost_usd, MAX_COST));
    } else {
      assert.equal(row.tier, 'slm');
      assert.equal(row.model, STORIES);
      assert.equal(row.cost_usd, 0);
    }
  }
});

test('Redis counters hold one budget across two tiergate processes', { skip: !process.env.TIERGATE_TEST_REDIS_URL && 'TIERGATE_TEST_REDIS_URL is not set (scripts/services.sh starts Redis)' }, async (t) => {
  await awayFromWindowEnd(86_400_000, 60_000);
  const redis = process.env.TIERGATE_TEST_REDIS_URL;
  const dir = tempDir('redis');
  const up = await startFakeUpstream({
    usage: (body, n) => ({ prompt_tokens: PROMPT_TOKENS, completion_tokens: 12 + (n % 9) }),
    delayMs: (body, n) => 20 + ((n * 31) % 120),
  });
  t.after(() => up.close());
  // a new key id per run: its counters (tg:budget:key:<id>:...) are fresh
  const k = createKey(dir, `redis-team-${process.pid}-${Date.now()}`);
  const budget = 0.1;  // 20 requests at their maximum; each process alone would admit 20
  const common = {
    models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)],
    budgets: { keys: { [k.id]: { usd_per_day: budget } }, redis },
  };
  const files = [
    writeConfig(dir, { ...common, ledger: 'sqlite:ledger-a.db', name: 'a' }),
    writeConfig(dir, { ...common, ledger: 'sqlite:ledger-b.db', name: 'b' }),
  ];
  t.after(async () => {
    const keys = await redisKeys(redis, `tg:budget:*:${k.id}:*`);
    if (keys.length) await redisCommand(redis, 'DEL', ...keys);
  });
  const servers = [];
  for (const f of files) {
    const s = await serve(f);
    t.after(() => s.stop());
    servers.push(s);
  }
  const results = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      await sleep((i * 7) % 400);
      const r = await chat(servers[i % 2].base, k.key, { content: prompt40(i) });
      return { ...r, server: i % 2 };
    }),
  );
  const counterName = `tg:budget:key:${k.id}:usd_per_day:${Math.floor(Date.now() / 86_400_000) * 86_400_000}`;
  const counter = Number(await redisCommand(redis, 'GET', counterName));
  for (const s of servers) assert.deepEqual(await s.stop(), { code: 0, signal: null });
  for (const r of results) assert.ok(r.status === 200 || r.status === 429, `status ${r.status} ${r.text ?? r.error}`);
  const ok = results.filter((r) => r.status === 200);
  const perServer = [0, 1].map((s) => ok.filter((r) => r.server === s).length);
  assert.ok(perServer[0] > 0 && perServer[1] > 0, `answered per process: ${perServer}`);
  const rows = [...ledgerRows(path.join(dir, 'ledger-a.db')), ...ledgerRows(path.join(dir, 'ledger-b.db'))];
  assertOneRowPerResponse(results, rows);
  const settled = sum(rows, (r) => r.cost_usd);
  assert.ok(settled <= budget + MAX_COST + 1e-9, `settled ${settled} USD across both > budget ${budget} + ${MAX_COST}`);
  // the shared counter holds exactly the settled micro-dollars (each request rounded up)
  const micro = sum(rows, (r) => Math.ceil(r.cost_usd * 1e6 - 1e-6));
  assert.equal(counter, micro, `redis counter ${counter} != settled ${micro} micro-USD`);
  process.stderr.write(`# redis usd_per_day ${budget}: answered ${perServer.join(' + ')}, settled ${settled.toFixed(6)} USD\n`);
});

// Runs chat requests from `workers` loops until stop() or the bounds; returns
// every outcome with its completion time.
function loadLoop(base, key, { workers = 24, maxRequests = 5000, maxMs = 15_000 } = {}) {
  const results = [];
  let stopped = false;
  let n = 0;
  const t0 = performance.now();
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stopped && n < maxRequests && performance.now() - t0 < maxMs) {
        const i = n++;
        const r = await chat(base, key, { content: prompt40(i), stream: i % 3 === 0, timeoutMs: 20_000 });
        results.push(r);
        if (r.status === 0) break;  // the server is gone
      }
    }),
  );
  return { results, stop: () => (stopped = true), done };
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

test('SIGTERM under load: the drain ends, and every answered request is in the ledger', async (t) => {
  const dir = tempDir('sigterm');
  const up = await startFakeUpstream({ delayMs: (body, n) => 5 + (n % 20) });
  t.after(() => up.close());
  const k = createKey(dir, 'durability');
  const file = writeConfig(dir, { models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)], groupCommitMs: 400 });
  const drainMs = 5000;
  const server = await serve(file, ['--drain-ms', String(drainMs)]);
  t.after(() => server.stop());
  const load = loadLoop(server.base, k.key);
  await sleep(2000);
  const signalledAt = performance.now();
  server.proc.kill('SIGTERM');
  const exit = await waitExit(server);
  const exitMs = performance.now() - signalledAt;
  load.stop();
  await load.done;
  assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
  // clients on keep-alive connections keep sending: the drain still ends once the requests in flight are answered
  assert.ok(exitMs < drainMs, `exit ${exitMs.toFixed(0)} ms after SIGTERM; the drain window is ${drainMs} ms`);
  assert.doesNotMatch(server.stderr(), /still running at shutdown/);
  const ok = load.results.filter((r) => r.status === 200);
  assert.ok(ok.length >= 20, `only ${ok.length} answered before SIGTERM`);
  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  const ids = new Set(rows.map((r) => r.request_id));
  const missing = ok.filter((r) => !ids.has(r.json.id));
  assert.equal(missing.length, 0, `${missing.length} of ${ok.length} answered requests have no ledger row`);
  for (const r of load.results.filter((r) => r.status !== 0)) assert.equal(r.status, 200, r.text);
  process.stderr.write(`# SIGTERM: exit after ${exitMs.toFixed(0)} ms, ${ok.length} answered, ${rows.length} recorded, 0 lost\n`);
});

test('SIGTERM past the drain window: calls still waiting on their upstream are recorded as cut by the shutdown', async (t) => {
  const dir = tempDir('cut');
  const up = await startFakeUpstream({ delayMs: 15_000 });
  t.after(() => up.close());
  const k = createKey(dir, 'cut');
  const file = writeConfig(dir, { models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)] });
  const server = await serve(file, ['--drain-ms', '300']);
  t.after(() => server.stop());
  const calls = [false, true, false].map((stream, i) => chat(server.base, k.key, { content: prompt40(i), stream }));
  for (let i = 0; i < 100 && up.requests < calls.length; i++) await sleep(50);
  assert.equal(up.requests, calls.length, 'the calls did not reach the upstream');
  server.proc.kill('SIGTERM');
  const exit = await waitExit(server);
  assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
  assert.match(server.stderr(), /3 requests still running at shutdown/);
  const seen = await Promise.all(calls);
  for (const r of seen) assert.notEqual(r.status, 200, r.text);
  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  assert.equal(rows.length, calls.length, JSON.stringify(rows));
  for (const r of rows) {
    assert.equal(r.http_status, 503, JSON.stringify(r));
    assert.equal(r.error_code, 'shutdown', JSON.stringify(r));
    assert.equal(r.model, 'frontier-x');
    assert.equal(r.attempt_count, 1);
  }
});

test('kill -9 under load loses at most the group-commit window; a restart keeps recording', async (t) => {
  const dir = tempDir('kill');
  const groupCommitMs = 1000;
  const slackMs = 1000;  // one batch write plus scheduling on a loaded machine
  const up = await startFakeUpstream({ delayMs: (body, n) => 5 + (n % 20) });
  t.after(() => up.close());
  const k = createKey(dir, 'durability');
  const file = writeConfig(dir, { models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)], groupCommitMs });
  const server = await serve(file);
  t.after(() => server.stop());
  const load = loadLoop(server.base, k.key);
  await sleep(3500);
  const killedAt = performance.now();
  server.proc.kill('SIGKILL');
  const exit = await waitExit(server);
  load.stop();
  await load.done;
  assert.equal(exit?.signal, 'SIGKILL');
  const answered = load.results.filter((r) => r.status === 200);
  assert.ok(answered.length >= 30, `only ${answered.length} answered before the kill`);

  // restart on the same ledger: it opens, and records new requests
  const again = await serve(file);
  t.after(() => again.stop());
  const more = [];
  for (let i = 0; i < 5; i++) more.push(await chat(again.base, k.key, { content: prompt40(10_000 + i) }));
  assert.deepEqual(await again.stop(), { code: 0, signal: null });
  for (const r of more) assert.equal(r.status, 200, r.text);
  const rows = ledgerRows(path.join(dir, 'ledger.db'));
  const ids = new Set(rows.map((r) => r.request_id));
  for (const r of more) assert.ok(ids.has(r.json.id), 'a request after the restart is not recorded');
  const lost = answered.filter((r) => !ids.has(r.json.id));
  const oldestLostMs = lost.length ? killedAt - Math.min(...lost.map((r) => r.at)) : 0;
  const inWindow = answered.filter((r) => r.at >= killedAt - groupCommitMs - slackMs).length;
  const rate = answered.length / ((killedAt - Math.min(...answered.map((r) => r.at))) / 1000);
  process.stderr.write(`# kill -9 (group_commit_ms ${groupCommitMs}): ${answered.length} answered, ${lost.length} lost ` +
    `(${((100 * lost.length) / answered.length).toFixed(1)}%), oldest lost answered ${oldestLostMs.toFixed(0)} ms before the kill, ` +
    `~${rate.toFixed(0)} answers/s\n`);
  // only requests answered within the window may be missing
  assert.ok(oldestLostMs <= groupCommitMs + slackMs, `a request answered ${oldestLostMs.toFixed(0)} ms before the kill was lost`);
  assert.ok(lost.length <= inWindow);
  assert.equal(rows.length, new Set(rows.map((r) => r.request_id)).size);
});

// Prometheus text format: { name -> [{ labels, value }] } and the declared types.
function parseMetrics(text) {
  const samples = new Map();
  const types = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let m = line.match(/^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/);
    if (m) {
      types.set(m[1], m[2]);
      continue;
    }
    if (line.startsWith('#')) continue;
    m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = {};
    if (m[2]) {
      for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    }
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    assert.ok(!Number.isNaN(value), line);
    if (!samples.has(m[1])) samples.set(m[1], []);
    samples.get(m[1]).push({ labels, value });
  }
  return { samples, types };
}

// Sum of the samples of `name` whose labels include `where`.
function metricValue(metrics, name, where) {
  const rows = metrics.samples.get(name) ?? [];
  return rows.filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

test('GET /metrics and tiergate report agree with the traffic and the ledger', async (t) => {
  await awayFromWindowEnd(60_000, 20_000);
  const dir = tempDir('metrics');
  const delayMs = 30;
  const up = await startFakeUpstream({ delayMs });
  t.after(() => up.close());  // usage: ceil(prompt bytes / 4) in, max_tokens out
  const k = createKey(dir, 'metrics-team');
  const limited = createKey(dir, 'metrics-limited');
  const file = writeConfig(dir, {
    models: [slmModel(), remoteModel('mid-x', 'mid', MID_PRICE, up), remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)],
    budgets: { keys: { [limited.id]: { requests_per_minute: 3 } } },
    groupCommitMs: 100,
  });
  const server = await serve(file);
  t.after(() => server.stop());
  const results = [];
  // 12 to mid (not streamed), 8 to frontier (streamed), 6 to the SLM, 10 with the limited key (3 pass)
  results.push(...(await Promise.all(Array.from({ length: 12 }, (_, i) => chat(server.base, k.key, { model: 'mid-x', content: prompt40(i) })))));
  results.push(...(await Promise.all(Array.from({ length: 8 }, (_, i) => chat(server.base, k.key, { content: prompt40(i), stream: true })))));
  for (let i = 0; i < 6; i++) results.push(await chat(server.base, k.key, { model: STORIES, content: 'Once upon a time', maxTokens: 8 }));
  for (let i = 0; i < 10; i++) results.push(await chat(server.base, limited.key, { model: 'mid-x', content: prompt40(i) }));
  await sleep(600);  // a few group commits: the queue is empty, everything written
  const metrics = parseMetrics(await (await fetch(server.base + '/metrics')).text());
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const db = path.join(dir, 'ledger.db');
  const rows = ledgerRows(db);
  assertOneRowPerResponse(results, rows);
  const ok = results.filter((r) => r.status === 200);
  assert.equal(ok.length, 29);
  assert.equal(results.filter((r) => r.status === 429).length, 7);

  // types
  for (const [name, type] of [
    ['tiergate_requests_total', 'counter'], ['tiergate_tokens_total', 'counter'], ['tiergate_cost_usd_total', 'counter'],
    ['tiergate_counterfactual_cost_usd_total', 'counter'], ['tiergate_savings_usd_total', 'counter'],
    ['tiergate_request_duration_seconds', 'histogram'], ['tiergate_time_to_first_token_seconds', 'histogram'],
    ['tiergate_budget_rejections_total', 'counter'], ['tiergate_ledger_queue_depth', 'gauge'],
    ['tiergate_ledger_records_written_total', 'counter'],
  ]) {
    assert.equal(metrics.types.get(name), type, name);
  }

  // requests by tier, model, route and status
  const req = (labels) => metricValue(metrics, 'tiergate_requests_total', labels);
  assert.equal(req({ tier: 'mid', model: 'mid-x', route: 'pinned', status: '200' }), 15);
  assert.equal(req({ tier: 'mid', model: 'mid-x', route: 'budget', status: '429' }), 7);
  assert.equal(req({ tier: 'frontier', model: 'frontier-x', route: 'pinned', status: '200' }), 8);
  assert.equal(req({ tier: 'slm', model: STORIES, route: 'pinned', status: '200' }), 6);
  assert.equal(req({}), results.length);

  // tokens, cost, counterfactual and savings per tier and model, from what the client was told
  const usageOf = (model) => ok.filter((r) => r.headers.get('x-tiergate-model') === model).map((r) => r.json.usage);
  for (const [tier, model, price] of [['mid', 'mid-x', MID_PRICE], ['frontier', 'frontier-x', FRONTIER_PRICE], ['slm', STORIES, { input_per_mtok: 0, output_per_mtok: 0 }]]) {
    const usage = usageOf(model);
    const inTok = sum(usage, (u) => u.prompt_tokens);
    const outTok = sum(usage, (u) => u.completion_tokens);
    assert.ok(inTok > 0 && outTok > 0, model);
    assert.equal(metricValue(metrics, 'tiergate_tokens_total', { tier, model, direction: 'input' }), inTok, `${model} input tokens`);
    assert.equal(metricValue(metrics, 'tiergate_tokens_total', { tier, model, direction: 'output' }), outTok, `${model} output tokens`);
    const cost = costOf(price, inTok, outTok);
    const cf = costOf(FRONTIER_PRICE, inTok, outTok);
    assert.ok(near(metricValue(metrics, 'tiergate_cost_usd_total', { tier, model }), cost, 1e-6), `${model} cost`);
    assert.ok(near(metricValue(metrics, 'tiergate_counterfactual_cost_usd_total', { tier, model }), cf, 1e-6), `${model} counterfactual`);
    assert.ok(near(metricValue(metrics, 'tiergate_savings_usd_total', { tier, model }), cf - cost, 1e-6), `${model} savings`);
  }
  assert.ok(metricValue(metrics, 'tiergate_savings_usd_total', { tier: 'frontier' }) === 0);

  // latency histograms: per label set, count = requests, cumulative buckets, sum >= the upstream delay
  const hist = (name, labels) => {
    const buckets = (metrics.samples.get(`${name}_bucket`) ?? [])
      .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value }))
      .sort((a, b) => a.le - b.le);
    return { buckets, count: metricValue(metrics, `${name}_count`, labels), sum: metricValue(metrics, `${name}_sum`, labels) };
  };
  for (const [labels, n, remote] of [
    [{ tier: 'mid', model: 'mid-x', route: 'pinned', status: '200' }, 15, true],
    [{ tier: 'frontier', model: 'frontier-x', route: 'pinned', status: '200' }, 8, true],
    [{ tier: 'slm', model: STORIES, route: 'pinned', status: '200' }, 6, false],
    [{ tier: 'mid', model: 'mid-x', route: 'budget', status: '429' }, 7, false],
  ]) {
    const h = hist('tiergate_request_duration_seconds', labels);
    assert.equal(h.count, n, JSON.stringify(labels));
    assert.equal(h.buckets.at(-1).le, Infinity);
    assert.equal(h.buckets.at(-1).value, n);
    for (let i = 1; i < h.buckets.length; i++) assert.ok(h.buckets[i].value >= h.buckets[i - 1].value);
    if (remote) {
      assert.ok(h.sum >= (n * delayMs) / 1000, `latency sum ${h.sum} s < ${n} x ${delayMs} ms`);
      assert.equal(h.buckets.find((b) => b.le === 0.025).value, 0, 'a request faster than the upstream delay');
    }
  }
  // TTFT: one observation per request that produced a token, as in the ledger
  for (const [tier, model] of [['mid', 'mid-x'], ['frontier', 'frontier-x'], ['slm', STORIES]]) {
    const streamed = rows.filter((r) => r.model === model && r.ttft_ms > 0).length;
    assert.ok(streamed > 0);
    assert.equal(hist('tiergate_time_to_first_token_seconds', { tier, model }).count, streamed, `${model} ttft count`);
  }
  assert.equal(hist('tiergate_time_to_first_token_seconds', { tier: 'frontier', model: 'frontier-x' }).count, 8);
  // budget rejections and the ledger
  assert.equal(metricValue(metrics, 'tiergate_budget_rejections_total', { scope: 'key', limit: 'requests_per_minute' }), 7);
  assert.equal(metricValue(metrics, 'tiergate_ledger_queue_depth', {}), 0);
  assert.equal(metricValue(metrics, 'tiergate_ledger_records_written_total', {}), results.length);
  assert.equal(metricValue(metrics, 'tiergate_ledger_write_errors_total', {}), 0);

  // metrics and ledger agree on cost
  assert.ok(near(metricValue(metrics, 'tiergate_cost_usd_total', {}), sum(rows, (r) => r.cost_usd), 1e-6));

  // tiergate report --json and --html over the same traffic
  const html = path.join(dir, 'report.html');
  const rep = report(db, ['--html', html]);
  assert.equal(rep.requests, rows.length);
  assert.equal(rep.errors, 7);
  assert.ok(near(rep.cost_usd, sum(rows, (r) => r.cost_usd)));
  assert.ok(near(rep.counterfactual_cost_usd, sum(rows, (r) => r.counterfactual_cost_usd)));
  assert.ok(near(rep.savings_usd, rep.counterfactual_cost_usd - rep.cost_usd));
  assert.ok(rep.savings_usd > 0);
  const page = fs.readFileSync(html, 'utf8');
  assert.match(page, /^<!DOCTYPE html>/);
  assert.ok((page.match(/<svg /g) ?? []).length >= 2, 'charts missing');
  for (const t of rep.tiers) {
    const mine = rows.filter((r) => r.tier === t.tier);
    assert.equal(t.requests, mine.length, t.tier);
    assert.ok(near(t.cost_usd, sum(mine, (r) => r.cost_usd)), `${t.tier} cost`);
    assert.ok(near(t.counterfactual_cost_usd, sum(mine, (r) => r.counterfactual_cost_usd)), `${t.tier} baseline`);
    assert.equal(t.input_tokens, sum(mine, (r) => r.input_tokens));
    assert.ok(near(t.share, mine.length / rows.length));
    // and the same in the metrics
    assert.ok(near(metricValue(metrics, 'tiergate_cost_usd_total', { tier: t.tier }), t.cost_usd, 1e-6), `${t.tier} metrics cost`);
    assert.ok(near(metricValue(metrics, 'tiergate_savings_usd_total', { tier: t.tier }), t.counterfactual_cost_usd - t.cost_usd, 1e-6));
    const cell = `<tr><td>${t.tier}</td><td>${t.requests}</td><td>${(t.share * 100).toFixed(1)}%</td><td>$${t.cost_usd.toFixed(4)}</td><td>$${t.counterfactual_cost_usd.toFixed(4)}</td>`;
    assert.ok(page.includes(cell), `HTML has no row ${cell}`);
  }
  assert.ok(page.includes(`$${rep.savings_usd.toFixed(2)}`));
});

test('tiergate serve records requests into PostgreSQL', { skip: !process.env.TIERGATE_TEST_PG_URL && 'TIERGATE_TEST_PG_URL is not set (scripts/services.sh starts PostgreSQL)' }, async (t) => {
  const pg = process.env.TIERGATE_TEST_PG_URL;
  const dir = tempDir('pg');
  const up = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  t.after(() => up.close());
  const k = createKey(dir, 'pg-team');
  const file = writeConfig(dir, { models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)], ledger: pg, groupCommitMs: 100 });
  const server = await serve(file);
  t.after(() => server.stop());
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(server.base, k.key, { content: prompt40(i), stream: i % 2 === 0 })));
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  for (const r of results) assert.equal(r.status, 200, r.text);
  const ids = results.map((r) => r.json.id);
  const q = spawnSync('psql', [pg, '-At', '-F', '\t', '-c',
    `SELECT r.request_id, r.key_id, r.tier, r.cost_usd, r.input_tokens, r.output_tokens, r.http_status, count(a.attempt)
       FROM requests r JOIN attempts a USING (request_id)
      WHERE r.key_id = '${k.id}' GROUP BY r.request_id`], { encoding: 'utf8' });
  assert.equal(q.status, 0, q.stderr);
  const got = q.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(got.map((c) => c[0]).sort(), [...ids].sort());
  for (const c of got) {
    assert.deepEqual(c.slice(1, 3), [k.id, 'frontier']);
    assert.ok(near(Number(c[3]), MAX_COST));
    assert.deepEqual(c.slice(4).map(Number), [PROMPT_TOKENS, MAX_TOKENS, 200, 1]);
  }
  const rep = report(pg);
  assert.ok(rep.requests >= 20);
});

test('two tiergate processes starting together on a new PostgreSQL database apply each migration once', { skip: !process.env.TIERGATE_TEST_PG_URL && 'TIERGATE_TEST_PG_URL is not set (scripts/services.sh starts PostgreSQL)' }, async (t) => {
  const pg = process.env.TIERGATE_TEST_PG_URL;
  const psql = (url, sql) => {
    const q = spawnSync('psql', [url, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    return q.stdout.trim();
  };
  const name = `tiergate_migrate_${process.pid}_${Date.now()}`;
  psql(pg, `CREATE DATABASE ${name}`);
  t.after(() => psql(pg, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(pg);
  url.pathname = `/${name}`;
  const dir = tempDir('pg-migrate');
  const up = await startFakeUpstream({ usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: MAX_TOKENS } });
  t.after(() => up.close());
  const k = createKey(dir, 'pg-team');
  const files = ['a', 'b'].map((n) =>
    writeConfig(dir, { models: [remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, up)], ledger: url.href, name: n }));
  const servers = await Promise.all(files.map((f) => serve(f)));
  for (const s of servers) t.after(() => s.stop());
  const results = await Promise.all(servers.map((s, i) => chat(s.base, k.key, { content: prompt40(i) })));
  for (const s of servers) assert.deepEqual(await s.stop(), { code: 0, signal: null });
  for (const r of results) assert.equal(r.status, 200, r.text);
  // Every migration once: the versions are 1..N with no gap and no repeat.
  const versions = psql(url.href, 'SELECT version FROM schema_version ORDER BY version').split('\n').map(Number);
  assert.ok(versions.length >= 3, versions.join(','));
  assert.deepEqual(versions, versions.map((_, i) => i + 1));
  assert.equal(Number(psql(url.href, 'SELECT count(*) FROM requests')), 2);
});
