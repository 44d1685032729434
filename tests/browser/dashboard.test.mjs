// The admin dashboard (/ui) in headless Chromium against the real binary: a
// gateway with a key store, a SQLite ledger, a team budget, the local SLM and
// two remote models behind fake OpenAI-compatible upstreams (lib/fake_upstream.mjs)
// and a retrieval store. Traffic goes through /v1/chat/completions first (one
// request answering from a vector store an ordinary key made through /v1/files
// and /v1/vector_stores); then the pages are checked against the ledger file and
// the admin API, the key form is used end to end, and every value an outsider
// controls (a team name holding markup) must show as text. No CSP violation,
// console error or JavaScript dialog is allowed on any page.
//
//   TIERGATE_BIN        the binary (default: build/bin/tiergate)
//   TIERGATE_MODEL_DIR  the GGUF directory (default: ../shared/models)
//   TIERGATE_CHROMIUM   the browser (default: /usr/bin/chromium)
//   TIERGATE_ARTIFACTS  where screenshots go (default: build/artifacts)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

import { chat, get, modelDir, post, startServer, STORIES } from '../integration/lib/server.mjs';
import { createKey, remoteModel, writeConfigFile } from '../integration/lib/config.mjs';
import { startFakeUpstream } from '../integration/lib/fake_upstream.mjs';
import { sqliteRows } from '../integration/lib/ledger.mjs';
import { tempDir } from '../integration/lib/upstreams.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const uiDir = path.join(repo, 'src', 'admin', 'ui');
const chromium = process.env.TIERGATE_CHROMIUM || '/usr/bin/chromium';
const artifacts = process.env.TIERGATE_ARTIFACTS || path.join(repo, 'build', 'artifacts');

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const PAGES = ['overview', 'routing', 'privacy', 'budgets', 'models', 'retrieval', 'distillation', 'ledger', 'keys'];
const XSS_TEAM = '<img src=x onerror=window.__xss=1>';
const MID_PRICE = { input_per_mtok: 1, output_per_mtok: 2 };
const FRONTIER_PRICE = { input_per_mtok: 10, output_per_mtok: 30 };
const FAIL_MARK = 'please fail this one';
const HANDBOOK = [
  '# Boilers',
  'The boiler room is inspected every Tuesday by the night shift.',
  '',
  '# Badges',
  'Visitor badges are returned to the front desk before leaving.',
].join('\n');
const RAG_QUESTION = 'When is the boiler room inspected?';
const WAIT_MS = 15_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const near = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));

// Polls fn until it returns a truthy value; fails after timeoutMs with `what` and the last value.
async function waitFor(what, fn, { timeoutMs = WAIT_MS, intervalMs = 200 } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await fn();
    if (last) return last;
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

// ---------------------------------------------------------------- the gateway

// The local SLM and two remote models; the ledger, the key store and the retrieval store in the
// config's directory.
function config(mid, frontier) {
  return {
    server: { host: '127.0.0.1', port: 0, threads: 2 },
    model_dir: modelDir,
    models: [
      { name: STORIES, provider: 'local', tier: 'slm', path: `${STORIES}.gguf`, parallel: 2, ctx: 512, threads: 1 },
      remoteModel('mid-x', 'mid', MID_PRICE, mid),
      remoteModel('frontier-x', 'frontier', FRONTIER_PRICE, frontier),
      {
        name: 'pool-x', provider: 'openai_compatible', tier: 'mid', price: MID_PRICE,
        deployments: [{ name: 'east', endpoint: mid.endpoint }, { name: 'west', endpoint: frontier.endpoint, rpm: 600 }],
      },
    ],
    frontier_baseline: 'frontier-x',
    budgets: { teams: { ops: { usd_per_day: 5 } } },
    ledger: { store: 'sqlite:ledger.db', group_commit_ms: 20 },
    keys: { store: 'keys.db' },
    retrieval: { store: 'knowledge.db', chunk_tokens: 32, overlap_tokens: 0, context_tokens: 128 },
  };
}

const bearer = (key) => ({ authorization: `Bearer ${key}` });
const complete = (key, model, content) =>
  post(env.base, '/v1/chat/completions', chat(content, { model, max_tokens: 8 }), { headers: bearer(key) });
const adminGet = (route, key) => get(env.base, route, { headers: bearer(key) });
const modelsStatus = async (key) => (await get(env.base, '/v1/models', { headers: bearer(key) })).status;

// A vector store made as an ordinary client makes one: the file uploaded (multipart), then a
// store created with it. Ingestion is done when the store's status is `completed`.
async function createCollection(key, name, filename, content) {
  const form = new FormData();
  form.append('purpose', 'assistants');
  form.append('file', new Blob([content], { type: 'text/plain' }), filename);
  const res = await fetch(`${env.base}/v1/files`, { method: 'POST', headers: bearer(key), body: form, signal: AbortSignal.timeout(30_000) });
  const fileBody = await res.text();
  assert.equal(res.status, 200, `POST /v1/files answered ${res.status}: ${fileBody}`);
  const file = JSON.parse(fileBody);
  assert.match(file.id, /^file-/, fileBody);
  const created = await post(env.base, '/v1/vector_stores', { name, file_ids: [file.id] }, { headers: bearer(key) });
  assert.equal(created.status, 200, `POST /v1/vector_stores answered ${created.status}: ${created.body}`);
  const id = created.json.id;
  return waitFor(`vector store ${id} ingested`, async () => {
    const r = await get(env.base, `/v1/vector_stores/${id}`, { headers: bearer(key) });
    assert.equal(r.status, 200, `GET /v1/vector_stores/${id} answered ${r.status}: ${r.body}`);
    return r.json.status === 'completed' && r.json.file_counts?.completed === 1 ? r.json : null;
  });
}

// ---------------------------------------------------------------- the browser

// Everything the pages did wrong, by context: CSP violations, console errors, uncaught
// exceptions and JavaScript dialogs.
const trouble = [];
const dialogs = [];

// Console errors the dashboard causes on purpose: the keyless probe of /admin/v1/whoami
// (401) and the refused sign-in (401 or 403) are logged by Chromium as failed loads.
function expectedConsoleError(msg) {
  const url = msg.location()?.url ?? '';
  return /Failed to load resource: the server responded with a status of 40[13]/.test(msg.text()) &&
    url.endsWith('/admin/v1/whoami');
}

async function newPage(label, { scheme = 'light' } = {}) {
  const context = await env.browser.createBrowserContext();
  env.contexts.push(context);
  const page = await context.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  page.setDefaultTimeout(WAIT_MS);
  await page.exposeFunction('__tiergateCsp', (v) => trouble.push(`${label}: CSP violation: ${v}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__tiergateCsp(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expectedConsoleError(msg)) {
      trouble.push(`${label}: console error: ${msg.text()} (${msg.location()?.url ?? ''})`);
    }
  });
  page.on('pageerror', (e) => trouble.push(`${label}: uncaught: ${e.message}`));
  page.on('dialog', async (d) => {
    dialogs.push(`${label}: ${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  await page.goto(`${env.base}/ui`, { waitUntil: 'load' });
  return page;
}

async function signIn(page, key) {
  await page.waitForSelector('[data-testid="signin-key"]', { visible: true });
  await page.type('[data-testid="signin-key"]', key);
  await page.click('[data-testid="signin-submit"]');
}

// Waits until `name` has drawn its first answer; fails early with the error banner's text.
async function waitLoaded(page, name) {
  const state = await page.waitForFunction((name) => {
    const main = document.querySelector('main');
    if (main?.dataset.page === name && main.dataset.loaded === 'true') return 'loaded';
    const banner = document.querySelector('[data-testid="error-banner"]');
    if (banner && !banner.hidden && main?.dataset.page === name) return `error: ${banner.textContent.replace(/\s+/g, ' ').trim()}`;
    return false;
  }, { timeout: WAIT_MS, polling: 100 }, name).then((h) => h.jsonValue());
  assert.equal(state, 'loaded', `page ${name}`);
}

async function visit(page, name) {
  await page.click(`[data-testid="nav-${name}"]`);
  await waitLoaded(page, name);
}

// Pauses (live false) or resumes the 5 s refresh; paused, no table is redrawn under a click.
async function setLive(page, live) {
  const pressed = () => page.$eval('[data-testid="live"]', (b) => b.getAttribute('aria-pressed'));
  if ((await pressed()) !== String(live)) await page.click('[data-testid="live"]');
  assert.equal(await pressed(), String(live));
}
const pause = (page) => setLive(page, false);

const text = (page, selector) => page.$eval(selector, (e) => e.textContent);
const rowIds = (page, table) =>
  page.$$eval(`[data-testid="${table}"] tbody tr[data-id]`, (rows) => rows.map((r) => r.dataset.id));

// The ids of the rows of `table` whose cell `col` reads exactly `value`.
const rowsWhere = (page, table, col, value) =>
  page.$$eval(`[data-testid="${table}"] tbody tr[data-id]`, (rows, col, value) =>
    rows.filter((r) => r.querySelector(`[data-col="${col}"]`)?.textContent === value).map((r) => r.dataset.id), col, value);

async function screenshot(page, name, theme) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `dashboard-${name}-${theme}.png`), fullPage: true });
}

// ---------------------------------------------------------------- setup

const env = {
  tmp: null, mid: null, frontier: null, server: null, base: null, browser: null, contexts: [],
  admin: null, viewer: null, user: null, responses: [], rows: [], adminPage: null, collection: null,
};

before(async () => {
  assert.ok(fs.existsSync(chromium), `no browser at ${chromium} (apt install chromium, or set TIERGATE_CHROMIUM)`);
  env.tmp = tempDir('tiergate-browser-');
  const dir = env.tmp.dir;
  env.mid = await startFakeUpstream({
    failure: (body) => (JSON.stringify(body.messages ?? []).includes(FAIL_MARK) ? { mode: 'status', status: 500 } : null),
  });
  env.frontier = await startFakeUpstream();
  const file = writeConfigFile(dir, config(env.mid, env.frontier));
  env.admin = createKey(dir, 'ops', { role: 'admin' });
  env.viewer = createKey(dir, 'ops', { role: 'viewer' });
  env.user = createKey(dir, XSS_TEAM);
  env.server = await startServer({ port: 0, extraArgs: ['--config', file] });
  env.base = env.server.base;

  // traffic: a few requests to each model, one the upstream fails, one with an email address
  const plan = [
    [STORIES, 'Once upon a time there was a cat.'],
    [STORIES, 'The little dog ran to the park.'],
    [STORIES, 'A bird sang in the tree.'],
    ['mid-x', 'Summarize the weekly status report.'],
    ['mid-x', 'List three colours of the rainbow.'],
    ['mid-x', 'Translate hello into French.'],
    ['mid-x', `Summarize this, ${FAIL_MARK}.`],
    ['frontier-x', 'Explain the difference between TCP and UDP.'],
    ['frontier-x', 'Write a haiku about autumn.'],
    ['frontier-x', 'Plan a three-day trip to Lisbon.'],
    ['frontier-x', 'Draft a reply to jane.doe@example.com about the invoice.'],
    ['pool-x', 'A call for the pool of deployments.'],
  ];
  for (const [model, content] of plan) {
    env.responses.push({ model, content, ...(await complete(env.user.key, model, content)) });
  }
  // a collection of the ordinary key's team, and one request that answers from it
  env.collection = await createCollection(env.user.key, 'handbook', 'handbook.txt', HANDBOOK);
  const rag = await post(env.base, '/v1/chat/completions',
    chat(RAG_QUESTION, { model: 'mid-x', max_tokens: 8, tiergate: { retrieval: { collections: [env.collection.id] } } }),
    { headers: bearer(env.user.key) });
  assert.equal(rag.status, 200, `the chat request with retrieval: ${rag.body}`);
  assert.ok(rag.json.tiergate?.citations?.length >= 1, `citations: ${rag.body}`);
  assert.ok(rag.json.tiergate.citations.every((c) => c.vector_store_id === env.collection.id), rag.body);
  env.responses.push({ model: 'mid-x', content: RAG_QUESTION, ...rag });
  const failed = env.responses.filter((r) => r.status !== 200);
  assert.equal(failed.length, 1, `exactly the marked request fails: ${failed.map((r) => `${r.model} ${r.status} ${r.body}`).join('\n')}`);
  assert.ok(failed[0].content.includes(FAIL_MARK) && failed[0].status >= 500, `${failed[0].status} ${failed[0].body}`);

  await waitFor('the admin API lists every request', async () => {
    const r = await adminGet('/admin/v1/ledger?range=1h&limit=500', env.admin.key);
    assert.equal(r.status, 200, `GET /admin/v1/ledger?range=1h&limit=500 answered ${r.status}: ${r.body}`);
    return r.json.rows.length === env.responses.length;
  }, { timeoutMs: 20_000 });
  env.rows = sqliteRows(path.join(dir, 'ledger.db'), 'SELECT * FROM requests ORDER BY time_ms DESC');
  assert.equal(env.rows.length, env.responses.length, 'ledger rows in the file');

  env.browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless=new', '--no-sandbox'],
    timeout: 30_000,
    protocolTimeout: 60_000,
  });
});

after(async () => {
  for (const c of env.contexts) await c.close().catch(() => {});
  await env.browser?.close().catch(() => {});
  if (env.server) {
    const e = await env.server.stop();
    assert.equal(e?.signal ?? null, null, `tiergate died by a signal\n${env.server.stderr()}`);
  }
  await env.mid?.close();
  await env.frontier?.close();
  env.tmp?.cleanup();
});

// ---------------------------------------------------------------- tests

test('the dashboard files are served from the binary with their security headers', async () => {
  const files = [
    ['/ui', 'text/html', 'index.html'],
    ['/ui/', 'text/html', 'index.html'],
    ['/ui/app.js', 'text/javascript', 'app.js'],
    ['/ui/app.css', 'text/css', 'app.css'],
  ];
  for (const [route, type, file] of files) {
    const { status, headers, body } = await get(env.base, route);
    assert.equal(status, 200, `GET ${route}: ${body.slice(0, 200)}`);
    assert.ok(headers.get('content-type')?.startsWith(type), `GET ${route}: content-type ${headers.get('content-type')}`);
    assert.equal(headers.get('content-security-policy'), CSP, `GET ${route}`);
    assert.equal(headers.get('x-content-type-options'), 'nosniff', `GET ${route}`);
    assert.equal(headers.get('referrer-policy'), 'no-referrer', `GET ${route}`);
    assert.ok(body === fs.readFileSync(path.join(uiDir, file), 'utf8'),
      `GET ${route} is not src/admin/ui/${file} as it is now: the binary embeds an older copy (rebuild it)`);
  }
  // nothing for the CSP to have to block, and nothing that parses data as markup
  const html = fs.readFileSync(path.join(uiDir, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline script');
  assert.doesNotMatch(html, /\sstyle\s*=|<style/i, 'inline style');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler');
  assert.doesNotMatch(html, /https?:\/\//i, 'an outside URL');
  const js = fs.readFileSync(path.join(uiDir, 'app.js'), 'utf8');
  assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function|setAttribute\(\s*['"]style/);
  assert.doesNotMatch(fs.readFileSync(path.join(uiDir, 'app.css'), 'utf8'), /@import|url\(\s*['"]?https?:/i, 'an outside resource');
});

test('an ordinary key is refused at sign-in', async () => {
  const page = await newPage('user');
  await signIn(page, env.user.key);
  await page.waitForSelector('[data-testid="signin-error"]', { visible: true });
  assert.match(await text(page, '[data-testid="signin-error"]'), /not an admin or viewer key/);
  assert.equal(await page.$eval('main', (m) => m.hidden), true, 'no page is shown');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tiergate.admin_key')), null, 'the key is not kept');
});

test('an admin signs in and every page renders, in light and in dark', async () => {
  const page = await newPage('admin');
  env.adminPage = page;
  await signIn(page, env.admin.key);
  await waitLoaded(page, 'overview');
  assert.equal(await text(page, '[data-testid="role"]'), 'admin');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tiergate.admin_key')), env.admin.key);
  assert.equal(await page.evaluate(() => location.hash), '#/overview');

  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  for (const name of PAGES) {
    await visit(page, name);
    assert.equal(await page.evaluate(() => location.hash), `#/${name}`);
    await screenshot(page, name, 'light');
  }
  // the toggle overrides the system's light preference, and is remembered
  await page.select('[data-testid="theme"]', 'dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.evaluate(() => localStorage.getItem('tiergate.theme')), 'dark');
  const dark = await background();
  assert.notEqual(dark, light, 'the dark theme changes the background');
  for (const name of PAGES) {
    await visit(page, name);
    await screenshot(page, name, 'dark');
  }
  // back to the system's preference: a dark system gives the dark theme without the toggle
  await page.select('[data-testid="theme"]', 'auto');
  assert.equal(await page.evaluate(() => localStorage.getItem('tiergate.theme')), null);
  assert.equal(await background(), light);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  assert.equal(await background(), dark);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  // navigating away marks the page as not loaded until its next answer is drawn
  await page.click('[data-testid="nav-overview"]');
  await waitLoaded(page, 'overview');
  await pause(page);
});

test('the overview counts every ledger row, its errors and its cost', async () => {
  const page = env.adminPage;
  assert.ok(page, 'the admin page is open');
  await visit(page, 'overview');
  const value = (id) => page.$eval(`[data-testid="${id}"]`, (e) => e.dataset.value);
  const rows = env.rows;
  const sum = (f) => rows.reduce((a, r) => a + f(r), 0);
  assert.equal(Number(await value('stat-requests')), rows.length);
  assert.equal(Number(await value('stat-errors')), rows.filter((r) => r.http_status >= 400).length);
  const cost = Number(await value('stat-cost'));
  assert.ok(near(cost, sum((r) => r.cost_usd)), `stat-cost ${cost} != ledger ${sum((r) => r.cost_usd)}`);
  assert.ok(cost > 0, 'the remote requests cost something');
  const counterfactual = Number(await value('stat-counterfactual'));
  assert.ok(near(counterfactual, sum((r) => r.counterfactual_cost_usd)), `stat-counterfactual ${counterfactual}`);
  const savings = Number(await value('stat-savings'));
  assert.ok(near(savings, counterfactual - cost, 1e-6), `stat-savings ${savings} != ${counterfactual} - ${cost}`);
  for (const tier of ['slm', 'mid', 'frontier']) {
    const share = Number(await page.$eval(`[data-testid="tier-${tier}"]`, (e) => e.dataset.share));
    const expected = rows.filter((r) => r.tier === tier).length / rows.length;
    assert.ok(near(share, expected, 1e-6), `tier-${tier} share ${share} != ${expected}`);
  }
  // the charts are drawn, with a legend
  assert.ok(await page.$('[data-testid="chart-requests"] rect'), 'the requests chart has bars');
  assert.ok(await page.$('[data-testid="chart-cost"]'), 'the spend chart');
  assert.ok((await page.$$('.legend li')).length >= 3, 'legends');
});

test('the ledger page lists exactly the requests made, newest first', async () => {
  const page = env.adminPage;
  await visit(page, 'ledger');
  const shown = await rowIds(page, 'table-ledger');
  assert.deepEqual([...shown].sort(), env.rows.map((r) => r.request_id).sort());
  const byId = new Map(env.rows.map((r) => [r.request_id, r]));
  for (let i = 1; i < shown.length; i++) {
    assert.ok(byId.get(shown[i - 1]).time_ms >= byId.get(shown[i]).time_ms, `row ${i} is older than row ${i - 1}`);
  }
  for (const r of env.responses.filter((x) => x.status === 200)) {
    assert.ok(shown.includes(r.json.id), `the answer ${r.json.id} (${r.model}) is in the table`);
  }
  assert.equal(await page.$eval('[data-testid="ledger-next"]', (b) => b.disabled), true, 'one page only');
  // a filter narrows the table: only the failed request
  await page.select('[data-testid="ledger-status"]', 'error');
  await page.click('[data-testid="ledger-apply"]');
  const failed = env.rows.filter((r) => r.http_status >= 400).map((r) => r.request_id);
  await waitFor('the error filter', async () => JSON.stringify(await rowIds(page, 'table-ledger')) === JSON.stringify(failed));
  await page.click('[data-testid="ledger-clear"]');
  await waitFor('the cleared filter', async () => (await rowIds(page, 'table-ledger')).length === env.rows.length);
});

test('a team name holding markup is shown as text on the ledger and keys pages', async () => {
  const page = env.adminPage;
  await visit(page, 'ledger');
  const inLedger = await rowsWhere(page, 'table-ledger', 'team', XSS_TEAM);
  assert.equal(inLedger.length, env.rows.filter((r) => r.team === XSS_TEAM).length);
  assert.ok(inLedger.length > 0);
  await visit(page, 'keys');
  assert.deepEqual(await rowsWhere(page, 'table-keys', 'team', XSS_TEAM), [env.user.id]);
  assert.equal(await page.$('img'), null, 'no img element was made');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(dialogs, []);
});

test('a key made in the form works until it is revoked in the page', async () => {
  const page = env.adminPage;
  await visit(page, 'keys');
  await pause(page);
  const team = `ui-made-${process.pid}`;
  await page.type('[data-testid="key-team"]', team);
  await page.select('[data-testid="key-role"]', 'user');
  await page.type('[data-testid="key-tiers"]', 'slm, mid');
  await page.type('[data-testid="key-ttl"]', '1d');
  await page.click('[data-testid="key-create"]');
  await page.waitForSelector('[data-testid="new-key"]', { visible: true });
  const key = (await text(page, '[data-testid="new-key"]')).trim();
  assert.match(key, /^tg-\S+$/);
  assert.match(await text(page, '[data-testid="new-key-box"]'), /shown only once/);
  const ids = await waitFor('the new key in the table', async () => {
    const found = await rowsWhere(page, 'table-keys', 'team', team);
    return found.length === 1 ? found : null;
  });
  const id = ids[0];
  assert.equal(await text(page, `[data-testid="table-keys"] tr[data-id="${id}"] [data-col="status"]`), 'active');
  assert.equal(await text(page, `[data-testid="table-keys"] tr[data-id="${id}"] [data-col="tiers"]`), 'slm, mid');
  await waitFor('the new key authenticates GET /v1/models', async () => (await modelsStatus(key)) === 200, { timeoutMs: 6_000 });

  await page.click(`[data-testid="revoke-${id}"]`);
  await page.waitForSelector('[data-testid="confirm-yes"]', { visible: true });
  assert.match(await text(page, '[data-testid="confirm-text"]'), new RegExp(id));
  await page.click('[data-testid="confirm-yes"]');
  await page.waitForFunction((id) =>
    document.querySelector(`[data-testid="table-keys"] tr[data-id="${id}"] [data-col="status"]`)?.textContent === 'revoked',
  { timeout: WAIT_MS }, id);
  assert.equal(await page.$(`[data-testid="revoke-${id}"]`), null, 'no revoke button on a revoked key');
  await waitFor('the revoked key is refused', async () => (await modelsStatus(key)) === 401, { timeoutMs: 6_000 });
  assert.deepEqual(dialogs, [], 'the confirmation is in the page');
});

test('the budgets page shows the configured team limit; an admin sets and removes one', async () => {
  const page = env.adminPage;
  await visit(page, 'budgets');
  await pause(page);
  const configured = 'team:ops:usd_per_day';
  assert.ok((await rowIds(page, 'table-budgets')).includes(configured), `no row ${configured}`);
  assert.equal(await text(page, `[data-testid="table-budgets"] tr[data-id="${configured}"] [data-col="source"]`), 'config');
  assert.equal(await text(page, `[data-testid="table-budgets"] tr[data-id="${configured}"] [data-col="limit"]`), '$5.00');

  const set = 'team:research:requests_per_minute';
  await page.select('[data-testid="budget-scope"]', 'team');
  await page.type('[data-testid="budget-id"]', 'research');
  await page.type('[data-testid="budget-requests_per_minute"]', '600');
  await page.click('[data-testid="budget-save"]');
  await waitFor(`row ${set}`, async () => (await rowIds(page, 'table-budgets')).includes(set));
  assert.equal(await text(page, `[data-testid="table-budgets"] tr[data-id="${set}"] [data-col="source"]`), 'api');
  await page.click(`[data-testid="budget-remove-${set}"]`);
  await page.waitForSelector('[data-testid="confirm-yes"]', { visible: true });
  await page.click('[data-testid="confirm-yes"]');
  await waitFor(`row ${set} gone`, async () => !(await rowIds(page, 'table-budgets')).includes(set));
  assert.equal(await page.$eval('[data-testid="error-banner"]', (b) => b.hidden), true);
});

test('the models page lists every configured model with its version', async () => {
  const page = env.adminPage;
  await visit(page, 'models');
  assert.deepEqual((await rowIds(page, 'table-models')).sort(), [STORIES, 'frontier-x', 'mid-x', 'pool-x'].sort());
  const r = await adminGet('/admin/v1/models', env.admin.key);
  assert.equal(r.status, 200, r.body);
  for (const m of r.json.models) {
    const shown = await text(page, `[data-testid="table-models"] tr[data-id="${m.name}"] [data-col="version"]`);
    assert.equal(shown, m.version ?? '\u2014', `the version of ${m.name}`);
  }
  assert.equal(r.json.models.find((m) => m.name === STORIES)?.version, 'base', `GET /admin/v1/models: ${r.body}`);
  assert.equal(r.json.models.find((m) => m.name === 'mid-x')?.version, null, `GET /admin/v1/models: ${r.body}`);
});

test('the models page shows each deployment of a pool as the admin API does', async () => {
  const page = env.adminPage;
  await visit(page, 'overview');
  await visit(page, 'models');  // drawn again, from a read after the traffic
  assert.deepEqual((await rowIds(page, 'table-deployments')).sort(), ['pool-x/east', 'pool-x/west']);
  const r = await adminGet('/admin/v1/models', env.admin.key);
  const pool = r.json.models.find((m) => m.name === 'pool-x');
  assert.equal(pool.deployments.length, 2, r.body);
  assert.equal(pool.deployments.reduce((a, d) => a + d.requests, 0), 1, r.body);
  for (const d of pool.deployments) {
    const row = `[data-testid="table-deployments"] tr[data-id="pool-x/${d.name}"]`;
    assert.equal(await text(page, `${row} [data-col="state"]`), d.state);
    assert.equal(await text(page, `${row} [data-col="requests"]`), String(d.requests));
    assert.equal(await text(page, `${row} [data-col="target"]`), d.target);
  }
  // the other models have no pool: no rows of theirs
  assert.ok((await rowIds(page, 'table-deployments')).every((id) => id.startsWith('pool-x/')));
});

test('the retrieval page shows the collection with the counts of the admin API', async () => {
  const page = env.adminPage;
  await visit(page, 'retrieval');
  const id = env.collection.id;
  const r = await adminGet('/admin/v1/collections?range=24h', env.admin.key);
  assert.equal(r.status, 200, `GET /admin/v1/collections?range=24h answered ${r.status}: ${r.body}`);
  const c = r.json.collections.find((x) => x.id === id);
  assert.ok(c, `collection ${id} in ${r.body}`);
  assert.equal(c.team, XSS_TEAM, r.body);
  assert.equal(c.documents, 1, r.body);
  assert.ok(c.chunks >= 1, r.body);
  assert.ok(c.requests >= 1 && c.chunks_retrieved >= c.requests, r.body);
  assert.ok(r.json.requests_with_retrieval >= 1, r.body);
  assert.deepEqual(await rowIds(page, 'table-retrieval'), r.json.collections.map((x) => x.id));
  const cell = (col) => text(page, `[data-testid="table-retrieval"] tr[data-id="${id}"] [data-col="${col}"]`);
  const count = async (col) => Number((await cell(col)).replace(/,/g, ''));
  assert.equal(await count('documents'), c.documents);
  assert.equal(await count('chunks'), c.chunks);
  assert.equal(await count('requests'), c.requests);
  assert.equal(await count('chunks_retrieved'), c.chunks_retrieved);
  assert.equal(await cell('name'), 'handbook');
  assert.equal(await cell('team'), XSS_TEAM, 'the team name is shown as text');
  assert.equal(await cell('on_prem_only'), 'no');
  const value = (testid) => page.$eval(`[data-testid="${testid}"]`, (e) => Number(e.dataset.value));
  assert.equal(await value('stat-retrieval'), r.json.requests_with_retrieval);
  assert.equal(await value('stat-requests'), r.json.requests);
  assert.ok(await page.$(`[data-testid="collection-${id}"]`), 'a bar for the collection');
  assert.equal(await page.$('img'), null, 'no img element was made');
});

test('the distillation page shows the local model serving its base weights', async () => {
  const page = env.adminPage;
  await visit(page, 'distillation');
  const r = await adminGet('/admin/v1/distillation?range=24h', env.admin.key);
  assert.equal(r.status, 200, `GET /admin/v1/distillation?range=24h answered ${r.status}: ${r.body}`);
  assert.deepEqual(r.json.serving, [{ model: STORIES, version: 'base' }], r.body);
  assert.deepEqual(await rowIds(page, 'table-distillation-serving'), [STORIES]);
  assert.equal(await text(page, `[data-testid="table-distillation-serving"] tr[data-id="${STORIES}"] [data-col="version"]`), 'base');
  // the local model answered in this period: one period, of its base weights, over every request
  const periods = r.json.periods.map((p) => `${p.model}:${p.version}`);
  assert.deepEqual(periods, [`${STORIES}:base`], r.body);
  assert.deepEqual(await rowIds(page, 'table-distillation'), periods);
  const local = env.rows.filter((row) => row.tier === 'slm').length;
  assert.equal(r.json.periods[0].requests, env.rows.length, r.body);
  assert.equal(r.json.periods[0].slm_requests, local, r.body);
  const bar = await page.$eval(`[data-testid="table-distillation"] tr[data-id="${STORIES}:base"] [data-col="slm_share"] svg`,
    (e) => Number(e.dataset.fraction));
  assert.ok(near(bar, r.json.periods[0].slm_share, 1e-6), `bar ${bar} != slm_share ${r.json.periods[0].slm_share}`);
  assert.equal(await page.$('[data-testid="distillation-empty"]'), null);
});

test('the privacy page counts the requests with findings, the email address among them', async () => {
  const page = env.adminPage;
  await visit(page, 'privacy');
  const pii = (r) => Object.keys(JSON.parse(r.pii_counts || '{}'));
  const withPii = env.rows.filter((r) => pii(r).length > 0);
  const email = env.responses.find((r) => r.content.includes('@example.com'));
  assert.ok(withPii.some((r) => r.request_id === email.json.id), 'the ledger row of the email request has findings');
  assert.equal(Number(await page.$eval('[data-testid="stat-findings"]', (e) => e.dataset.value)), withPii.length);
  const types = new Set(withPii.flatMap(pii));
  assert.equal((await page.$$('[data-testid="table-privacy-findings"] tbody tr[data-id]')).length, types.size);
  assert.equal((await page.$$('[data-testid^="finding-"]')).length, types.size, 'one bar per entity type');
  assert.ok((await rowIds(page, 'table-privacy')).length >= 1, 'what happened to them');
});

test('an admin reloads the config from the header', async () => {
  const page = env.adminPage;
  await page.click('[data-testid="reload-config"]');
  await page.waitForSelector('[data-testid="reload-result"]', { visible: true });
  assert.match(await text(page, '[data-testid="reload-result"]'), /Config reloaded/);
  assert.equal(await page.$eval('[data-testid="error-banner"]', (b) => b.hidden), true);
});

test('live: a new request reaches the ledger page without a reload', async () => {
  const page = env.adminPage;
  await visit(page, 'ledger');
  await setLive(page, true);
  const before = (await rowIds(page, 'table-ledger')).length;
  const r = await complete(env.user.key, 'mid-x', 'One more for the live view.');
  assert.equal(r.status, 200, r.body);
  await waitFor('the new row on the page', async () => (await rowIds(page, 'table-ledger')).includes(r.json.id), { timeoutMs: 15_000 });
  assert.equal((await rowIds(page, 'table-ledger')).length, before + 1);
});

test('a viewer sees every page but no form that changes anything', async () => {
  const page = await newPage('viewer');
  await signIn(page, env.viewer.key);
  await waitLoaded(page, 'overview');
  assert.equal(await text(page, '[data-testid="role"]'), 'viewer');
  assert.equal(await page.$eval('[data-testid="reload-config"]', (b) => b.hidden), true);
  for (const name of PAGES) await visit(page, name);
  assert.equal(await page.$('[data-testid="key-create-form"]'), null);
  assert.equal(await page.$('[data-testid^="revoke-"]'), null);
  assert.ok((await rowIds(page, 'table-keys')).includes(env.user.id), 'the keys are listed');
  await visit(page, 'budgets');
  assert.equal(await page.$('[data-testid="budget-form"]'), null);
  assert.equal(await page.$('[data-testid^="budget-remove-"]'), null);
  await page.click('[data-testid="signout"]');
  await page.waitForSelector('[data-testid="signin-key"]', { visible: true });
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tiergate.admin_key')), null);
});

test('no page caused a CSP violation, a console error or a dialog', async () => {
  assert.deepEqual(trouble, []);
  assert.deepEqual(dialogs, []);
  assert.equal(await env.adminPage?.evaluate(() => window.__xss), undefined);
});
