// Vector stores embedded with a configured model (retrieval.embedding_model:
// the local GGUF model here), through the gateway's own embedding path: each
// batch is an embeddings request of the caller's key in the ledger, held to
// the team's budget; the query of a search is embedded the same way. Driven
// by the official openai SDK against the real binary.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { toFile } from 'openai';

import { sqliteRows } from '../integration/lib/ledger.mjs';
import { modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';
import { knowledgeStore } from './lib/knowledge_store.mjs';
import { createKey, openaiClient, rejectsWith } from './lib/team_clients.mjs';

let server;
let tmp;
let knowledge;
let red;
let blue;

before(async () => {
  tmp = tempDir('tiergate-rag-embed-');
  knowledge = knowledgeStore(tmp.dir);
  const redKey = createKey(path.join(tmp.dir, 'keys.db'), 'red');
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
    embedding: true
keys:
  store: keys.db
ledger:
  store: sqlite:ledger.db
  group_commit_ms: 5
budgets:
  teams: { blue: { tokens_per_minute: 4 } }
retrieval:
${knowledge.yaml}
  embedding_model: ${STORIES}
  chunk_tokens: 32
  overlap_tokens: 0
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
  red = openaiClient(server.base, redKey);
  blue = openaiClient(server.base, blueKey);
});

after(async () => {
  const e = await server?.stop();
  knowledge?.cleanup();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

const story = [
  'Once upon a time a little fox lived in the forest near the river.',
  '',
  'Every morning the fox ran to the river to drink and to watch the fish.',
  '',
  'One day the fox met a kind bear who shared honey with him.',
].join('\n');

async function ledgerRows(where) {
  // the ledger writes in groups: wait until the rows are there
  for (let i = 0; i < 50; i += 1) {
    const rows = sqliteRows(path.join(tmp.dir, 'ledger.db'), `SELECT * FROM requests WHERE ${where}`);
    if (rows.length > 0) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

test('a vector store is embedded with the configured model, each batch in the ledger under the caller', async () => {
  const f = await red.files.create({ file: await toFile(Buffer.from(story), 'fox.md'), purpose: 'assistants' });
  const store = await red.vectorStores.create({ name: 'tales', file_ids: [f.id] });
  assert.equal(store.file_counts.completed, 1);
  const rows = await ledgerRows("route = 'embeddings' AND team = 'red'");
  assert.ok(rows.length >= 1, 'the ingestion is in the ledger');
  for (const r of rows) {
    assert.equal(r.model, STORIES);
    assert.equal(r.http_status, 200);
    assert.ok(r.input_tokens > 0, JSON.stringify(r));
    assert.match(r.request_id, /^kb-.*-embd-/);
  }
  const before = rows.length;
  const page = await red.vectorStores.search(store.id, { query: 'the fox drinks at the river', max_num_results: 3 });
  assert.ok(page.data.length > 0);
  assert.equal(page.data[0].filename, 'fox.md');
  const after = await ledgerRows("route = 'embeddings' AND team = 'red'");
  assert.ok(after.length > before || (await ledgerRows("route = 'embeddings' AND team = 'red'")).length > before,
    'the query is embedded through the gateway too');
});

test('ingestion is held to the team budget: over it, the attach is refused and nothing half-written stays', async () => {
  const f = await blue.files.create({ file: await toFile(Buffer.from(story), 'fox.md'), purpose: 'assistants' });
  const store = await blue.vectorStores.create({ name: 'tales' });
  await rejectsWith(blue.vectorStores.files.create(store.id, { file_id: f.id }), 429);
  const listed = await blue.vectorStores.files.list(store.id);
  assert.equal(listed.data.length, 0, 'no attachment of a failed ingestion');
  const page = await blue.vectorStores.search(store.id, { query: 'fox' }).catch((e) => e);
  // the search's own query embedding is over the budget too: refused the same way, or empty
  if (page instanceof Error) {
    assert.equal(page.status, 429);
  } else {
    assert.equal(page.data.length, 0);
  }
  const refused = await ledgerRows("team = 'blue' AND http_status = 429");
  assert.ok(refused.length >= 1, 'the refusal is in the ledger');
  assert.equal(refused[0].route, 'budget');
  assert.equal(refused[0].route_reason, 'tokens_per_minute');
  assert.match(refused[0].request_id, /^kb-.*-embd-/);
});
