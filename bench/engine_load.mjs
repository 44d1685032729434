// Load client of the engine benchmark (bench/engine_bench.sh): measures two or more
// OpenAI-compatible servers serving the same model, side by side, interleaving their runs.
//
//   node bench/engine_load.mjs --target tiergate=http://127.0.0.1:8081/v1@model \
//       --target llama-server=http://127.0.0.1:8082/v1@model --extra 'llama-server={"cache_prompt":false}' \
//       --tokenizer http://127.0.0.1:8082 [--reps 5] [--decode-tokens 128] [--prompt-tokens 512] \
//       [--streams 8] [--stream-tokens 64] [--timeout-s 120] [--json OUT.json]
//
// Metrics (all over streamed /v1/completions, greedy, temperature 0):
//   decode_tps     one stream: (completion_tokens - 1) / (last chunk - first content chunk)
//   ttft_ms        a prompt of --prompt-tokens tokens, different from the first token on in every
//                  run (no prompt cache can help): request sent -> first content chunk
//   aggregate_tps  --streams concurrent streams: sum of completion_tokens / wall time
// The tokenizer endpoint (llama-server's /tokenize and /detokenize) sizes the prompts exactly.

const args = process.argv.slice(2);
const opt = { targets: [], extra: {}, reps: 5, decodeTokens: 128, promptTokens: 512, streams: 8, streamTokens: 64,
              timeoutS: 120, json: null, tokenizer: null, phases: 'decode,ttft,concurrent' };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const v = () => { if (i + 1 >= args.length) throw new Error(`${a} needs a value`); return args[++i]; };
  if (a === '--target') {
    const s = v(); const eq = s.indexOf('='); const at = s.lastIndexOf('@');
    opt.targets.push({ name: s.slice(0, eq), url: s.slice(eq + 1, at), model: s.slice(at + 1) });
  } else if (a === '--extra') {
    const s = v(); const eq = s.indexOf('='); opt.extra[s.slice(0, eq)] = JSON.parse(s.slice(eq + 1));
  } else if (a === '--tokenizer') opt.tokenizer = v();
  else if (a === '--reps') opt.reps = Number(v());
  else if (a === '--decode-tokens') opt.decodeTokens = Number(v());
  else if (a === '--prompt-tokens') opt.promptTokens = Number(v());
  else if (a === '--streams') opt.streams = Number(v());
  else if (a === '--stream-tokens') opt.streamTokens = Number(v());
  else if (a === '--timeout-s') opt.timeoutS = Number(v());
  else if (a === '--phases') opt.phases = v();
  else if (a === '--json') opt.json = v();
  else throw new Error(`unknown argument ${a}`);
}
if (opt.targets.length === 0 || !opt.tokenizer) {
  console.error('usage: engine_load.mjs --target NAME=URL@MODEL ... --tokenizer URL');
  process.exit(2);
}

const WORDS = ('the a little girl boy dog cat sun tree house went saw found happy sad big small red blue ' +
  'played ran jumped said mom dad friend park ball toy day night bird fish water garden flower ' +
  'quickly slowly very wanted to and but so because then one two three under over near far home').split(' ');

function prng(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
                                 body: JSON.stringify(body), signal: AbortSignal.timeout(opt.timeoutS * 1000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

// A prompt of exactly n tokens (n - 1 text tokens plus the BOS the server adds), whose first
// word depends on the seed.
async function makePrompt(seed, n) {
  const rnd = prng(seed);
  const words = [`${Math.floor(rnd() * 1e6)}`];
  let tokens = [];
  for (let want = n * 2; tokens.length < n - 1; want *= 2) {
    while (words.length < want) words.push(WORDS[Math.floor(rnd() * WORDS.length)]);
    tokens = (await post(`${opt.tokenizer}/tokenize`, { content: words.join(' '), add_special: false })).tokens;
  }
  return (await post(`${opt.tokenizer}/detokenize`, { tokens: tokens.slice(0, n - 1) })).content;
}

// One streamed completion; times of the first content chunk and of the last chunk.
async function complete(target, prompt, maxTokens) {
  const body = { model: target.model, prompt, max_tokens: maxTokens, temperature: 0, seed: 1, stream: true,
                 stream_options: { include_usage: true }, ...(opt.extra[target.name] || {}) };
  const t0 = performance.now();
  const res = await fetch(`${target.url}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body), signal: AbortSignal.timeout(opt.timeoutS * 1000) });
  if (!res.ok) throw new Error(`${target.name}: HTTP ${res.status} ${await res.text()}`);
  const dec = new TextDecoder();
  let buf = '', tFirst = null, tLast = null, usage = null, finish = null, chunks = 0;
  for await (const part of res.body) {
    buf += dec.decode(part, { stream: true });
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim(); buf = buf.slice(nl + 1);
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') continue;
      const ev = JSON.parse(data);
      const now = performance.now();
      if (ev.usage) usage = ev.usage;
      const c = ev.choices && ev.choices[0];
      if (!c) continue;
      if ((c.text && c.text.length > 0) || c.finish_reason) {
        if (tFirst === null) tFirst = now;
        tLast = now;
        ++chunks;
      }
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  const tEnd = performance.now();
  const tokens = usage ? usage.completion_tokens : chunks;
  return { ttft_ms: tFirst - t0, gen_ms: tLast - tFirst, total_ms: tEnd - t0, tokens,
           prompt_tokens: usage ? usage.prompt_tokens : null, finish };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1;
  return s.length === 0 ? NaN : (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2); };

const results = {};  // results[target][metric] = [values]
const extraInfo = {};
const record = (t, k, v) => { ((results[t] ??= {})[k] ??= []).push(v); };
const note = (t, k, v) => { ((extraInfo[t] ??= {})[k] ??= []).push(v); };
const order = (rep) => (rep % 2 === 0 ? opt.targets : [...opt.targets].reverse());
const phases = new Set(opt.phases.split(','));
const fs = await import('node:fs');
function report() {
  const summary = {};
  for (const t of opt.targets) {
    summary[t.name] = {};
    for (const [k, vs] of Object.entries(results[t.name] || {})) summary[t.name][k] = { median: median(vs), runs: vs };
    for (const [k, vs] of Object.entries(extraInfo[t.name] || {})) summary[t.name][k] = vs;
  }
  const out = JSON.stringify({ options: { reps: opt.reps, decode_tokens: opt.decodeTokens, prompt_tokens: opt.promptTokens,
    streams: opt.streams, stream_tokens: opt.streamTokens }, summary }, null, 1);
  if (opt.json) fs.writeFileSync(opt.json, out);
  return out;
}

// warm-up: one short completion each (loads pages, builds graphs)
for (const t of opt.targets) await complete(t, 'Once upon a time', 8);

const decodePrompt = await makePrompt(7, 16);
if (phases.has('decode')) {
  for (let rep = 0; rep < opt.reps; rep++) {
    for (const t of order(rep)) {
      const r = await complete(t, decodePrompt, opt.decodeTokens);
      const tps = r.tokens > 1 ? (r.tokens - 1) / (r.gen_ms / 1000) : NaN;
      record(t.name, 'decode_tps', tps);
      note(t.name, 'decode_tokens', r.tokens);
      report();
      console.error(`[decode] rep ${rep} ${t.name}: ${r.tokens} tokens (${r.finish}), ${tps.toFixed(1)} tok/s`);
    }
  }
}
if (phases.has('ttft')) {
  for (let rep = 0; rep < opt.reps; rep++) {
    const prompt = await makePrompt(1000 + rep, opt.promptTokens);
    for (const t of order(rep)) {
      const r = await complete(t, prompt, 2);
      record(t.name, 'ttft_ms', r.ttft_ms);
      note(t.name, 'ttft_prompt_tokens', r.prompt_tokens);
      report();
      console.error(`[ttft] rep ${rep} ${t.name}: ${r.prompt_tokens} prompt tokens, ${r.ttft_ms.toFixed(0)} ms`);
    }
  }
}
if (phases.has('concurrent')) {
  for (let rep = 0; rep < opt.reps; rep++) {
    const prompts = [];
    for (let s = 0; s < opt.streams; s++) prompts.push(await makePrompt(5000 + rep * 100 + s, 16));
    for (const t of order(rep)) {
      const t0 = performance.now();
      const rs = await Promise.all(prompts.map((p) => complete(t, p, opt.streamTokens)));
      const wall = performance.now() - t0;
      const tokens = rs.reduce((a, r) => a + r.tokens, 0);
      record(t.name, 'aggregate_tps', tokens / (wall / 1000));
      note(t.name, 'aggregate_tokens', tokens);
      report();
      console.error(`[concurrent] rep ${rep} ${t.name}: ${opt.streams} streams, ${tokens} tokens in ${wall.toFixed(0)} ms, ` +
                    `${(tokens / (wall / 1000)).toFixed(1)} tok/s`);
    }
  }
}

console.log(report());
