// The intent classifier's commands on the real binary: `agents train-intents`
// on a small slice of CLINC150 (written here from the shared file, never
// stored), `eval intents --json` on it, and clear failures for bad inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { binary } from './lib/server.mjs';
import { tempDir } from './lib/upstreams.mjs';

const shared = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared', 'data', 'intents');
const dataFile = path.join(shared, 'clinc150_train_val.json');
const domainsFile = path.join(shared, 'domains.json');

function run(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Two domains of CLINC150: 20 train rows and 5 val rows per intent, and 40/20 oos rows.
function writeSlice(dir) {
  const full = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
  const allDomains = JSON.parse(fs.readFileSync(domainsFile, 'utf8'));
  const domains = { banking: allDomains.banking, travel: allDomains.travel };
  const keep = new Set([...domains.banking, ...domains.travel]);
  const take = (rows, per) => {
    const count = new Map();
    return rows.filter(([, intent]) => {
      if (!keep.has(intent)) return false;
      count.set(intent, (count.get(intent) || 0) + 1);
      return count.get(intent) <= per;
    });
  };
  const slice = {
    train: take(full.train, 20), val: take(full.val, 5),
    oos_train: full.oos_train.slice(0, 40), oos_val: full.oos_val.slice(0, 20),
  };
  const data = path.join(dir, 'slice.json');
  const map = path.join(dir, 'domains.json');
  fs.writeFileSync(data, JSON.stringify(slice));
  fs.writeFileSync(map, JSON.stringify(domains));
  return { data, map };
}

test('train-intents then eval intents on a CLINC150 slice', { skip: !fs.existsSync(dataFile) && 'no shared CLINC150 file' }, () => {
  const { dir, cleanup } = tempDir('tiergate-intents-');
  try {
  const { data, map } = writeSlice(dir);
  const model = path.join(dir, 'intents.router');
  const trained = run(['agents', 'train-intents', '--data', data, '--domains', map, '--out', model, '--epochs', '6', '--seed', '3']);
  assert.equal(trained.code, 0, trained.err);
  const summary = JSON.parse(trained.out);
  assert.equal(summary.calibration, 'holdout');  // the slice has no test split
  assert.equal(summary.intents, 31);               // 30 intents and oos
  assert.equal(summary.domains, 2);
  assert.equal(summary.train_rows, 600);
  assert.equal(summary.oos_train_rows, 40);
  assert.ok(fs.statSync(model).size > 0);

  const evaluated = run(['eval', 'intents', '--router', model, '--data', data, '--json']);
  assert.equal(evaluated.code, 0, evaluated.err);
  const report = JSON.parse(evaluated.out);
  assert.equal(report.split, 'val');
  assert.equal(report.rows, 170);
  for (const key of ['in_scope_accuracy', 'oos_recall', 'oos_precision']) {
    assert.ok(report[key] >= 0 && report[key] <= 1, `${key} ${report[key]}`);
  }
  assert.ok(report.in_scope_accuracy > 0.5, `in-scope accuracy ${report.in_scope_accuracy}`);
  assert.ok(report.decision_p50_us > 0 && report.decision_p99_us >= report.decision_p50_us);
  assert.deepEqual(Object.keys(report.per_domain).sort(), ['banking', 'travel']);

  // the same seed gives the same file
  const again = path.join(dir, 'again.router');
  assert.equal(run(['agents', 'train-intents', '--data', data, '--domains', map, '--out', again, '--epochs', '6', '--seed', '3']).code, 0);
  assert.ok(fs.readFileSync(model).equals(fs.readFileSync(again)));
  } finally {
    cleanup();
  }
});

test('bad intent inputs fail with a message and exit 1', () => {
  const { dir, cleanup } = tempDir('tiergate-intents-bad-');
  const write = (name, text) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };
  const good = write('good.json', JSON.stringify({ train: [['hi there', 'greet'], ['bye now', 'leave']], val: [['hello', 'greet']] }));
  const map = write('map.json', JSON.stringify({ social: ['greet', 'leave'] }));
  const out = path.join(dir, 'x.router');
  const cases = [
    [['agents', 'train-intents', '--data', path.join(dir, 'missing.json'), '--domains', map, '--out', out], 'not found'],
    [['agents', 'train-intents', '--data', write('bad.json', '{"train": ['), '--domains', map, '--out', out], 'not valid JSON'],
    [['agents', 'train-intents', '--data', write('shape.json', '{"train": {"a": 1}}'), '--domains', map, '--out', out], 'not a list'],
    [['agents', 'train-intents', '--data', write('num.json', '{"train": [[1, "greet"]]}'), '--domains', map, '--out', out], 'not a string'],
    [['agents', 'train-intents', '--data', write('utf8.json', Buffer.from('{"train": [["caf\xff", "greet"]]}', 'latin1')), '--domains', map, '--out', out], 'UTF-8'],
    [['agents', 'train-intents', '--data', good, '--domains', write('unknown.json', '{"social": ["greet", "dance"]}'), '--out', out], "'dance'"],
    [['agents', 'train-intents', '--data', good, '--domains', map, '--out', out, '--calibration', 'test'], 'unknown calibration'],
    [['eval', 'intents', '--router', write('not.router', 'hello'), '--data', good, '--json'], 'bad magic'],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 1, `${args.join(' ')}: exit ${r.code}`);
    assert.match(r.err, /^error: /, args.join(' '));
    assert.ok(r.err.includes(message), `${args.join(' ')}: ${r.err}`);
  }
  cleanup();
});
