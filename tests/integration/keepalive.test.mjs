// Kept-alive connections on the real binary: the idle timeout is announced
// and honoured, a request begun is always answered (whole, or 408), and
// thousands of requests from Node's fetch (undici, keep-alive) in bursts
// separated by pauses around the idle timeout all get their answer, each
// recorded once in the ledger. Remote calls go to a Node upstream that
// closes its own idle connections after 5 s, so tiergate's pooled upstream
// connections go stale under the test as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { modelDir, pool, startServer, STORIES } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { tempDir as makeTempDir } from './lib/upstreams.mjs';
import { sqliteRows } from './lib/ledger.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A temporary directory, removed when the test ends.
function tempDir(t) {
  const { dir, cleanup } = makeTempDir('tiergate-keepalive-');
  t.after(cleanup);
  return dir;
}

function writeConfig(dir, { idleMs, readMs, upstream }) {
  const file = path.join(dir, 'tiergate.yaml');
  fs.writeFileSync(file, `
server:
  host: 127.0.0.1
  threads: 2
  idle_timeout_ms: ${idleMs}
  read_timeout_ms: ${readMs}
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
${upstream ? `  - name: mid-x
    provider: openai_compatible
    endpoint: ${upstream.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
    retries: { max_attempts: 1 }
` : ''}ledger:
  store: sqlite:${path.join(dir, 'ledger.db')}
  group_commit_ms: 50
`);
  return file;
}

// A raw TCP connection: write pieces, read what arrives, see when it closes.
function rawConnection(port) {
  const sock = net.connect({ host: '127.0.0.1', port });
  const state = { data: '', closedAt: null, error: null };
  sock.setEncoding('latin1');
  sock.on('data', (d) => { state.data += d; });
  sock.on('error', (e) => { state.error = e; });
  const closed = new Promise((resolve) => sock.on('close', () => { state.closedAt = performance.now(); resolve(); }));
  const connected = new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  return { sock, state, closed, connected };
}

async function waitFor(pred, timeoutMs) {
  const until = performance.now() + timeoutMs;
  while (!pred()) {
    if (performance.now() > until) return false;
    await sleep(10);
  }
  return true;
}

test('responses announce the idle timeout, and an idle connection stays open that long', async (t) => {
  const dir = tempDir(t);
  const server = await startServer({ extraArgs: ['--config', writeConfig(dir, { idleMs: 2000, readMs: 5000 })] });
  t.after(() => server.stop());

  const res = await fetch(server.base + '/health');
  await res.text();
  assert.equal(res.headers.get('connection'), 'keep-alive');
  assert.equal(res.headers.get('keep-alive'), 'timeout=2');

  const c = rawConnection(server.port);
  await c.connected;
  c.sock.write('GET /health HTTP/1.1\r\nHost: t\r\n\r\n');
  assert.ok(await waitFor(() => c.state.data.includes('\r\n\r\n'), 5000), 'no answer');
  const answeredAt = performance.now();
  assert.match(c.state.data, /^HTTP\/1\.1 200 /);
  assert.match(c.state.data, /\r\nKeep-Alive: timeout=2\r\n/i);
  await c.closed;
  const idle = c.state.closedAt - answeredAt;
  assert.ok(idle >= 1900 && idle < 4000, `closed after ${idle.toFixed(0)} ms idle, want about 2000`);
});

test('a request begun before the idle timeout is answered after it', async (t) => {
  const dir = tempDir(t);
  const server = await startServer({ extraArgs: ['--config', writeConfig(dir, { idleMs: 1000, readMs: 5000 })] });
  t.after(() => server.stop());

  // first request, then idle for most of the idle timeout
  const c = rawConnection(server.port);
  await c.connected;
  c.sock.write('GET /health HTTP/1.1\r\nHost: t\r\n\r\n');
  assert.ok(await waitFor(() => c.state.data.includes('\r\n\r\n'), 5000));
  c.state.data = '';
  await sleep(700);
  // the next request starts before the idle timeout and ends after it
  c.sock.write('POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n');
  await sleep(800);
  const body = JSON.stringify({ model: STORIES, messages: [{ role: 'user', content: 'Once' }], max_tokens: 2 });
  c.sock.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  assert.ok(await waitFor(() => /\r\n\r\n\{.*\}$/s.test(c.state.data), 10_000), `no answer: ${JSON.stringify(c.state.data)}`);
  assert.match(c.state.data, /^HTTP\/1\.1 200 /);
  assert.equal(c.state.closedAt, null, 'the connection was closed');
  c.sock.destroy();
});

test('a request that does not arrive whole within the read timeout is answered 408, then closed', async (t) => {
  const dir = tempDir(t);
  const server = await startServer({ extraArgs: ['--config', writeConfig(dir, { idleMs: 5000, readMs: 1000 })] });
  t.after(() => server.stop());

  const c = rawConnection(server.port);
  await c.connected;
  const started = performance.now();
  c.sock.write('POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model"');
  await c.closed;
  const took = performance.now() - started;
  assert.ok(took >= 900 && took < 4000, `answered after ${took.toFixed(0)} ms`);
  assert.match(c.state.data, /^HTTP\/1\.1 408 /);
  assert.match(c.state.data, /\r\nConnection: close\r\n/i);
  const json = JSON.parse(c.state.data.slice(c.state.data.indexOf('\r\n\r\n') + 4));
  assert.deepEqual(Object.keys(json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(json.error.code, 'request_timeout');
  assert.match(json.error.message, /1000 ms/);
});

test('thousands of kept-alive requests in bursts around the idle timeout: every one answered, none billed twice', async (t) => {
  const dir = tempDir(t);
  const up = await startFakeUpstream({ delayMs: 2 });  // Node's server: idle upstream connections close after 5 s
  t.after(() => up.close());
  const idleMs = 3000;
  const server = await startServer({ extraArgs: ['--config', writeConfig(dir, { idleMs, readMs: 10_000, upstream: up })] });
  t.after(() => server.stop());

  const results = { ok: 0, byStatus: new Map(), transport: [] };
  const one = async (i) => {
    const init = i % 3 === 0
      ? { method: 'GET' }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'mid-x', messages: [{ role: 'user', content: `burst request ${i}` }], max_tokens: 4 }),
        };
    try {
      const res = await fetch(server.base + (init.method === 'GET' ? '/v1/models' : '/v1/chat/completions'),
        { ...init, signal: AbortSignal.timeout(30_000) });
      await res.text();
      results.byStatus.set(res.status, (results.byStatus.get(res.status) ?? 0) + 1);
    } catch (e) {
      results.transport.push(`${e.name}: ${e.message} (${e.cause?.code ?? e.cause?.message ?? ''})`);
    }
  };
  // pauses around the server's idle timeout (and the upstream's 5 s)
  const pauses = [0, 1000, 2000, 2800, 2950, 3000, 3050, 3200, 4000, 5100];
  const perBurst = 200;
  let n = 0;
  for (const pause of pauses) {
    await sleep(pause);
    // 16 at a time: a burst reuses the connections of the one before
    await pool(Array.from({ length: perBurst }, () => n++), 16, one);
  }
  assert.deepEqual(results.transport, [], 'requests without an HTTP answer');
  const statuses = Object.fromEntries(results.byStatus);
  assert.deepEqual(statuses, { 200: n }, `statuses: ${JSON.stringify(statuses)}`);

  await sleep(300);
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const rows = sqliteRows(path.join(dir, 'ledger.db'), 'SELECT request_id, http_status FROM requests');
  const posts = pauses.length * perBurst - Math.ceil(pauses.length * perBurst / 3);
  assert.equal(rows.length, posts, 'one ledger row per chat request');
  assert.equal(new Set(rows.map((r) => r.request_id)).size, rows.length);
  assert.ok(rows.every((r) => r.http_status === 200), 'every row is a 200');
  const attempts = sqliteRows(path.join(dir, 'ledger.db'), 'SELECT COUNT(*) AS n FROM attempts')[0].n;
  assert.equal(attempts, posts, 'one attempt per chat request: a stale upstream connection is retried, not billed');
  assert.equal(up.requests, posts, 'each chat request reached the upstream exactly once');
});

test('an upstream that drops a kept-alive connection instead of answering: sent again on a new one, billed once', async (t) => {
  const http = await import('node:http');
  // Answers the first request of each connection; closes the connection on
  // any later request without a byte of answer (as an upstream whose idle
  // timeout fired just as the request arrived).
  let seen = 0;
  let dropped = 0;
  const up = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      seen++;
      req.socket.served = (req.socket.served ?? 0) + 1;
      if (req.socket.served > 1) {
        dropped++;
        req.socket.destroy();
        return;
      }
      const body = JSON.parse(raw);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: `up-${seen}`, object: 'chat.completion', created: 1, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      }));
    });
  });
  up.keepAliveTimeout = 60_000;
  await new Promise((r) => up.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => { up.closeAllConnections(); up.close(r); }));
  const upstream = { endpoint: `http://127.0.0.1:${up.address().port}/v1` };

  const dir = tempDir(t);
  const server = await startServer({ extraArgs: ['--config', writeConfig(dir, { idleMs: 10_000, readMs: 10_000, upstream })] });
  t.after(() => server.stop());
  const n = 20;
  for (let i = 0; i < n; i++) {
    const res = await fetch(server.base + '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mid-x', messages: [{ role: 'user', content: `sequential ${i}` }], max_tokens: 4 }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(JSON.parse(text).choices[0].message.content, 'fine');
  }
  // each of the two I/O threads keeps its own upstream connections: at most
  // one fresh connection per thread, every other request reuses one
  assert.ok(dropped >= n - 2, `the upstream dropped ${dropped} reused connections`);
  await sleep(300);
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const db = path.join(dir, 'ledger.db');
  const rows = sqliteRows(db, 'SELECT http_status FROM requests');
  assert.equal(rows.length, n);
  assert.ok(rows.every((r) => r.http_status === 200));
  const attempts = sqliteRows(db, 'SELECT http_status FROM attempts');
  assert.equal(attempts.length, n, 'one attempt per request: the resend is not a second attempt');
  assert.ok(attempts.every((a) => a.http_status === 200));
});

test('requests sent the moment their connection opens, on two I/O threads: every one answered and recorded once', async (t) => {
  // A readiness event that one I/O thread collects while the other has
  // already read the request used to look like a client that left: the
  // connection was closed under a request that went on to be recorded.
  const dir = tempDir(t);
  const up = await startFakeUpstream({ delayMs: 10 });
  t.after(() => up.close());
  const server = await startServer({ extraArgs: ['--config', writeConfig(dir, { idleMs: 10_000, readMs: 10_000, upstream: up })] });
  t.after(() => server.stop());

  const n = 2000;
  const failures = [];
  let answered = 0;
  await pool(Array.from({ length: n }, (_, i) => i), 32, (i) => new Promise((resolve) => {
    const body = JSON.stringify({ model: 'mid-x', messages: [{ role: 'user', content: `fresh ${i}` }], max_tokens: 2 });
    const sock = net.connect({ host: '127.0.0.1', port: server.port });
    let data = '';
    sock.setEncoding('latin1');
    sock.on('connect', () => sock.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: t\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`));
    sock.on('data', (d) => { data += d; });
    sock.on('error', (e) => { data += `\n[${e.code}]`; });
    sock.on('close', () => {
      if (/^HTTP\/1\.1 200 /.test(data) && data.includes('"chat.completion"')) answered++;
      else if (failures.length < 10) failures.push(`request ${i}: ${JSON.stringify(data.slice(0, 120))}`);
      else failures.push('');
      resolve();
    });
    sock.setTimeout(30_000, () => sock.destroy());
  }));
  assert.deepEqual(failures.filter(Boolean), [], `${failures.length} of ${n} without a whole answer`);
  assert.equal(answered, n);
  await sleep(300);
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
  const rows = sqliteRows(path.join(dir, 'ledger.db'), 'SELECT http_status, COUNT(*) AS n FROM requests GROUP BY http_status');
  assert.deepEqual(rows, [{ http_status: 200, n }]);
});
