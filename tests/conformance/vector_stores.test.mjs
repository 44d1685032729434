// Files and vector stores with the official openai SDK: upload (multipart),
// create a store from files, attach with attributes, search (filters,
// max_num_results, score threshold), cursor pagination, file content,
// deletes; every bad input is an APIError with its status and field; a
// team's virtual key sees only its team's files and stores.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { toFile } from 'openai';

import { modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';
import { knowledgeStore } from './lib/knowledge_store.mjs';
import { createKey, openaiClient, rejectsWith } from './lib/team_clients.mjs';

let server;
let tmp;
let knowledge;
let red;
let blue;

const teamKey = (team) => createKey(path.join(tmp.dir, 'keys.db'), team);

before(async () => {
  tmp = tempDir('tiergate-vs-');
  knowledge = knowledgeStore(tmp.dir);
  const redKey = teamKey('red');
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
keys:
  store: keys.db
retrieval:
${knowledge.yaml}
  max_file_mb: 1
  max_file_documents: 1000
  chunk_tokens: 64
  overlap_tokens: 8
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

const handbook = [
  '# Travel policy',
  'Employees book economy class for flights under six hours.',
  '',
  '# Expenses',
  'Meals are reimbursed up to forty euros a day with receipts.',
  '',
  '# Equipment',
  'Each engineer receives a laptop every three years.',
].join('\n');

const faq = [
  { id: 'vpn', title: 'VPN', text: 'Connect to the VPN before opening the intranet.', dept: 'it' },
  { id: 'badge', title: 'Badges', text: 'Lost badges are replaced at the front desk.', dept: 'facilities' },
].map((d) => JSON.stringify(d)).join('\n');

test('upload, build a store, search with filters, read back and delete', async () => {
  const book = await red.files.create({ file: await toFile(Buffer.from(handbook), 'handbook.md'), purpose: 'assistants' });
  assert.match(book.id, /^file-/);
  assert.equal(book.object, 'file');
  assert.equal(book.bytes, Buffer.byteLength(handbook));
  assert.equal(book.filename, 'handbook.md');
  const lines = await red.files.create({ file: await toFile(Buffer.from(faq), 'faq.jsonl'), purpose: 'assistants' });

  const store = await red.vectorStores.create({ name: 'hr', file_ids: [book.id], metadata: { owner: 'hr' } });
  assert.match(store.id, /^vs_/);
  assert.equal(store.object, 'vector_store');
  assert.equal(store.status, 'completed');
  assert.equal(store.file_counts.completed, 1);
  assert.deepEqual(store.metadata, { owner: 'hr' });
  assert.ok(store.usage_bytes > 0);

  const attached = await red.vectorStores.files.create(store.id, { file_id: lines.id, attributes: { source: 'faq' } });
  assert.equal(attached.object, 'vector_store.file');
  assert.equal(attached.status, 'completed');
  assert.equal(attached.vector_store_id, store.id);
  assert.deepEqual(attached.attributes, { source: 'faq' });
  const polled = await red.vectorStores.files.retrieve(lines.id, { vector_store_id: store.id });
  assert.equal(polled.status, 'completed');

  const page = await red.vectorStores.search(store.id, { query: 'how much are meals reimbursed', max_num_results: 3 });
  const hits = page.data;
  assert.ok(hits.length >= 1 && hits.length <= 3);
  assert.equal(hits[0].file_id, book.id);
  assert.equal(hits[0].filename, 'handbook.md');
  assert.match(hits[0].content[0].text, /forty euros/);
  for (const h of hits) assert.ok(h.score > 0 && h.score <= 1, `score ${h.score}`);
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);

  // the attributes given with a file, and a JSON Lines record's own fields, are filterable
  const vpn = await red.vectorStores.search(store.id, {
    query: 'intranet VPN',
    filters: { type: 'and', filters: [{ type: 'eq', key: 'source', value: 'faq' }, { type: 'eq', key: 'dept', value: 'it' }] },
  });
  assert.ok(vpn.data.length >= 1);
  for (const h of vpn.data) {
    assert.equal(h.attributes.source, 'faq');
    assert.equal(h.attributes.dept, 'it');
  }
  const none = await red.vectorStores.search(store.id, {
    query: 'intranet VPN', filters: { type: 'eq', key: 'source', value: 'nowhere' },
  });
  assert.equal(none.data.length, 0);
  const strict = await red.vectorStores.search(store.id, { query: 'laptop', ranking_options: { score_threshold: 1 } });
  for (const h of strict.data) assert.equal(h.score, 1);

  const content = await red.files.content(book.id);
  assert.equal(await content.text(), handbook);

  const listed = [];
  for await (const f of red.vectorStores.files.list(store.id, { limit: 1 })) listed.push(f.id);
  assert.deepEqual(listed.sort(), [book.id, lines.id].sort());

  const detached = await red.vectorStores.files.delete(lines.id, { vector_store_id: store.id });
  assert.equal(detached.deleted, true);
  const after = await red.vectorStores.search(store.id, { query: 'intranet VPN badges' });
  for (const h of after.data) assert.notEqual(h.file_id, lines.id);

  const renamed = await red.vectorStores.update(store.id, { name: 'people' });
  assert.equal(renamed.name, 'people');
  assert.equal((await red.files.delete(book.id)).deleted, true);
  assert.equal((await red.vectorStores.retrieve(store.id)).file_counts.total, 0);
  assert.equal((await red.vectorStores.delete(store.id)).deleted, true);
  await rejectsWith(red.vectorStores.retrieve(store.id), 404);
});

test('files and stores list with cursor pagination', async () => {
  const ids = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await red.files.create({ file: await toFile(Buffer.from(`note ${i}`), `n${i}.txt`), purpose: 'assistants' })).id);
  }
  const seen = [];
  for await (const f of red.files.list({ limit: 2 })) seen.push(f.id);
  for (const id of ids) assert.ok(seen.includes(id), `${id} not listed`);
  assert.equal(new Set(seen).size, seen.length, 'no file listed twice');
  const stores = [];
  for (let i = 0; i < 3; i++) stores.push((await red.vectorStores.create({ name: `s${i}` })).id);
  const listed = [];
  for await (const s of red.vectorStores.list({ limit: 2 })) listed.push(s.id);
  for (const id of stores) assert.ok(listed.includes(id));
  for (const id of ids) await red.files.delete(id);
  for (const id of stores) await red.vectorStores.delete(id);
});

test('a team sees only its own files and vector stores', async () => {
  const secret = await red.files.create({ file: await toFile(Buffer.from('red pricing plan'), 'plan.txt'), purpose: 'assistants' });
  const store = await red.vectorStores.create({ name: 'red', file_ids: [secret.id] });
  await rejectsWith(blue.files.retrieve(secret.id), 404);
  await rejectsWith(blue.files.content(secret.id), 404);
  await rejectsWith(blue.files.delete(secret.id), 404);
  await rejectsWith(blue.vectorStores.retrieve(store.id), 404);
  await rejectsWith(blue.vectorStores.search(store.id, { query: 'pricing' }), 404);
  const own = await blue.vectorStores.create({ name: 'blue' });
  await rejectsWith(blue.vectorStores.files.create(own.id, { file_id: secret.id }), 404, 'file_id');
  for await (const s of blue.vectorStores.list()) assert.notEqual(s.id, store.id);
  for await (const f of blue.files.list()) assert.notEqual(f.id, secret.id);
  await rejectsWith(openaiClient(server.base, 'sk-not-a-key').files.list(), 401);
  assert.equal((await red.vectorStores.search(store.id, { query: 'pricing' })).data.length, 1);
});

test('bad uploads and bad requests are clear errors', async () => {
  await rejectsWith(red.files.create({ file: await toFile(Buffer.from([0x61, 0xff, 0x62]), 'bad.txt'), purpose: 'assistants' }), 400, 'file');
  await assert.rejects(
    red.files.create({ file: await toFile(Buffer.from('x'), 'bad2.txt'), purpose: 'fine-tune' }),
    (e) => e.status === 400 && e.param === 'purpose');
  await rejectsWith(red.files.create({ file: await toFile(Buffer.from('MZ'), 'tool.exe'), purpose: 'assistants' }), 400, 'file');
  await rejectsWith(red.files.create({ file: await toFile(Buffer.alloc(1200 * 1024, 0x61), 'big.txt'), purpose: 'assistants' }), 413);
  const store = await red.vectorStores.create({ name: 'errors' });
  await rejectsWith(red.vectorStores.search(store.id, { query: 42 }), 400, 'query');
  await rejectsWith(red.vectorStores.search(store.id, { query: '   ' }), 400, 'query');
  await rejectsWith(red.vectorStores.search(store.id, { query: 'x', max_num_results: 51 }), 400, 'max_num_results');
  await rejectsWith(red.vectorStores.search(store.id, { query: 'x', filters: { type: 'eq', key: 'nope', value: 1 } }), 400);
  await rejectsWith(red.vectorStores.search(store.id, { query: 'x', ranking_options: { score_threshold: 2 } }), 400);
  await rejectsWith(red.vectorStores.files.create(store.id, { file_id: 'file-missing' }), 404, 'file_id');
  await rejectsWith(red.vectorStores.files.create(store.id, {}), 400, 'file_id');
  await rejectsWith(red.vectorStores.create({ metadata: { k: 5 } }), 400, 'metadata');
  await rejectsWith(red.vectorStores.create({ chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 90 } } }), 400);
  await rejectsWith(red.vectorStores.create({ file_ids: ['file-missing'] }), 404);
  await rejectsWith(red.vectorStores.retrieve('vs_missing'), 404, 'vector_store_id');
  // raw bodies the SDK would never send
  const raw = (route, init) => fetch(`${server.base}/v1/${route}`, {
    ...init, headers: { authorization: `Bearer ${red.apiKey}`, ...(init.headers ?? {}) },
  });
  let r = await raw(`vector_stores/${store.id}/search`, { method: 'POST', body: '{"query": "x"', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'invalid_json');
  r = await raw('files', { method: 'POST', body: 'not multipart', headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 400);
  r = await raw('files', { method: 'POST', body: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\ncut', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /closing boundary/);
  r = await raw('vector_stores', { method: 'PUT', body: '{}' });
  assert.equal(r.status, 405);
  r = await raw(`vector_stores/${store.id}/nothing`, { method: 'GET' });
  assert.equal(r.status, 404);
  await red.vectorStores.delete(store.id);
});

test('hostile files and queries: clear errors, nothing half-written, the server unharmed', async () => {
  const store = await red.vectorStores.create({ name: 'hostile' });
  // an empty file is a document without chunks: attached, found by nothing
  const empty = await red.files.create({ file: await toFile(Buffer.alloc(0), 'empty.txt'), purpose: 'assistants' });
  await red.vectorStores.files.create(store.id, { file_id: empty.id });
  // markup nested 80,000 deep: its text, in bounded time
  const bomb = '<div>'.repeat(80000) + 'lighthouse keeper' + '</div>'.repeat(80000);
  const deep = await red.files.create({ file: await toFile(Buffer.from(bomb), 'deep.html'), purpose: 'assistants' });
  await red.vectorStores.files.create(store.id, { file_id: deep.id });
  const page = await red.vectorStores.search(store.id, { query: 'lighthouse keeper' });
  assert.deepEqual(page.data.map((h) => h.filename), ['deep.html']);
  // a broken PDF, a PDF that is only a header, a binary file named .txt
  await rejectsWith(red.files.create({ file: await toFile(Buffer.from('%PDF-1.4\n1 0 obj garbage'), 'broken.pdf'), purpose: 'assistants' }), 400, 'file');
  await rejectsWith(red.files.create({ file: await toFile(Buffer.from('%PDF-'), 'short.pdf'), purpose: 'assistants' }), 400, 'file');
  await rejectsWith(red.files.create({ file: await toFile(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe]), 'elf.txt'), purpose: 'assistants' }), 400, 'file');
  // more documents in one JSON Lines file than the gateway takes at once
  const tiny = Array.from({ length: 1001 }, (_, i) => JSON.stringify({ id: `d${i}`, text: 'x' })).join('\n');
  await rejectsWith(red.files.create({ file: await toFile(Buffer.from(tiny), 'tiny.jsonl'), purpose: 'assistants' }), 400, 'file');
  // a body announced as 200 MB is refused before it is read
  const r = await new Promise((resolve, reject) => {
    const req = http.request(`${server.base}/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${red.apiKey}`, 'content-type': 'multipart/form-data; boundary=b',
                 'content-length': String(200 * 1024 * 1024) },
    }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.write('--b\r\n');  // the rest never comes
  });
  assert.equal(r.status, 413);
  assert.equal(JSON.parse(r.body).error.code, 'body_too_large');
  // queries of nothing and of 100,000 characters
  await rejectsWith(red.vectorStores.search(store.id, { query: '' }), 400, 'query');
  await rejectsWith(red.vectorStores.search(store.id, { query: 'a'.repeat(100000) }), 400, 'query');
  // the store holds exactly what was attached, and the server still answers
  const files = await red.vectorStores.files.list(store.id);
  assert.deepEqual(files.data.map((f) => f.id).sort(), [empty.id, deep.id].sort());
  const again = await red.vectorStores.retrieve(store.id);
  assert.equal(again.file_counts.completed, 2);
});

test('stores and files survive a restart', async () => {
  const f = await red.files.create({ file: await toFile(Buffer.from('glaciers carve valleys'), 'geo.txt'), purpose: 'assistants' });
  const store = await red.vectorStores.create({ name: 'geo', file_ids: [f.id] });
  const cfgArgs = server.args;
  await server.stop();
  server = await startServer({ extraArgs: cfgArgs ?? ['--config', path.join(tmp.dir, 'tiergate.yaml')] });
  red = openaiClient(server.base, red.apiKey);
  const page = await red.vectorStores.search(store.id, { query: 'glaciers' });
  assert.equal(page.data.length, 1);
  assert.equal(page.data[0].filename, 'geo.txt');
});
