// Two gateways on one knowledge store, as a fleet runs them: each keeps its
// own HNSW index (its own index_dir), and what one ingests or deletes the
// other answers from at once, following the store's change log. On the
// backend of TIERGATE_KNOWLEDGE_BACKEND (SQLite: one file shared by both
// processes; PostgreSQL: one database), driven by the official openai SDK.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { toFile } from 'openai';

import { modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';
import { knowledgeStore } from './lib/knowledge_store.mjs';
import { createKey, openaiClient } from './lib/team_clients.mjs';

let tmp;
let knowledge;
let a;
let b;
let clientA;
let clientB;

function config(name) {
  const store = knowledge.yaml.replace(/\n\s*index_dir:.*$/, '');
  return writeFile(tmp.dir, `${name}.yaml`, `
server:
  host: 127.0.0.1
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
keys:
  store: keys.db
retrieval:
${store}
  index_dir: ${path.join(tmp.dir, `indexes-${name}`)}
  chunk_tokens: 32
  overlap_tokens: 0
`);
}

before(async () => {
  tmp = tempDir('tiergate-replicas-');
  knowledge = knowledgeStore(tmp.dir);
  const key = createKey(path.join(tmp.dir, 'keys.db'), 'ops');
  a = await startServer({ extraArgs: ['--config', config('a')] });
  b = await startServer({ extraArgs: ['--config', config('b')] });
  clientA = openaiClient(a.base, key);
  clientB = openaiClient(b.base, key);
});

after(async () => {
  const ea = await a?.stop();
  const eb = await b?.stop();
  knowledge?.cleanup();
  tmp?.cleanup();
  for (const [e, s] of [[ea, a], [eb, b]]) {
    assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${s?.stderr()}`);
  }
});

const upload = async (client, name, text) =>
  client.files.create({ file: await toFile(Buffer.from(text), name), purpose: 'assistants' });

const found = async (client, store, query) =>
  (await client.vectorStores.search(store, { query, max_num_results: 10 })).data.map((h) => h.filename);

test('what one gateway ingests or deletes, the other answers from at once', async () => {
  const pumps = await upload(clientA, 'pumps.md', 'Centrifugal pumps are primed before the first start of a shift.');
  const store = await clientA.vectorStores.create({ name: 'plant', file_ids: [pumps.id] });
  assert.deepEqual(await found(clientB, store.id, 'priming centrifugal pumps'), ['pumps.md']);

  // b's index exists now: a's next changes reach it through the change log
  const valves = await upload(clientA, 'valves.md', 'Relief valves are tested every quarter at the rated set pressure.');
  await clientA.vectorStores.files.create(store.id, { file_id: valves.id });
  assert.equal((await found(clientB, store.id, 'relief valve set pressure test'))[0], 'valves.md');
  await clientA.vectorStores.files.delete(pumps.id, { vector_store_id: store.id });
  assert.ok(!(await found(clientB, store.id, 'priming centrifugal pumps')).includes('pumps.md'),
    'b no longer answers from the file a detached');

  // and the other way round
  const fans = await upload(clientB, 'fans.md', 'Cooling tower fans are balanced after every blade change.');
  await clientB.vectorStores.files.create(store.id, { file_id: fans.id });
  assert.equal((await found(clientA, store.id, 'cooling tower fan blade balance'))[0], 'fans.md');
  const listed = await clientA.vectorStores.files.list(store.id);
  assert.deepEqual(listed.data.map((f) => f.id).sort(), [valves.id, fans.id].sort());
});
