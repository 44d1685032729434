// Chat and text completions: streaming framing, usage, seeds, logprobs,
// structured output and prefix reuse.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { STORIES, RANDOM, chat, post, postStream, startServer } from './lib/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  const e = await server?.stop();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server.stderr()}`);
});

describe('streaming framing', () => {
  test('chat stream: role first, finish_reason last, usage chunk, [DONE]', async () => {
    const r = await postStream(server.base, '/v1/chat/completions',
      chat('Tell me a story', { max_tokens: 6, temperature: 0, stream_options: { include_usage: true } }));
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/event-stream/);
    const ev = r.events;
    assert.equal(ev.at(-1), '[DONE]');
    assert.equal(ev.filter((e) => e === '[DONE]').length, 1);
    const chunks = ev.slice(0, -1);
    assert.ok(chunks.length >= 3, `too few chunks: ${chunks.length}`);
    const id = chunks[0].id;
    for (const c of chunks) {
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.id, id, 'one id for the whole stream');
      assert.equal(c.model, STORIES);
      assert.equal(typeof c.created, 'number');
    }
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.usage.completion_tokens, 6);
    assert.equal(usageChunk.usage.total_tokens, usageChunk.usage.prompt_tokens + 6);
    const content = chunks.slice(0, -1);
    const last = content.at(-1);
    assert.equal(last.choices[0].finish_reason, 'length');
    for (const c of content.slice(0, -1)) {
      assert.equal(c.choices.length, 1);
      assert.equal(c.choices[0].finish_reason, null);
      assert.equal(c.usage, undefined, 'usage only in the usage chunk');
    }
    for (const c of content.slice(1)) {
      assert.equal(c.choices[0].delta.role, undefined, 'role only in the first chunk');
    }
  });

  test('without include_usage there is no usage chunk', async () => {
    const r = await postStream(server.base, '/v1/chat/completions', chat('Hello', { max_tokens: 3 }));
    assert.equal(r.status, 200);
    const chunks = r.events.slice(0, -1);
    assert.equal(r.events.at(-1), '[DONE]');
    for (const c of chunks) {
      assert.equal(c.choices.length, 1);
      assert.equal(c.usage, undefined);
    }
    assert.notEqual(chunks.at(-1).choices[0].finish_reason, null);
  });

  test('text completion stream has the same framing', async () => {
    const r = await postStream(server.base, '/v1/completions', {
      model: STORIES, prompt: 'Once upon a time', max_tokens: 5, temperature: 0,
      stream_options: { include_usage: true },
    });
    assert.equal(r.status, 200);
    assert.equal(r.events.at(-1), '[DONE]');
    const chunks = r.events.slice(0, -1);
    for (const c of chunks) assert.equal(c.object, 'text_completion');
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.equal(chunks.at(-1).usage.completion_tokens, 5);
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'length');
    const whole = await post(server.base, '/v1/completions', {
      model: STORIES, prompt: 'Once upon a time', max_tokens: 5, temperature: 0,
    });
    const streamed = chunks.slice(0, -1).map((c) => c.choices[0].text).join('');
    assert.equal(streamed, whole.json.choices[0].text, 'greedy stream text equals the whole response');
  });

  test('streamed chat text equals the non-streamed text at temperature 0', async () => {
    const body = chat('The cat', { max_tokens: 12, temperature: 0 });
    const whole = await post(server.base, '/v1/chat/completions', body);
    const s = await postStream(server.base, '/v1/chat/completions', body);
    const text = s.events.slice(0, -1).map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, whole.json.choices[0].message.content);
  });
});

describe('usage', () => {
  test('prompt_tokens agree between streaming and non-streaming', async () => {
    const body = chat('A little dog ran to the park and', { max_tokens: 4, temperature: 0 });
    const whole = await post(server.base, '/v1/chat/completions', body);
    assert.equal(whole.status, 200);
    const s = await postStream(server.base, '/v1/chat/completions', { ...body, stream_options: { include_usage: true } });
    const u = s.events.at(-2).usage;
    assert.ok(whole.json.usage.prompt_tokens > 5);
    assert.equal(u.prompt_tokens, whole.json.usage.prompt_tokens);
    assert.equal(u.completion_tokens, whole.json.usage.completion_tokens);
    assert.equal(whole.json.usage.total_tokens, whole.json.usage.prompt_tokens + whole.json.usage.completion_tokens);
  });

  test('completion_tokens equals max_tokens and the number of logprobs entries at length', async () => {
    for (const model of [STORIES, RANDOM]) {
      const r = await post(server.base, '/v1/chat/completions', {
        model, messages: [{ role: 'user', content: 'Go on' }], max_tokens: 9, logprobs: true, temperature: 1, seed: 5,
        stop: [],
      });
      assert.equal(r.status, 200, r.body);
      const c = r.json.choices[0];
      if (c.finish_reason === 'length') {
        assert.equal(r.json.usage.completion_tokens, 9, model);
      } else {
        assert.ok(r.json.usage.completion_tokens <= 9, model);
      }
      assert.equal(c.logprobs.content.length, r.json.usage.completion_tokens, model);
    }
  });

  test('streamed logprobs entries add up to completion_tokens', async () => {
    const s = await postStream(server.base, '/v1/chat/completions',
      chat('Sun', { max_tokens: 7, logprobs: true, top_logprobs: 2, temperature: 0, stream_options: { include_usage: true } }));
    const chunks = s.events.slice(0, -1);
    const n = chunks.reduce((acc, c) => acc + (c.choices[0]?.logprobs?.content?.length ?? 0), 0);
    assert.equal(n, chunks.at(-1).usage.completion_tokens);
  });

  test('text completion usage and the default of 16 tokens', async () => {
    const r = await post(server.base, '/v1/completions', { model: STORIES, prompt: 'Lily', temperature: 1, seed: 3 });
    assert.equal(r.status, 200);
    assert.ok(r.json.usage.completion_tokens <= 16);
    if (r.json.choices[0].finish_reason === 'length') assert.equal(r.json.usage.completion_tokens, 16);
  });
});

describe('seed', () => {
  test('same seed at temperature 1 gives the same text; streaming too', async () => {
    const body = chat('Once there was', { max_tokens: 24, temperature: 1, seed: 1234 });
    const a = await post(server.base, '/v1/chat/completions', body);
    const b = await post(server.base, '/v1/chat/completions', body);
    assert.equal(a.status, 200);
    assert.ok(a.json.choices[0].message.content.length > 0);
    assert.equal(a.json.choices[0].message.content, b.json.choices[0].message.content);
    const s = await postStream(server.base, '/v1/chat/completions', body);
    const text = s.events.slice(0, -1).map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, a.json.choices[0].message.content);
  });

  test('different seeds eventually give different text', async () => {
    const texts = new Set();
    for (const seed of [1, 2, 3, 4]) {
      const r = await post(server.base, '/v1/completions',
        { model: STORIES, prompt: 'Tom', max_tokens: 24, temperature: 1.5, seed });
      texts.add(r.json.choices[0].text);
    }
    assert.ok(texts.size > 1, 'four seeds, one text');
  });
});

describe('logit_bias', () => {
  test('a +100 bias makes a token the only choice; a ban keeps it out; a token outside the vocabulary is a 400', async () => {
    const greedy = await post(server.base, '/v1/chat/completions', chat('Hi', { max_tokens: 6, temperature: 0, logprobs: true }));
    assert.equal(greedy.status, 200);
    const first = greedy.json.choices[0].logprobs.content[0];
    // the token the model would pick first, found by its logprob entry: ban it and it is gone
    const ids = await post(server.base, '/v1/chat/completions', chat('Hi', { max_tokens: 1, temperature: 0, logit_bias: { 300: 100 }, logprobs: true }));
    assert.equal(ids.status, 200, ids.body);
    const forced = ids.json.choices[0].logprobs.content[0].token;
    const again = await post(server.base, '/v1/chat/completions', chat('Hi', { max_tokens: 5, temperature: 0.8, seed: 3, logit_bias: { 300: 100 } }));
    assert.equal(again.json.choices[0].message.content, forced.repeat(5), 'every token is the biased one, sampled or not');
    const banned = await post(server.base, '/v1/chat/completions', chat('Hi', { max_tokens: 6, temperature: 0, logit_bias: { 300: -100 }, logprobs: true }));
    assert.ok(banned.json.choices[0].logprobs.content.every((e) => e.token !== forced), 'the banned token never appears');
    assert.equal(typeof first.token, 'string');
    const outside = await post(server.base, '/v1/chat/completions', chat('Hi', { logit_bias: { 99999999: 1 } }));
    assert.equal(outside.status, 400);
    assert.equal(outside.json.error.param, 'logit_bias');
    const bad = await post(server.base, '/v1/chat/completions', chat('Hi', { logit_bias: { abc: 1 } }));
    assert.equal(bad.status, 400);
    const range = await post(server.base, '/v1/chat/completions', chat('Hi', { logit_bias: { 5: 200 } }));
    assert.equal(range.status, 400);
    const effort = await post(server.base, '/v1/chat/completions', chat('Hi', { reasoning_effort: 'low' }));
    assert.equal(effort.status, 400);
    assert.equal(effort.json.error.param, 'reasoning_effort');
  });
});

describe('logprobs', () => {
  test('chat logprobs shape, sorting and greedy consistency', async () => {
    const r = await post(server.base, '/v1/chat/completions',
      chat('Hi', { max_tokens: 10, temperature: 0, logprobs: true, top_logprobs: 4 }));
    assert.equal(r.status, 200);
    const content = r.json.choices[0].logprobs.content;
    assert.equal(content.length, r.json.usage.completion_tokens);
    for (const e of content) {
      assert.equal(typeof e.token, 'string');
      assert.ok(e.logprob <= 0);
      assert.ok(Array.isArray(e.bytes) && e.bytes.length > 0);
      if (!e.token.includes('\uFFFD')) assert.deepEqual(e.bytes, [...Buffer.from(e.token, 'utf8')]);
      assert.equal(e.top_logprobs.length, 4);
      for (let i = 1; i < e.top_logprobs.length; i++) {
        assert.ok(e.top_logprobs[i - 1].logprob >= e.top_logprobs[i].logprob, 'sorted, most probable first');
      }
      assert.equal(e.top_logprobs[0].token, e.token, 'greedy picks the top token');
      assert.ok(Math.abs(e.top_logprobs[0].logprob - e.logprob) < 1e-5);
      const p = e.top_logprobs.reduce((acc, t) => acc + Math.exp(t.logprob), 0);
      assert.ok(p <= 1 + 1e-4, `probabilities sum to ${p}`);
    }
    const joined = Buffer.concat(content.map((e) => Buffer.from(e.bytes))).toString('utf8');
    assert.equal(joined, r.json.choices[0].message.content);
  });

  test('logprobs off gives null; top_logprobs 0 gives empty lists', async () => {
    const off = await post(server.base, '/v1/chat/completions', chat('Hi', { max_tokens: 2 }));
    assert.equal(off.json.choices[0].logprobs, null);
    const zero = await post(server.base, '/v1/chat/completions',
      chat('Hi', { max_tokens: 3, logprobs: true, top_logprobs: 0 }));
    for (const e of zero.json.choices[0].logprobs.content) assert.deepEqual(e.top_logprobs, []);
  });

  test('top_logprobs 20 on the 32k-vocabulary model', async () => {
    const r = await post(server.base, '/v1/chat/completions', {
      model: RANDOM, messages: [{ role: 'user', content: 'x' }], max_tokens: 3, temperature: 0, logprobs: true, top_logprobs: 20,
    });
    assert.equal(r.status, 200);
    for (const e of r.json.choices[0].logprobs.content) {
      assert.equal(e.top_logprobs.length, 20);
      assert.ok(Math.abs(e.top_logprobs[0].logprob - e.logprob) < 1e-5);
    }
  });

  test('completions logprobs (integer) shape and offsets', async () => {
    const r = await post(server.base, '/v1/completions',
      { model: STORIES, prompt: 'Once upon a time', max_tokens: 8, temperature: 0, logprobs: 3 });
    assert.equal(r.status, 200);
    const lp = r.json.choices[0].logprobs;
    const n = r.json.usage.completion_tokens;
    assert.equal(lp.tokens.length, n);
    assert.equal(lp.token_logprobs.length, n);
    assert.equal(lp.top_logprobs.length, n);
    assert.equal(lp.text_offset.length, n);
    let off = 0;
    for (let i = 0; i < n; i++) {
      assert.equal(lp.text_offset[i], off);
      off += Buffer.byteLength(lp.tokens[i]);
      const alts = Object.entries(lp.top_logprobs[i]);
      assert.ok(alts.length >= 1 && alts.length <= 3);
      const best = Math.max(...alts.map(([, v]) => v));
      assert.ok(Math.abs(best - lp.token_logprobs[i]) < 1e-5, 'greedy token is the most probable');
      assert.equal(lp.top_logprobs[i][lp.tokens[i]], lp.token_logprobs[i]);
    }
    assert.equal(lp.tokens.join(''), r.json.choices[0].text);
  });
});

describe('response_format', () => {
  test('json_schema output parses and matches the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 12 },
        age: { type: 'integer' },
        happy: { type: 'boolean' },
      },
      required: ['name', 'age', 'happy'],
      additionalProperties: false,
    };
    for (const seed of [3]) {
      const r = await post(server.base, '/v1/chat/completions', chat('Give me a person as JSON', {
        max_tokens: 120, temperature: 0.7, seed,
        response_format: { type: 'json_schema', json_schema: { name: 'person', schema } },
      }));
      assert.equal(r.status, 200, r.body);
      assert.equal(r.json.choices[0].finish_reason, 'stop', 'the grammar closes the object');
      const v = JSON.parse(r.json.choices[0].message.content);
      assert.equal(typeof v, 'object');
      assert.deepEqual(Object.keys(v).sort(), ['age', 'happy', 'name']);
      assert.equal(typeof v.name, 'string');
      assert.ok(v.name.length <= 12);
      assert.ok(Number.isInteger(v.age));
      assert.equal(typeof v.happy, 'boolean');
    }
  });

  test('json_object output is a JSON object', async () => {
    const r = await post(server.base, '/v1/chat/completions', chat('JSON please', {
      max_tokens: 60, temperature: 0, response_format: { type: 'json_object' },
    }));
    assert.equal(r.status, 200);
    if (r.json.choices[0].finish_reason === 'stop') {
      const v = JSON.parse(r.json.choices[0].message.content);
      assert.ok(v && typeof v === 'object' && !Array.isArray(v));
    } else {
      assert.match(r.json.choices[0].message.content.trimStart(), /^\{/);
    }
  });

  test('bad response_format is a 400 with a param', async () => {
    const r = await post(server.base, '/v1/chat/completions',
      chat('x', { response_format: { type: 'json_schema', json_schema: { name: 'n' } } }));
    assert.equal(r.status, 400);
    assert.equal(r.json.error.param, 'response_format.json_schema.schema');
    const t = await post(server.base, '/v1/chat/completions', chat('x', { response_format: { type: 'yaml' } }));
    assert.equal(t.status, 400);
    assert.equal(t.json.error.code, 'invalid_value');
  });
});

describe('prefix reuse', () => {
  test('a follow-up turn reports cached prompt tokens', async () => {
    const tag = `Pip the otter number ${Date.now() % 100000} swam in the river with a red boat`;
    const first = await post(server.base, '/v1/chat/completions', chat(tag, { max_tokens: 6, temperature: 0 }));
    assert.equal(first.status, 200);
    const reply = first.json.choices[0].message.content;
    const second = await post(server.base, '/v1/chat/completions', {
      model: STORIES,
      max_tokens: 4,
      temperature: 0,
      messages: [
        { role: 'user', content: tag },
        { role: 'assistant', content: reply },
        { role: 'user', content: 'What happened next?' },
      ],
    });
    assert.equal(second.status, 200);
    const cached = second.json.usage.prompt_tokens_details.cached_tokens;
    const before = first.json.usage.prompt_tokens_details.cached_tokens;
    assert.ok(cached > before, `cached ${cached} should exceed the first turn's ${before}`);
    assert.ok(cached >= Math.floor(first.json.usage.prompt_tokens / 2), `cached ${cached} of ${first.json.usage.prompt_tokens}`);
    assert.ok(cached < second.json.usage.prompt_tokens);
  });

  test('the same prompt again reuses all but the last token at most', async () => {
    const body = chat('A blue bird sang a song', { max_tokens: 2, temperature: 0 });
    await post(server.base, '/v1/chat/completions', body);
    const again = await post(server.base, '/v1/chat/completions', body);
    const u = again.json.usage;
    assert.ok(u.prompt_tokens_details.cached_tokens > 0);
    assert.ok(u.prompt_tokens_details.cached_tokens < u.prompt_tokens);
  });
});

describe('sampling parameters', () => {
  test('every documented sampling field is accepted', async () => {
    const r = await post(server.base, '/v1/chat/completions', chat('Hi', {
      max_tokens: 4, temperature: 0.8, top_p: 0.9, top_k: 20, min_p: 0.05, presence_penalty: 0.5,
      frequency_penalty: 0.5, seed: 9, stop: ['zzz'], user: 'u1', max_completion_tokens: 4,
    }));
    assert.equal(r.status, 200, r.body);
    assert.ok(r.json.usage.completion_tokens <= 4);
  });

  test('presence and frequency penalties change greedy decoding', async () => {
    const body = { model: STORIES, prompt: 'Once upon a time', max_tokens: 48, temperature: 0, logprobs: 1 };
    const plain = await post(server.base, '/v1/completions', body);
    assert.equal(plain.status, 200, plain.body);
    const repeats = (tokens) => tokens.length - new Set(tokens).size;
    const base = plain.json.choices[0].logprobs.tokens;
    for (const extra of [{ presence_penalty: 1.5 }, { frequency_penalty: 1.5 }]) {
      const r = await post(server.base, '/v1/completions', { ...body, ...extra });
      assert.equal(r.status, 200, r.body);
      const tokens = r.json.choices[0].logprobs.tokens;
      assert.notEqual(r.json.choices[0].text, plain.json.choices[0].text, JSON.stringify(extra));
      assert.ok(repeats(tokens) < repeats(base), `${JSON.stringify(extra)}: ${repeats(tokens)} repeats, ` +
        `${repeats(base)} without`);
    }
  });

  test('a stop sequence is not part of the output', async () => {
    const base = await post(server.base, '/v1/completions',
      { model: STORIES, prompt: 'Once upon a time', max_tokens: 16, temperature: 0 });
    const text = base.json.choices[0].text;
    const words = text.trim().split(/\s+/);
    assert.ok(words.length >= 3, `short text: ${JSON.stringify(text)}`);
    const stop = words[2];
    const cut = await post(server.base, '/v1/completions',
      { model: STORIES, prompt: 'Once upon a time', max_tokens: 16, temperature: 0, stop });
    assert.equal(cut.json.choices[0].finish_reason, 'stop');
    assert.ok(!cut.json.choices[0].text.includes(stop));
    assert.equal(cut.json.choices[0].text, text.slice(0, text.indexOf(stop)));
  });
});
