// Deployment pools (src/fleet, docs/fleet.md) on the real binary: one model
// entry served by several scripted OpenAI-compatible upstreams
// (lib/fake_upstream.mjs) and the local model. Each test counts what every
// upstream received and checks it against the answers, the ledger, the admin
// models view and /metrics: the weighted spread; RPM, TPM and concurrency
// limits (429 deployments_limited); failover inside the pool before any
// content reached the client, and no second answer after it did; a client
// that leaves; the cooldown after a 429; a circuit breaker per deployment;
// the least_busy and latency strategies and prefix affinity; a local
// deployment answering as itself; active health checks (503
// deployments_unavailable); GET /ready while draining; config errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { get, modelDir, parseSse, pool, post, startServer, STORIES } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { sqliteRows } from './lib/ledger.mjs';
import { createKey, runTiergate, writeConfigFile } from './lib/config.mjs';

// ---------------------------------------------------------------- helpers

const MID_PRICE = { input_per_mtok: 1, output_per_mtok: 2 };
const SLM_PRICE = { input_per_mtok: 0.5, output_per_mtok: 0.25 };
const costOf = (price, inTok, outTok) => (inTok * price.input_per_mtok + outTok * price.output_per_mtok) / 1e6;
const near = (a, b) => Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cleanups = [];
after(async () => {
  for (const f of cleanups.reverse()) await f();
});

function tempDir(name) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `tiergate-fleet-${name}-`));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

async function upstream(options) {
  const up = await startFakeUpstream(options);
  cleanups.push(() => up.close());
  return up;
}

const slmModel = () => ({
  name: STORIES,
  provider: 'local',
  tier: 'slm',
  path: path.join(modelDir, `${STORIES}.gguf`),
  price: SLM_PRICE,
  parallel: 2,
  ctx: 256,
  threads: 1,
});

// A remote model served by a pool; no retries inside a deployment, so every
// call a deployment takes is one upstream request.
const pooled = (name, deployments, balancing, extra = {}) => ({
  name,
  provider: 'openai_compatible',
  tier: 'mid',
  price: MID_PRICE,
  timeouts: { connect_ms: 2000, first_byte_ms: 10000, idle_ms: 10000, total_ms: 20000 },
  retries: { max_attempts: 1, base_backoff_ms: 10 },
  deployments,
  balancing,
  ...extra,
});

// Writes (and checks) the config in `dir` and starts the gateway on it.
async function serve(dir, { models, keys = false, extraArgs = [] }) {
  const cfg = {
    server: { host: '127.0.0.1', port: 0, threads: 2 },
    models,
    ledger: { store: 'sqlite:ledger.db', group_commit_ms: 20 },
    keys: keys ? { store: 'keys.db' } : undefined,
  };
  const file = writeConfigFile(dir, cfg);
  const server = await startServer({ extraArgs: ['--config', file, ...extraArgs] });
  cleanups.push(() => server.stop());
  return server;
}

// One chat completion as a client sees it (never throws on an HTTP error).
async function ask(base, content, { model = 'mid', maxTokens = 4, key, stream = false } = {}) {
  const headers = key ? { authorization: `Bearer ${key}` } : {};
  const body = { model, messages: [{ role: 'user', content }], max_tokens: maxTokens };
  if (stream) {
    const res = await fetch(base + '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
      signal: AbortSignal.timeout(30_000),
    });
    const raw = await res.text();
    return { status: res.status, headers: res.headers, raw };
  }
  return post(base, '/v1/chat/completions', body, { headers, signal: AbortSignal.timeout(30_000) });
}

const streamedText = (evs) =>
  evs.filter((e) => e !== '[DONE]' && e.choices?.length).map((e) => e.choices[0].delta?.content ?? '').join('');

async function waitFor(check, what, timeoutMs = 10_000, everyMs = 25) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// The ledger's rows once `n` are written, after a few more group commits (so
// a row too many would show).
async function ledgerRows(db, n) {
  const count = () => (fs.existsSync(db) ? sqliteRows(db, 'SELECT COUNT(*) AS n FROM requests')[0].n : 0);
  await waitFor(() => count() >= n, `${n} ledger rows`);
  await sleep(150);
  return sqliteRows(db, 'SELECT * FROM requests ORDER BY time_ms');
}

const attemptsOf = (db, id) => sqliteRows(db, `SELECT * FROM attempts WHERE request_id = '${id}' ORDER BY attempt`);

function parseMetrics(text) {
  const samples = [];
  const types = new Map();
  for (const line of text.split('\n')) {
    const t = line.match(/^# TYPE (\S+) (\S+)$/);
    if (t) types.set(t[1], t[2]);
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return { types, samples };
}
const metricSum = (metrics, name, where) =>
  metrics.samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
const metrics = async (base) => parseMetrics((await get(base, '/metrics')).body);

// The gateway counts a deployment's RPM and TPM in the minutes of the wall
// clock (fleet/usage_window.h). A burst that must stay inside one minute
// first waits (at most marginMs) for the next one to begin.
const minuteNow = () => Math.floor(Date.now() / 60_000);
async function awayFromMinuteEnd(marginMs) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await sleep(left + 100);
}

// ---------------------------------------------------------------- tests

describe('a weighted pool of three upstreams', () => {
  const WEIGHTS = { a: 1, b: 1, c: 2 };
  const USAGE = { prompt_tokens: 10, completion_tokens: 4 };
  const ups = {};
  let server, dir, db, keys, startMinute;

  before(async () => {
    for (const name of Object.keys(WEIGHTS)) {
      ups[name] = await upstream({
        usage: USAGE,
        failure: (body) => (JSON.stringify(body).includes('fail everywhere') ? { mode: 'status', status: 500, message: 'scripted' } : null),
      });
    }
    dir = tempDir('weighted');
    db = path.join(dir, 'ledger.db');
    keys = { user: createKey(dir, 'apps'), viewer: createKey(dir, 'ops', { role: 'viewer' }) };
    server = await serve(dir, {
      keys: true,
      models: [
        pooled('mid', Object.entries(WEIGHTS).map(([name, weight]) => ({
          name, endpoint: ups[name].endpoint, weight, rpm: 100_000, tpm: 100_000_000, max_concurrency: 64, region: 'local', tags: ['fake'],
        })), { strategy: 'weighted' }),
      ],
    });
    await awayFromMinuteEnd(8_000);
    startMinute = minuteNow();
  });

  test('calls spread by weight (1:1:2), every one answered once and billed once', async () => {
    const N = 300;
    const results = await pool(Array.from({ length: N }, (_, i) => i), 8, (i) => ask(server.base, `weighted request ${i}`, { key: keys.user.key }));
    const bad = results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.slice(0, 200)}`);
    assert.deepEqual(bad, [], 'every request answered');
    for (const r of results) {
      assert.equal(r.json.model, 'mid');
      assert.equal(r.json.choices[0].message.content, 'tok tok tok tok');
    }
    const counts = Object.fromEntries(Object.keys(WEIGHTS).map((k) => [k, ups[k].requests]));
    assert.equal(counts.a + counts.b + counts.c, N, `each call reached exactly one upstream: ${JSON.stringify(counts)}`);
    // binomial spread: expected N * w / sum(w), allowed 4 standard deviations
    const total = Object.values(WEIGHTS).reduce((a, w) => a + w, 0);
    for (const [k, w] of Object.entries(WEIGHTS)) {
      const p = w / total;
      const tol = Math.ceil(4 * Math.sqrt(N * p * (1 - p)));
      assert.ok(Math.abs(counts[k] - N * p) <= tol, `${k}: ${counts[k]} calls, expected ${N * p} ± ${tol} (${JSON.stringify(counts)})`);
    }
    process.stderr.write(`# weighted 1:1:2 over ${N} calls: ${JSON.stringify(counts)}\n`);

    const rows = await ledgerRows(db, N);
    assert.equal(rows.length, N, 'one ledger row per request');
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    for (const r of results) {
      const row = byId.get(r.json.id);
      assert.ok(row, `no ledger row for ${r.json.id}`);
      assert.equal(row.http_status, 200);
      assert.equal(row.model, 'mid');
      assert.equal(row.input_tokens, USAGE.prompt_tokens);
      assert.equal(row.output_tokens, USAGE.completion_tokens);
      assert.ok(near(row.cost_usd, costOf(MID_PRICE, 10, 4)), `cost ${row.cost_usd}`);
    }
  });

  test('the admin models view and /metrics count what each deployment received', async () => {
    // one call every deployment fails (each answers 500 in turn), then a few good ones
    const failed = await ask(server.base, 'please fail everywhere', { key: keys.user.key });
    assert.equal(failed.status, 502, failed.body);
    for (const k of Object.keys(WEIGHTS)) {
      assert.ok(failed.json.error.message.includes(`mid@${k}#`), `the error names deployment ${k}: ${failed.json.error.message}`);
    }
    for (let i = 0; i < 5; i++) assert.equal((await ask(server.base, `after ${i}`, { key: keys.user.key })).status, 200);

    const view = await get(server.base, '/admin/v1/models?range=1h', { headers: { authorization: `Bearer ${keys.viewer.key}` } });
    assert.equal(view.status, 200, view.body);
    const mid = view.json.models.find((m) => m.name === 'mid');
    assert.ok(mid, `no mid in ${view.body.slice(0, 300)}`);
    assert.deepEqual(mid.deployments.map((d) => d.name).sort(), ['a', 'b', 'c']);
    const m = await metrics(server.base);
    for (const [k, up] of Object.entries(ups)) {
      const d = mid.deployments.find((x) => x.name === k);
      assert.deepEqual(Object.keys(d).sort(),
        ['error_rate', 'errors', 'in_flight', 'latency_ms', 'name', 'region', 'requests', 'rpm_used', 'state', 'tags', 'target', 'tpm_used']);
      assert.equal(d.state, 'ready');
      assert.equal(d.target, up.endpoint);
      assert.equal(d.in_flight, 0);
      assert.equal(d.requests, up.requests, `${k}: the view's requests vs what the upstream received`);
      assert.equal(d.errors, 1, `${k}: errors`);
      assert.ok(near(d.error_rate, 1 / up.requests), `${k}: error_rate ${d.error_rate}`);
      assert.ok(typeof d.latency_ms === 'number' && d.latency_ms > 0, `${k}: latency_ms ${d.latency_ms}`);
      if (minuteNow() === startMinute) {
        // every call of this pool so far fell in this minute: all are counted,
        // the answered ones with the tokens their upstream reported
        assert.equal(d.rpm_used, up.requests, `${k}: rpm_used`);
        const answered = (USAGE.prompt_tokens + USAGE.completion_tokens) * (up.requests - 1);
        assert.ok(d.tpm_used >= answered && d.tpm_used <= answered + 50, `${k}: tpm_used ${d.tpm_used}, answered ${answered}`);
      } else {
        assert.ok(d.rpm_used <= up.requests, `${k}: rpm_used ${d.rpm_used}`);
      }

      const where = { model: 'mid', deployment: k };
      assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { ...where, outcome: 'ok' }), up.requests - 1, `${k}: ok calls`);
      assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { ...where, outcome: 'error' }), 1, `${k}: failed calls`);
      assert.equal(metricSum(m, 'tiergate_deployment_requests_total', where), up.requests);
      assert.equal(metricSum(m, 'tiergate_deployment_skips_total', where), 0, `${k}: never skipped`);
      assert.equal(metricSum(m, 'tiergate_deployment_in_flight', where), 0);
      assert.equal(metricSum(m, 'tiergate_deployment_up', where), 1);
      assert.ok(metricSum(m, 'tiergate_deployment_latency_seconds', where) > 0);
    }
    assert.equal(m.types.get('tiergate_deployment_requests_total'), 'counter');
    assert.equal(m.types.get('tiergate_deployment_skips_total'), 'counter');
    for (const g of ['tiergate_deployment_in_flight', 'tiergate_deployment_up', 'tiergate_deployment_latency_seconds']) {
      assert.equal(m.types.get(g), 'gauge', g);
    }
    // the failed call: one ledger row, 502
    const rows = sqliteRows(db, "SELECT * FROM requests WHERE http_status != 200");
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0].http_status, 502);
  });
});

test('RPM and concurrency limits: a deployment takes no more than its share, then 429 deployments_limited', async () => {
  const a = await upstream({ usage: { prompt_tokens: 5, completion_tokens: 4 } });
  const b = await upstream({ usage: { prompt_tokens: 5, completion_tokens: 4 } });
  const t1 = await upstream({ usage: { prompt_tokens: 10, completion_tokens: 10 } });
  const t2 = await upstream({ usage: { prompt_tokens: 10, completion_tokens: 10 } });
  const slowA = await upstream({ delayMs: 400 });
  const slowB = await upstream({ delayMs: 400 });
  const dir = tempDir('limits');
  const db = path.join(dir, 'ledger.db');
  const server = await serve(dir, {
    models: [
      // weight 0 orders b after a: a takes every call it may take
      pooled('mid', [{ name: 'a', endpoint: a.endpoint, weight: 1, rpm: 3 }, { name: 'b', endpoint: b.endpoint, weight: 0, rpm: 7 }]),
      // t1 may take 25 tokens a minute: one call reports 20, the next (about 10 more) would exceed it
      pooled('tokens', [{ name: 't1', endpoint: t1.endpoint, weight: 1, tpm: 25 }, { name: 't2', endpoint: t2.endpoint, weight: 0 }]),
      pooled('narrow', [
        { name: 'one', endpoint: slowA.endpoint, weight: 1, max_concurrency: 2 },
        { name: 'two', endpoint: slowB.endpoint, weight: 0, max_concurrency: 1 },
      ]),
    ],
  });

  await awayFromMinuteEnd(5_000);
  const minute = minuteNow();
  const answeredBy = [];
  for (let i = 0; i < 10; i++) {
    const before = [a.requests, b.requests];
    const r = await ask(server.base, `limited ${i}`);
    assert.equal(r.status, 200, r.body);
    answeredBy.push(a.requests > before[0] ? 'a' : b.requests > before[1] ? 'b' : '?');
  }
  assert.deepEqual(answeredBy, ['a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b'], 'a takes 3 (its rpm), b the other 7');
  const refused = [];
  for (let i = 0; i < 2; i++) refused.push({ ...(await ask(server.base, `over the limit ${i}`)), at: Date.now() });
  // TPM counts the tokens the upstream reported (20), not only the estimate
  const prompt = 'x'.repeat(48);  // about 12 tokens by the gateway's estimate
  for (let i = 0; i < 3; i++) assert.equal((await ask(server.base, prompt + i, { model: 'tokens' })).status, 200);
  assert.equal(t1.requests, 1, 't1 is over its TPM after one call');
  assert.equal(t2.requests, 2);
  assert.equal(minuteNow(), minute, 'the burst stayed within one minute');
  for (const r of refused) {
    assert.equal(r.status, 429, r.body);
    assert.equal(r.json.error.code, 'deployments_limited');
    assert.equal(r.json.error.type, 'rate_limit_error');
    assert.match(r.json.error.message, /a limited/);
    assert.match(r.json.error.message, /b limited/);
    // Retry-After: when the minute ends and the RPM frees up
    const retry = Number(r.headers.get('retry-after'));
    const untilNextMinute = Math.ceil((60_000 - (r.at % 60_000)) / 1000);
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60 && Math.abs(retry - untilNextMinute) <= 2,
      `Retry-After ${r.headers.get('retry-after')}, the minute ends in ${untilNextMinute} s`);
  }
  assert.equal(a.requests, 3);
  assert.equal(b.requests, 7, 'a refused call reaches no upstream');

  const m = await metrics(server.base);
  assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model: 'mid', deployment: 'a', reason: 'limited' }), 9);
  assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model: 'mid', deployment: 'b', reason: 'limited' }), 2);
  assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model: 'tokens', deployment: 't1', reason: 'limited' }), 2);
  const rows = await ledgerRows(db, 15);
  assert.equal(rows.length, 15);
  assert.equal(rows.filter((r) => r.http_status === 429 && r.error_code === 'deployments_limited').length, 2);

  // max_concurrency: 2 + 1 calls at once, the 4th and 5th find both busy (the
  // calls start 30 ms apart: simultaneous ones are the race test below)
  const started = [];
  for (let i = 0; i < 5; i++) {
    started.push(ask(server.base, `busy ${i}`, { model: 'narrow' }));
    await sleep(30);
  }
  const concurrent = await Promise.all(started);
  const statuses = concurrent.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 200, 200, 429, 429], concurrent.map((r) => r.body.slice(0, 200)).join('\n'));
  for (const r of concurrent.filter((x) => x.status === 429)) {
    assert.equal(r.json.error.code, 'deployments_limited');
    assert.match(r.json.error.message, /one busy/);
    assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After ${r.headers.get('retry-after')}`);
  }
  assert.equal(slowA.requests, 2);
  assert.equal(slowB.requests, 1);
  assert.equal(slowA.maxInFlight, 2);
  // and once they are done, the pool takes calls again
  assert.equal((await ask(server.base, 'not busy any more', { model: 'narrow' })).status, 200);
});

// Calls on two I/O threads race for a deployment's last free place: the pool
// orders the candidates by their state, and a deployment admits a call in one
// step when it begins it (fleet/deployment.cpp try_begin), so one of the
// racing calls takes the place and the other goes on to the next deployment.
test('concurrent calls on two I/O threads never overshoot a deployment\'s RPM or max_concurrency', async () => {
  const D = 10;
  const rpmUps = [];
  const slowUps = [];
  for (let i = 0; i < D; i++) {
    rpmUps.push(await upstream({}));
    slowUps.push(await upstream({ delayMs: 250 }));
  }
  const spill = await upstream({});
  const spillSlow = await upstream({ delayMs: 250 });
  const dir = tempDir('race');
  const POOLS = 24;
  const models = [];
  for (let k = 0; k < POOLS; k++) {
    models.push(pooled(`rpm${k}`, [
      ...rpmUps.map((u, i) => ({ name: `d${i}`, endpoint: u.endpoint, weight: 1, rpm: 3 })),
      { name: 'spill', endpoint: spill.endpoint, weight: 0 },
    ]));
  }
  models.push(pooled('narrow', [
    ...slowUps.map((u, i) => ({ name: `d${i}`, endpoint: u.endpoint, weight: 1, max_concurrency: 2 })),
    { name: 'spill', endpoint: spillSlow.endpoint, weight: 0 },
  ]));
  const server = await serve(dir, { models });  // server.threads: 2

  const rpmOvershoots = [];
  for (let k = 0; k < POOLS; k++) {
    await awayFromMinuteEnd(3_000);
    const before = rpmUps.map((u) => u.requests);
    const minute = minuteNow();
    const res = await Promise.all(Array.from({ length: 6 * D }, (_, i) => ask(server.base, `race ${k} ${i}`, { model: `rpm${k}` })));
    assert.deepEqual(res.filter((r) => r.status !== 200).map((r) => r.body), []);
    if (minuteNow() !== minute) continue;  // a new minute frees the limits: this burst proves nothing
    rpmUps.forEach((u, i) => {
      if (u.requests - before[i] > 3) rpmOvershoots.push(`rpm${k}@d${i}: ${u.requests - before[i]} calls`);
    });
  }
  for (let round = 0; round < 4; round++) {
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(server.base, `narrow ${round} ${i}`, { model: 'narrow' })));
    assert.deepEqual(res.filter((r) => r.status !== 200).map((r) => r.body), []);
  }
  const concurrencyOvershoots = slowUps.map((u, i) => [i, u.maxInFlight]).filter(([, n]) => n > 2).map(([i, n]) => `narrow@d${i}: ${n} at once`);
  assert.deepEqual({ rpm: rpmOvershoots, concurrency: concurrencyOvershoots }, { rpm: [], concurrency: [] },
    'a deployment took more calls than its rpm (3) or max_concurrency (2) allow');
});

describe('failures inside a pool', () => {
  // a (weight 1) is always asked first, b (weight 0) only when a fails or is skipped
  let a, b, broken, steady, slow, server, db;
  const A_USAGE = { prompt_tokens: 11, completion_tokens: 6 };
  const B_USAGE = { prompt_tokens: 7, completion_tokens: 4 };

  before(async () => {
    a = await upstream({
      usage: A_USAGE,
      failure: (body) => {
        const text = JSON.stringify(body.messages);
        if (text.includes('truncate')) return { mode: 'truncate' };
        if (text.includes('reset')) return { mode: 'reset' };
        return null;
      },
    });
    b = await upstream({ usage: B_USAGE });
    broken = await upstream({ failure: { mode: 'reset' } });
    steady = await upstream({ usage: B_USAGE });
    slow = await upstream({ chunkDelayMs: 100 });
    const dir = tempDir('failover');
    db = path.join(dir, 'ledger.db');
    server = await serve(dir, {
      models: [
        pooled('mid', [{ name: 'a', endpoint: a.endpoint, weight: 1 }, { name: 'b', endpoint: b.endpoint, weight: 0 }]),
        pooled('dead', [{ name: 'x', endpoint: broken.endpoint }, { name: 'y', endpoint: broken.endpoint }], undefined, { fallbacks: ['steady'] }),
        pooled('lost', [{ name: 'x', endpoint: broken.endpoint }, { name: 'y', endpoint: broken.endpoint }]),
        { ...pooled('steady', undefined), endpoint: steady.endpoint },
        pooled('slow', [{ name: 's', endpoint: slow.endpoint, weight: 1 }, { name: 'b', endpoint: b.endpoint, weight: 0 }]),
      ],
    });
  });

  // what each upstream received since delta() was called
  const delta = () => {
    const before = { a: a.requests, b: b.requests, broken: broken.requests, steady: steady.requests };
    return () => ({ a: a.requests - before.a, b: b.requests - before.b, broken: broken.requests - before.broken, steady: steady.requests - before.steady });
  };

  test('a stream that dies after its first words ends with one error and is not answered again', async () => {
    const seen = delta();
    const r = await ask(server.base, 'please truncate this stream', { stream: true, maxTokens: 6 });
    assert.equal(r.status, 200);
    const evs = parseSse(r.raw);
    assert.equal(streamedText(evs), 'tok tok tok', 'the first words reached the client');
    const errors = evs.filter((e) => e !== '[DONE]' && e.error);
    assert.equal(errors.length, 1, `exactly one error event: ${r.raw.slice(-400)}`);
    assert.equal(evs.at(-1), errors[0], 'the error is the last event');
    assert.equal(errors[0].error.code, 'upstream_invalid_response');
    assert.ok(!evs.includes('[DONE]'));
    assert.ok(!evs.some((e) => e !== '[DONE]' && e.choices?.some((c) => c.finish_reason)), 'no second (finished) answer');
    assert.deepEqual(seen(), { a: 1, b: 0, broken: 0, steady: 0 });

    const id = evs[0].id;
    await waitFor(() => sqliteRows(db, `SELECT * FROM requests WHERE request_id = '${id}'`).length, 'the ledger row');
    await sleep(100);
    const rows = sqliteRows(db, `SELECT * FROM requests WHERE request_id = '${id}'`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].http_status, 502);
    assert.equal(rows[0].error_code, 'upstream_invalid_response');
  });

  test('a whole answer that dies mid-stream is answered by the next deployment and billed once', async () => {
    const seen = delta();
    const r = await ask(server.base, 'please truncate this answer', { maxTokens: 6 });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.choices[0].message.content, 'tok tok tok tok', "b's answer, nothing of a's");
    assert.equal(r.json.usage.prompt_tokens, B_USAGE.prompt_tokens);
    assert.equal(r.json.usage.completion_tokens, B_USAGE.completion_tokens);
    assert.deepEqual(seen(), { a: 1, b: 1, broken: 0, steady: 0 });

    await waitFor(() => sqliteRows(db, `SELECT * FROM requests WHERE request_id = '${r.json.id}'`).length, 'the ledger row');
    await sleep(100);
    const rows = sqliteRows(db, `SELECT * FROM requests WHERE request_id = '${r.json.id}'`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].http_status, 200);
    assert.equal(rows[0].model, 'mid');
    assert.equal(rows[0].input_tokens, B_USAGE.prompt_tokens);
    assert.equal(rows[0].output_tokens, B_USAGE.completion_tokens);
    assert.ok(near(rows[0].cost_usd, costOf(MID_PRICE, 7, 4)), `billed for b's usage only: ${rows[0].cost_usd}`);
    const attempts = attemptsOf(db, r.json.id);
    assert.equal(attempts.length, 2, JSON.stringify(attempts));
    assert.equal(attempts[0].error_code, 'upstream_invalid_response');
    assert.equal(attempts[1].error_code, '');
    // each attempt names its deployment; the second, on another deployment, is a fallback
    assert.deepEqual(attempts.map((x) => x.deployment), ['a', 'b']);
    assert.deepEqual(attempts.map((x) => x.kind), ['primary', 'fallback']);
    assert.equal(attempts[1].output_tokens, B_USAGE.completion_tokens);
    assert.equal(attempts[0].output_tokens, 0);
  });

  test('a stream whose deployment fails before any content is answered by the next deployment', async () => {
    const seen = delta();
    const errorsBefore = metricSum(await metrics(server.base), 'tiergate_deployment_requests_total', { model: 'mid', deployment: 'a', outcome: 'error' });
    const r = await ask(server.base, 'please reset before anything', { stream: true, maxTokens: 6 });
    assert.equal(r.status, 200);
    const evs = parseSse(r.raw);
    assert.equal(evs.at(-1), '[DONE]', r.raw.slice(-300));
    assert.ok(!evs.some((e) => e !== '[DONE]' && e.error), r.raw.slice(-300));
    assert.equal(streamedText(evs), 'tok tok tok tok');
    assert.equal(evs.find((e) => e !== '[DONE]' && e.usage)?.usage.completion_tokens, B_USAGE.completion_tokens);
    // a's reset comes on a kept-alive connection, which the HTTP client sends
    // once more on a new one (a stale reuse, providers/http_client.cpp): one
    // call of the deployment, one or two requests at its upstream
    const d = seen();
    assert.ok(d.a === 1 || d.a === 2, JSON.stringify(d));
    assert.deepEqual({ ...d, a: 1 }, { a: 1, b: 1, broken: 0, steady: 0 });
    const m = await metrics(server.base);
    assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { model: 'mid', deployment: 'a', outcome: 'error' }), errorsBefore + 1);
  });

  test('a client that leaves mid-stream frees its deployment and is not answered by another', async () => {
    const seen = delta();
    const ac = new AbortController();
    const res = await fetch(server.base + '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'leave early' }], max_tokens: 40, stream: true }),
      signal: ac.signal,
    });
    assert.equal(res.status, 200);
    const reader = res.body.getReader();
    const first = await reader.read();
    assert.ok(!first.done);
    const where = { model: 'slow', deployment: 's' };
    assert.equal(metricSum(await metrics(server.base), 'tiergate_deployment_in_flight', where), 1, 'one call in flight on s');
    ac.abort();
    await waitFor(async () => metricSum(await metrics(server.base), 'tiergate_deployment_in_flight', where) === 0, 's to be free again', 5_000);
    const m = await metrics(server.base);
    assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { ...where, outcome: 'cancelled' }), 1);
    assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { model: 'slow', deployment: 'b' }), 0, 'no other deployment is asked');
    assert.equal(slow.requests, 1);
    assert.equal(seen().b, 0);
  });

  test('a pool whose every deployment fails gives way to the model fallbacks, else names each deployment', async () => {
    let seen = delta();
    const r = await ask(server.base, 'to the dead pool', { model: 'dead' });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers.get('x-tiergate-model'), 'steady');
    assert.deepEqual(seen(), { a: 0, b: 0, broken: 2, steady: 1 }, 'both deployments, then the fallback');

    seen = delta();
    const lost = await ask(server.base, 'to the lost pool', { model: 'lost' });
    assert.equal(lost.status, 502, lost.body);
    assert.match(lost.json.error.message, /lost@x#1: /);
    assert.match(lost.json.error.message, /lost@y#1: /);
    assert.deepEqual(seen(), { a: 0, b: 0, broken: 2, steady: 0 });
  });
});

test('a deployment that answers 429 rests for its cooldown (or its Retry-After) while the others answer', async () => {
  const rateLimited = { mode: 'status', status: 429, message: 'slow down' };
  const coolA = await upstream({ failure: rateLimited });
  const coolB = await upstream({});
  const hintA = await upstream({ failure: { ...rateLimited, headers: { 'retry-after': '1' } } });
  const hintB = await upstream({});
  const lone = await upstream({ failure: rateLimited });
  const dir = tempDir('cooldown');
  const server = await serve(dir, {
    models: [
      pooled('cool', [{ name: 'a', endpoint: coolA.endpoint, weight: 1 }, { name: 'b', endpoint: coolB.endpoint, weight: 0 }], { cooldown_ms: 1500 }),
      // a cooldown far longer than the test: only the upstream's Retry-After (1 s) brings a back
      pooled('hinted', [{ name: 'a', endpoint: hintA.endpoint, weight: 1 }, { name: 'b', endpoint: hintB.endpoint, weight: 0 }], { cooldown_ms: 600_000 }),
      pooled('lone', [{ name: 'only', endpoint: lone.endpoint }], { cooldown_ms: 5_000 }),
    ],
  });

  // a pool whose only deployment cools down answers 429 deployments_limited
  // with the time left of the cooldown, and does not call it
  const limited = await ask(server.base, 'lone first', { model: 'lone' });
  assert.equal(limited.status, 429, limited.body);
  const cooling = await ask(server.base, 'lone again', { model: 'lone' });
  assert.equal(cooling.status, 429, cooling.body);
  assert.equal(cooling.json.error.code, 'deployments_limited');
  assert.match(cooling.json.error.message, /only cooling/);
  const retry = Number(cooling.headers.get('retry-after'));
  assert.ok(retry >= 4 && retry <= 5, `Retry-After ${cooling.headers.get('retry-after')} for a 5 s cooldown`);
  assert.equal(lone.requests, 1);

  for (const [model, A, B, restMs] of [['cool', coolA, coolB, 1500], ['hinted', hintA, hintB, 1000]]) {
    const first = await ask(server.base, `${model} first`, { model });
    const t429 = Date.now();
    assert.equal(first.status, 200, first.body);
    assert.equal(A.requests, 1, `${model}: a was asked first`);
    assert.equal(B.requests, 1, `${model}: b answered`);
    for (let i = 0; i < 4; i++) {
      const r = await ask(server.base, `${model} during the cooldown ${i}`, { model });
      assert.equal(r.status, 200, r.body);
    }
    assert.ok(Date.now() - t429 < restMs - 200, `${model}: the calls ran within the cooldown`);
    assert.equal(A.requests, 1, `${model}: a is not asked while it cools down`);
    assert.equal(B.requests, 5);
    const m = await metrics(server.base);
    assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model, deployment: 'a', reason: 'cooling' }), 4);
    assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { model, deployment: 'a', outcome: 'rate_limited' }), 1);

    await sleep(restMs + 300 - (Date.now() - t429));
    const again = await ask(server.base, `${model} after the cooldown`, { model });
    assert.equal(again.status, 200, again.body);
    assert.equal(A.requests, 2, `${model}: a is asked again once its rest is over`);
    assert.equal(B.requests, 6);
  }
});

test('each deployment has its own circuit breaker: 5 failures in a row take it out of the pool', async () => {
  const failing = await upstream({ failure: { mode: 'status', status: 500, message: 'scripted' } });
  const good = await upstream({});
  const dir = tempDir('breaker');
  const server = await serve(dir, {
    models: [
      pooled('mid', [{ name: 'bad', endpoint: failing.endpoint, weight: 1 }, { name: 'good', endpoint: good.endpoint, weight: 0 }]),
      // the same failing origin in other pools: their deployments' breakers are their own
      pooled('other', [{ name: 'same-origin', endpoint: failing.endpoint, weight: 1 }, { name: 'good', endpoint: good.endpoint, weight: 0 }]),
      pooled('solo', [{ name: 'only', endpoint: failing.endpoint }]),
    ],
  });
  for (let i = 0; i < 8; i++) {
    const r = await ask(server.base, `breaker ${i}`);
    assert.equal(r.status, 200, r.body);
  }
  assert.equal(failing.requests, 5, 'bad is asked until its breaker opens after 5 failures');
  assert.equal(good.requests, 8);
  let m = await metrics(server.base);
  assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model: 'mid', deployment: 'bad', reason: 'open' }), 3);
  assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { model: 'mid', deployment: 'bad', outcome: 'error' }), 5);

  assert.equal((await ask(server.base, 'other pool', { model: 'other' })).status, 200);
  assert.equal(failing.requests, 6, "another pool's deployment at the same origin is still asked");
  assert.equal(good.requests, 9);

  for (let i = 0; i < 5; i++) {
    const r = await ask(server.base, `solo ${i}`, { model: 'solo' });
    assert.equal(r.status, 502, r.body);
    assert.match(r.json.error.message, /solo@only#1: /);
  }
  const none = await ask(server.base, 'solo once more', { model: 'solo' });
  assert.equal(none.status, 503, none.body);
  assert.equal(none.json.error.code, 'deployments_unavailable');
  assert.match(none.json.error.message, /only open/);
  assert.ok(Number(none.headers.get('retry-after')) >= 1, `Retry-After ${none.headers.get('retry-after')}`);
  assert.equal(failing.requests, 11, 'an open deployment is not called');
  m = await metrics(server.base);
  assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model: 'solo', deployment: 'only', reason: 'open' }), 1);
});

test('least_busy, latency and prefix affinity pick the deployment they promise', async () => {
  const busyA = await upstream({ delayMs: 500 });
  const busyB = await upstream({ delayMs: 500 });
  const fast = await upstream({});
  const slow = await upstream({ delayMs: 150 });
  const affA = await upstream({ delayMs: (body) => (JSON.stringify(body).includes('together') ? 600 : 0) });
  const affB = await upstream({ delayMs: (body) => (JSON.stringify(body).includes('together') ? 600 : 0) });
  const dir = tempDir('strategies');
  const server = await serve(dir, {
    models: [
      pooled('busy', [{ name: 'a', endpoint: busyA.endpoint }, { name: 'b', endpoint: busyB.endpoint }], { strategy: 'least_busy' }),
      pooled('quick', [{ name: 'fast', endpoint: fast.endpoint }, { name: 'slow', endpoint: slow.endpoint }],
        { strategy: 'latency', exploration: 0, latency_of: 'total' }),
      pooled('sticky', [{ name: 'a', endpoint: affA.endpoint }, { name: 'b', endpoint: affB.endpoint }],
        { strategy: 'weighted', prefix_affinity: { block_bytes: 64, min_bytes: 128, load_factor: 1.25 } }),
    ],
  });

  // least_busy: four calls 60 ms apart while each takes 500 ms: two on each
  const calls = [];
  for (let i = 0; i < 4; i++) {
    calls.push(ask(server.base, `busy ${i}`, { model: 'busy' }));
    await sleep(60);
  }
  assert.deepEqual((await Promise.all(calls)).map((r) => r.status), [200, 200, 200, 200]);
  assert.deepEqual([busyA.requests, busyB.requests], [2, 2], 'least_busy sends each call to the idle deployment');
  assert.deepEqual([busyA.maxInFlight, busyB.maxInFlight], [2, 2]);

  // latency (exploration 0): each is measured once, then the faster takes every call
  for (let i = 0; i < 8; i++) assert.equal((await ask(server.base, `quick ${i}`, { model: 'quick' })).status, 200);
  assert.equal(slow.requests, 1, 'the slow deployment is called once (to be measured)');
  assert.equal(fast.requests, 7);

  // prefix affinity: calls sharing a long prefix stay on one deployment
  const system = 'You are a careful assistant for the fleet test. '.repeat(8);
  const sticky = (content) => post(server.base, '/v1/chat/completions', {
    model: 'sticky', max_tokens: 4, messages: [{ role: 'system', content: system }, { role: 'user', content }],
  });
  for (let i = 0; i < 10; i++) assert.equal((await sticky(`question ${i}`)).status, 200);
  const [one, other] = affA.requests === 10 ? [affA, affB] : [affB, affA];
  assert.deepEqual([one.requests, other.requests], [10, 0], `one deployment has the prefix: a ${affA.requests}, b ${affB.requests}`);
  // ... but at most load_factor x the mean calls in flight, this one included:
  // with 3 calls of 600 ms started one after the other, the bound for the third is
  // ceil(1.25 * 3 / 2) = 2, so it goes to the other deployment
  const together = [];
  const where = [];
  for (let i = 0; i < 3; i++) {
    const before = [one.requests, other.requests];
    together.push(sticky(`together ${i}`));
    await waitFor(() => one.requests + other.requests > before[0] + before[1], `call ${i} to reach an upstream`, 5_000, 5);
    where.push(one.requests > before[0] ? 'home' : 'other');
    await sleep(20);
  }
  assert.deepEqual((await Promise.all(together)).map((r) => r.status), [200, 200, 200]);
  assert.deepEqual(where, ['home', 'home', 'other'], 'the bounded load spills the third call over');
});

test('a pool mixing a local model and an upstream: both answer, the local one as itself and at its price', async () => {
  const up = await upstream({ usage: { prompt_tokens: 9, completion_tokens: 4 } });
  const dir = tempDir('local');
  const db = path.join(dir, 'ledger.db');
  const server = await serve(dir, {
    models: [slmModel(), pooled('mid', [{ name: 'remote', endpoint: up.endpoint, weight: 1 }, { name: 'slm', model: STORIES, weight: 1 }])],
  });
  const N = 24;
  const results = [];
  for (let i = 0; i < N; i++) results.push(await ask(server.base, `Once upon a time ${i}`));
  assert.deepEqual(results.filter((r) => r.status !== 200).map((r) => r.body), []);
  const local = results.filter((r) => r.json.model === STORIES);
  const remote = results.filter((r) => r.json.model === 'mid');
  assert.equal(local.length + remote.length, N, results.map((r) => r.json.model).join(','));
  assert.equal(remote.length, up.requests, 'the upstream answered every "mid" response and no other');
  assert.ok(local.length >= 1 && remote.length >= 1, `both deployments answer: local ${local.length}, remote ${remote.length}`);
  for (const r of local) assert.equal(r.headers.get('x-tiergate-model'), STORIES);

  const rows = await ledgerRows(db, N);
  assert.equal(rows.length, N);
  const byId = new Map(rows.map((r) => [r.request_id, r]));
  for (const r of local) {
    const row = byId.get(r.json.id);
    assert.equal(row.model, STORIES);
    assert.equal(row.input_tokens, r.json.usage.prompt_tokens);
    assert.equal(row.output_tokens, r.json.usage.completion_tokens);
    assert.ok(near(row.cost_usd, costOf(SLM_PRICE, row.input_tokens, row.output_tokens)), `local cost ${row.cost_usd}`);
  }
  for (const r of remote) {
    const row = byId.get(r.json.id);
    assert.equal(row.model, 'mid');
    assert.ok(near(row.cost_usd, costOf(MID_PRICE, 9, 4)), `remote cost ${row.cost_usd}`);
  }
  const m = await metrics(server.base);
  assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { model: 'mid', deployment: 'slm', outcome: 'ok' }), local.length);
  assert.equal(metricSum(m, 'tiergate_deployment_requests_total', { model: 'mid', deployment: 'remote', outcome: 'ok' }), remote.length);
});

test('active health checks: a deployment failing its check gets no calls until it passes again', async () => {
  const a = await upstream({ health: 503 });
  const b = await upstream({ health: 200 });
  const dir = tempDir('health');
  const keys = { user: createKey(dir, 'apps'), viewer: createKey(dir, 'ops', { role: 'viewer' }) };
  const server = await serve(dir, {
    keys: true,
    models: [pooled('mid', [{ name: 'a', endpoint: a.endpoint, weight: 1 }, { name: 'b', endpoint: b.endpoint, weight: 0 }], {
      health_check: { path: '/health', interval_ms: 150, timeout_ms: 100 },
    })],
  });
  const states = async () => {
    const view = await get(server.base, '/admin/v1/models?range=1h', { headers: { authorization: `Bearer ${keys.viewer.key}` } });
    assert.equal(view.status, 200, view.body);
    const mid = view.json.models.find((x) => x.name === 'mid');
    return Object.fromEntries(mid.deployments.map((d) => [d.name, d.state]));
  };
  // three checks of each after a change: the verdicts of the first two are in
  const checked = async (what) => {
    const since = [a.healthChecks, b.healthChecks];
    await waitFor(() => a.healthChecks >= since[0] + 3 && b.healthChecks >= since[1] + 3, what, 5_000);
  };
  const send = async (n, label) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await ask(server.base, `${label} ${i}`, { key: keys.user.key }));
    return out;
  };

  await checked('the first health checks');
  let r = await send(6, 'a is down');
  assert.deepEqual(r.map((x) => x.status), [200, 200, 200, 200, 200, 200]);
  assert.equal(a.requests, 0, 'no calls to a deployment down by its health check');
  assert.equal(b.requests, 6);
  let m = await metrics(server.base);
  assert.equal(metricSum(m, 'tiergate_deployment_up', { model: 'mid', deployment: 'a' }), 0);
  assert.equal(metricSum(m, 'tiergate_deployment_up', { model: 'mid', deployment: 'b' }), 1);
  assert.equal(metricSum(m, 'tiergate_deployment_skips_total', { model: 'mid', deployment: 'a', reason: 'down' }), 6);
  assert.deepEqual(await states(), { a: 'down', b: 'ready' });

  a.configure({ health: 200 });
  await checked('a to pass its check');
  r = await send(4, 'a is back');
  assert.deepEqual(r.map((x) => x.status), [200, 200, 200, 200]);
  assert.equal(a.requests, 4, 'traffic returns to a once it passes');
  assert.equal(b.requests, 6);
  m = await metrics(server.base);
  assert.equal(metricSum(m, 'tiergate_deployment_up', { model: 'mid', deployment: 'a' }), 1);
  assert.deepEqual(await states(), { a: 'ready', b: 'ready' });

  a.configure({ health: 503 });
  b.configure({ health: 500 });
  await checked('both to fail their checks');
  assert.deepEqual(await states(), { a: 'down', b: 'down' });
  const none = await ask(server.base, 'nobody is healthy', { key: keys.user.key });
  assert.equal(none.status, 503, none.body);
  assert.equal(none.json.error.code, 'deployments_unavailable');
  assert.match(none.json.error.message, /a down/);
  assert.match(none.json.error.message, /b down/);
  assert.equal(a.requests + b.requests, 10, 'a pool with no healthy deployment calls none');
});

test('GET /ready: 200 while serving, 503 draining during the --drain-notice-ms window while requests are still served', async () => {
  const up = await upstream({});
  const dir = tempDir('ready');
  const server = await serve(dir, { models: [pooled('mid', [{ name: 'only', endpoint: up.endpoint }])], extraArgs: ['--drain-notice-ms', '1500'] });
  const ready = await get(server.base, '/ready');
  assert.equal(ready.status, 200, ready.body);
  assert.deepEqual(ready.json, { status: 'ready' });

  const t0 = Date.now();
  const stopped = server.stop();  // SIGTERM
  const draining = await waitFor(async () => {
    const r = await get(server.base, '/ready');
    return r.status === 503 ? r : null;
  }, '/ready to answer 503', 1_000, 10);
  assert.equal(draining.json.error.code, 'draining', draining.body);
  const served = await ask(server.base, 'still served while draining');
  assert.equal(served.status, 200, served.body);
  assert.equal(served.json.choices[0].message.content, 'tok tok tok tok');
  assert.ok(Date.now() - t0 < 1_400, 'checked within the notice');
  const exit = await stopped;
  const took = Date.now() - t0;
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.ok(took >= 1_400, `the port stayed open for the notice (exited after ${took} ms)`);
  await assert.rejects(fetch(server.base + '/ready', { signal: AbortSignal.timeout(2_000) }), 'the port is closed after the exit');
});

test('bad deployments config: file:line: field path on stderr, `serve` exits 2, `config check` fails', async () => {
  const dir = tempDir('config');
  const cases = [
    {
      what: 'both endpoint and model',
      deployments: '      - name: east\n        endpoint: http://127.0.0.1:9/v1\n        model: stories260K   # mark\n',
      field: 'models[1].deployments[0].model',
      message: 'either a remote endpoint or an in-process model, not both',
    },
    {
      what: 'an unknown strategy',
      deployments: '      - {name: east, endpoint: "http://127.0.0.1:9/v1"}\n',
      balancing: '    balancing:\n      strategy: fastest   # mark\n',
      field: 'models[1].balancing.strategy',
      message: 'unknown strategy "fastest"',
    },
    {
      what: 'a model with deployments and its own endpoint',
      endpoint: '    endpoint: http://127.0.0.1:9/v1   # mark\n',
      deployments: '      - {name: east, endpoint: "http://127.0.0.1:9/v1"}\n',
      field: 'models[1].endpoint',
      message: 'a model with deployments',
    },
    {
      what: 'a misspelt field',
      deployments: '      - name: east\n        endpoint: http://127.0.0.1:9/v1\n      - name: west\n        endpoint: http://127.0.0.1:10/v1\n        wieght: 2   # mark\n',
      field: 'models[1].deployments[1].wieght',
      message: 'unknown field',
    },
    {
      what: 'a local deployment naming an unknown model',
      deployments: '      - {name: east, endpoint: "http://127.0.0.1:9/v1"}\n      - {name: ghost, model: nothing}   # mark\n',
      field: 'models[1].deployments[1].model',
      message: 'unknown model "nothing"',
    },
    {
      what: 'a deployment name used twice',
      deployments: '      - {name: east, endpoint: "http://127.0.0.1:9/v1"}\n      - {name: east, endpoint: "http://127.0.0.1:10/v1"}   # mark\n',
      field: 'models[1].deployments[1].name',
      message: 'used twice',
    },
    {
      what: 'a health check path without /',
      deployments: '      - {name: east, endpoint: "http://127.0.0.1:9/v1"}\n',
      balancing: '    balancing:\n      health_check: {path: health}   # mark\n',
      field: 'models[1].balancing.health_check.path',
      message: 'starting with /',
    },
  ];
  for (const [i, c] of cases.entries()) {
    const text = `server:
  host: 127.0.0.1
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${path.join(modelDir, `${STORIES}.gguf`)}
  - name: mid
    provider: openai_compatible
    tier: mid
    price: {input_per_mtok: 1, output_per_mtok: 2}
${c.endpoint ?? ''}    deployments:
${c.deployments}${c.balancing ?? ''}`;
    const file = path.join(dir, `bad-${i}.yaml`);
    fs.writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes('# mark')) + 1;
    const expected = `${file}:${line}: ${c.field}: `;

    const check = runTiergate(['config', 'check', file], { allowFail: true });
    assert.equal(check.status, 1, `${c.what}: config check exits 1 on config errors\n${check.stderr}`);
    assert.ok(check.stderr.includes(expected), `${c.what}: expected "${expected}" in:\n${check.stderr}`);
    assert.ok(check.stderr.includes(c.message), `${c.what}: expected "${c.message}" in:\n${check.stderr}`);

    const serveRun = runTiergate(['serve', '--config', file, '--port', '0', '--log-level', 'warn'], { allowFail: true });
    assert.equal(serveRun.status, 2, `${c.what}: serve exits 2\n${serveRun.stderr}`);
    assert.ok(serveRun.stderr.includes(expected + ''), `${c.what}: expected "${expected}" in:\n${serveRun.stderr}`);
    assert.ok(!serveRun.stdout.includes('listening'), serveRun.stdout);
  }
});
