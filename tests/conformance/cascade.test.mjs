// Answer-aware routing end to end. The commands: `tiergate router train-scorer`
// on the RouterBench answers and `tiergate eval cascade` replaying chains on
// them, with their errors. The gateway: a cascade whose held stages are the
// local model and a remote mid model (an OpenAI-compatible upstream on
// 127.0.0.1), judged by the scorer file, with the frontier model last; the
// official openai SDK as the client; every attempt in the ledger.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';

import { binary, modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { startFakeUpstream } from '../integration/lib/fake_upstream.mjs';
import { tempDir } from '../integration/lib/upstreams.mjs';
import { sqliteRows } from '../integration/lib/ledger.mjs';

const data = path.resolve(modelDir, '..', 'data', 'routing', 'routerbench');
const routellm = path.resolve(modelDir, '..', 'data', 'routing', 'routellm');
let tmp;
let scorer;

function run(args) {
  return spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

let trained;

before(() => {
  tmp = tempDir('tiergate-cascade-');
  scorer = path.join(tmp.dir, 'routerbench.scorer');
  trained = run(['router', 'train-scorer', '--data', data, '--out', scorer, '--max-stages', '2', '--parallel-start', '2', '--json']);
});
after(() => tmp?.cleanup());

describe('the scorer commands', () => {
  test('train-scorer trains on the train split and chooses a chain on validation', () => {
    const r = trained;
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.models.length, 11);
    assert.ok(out.train_prompts > 1300 && out.train_prompts < 1500, `train split: ${out.train_prompts}`);
    assert.ok(out.chain.length >= 1 && out.chain.length <= 2);
    assert.equal(out.thresholds.length, out.chain.length - 1);
    for (const stage of out.chain) for (const m of stage) assert.ok(out.models.includes(m), m);
    assert.ok(out.validation.quality > 0 && out.validation.quality <= 1);
    assert.ok(fs.statSync(scorer).size > 1000);
  });

  test('eval cascade replays chains on the test split with settings chosen on validation', () => {
    const plot = path.join(tmp.dir, 'cascade.svg');
    const r = run(['eval', 'cascade', '--scorer', scorer, '--data', data, '--max-stages', '2', '--parallel-start', '2',
      '--plot', plot, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(out.n > 390);
    assert.equal(out.tuned_on, 'validation');
    assert.ok(out.points.length > 2);
    for (const p of out.points) {
      assert.ok(p.calls >= 1 && p.sequential_calls >= 1 && p.sequential_calls <= p.calls + 1e-9, JSON.stringify(p));
      assert.ok(p.quality >= 0 && p.quality <= 1);
    }
    assert.ok(out.held_out_picks.strong_quality.result.quality > 0);
    assert.ok(out.decision_us.decisions > 4000 && out.decision_us.p99 > 0);
    assert.ok(out.scorer_auc.with_one_other > 0.5);
    assert.ok(out.scorer_setting, 'the file chain is evaluated');
    const svg = fs.readFileSync(plot, 'utf8');
    assert.match(svg, /^<svg/);
    assert.match(svg, /scorer cascade/);
  });

  test('bad input is refused with a clear error', () => {
    const noAnswers = run(['router', 'train-scorer', '--data', routellm, '--out', path.join(tmp.dir, 'x.scorer'),
      '--cost', 'mistralai/Mixtral-8x7B-Instruct-v0.1=0.0002', '--cost', 'gpt-4-1106-preview=0.003']);
    assert.notEqual(noAnswers.status, 0);
    assert.match(noAnswers.stderr, /model_response/);
    const badStages = run(['eval', 'cascade', '--scorer', scorer, '--data', data, '--max-stages', '9']);
    assert.notEqual(badStages.status, 0);
    assert.match(badStages.stderr, /max-stages/);
    const sameSplit = run(['eval', 'cascade', '--scorer', scorer, '--data', data, '--split', 'validation']);
    assert.notEqual(sameSplit.status, 0);
    assert.match(sameSplit.stderr, /tune-split/);
    const notAScorer = path.join(tmp.dir, 'garbage.scorer');
    fs.writeFileSync(notAScorer, 'TIERGATE-SCORER\n\u0001\u0000\u0000\u0000garbage');
    const garbage = run(['eval', 'cascade', '--scorer', notAScorer, '--data', data]);
    assert.notEqual(garbage.status, 0);
    assert.match(garbage.stderr, /scorer file/);
  });
});

describe('a scored cascade in the gateway', () => {
  let mid;
  let frontier;
  let db;

  before(async () => {
    mid = await startFakeUpstream({ text: () => 'B', usage: { prompt_tokens: 20, completion_tokens: 1 } });
    frontier = await startFakeUpstream({ text: () => 'C', usage: { prompt_tokens: 20, completion_tokens: 1 } });
    db = path.join(tmp.dir, 'ledger.db');
  });
  after(async () => {
    await mid?.close();
    await frontier?.close();
  });

  function config(name, thresholds, partner = false) {
    const file = path.join(tmp.dir, `${name}.yaml`);
    fs.writeFileSync(file, `
server:
  host: 127.0.0.1
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
  - name: mid
    provider: openai_compatible
    endpoint: ${mid.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
  - name: frontier
    provider: openai_compatible
    endpoint: ${frontier.endpoint}
    tier: frontier
    price: { input_per_mtok: 10, output_per_mtok: 30 }
router:
  default_model: ${STORIES}
  cascade:
    from: ${STORIES}
    ${partner ? 'partner: mid' : 'through: [mid]'}
    to: frontier
    scorer:
      file: ${scorer}
      names: { ${STORIES}: mistralai/mistral-7b-chat, mid: gpt-3.5-turbo-1106, frontier: gpt-4-1106-preview }
      thresholds: [${thresholds.join(', ')}]
ledger:
  store: sqlite:${db}
  group_commit_ms: 20
`);
    return file;
  }

  const question = 'Which one grows on trees?\nA) apple\nB) granite\nC) salt\nD) tin\nAnswer:';

  async function attemptsOf(id) {
    for (let i = 0; i < 100; i++) {
      const rows = sqliteRows(db, `SELECT * FROM requests WHERE request_id = '${id}'`);
      if (rows.length) return { row: rows[0], attempts: sqliteRows(db, `SELECT * FROM attempts WHERE request_id = '${id}' ORDER BY attempt`) };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ledger row for ${id}`);
  }

  async function withServer(cfg, fn) {
    const server = await startServer({ extraArgs: ['--config', cfg] });
    try {
      const client = new OpenAI({ baseURL: `${server.base}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 120_000 });
      await fn(server, client);
    } finally {
      const e = await server.stop();
      assert.equal(e?.signal ?? null, null, `tiergate died by a signal\n${server.stderr()}`);
    }
  }

  test('stage by stage: the local answer, then the mid answer, then the frontier; each attempt billed', async () => {
    // thresholds 0: the local answer is always good enough; 1: never
    await withServer(config('accept-local', [0, 0]), async (server, client) => {
      const before = mid.requests;
      const { data: r, response } = await client.chat.completions
        .create({ model: 'auto', messages: [{ role: 'user', content: question }], max_tokens: 8, temperature: 0 })
        .withResponse();
      assert.equal(r.model, STORIES);
      assert.match(response.headers.get('x-tiergate-route'), /\+cascade:accepted\(accepted stories260K \(score 0\.\d+\), held \d+ms\)/);
      assert.equal(mid.requests, before, 'the mid model is not called');
    });
    await withServer(config('accept-mid', [1, 0]), async (server, client) => {
      const { data: r, response } = await client.chat.completions
        .create({ model: 'auto', messages: [{ role: 'user', content: question }], max_tokens: 8, temperature: 0 })
        .withResponse();
      assert.equal(r.model, 'mid');
      assert.equal(r.choices[0].message.content, 'B', 'the mid answer, nothing of the local one');
      const route = response.headers.get('x-tiergate-route');
      assert.match(route, /score 0\.\d+ < 1\.000 \(stories260K\); accepted mid/);
      const { row, attempts } = await attemptsOf(r.id);
      assert.deepEqual(attempts.map((a) => [a.model, a.kind]), [[STORIES, 'primary'], ['mid', 'escalation']]);
      assert.equal(attempts[0].error_code, 'low_confidence');
      assert.ok(attempts[0].output_tokens > 0, 'the discarded local answer is accounted');
      assert.ok(attempts[1].cost_usd > 0);
      assert.equal(row.model, 'mid');
      assert.match(row.route_reason, /\+cascade:accepted\(.*held \d+ms\)/);
    });
    await withServer(config('escalate', [1, 1]), async (server, client) => {
      const stream = await client.chat.completions.create({
        model: 'auto', messages: [{ role: 'user', content: question }], max_tokens: 8, temperature: 0, stream: true,
      });
      let text = '';
      let model = '';
      for await (const chunk of stream) {
        model = chunk.model || model;
        text += chunk.choices[0]?.delta?.content ?? '';
      }
      assert.equal(text, 'C', 'only the frontier answer reaches a streaming client');
      assert.equal(model, 'frontier');
    });
  });

  test('a partner answers beside the local model and both are in the ledger', async () => {
    await withServer(config('partner', [0.0], true), async (server, client) => {
      const before = mid.requests;
      const r = await client.chat.completions.create({
        model: 'auto', messages: [{ role: 'user', content: question }], max_tokens: 8, temperature: 0,
      });
      assert.equal(mid.requests, before + 1, 'the partner was asked');
      const { attempts } = await attemptsOf(r.id);
      assert.equal(attempts.length, 2);
      assert.deepEqual(attempts.map((a) => a.kind), ['primary', 'primary']);
      assert.equal(attempts.filter((a) => !a.error_code).length, 1, 'one answer kept');
      const m = await fetch(`${server.base}/v1/route`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: question }] }),
      }).then((x) => x.json());
      assert.equal(m.cascade.partner, 'mid');
      assert.deepEqual(m.cascade.scorer.thresholds, [0]);
    });
  });
});
