// Remote models against a real upstream: llama.cpp's llama-server on
// 127.0.0.1 behind a tiergate model with provider openai_compatible.
// Answers, usage and route headers through the gateway are compared with the
// same request sent to llama-server directly (greedy decoding: same text).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { get, post, postStream, startServer } from './lib/server.mjs';
import { closedPort, remoteConfig, startLlamaServer, tempDir, writeFile } from './lib/upstreams.mjs';

let upstream;
let server;
let tmp;

before(async () => {
  upstream = await startLlamaServer();
  tmp = tempDir();
  const closed = await closedPort();
  let closedAlone = await closedPort();
  while (closedAlone === closed) closedAlone = await closedPort();
  const cfg = writeFile(tmp.dir, 'tiergate.yaml', remoteConfig({ upstreamBase: upstream.base, closed, closedAlone }));
  server = await startServer({ extraArgs: ['--config', cfg] });
});

after(async () => {
  const e = await server?.stop();
  await upstream?.stop();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

const chatBody = (model, extra = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Once upon a time' }],
  max_tokens: 8,
  temperature: 0,
  ...extra,
});
const textBody = (model, extra = {}) => ({ model, prompt: 'Once upon a time', max_tokens: 8, temperature: 0, ...extra });

function assertRoute(headers, { model = 'remote', tier = 'mid', route = 'pinned:remote' } = {}) {
  assert.equal(headers.get('x-tiergate-model'), model);
  assert.equal(headers.get('x-tiergate-tier'), tier);
  assert.equal(headers.get('x-tiergate-route'), route);
}

function streamedText(events, chat) {
  return events
    .filter((e) => e !== '[DONE]' && e.choices.length > 0)
    .map((e) => (chat ? e.choices[0].delta.content ?? '' : e.choices[0].text))
    .join('');
}

// tiergate_tokens_total for one model and direction, from /metrics.
async function tokenCounter(model, direction) {
  const m = await get(server.base, '/metrics');
  assert.equal(m.status, 200);
  const line = m.body
    .split('\n')
    .find((l) => l.startsWith('tiergate_tokens_total{') && l.includes(`model="${model}"`) &&
      l.includes(`direction="${direction}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('chat completions through openai_compatible', () => {
  test('non-streaming: the upstream answer, its usage and the route headers', async () => {
    const direct = await post(upstream.base, '/v1/chat/completions', chatBody('anything'));
    assert.equal(direct.status, 200, direct.body);
    const inBefore = await tokenCounter('remote', 'input');
    const outBefore = await tokenCounter('remote', 'output');

    const r = await post(server.base, '/v1/chat/completions', chatBody('remote'));
    assert.equal(r.status, 200, r.body);
    assertRoute(r.headers);
    assert.equal(r.json.object, 'chat.completion');
    assert.match(r.json.id, /^chatcmpl-/);
    assert.equal(r.json.model, 'remote');
    assert.equal(r.json.choices.length, 1);
    assert.equal(r.json.choices[0].message.role, 'assistant');
    assert.equal(r.json.choices[0].message.content, direct.json.choices[0].message.content);
    assert.equal(r.json.choices[0].finish_reason, 'length');
    // the upstream's counts (its chatml prompt), not an estimate from the bytes
    assert.equal(r.json.usage.prompt_tokens, direct.json.usage.prompt_tokens);
    assert.equal(r.json.usage.completion_tokens, direct.json.usage.completion_tokens);
    assert.equal(r.json.usage.completion_tokens, 8);
    assert.ok(r.json.usage.prompt_tokens > 20, `prompt_tokens ${r.json.usage.prompt_tokens}`);
    assert.equal(r.json.usage.total_tokens, r.json.usage.prompt_tokens + r.json.usage.completion_tokens);
    // and the same counts are accounted
    assert.equal(await tokenCounter('remote', 'input') - inBefore, direct.json.usage.prompt_tokens);
    assert.equal(await tokenCounter('remote', 'output') - outBefore, 8);
  });

  test('streaming: role first, the upstream text, finish_reason, usage chunk, [DONE]', async () => {
    const direct = await post(upstream.base, '/v1/chat/completions', chatBody('anything'));
    const r = await postStream(server.base, '/v1/chat/completions',
      chatBody('remote', { stream_options: { include_usage: true } }));
    assert.equal(r.status, 200, r.raw);
    assert.match(r.headers.get('content-type'), /^text\/event-stream/);
    assertRoute(r.headers);
    const ev = r.events;
    assert.equal(ev.at(-1), '[DONE]');
    const chunks = ev.slice(0, -1);
    assert.ok(chunks.length >= 4, `too few chunks: ${chunks.length}`);
    const id = chunks[0].id;
    for (const c of chunks) {
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.id, id);
      assert.equal(c.model, 'remote');
    }
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.equal(streamedText(ev, true), direct.json.choices[0].message.content);
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.prompt_tokens, direct.json.usage.prompt_tokens);
    assert.equal(usage.usage.completion_tokens, 8);
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'length');
  });

  test('an alias and the router name reach the same upstream', async () => {
    const alias = await post(server.base, '/v1/chat/completions', chatBody('remote-alias', { max_tokens: 2 }));
    assert.equal(alias.status, 200, alias.body);
    assertRoute(alias.headers);
    assert.equal(alias.json.model, 'remote');
    const routed = await post(server.base, '/v1/chat/completions', chatBody('auto', { max_tokens: 2 }));
    assert.equal(routed.status, 200, routed.body);
    assertRoute(routed.headers, { route: 'default:remote' });
  });

  test('sampling parameters reach the upstream: stop ends the text where the upstream stops', async () => {
    const free = await post(upstream.base, '/v1/chat/completions', chatBody('anything', { max_tokens: 16 }));
    const text = free.json.choices[0].message.content;
    assert.ok(text.length >= 4, `upstream text too short to cut: ${JSON.stringify(text)}`);
    const stop = text.slice(2, 4);
    const direct = await post(upstream.base, '/v1/chat/completions', chatBody('anything', { max_tokens: 16, stop: [stop] }));
    const r = await post(server.base, '/v1/chat/completions', chatBody('remote', { max_tokens: 16, stop: [stop] }));
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.choices[0].message.content, direct.json.choices[0].message.content);
    assert.equal(r.json.choices[0].finish_reason, 'stop');
    assert.ok(!r.json.choices[0].message.content.includes(stop));
  });
});

describe('text completions through openai_compatible', () => {
  test('non-streaming: the upstream text and usage', async () => {
    const direct = await post(upstream.base, '/v1/completions', textBody('anything'));
    assert.equal(direct.status, 200, direct.body);
    const r = await post(server.base, '/v1/completions', textBody('remote'));
    assert.equal(r.status, 200, r.body);
    assertRoute(r.headers);
    assert.equal(r.json.object, 'text_completion');
    assert.match(r.json.id, /^cmpl-/);
    assert.equal(r.json.model, 'remote');
    assert.equal(r.json.choices[0].text, direct.json.choices[0].text);
    assert.equal(r.json.choices[0].finish_reason, 'length');
    assert.equal(r.json.usage.prompt_tokens, direct.json.usage.prompt_tokens);
    assert.equal(r.json.usage.completion_tokens, 8);
  });

  test('streaming: the upstream text, usage chunk, [DONE]', async () => {
    const direct = await post(upstream.base, '/v1/completions', textBody('anything'));
    const r = await postStream(server.base, '/v1/completions',
      textBody('remote', { stream_options: { include_usage: true } }));
    assert.equal(r.status, 200, r.raw);
    assertRoute(r.headers);
    const ev = r.events;
    assert.equal(ev.at(-1), '[DONE]');
    for (const c of ev.slice(0, -1)) {
      assert.equal(c.object, 'text_completion');
    }
    assert.equal(streamedText(ev, false), direct.json.choices[0].text);
    const usage = ev.at(-2);
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.prompt_tokens, direct.json.usage.prompt_tokens);
    assert.equal(usage.usage.completion_tokens, 8);
  });
});

describe('fallback from a model whose upstream is down', () => {
  test('non-streaming: answered by the fallback, headers name it', async () => {
    const direct = await post(upstream.base, '/v1/chat/completions', chatBody('anything'));
    const r = await post(server.base, '/v1/chat/completions', chatBody('broken'));
    assert.equal(r.status, 200, r.body);
    assertRoute(r.headers, { model: 'remote', tier: 'mid', route: 'pinned:broken' });
    assert.equal(r.json.model, 'remote');
    assert.equal(r.json.choices[0].message.content, direct.json.choices[0].message.content);
    assert.equal(r.json.usage.prompt_tokens, direct.json.usage.prompt_tokens);
  });

  test('streaming: answered by the fallback', async () => {
    const direct = await post(upstream.base, '/v1/completions', textBody('anything'));
    const r = await postStream(server.base, '/v1/completions', textBody('broken'));
    assert.equal(r.status, 200, r.raw);
    assertRoute(r.headers, { model: 'remote', tier: 'mid', route: 'pinned:broken' });
    assert.equal(streamedText(r.events, false), direct.json.choices[0].text);
    assert.equal(r.events.at(-1), '[DONE]');
  });

  test('the fallback is counted in /metrics', async () => {
    const m = await get(server.base, '/metrics');
    const line = m.body.split('\n').find((l) => l.startsWith('tiergate_fallbacks_total{'));
    assert.ok(line, 'no tiergate_fallbacks_total sample');
    assert.ok(Number(line.split(' ').at(-1)) >= 2, line);
  });
});

describe('an upstream that is down, without fallbacks', () => {
  test('502 in the OpenAI error shape, streaming or not, until the circuit opens', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await post(server.base, '/v1/chat/completions', chatBody('lonely', { stream: i % 2 === 1 }));
      const body = r.json;
      assert.equal(r.status, 502, r.body);
      assert.match(r.headers.get('content-type'), /^application\/json/);
      assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(body.error.type, 'upstream_error');
      assert.equal(body.error.code, 'upstream_connect');
      assert.match(body.error.message, /lonely/);
      assert.equal(r.headers.get('x-tiergate-model'), 'lonely');
    }
    // five failures in a row open the circuit: refused without a connection
    const r = await post(server.base, '/v1/chat/completions', chatBody('lonely'));
    assert.equal(r.status, 503, r.body);
    assert.equal(r.json.error.type, 'service_unavailable_error');
    assert.match(r.json.error.message, /circuit open/);
  });

  test('the gateway still serves the healthy upstream', async () => {
    const r = await post(server.base, '/v1/chat/completions', chatBody('remote', { max_tokens: 2 }));
    assert.equal(r.status, 200, r.body);
  });
});
