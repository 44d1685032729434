// The admin API on the real binary: traffic through two remote models (fake
// upstreams with known prices) and the local model, then every read checked
// against the ledger's rows; roles; key and budget changes taking effect on
// the next request; config reload; bad input; the dashboard's headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { modelDir, startServer, STORIES } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { sqliteRows } from './lib/ledger.mjs';
import { createKey, remoteModel, toYaml, writeConfigFile } from './lib/config.mjs';

const MID_PRICE = { input_per_mtok: 20, output_per_mtok: 40 };
const FRONTIER_PRICE = { input_per_mtok: 100, output_per_mtok: 200 };
const XSS_TEAM = '<img src=x onerror=alert(1)>';

let dir, file, server, mid, frontier, keys, cfg;


async function call(route, { key, method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(server.base + route, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, headers: res.headers, text, json };
}

const chat = (key, model, content = 'hello there', maxTokens = 8) =>
  call('/v1/chat/completions', { key, method: 'POST', body: { model, messages: [{ role: 'user', content }], max_tokens: maxTokens } });

const ledgerRows = () => sqliteRows(path.join(dir, 'ledger.db'), 'SELECT * FROM requests ORDER BY time_ms');

async function waitFor(check, what, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-admin-'));
  mid = await startFakeUpstream({ usage: { prompt_tokens: 10, completion_tokens: 5 } });
  frontier = await startFakeUpstream({
    usage: { prompt_tokens: 10, completion_tokens: 5 },
    failure: (body) => (JSON.stringify(body).includes('please fail') ? { mode: 'status', status: 500, message: 'scripted' } : null),
  });
  cfg = {
    server: { host: '127.0.0.1', port: 0, threads: 2 },
    models: [
      { name: STORIES, provider: 'local', tier: 'slm', path: path.join(modelDir, `${STORIES}.gguf`), parallel: 2, ctx: 512, threads: 1 },
      remoteModel('mid-x', 'mid', MID_PRICE, mid),
      remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, frontier),
    ],
    frontier_baseline: 'frontier-x',
    budgets: { teams: { ops: { usd_per_day: 5 } } },
    ledger: { store: 'sqlite:ledger.db', group_commit_ms: 20 },
    keys: { store: 'keys.db' },
  };
  file = writeConfigFile(dir, cfg);
  keys = {
    admin: createKey(dir, 'ops', { role: 'admin' }),
    viewer: createKey(dir, 'ops', { role: 'viewer' }),
    user: createKey(dir, 'apps'),
    xss: createKey(dir, XSS_TEAM),
  };
  server = await startServer({ extraArgs: ['--config', file] });
  // traffic: 3 local, 2 mid, 2 frontier (one failing upstream answer), one with an email address
  for (let i = 0; i < 3; ++i) assert.equal((await chat(keys.user.key, STORIES)).status, 200);
  for (let i = 0; i < 2; ++i) assert.equal((await chat(keys.xss.key, 'mid-x')).status, 200);
  assert.equal((await chat(keys.user.key, 'frontier-x', 'write to jane.doe@example.com')).status, 200);
  assert.equal((await chat(keys.user.key, 'frontier-x', 'please fail')).status, 502);
  await waitFor(() => ledgerRows().length === 7, 'the ledger to hold 7 rows');
});

after(async () => {
  await server?.stop();
  await mid?.close?.();
  await frontier?.close?.();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('roles: viewers and admins read, users are refused, nobody is let in without a key', async () => {
  for (const who of ['admin', 'viewer']) {
    const r = await call('/admin/v1/whoami', { key: keys[who].key });
    assert.equal(r.status, 200);
    assert.equal(r.json.role, who);
    assert.equal(r.json.can_change, who === 'admin');
    assert.equal(r.json.key_id, keys[who].id);
  }
  const user = await call('/admin/v1/overview', { key: keys.user.key });
  assert.equal(user.status, 403);
  assert.equal(user.json.error.type, 'permission_error');
  const none = await call('/admin/v1/overview');
  assert.equal(none.status, 401);
  assert.equal((await call('/admin/v1/overview', { key: 'tg-nonsense' })).status, 401);
  const viewerChange = await call('/admin/v1/keys', { key: keys.viewer.key, method: 'POST', body: { team: 'x' } });
  assert.equal(viewerChange.status, 403);
  const crossOrigin = await call('/admin/v1/keys', { key: keys.admin.key, method: 'POST', body: { team: 'x' }, headers: { origin: 'http://evil.example' } });
  assert.equal(crossOrigin.status, 403);
  assert.equal(crossOrigin.headers.get('access-control-allow-origin'), null);
});

test('overview, time series, routing, privacy and models agree with the ledger', async () => {
  const rows = ledgerRows();
  const sum = (f) => rows.reduce((a, r) => a + f(r), 0);
  const o = (await call('/admin/v1/overview?range=1h', { key: keys.viewer.key })).json;
  assert.equal(o.requests, rows.length);
  assert.equal(o.errors, rows.filter((r) => r.http_status !== 200).length);
  assert.ok(Math.abs(o.cost_usd - sum((r) => r.cost_usd)) < 1e-12);
  assert.ok(Math.abs(o.counterfactual_cost_usd - sum((r) => r.counterfactual_cost_usd)) < 1e-12);
  assert.ok(o.cost_usd > 0);
  const tiers = Object.fromEntries(o.tiers.map((t) => [t.tier, t]));
  assert.equal(tiers.slm.requests, 3);
  assert.equal(tiers.mid.requests, 2);
  assert.equal(tiers.frontier.requests, 2);
  assert.equal(tiers.slm.target_share, 0.7);

  for (const group of ['tier', 'model', 'key', 'team', 'stage', 'status']) {
    const s = (await call(`/admin/v1/timeseries?range=1h&group_by=${group}`, { key: keys.viewer.key })).json;
    assert.equal(s.group_by, group);
    assert.equal(s.bucket, 'minute');
    let requests = 0;
    let cost = 0;
    for (const series of s.series) {
      assert.equal(series.requests.length, s.buckets.length);
      requests += series.requests.reduce((a, b) => a + b, 0);
      cost += series.cost_usd.reduce((a, b) => a + b, 0);
    }
    assert.equal(requests, rows.length, group);
    assert.ok(Math.abs(cost - o.cost_usd) < 1e-12, group);
  }
  const byTeam = (await call('/admin/v1/timeseries?range=1h&group_by=team', { key: keys.viewer.key })).json;
  assert.ok(byTeam.series.some((s) => s.name === XSS_TEAM));

  const routing = (await call('/admin/v1/routing?range=1h', { key: keys.viewer.key })).json;
  assert.equal(routing.requests, rows.length);
  assert.equal(routing.stages.reduce((a, s) => a + s.requests, 0), rows.length);

  const privacy = (await call('/admin/v1/privacy?range=1h', { key: keys.viewer.key })).json;
  const email = privacy.findings.find((f) => f.entity_type === 'EMAIL_ADDRESS');
  assert.ok(email, JSON.stringify(privacy));
  assert.ok(!JSON.stringify(privacy).includes('jane.doe'));

  const models = (await call('/admin/v1/models?range=1h', { key: keys.viewer.key })).json.models;
  const byName = Object.fromEntries(models.map((m) => [m.name, m]));
  assert.equal(byName[STORIES].requests, 3);
  assert.ok(byName[STORIES].slots >= 1);
  assert.equal(byName[STORIES].circuit, null);
  assert.equal(byName['frontier-x'].requests, 2);
  assert.equal(byName['frontier-x'].errors, 1);
  assert.equal(byName['frontier-x'].circuit, 'closed');
  assert.ok(byName['mid-x'].latency_p50_ms > 0);
});

test('distillation shows the version each local model serves; collections need a retrieval section', async () => {
  const d = (await call('/admin/v1/distillation', { key: keys.viewer.key })).json;
  assert.deepEqual(d.serving, [{ model: STORIES, version: 'base' }]);
  assert.equal(d.periods.length, 1);
  assert.equal(d.periods[0].version, 'base');
  assert.equal(d.periods[0].requests, ledgerRows().length);
  const c = await call('/admin/v1/collections', { key: keys.viewer.key });
  assert.equal(c.status, 404);
  assert.equal(c.json.error.code, 'not_configured');
});

test('the ledger pages walk every row once, filters narrow, and rows hold no text', async () => {
  const rows = ledgerRows();
  const seen = [];
  let cursor = null;
  for (let page = 0; page < 10; ++page) {
    const r = await call(`/admin/v1/ledger?range=1h&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: keys.viewer.key });
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.rows.map((x) => x.request_id));
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  assert.deepEqual([...seen].sort(), rows.map((r) => r.request_id).sort());
  assert.equal(new Set(seen).size, rows.length);
  const errors = (await call('/admin/v1/ledger?range=1h&status=error', { key: keys.viewer.key })).json.rows;
  assert.equal(errors.length, 1);
  assert.equal(errors[0].model, 'frontier-x');
  const team = (await call(`/admin/v1/ledger?range=1h&team=${encodeURIComponent(XSS_TEAM)}`, { key: keys.viewer.key })).json.rows;
  assert.equal(team.length, 2);
  const all = (await call('/admin/v1/ledger?range=1h&limit=500', { key: keys.viewer.key })).text;
  assert.ok(!all.includes('jane.doe') && !all.includes('hello there'));
});

test('bad input is answered with a clear error in the OpenAI shape', async () => {
  const cases = [
    ['/admin/v1/overview?range=banana', 400, 'range'],
    ['/admin/v1/overview?range=1h&colour=red', 400, 'colour'],
    ['/admin/v1/overview?range=1h&range=2h', 400, 'range'],
    ['/admin/v1/timeseries?range=30d&bucket=minute', 400, 'bucket'],
    ['/admin/v1/timeseries?group_by=planet', 400, 'group_by'],
    ['/admin/v1/ledger?limit=100000', 400, 'limit'],
    ['/admin/v1/ledger?cursor=%00%ff', 400, null],
    ['/admin/v1/ledger?from=2026-02-30T00:00:00Z', 400, 'from'],
    ['/admin/v1/nowhere', 404, null],
  ];
  for (const [route, status, param] of cases) {
    const r = await call(route, { key: keys.admin.key });
    assert.equal(r.status, status, `${route}: ${r.text}`);
    assert.equal(typeof r.json.error.message, 'string');
    if (param) assert.equal(r.json.error.param, param, route);
  }
  const wrongMethod = await call('/admin/v1/overview', { key: keys.admin.key, method: 'DELETE' });
  assert.equal(wrongMethod.status, 405);
  for (const body of ['{"team":', '"just a string"', '{"team":"x","secret":1}', '{"team":12}', Buffer.from([0x7b, 0xff, 0x7d])]) {
    const r = await call('/admin/v1/keys', { key: keys.admin.key, method: 'POST', body });
    assert.equal(r.status, 400, `${body}: ${r.text}`);
  }
  const huge = await call('/admin/v1/budgets/team/ops', { key: keys.admin.key, method: 'PUT', body: { usd_per_day: 'x'.repeat(20) } });
  assert.equal(huge.status, 400);
});

test('a key created through the API works at once, a re-scope and a revoke take effect', async () => {
  const created = await call('/admin/v1/keys', { key: keys.admin.key, method: 'POST', body: { team: 'newteam', tiers: ['slm'], ttl: '1d' } });
  assert.equal(created.status, 201, created.text);
  assert.match(created.json.key, /^tg-/);
  assert.equal(created.json.record.role, 'user');
  const id = created.json.record.id;
  await waitFor(async () => (await call('/v1/models', { key: created.json.key })).status === 200, 'the new key to authenticate');
  assert.equal((await chat(created.json.key, STORIES)).status, 200);
  assert.equal((await chat(created.json.key, 'frontier-x')).status, 403);  // its tier is slm only

  const widened = await call(`/admin/v1/keys/${id}`, { key: keys.admin.key, method: 'PATCH', body: { tiers: [] } });
  assert.equal(widened.status, 200, widened.text);
  await waitFor(async () => (await chat(created.json.key, 'mid-x')).status === 200, 'the re-scoped key to reach mid-x');

  // last used: the key's latest request in the ledger, once the ledger has written it
  const listed = await waitFor(async () => {
    const all = (await call('/admin/v1/keys', { key: keys.viewer.key })).json.keys;
    return all.find((k) => k.id === id).last_used_ms > 0 ? all : null;
  }, 'the new key to show its last use');
  const mine = listed.find((k) => k.id === id);
  assert.equal(mine.status, 'active');
  assert.ok(Math.abs(mine.last_used_ms - Date.now()) < 60_000);
  assert.equal(listed.find((k) => k.id === keys.viewer.id).last_used_ms, null);  // admin API calls are not in the ledger
  assert.ok(!JSON.stringify(listed).includes(created.json.key));
  assert.equal(listed.find((k) => k.id === keys.xss.id).team, XSS_TEAM);

  const revoked = await call(`/admin/v1/keys/${id}/revoke`, { key: keys.admin.key, method: 'POST' });
  assert.equal(revoked.status, 200);
  assert.equal(revoked.json.status, 'revoked');
  await waitFor(async () => (await call('/v1/models', { key: created.json.key })).status === 401, 'the revoked key to be refused');
  assert.equal((await call('/admin/v1/keys/key_0000000000000000/revoke', { key: keys.admin.key, method: 'POST' })).status, 404);
});

test('a budget set through the API is enforced on the next request and lifted by DELETE', async () => {
  const listed = (await call('/admin/v1/budgets', { key: keys.viewer.key })).json.limits;
  const ops = listed.find((l) => l.scope === 'team' && l.id === 'ops' && l.kind === 'usd_per_day');
  assert.equal(ops.limit, 5);
  assert.equal(ops.source, 'config');

  const put = await call('/admin/v1/budgets/team/apps', { key: keys.admin.key, method: 'PUT', body: { requests_per_minute: 1 } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.limits[0].source, 'api');
  const statuses = [];
  for (let i = 0; i < 3; ++i) statuses.push((await chat(keys.user.key, STORIES)).status);
  // the minute may turn between two requests: at most one 200 per minute
  assert.ok(statuses.filter((s) => s === 429).length >= 1, statuses.join(','));
  const used = (await call('/admin/v1/budgets', { key: keys.viewer.key })).json.limits.find((l) => l.id === 'apps');
  assert.equal(used.limit, 1);
  assert.ok(used.used >= 1);
  const del = await call('/admin/v1/budgets/team/apps', { key: keys.admin.key, method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.deepEqual(del.json.limits, []);
  assert.equal((await chat(keys.user.key, STORIES)).status, 200);
  assert.equal((await call('/admin/v1/budgets/team/apps', { key: keys.admin.key, method: 'DELETE' })).status, 404);
});

test('a config reload applies budgets, names what needs a restart, and refuses a bad file', async () => {
  const unchanged = await call('/admin/v1/config/reload', { key: keys.admin.key, method: 'POST' });
  assert.equal(unchanged.status, 200, unchanged.text);
  assert.deepEqual(unchanged.json.applied, []);

  fs.writeFileSync(file, toYaml({ ...cfg, budgets: { teams: { ops: { usd_per_day: 9 } } }, admin: { tier_target: { slm: 60, mid: 30, frontier: 10 } } }).slice(1) + '\n');
  const applied = await call('/admin/v1/config/reload', { key: keys.admin.key, method: 'POST' });
  assert.equal(applied.status, 200, applied.text);
  assert.deepEqual([...applied.json.applied].sort(), ['admin', 'budgets']);
  const ops = (await call('/admin/v1/budgets', { key: keys.viewer.key })).json.limits.find((l) => l.id === 'ops');
  assert.equal(ops.limit, 9);
  const o = (await call('/admin/v1/overview?range=1h', { key: keys.viewer.key })).json;
  assert.equal(o.tiers[0].target_share, 0.6);

  const good = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, good + 'router:\n  bogus: 1\n');
  const refused = await call('/admin/v1/config/reload', { key: keys.admin.key, method: 'POST' });
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.json.error.code, 'invalid_config');
  assert.ok(refused.json.errors.length >= 1);
  assert.ok(refused.json.errors[0].line > 0);
  assert.match(refused.json.errors[0].path, /router/);
  assert.equal((await chat(keys.user.key, STORIES)).status, 200);  // still serving on the old config

  fs.writeFileSync(file, good.replace('threads: 2', 'threads: 1'));
  const restart = await call('/admin/v1/config/reload', { key: keys.admin.key, method: 'POST' });
  assert.equal(restart.status, 200);
  assert.deepEqual(restart.json.restart_required, ['server']);
  assert.equal((await call('/admin/v1/config/reload', { key: keys.viewer.key, method: 'POST' })).status, 403);
});

test('the dashboard is served from the binary with a strict policy', async () => {
  for (const route of ['/ui', '/ui/', '/ui/index.html', '/ui/app.js', '/ui/app.css']) {
    const r = await call(route);
    assert.equal(r.status, 200, route);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  }
  assert.match((await call('/ui')).headers.get('content-type'), /text\/html/);
  assert.match((await call('/ui/app.js')).headers.get('content-type'), /javascript/);
  assert.equal((await call('/ui/nothing.js')).status, 404);
  assert.equal((await call('/ui', { method: 'POST', body: {} })).status, 405);
});
