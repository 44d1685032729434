// Chat with retrieval through the official SDKs against the real binary:
// `tiergate.retrieval` names the team's vector stores; the passages reach the
// model's prompt (seen by a capturing upstream), the answer carries their
// citations (whole and streamed, OpenAI and Anthropic dialects), the ledger
// records the chunk ids only, a store marked on_prem_only keeps the request
// on-prem, the guard pseudonymizes retrieved text, and bad requests are
// clear errors in each dialect's shape.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { toFile } from 'openai';
import Anthropic from '@anthropic-ai/sdk';

import { modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { startCaptureUpstream } from '../integration/lib/capture_upstream.mjs';
import { sqliteRows } from '../integration/lib/ledger.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';
import { knowledgeStore } from './lib/knowledge_store.mjs';
import { createKey, openaiClient, rejectsWith } from './lib/team_clients.mjs';

let server;
let upstream;
let tmp;
let knowledge;
let redKey;
let red;
let blue;
let handbookStore;
let plantStore;

const teamKey = (team) => createKey(path.join(tmp.dir, 'keys.db'), team);

const handbook = [
  '# Boilers',
  'The boiler room is inspected every Tuesday by the night shift.',
  '',
  '# Badges',
  'Visitor badges are returned to the front desk before leaving.',
  '',
  '# Contacts',
  'Questions about badges go to facilities.lead@example.com.',
].join('\n');

const plant = '# Loop\nThe primary loop pressure limit is one hundred fifty five bar.';

async function storeWith(client, name, filename, text, extra = {}) {
  const f = await client.files.create({ file: await toFile(Buffer.from(text), filename), purpose: 'assistants' });
  const vs = await client.vectorStores.create({ name, file_ids: [f.id], ...extra });
  return vs;
}

before(async () => {
  tmp = tempDir('tiergate-rag-chat-');
  knowledge = knowledgeStore(tmp.dir);
  upstream = await startCaptureUpstream({ pieceBytes: 5 });
  redKey = teamKey('red');
  const blueKey = teamKey('blue');
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
guard:
  policy: egress
  policies:
    egress:
      - { action: pseudonymize }
retrieval:
${knowledge.yaml}
  chunk_tokens: 32
  overlap_tokens: 0
  context_tokens: 256
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
  red = openaiClient(server.base, redKey);
  blue = openaiClient(server.base, blueKey);
  handbookStore = await storeWith(red, 'handbook', 'handbook.md', handbook);
  plantStore = await storeWith(red, 'plant', 'plant.md', plant, { on_prem_only: true });
  assert.equal(plantStore.on_prem_only, true);
  assert.equal(handbookStore.on_prem_only, false);
});

after(async () => {
  const e = await server?.stop();
  await upstream?.close();
  knowledge?.cleanup();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

function checkCitations(citations, store) {
  assert.ok(Array.isArray(citations) && citations.length > 0, JSON.stringify(citations));
  citations.forEach((c, i) => {
    assert.equal(c.index, i + 1);
    assert.equal(c.vector_store_id, store.id);
    assert.match(c.file_id, /^file-/);
    assert.equal(typeof c.chunk_id, 'number');
    assert.ok(c.start < c.end, JSON.stringify(c));
    assert.ok(c.score > 0 && c.score <= 1, JSON.stringify(c));
  });
}

test('passages reach the model and citations the answer, whole and streamed', async () => {
  const before = upstream.received.length;
  const question = 'When is the boiler room inspected?';
  const r = await red.chat.completions.create({
    model: 'external',
    messages: [{ role: 'user', content: question }],
    tiergate: { retrieval: { collections: [handbookStore.id], k: 2 } },
  });
  assert.equal(r.object, 'chat.completion');
  checkCitations(r.tiergate?.citations, handbookStore);
  assert.equal(r.tiergate.citations[0].filename, 'handbook.md');
  assert.ok(r.tiergate.citations.length <= 2);
  // what the model saw: the numbered passages in a system message, then the question
  const sent = JSON.parse(upstream.received[before].body);
  assert.equal(sent.messages[0].role, 'system');
  assert.match(sent.messages[0].content, /\[1\] handbook\.md\n/);
  assert.match(sent.messages[0].content, /boiler room is inspected every .* by the night shift/);
  assert.equal(sent.messages.at(-1).content, question);
  assert.ok(!('tiergate' in sent), 'the extension is not sent upstream');
  // the echoing upstream answers with the question
  assert.equal(r.choices[0].message.content, question);

  const stream = await red.chat.completions.create({
    model: 'external',
    messages: [{ role: 'user', content: 'Where do visitor badges go?' }],
    stream: true,
    tiergate: { retrieval: { collections: [handbookStore.id] } },
  });
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  checkCitations(chunks[0].tiergate?.citations, handbookStore);
  assert.ok(chunks.slice(1).every((c) => c.tiergate === undefined), 'citations ride on the first chunk only');
  assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'Where do visitor badges go?');
});

test('the local model answers with retrieval, and the ledger keeps chunk ids, not text', async () => {
  const r = await red.chat.completions.create({
    model: STORIES,
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Tell me about badges' }],
    max_tokens: 8,
    tiergate: { retrieval: { collections: [handbookStore.id], k: 3 } },
  });
  checkCitations(r.tiergate?.citations, handbookStore);
  assert.ok(r.usage.prompt_tokens > 40, `the passages are in the prompt: ${JSON.stringify(r.usage)}`);
  const plain = await red.chat.completions.create({
    model: STORIES,
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Tell me about badges' }],
    max_tokens: 8,
  });
  assert.equal(plain.tiergate, undefined);
  assert.ok(r.usage.prompt_tokens > plain.usage.prompt_tokens + 20, `${r.usage.prompt_tokens} vs ${plain.usage.prompt_tokens}`);
  let rows = [];
  for (let i = 0; i < 50 && rows.length === 0; i++) {
    rows = sqliteRows(path.join(tmp.dir, 'ledger.db'), `SELECT retrieved FROM requests WHERE request_id = '${r.id}'`);
    if (rows.length === 0) await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(rows.length, 1);
  const ids = r.tiergate.citations.map((c) => `${c.vector_store_id}:${c.chunk_id}`).join(' ');
  assert.equal(rows[0].retrieved, ids);
  const all = sqliteRows(path.join(tmp.dir, 'ledger.db'), 'SELECT * FROM requests');
  assert.ok(!JSON.stringify(all).includes('visitor'), 'no passage text in the ledger');
});

test('the Anthropic dialect takes the same extension and shows the citations', async () => {
  const anthropic = new Anthropic({ baseURL: server.base, apiKey: redKey, maxRetries: 0, timeout: 60_000 });
  const m = await anthropic.messages.create({
    model: 'external',
    max_tokens: 16,
    messages: [{ role: 'user', content: 'When is the boiler room inspected?' }],
    tiergate: { retrieval: { collections: [handbookStore.id] } },
  });
  assert.equal(m.type, 'message');
  checkCitations(m.tiergate?.citations, handbookStore);
  const events = [];
  const stream = await anthropic.messages.create({
    model: 'external',
    max_tokens: 16,
    stream: true,
    messages: [{ role: 'user', content: 'Badges?' }],
    tiergate: { retrieval: { collections: [handbookStore.id] } },
  });
  for await (const e of stream) events.push(e);
  assert.equal(events[0].type, 'message_start');
  checkCitations(events[0].message.tiergate?.citations, handbookStore);
  await assert.rejects(
    anthropic.messages.create({ model: 'external', max_tokens: 8, messages: [{ role: 'user', content: 'q' }],
      tiergate: { retrieval: { collections: ['vs_missing'] } } }),
    (e) => e instanceof Anthropic.APIError && e.status === 404 && e.error?.type === 'error');
});

test('an on-prem-only store keeps the request on-prem; the guard covers retrieved text', async () => {
  const before = upstream.received.length;
  await rejectsWith(red.chat.completions.create({
    model: 'external',
    messages: [{ role: 'user', content: 'What is the loop pressure limit?' }],
    tiergate: { retrieval: { collections: [plantStore.id] } },
  }), 403);
  const routed = await red.chat.completions.create({
    model: 'auto',
    max_tokens: 8,
    messages: [{ role: 'user', content: 'What is the loop pressure limit?' }],
    tiergate: { retrieval: { collections: [plantStore.id, handbookStore.id], k: 4 } },
  }).withResponse();
  assert.equal(routed.response.headers.get('x-tiergate-tier'), 'slm');
  assert.ok(routed.data.tiergate.citations.some((c) => c.vector_store_id === plantStore.id));
  assert.equal(upstream.received.length, before, 'nothing reached the external model');
  assert.ok(!upstream.allBytes().includes('one hundred fifty five'));

  // a retrieved e-mail address leaves as a placeholder only
  const r = await red.chat.completions.create({
    model: 'external',
    messages: [{ role: 'user', content: 'Who answers questions about badges?' }],
    tiergate: { retrieval: { collections: [handbookStore.id], k: 3 } },
  });
  assert.ok(r.tiergate.citations.length > 0);
  const sent = upstream.received.at(-1).body;
  assert.match(sent, /badge/i);
  assert.ok(!sent.includes('facilities.lead@example.com'), sent);
  assert.match(sent, /<EMAIL_ADDRESS_\d+>/);
});

test('bad retrieval requests are clear errors; another team sees nothing', async () => {
  const ask = (client, retrieval, extra = {}) => client.chat.completions.create({
    model: STORIES, max_tokens: 4, messages: [{ role: 'user', content: 'badges' }], tiergate: { retrieval }, ...extra,
  });
  await rejectsWith(ask(blue, { collections: [handbookStore.id] }), 404);
  await rejectsWith(ask(red, { collections: ['vs_nope'] }), 404);
  await rejectsWith(ask(red, {}), 400, 'tiergate.retrieval.collections');
  await rejectsWith(ask(red, { collections: [] }), 400, 'tiergate.retrieval.collections');
  await rejectsWith(ask(red, { collections: [handbookStore.id], k: 0 }), 400, 'tiergate.retrieval.k');
  await rejectsWith(ask(red, { collections: [handbookStore.id], k: 'many' }), 400, 'tiergate.retrieval.k');
  await rejectsWith(ask(red, { collections: [handbookStore.id], score_threshold: 2 }), 400,
    'tiergate.retrieval.score_threshold');
  await rejectsWith(ask(red, { collections: [handbookStore.id], filters: { type: 'near', key: 'a', value: 1 } }), 400,
    'tiergate.retrieval.filters');
  await rejectsWith(ask(red, { collections: [handbookStore.id], rerank: true }), 400, 'tiergate.retrieval.rerank');
  await rejectsWith(red.chat.completions.create({ model: STORIES, messages: [{ role: 'user', content: 'x' }], tiergate: 7 }),
    400, 'tiergate');
  // a threshold no passage meets: an answer without citations
  const none = await red.chat.completions.create({
    model: STORIES, max_tokens: 4, messages: [{ role: 'user', content: 'zebra quantum' }],
    tiergate: { retrieval: { collections: [handbookStore.id], score_threshold: 0.99 } },
  });
  assert.equal(none.tiergate, undefined);
  // a 100,000-character question is searched by its start and answered
  const long = await red.chat.completions.create({
    model: STORIES, max_tokens: 2, messages: [{ role: 'user', content: 'badges '.repeat(14_300) }],
    tiergate: { retrieval: { collections: [handbookStore.id], k: 1 } },
  }).catch((e) => e);
  assert.ok(!(long instanceof Error) || long.status === 400, String(long));
  const health = await fetch(`${server.base}/health`);
  assert.equal(health.status, 200);
});
