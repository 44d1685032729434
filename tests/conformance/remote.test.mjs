// The official openai SDK through tiergate to a remote model: llama.cpp's
// llama-server on 127.0.0.1 behind provider openai_compatible. Upstream
// failures must reach the SDK as APIError with the OpenAI error shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { post, startServer } from '../integration/lib/server.mjs';
import { closedPort, remoteConfig, startLlamaServer, tempDir, writeFile } from '../integration/lib/upstreams.mjs';

let upstream;
let server;
let tmp;
let client;

before(async () => {
  upstream = await startLlamaServer();
  tmp = tempDir();
  const closed = await closedPort();
  let closedAlone = await closedPort();
  while (closedAlone === closed) closedAlone = await closedPort();
  const cfg = writeFile(tmp.dir, 'tiergate.yaml', remoteConfig({ upstreamBase: upstream.base, closed, closedAlone }));
  server = await startServer({ extraArgs: ['--config', cfg] });
  client = new OpenAI({ baseURL: `${server.base}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
});

after(async () => {
  const e = await server?.stop();
  await upstream?.stop();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

const messages = [{ role: 'user', content: 'Once upon a time' }];

// The same request sent to llama-server itself.
async function direct(route, body) {
  const r = await post(upstream.base, route, { ...body, model: 'anything' });
  assert.equal(r.status, 200, r.body);
  return r.json;
}

function assertErrorShape(err, { status, type, code }) {
  assert.ok(err instanceof OpenAI.APIError, `not an APIError: ${err}`);
  assert.equal(err.status, status);
  assert.deepEqual(Object.keys(err.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(err.type, type);
  assert.equal(err.code, code);
  assert.equal(typeof err.error.message, 'string');
  assert.ok(err.error.message.length > 0);
}

describe('chat.completions to a remote model', () => {
  test('create (non-streaming) with the upstream usage and headers', async () => {
    const want = await direct('/v1/chat/completions', { messages, max_tokens: 8, temperature: 0 });
    const { data: r, response } = await client.chat.completions
      .create({ model: 'remote', messages, max_tokens: 8, temperature: 0 })
      .withResponse();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tiergate-model'), 'remote');
    assert.equal(response.headers.get('x-tiergate-tier'), 'mid');
    assert.equal(r.object, 'chat.completion');
    assert.match(r.id, /^chatcmpl-/);
    assert.equal(r.model, 'remote');
    assert.equal(r.choices[0].message.role, 'assistant');
    assert.equal(r.choices[0].message.content, want.choices[0].message.content);
    assert.equal(r.choices[0].finish_reason, 'length');
    assert.equal(r.usage.prompt_tokens, want.usage.prompt_tokens);
    assert.equal(r.usage.completion_tokens, 8);
    assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + 8);
  });

  test('create (streaming, for await) with usage', async () => {
    const want = await direct('/v1/chat/completions', { messages, max_tokens: 8, temperature: 0 });
    const stream = await client.chat.completions.create({
      model: 'remote',
      messages,
      max_tokens: 8,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let role = null;
    let finish = null;
    let usage = null;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.model, 'remote');
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        if (c.delta.role) role = c.delta.role;
        if (c.delta.content) text += c.delta.content;
        if (c.finish_reason) finish = c.finish_reason;
      }
    }
    assert.equal(role, 'assistant');
    assert.equal(text, want.choices[0].message.content);
    assert.equal(finish, 'length');
    assert.equal(usage.prompt_tokens, want.usage.prompt_tokens);
    assert.equal(usage.completion_tokens, 8);
  });

  test('stream helper: finalChatCompletion', async () => {
    const want = await direct('/v1/chat/completions', { messages, max_tokens: 6, temperature: 0 });
    const runner = client.chat.completions.stream({ model: 'remote', messages, max_tokens: 6, temperature: 0 });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0].message.content, want.choices[0].message.content);
    assert.equal(final.choices[0].finish_reason, 'length');
  });

  test('a fallback answers for a model whose upstream is down', async () => {
    const want = await direct('/v1/chat/completions', { messages, max_tokens: 4, temperature: 0 });
    const { data: r, response } = await client.chat.completions
      .create({ model: 'broken', messages, max_tokens: 4, temperature: 0 })
      .withResponse();
    assert.equal(response.headers.get('x-tiergate-model'), 'remote');
    assert.equal(response.headers.get('x-tiergate-route'), 'pinned:broken');
    assert.equal(r.model, 'remote');
    assert.equal(r.choices[0].message.content, want.choices[0].message.content);
  });
});

describe('completions to a remote model', () => {
  test('create, streaming and not', async () => {
    const want = await direct('/v1/completions', { prompt: 'Once upon a time', max_tokens: 8, temperature: 0 });
    const r = await client.completions.create({ model: 'remote', prompt: 'Once upon a time', max_tokens: 8, temperature: 0 });
    assert.equal(r.object, 'text_completion');
    assert.equal(r.choices[0].text, want.choices[0].text);
    assert.equal(r.usage.prompt_tokens, want.usage.prompt_tokens);
    const stream = await client.completions.create({
      model: 'remote', prompt: 'Once upon a time', max_tokens: 8, temperature: 0, stream: true,
    });
    let text = '';
    for await (const chunk of stream) {
      for (const c of chunk.choices) text += c.text;
    }
    assert.equal(text, want.choices[0].text);
  });
});

describe('upstream errors as APIError', () => {
  test('upstream down, non-streaming: 502 with the OpenAI error shape', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'lonely', messages, max_tokens: 4 }),
      (err) => {
        assert.ok(err instanceof OpenAI.InternalServerError, `${err?.constructor?.name}`);
        assertErrorShape(err, { status: 502, type: 'upstream_error', code: 'upstream_connect' });
        assert.match(err.message, /lonely/);
        assert.equal(err.headers.get('x-tiergate-model'), 'lonely');
        return true;
      },
    );
  });

  test('upstream down, streaming: the error comes before any chunk', async () => {
    await assert.rejects(
      (async () => {
        const stream = await client.chat.completions.create({ model: 'lonely', messages, max_tokens: 4, stream: true });
        for await (const chunk of stream) {
          assert.fail(`a chunk arrived: ${JSON.stringify(chunk)}`);
        }
      })(),
      (err) => {
        assertErrorShape(err, { status: 502, type: 'upstream_error', code: 'upstream_connect' });
        return true;
      },
    );
  });

  test('the upstream rejects the request: 400 with the upstream message', async () => {
    const prompt = 'hello '.repeat(3000);  // more than llama-server's context per slot
    await assert.rejects(
      client.completions.create({ model: 'remote', prompt, max_tokens: 4 }),
      (err) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `${err?.constructor?.name}: ${err?.message}`);
        assertErrorShape(err, { status: 400, type: 'invalid_request_error', code: 'upstream_rejected' });
        assert.match(err.error.message, /context size/);
        return true;
      },
    );
  });

  test('a healthy request still works afterwards', async () => {
    const r = await client.chat.completions.create({ model: 'remote', messages, max_tokens: 2 });
    assert.equal(r.choices.length, 1);
  });
});
