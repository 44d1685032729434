// The request path on the real binary: the guard's zero-leak guarantee
// against a capture upstream, route headers and /v1/route, and the cascade
// on the local test models.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { modelDir, post, postStream, get, startServer, RANDOM, STORIES } from './lib/server.mjs';
import { startCaptureUpstream } from './lib/capture_upstream.mjs';

function writeConfig(dir, text) {
  const file = path.join(dir, 'tiergate.yaml');
  fs.writeFileSync(file, text);
  return file;
}

// Values that must never reach the external model: each prompt carries some.
const SECRETS = {
  email: 'maria.gonzalez@example.org',
  phone: '+1 (415) 555-0134',
  ip: '203.0.113.77',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
  iban: 'DE89 3704 0044 0532 0130 00',
  person: 'Maria Gonzalez',
  address: '742 Evergreen Terrace',
  apikey: 'sk-proj-4f9aB7cD2eF1gH8iJ3kL6mN0pQ5rS',
  url: 'https://intranet.acme-corp.example/payroll',
};
const ON_PREM = { ssn: '078-05-1120', card: '4111 1111 1111 1111' };

describe('zero leak through an external model', () => {
  let upstream;
  let server;
  let dir;

  before(async () => {
    upstream = await startCaptureUpstream({ pieceBytes: 3 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-guard-'));
    const cfg = writeConfig(dir, `
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
    parallel: 2
  - name: external
    provider: openai_compatible
    endpoint: ${upstream.url}
    tier: frontier
    residency: external
    price: { input_per_mtok: 10, output_per_mtok: 30 }
    retries: { max_attempts: 1 }
guard:
  policy: egress
  policies:
    egress:
      - { action: block, entities: [PRIVATE_KEY] }
      - { action: on_prem_only, entities: [US_SSN, CREDIT_CARD] }
      - { action: pseudonymize }
`);
    server = await startServer({ extraArgs: ['--config', cfg] });
  });

  after(async () => {
    await server?.stop();
    await upstream?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const prompts = [
    [{ role: 'user', content: `Email ${SECRETS.email} about the invoice.` }],
    [{ role: 'system', content: `You are the assistant of ${SECRETS.person}.` },
      { role: 'user', content: `Call ${SECRETS.phone} and then write to ${SECRETS.email}.` }],
    [{ role: 'user', content: `My IBAN is ${SECRETS.iban}; the server is ${SECRETS.ip} and ${SECRETS.ipv6}.` }],
    [{ role: 'user', content: `Ship it to ${SECRETS.person}, ${SECRETS.address}, Springfield.` },
      { role: 'assistant', content: `Sure, I will ship it to ${SECRETS.person}.` },
      { role: 'user', content: `Use key ${SECRETS.apikey} for ${SECRETS.url} and tell ${SECRETS.person}.` }],
  ];

  for (const stream of [false, true]) {
    test(`pseudonymized values never reach the upstream and come back restored (${stream ? 'stream' : 'whole'})`, async () => {
      for (const messages of prompts) {
        const before = upstream.received.length;
        const body = { model: 'external', messages, max_tokens: 64 };
        let text;
        if (stream) {
          const r = await postStream(server.base, '/v1/chat/completions', { ...body, stream_options: { include_usage: true } });
          assert.equal(r.status, 200, r.raw);
          assert.equal(r.headers.get('x-tiergate-model'), 'external');
          text = r.events.filter((e) => e !== '[DONE]' && e.choices?.length).map((e) => e.choices[0].delta.content ?? '').join('');
        } else {
          const r = await post(server.base, '/v1/chat/completions', body);
          assert.equal(r.status, 200, r.body);
          text = r.json.choices[0].message.content;
        }
        assert.equal(upstream.received.length, before + 1, 'one upstream call per request');
        const sent = upstream.received.at(-1).body;
        assert.match(sent, /<[A-Z_]+_\d+>/, 'placeholders were sent instead');
        // the upstream echoed the last user message with its placeholders: the client gets the values back
        const lastUser = [...messages].reverse().find((m) => m.role === 'user').content;
        assert.equal(text, lastUser);
      }
      const everything = upstream.allBytes();
      for (const [kind, value] of Object.entries(SECRETS)) {
        assert.ok(!everything.includes(value), `${kind} value reached the upstream`);
      }
    });
  }

  test('the same value gets the same placeholder across the conversation', async () => {
    const r = await post(server.base, '/v1/chat/completions', { model: 'external', messages: prompts[3], max_tokens: 8 });
    assert.equal(r.status, 200, r.body);
    const sent = JSON.parse(upstream.received.at(-1).body);
    const placeholders = sent.messages.map((m) => m.content.match(/<PERSON_\d+>/)?.[0]);
    assert.ok(placeholders[0]);
    assert.deepEqual(placeholders, [placeholders[0], placeholders[0], placeholders[0]]);
  });

  test('on-prem-only data is refused for the external model and served on-prem when routed', async () => {
    const before = upstream.received.length;
    const messages = [{ role: 'user', content: `My SSN is ${ON_PREM.ssn} and my card ${ON_PREM.card}.` }];
    const pinned = await post(server.base, '/v1/chat/completions', { model: 'external', messages, max_tokens: 4 });
    assert.equal(pinned.status, 403, pinned.body);
    assert.equal(pinned.json.error.code, 'on_prem_only');
    assert.equal(pinned.json.error.type, 'permission_error');
    assert.ok(!pinned.body.includes(ON_PREM.ssn));
    for (const stream of [false, true]) {
      const body = { model: 'auto', messages, max_tokens: 4, stream };
      const r = stream ? await postStream(server.base, '/v1/chat/completions', body) : await post(server.base, '/v1/chat/completions', body);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-tiergate-model'), STORIES);
      assert.equal(r.headers.get('x-tiergate-tier'), 'slm');
    }
    assert.equal(upstream.received.length, before, 'nothing went out');
    for (const value of Object.values(ON_PREM)) {
      assert.ok(!upstream.allBytes().includes(value));
    }
  });

  test('a private key block is refused before anything is sent', async () => {
    const before = upstream.received.length;
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';
    const r = await post(server.base, '/v1/chat/completions', { model: 'auto', messages: [{ role: 'user', content: key }] });
    assert.equal(r.status, 403, r.body);
    assert.equal(r.json.error.code, 'pii_blocked');
    assert.ok(!r.body.includes('b3BlbnNz'));
    assert.equal(upstream.received.length, before);
  });

  test('/v1/route explains without generating', async () => {
    const before = upstream.received.length;
    const r = await post(server.base, '/v1/route', { model: 'auto', messages: [{ role: 'user', content: `Card ${ON_PREM.card}` }] });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.object, 'route.decision');
    assert.equal(r.json.model, STORIES);
    assert.equal(r.json.guard.on_prem_only, true);
    assert.equal(r.json.guard.found.CREDIT_CARD, 1);
    assert.ok(Array.isArray(r.json.trace) && r.json.trace[0].stage === 'constraints');
    assert.equal(typeof r.json.decision_micros, 'number');
    assert.equal(upstream.received.length, before);
    const bad = await post(server.base, '/v1/route', '{"model":"auto","messages":');
    assert.equal(bad.status, 400);
    // a Messages API body, as an Anthropic client sends it (anthropic-version)
    const headers = { 'anthropic-version': '2023-06-01' };
    const m = await post(server.base, '/v1/route',
      { model: 'auto', max_tokens: 8, system: 'be brief', messages: [{ role: 'user', content: [{ type: 'text', text: `Card ${ON_PREM.card}` }] }] },
      { headers });
    assert.equal(m.status, 200, m.body);
    assert.equal(m.json.model, STORIES);
    assert.equal(m.json.guard.on_prem_only, true);
    const noMax = await post(server.base, '/v1/route', { model: 'auto', messages: [{ role: 'user', content: 'x' }] }, { headers });
    assert.equal(noMax.status, 400);
    assert.equal(noMax.json.type, 'error');
    assert.equal(noMax.json.error.type, 'invalid_request_error');
    assert.equal(upstream.received.length, before);
  });

  test('metrics count PII types, never values', async () => {
    const m = await get(server.base, '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.body, /tiergate_pii_detections_total\{entity_type="EMAIL_ADDRESS"\} [1-9]/);
    assert.ok(!m.body.includes(SECRETS.email));
  });
});

describe('cascade on the local models', () => {
  let dir;

  function cascadeConfig(criteria) {
    return writeConfig(dir, `
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
    parallel: 2
  - name: ${RANDOM}
    provider: local
    tier: frontier
    path: ${RANDOM}.gguf
    parallel: 2
router:
  default_model: ${STORIES}
  cascade: { from: ${STORIES}, to: ${RANDOM}, ${criteria} }
`);
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-cascade-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an unsure first answer is discarded, decoding stops early, the request escalates', async () => {
    // no real token is this probable: the first token fails the floor
    const server = await startServer({ extraArgs: ['--config', cascadeConfig('min_token_logprob: -0.000001')] });
    try {
      for (const stream of [false, true]) {
        const body = { model: 'auto', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 24, temperature: 0, stream };
        const r = stream ? await postStream(server.base, '/v1/chat/completions', body) : await post(server.base, '/v1/chat/completions', body);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('x-tiergate-model'), RANDOM);
        assert.equal(r.headers.get('x-tiergate-tier'), 'frontier');
        assert.match(r.headers.get('x-tiergate-route'), /\+cascade:escalated\(min_logprob .* early stop, held \d+ms\)/);
        // what the client got is the escalation's answer, identical to asking that model directly
        const direct = await post(server.base, '/v1/chat/completions', { ...body, model: RANDOM, stream: false });
        const text = stream
          ? r.events.filter((e) => e !== '[DONE]' && e.choices?.length).map((e) => e.choices[0].delta.content ?? '').join('')
          : r.json.choices[0].message.content;
        assert.equal(text, direct.json.choices[0].message.content);
        if (stream) {
          assert.equal(r.events.filter((e) => e !== '[DONE]' && e.choices?.[0]?.delta?.role).length, 1, 'one role chunk');
        }
      }
      const m = await get(server.base, '/metrics');
      assert.match(m.body, /tiergate_escalations_total\{from_tier="slm",to_tier="frontier"\} 2/);
    } finally {
      await server.stop();
    }
  });

  test('a confident first answer is released and the second model is not called', async () => {
    const server = await startServer({ extraArgs: ['--config', cascadeConfig('min_mean_logprob: -100')] });
    try {
      const body = { model: 'auto', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 16, temperature: 0 };
      const r = await post(server.base, '/v1/chat/completions', body);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.headers.get('x-tiergate-model'), STORIES);
      assert.match(r.headers.get('x-tiergate-route'), /\+cascade:accepted\(mean_logprob=/);
      assert.equal(r.json.choices[0].logprobs, null, 'the client did not ask for logprobs');
      const direct = await post(server.base, '/v1/chat/completions', { ...body, model: STORIES });
      assert.equal(r.json.choices[0].message.content, direct.json.choices[0].message.content);
      const m = await get(server.base, '/metrics');
      assert.ok(!/tiergate_escalations_total\{/.test(m.body.split('\n').filter((l) => !l.startsWith('#')).join('\n')),
        'no escalation counted');
    } finally {
      await server.stop();
    }
  });
});

describe('learned router on the request path', () => {
  let dir;
  let server;
  const data = path.resolve(modelDir, '..', 'data', 'routing', 'routellm', 'mmlu_responses');
  const WEAK = 'mistralai/Mixtral-8x7B-Instruct-v0.1';
  const STRONG = 'gpt-4-1106-preview';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-learned-'));
    const routerFile = path.join(dir, 'mmlu.router');
    const { spawnSync } = await import('node:child_process');
    const { binary } = await import('./lib/server.mjs');
    // a few subjects are enough to train a working file quickly
    const files = fs.readdirSync(data).filter((f) => f.endsWith('.csv')).sort().slice(0, 6).map((f) => path.join(data, f));
    const trained = spawnSync(binary, ['router', 'train', '--data', ...files, '--out', routerFile,
      '--cost', `${WEAK}=0.0002`, '--cost', `${STRONG}=0.003`], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(trained.status, 0, trained.stderr);
    const cfg = writeConfig(dir, `
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
    parallel: 2
  - name: ${RANDOM}
    provider: local
    tier: frontier
    path: ${RANDOM}.gguf
    parallel: 2
router:
  learned:
    file: mmlu.router
    models: { "${WEAK}": ${STORIES}, "${STRONG}": ${RANDOM} }
`);
    server = await startServer({ extraArgs: ['--config', cfg] });
  });

  after(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the learned stage decides, reports its scores and serves the pick', async () => {
    const question = 'Which of the following is the time complexity of binary search? A. O(n) B. O(log n) C. O(1) D. O(n^2)';
    const r = await post(server.base, '/v1/route', { model: 'auto', messages: [{ role: 'user', content: question }] });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.stage, 'learned');
    const p = r.json.scores;
    assert.ok(p[STORIES] > 0 && p[STORIES] < 1 && p[RANDOM] > 0 && p[RANDOM] < 1, JSON.stringify(p));
    assert.ok(r.json.trace.some((t) => t.stage === 'learned'));
    const served = await post(server.base, '/v1/chat/completions', { model: 'auto', messages: [{ role: 'user', content: question }], max_tokens: 4 });
    assert.equal(served.status, 200, served.body);
    assert.match(served.headers.get('x-tiergate-route'), /^learned:(threshold|tradeoff)=[0-9.]+,p=[0-9.]+$/);
    assert.equal(served.headers.get('x-tiergate-model'), r.json.model);
  });
});
