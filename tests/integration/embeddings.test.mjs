// Embeddings: shape, normalisation, base64 encoding, pooling, token inputs;
// plus /v1/models and /health.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { RANDOM, STORIES, get, post, startServer } from './lib/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  const e = await server?.stop();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server.stderr()}`);
});

function norm(v) {
  return Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
}

function decodeBase64(s) {
  const buf = Buffer.from(s, 'base64');
  assert.equal(buf.length % 4, 0);
  const out = [];
  for (let i = 0; i < buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

async function embed(body) {
  const r = await post(server.base, '/v1/embeddings', body);
  assert.equal(r.status, 200, r.body);
  return r.json;
}

describe('embeddings', () => {
  test('a single string: shape and unit norm', async () => {
    for (const model of [STORIES, RANDOM]) {
      const j = await embed({ model, input: 'The little cat sat on the mat' });
      assert.equal(j.object, 'list');
      assert.equal(j.model, model);
      assert.equal(j.data.length, 1);
      assert.equal(j.data[0].object, 'embedding');
      assert.equal(j.data[0].index, 0);
      const v = j.data[0].embedding;
      assert.ok(Array.isArray(v) && v.length >= 8, `dimension ${v.length}`);
      for (const x of v) assert.ok(Number.isFinite(x));
      assert.ok(Math.abs(norm(v) - 1) < 1e-3, `norm ${norm(v)}`);
      assert.ok(j.usage.prompt_tokens > 0);
      assert.equal(j.usage.total_tokens, j.usage.prompt_tokens);
    }
  });

  test('an array of strings keeps order, dimension and determinism', async () => {
    const inputs = ['one', 'two little birds', 'a much longer sentence about a dog and a ball'];
    const j = await embed({ model: STORIES, input: inputs });
    assert.equal(j.data.length, 3);
    const dim = j.data[0].embedding.length;
    j.data.forEach((d, i) => {
      assert.equal(d.index, i);
      assert.equal(d.embedding.length, dim);
      assert.ok(Math.abs(norm(d.embedding) - 1) < 1e-3);
    });
    const single = await embed({ model: STORIES, input: inputs[1] });
    const a = single.data[0].embedding;
    const b = j.data[1].embedding;
    const cos = a.reduce((acc, x, i) => acc + x * b[i], 0);
    assert.ok(cos > 0.999, `the same text alone and in a batch: cosine ${cos}`);
    assert.notDeepEqual(j.data[0].embedding, j.data[2].embedding);
  });

  test('base64 decodes to the same floats', async () => {
    const input = ['Once upon a time', 'there was a frog'];
    const f = await embed({ model: STORIES, input, encoding_format: 'float' });
    const b = await embed({ model: STORIES, input, encoding_format: 'base64' });
    assert.equal(b.data.length, 2);
    for (let i = 0; i < 2; i++) {
      assert.equal(typeof b.data[i].embedding, 'string');
      const decoded = decodeBase64(b.data[i].embedding);
      const floats = f.data[i].embedding;
      assert.equal(decoded.length, floats.length);
      for (let k = 0; k < floats.length; k++) {
        assert.equal(decoded[k], Math.fround(floats[k]), `element ${k}`);
      }
    }
  });

  test('pooling variants give unit vectors of the same size, and differ', async () => {
    const input = 'The sun was bright and the children played in the park';
    const out = {};
    for (const pooling of ['mean', 'cls', 'last']) {
      const j = await embed({ model: STORIES, input, pooling });
      out[pooling] = j.data[0].embedding;
      assert.ok(Math.abs(norm(out[pooling]) - 1) < 1e-3, pooling);
    }
    assert.equal(out.cls.length, out.mean.length);
    assert.equal(out.last.length, out.mean.length);
    assert.notDeepEqual(out.mean, out.cls);
    assert.notDeepEqual(out.mean, out.last);
    assert.notDeepEqual(out.cls, out.last);
    const dflt = await embed({ model: STORIES, input });
    assert.deepEqual(dflt.data[0].embedding, out.mean, 'mean is the default');
    const cls2 = await embed({ model: STORIES, input: 'The sun was cold', pooling: 'cls' });
    const dot = cls2.data[0].embedding.reduce((acc, x, i) => acc + x * out.cls[i], 0);
    assert.ok(dot > 0.999, 'cls pooling reads the first token, which both inputs share');
  });

  test('token id inputs', async () => {
    const one = await embed({ model: STORIES, input: [1, 20, 30, 40] });
    assert.equal(one.data.length, 1);
    assert.equal(one.usage.prompt_tokens, 4);
    const many = await embed({ model: STORIES, input: [[1, 20, 30], [1, 50]] });
    assert.equal(many.data.length, 2);
    assert.equal(many.usage.prompt_tokens, 5);
    const bad = await post(server.base, '/v1/embeddings', { model: STORIES, input: [1, 999999999] });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, 'input');
    const mixed = await post(server.base, '/v1/embeddings', { model: STORIES, input: ['a', [1, 2]] });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.json.error.code, 'invalid_value');
  });

  test('concurrent embedding requests', async () => {
    const rs = await Promise.all(Array.from({ length: 16 }, (_, i) =>
      post(server.base, '/v1/embeddings', { model: STORIES, input: [`text ${i}`, `more ${i}`] })));
    for (const r of rs) {
      assert.equal(r.status, 200);
      assert.equal(r.json.data.length, 2);
    }
  });
});

describe('models and health', () => {
  test('GET /v1/models lists both models and the router', async () => {
    const r = await get(server.base, '/v1/models');
    assert.equal(r.status, 200);
    assert.equal(r.json.object, 'list');
    const ids = r.json.data.map((m) => m.id).sort();
    assert.deepEqual(ids, ['auto', RANDOM, STORIES].sort());
    for (const m of r.json.data) {
      assert.equal(m.object, 'model');
      assert.equal(typeof m.created, 'number');
      assert.equal(typeof m.owned_by, 'string');
    }
  });

  test('GET /health', async () => {
    const r = await get(server.base, '/health');
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'ok');
    assert.equal(r.json.models, 2);
  });

  test('keep-alive: several requests on one connection', async () => {
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set();
    for (let i = 0; i < 5; i++) {
      const localPort = await new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: server.port, path: '/health', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.socket.localPort));
        });
        req.on('error', reject);
      });
      ports.add(localPort);
    }
    agent.destroy();
    assert.equal(ports.size, 1, 'one connection reused');
  });
});
