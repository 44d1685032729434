// The retrieval CLI on the real binary: a crash mid-ingest leaves every
// document either wholly in or wholly out, bad files are named with the byte
// offset, and a search finds what was ingested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sqliteRows } from './lib/ledger.mjs';
import { binary, modelDir, STORIES } from './lib/server.mjs';

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-rag-'));
}

function run(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function check(db, collection) {
  const r = run(['rag', 'check', '--db', db, '--collection', collection]);
  const line = r.out.trim().split('\n').pop();
  return { code: r.code, report: JSON.parse(line), err: r.err };
}

// Deterministic documents with enough text for several chunks each.
function writeCorpus(file, n) {
  const words = ['boundary', 'layer', 'shock', 'wave', 'nozzle', 'flow', 'heat', 'transfer', 'wing', 'lift',
    'drag', 'pressure', 'turbulent', 'laminar', 'supersonic', 'viscous', 'plate', 'cylinder', 'jet', 'mach'];
  const fd = fs.openSync(file, 'w');
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < n; ++i) {
    const text = [];
    for (let w = 0; w < 700; ++w) text.push(words[next() % words.length]);
    fs.writeSync(fd, JSON.stringify({ id: `doc-${i}`, title: `report ${i}`, text: text.join(' '), series: i % 5 }) + '\n');
  }
  fs.closeSync(fd);
}

test('kill -9 during an ingest leaves the collection consistent, and the ingest can be rerun', async () => {
  const dir = tempDir();
  try {
    const corpus = path.join(dir, 'corpus.jsonl');
    const total = 6000;
    writeCorpus(corpus, total);
    const db = path.join(dir, 'store.db');
    const proc = spawn(binary, ['rag', 'ingest', corpus, '--collection', 'c', '--db', db, '--chunk-tokens', '128'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    // Kill once the progress line shows documents going in.
    const killed = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 120_000);
      proc.stderr.on('data', (d) => {
        stderr += d;
        const m = [...stderr.matchAll(/(\d+) documents, (\d+) chunks/g)].pop();
        if (m && Number(m[1]) >= 200) {
          clearTimeout(timer);
          proc.kill('SIGKILL');
          resolve(true);
        }
      });
    });
    const e = await exited;
    assert.ok(killed, `the ingest never showed progress: ${stderr.slice(-500)}`);
    assert.equal(e.signal, 'SIGKILL', 'the ingest ended before the kill; make the corpus larger');

    const after = check(db, 'c');
    assert.equal(after.code, 0, after.err);
    assert.equal(after.report.ok, true);
    assert.ok(after.report.documents >= 200 && after.report.documents < total,
      `documents after the crash: ${after.report.documents}`);
    assert.equal(after.report.stored_chunks, after.report.declared_chunks);
    assert.equal(after.report.vectors, after.report.stored_chunks, 'every stored chunk has its vector');

    // The index of the crashed run was never saved: the search rebuilds it
    // from the stored vectors and finds documents that went in.
    const found = run(['rag', 'search', 'boundary layer', '--collection', 'c', '--db', db, '--mode', 'dense', '-k', '3']);
    assert.equal(found.code, 0, found.err);
    assert.equal(found.out.trim().split('\n').length, 3);

    const again = run(['rag', 'ingest', corpus, '--collection', 'c', '--db', db, '--chunk-tokens', '128']);
    assert.equal(again.code, 0, again.err);
    const summary = JSON.parse(again.out.trim().split('\n').pop());
    assert.equal(summary.ingested, total);
    assert.equal(summary.documents_total, total, 'a rerun replaces documents, it does not duplicate them');
    const final = check(db, 'c');
    assert.equal(final.report.ok, true);
    assert.equal(final.report.documents, total);
    assert.equal(final.report.vectors, final.report.stored_chunks);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an ingest names a file with invalid UTF-8 and its byte offset, and keeps the good files', () => {
  const dir = tempDir();
  try {
    const docs = path.join(dir, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'good.md'), '# Nozzles\n\nA convergent nozzle chokes at Mach one.\n');
    fs.writeFileSync(path.join(docs, 'bad.txt'), Buffer.concat([Buffer.from('fine text then '), Buffer.from([0xc3, 0x28])]));
    fs.writeFileSync(path.join(docs, 'page.html'),
      '<html><head><style>p{}</style><script>var secret = "no";</script></head><body><p>Shock waves form ahead of blunt bodies.</p></body></html>');
    const db = path.join(dir, 'store.db');
    const r = run(['rag', 'ingest', docs, '--collection', 'k', '--db', db]);
    assert.equal(r.code, 1, 'a skipped file makes the exit code 1');
    assert.match(r.err, /bad\.txt/);
    assert.match(r.err, /invalid UTF-8 at byte offset 15/);
    const summary = JSON.parse(r.out.trim().split('\n').pop());
    assert.equal(summary.ingested, 2);
    assert.equal(summary.failed, 1);

    const hit = run(['rag', 'search', 'blunt bodies shock', '--collection', 'k', '--db', db, '--mode', 'bm25', '-k', '1']);
    assert.equal(hit.code, 0, hit.err);
    const top = JSON.parse(hit.out.trim());
    assert.match(top.document, /page\.html$/);
    assert.doesNotMatch(top.text, /secret/, 'scripts are dropped');

    const unknown = run(['rag', 'search', 'x', '--collection', 'missing', '--db', db]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.err, /missing/);
    const badFilter = run(['rag', 'search', 'x', '--collection', 'k', '--db', db, '--filters', '{"type":"eq","key":"nope","value":1}']);
    assert.notEqual(badFilter.code, 0);
    assert.match(badFilter.err, /nope/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with a gateway config, ingest embeds with its embedding model through the gateway, in its ledger', () => {
  const dir = tempDir();
  try {
    const docs = path.join(dir, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'fox.md'), '# Fox\n\nThe little fox ran to the river every morning.\n');
    fs.writeFileSync(path.join(docs, 'bear.md'), '# Bear\n\nThe kind bear shared honey with his friends.\n');
    const cfg = path.join(dir, 'tiergate.yaml');
    fs.writeFileSync(cfg, `
model_dir: ${modelDir}
models:
  - { name: ${STORIES}, provider: local, tier: slm, path: ${STORIES}.gguf, embedding: true }
ledger:
  store: sqlite:ledger.db
  group_commit_ms: 5
retrieval:
  store: knowledge.db
  embedding_model: ${STORIES}
  chunk_tokens: 32
  overlap_tokens: 0
`);
    const r = run(['rag', 'ingest', docs, '--collection', 'tales', '--team', 'kids', '--config', cfg]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out.trim().split('\n').pop()).ingested, 2);
    const rows = sqliteRows(path.join(dir, 'ledger.db'), "SELECT * FROM requests WHERE route = 'embeddings'");
    assert.ok(rows.length >= 2, 'a ledger row per embedding batch');
    for (const row of rows) {
      assert.equal(row.model, STORIES);
      assert.equal(row.team, 'kids', 'charged to the collection\'s team');
      assert.equal(row.key_id, 'cli');
      assert.equal(row.http_status, 200);
    }
    const hit = run(['rag', 'search', 'kind bear honey', '--collection', 'tales', '--config', cfg, '-k', '1']);
    assert.equal(hit.code, 0, hit.err);
    assert.match(JSON.parse(hit.out.trim()).document, /bear\.md$/);
    const checked = run(['rag', 'check', '--collection', 'tales', '--config', cfg]);
    assert.equal(checked.code, 0, checked.err);
    assert.equal(JSON.parse(checked.out.trim()).ok, true);
    const noRetrieval = path.join(dir, 'bare.yaml');
    fs.writeFileSync(noRetrieval, `model_dir: ${modelDir}\nmodels:\n  - { name: ${STORIES}, provider: local, tier: slm, path: ${STORIES}.gguf }\n`);
    const refused = run(['rag', 'ingest', docs, '--collection', 'x', '--config', noRetrieval]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /no retrieval section/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
