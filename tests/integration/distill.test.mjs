// The distillation loop on the real binary and real weights: a running
// gateway captures a scripted teacher's answers, `distill dataset` exports
// them, `distill train` fine-tunes stories260K on them, `distill eval` shows
// the student nearer the teacher than the base, and `distill promote` swaps
// the served weights in the running gateway while a request decodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { sqliteRows } from './lib/ledger.mjs';
import { binary, modelDir, post, postStream, startServer, STORIES } from './lib/server.mjs';
import { tempDir, writeFile } from './lib/upstreams.mjs';

function run(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The same without blocking this process: for commands that call an upstream served from here.
function runAsync(args) {
  return new Promise((resolve) => {
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 300_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const NAMES = ['Tom', 'Lily', 'Sam', 'Anna', 'Ben', 'Mia', 'Max', 'Sue', 'Tim', 'Zoe'];
const THINGS = ['ball', 'cat', 'dog', 'tree', 'cake', 'car', 'box', 'bird', 'hat', 'cup'];

// The teacher's style, which stories260K never writes: "ANSWER: the ball is with TOM."
function teacherAnswer(body) {
  const last = body.messages?.[body.messages.length - 1]?.content ?? '';
  const m = /the (\w+) of (\w+)/.exec(last);
  return m ? `ANSWER: the ${m[1]} is with ${m[2].toUpperCase()}.` : 'ANSWER: unknown.';
}

function config(dir, upstream) {
  return `server:
  host: 127.0.0.1
  port: 0
models:
  - name: slm
    provider: local
    path: ${path.join(modelDir, STORIES + '.gguf')}
    tier: slm
    parallel: 2
  - name: teacher
    provider: openai_compatible
    endpoint: ${upstream.endpoint ?? upstream.base + '/v1'}
    tier: frontier
    residency: on_prem
    price: { input_per_mtok: 5.0, output_per_mtok: 15.0 }
    retries: { max_attempts: 1 }
router:
  default_model: teacher
# the scripted teacher answers from the names in the prompt, which the guard would hide from an
# external model or keep out of the capture; what the capture keeps of guarded calls is
# tests/unit/gateway/gateway_test.cpp's
guard:
  enabled: false
ledger:
  store: sqlite:${path.join(dir, 'ledger.db')}
  group_commit_ms: 10
distill:
  store: ${path.join(dir, 'distill.db')}
  capture:
    tasks: [where]
`;
}

async function ask(base, model, content, extra = {}) {
  const r = await post(base, '/v1/chat/completions', {
    model, messages: [{ role: 'user', content }], temperature: 0, max_tokens: 24, ...extra,
  }, extra.headers ? { headers: extra.headers } : {});
  return r;
}

test('capture, dataset, train, eval and promote, end to end on stories260K', async () => {
  const { dir } = tempDir('tiergate-distill-');
  const up = await startFakeUpstream({ text: teacherAnswer });
  const upstreamBase = `http://127.0.0.1:${up.port}`;
  const cfgFile = writeFile(dir, 'tiergate.yaml', config(dir, { base: upstreamBase, endpoint: up.endpoint }));
  try {
    // --- capture: a running gateway keeps the teacher's answers of task `where`
    let server = await startServer({ extraArgs: ['--config', cfgFile] });
    try {
      const prompts = [];
      for (const n of NAMES) for (const t of THINGS) prompts.push(`Where is the ${t} of ${n}?`);
      for (let i = 0; i < prompts.length; ++i) {
        // the task from `metadata.task`, or from the header
        const extra = i % 2 === 0 ? { metadata: { task: 'where' } } : { headers: { 'x-tiergate-task': 'where' } };
        const body = { model: 'teacher', messages: [{ role: 'user', content: prompts[i] }], max_tokens: 24, ...(extra.metadata ? { metadata: extra.metadata } : {}) };
        const r = await post(server.base, '/v1/chat/completions', body, extra.headers ? { headers: extra.headers } : {});
        assert.equal(r.status, 200, r.body);
      }
      // another task and no task at all are not in the capture's scope
      assert.equal((await ask(server.base, 'teacher', 'Where is the sun of Ra?', { metadata: { task: 'other' } })).status, 200);
      assert.equal((await ask(server.base, 'teacher', 'Where is the moon of Ra?')).status, 200);
      // a repeated prompt is kept twice and exported once
      assert.equal((await ask(server.base, 'teacher', prompts[0], { metadata: { task: 'where' } })).status, 200);
      // a bad metadata value is the client's error, in OpenAI's shape
      const bad = await ask(server.base, 'teacher', 'x', { metadata: { task: 7 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.param, 'metadata.task');
    } finally {
      await server.stop();
    }

    // --- dataset
    const data = path.join(dir, 'data.jsonl');
    const exported = run(['distill', 'dataset', '--store', path.join(dir, 'distill.db'), '--task', 'where', '--out', data,
      '--validation-share', '0.2']);
    assert.equal(exported.code, 0, exported.err);
    assert.match(exported.out, /101 teacher answers read: 1 duplicates/);
    const validation = path.join(dir, 'data.validation.jsonl');
    const trainLines = fs.readFileSync(data, 'utf8').trim().split('\n');
    const validationLines = fs.readFileSync(validation, 'utf8').trim().split('\n');
    assert.equal(trainLines.length + validationLines.length, 100, 'one example per distinct prompt');
    assert.ok(validationLines.length >= 8 && validationLines.length <= 35, `validation share: ${validationLines.length}`);
    for (const line of [...trainLines, ...validationLines]) {
      const ex = JSON.parse(line);
      assert.equal(ex.messages.length, 2);
      assert.equal(ex.messages[0].role, 'user');
      assert.equal(ex.messages[1].role, 'assistant');
      assert.equal(ex.messages[1].content, teacherAnswer({ messages: [ex.messages[0]] }));
    }
    const trainPrompts = new Set(trainLines.map((l) => JSON.parse(l).messages[0].content));
    for (const l of validationLines) assert.ok(!trainPrompts.has(JSON.parse(l).messages[0].content), 'a prompt is on one side only');

    // --- train
    const student = path.join(dir, 'student.gguf');
    const base = path.join(modelDir, STORIES + '.gguf');
    const trained = run(['distill', 'train', '--base', base, '--data', data, '--validation', validation, '--out', student,
      '--epochs', '4', '--learning-rate', '0.001', '--context', '256']);
    assert.equal(trained.code, 0, trained.err);
    assert.match(trained.out, /train loss [0-9.]+, validation loss [0-9.]+/);
    assert.ok(fs.statSync(student).size > 0);
    assert.ok(!fs.existsSync(student + '.checkpoint.gguf'), 'the checkpoint goes once the student is written');

    // --- eval: the student is nearer the teacher than the base
    const evaluated = run(['distill', 'eval', '--model', student, '--baseline', base, '--data', validation, '--json']);
    assert.equal(evaluated.code, 0, evaluated.err);
    const scores = JSON.parse(evaluated.out);
    assert.equal(scores.student.examples, validationLines.length);
    assert.ok(scores.student.nll < scores.baseline.nll - 0.5,
      `student NLL ${scores.student.nll} vs base ${scores.baseline.nll}`);
    assert.ok(scores.student.agreement > scores.baseline.agreement);

    // --- labels: the student's fit per prompt, as routing data the learned router trains on
    const labels = path.join(dir, 'labels.csv');
    const labelled = run(['distill', 'labels', '--model', student, '--data', validation, '--student-name', 'slm',
      '--teacher-name', 'teacher', '--out', labels]);
    assert.equal(labelled.code, 0, labelled.err);
    const csv = fs.readFileSync(labels, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'prompt,slm,teacher');
    assert.equal(csv.length, validationLines.length + 1);
    for (const row of csv.slice(1)) {
      const m = /^"Where is the \w+ of \w+\?",([0-9.]+),1$/.exec(row);
      assert.ok(m && Number(m[1]) >= 0 && Number(m[1]) <= 1, row);
    }
    const router = run(['router', 'train', '--data', labels, '--out', path.join(dir, 'student.router'), '--cost', 'slm=0',
      '--cost', 'teacher=0.001', '--split', 'all']);
    assert.equal(router.code, 0, router.err);

    // --- promote in a running gateway, with a request decoding meanwhile
    server = await startServer({ extraArgs: ['--config', cfgFile] });
    try {
      const question = 'Where is the ball of Tom?';
      const before = await ask(server.base, 'slm', question);
      assert.equal(before.status, 200, before.body);
      const answerBefore = before.json.choices[0].message.content;

      // a stream that decodes long enough to overlap the swap
      const inFlight = postStream(server.base, '/v1/chat/completions', {
        model: 'slm', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 400, stream: true,
        temperature: 0, stop: [],
      });
      // a file that is not a model is refused, naming it; nothing changes
      const notModel = writeFile(dir, 'not-a-model.gguf', 'plain text');
      const refused = run(['distill', 'promote', '--config', cfgFile, '--model', 'slm', '--student', notModel]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /not-a-model\.gguf/);

      const promoted = run(['distill', 'promote', '--config', cfgFile, '--model', 'slm', '--student', student,
        '--validation', validation]);
      assert.equal(promoted.code, 0, promoted.err);
      assert.match(promoted.out, /version 1 serves/);

      const streamed = await inFlight;
      assert.equal(streamed.status, 200, streamed.raw);
      const events = streamed.events;
      const last = events.filter((e) => e !== '[DONE]').pop();
      assert.ok(['length', 'stop'].includes(last.choices[0].finish_reason), `in-flight stream ended with ${JSON.stringify(last)}`);
      assert.equal(events[events.length - 1], '[DONE]');

      // the served answers change once the gateway has swapped (within a second or two)
      let answerAfter = answerBefore;
      for (let i = 0; i < 50 && answerAfter === answerBefore; ++i) {
        await new Promise((r) => setTimeout(r, 200));
        const r = await ask(server.base, 'slm', question);
        assert.equal(r.status, 200, r.body);
        answerAfter = r.json.choices[0].message.content;
      }
      assert.notEqual(answerAfter, answerBefore, 'the promoted weights answer differently');
      assert.match(answerAfter, /ANSWER|TOM|with/, `the student writes in the teacher's style: ${answerAfter}`);

      // the base is worse than the student now serving: refused unless forced
      const worse = run(['distill', 'promote', '--config', cfgFile, '--model', 'slm', '--student', base,
        '--validation', validation]);
      assert.equal(worse.code, 1);
      assert.match(worse.err, /refused: the student is worse/);

      // one command rolls back to the weights served before
      const back = run(['distill', 'rollback', '--config', cfgFile, '--model', 'slm']);
      assert.equal(back.code, 0, back.err);
      let answerBack = answerAfter;
      for (let i = 0; i < 50 && answerBack !== answerBefore; ++i) {
        await new Promise((r) => setTimeout(r, 200));
        answerBack = (await ask(server.base, 'slm', question)).json.choices[0].message.content;
      }
      assert.equal(answerBack, answerBefore, 'after the rollback the base answers again');
    } finally {
      const e = await server.stop();
      assert.equal(e.code, 0, server.stderr());
    }
    // every ledger row of the local model says which weights answered
    const versions = sqliteRows(path.join(dir, 'ledger.db'),
      "SELECT DISTINCT model_version FROM requests WHERE model = 'slm' ORDER BY 1").map((r) => r.model_version);
    assert.deepEqual(versions, ['base', 'v1', 'v2']);
    const teacherRows = sqliteRows(path.join(dir, 'ledger.db'),
      "SELECT DISTINCT model_version FROM requests WHERE model = 'teacher'").map((r) => r.model_version);
    assert.deepEqual(teacherRows, ['']);
  } finally {
    await up.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad training input is named: not JSON, not the chat format, empty, untrainable weights', () => {
  const { dir } = tempDir('tiergate-distill-bad-');
  try {
    const base = path.join(modelDir, STORIES + '.gguf');
    const out = path.join(dir, 'student.gguf');
    const good = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] });
    const cases = [
      [`${good}\n{not json\n`, /data\.jsonl:2: not JSON/],
      [`${good}\n${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] })}\n`, /data\.jsonl:2: "messages" needs a prompt and a final assistant message/],
      [`${JSON.stringify({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })}\n`, /data\.jsonl:1: the last message must be the assistant's answer/],
      [`${JSON.stringify({ messages: [{ role: 'robot', content: 'a' }, { role: 'assistant', content: 'b' }] })}\n`, /data\.jsonl:1: messages\[0\]\.role 'robot'/],
      ['\n\n', /data\.jsonl: no examples/],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), /data\.jsonl:1: not valid UTF-8 at byte 1/],
    ];
    for (const [content, expected] of cases) {
      const data = writeFile(dir, 'data.jsonl', content);
      const r = run(['distill', 'train', '--base', base, '--data', data, '--out', out]);
      assert.equal(r.code, 1, `${expected}: ${r.err}`);
      assert.match(r.err, expected);
      assert.ok(!fs.existsSync(out), 'no student from bad data');
    }
    // a base that is not a model
    const data = writeFile(dir, 'data.jsonl', `${good}\n`);
    const notModel = writeFile(dir, 'base.gguf', 'GGUF but not really');
    const r = run(['distill', 'train', '--base', notModel, '--data', data, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.err, /base\.gguf is not a readable GGUF file/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an interrupted training leaves a checkpoint that loads, and --resume finishes from it', async () => {
  const { dir } = tempDir('tiergate-distill-resume-');
  try {
    const base = path.join(modelDir, STORIES + '.gguf');
    const lines = [];
    for (const n of NAMES) for (const t of THINGS) {
      lines.push(JSON.stringify({ messages: [{ role: 'user', content: `Where is the ${t} of ${n}?` },
        { role: 'assistant', content: teacherAnswer({ messages: [{ content: `the ${t} of ${n}` }] }) }] }));
    }
    const data = writeFile(dir, 'data.jsonl', lines.join('\n') + '\n');
    const out = path.join(dir, 'student.gguf');
    const proc = spawn(binary, ['distill', 'train', '--base', base, '--data', data, '--out', out, '--epochs', '200',
      '--context', '256', '--threads', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.setEncoding('utf8');
    const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    const started = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 60_000);
      proc.stderr.on('data', (d) => {
        stderr += d;
        if (/epoch 2\/200/.test(stderr)) {
          clearTimeout(timer);
          proc.kill('SIGINT');
          resolve(true);
        }
      });
    });
    assert.ok(started, `training showed no progress: ${stderr.slice(-400)}`);
    const e = await exited;
    assert.equal(e.code, 130, `Ctrl-C ends with 130: ${stderr.slice(-400)}`);
    assert.ok(!fs.existsSync(out), 'no student before training ends');
    const state = JSON.parse(fs.readFileSync(out + '.checkpoint.json', 'utf8'));
    assert.ok(state.epoch >= 1 && state.epoch < 200, JSON.stringify(state));
    // the checkpoint is a model llama.cpp loads: it can be scored
    const validation = writeFile(dir, 'v.jsonl', lines.slice(0, 5).join('\n') + '\n');
    const scored = run(['distill', 'eval', '--model', out + '.checkpoint.gguf', '--data', validation, '--json']);
    assert.equal(scored.code, 0, scored.err);
    assert.ok(JSON.parse(scored.out).student.nll > 0);
    // resumed, it trains only what was left
    const resumed = run(['distill', 'train', '--base', base, '--data', data, '--out', out, '--epochs', String(state.epoch + 1),
      '--context', '256', '--resume']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, new RegExp(`${state.epoch + 1} epochs`));
    assert.ok(fs.existsSync(out));
    assert.ok(!fs.existsSync(out + '.checkpoint.gguf'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('distill generate sends prompts to the teacher through the gateway and keeps its answers', async () => {
  const { dir } = tempDir('tiergate-distill-generate-');
  const up = await startFakeUpstream({ text: teacherAnswer });
  try {
    const cfgFile = writeFile(dir, 'tiergate.yaml', config(dir, { endpoint: up.endpoint }));
    // a bad line is named before anything is sent
    const bad = writeFile(dir, 'bad.jsonl', '{"prompt": "Where is the cup of Zoe?"}\n{"prompt": 7}\n');
    const refused = run(['distill', 'generate', '--config', cfgFile, '--task', 'gen', '--teacher', 'teacher', '--prompts', bad]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /bad\.jsonl:2: "prompt" must be a non-empty string/);
    assert.equal(up.requests, 0);

    const prompts = writeFile(dir, 'prompts.jsonl', [
      JSON.stringify({ prompt: 'Where is the cup of Zoe?' }),
      JSON.stringify({ messages: [{ role: 'system', content: 'Answer in style.' }, { role: 'user', content: 'Where is the hat of Leo?' }] }),
      '',
      JSON.stringify({ prompt: 'Where is the kite of Eva?' }),
    ].join('\n') + '\n');
    const r = await runAsync(['distill', 'generate', '--config', cfgFile, '--task', 'gen', '--teacher', 'teacher',
      '--prompts', prompts]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /3 answers from teacher for task gen/);
    assert.equal(up.requests, 3);
    // in the ledger like any request
    const rows = sqliteRows(path.join(dir, 'ledger.db'), "SELECT COUNT(*) AS n FROM requests WHERE model = 'teacher'");
    assert.equal(rows[0].n, 3);
    const data = path.join(dir, 'gen.jsonl');
    const exported = run(['distill', 'dataset', '--store', path.join(dir, 'distill.db'), '--task', 'gen', '--out', data,
      '--validation-share', '0']);
    assert.equal(exported.code, 0, exported.err);
    const examples = fs.readFileSync(data, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(examples.length, 3);
    const withSystem = examples.find((e) => e.messages.length === 3);
    assert.equal(withSystem.messages[0].content, 'Answer in style.');
    assert.equal(withSystem.messages[2].content, 'ANSWER: the hat is with LEO.');
    // nothing to export for a task never captured: a clear error
    const none = run(['distill', 'dataset', '--store', path.join(dir, 'distill.db'), '--task', 'nothing', '--out', data]);
    assert.equal(none.code, 1);
    assert.match(none.err, /no teacher answers to export for task 'nothing'/);
  } finally {
    await up.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a fleet on PostgreSQL: two gateways capture into one store and both serve a promotion',
  { skip: !process.env.TIERGATE_TEST_PG_URL && 'TIERGATE_TEST_PG_URL is not set (scripts/services.sh starts PostgreSQL)' },
  async () => {
    const { dir } = tempDir('tiergate-distill-fleet-');
    const server = process.env.TIERGATE_TEST_PG_URL;
    const schema = `distill_${process.pid}_${Date.now()}`;
    const psql = (sql) => {
      const r = spawnSync('psql', [server, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    psql(`CREATE SCHEMA ${schema}`);
    const url = `${server}${server.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
    const up = await startFakeUpstream({ text: teacherAnswer });
    const gateways = [];
    try {
      const yaml = config(dir, { endpoint: up.endpoint }).replace(/  store: .*distill\.db\n/, `  store: "${url}"\n`);
      assert.ok(yaml.includes(schema), 'the store is the PostgreSQL schema');
      const cfgFile = writeFile(dir, 'fleet.yaml', yaml);
      gateways.push(await startServer({ extraArgs: ['--config', cfgFile] }));
      gateways.push(await startServer({ extraArgs: ['--config', cfgFile] }));
      for (const [i, g] of gateways.entries()) {
        for (let n = 0; n < 10; ++n) {
          const r = await ask(g.base, 'teacher', `Where is the ${THINGS[n]} of ${NAMES[i]}?`, { metadata: { task: 'where' } });
          assert.equal(r.status, 200, r.body);
        }
      }
      const question = 'Where is the ball of Tom?';
      const before = await Promise.all(gateways.map(async (g) => (await ask(g.base, 'slm', question)).json.choices[0].message.content));
      assert.equal(before[0], before[1]);
      // the promotion, recorded once in the shared log, reaches both
      const other = path.join(modelDir, 'llama-2-tiny-random.gguf');
      const promoted = run(['distill', 'promote', '--config', cfgFile, '--model', 'slm', '--student', other]);
      assert.equal(promoted.code, 0, promoted.err);
      for (const g of gateways) {
        let answer = before[0];
        for (let i = 0; i < 50 && answer === before[0]; ++i) {
          await new Promise((r) => setTimeout(r, 200));
          answer = (await ask(g.base, 'slm', question)).json.choices[0].message.content;
        }
        assert.notEqual(answer, before[0], `gateway on port ${g.port} serves the promoted weights`);
      }
    } finally {
      for (const g of gateways) await g.stop();
      await up.close();
    }
    try {
      // what both captured is in the one table; the dataset reads it from there
      assert.equal(psql(`SELECT COUNT(*) FROM ${schema}.captures WHERE task = 'where'`), '20');
      assert.equal(psql(`SELECT COUNT(*) FROM ${schema}.promotions`), '1');
      const data = path.join(dir, 'fleet.jsonl');
      const exported = run(['distill', 'dataset', '--store', url, '--task', 'where', '--out', data, '--validation-share', '0']);
      assert.equal(exported.code, 0, exported.err);
      assert.equal(fs.readFileSync(data, 'utf8').trim().split('\n').length, 20);
    } finally {
      psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
