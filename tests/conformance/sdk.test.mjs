// The official openai SDK against a running tiergate server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { RANDOM, STORIES, startServer } from '../integration/lib/server.mjs';

let server;
let client;

before(async () => {
  server = await startServer();
  client = new OpenAI({ baseURL: `${server.base}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 120_000 });
});
after(async () => {
  const e = await server?.stop();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server.stderr()}`);
});

describe('chat.completions', () => {
  test('create (non-streaming)', async () => {
    const r = await client.chat.completions.create({
      model: STORIES,
      messages: [{ role: 'system', content: 'You tell stories.' }, { role: 'user', content: 'Tell me about a cat' }],
      max_tokens: 8,
      temperature: 0,
      logprobs: true,
      top_logprobs: 2,
    });
    assert.equal(r.object, 'chat.completion');
    assert.match(r.id, /^chatcmpl-/);
    assert.equal(r.model, STORIES);
    assert.equal(r.choices.length, 1);
    const c = r.choices[0];
    assert.equal(c.index, 0);
    assert.equal(c.message.role, 'assistant');
    assert.equal(typeof c.message.content, 'string');
    assert.ok(['stop', 'length'].includes(c.finish_reason));
    assert.equal(c.logprobs.content.length, r.usage.completion_tokens);
    assert.equal(c.logprobs.content[0].top_logprobs.length, 2);
    assert.ok(r.usage.prompt_tokens > 0);
    assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
    assert.equal(typeof r.usage.prompt_tokens_details.cached_tokens, 'number');
  });

  test('withResponse exposes the status and headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: STORIES, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 })
      .withResponse();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-tiergate-model'), STORIES);
    assert.equal(data.choices.length, 1);
  });

  test('create (streaming, for await) with usage', async () => {
    const stream = await client.chat.completions.create({
      model: STORIES,
      messages: [{ role: 'user', content: 'Once upon a time' }],
      max_tokens: 6,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let role = null;
    let finish = null;
    let usage = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      assert.equal(chunk.object, 'chat.completion.chunk');
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        if (choice.delta.role) role = choice.delta.role;
        if (choice.delta.content) text += choice.delta.content;
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    assert.ok(chunks >= 3);
    assert.equal(role, 'assistant');
    assert.equal(finish, 'length');
    assert.equal(usage.completion_tokens, 6);
    const whole = await client.chat.completions.create({
      model: STORIES, messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 6, temperature: 0,
    });
    assert.equal(text, whole.choices[0].message.content);
    assert.equal(usage.prompt_tokens, whole.usage.prompt_tokens);
  });

  test('stream helper: finalChatCompletion', async () => {
    const runner = client.chat.completions.stream({
      model: STORIES,
      messages: [{ role: 'user', content: 'A dog' }],
      max_tokens: 5,
      seed: 7,
    });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0].message.role, 'assistant');
    assert.equal(typeof final.choices[0].message.content, 'string');
  });

  test('aborting a stream from the client', async () => {
    const ac = new AbortController();
    const stream = await client.chat.completions.create(
      { model: STORIES, messages: [{ role: 'user', content: 'Long' }], max_tokens: 100000, stream: true },
      { signal: ac.signal },
    );
    let n = 0;
    let thrown = null;
    try {
      for await (const chunk of stream) {
        assert.ok(chunk);
        if (++n === 3) ac.abort();
        assert.ok(n < 50, 'the stream went on after the abort');
      }
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown === null || thrown instanceof OpenAI.APIUserAbortError || thrown.name === 'AbortError', String(thrown));
    assert.ok(n >= 3);
    const ok = await client.chat.completions.create({
      model: STORIES, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2,
    });
    assert.equal(ok.choices.length, 1);
  });

  test('response_format json_schema parses', async () => {
    const r = await client.chat.completions.create({
      model: STORIES,
      messages: [{ role: 'user', content: 'A pet as JSON' }],
      max_tokens: 80,
      temperature: 0,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'pet',
          schema: {
            type: 'object',
            properties: { kind: { type: 'string', maxLength: 8 }, legs: { type: 'integer' } },
            required: ['kind', 'legs'],
            additionalProperties: false,
          },
        },
      },
    });
    assert.equal(r.choices[0].finish_reason, 'stop');
    const v = JSON.parse(r.choices[0].message.content);
    assert.equal(typeof v.kind, 'string');
    assert.ok(Number.isInteger(v.legs));
  });
});

describe('completions', () => {
  test('create (non-streaming) with logprobs', async () => {
    const r = await client.completions.create({ model: STORIES, prompt: 'Once upon a time', max_tokens: 5, temperature: 0, logprobs: 2 });
    assert.equal(r.object, 'text_completion');
    assert.equal(r.choices[0].logprobs.tokens.length, r.usage.completion_tokens);
    assert.equal(r.choices[0].logprobs.tokens.join(''), r.choices[0].text);
  });

  test('create (streaming)', async () => {
    const stream = await client.completions.create({
      model: STORIES, prompt: 'The dog', max_tokens: 4, temperature: 0, stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    let usage = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) text += c.text;
    }
    assert.equal(usage.completion_tokens, 4);
    const whole = await client.completions.create({ model: STORIES, prompt: 'The dog', max_tokens: 4, temperature: 0 });
    assert.equal(text, whole.choices[0].text);
  });
});

describe('embeddings', () => {
  test('float', async () => {
    const r = await client.embeddings.create({ model: STORIES, input: ['hello', 'world'], encoding_format: 'float' });
    assert.equal(r.data.length, 2);
    const v = r.data[0].embedding;
    assert.ok(Array.isArray(v) && v.length > 0);
    const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    assert.ok(Math.abs(n - 1) < 1e-3);
  });

  test('default (the SDK asks for base64 and decodes it)', async () => {
    const r = await client.embeddings.create({ model: STORIES, input: 'hello' });
    const f = await client.embeddings.create({ model: STORIES, input: 'hello', encoding_format: 'float' });
    const v = r.data[0].embedding;
    assert.ok(Array.isArray(v), `decoded to an array, got ${typeof v}`);
    assert.equal(v.length, f.data[0].embedding.length);
    for (let i = 0; i < v.length; i++) assert.equal(Math.fround(v[i]), Math.fround(f.data[0].embedding[i]));
  });
});

describe('models', () => {
  test('list', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids.sort(), ['auto', RANDOM, STORIES].sort());
  });
});

describe('errors', () => {
  test('unknown model: NotFoundError 404 model_not_found', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
      (e) => {
        assert.ok(e instanceof OpenAI.APIError);
        assert.ok(e instanceof OpenAI.NotFoundError);
        assert.equal(e.status, 404);
        assert.equal(e.code, 'model_not_found');
        assert.equal(e.param, 'model');
        assert.equal(e.type, 'not_found_error');
        return true;
      },
    );
    await assert.rejects(client.embeddings.create({ model: 'no-such-model', input: 'x' }),
      (e) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
  });

  test('unknown model while streaming throws before any chunk', async () => {
    await assert.rejects(
      (async () => {
        const s = await client.chat.completions.create({
          model: 'no-such-model', messages: [{ role: 'user', content: 'x' }], stream: true,
        });
        for await (const chunk of s) assert.fail(`unexpected chunk ${JSON.stringify(chunk)}`);
      })(),
      (e) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found',
    );
  });

  test('bad params: BadRequestError 400 with code and param', async () => {
    const cases = [
      [{ n: 2 }, 'unsupported_value', 'n'],
      [{ temperature: 5 }, 'invalid_value', 'temperature'],
      [{ top_logprobs: 3 }, 'invalid_value', 'top_logprobs'],
    ];
    for (const [extra, code, param] of cases) {
      await assert.rejects(
        client.chat.completions.create({ model: STORIES, messages: [{ role: 'user', content: 'x' }], ...extra }),
        (e) => {
          assert.ok(e instanceof OpenAI.BadRequestError, String(e));
          assert.equal(e.status, 400);
          assert.equal(e.code, code);
          assert.equal(e.param, param);
          assert.equal(e.type, 'invalid_request_error');
          return true;
        },
      );
    }
  });

  test('prompt over the context: 400 context_length_exceeded', async () => {
    await assert.rejects(
      client.completions.create({ model: STORIES, prompt: 'a dog and a cat '.repeat(1000), max_tokens: 2 }),
      (e) => e instanceof OpenAI.BadRequestError && e.code === 'context_length_exceeded',
    );
  });
});
