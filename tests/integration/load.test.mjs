// Concurrency: cancelled streams free their slots, concurrent requests all
// complete, and 1,000 streaming connections are held at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';

import { STORIES, assertHealthy, chat, parseSse, pool, post, rawStream, startServer } from './lib/server.mjs';

const STREAMS = Number(process.env.TIERGATE_TEST_STREAMS || 1000);

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  const e = await server?.stop();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server.stderr()}`);
});

test('aborted streams free their slots', async () => {
  // Eight streams that would run until the context is full (2048 tokens).
  const controllers = [];
  const started = [];
  const streams = [];
  for (let i = 0; i < 8; i++) {
    const ac = new AbortController();
    controllers.push(ac);
    let resolveStarted;
    started.push(new Promise((r) => {
      resolveStarted = r;
    }));
    streams.push(
      fetch(server.base + '/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chat(`Tell a very long story number ${i}`, {
          stream: true, max_tokens: 100000, temperature: 1, seed: i, stop: [],
        })),
        signal: ac.signal,
      }).then(async (res) => {
        assert.equal(res.status, 200);
        const reader = res.body.getReader();
        await reader.read();
        resolveStarted(true);
        for (;;) {
          const { done } = await reader.read();
          if (done) break;
        }
      }).catch((e) => {
        resolveStarted(false);
        if (e.name !== 'AbortError') throw e;
      }),
    );
  }
  // All four slots are busy once four streams have produced output.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const states = await Promise.all(started.map((p) => Promise.race([p, new Promise((r) => setTimeout(() => r(null), 50))])));
    if (states.filter((s) => s === true).length >= 4) break;
    assert.ok(Date.now() < deadline, 'four streams did not start within 60 s');
  }
  for (const ac of controllers) ac.abort();
  await Promise.all(streams);

  // With the slots freed, four short requests (one per slot) finish quickly.
  const t0 = Date.now();
  const rs = await Promise.all([0, 1, 2, 3].map((i) =>
    post(server.base, '/v1/chat/completions', chat(`Hi ${i}`, { max_tokens: 4, temperature: 0 }),
      { signal: AbortSignal.timeout(60_000) })));
  const elapsed = Date.now() - t0;
  for (const r of rs) {
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.usage.completion_tokens, 4);
  }
  assert.ok(elapsed < 60_000, `short requests took ${elapsed} ms after the aborts`);
  process.stderr.write(`# cancellation: 4 follow-up requests in ${elapsed} ms\n`);

  // A second round of aborts in a queue deeper than the slots.
  const acs = Array.from({ length: 12 }, () => new AbortController());
  const queued = acs.map((ac, i) => fetch(server.base + '/v1/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: STORIES, prompt: `Story ${i}`, max_tokens: 100000, stream: true }),
    signal: ac.signal,
  }).then((res) => res.body?.cancel()).catch(() => {}));
  await new Promise((r) => setTimeout(r, 500));
  for (const ac of acs) ac.abort();
  await Promise.all(queued);
  const after2 = await post(server.base, '/v1/completions', { model: STORIES, prompt: 'Once', max_tokens: 3 },
    { signal: AbortSignal.timeout(60_000) });
  assert.equal(after2.status, 200);
  await assertHealthy(server.base);
});

// The number of requests the gateway answered with `status`, from /metrics.
async function requestsWithStatus(base, status) {
  const text = await (await fetch(base + '/metrics')).text();
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('tiergate_requests_total{') && line.includes(`status="${status}"`)) {
      n += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return n;
}

test('a client that leaves while its whole (unstreamed) answer is generated ends the generation', async () => {
  // Nothing is written to the connection until the answer is whole, so only
  // the server's watch on the idle connection can notice the client leaving:
  // the request ends cancelled (499) long before the slot's context is full.
  const before = await requestsWithStatus(server.base, 499);
  const body = JSON.stringify(chat('Tell a very long story', {
    max_tokens: 100000, temperature: 1, seed: 3, stop: [], stream: false,
  }));
  const sock = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => sock.on('connect', r));
  sock.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  await new Promise((r) => setTimeout(r, 300));
  const left = Date.now();
  sock.destroy();
  let after = before;
  while (after === before && Date.now() - left < 30_000) {
    await new Promise((r) => setTimeout(r, 25));
    after = await requestsWithStatus(server.base, 499);
  }
  assert.equal(after, before + 1, 'the request left by its client was not ended as cancelled');
  process.stderr.write(`# a client leaving an unstreamed answer: cancelled ${Date.now() - left} ms later\n`);
  await assertHealthy(server.base);
});

// Request i of the concurrency test: chat for three in four, text completion for the rest,
// sampled at temperature 1 with seed i, with the log-probability of every token.
function seeded(i) {
  if (i % 4 === 3) {
    return ['/v1/completions', { model: STORIES, prompt: `Once ${i}`, max_tokens: 8, temperature: 1, seed: i, logprobs: 1 }];
  }
  return ['/v1/chat/completions', chat(`Story ${i}`, { max_tokens: 8, temperature: 1, seed: i, stop: [], logprobs: true })];
}

// [token, logprob] per generated token of a chat or text completion.
function tokensOf(r) {
  const c = r.json.choices[0];
  if (c.logprobs.content) return c.logprobs.content.map((e) => [e.token, e.logprob]);
  return c.logprobs.tokens.map((t, k) => [t, c.logprobs.token_logprobs[k]]);
}

test('32 concurrent requests all complete, and a seed holds up to batch numerics', async () => {
  const jobs = Array.from({ length: 32 }, (_, i) => i);
  // Each request alone first: one at a time on the idle model.
  const alone = [];
  for (const i of jobs) {
    const r = await post(server.base, ...seeded(i), { signal: AbortSignal.timeout(60_000) });
    assert.equal(r.status, 200, r.body);
    alone.push(tokensOf(r));
  }
  const t0 = Date.now();
  const rs = await Promise.all(jobs.map((i) => post(server.base, ...seeded(i), { signal: AbortSignal.timeout(120_000) })));
  for (const r of rs) {
    assert.equal(r.status, 200, r.body);
    const u = r.json.usage;
    assert.ok(u.completion_tokens >= 1 && u.completion_tokens <= 8);
    if (r.json.choices[0].finish_reason === 'length') assert.equal(u.completion_tokens, 8);
  }
  const ids = new Set(rs.map((r) => r.json.id));
  assert.equal(ids.size, 32, 'every response has its own id');
  process.stderr.write(`# 32 concurrent requests in ${Date.now() - t0} ms\n`);

  // Same seed, same tokens, up to the numerics of the batch: decoded together, the logits
  // differ slightly from the request decoded alone (llama.cpp's CPU attention kernels
  // depend on the batch's shape), so a sampled token can change where the draw falls next
  // to a boundary. Up to that token every log-probability agrees closely; wrong KV state,
  // a sampler shared between slots or a seed not applied would differ from the first token.
  let identical = 0;
  let maxDiff = 0;
  for (const i of jobs) {
    const a = alone[i];
    const b = tokensOf(rs[i]);
    let k = 0;
    for (; k < Math.min(a.length, b.length) && a[k][0] === b[k][0]; k++) {
      const d = Math.abs(a[k][1] - b[k][1]);
      maxDiff = Math.max(maxDiff, d);
      assert.ok(d < 0.1, `request ${i}, token ${k}: logprob ${a[k][1]} alone, ${b[k][1]} in the batch`);
    }
    if (k === a.length && a.length === b.length) identical++;
  }
  process.stderr.write(`# ${identical} of 32 identical to the request decoded alone; ` +
    `largest logprob difference before a change ${maxDiff.toExponential(1)}\n`);
  assert.ok(identical >= 24, `only ${identical} of 32 requests gave the text they give alone`);

  // Decoded alone again, twice in a row: the same batches, the same answer.
  const again = [];
  for (let n = 0; n < 2; n++) {
    const r = await post(server.base, ...seeded(0));
    assert.equal(r.status, 200, r.body);
    again.push(r.json.choices[0].message.content);
  }
  assert.equal(again[1], again[0]);
});

test(`${STREAMS} concurrent streaming connections are all served`, async () => {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  let open = 0;
  let peak = 0;
  let connected = 0;
  let peakConnected = 0;
  const t0 = Date.now();
  const jobs = Array.from({ length: STREAMS }, (_, i) => i);
  const results = await Promise.all(jobs.map((i) => rawStream(server.port,
    chat(`Hi ${i % 10}`, { max_tokens: 4, temperature: 0, stream_options: { include_usage: true } }),
    {
      agent,
      timeoutMs: 220_000,
      onConnect: () => {
        connected++;
        peakConnected = Math.max(peakConnected, connected);
      },
      onFirstByte: () => {
        open++;
        peak = Math.max(peak, open);
      },
    }).then((r) => {
    open--;
    connected--;
    return r;
  }, (e) => ({ status: 0, raw: '', error: e }))));
  const elapsed = Date.now() - t0;
  agent.destroy();
  const failed = results.filter((r) => r.status !== 200);
  assert.equal(failed.length, 0, `${failed.length} failed, first: ${failed[0]?.error ?? failed[0]?.status}`);
  for (const r of results) {
    const ev = parseSse(r.raw);
    assert.equal(ev.at(-1), '[DONE]');
    const usage = ev.at(-2).usage;
    assert.ok(usage, 'usage chunk present');
    assert.ok(usage.completion_tokens >= 1 && usage.completion_tokens <= 4);
    assert.ok(ev.at(-3).choices[0].finish_reason);
  }
  assert.ok(peakConnected >= Math.floor(STREAMS * 0.9), `only ${peakConnected} connections were open at once`);
  process.stderr.write(`# ${STREAMS} streams in ${elapsed} ms (${peakConnected} connections open at once, ` +
    `${peak} streaming at once)\n`);
  await assertHealthy(server.base);
});

test('connections held open without a request do not block the server', async () => {
  const net = await import('node:net');
  const sockets = await pool(Array.from({ length: 200 }, (_, i) => i), 50, () => new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  }));
  try {
    const r = await post(server.base, '/v1/completions', { model: STORIES, prompt: 'Hello', max_tokens: 2 },
      { signal: AbortSignal.timeout(30_000) });
    assert.equal(r.status, 200);
    await assertHealthy(server.base);
  } finally {
    for (const s of sockets) s.destroy();
  }
});
