// Soak: a bounded run of mixed traffic through the real binary, watching its
// resources. Traffic, drawn in a fixed order per request number:
//   local model (stories260K), streamed and not; remote model, streamed and
//   not, its upstream failing on purpose (500s, resets, stalls past the first
//   byte limit, truncated streams) with a fallback model behind it;
//   cancellations mid-stream; oversized bodies (413), malformed JSON and
//   invalid UTF-8 (400), unknown models (404).
// Every `SAMPLE_EVERY` requests it samples the server's RSS, open file
// descriptors and threads (/proc). At the end: requests sent vs answered,
// answers vs ledger rows (every generation request must have exactly one),
// transport-level failures (a request that got no HTTP answer and was not
// cancelled by the client), and the growth of RSS and descriptors over the
// second half of the run.
//
//   node bench/soak.mjs            (bench/soak.sh sets up and runs it)
// Environment: TIERGATE_BIN, TIERGATE_MODEL_DIR, REQUESTS [20000],
//   MAX_SECONDS [600], CONCURRENCY [16], SAMPLE_EVERY [1000], OUT [/tmp/tiergate-soak.json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = path.join(here, '..', 'tests', 'integration', 'lib');
const { startServer, modelDir, STORIES, pool } = await import(path.join(lib, 'server.mjs'));
const { startFakeUpstream } = await import(path.join(lib, 'fake_upstream.mjs'));
const { sqliteRows } = await import(path.join(lib, 'ledger.mjs'));

const REQUESTS = Number(process.env.REQUESTS ?? 20000);
const MAX_SECONDS = Number(process.env.MAX_SECONDS ?? 600);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const SAMPLE_EVERY = Number(process.env.SAMPLE_EVERY ?? 1000);
const OUT = process.env.OUT ?? '/tmp/tiergate-soak.json';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-soak-'));
// the flaky upstream: a fault for one request in four, by request number
const flaky = await startFakeUpstream({
  delayMs: (body, n) => (n % 20 === 7 ? 1500 : 1),
  failure: (body, n) => {
    switch (n % 20) {
      case 3: return { mode: 'status', status: 500 };
      case 11: return { mode: 'reset' };
      case 15: return body.stream ? { mode: 'truncate' } : { mode: 'status', status: 503 };
      default: return null;
    }
  },
});
const steady = await startFakeUpstream({ delayMs: 1 });

const cfg = path.join(dir, 'tiergate.yaml');
fs.writeFileSync(cfg, `
server:
  host: 127.0.0.1
  threads: 2
  max_body_bytes: 65536
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
    parallel: 4
    ctx: 512
  - name: mid-flaky
    provider: openai_compatible
    endpoint: ${flaky.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
    timeouts: { connect_ms: 2000, first_byte_ms: 500, idle_ms: 2000, total_ms: 10000 }
    retries: { max_attempts: 2, base_backoff_ms: 5 }
    fallbacks: [mid-steady]
  - name: mid-steady
    provider: openai_compatible
    endpoint: ${steady.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
ledger:
  store: sqlite:${path.join(dir, 'ledger.db')}
  group_commit_ms: 50
`);

const server = await startServer({ extraArgs: ['--config', cfg] });
const pid = server.proc.pid;

function sample(done) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);
  return {
    requests: done,
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    rss_kib: field('VmRSS'),
    fds: fs.readdirSync(`/proc/${pid}/fd`).length,
    threads: field('Threads'),
  };
}

const kinds = ['local', 'local_stream', 'remote', 'remote_stream', 'remote', 'remote_stream', 'cancel',
  'oversized', 'malformed', 'bad_utf8', 'unknown_model', 'remote', 'local', 'remote_stream'];
const generationKinds = new Set(['local', 'local_stream', 'remote', 'remote_stream']);
const counts = { sent: 0, answered: 0, cancelled: 0, transport: 0, byKind: {}, byStatus: {}, byKindStatus: {}, generationAnswers: 0 };
const transportErrors = [];

function body(kind, i) {
  const local = kind.startsWith('local') || kind === 'cancel';
  const b = {
    model: local ? STORIES : 'mid-flaky',
    messages: [{ role: 'user', content: `soak request ${i}: once upon a time` }],
    max_tokens: local ? 12 : 8,
  };
  if (kind.endsWith('_stream') || kind === 'cancel') b.stream = true;
  if (kind === 'cancel') b.max_tokens = 200;
  if (kind === 'unknown_model') b.model = 'no-such-model';
  return JSON.stringify(b);
}

async function one(i) {
  const kind = kinds[i % kinds.length];
  counts.sent++;
  counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
  let payload = body(kind, i);
  if (kind === 'oversized') payload = JSON.stringify({ model: STORIES, messages: [{ role: 'user', content: 'x'.repeat(70_000) }] });
  if (kind === 'malformed') payload = '{"model": "' + STORIES + '", "messages": [';
  const bytes = kind === 'bad_utf8'
    ? Buffer.concat([Buffer.from(`{"model":"${STORIES}","messages":[{"role":"user","content":"bad `), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')])
    : payload;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new Error('soak timeout')), 30_000);
  try {
    const res = await fetch(server.base + '/v1/chat/completions', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes, signal: ac.signal,
    });
    counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
    const ks = (counts.byKindStatus[kind] ??= {});
    ks[res.status] = (ks[res.status] ?? 0) + 1;
    if (kind === 'cancel') {
      // read the first chunk, then leave
      const reader = res.body.getReader();
      await reader.read();
      counts.answered++;
      counts.cancelled++;
      ac.abort(new Error('cancelled by the client'));
      return;
    }
    await res.arrayBuffer();
    counts.answered++;
    if (generationKinds.has(kind)) counts.generationAnswers++;
  } catch (e) {
    if (kind === 'cancel' && ac.signal.aborted) return;
    counts.transport++;
    if (transportErrors.length < 20) transportErrors.push(`${kind}: ${e.name}: ${e.message} (${e.cause?.code ?? ''})`);
  } finally {
    clearTimeout(timer);
  }
}

const t0 = performance.now();
const samples = [sample(0)];
let done = 0;
const deadline = t0 + MAX_SECONDS * 1000;
while (done < REQUESTS && performance.now() < deadline) {
  const batch = Math.min(SAMPLE_EVERY, REQUESTS - done);
  await pool(Array.from({ length: batch }, (_, k) => done + k), CONCURRENCY, one);
  done += batch;
  samples.push(sample(done));
  const s = samples.at(-1);
  console.log(`${s.requests} requests, ${s.seconds} s: rss ${(s.rss_kib / 1024).toFixed(1)} MiB, ${s.fds} fds, ${s.threads} threads`);
}

await new Promise((r) => setTimeout(r, 500));
const exit = await server.stop();
flaky.close();
steady.close();

const db = path.join(dir, 'ledger.db');
const rows = sqliteRows(db, 'SELECT http_status, error_code FROM requests');
// Every generation request that reached a model is recorded, a stream the
// client cancelled included; refusals before routing (400, 404, 413) are not.
const expectedRows = counts.generationAnswers + counts.cancelled;
const rowsByStatus = {};
for (const r of rows) {
  const k = r.error_code ? `${r.http_status} ${r.error_code}` : String(r.http_status);
  rowsByStatus[k] = (rowsByStatus[k] ?? 0) + 1;
}
const half = samples[Math.floor(samples.length / 2)];
const last = samples.at(-1);
const growth = (a, b) => (a > 0 ? (b - a) / a : 0);
const result = {
  requests: counts.sent,
  seconds: last.seconds,
  answered: counts.answered,
  cancelled_by_client: counts.cancelled,
  transport_failures: counts.transport,
  transport_errors: transportErrors,
  statuses: counts.byStatus,
  statuses_by_kind: counts.byKindStatus,
  kinds: counts.byKind,
  ledger_rows: rows.length,
  ledger_rows_expected: expectedRows,
  ledger_rows_by_status: rowsByStatus,
  rss_growth_second_half: Number(growth(half.rss_kib, last.rss_kib).toFixed(4)),
  fd_growth_second_half: Number(growth(half.fds, last.fds).toFixed(4)),
  exit,
  samples,
};
fs.writeFileSync(OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify({ ...result, samples: undefined }, null, 2));
console.log(`samples and the summary: ${OUT}`);
// What a reliable gateway must show here: every request answered, one ledger
// row per generation, and every whole (unstreamed) answer delivered, since a
// fallback stands behind the failing upstream. A streamed answer that breaks
// after its first bytes is a 200 with an error event for the client and a 502
// row in the ledger: nothing of it can be taken back.
const problems = [];
if (counts.transport > 0) problems.push(`${counts.transport} requests without an HTTP answer`);
if (rows.length !== expectedRows) problems.push(`${rows.length} ledger rows for ${expectedRows} generations`);
const wholeFailed = Object.entries(counts.byKindStatus.remote ?? {}).filter(([s]) => s !== '200').reduce((n, [, c]) => n + c, 0);
if (wholeFailed > 0) problems.push(`${wholeFailed} whole remote answers failed despite the fallback`);
if (exit.code !== 0) problems.push(`the gateway exited with ${exit.code ?? exit.signal}`);
for (const p of problems) console.log(`FAIL: ${p}`);
process.exitCode = problems.length ? 1 : 0;
fs.rmSync(dir, { recursive: true, force: true });
