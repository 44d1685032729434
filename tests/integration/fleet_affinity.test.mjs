// Prefix affinity against real llama-server processes (same llama.cpp source):
// two servers behind one pool, multi-turn conversations with long prefixes of
// their own. With affinity every later turn reuses the server's KV cache
// (llama-server reports it as usage.prompt_tokens_details.cached_tokens, and
// tiergate passes it on); the same pool without affinity hits it less.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './lib/server.mjs';
import { startLlamaServer, tempDir, writeFile } from './lib/upstreams.mjs';

let servers = [];
let gateway;
let tmp;

// Text of its own for each conversation (a seeded generator).
function words(seed, bytes) {
  let x = seed >>> 0 || 1;
  const vocab = ['the', 'river', 'policy', 'invoice', 'engine', 'quiet', 'market', 'north', 'signal', 'garden'];
  let out = '';
  while (out.length < bytes) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out += vocab[x % vocab.length] + ' ';
  }
  return out;
}

before(async () => {
  servers = await Promise.all([0, 1].map(() => startLlamaServer({ slots: 2, ctx: 8192, extraArgs: ['--metrics'] })));
  tmp = tempDir();
  const deployments = servers.map((s, i) => `      - {name: s${i + 1}, endpoint: '${s.base}/v1'}`).join('\n');
  const pool = (name, balancing) => `  - name: ${name}
    provider: openai_compatible
    tier: slm
    price: {input_per_mtok: 0, output_per_mtok: 0}
    retries: {max_attempts: 1}
    deployments:
${deployments}
    balancing: ${balancing}
`;
  const cfg = writeFile(tmp.dir, 'fleet.yaml', 'server: {host: 127.0.0.1, port: 0}\nguard: {enabled: false}\nmodels:\n' +
    pool('affine', '{strategy: weighted, prefix_affinity: {block_bytes: 128, min_bytes: 128}}') +
    pool('plain', '{strategy: weighted}'));
  gateway = await startServer({ extraArgs: ['--config', cfg] });
});

after(async () => {
  await gateway?.stop();
  await Promise.all(servers.map((s) => s.stop()));
  tmp?.cleanup();
});

async function chat(model, messages) {
  const r = await fetch(`${gateway.base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages, max_tokens: 4, temperature: 0 }),
    signal: AbortSignal.timeout(60_000),
  });
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  return body;
}

// Conversations x turns, interleaved; the cached share of each later turn's prompt.
async function conversations(model, seed, count = 6, turns = 3) {
  const convs = Array.from({ length: count }, (_, c) => [
    { role: 'system', content: 'Answer from the context. ' + words(seed * 1000 + c, 700) },
    { role: 'user', content: 'Question one: ' + words(seed * 77 + c, 60) },
  ]);
  const later = [];
  let cached = 0, prompt = 0;
  for (let turn = 0; turn < turns; ++turn) {
    for (let c = 0; c < count; ++c) {
      const body = await chat(model, convs[c]);
      const u = body.usage;
      assert.ok(u.prompt_tokens > 0);
      if (turn > 0) {
        later.push(u.prompt_tokens_details.cached_tokens / u.prompt_tokens);
        cached += u.prompt_tokens_details.cached_tokens;
        prompt += u.prompt_tokens;
      }
      convs[c].push({ role: 'assistant', content: body.choices[0].message.content || 'ok' });
      convs[c].push({ role: 'user', content: `Question ${turn + 2}: ` + words(seed * 31 + c * 7 + turn, 60) });
    }
  }
  return { later, rate: cached / prompt };
}

async function serverCounters() {
  const out = [];
  for (const s of servers) {
    const text = await (await fetch(`${s.base}/metrics`)).text();
    out.push(Number((text.match(/^llamacpp:prompt_tokens_cached_total (\S+)$/m) || [])[1]));
  }
  return out;
}

test('with prefix affinity every later turn of a conversation reuses its server\'s cache', async () => {
  const before = await serverCounters();
  const affine = await conversations('affine', 1);
  for (const share of affine.later) {
    assert.ok(share >= 0.5, `a later turn reused only ${(share * 100).toFixed(0)}% of its prompt: ${affine.later}`);
  }
  const plain = await conversations('plain', 2);
  assert.ok(affine.rate > plain.rate,
    `cache hit rate with affinity ${affine.rate.toFixed(3)} should beat ${plain.rate.toFixed(3)} without`);
  // the servers' own counters saw the reuse the answers reported
  const after = await serverCounters();
  assert.ok(after.reduce((a, v) => a + v, 0) > before.reduce((a, v) => a + v, 0));
});

test('the pool reports both deployments and what each served', async () => {
  const text = await (await fetch(`${gateway.base}/metrics`)).text();
  let total = 0;
  for (const d of ['s1', 's2']) {
    const m = text.match(new RegExp(`^tiergate_deployment_requests_total\\{model="affine",deployment="${d}",outcome="ok"\\} (\\S+)$`, 'm'));
    total += m ? Number(m[1]) : 0;
  }
  assert.equal(total, 18);  // 6 conversations x 3 turns, each answered once
});
