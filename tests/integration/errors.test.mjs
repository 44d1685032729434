// Error handling: every bad request gets the OpenAI error shape and the
// right status, and the server keeps answering afterwards. Hostile input
// never brings it down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';

import { STORIES, assertHealthy, chat, get, post, startServer } from './lib/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  const e = await server?.stop();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server.stderr()}`);
});

function assertError(r, status, code, param) {
  assert.equal(r.status, status, r.body.slice(0, 400));
  assert.ok(r.json && r.json.error, `not an error object: ${r.body.slice(0, 200)}`);
  const e = r.json.error;
  assert.deepEqual(Object.keys(e).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0);
  assert.equal(typeof e.type, 'string');
  if (code !== undefined) assert.equal(e.code, code);
  if (param !== undefined) assert.equal(e.param, param);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
}

// Sends raw bytes on a fresh connection; resolves with what came back.
function rawExchange(bytes, { timeoutMs = 15_000 } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(server.port, '127.0.0.1');
    let data = '';
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (d) => {
      data += d;
    });
    sock.on('end', done);
    sock.on('error', done);
    sock.on('connect', () => sock.end(bytes));
  });
}

const routes = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings'];

describe('request errors', () => {
  test('malformed JSON', async () => {
    for (const route of routes) {
      assertError(await post(server.base, route, '{"model": "stories260K",'), 400, 'invalid_json');
      assertError(await post(server.base, route, '{bad'), 400, 'invalid_json');
      assertError(await post(server.base, route, ''), 400, 'invalid_json');
      assertError(await post(server.base, route, '[1,2]'), 400, 'invalid_json');
      assertError(await post(server.base, route, '"a string"'), 400, 'invalid_json');
      // numbers too large for a double, bare and inside a request
      assertError(await post(server.base, route, '6E851'), 400, 'invalid_json');
      assertError(await post(server.base, route, '{"model":"stories260K","temperature":1e999}'), 400, 'invalid_json');
      await assertHealthy(server.base);
    }
  });

  test('wrong types', async () => {
    const cases = [
      [{ model: 7, messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: STORIES, messages: 'hello' }, 'messages'],
      [{ model: STORIES, messages: ['hello'] }, 'messages[0]'],
      [chat('x', { temperature: 'hot' }), 'temperature'],
      [chat('x', { max_tokens: 2.5 }), 'max_tokens'],
      [chat('x', { stream: 'yes' }), 'stream'],
      [chat('x', { stop: 5 }), 'stop'],
      [chat('x', { logprobs: 1 }), 'logprobs'],
      [chat('x', { seed: 'abc' }), 'seed'],
      [{ model: STORIES, messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
    ];
    for (const [body, param] of cases) {
      const r = await post(server.base, '/v1/chat/completions', body);
      assertError(r, 400, 'invalid_type', param);
    }
    assertError(await post(server.base, '/v1/completions', { model: STORIES, prompt: 5 }), 400, 'invalid_type', 'prompt');
    assertError(await post(server.base, '/v1/embeddings', { model: STORIES, input: 5 }), 400, 'invalid_type', 'input');
    await assertHealthy(server.base);
  });

  test('values out of range', async () => {
    const cases = [
      [chat('x', { temperature: 3 }), 'temperature'],
      [chat('x', { top_p: 1.5 }), 'top_p'],
      [chat('x', { max_tokens: 0 }), 'max_tokens'],
      [chat('x', { presence_penalty: -3 }), 'presence_penalty'],
      [chat('x', { logprobs: true, top_logprobs: 21 }), 'top_logprobs'],
      [chat('x', { top_logprobs: 2 }), 'top_logprobs'],
      [chat('x', { stop: ['a', 'b', 'c', 'd', 'e'] }), 'stop'],
      [{ model: STORIES, messages: [] }, 'messages'],
      [{ model: STORIES, messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: '', messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [chat('x', { stream_options: { include_usage: true } }), 'stream_options'],
    ];
    for (const [body, param] of cases) {
      const r = await post(server.base, '/v1/chat/completions', body);
      assertError(r, 400, undefined, param);
    }
    assertError(await post(server.base, '/v1/completions', { model: STORIES, prompt: 'x', logprobs: 6 }), 400,
      'invalid_value', 'logprobs');
    assertError(await post(server.base, '/v1/embeddings', { model: STORIES, input: 'x', encoding_format: 'hex' }), 400,
      'invalid_value', 'encoding_format');
    assertError(await post(server.base, '/v1/embeddings', { model: STORIES, input: 'x', pooling: 'max' }), 400,
      'invalid_value', 'pooling');
    assertError(await post(server.base, '/v1/embeddings', { model: STORIES, input: [''] }), 400, 'invalid_value', 'input');
    await assertHealthy(server.base);
  });

  test('missing fields', async () => {
    assertError(await post(server.base, '/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] }), 400,
      'missing_field', 'model');
    assertError(await post(server.base, '/v1/chat/completions', { model: STORIES }), 400, 'missing_field', 'messages');
    assertError(await post(server.base, '/v1/chat/completions', { model: STORIES, messages: [{ role: 'user' }] }), 400,
      'missing_field', 'messages[0].content');
    assertError(await post(server.base, '/v1/chat/completions', { model: STORIES, messages: [{ content: 'x' }] }), 400,
      'missing_field', 'messages[0].role');
    assertError(await post(server.base, '/v1/completions', { model: STORIES }), 400, 'missing_field', 'prompt');
    assertError(await post(server.base, '/v1/embeddings', { model: STORIES }), 400, 'missing_field', 'input');
    assertError(await post(server.base, '/v1/embeddings', { input: 'x' }), 400, 'missing_field', 'model');
    await assertHealthy(server.base);
  });

  test('unknown model is a 404 model_not_found on every route', async () => {
    const bodies = {
      '/v1/chat/completions': chat('x', { model: 'no-such-model' }),
      '/v1/completions': { model: 'no-such-model', prompt: 'x' },
      '/v1/embeddings': { model: 'no-such-model', input: 'x' },
    };
    for (const [route, body] of Object.entries(bodies)) {
      const r = await post(server.base, route, body);
      assertError(r, 404, 'model_not_found', 'model');
      assert.match(r.json.error.message, /no-such-model/);
    }
    const s = await post(server.base, '/v1/chat/completions', chat('x', { model: 'no-such-model', stream: true }));
    assertError(s, 404, 'model_not_found', 'model');
    await assertHealthy(server.base);
  });

  test('unsupported parameters', async () => {
    assertError(await post(server.base, '/v1/chat/completions', chat('x', { n: 2 })), 400, 'unsupported_value', 'n');
    assertError(await post(server.base, '/v1/chat/completions', chat('x', { frobnicate: true })), 400,
      'unsupported_parameter', 'frobnicate');
    assertError(await post(server.base, '/v1/chat/completions', chat('x', { functions: [] })), 400, 'unsupported_parameter', 'functions');
    // a local model takes tools or response_format, not both
    assertError(await post(server.base, '/v1/chat/completions',
      chat('x', { tools: [{ type: 'function', function: { name: 'f' } }], response_format: { type: 'json_object' } })),
    400, 'unsupported_parameter', 'response_format');
    assertError(await post(server.base, '/v1/completions', { model: STORIES, prompt: 'x', echo: true }), 400,
      'unsupported_value', 'echo');
    assertError(await post(server.base, '/v1/completions', { model: STORIES, prompt: ['a', 'b'] }), 400,
      'unsupported_value', 'prompt');
    assertError(await post(server.base, '/v1/embeddings', { model: STORIES, input: 'x', dimensions: 8 }), 400,
      'unsupported_value', 'dimensions');
    assertError(await post(server.base, '/v1/chat/completions', {
      model: STORIES, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
    }), 400, 'invalid_value', 'messages[0].content[0].image_url.url');
    assertError(await post(server.base, '/v1/chat/completions', {
      model: STORIES, messages: [{ role: 'user', content: [{ type: 'video', video: {} }] }],
    }), 400, 'unsupported_value', 'messages[0].content[0].type');
    // an image to a model whose config does not take images: refused, never silently dropped
    assertError(await post(server.base, '/v1/chat/completions', {
      model: STORIES, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }],
    }), 400, 'images_unsupported');
    const ok = await post(server.base, '/v1/chat/completions', chat('x', { n: 1, store: false, max_tokens: 1 }));
    assert.equal(ok.status, 200, ok.body);
    await assertHealthy(server.base);
  });

  test('invalid UTF-8 body', async () => {
    const prefix = Buffer.from('{"model":"stories260K","messages":[{"role":"user","content":"');
    const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]);
    for (const route of routes) {
      const r = await post(server.base, route, body);
      assertError(r, 400, 'invalid_utf8');
      assert.match(r.json.error.message, new RegExp(`offset ${prefix.length}\\b`));
    }
    const overlong = Buffer.concat([prefix, Buffer.from([0xc0, 0xaf]), Buffer.from('"}]}')]);
    assertError(await post(server.base, '/v1/chat/completions', overlong), 400, 'invalid_utf8');
    await assertHealthy(server.base);
  });

  test('prompt over the context is 400 context_length_exceeded', async () => {
    const long = 'the dog ran to the park and '.repeat(600);
    const r = await post(server.base, '/v1/chat/completions', chat(long, { max_tokens: 4 }));
    assertError(r, 400, 'context_length_exceeded', 'messages');
    assert.match(r.json.error.message, /2048 tokens/);
    const c = await post(server.base, '/v1/completions', { model: STORIES, prompt: long, max_tokens: 4 });
    assertError(c, 400, 'context_length_exceeded');
    const s = await post(server.base, '/v1/chat/completions', chat(long, { stream: true }));
    assertError(s, 400, 'context_length_exceeded');
    const e = await post(server.base, '/v1/embeddings', { model: STORIES, input: long });
    assertError(e, 400, 'context_length_exceeded', 'input');
    await assertHealthy(server.base);
  });

  test('body over 8 MiB is 413; a body just under is parsed', async () => {
    const declared = await rawExchange('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n' +
      'Content-Type: application/json\r\nContent-Length: 9000000\r\n\r\n');
    assert.match(declared, /^HTTP\/1\.1 413 /);
    const body = JSON.parse(declared.slice(declared.indexOf('\r\n\r\n') + 4));
    assert.equal(body.error.code, 'body_too_large');
    assert.match(body.error.message, /8388608/);
    const big = '{"model":"stories260K","junk":"' + 'a'.repeat(8 * 1024 * 1024) + '"}';
    try {
      const r = await post(server.base, '/v1/chat/completions', big);
      assertError(r, 413, 'body_too_large');
    } catch (e) {
      assert.match(String(e.cause?.code ?? e.message), /ECONNRESET|EPIPE|UND_ERR_SOCKET|fetch failed/);
    }
    const under = '{"model":"stories260K","junk":"' + 'a'.repeat(8 * 1024 * 1024 - 64) + '"}';
    assertError(await post(server.base, '/v1/chat/completions', under), 400, 'unsupported_parameter', 'junk');
    await assertHealthy(server.base);
  });

  test('a client that uploads the whole over-limit body reads the 413',
    async () => {
      const big = '{"model":"stories260K","junk":"' + 'a'.repeat(9 * 1024 * 1024) + '"}';
      let status = 0;
      for (let i = 0; i < 3; i++) {
        try {
          status = (await post(server.base, '/v1/chat/completions', big)).status;
        } catch {
          status = 0;
        }
        assert.equal(status, 413, `attempt ${i}`);
      }
    });

  test('unknown route is 404 unknown_route', async () => {
    assertError(await get(server.base, '/v1/nothing'), 404, 'unknown_route');
    assertError(await post(server.base, '/v2/chat/completions', chat('x')), 404, 'unknown_route');
    assertError(await get(server.base, '/'), 404, 'unknown_route');
    await assertHealthy(server.base);
  });

  test('query strings do not change the route', async () => {
    const r = await get(server.base, '/v1/models?limit=1');
    assert.equal(r.status, 200);
    assert.equal(r.json.object, 'list');
  });
});

describe('wrong method', () => {
  const cases = [
    ['GET', '/v1/chat/completions', 'POST'],
    ['PUT', '/v1/completions', 'POST'],
    ['GET', '/v1/embeddings', 'POST'],
    ['POST', '/v1/models', 'GET'],
    ['DELETE', '/v1/models', 'GET'],
  ];

  test('a wrong method names the allowed one and the server stays up', async () => {
    for (const [method, route, allowed] of cases) {
      const r = await get(server.base, route, { method });
      assert.equal(r.status, 405, `${method} ${route}`);
      assert.equal(r.json.error.code, 'method_not_allowed');
      assert.equal(r.headers.get('allow'), allowed);
    }
    await assertHealthy(server.base);
  });

  test('a wrong method is HTTP 405', async () => {
    for (const [method, route] of cases) {
      const r = await get(server.base, route, { method });
      assert.equal(r.status, 405, `${method} ${route}`);
    }
  });

  test('/health only answers GET', async () => {
    const r = await get(server.base, '/health', { method: 'DELETE' });
    assert.equal(r.status, 405);
  });
});

describe('hostile input', () => {
  test('random bytes on the socket', async () => {
    for (let i = 0; i < 20; i++) {
      const junk = crypto.randomBytes(64 + Math.floor(Math.random() * 4096));
      const reply = await rawExchange(junk, { timeoutMs: 5000 });
      if (reply.length > 0) assert.match(reply, /^HTTP\/1\.1 4\d\d /);
    }
    const reply = await rawExchange('GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 4\d\d /);
    const badLen = await rawExchange('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n');
    assert.match(badLen, /^HTTP\/1\.1 400 /);
    await assertHealthy(server.base);
  });

  test('random bytes as a body', async () => {
    for (let i = 0; i < 30; i++) {
      const body = crypto.randomBytes(1 + Math.floor(Math.random() * 20000));
      const r = await post(server.base, routes[i % routes.length], body);
      assertError(r, 400);
      assert.ok(['invalid_utf8', 'invalid_json'].includes(r.json.error.code), r.json.error.code);
    }
    await assertHealthy(server.base);
  });

  test('random JSON-ish text as a body', async () => {
    const alphabet = '{}[]":,0123456789.-+eEtrufalsn \\/u"abc';
    for (let i = 0; i < 50; i++) {
      let s = '';
      const n = 1 + Math.floor(Math.random() * 400);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
      const r = await post(server.base, routes[i % routes.length], s);
      assert.ok(r.status >= 400 && r.status < 500, `${r.status} for ${JSON.stringify(s)}`);
      assert.ok(r.json?.error, r.body.slice(0, 200));
    }
    await assertHealthy(server.base);
  });

  test('very deep JSON nesting', async () => {
    const depth = 2_000_000;
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    assertError(await post(server.base, '/v1/chat/completions', arrays), 400, 'invalid_json');
    const inMessages = `{"model":"stories260K","messages":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    assertError(await post(server.base, '/v1/chat/completions', inMessages), 400);
    const objects = '{"a":'.repeat(1_000_000) + '1' + '}'.repeat(1_000_000);
    assertError(await post(server.base, '/v1/embeddings', objects), 400);
    const unclosed = '{"a":'.repeat(1_500_000);
    assertError(await post(server.base, '/v1/completions', unclosed), 400, 'invalid_json');
    const inContent = `{"model":"stories260K","messages":[{"role":"user","content":${'['.repeat(depth)}${']'.repeat(depth)}}]}`;
    assertError(await post(server.base, '/v1/chat/completions', inContent), 400);
    await assertHealthy(server.base);
  });

  test('huge strings within the limit', async () => {
    const huge = 'x'.repeat(7 * 1024 * 1024);
    const model = await post(server.base, '/v1/chat/completions', chat('hi', { model: huge }));
    assertError(model, 404, 'model_not_found');
    assert.ok(model.body.length < 2000, 'the error does not echo the whole name');
    assertError(await post(server.base, '/v1/chat/completions', { model: STORIES, [huge.slice(0, 100000)]: 1, messages: [] }),
      400, 'unsupported_parameter');
    const words = 'the cat sat. '.repeat(200_000);
    assertError(await post(server.base, '/v1/chat/completions', chat(words)), 400, 'context_length_exceeded');
    const escapes = JSON.stringify({ model: STORIES, prompt: '\u0000\u2028\uffff\ud83d\ude00'.repeat(20_000) });
    const r = await post(server.base, '/v1/completions', escapes);
    assertError(r, 400, 'context_length_exceeded');
    const lone = '{"model":"stories260K","prompt":"\\ud800"}';
    const l = await post(server.base, '/v1/completions', lone);
    assert.ok(l.status === 400 || l.status === 200, `${l.status}: ${l.body.slice(0, 200)}`);
    await assertHealthy(server.base);
  });

  test('many bad requests at once', async () => {
    const bodies = Array.from({ length: 64 }, (_, i) =>
      i % 4 === 0 ? '{' : i % 4 === 1 ? crypto.randomBytes(100) : i % 4 === 2 ? '{"model":1}' : chat('x', { n: 3 }));
    const rs = await Promise.all(bodies.map((b, i) => post(server.base, routes[i % routes.length], b)));
    for (const r of rs) assertError(r, 400);
    await assertHealthy(server.base);
  });

  test('a large prompt of characters outside the vocabulary does not stall other requests', async () => {
    // 480 KB of emoji: every byte a byte-fallback token of stories260K. Tokenizing it whole
    // takes llama.cpp minutes (quadratic); it must be refused quickly, and off the I/O thread.
    const prompt = '\ud83d\ude00'.repeat(120_000);
    const sent = Date.now();
    const slow = post(server.base, '/v1/completions', { model: STORIES, prompt },
      { signal: AbortSignal.timeout(90_000) }).catch((e) => e);
    const chatSlow = post(server.base, '/v1/chat/completions', chat(prompt),
      { signal: AbortSignal.timeout(90_000) }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    let healthy = false;
    try {
      const h = await fetch(server.base + '/health', { signal: AbortSignal.timeout(2000) });
      healthy = h.status === 200;
    } catch {
      healthy = false;
    }
    const r = await slow;
    const c = await chatSlow;
    const elapsed = Date.now() - sent;
    assert.ok(!(r instanceof Error), String(r));
    assertError(r, 400, 'context_length_exceeded', 'prompt');
    assert.ok(!(c instanceof Error), String(c));
    assertError(c, 400, 'context_length_exceeded', 'messages');
    assert.ok(healthy, `/health did not answer within 2 s while a prompt was tokenized (${Date.now() - t0} ms)`);
    assert.ok(elapsed < 10_000, `refusing the prompts took ${elapsed} ms`);
  });
});
