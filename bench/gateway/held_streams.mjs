// Held streaming connections through the gateway: N clients each stream one
// chat completion from an upstream that sends CHUNKS chunks INTERVAL_MS apart,
// all N at once. Reports how many streams completed whole, the wall time, the
// gateway's CPU per stream and per chunk, its peak resident memory, and the
// ledger's row count against the streams served. Everything listens on
// 127.0.0.1; the run is bounded by TIMEOUT_S.
//
//   node bench/gateway/held_streams.mjs TIERGATE_BIN [STREAMS=1000] [CHUNKS=20] [INTERVAL_MS=50]
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const [bin, streamsArg, chunksArg, intervalArg] = process.argv.slice(2);
if (!bin) {
  console.error('usage: held_streams.mjs TIERGATE_BIN [STREAMS] [CHUNKS] [INTERVAL_MS]');
  process.exit(2);
}
const STREAMS = Number(streamsArg ?? 1000);
const CHUNKS = Number(chunksArg ?? 20);
const INTERVAL_MS = Number(intervalArg ?? 50);
const TIMEOUT_S = Number(process.env.TIMEOUT_S ?? 120);
const IO_THREADS = process.env.TIERGATE_IO_THREADS ?? '1';
if (!(STREAMS >= 1 && STREAMS <= 5000 && CHUNKS >= 1 && CHUNKS <= 1000 && INTERVAL_MS >= 0 && INTERVAL_MS <= 10_000)) {
  console.error('STREAMS 1..5000, CHUNKS 1..1000, INTERVAL_MS 0..10000');
  process.exit(2);
}

const chunk = (content, finish) => `data: ${JSON.stringify({
  id: 'up-1', object: 'chat.completion.chunk', created: 1, model: 'slow',
  choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish ?? null }],
})}\n\n`;
const usage = `data: ${JSON.stringify({
  id: 'up-1', object: 'chat.completion.chunk', created: 1, model: 'slow', choices: [],
  usage: { prompt_tokens: 5, completion_tokens: CHUNKS, total_tokens: 5 + CHUNKS },
})}\n\n`;

// --- the upstream: a slow stream per request ---
let upstreamOpen = 0;
let upstreamPeak = 0;
const upstream = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    upstreamOpen++;
    upstreamPeak = Math.max(upstreamPeak, upstreamOpen);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let sent = 0;
    const tick = () => {
      if (sent < CHUNKS) {
        res.write(chunk(`w${sent} `));
        sent++;
        setTimeout(tick, INTERVAL_MS);
        return;
      }
      res.end(chunk('', 'stop') + usage + 'data: [DONE]\n\n');
      upstreamOpen--;
    };
    tick();
  });
});
upstream.keepAliveTimeout = 60_000;
await new Promise((r) => upstream.listen(0, '127.0.0.1', r));

// --- the gateway ---
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-held-'));
const config = path.join(dir, 'tiergate.yaml');
fs.writeFileSync(config, `server:
  host: 127.0.0.1
  port: 0
models:
  - name: slow
    provider: openai_compatible
    endpoint: http://127.0.0.1:${upstream.address().port}/v1
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
    retries: { max_attempts: 1 }
router:
  default_model: slow
ledger:
  store: sqlite:${dir}/ledger.db
`);
const gw = spawn(bin, ['serve', '--config', config, '--log-level', 'warn', '--io-threads', IO_THREADS],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  gw.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on [\d.]+:(\d+)/);
    if (m) resolve(Number(m[1]));
  });
  gw.on('exit', (code) => reject(new Error(`tiergate exited (${code}) before listening`)));
});

const cpuSeconds = () => {
  const f = fs.readFileSync(`/proc/${gw.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;  // utime + stime in clock ticks (100/s)
};
const peakRssMiB = () => {
  const m = fs.readFileSync(`/proc/${gw.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : null;
};

// --- the clients: all at once, each on its own connection ---
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const body = JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'stream please' }] });
let gatewayOpenPeak = 0;
let open = 0;
const one = () => new Promise((resolve) => {
  const req = http.request({
    host: '127.0.0.1', port, path: '/v1/chat/completions', method: 'POST', agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    open++;
    gatewayOpenPeak = Math.max(gatewayOpenPeak, open);
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d) => { text += d; });
    res.on('end', () => {
      open--;
      const words = (text.match(/"content":"w\d+ "/g) ?? []).length;
      resolve(res.statusCode === 200 && words === CHUNKS && text.endsWith('data: [DONE]\n\n'));
    });
    res.on('error', () => { open--; resolve(false); });
  });
  req.on('error', () => resolve(false));
  req.end(body);
});

const cpu0 = cpuSeconds();
const t0 = performance.now();
const timer = setTimeout(() => { console.error(`not done within ${TIMEOUT_S} s`); process.exit(1); }, TIMEOUT_S * 1000);
const results = await Promise.all(Array.from({ length: STREAMS }, one));
clearTimeout(timer);
const wallS = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
const rss = peakRssMiB();

gw.kill('SIGTERM');
await new Promise((r) => gw.on('exit', r));
upstream.close();
const rows = Number(execFileSync('sqlite3', [path.join(dir, 'ledger.db'), 'SELECT COUNT(*) FROM requests']).toString().trim());
fs.rmSync(dir, { recursive: true, force: true });

const completed = results.filter(Boolean).length;
const summary = {
  streams: STREAMS, chunks: CHUNKS, interval_ms: INTERVAL_MS, io_threads: Number(IO_THREADS),
  completed, failed: STREAMS - completed,
  held_at_once: Math.min(gatewayOpenPeak, upstreamPeak),
  wall_s: Number(wallS.toFixed(2)),
  ideal_s: Number((CHUNKS * INTERVAL_MS / 1000).toFixed(2)),
  cpu_s: Number(cpu.toFixed(2)),
  cpu_us_per_stream: Math.round(cpu * 1e6 / STREAMS),
  cpu_us_per_chunk: Number((cpu * 1e6 / (STREAMS * (CHUNKS + 2))).toFixed(1)),
  peak_rss_mib: rss === null ? null : Number(rss.toFixed(1)),
  ledger_rows: rows,
};
console.log(JSON.stringify(summary));
process.exit(completed === STREAMS && rows === STREAMS ? 0 : 1);
