// An upstream whose stream breaks after its first words, with a fallback
// behind it. A client that asked for a whole answer has seen none of it: the
// broken answer is taken back and the fallback answers, one ledger row with
// both attempts. A streaming client already holds the first words: it keeps
// them and gets an error event, and its row records the failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { modelDir, post, postStream, startServer, STORIES } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { tempDir } from './lib/upstreams.mjs';
import { sqliteRows } from './lib/ledger.mjs';

let broken;
let steady;
let server;
let tmp;
let db;

before(async () => {
  broken = await startFakeUpstream({ failure: { mode: 'truncate' } });
  steady = await startFakeUpstream({});
  tmp = tempDir('tiergate-fallback-');
  db = path.join(tmp.dir, 'ledger.db');
  const cfg = path.join(tmp.dir, 'tiergate.yaml');
  fs.writeFileSync(cfg, `
server:
  host: 127.0.0.1
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
  - name: mid-broken
    provider: openai_compatible
    endpoint: ${broken.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
    retries: { max_attempts: 1 }
    fallbacks: [mid-steady]
  - name: mid-steady
    provider: openai_compatible
    endpoint: ${steady.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
ledger:
  store: sqlite:${db}
  group_commit_ms: 20
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
});

after(async () => {
  await server?.stop();
  await broken?.close();
  await steady?.close();
  tmp?.cleanup();
});

const body = (content) => ({ model: 'mid-broken', messages: [{ role: 'user', content }], max_tokens: 6 });

async function rowFor(id) {
  for (let i = 0; i < 100; i++) {
    const rows = sqliteRows(db, `SELECT * FROM requests WHERE request_id = '${id}'`);
    if (rows.length) {
      const attempts = sqliteRows(db, `SELECT * FROM attempts WHERE request_id = '${id}' ORDER BY attempt`);
      return { row: rows[0], attempts };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ledger row for ${id}`);
}

test('a whole answer broken mid-stream is answered by the fallback, billed once with both attempts', async () => {
  const before = { broken: broken.requests, steady: steady.requests };
  const res = await post(server.base, '/v1/chat/completions', body('whole please'));
  assert.equal(res.status, 200, res.body);
  assert.equal(res.json.choices[0].message.content, 'tok tok tok tok tok tok');
  assert.equal(res.json.choices[0].finish_reason, 'length');
  assert.equal(res.headers.get('x-tiergate-model'), 'mid-steady');
  assert.equal(broken.requests - before.broken, 1);
  assert.equal(steady.requests - before.steady, 1);

  const { row, attempts } = await rowFor(res.json.id);
  assert.equal(row.http_status, 200);
  assert.equal(row.model, 'mid-steady');
  assert.equal(row.output_tokens, 6);
  assert.equal(attempts.length, 2, JSON.stringify(attempts));
  assert.equal(attempts[0].model, 'mid-broken');
  assert.equal(attempts[0].error_code, 'upstream_invalid_response');
  assert.equal(attempts[1].model, 'mid-steady');
  assert.equal(attempts[1].error_code, '');
});

test('a streamed answer broken mid-stream keeps its first words and ends with an error event', async () => {
  const before = { steady: steady.requests };
  const res = await postStream(server.base, '/v1/chat/completions', body('stream please'));
  assert.equal(res.status, 200);
  const text = res.events.filter((e) => e !== '[DONE]' && e.choices?.length).map((e) => e.choices[0].delta.content ?? '').join('');
  assert.equal(text, 'tok tok tok');
  const last = res.events.at(-1);
  assert.ok(last.error, `the stream ends with an error event: ${res.raw.slice(-300)}`);
  assert.equal(last.error.code, 'upstream_invalid_response');
  assert.equal(steady.requests - before.steady, 0, 'nothing of a streamed answer can be taken back');

  const { row } = await rowFor(res.events[0].id);
  assert.equal(row.http_status, 502);
  assert.equal(row.error_code, 'upstream_invalid_response');
});
