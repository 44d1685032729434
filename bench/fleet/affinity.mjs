// Prefix affinity benchmark: multi-turn conversations through a tiergate pool
// of llama-server instances, with prefix affinity and without (the weighted
// strategy), measured side by side in one run. Every process listens on
// 127.0.0.1 only; the workload is bounded.
//
//   node bench/fleet/affinity.mjs
//
// Environment:
//   TIERGATE_BIN   default build/bin/tiergate
//   LLAMA_SERVER   llama.cpp's llama-server (default: the one scripts/llama.sh built)
//   MODEL          GGUF served by every llama-server (default ../shared/models/stories260K.gguf)
//   SERVERS (2)  SLOTS (2) per server  CTX (4096) per server  THREADS (1) per server
//   CONVERSATIONS (8)  TURNS (4)  CONTEXT_BYTES (1600): each conversation's own long
//   first message (retrieved context)  MAX_TOKENS (16)  ROUNDS (2): phases per mode, interleaved
//   JSON_OUT: also write the figures as JSON to this file
//
// Cache hits are read two ways: usage.prompt_tokens_details.cached_tokens of each
// answer (llama-server reports what it reused, tiergate passes it on) and each
// server's Prometheus counters prompt_tokens_total / prompt_tokens_cached_total.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const env = process.env;
const TIERGATE_BIN = env.TIERGATE_BIN || path.join(root, 'build', 'bin', 'tiergate');
const LLAMA_SERVER = env.LLAMA_SERVER || path.join(execFileSync(path.join(root, 'scripts', 'llama.sh')).toString().trim(), 'build', 'bin', 'llama-server');
const MODEL = env.MODEL || path.resolve(root, '..', 'shared', 'models', 'stories260K.gguf');
const int = (name, def, lo, hi) => {
  const v = env[name] === undefined ? def : Number(env[name]);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${name} must be an integer in [${lo}, ${hi}]`);
  return v;
};
const SERVERS = int('SERVERS', 2, 2, 8);
const SLOTS = int('SLOTS', 2, 1, 16);
const CTX = int('CTX', 4096, 512, 65536);
const THREADS = int('THREADS', 1, 1, 16);
const CONVERSATIONS = int('CONVERSATIONS', 8, 1, 64);
const TURNS = int('TURNS', 4, 2, 16);
const CONTEXT_BYTES = int('CONTEXT_BYTES', 1600, 256, 65536);
const MAX_TOKENS = int('MAX_TOKENS', 16, 1, 256);
const ROUNDS = int('ROUNDS', 2, 1, 10);
const TIMEOUT_MS = 120_000;

const procs = [];
process.on('exit', () => procs.forEach((p) => p.kill('SIGKILL')));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${ms} ms`);
}

function start(bin, args, logName) {
  const log = fs.openSync(path.join(os.tmpdir(), logName), 'w');
  const p = spawn(bin, args, { stdio: ['ignore', log, log] });
  procs.push(p);
  return p;
}

// Words from a seeded generator: each conversation's text is its own.
function words(seed, bytes) {
  let x = seed >>> 0 || 1;
  const vocab = ['the', 'river', 'policy', 'invoice', 'engine', 'quiet', 'market', 'north', 'signal', 'garden',
    'ledger', 'window', 'copper', 'status', 'orbit', 'winter', 'paper', 'vector', 'cloud', 'harbor'];
  let out = '';
  while (out.length < bytes) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out += vocab[x % vocab.length] + ' ';
  }
  return out;
}

async function metrics(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name) => Number((text.match(new RegExp(`^llamacpp:${name} (\\S+)$`, 'm')) || [])[1] || 0);
  return { processed: read('prompt_tokens_total'), cached: read('prompt_tokens_cached_total') };
}

async function chat(gw, model, messages) {
  const t0 = performance.now();
  const r = await fetch(`http://127.0.0.1:${gw}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages, max_tokens: MAX_TOKENS, temperature: 0, stream: true,
      stream_options: { include_usage: true } }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  let ttft = null, text = '', usage = null, buf = '';
  const decoder = new TextDecoder();
  for await (const part of r.body) {
    buf += decoder.decode(part, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const ev = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (!ev.startsWith('data: ') || ev === 'data: [DONE]') continue;
      const j = JSON.parse(ev.slice(6));
      if (j.usage) usage = j.usage;
      const d = j.choices?.[0]?.delta?.content;
      if (d) {
        if (ttft === null) ttft = performance.now() - t0;
        text += d;
      }
    }
  }
  return { ttft: ttft ?? performance.now() - t0, text, usage };
}

// One phase: every conversation's turns, interleaved across conversations.
async function phase(gw, model, seed, ports) {
  const before = await Promise.all(ports.map(metrics));
  const convs = Array.from({ length: CONVERSATIONS }, (_, c) => [
    { role: 'system', content: 'Answer from the context. ' + words(seed * 1000 + c, CONTEXT_BYTES) },
    { role: 'user', content: 'Question 1: ' + words(seed * 7777 + c, 80) },
  ]);
  let prompt = 0, cached = 0, ttftLater = 0, nLater = 0, ttftAll = 0, n = 0;
  for (let turn = 0; turn < TURNS; ++turn) {
    for (let c = 0; c < CONVERSATIONS; ++c) {
      const r = await chat(gw, model, convs[c]);
      ttftAll += r.ttft; ++n;
      if (turn > 0) { ttftLater += r.ttft; ++nLater; }
      prompt += r.usage?.prompt_tokens ?? 0;
      cached += r.usage?.prompt_tokens_details?.cached_tokens ?? 0;
      convs[c].push({ role: 'assistant', content: r.text || 'ok' });
      convs[c].push({ role: 'user', content: `Question ${turn + 2}: ` + words(seed * 31 + c * 17 + turn, 80) });
    }
  }
  const after = await Promise.all(ports.map(metrics));
  let processed = 0, serverCached = 0;
  for (let i = 0; i < ports.length; ++i) {
    processed += after[i].processed - before[i].processed;
    serverCached += after[i].cached - before[i].cached;
  }
  return { requests: n, prompt, cached, ttftAll: ttftAll / n, ttftLater: ttftLater / nLater, processed, serverCached };
}

const ports = [];
for (let i = 0; i < SERVERS; ++i) {
  const port = await freePort();
  ports.push(port);
  start(LLAMA_SERVER, ['-m', MODEL, '--host', '127.0.0.1', '--port', String(port), '-np', String(SLOTS), '-c',
    String(CTX * SLOTS), '-t', String(THREADS), '--metrics', '--no-webui'], `affinity-llama-${i}.log`);
}
await Promise.all(ports.map((p) => waitFor(`http://127.0.0.1:${p}/health`, 120_000)));

const gw = await freePort();
const deployments = ports.map((p, i) => `      - {name: s${i + 1}, endpoint: 'http://127.0.0.1:${p}/v1'}`).join('\n');
const pool = (name, balancing) => `  - name: ${name}
    provider: openai_compatible
    tier: slm
    price: {input_per_mtok: 0, output_per_mtok: 0}
    retries: {max_attempts: 1}
    deployments:
${deployments}
    balancing: ${balancing}
`;
const cfgFile = path.join(os.tmpdir(), 'affinity-tiergate.yaml');
fs.writeFileSync(cfgFile, `server: {host: 127.0.0.1, port: ${gw}}\nguard: {enabled: false}\nmodels:\n` +
  pool('affine', '{strategy: weighted, prefix_affinity: {block_bytes: 256, min_bytes: 256}}') +
  pool('plain', '{strategy: weighted}'));
start(TIERGATE_BIN, ['serve', '--config', cfgFile, '--log-level', 'warn'], 'affinity-tiergate.log');
await waitFor(`http://127.0.0.1:${gw}/ready`, 60_000);

const results = { affine: [], plain: [] };
let seed = 1;
for (let round = 0; round < ROUNDS; ++round) {
  const order = round % 2 === 0 ? ['affine', 'plain'] : ['plain', 'affine'];
  for (const mode of order) results[mode].push(await phase(gw, mode, seed++, ports));
}

const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
const mean = (rs, k) => sum(rs, k) / rs.length;
const figures = {};
for (const mode of ['affine', 'plain']) {
  const rs = results[mode];
  figures[mode] = {
    requests: sum(rs, 'requests'),
    cache_hit_rate: sum(rs, 'cached') / Math.max(1, sum(rs, 'prompt')),
    server_cache_hit_rate: sum(rs, 'serverCached') / Math.max(1, sum(rs, 'serverCached') + sum(rs, 'processed')),
    prompt_tokens_processed: sum(rs, 'processed'),
    ttft_ms_mean: mean(rs, 'ttftAll'),
    ttft_ms_mean_later_turns: mean(rs, 'ttftLater'),
  };
}
console.log(`model ${path.basename(MODEL)}, ${SERVERS} llama-server x ${SLOTS} slots, ${CONVERSATIONS} conversations x ${TURNS} turns, ${ROUNDS} rounds per mode`);
console.log('| figure | with affinity | without (weighted) |\n|---|---|---|');
const row = (label, k, f = (v) => v.toFixed(3)) => console.log(`| ${label} | ${f(figures.affine[k])} | ${f(figures.plain[k])} |`);
row('requests', 'requests', String);
row('cache hit rate (cached / prompt tokens, from the answers)', 'cache_hit_rate');
row('cache hit rate (llama-server counters)', 'server_cache_hit_rate');
row('prompt tokens the servers computed', 'prompt_tokens_processed', String);
row('mean TTFT, ms', 'ttft_ms_mean', (v) => v.toFixed(1));
row('mean TTFT after the first turn, ms', 'ttft_ms_mean_later_turns', (v) => v.toFixed(1));
if (env.JSON_OUT) fs.writeFileSync(env.JSON_OUT, JSON.stringify({ figures, results }, null, 2));
process.exit(0);
