// The answer cache through the official SDKs against the real binary: a
// repeated question is answered without calling the upstream (whole or as a
// stream, OpenAI and Anthropic dialects), `x-tiergate-cache` names the
// outcome, another team never gets the answer, `Cache-Control: no-cache` and
// `tiergate.cache: false` bypass it, and the ledger shows hits at cost 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';

import { modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { startCaptureUpstream } from '../integration/lib/capture_upstream.mjs';
import { sqliteRows } from '../integration/lib/ledger.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';
import { createKey, openaiClient, rejectsWith } from './lib/team_clients.mjs';

let server;
let upstream;
let tmp;
let redKey;
let red;
let blue;

before(async () => {
  tmp = tempDir('tiergate-cache-');
  upstream = await startCaptureUpstream({ pieceBytes: 4 });
  redKey = createKey(path.join(tmp.dir, 'keys.db'), 'red');
  const blueKey = createKey(path.join(tmp.dir, 'keys.db'), 'blue');
  const cfg = writeFile(tmp.dir, 'tiergate.yaml', `
server:
  host: 127.0.0.1
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
  - name: external
    provider: openai_compatible
    endpoint: ${upstream.url}
    tier: frontier
    residency: external
    price: { input_per_mtok: 10, output_per_mtok: 30 }
    retries: { max_attempts: 1 }
keys:
  store: keys.db
ledger:
  store: sqlite:ledger.db
  group_commit_ms: 5
cache:
  ttl_s: 600
  similarity: 0.92
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
  red = openaiClient(server.base, redKey);
  blue = openaiClient(server.base, blueKey);
});

after(async () => {
  const e = await server?.stop();
  await upstream?.close();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

const ask = (client, content, extra = {}, options = {}) =>
  client.chat.completions
    .create({ model: 'external', messages: [{ role: 'user', content }], ...extra }, options)
    .withResponse();

async function ledgerRow(id) {
  for (let i = 0; i < 50; i++) {
    const rows = sqliteRows(path.join(tmp.dir, 'ledger.db'), `SELECT route, cache, cost_usd, counterfactual_cost_usd, output_tokens FROM requests WHERE request_id = '${id}'`);
    if (rows.length) return rows[0];
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.fail(`no ledger row for ${id}`);
}

test('the same question again is answered from the cache, without the upstream, at cost 0', async () => {
  const calls = upstream.received.length;
  const first = await ask(red, 'Which port does the gateway listen on?');
  assert.equal(first.response.headers.get('x-tiergate-cache'), 'miss');
  assert.equal(upstream.received.length, calls + 1);
  const again = await ask(red, 'Which port does the  gateway listen on?');
  assert.equal(again.response.headers.get('x-tiergate-cache'), 'exact');
  assert.equal(again.response.headers.get('x-tiergate-route'), 'cache:exact');
  assert.equal(again.response.headers.get('x-tiergate-model'), 'external');
  assert.equal(upstream.received.length, calls + 1, 'no second upstream call');
  assert.equal(again.data.choices[0].message.content, first.data.choices[0].message.content);
  assert.equal(again.data.choices[0].finish_reason, 'stop');
  assert.deepEqual(again.data.usage, first.data.usage);
  assert.notEqual(again.data.id, first.data.id);
  const close = await ask(red, 'which port does the gateway listen on');
  assert.equal(close.response.headers.get('x-tiergate-cache'), 'semantic');
  assert.equal(close.data.choices[0].message.content, first.data.choices[0].message.content);
  assert.equal(upstream.received.length, calls + 1);

  const paid = await ledgerRow(first.data.id);
  const hit = await ledgerRow(again.data.id);
  assert.equal(paid.cache, '');
  assert.ok(Number(paid.cost_usd) > 0);
  assert.equal(hit.cache, 'exact');
  assert.equal(hit.route, 'cache');
  assert.equal(Number(hit.cost_usd), 0);
  assert.ok(Number(hit.counterfactual_cost_usd) > 0, 'the saving is the counterfactual');
  assert.equal(hit.output_tokens, paid.output_tokens);
  assert.equal((await ledgerRow(close.data.id)).cache, 'semantic');

  const metrics = await (await fetch(`${server.base}/metrics`)).text();
  assert.match(metrics, /tiergate_cache_lookups_total\{result="exact"\} [1-9]/);
  assert.match(metrics, /tiergate_cache_lookups_total\{result="miss"\} [1-9]/);
});

test('a cached answer streams with the standard framing', async () => {
  const calls = upstream.received.length;
  const whole = await ask(red, 'Name the three tiers of the stack, say which one answers first, and why it is the cheapest.');
  const { data: stream, response } = await red.chat.completions
    .create({ model: 'external', messages: [{ role: 'user', content: 'Name the three tiers of the stack, say which one answers first, and why it is the cheapest.' }],
      stream: true, stream_options: { include_usage: true } })
    .withResponse();
  assert.equal(response.headers.get('x-tiergate-cache'), 'exact');
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  assert.equal(upstream.received.length, calls + 1);
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, whole.data.choices[0].message.content);
  assert.ok(chunks.filter((c) => c.choices[0]?.delta?.content).length > 1, 'the answer comes in pieces');
  assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason, 'stop');
  assert.deepEqual(chunks.at(-1).usage, whole.data.usage);
});

test('another team never receives the answer', async () => {
  const calls = upstream.received.length;
  await ask(red, 'What is our escalation policy?');
  const other = await ask(blue, 'What is our escalation policy?');
  assert.equal(other.response.headers.get('x-tiergate-cache'), 'miss');
  assert.equal(upstream.received.length, calls + 2);
});

test('Cache-Control: no-cache and tiergate.cache: false bypass it; a bad flag is a clear error', async () => {
  await ask(red, 'Summarize the release notes.');
  const calls = upstream.received.length;
  const fresh = await ask(red, 'Summarize the release notes.', {}, { headers: { 'Cache-Control': 'no-cache' } });
  assert.equal(fresh.response.headers.get('x-tiergate-cache'), 'bypass');
  const off = await ask(red, 'Summarize the release notes.', { tiergate: { cache: false } });
  assert.equal(off.response.headers.get('x-tiergate-cache'), 'bypass');
  assert.equal(upstream.received.length, calls + 2);
  const sent = JSON.parse(upstream.received.at(-1).body);
  assert.ok(!('tiergate' in sent), 'the extension is not sent upstream');
  await rejectsWith(ask(red, 'Summarize the release notes.', { tiergate: { cache: 'no' } }), 400, 'tiergate.cache');
});

test('logprobs are never answered from the cache', async () => {
  const first = await ask(red, 'Tell me a story', { model: STORIES, max_tokens: 4, logprobs: true, top_logprobs: 1 });
  const again = await ask(red, 'Tell me a story', { model: STORIES, max_tokens: 4, logprobs: true, top_logprobs: 1 });
  assert.notEqual(again.response.headers.get('x-tiergate-cache'), 'exact');
  assert.ok(again.data.choices[0].logprobs?.content?.length > 0);
  assert.ok(first.data.choices[0].logprobs?.content?.length > 0);
});

test('the Anthropic dialect is cached too, and streams from the cache', async () => {
  const anthropic = new Anthropic({ baseURL: server.base, apiKey: redKey, maxRetries: 0, timeout: 60_000 });
  const calls = upstream.received.length;
  const body = { model: 'external', max_tokens: 32, messages: [{ role: 'user', content: 'Where are the logs kept?' }] };
  const first = await anthropic.messages.create(body).withResponse();
  assert.equal(first.response.headers.get('x-tiergate-cache'), 'miss');
  const again = await anthropic.messages.create(body).withResponse();
  assert.equal(again.response.headers.get('x-tiergate-cache'), 'exact');
  assert.equal(again.data.type, 'message');
  assert.deepEqual(again.data.content, first.data.content);
  const events = [];
  for await (const e of await anthropic.messages.create({ ...body, stream: true })) events.push(e);
  assert.equal(events[0].type, 'message_start');
  assert.equal(events.at(-1).type, 'message_stop');
  const text = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('');
  assert.equal(text, first.data.content[0].text);
  assert.equal(upstream.received.length, calls + 1);
});
