// Process lifecycle: startup line, port selection, shutdown on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { assertHealthy, chat, startServer } from './lib/server.mjs';

test('SIGTERM during a stream shuts the server down cleanly after the drain window', async () => {
  const server = await startServer({ extraArgs: ['--drain-ms', '2000'] });
  try {
    await assertHealthy(server.base);
    const res = await fetch(server.base + '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat('A long story', { stream: true, max_tokens: 100000 })),
      signal: AbortSignal.timeout(60_000),
    });
    assert.equal(res.status, 200);
    const reader = res.body.getReader();
    await reader.read();
    const t0 = Date.now();
    server.proc.kill('SIGTERM');
    const e = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 20_000);
      server.proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
      if (server.exited()) resolve(server.exited());
    });
    assert.ok(e, 'still running 20 s after SIGTERM');
    assert.deepEqual(e, { code: 0, signal: null });
    process.stderr.write(`# exit after SIGTERM in ${Date.now() - t0} ms\n`);
    await reader.read().then(() => {}, () => {});
    await assert.rejects(fetch(server.base + '/health', { signal: AbortSignal.timeout(5000) }));
  } finally {
    await server.stop();
  }
});

test('SIGTERM lets a request in flight finish before the server exits', async () => {
  const server = await startServer({ extraArgs: ['--drain-ms', '30000'] });
  try {
    await assertHealthy(server.base);
    const pending = fetch(server.base + '/v1/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'stories260K', prompt: 'Once upon a time', max_tokens: 200 }),
      signal: AbortSignal.timeout(60_000),
    }).catch((e) => e);
    // the request is on its way before the signal
    await new Promise((r) => setTimeout(r, 150));
    server.proc.kill('SIGTERM');
    const res = await pending;
    assert.ok(!(res instanceof Error), `the request in flight failed: ${res}`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.object, 'text_completion');
    assert.ok(body.usage.completion_tokens > 0);
    const e = await new Promise((resolve) => {
      if (server.exited()) return resolve(server.exited());
      server.proc.once('exit', (code, signal) => resolve({ code, signal }));
    });
    assert.deepEqual(e, { code: 0, signal: null });
  } finally {
    await server.stop();
  }
});

test('--port 0 picks a free port', async () => {
  const a = await startServer({ port: 0, startTimeoutMs: 60_000 });
  let b;
  try {
    b = await startServer({ port: 0, startTimeoutMs: 60_000 });
    assert.notEqual(a.port, b.port);
    assert.notEqual(a.port, 0);
    await assertHealthy(a.base);
    await assertHealthy(b.base);
  } finally {
    await b?.stop();
    await a.stop();
  }
});
