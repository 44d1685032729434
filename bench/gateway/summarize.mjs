// Summarizes bench/gateway_overhead.sh's results.jsonl as Markdown tables.
//   node summarize.mjs RESULTS_JSONL
// Closed loop (wrk): per concurrency and target the median over rounds of
// throughput and latency; ratios and added latency are taken within each
// round (targets of one round ran back to back) and their median is shown.
// Fixed rate (open_loop): the same, for latency from each request's due time.
import fs from 'node:fs';

const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const ms = (us) => fmt(us / 1000, 2);
const names = { direct: 'upstream direct', nginx: 'nginx proxy', portkey: 'Portkey gateway', tiergate: 'tiergate',
  tiergate_model: 'tiergate, model named', tiergate_pool: 'tiergate, pool of 4 named' };

const closed = rows.filter((r) => r.kind === 'wrk');
const open = rows.filter((r) => r.kind === 'rate');
const targetsOf = (rs) => [...new Set(rs.map((r) => r.target))];
const roundsOf = (rs) => [...new Set(rs.map((r) => r.round))];
const find = (rs, target, round, c) => rs.find((r) => r.target === target && r.round === round && (c === undefined || r.c === c));

let failed = false;
for (const r of closed) {
  const e = r.errors;
  if (e.connect + e.read + e.write + e.status + e.timeout > 0) {
    failed = true;
    console.log(`WARNING: ${r.target} c=${r.c} round ${r.round}: errors ${JSON.stringify(e)}`);
  }
}
for (const r of open) {
  if (r.non200 > 0 || r.lost > 0) {
    failed = true;
    console.log(`WARNING: ${r.target} at ${r.rate}/s round ${r.round}: ${r.non200} not 200, ${r.lost} lost`);
  }
}

const summary = { closed: {}, rate: {} };
for (const c of [...new Set(closed.map((r) => r.c))].sort((a, b) => a - b)) {
  const rs = closed.filter((r) => r.c === c);
  const rounds = roundsOf(rs);
  console.log(`\n#### ${c} connections (wrk, ${rounds.length} rounds, medians)\n`);
  console.log('| target | requests/s | × direct | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU µs/request |');
  console.log('|---|---|---|---|---|---|---|---|');
  summary.closed[c] = {};
  for (const t of targetsOf(rs)) {
    const mine = rs.filter((r) => r.target === t);
    const perRound = (f) => median(rounds.map((k) => {
      const a = find(rs, t, k, c);
      const d = find(rs, 'direct', k, c);
      return a && d ? f(a, d) : NaN;
    }));
    const s = {
      rps: median(mine.map((r) => r.rps)),
      p50: median(mine.map((r) => r.latency_us.p50)),
      p99: median(mine.map((r) => r.latency_us.p99)),
      vs_direct: perRound((a, d) => a.rps / d.rps),
      added_p50: perRound((a, d) => a.latency_us.p50 - d.latency_us.p50),
      added_p99: perRound((a, d) => a.latency_us.p99 - d.latency_us.p99),
      cpu_us: median(mine.map((r) => (r.cpu_s * 1e6) / r.requests)),
    };
    summary.closed[c][t] = s;
    const added = t === 'direct' ? ['—', '—'] : [ms(s.added_p50), ms(s.added_p99)];
    console.log(`| ${names[t] ?? t} | ${fmt(s.rps)} | ${fmt(s.vs_direct, 2)} | ${ms(s.p50)} | ${ms(s.p99)} | ${added[0]} | ${added[1]} | ${fmt(s.cpu_us)} |`);
  }
  const ratio = (a, b) => median(rounds.map((k) => {
    const x = find(rs, a, k, c);
    const y = find(rs, b, k, c);
    return x && y ? x.rps / y.rps : NaN;
  }));
  const cpu = (t) => summary.closed[c][t]?.cpu_us;
  if (summary.closed[c].tiergate_pool && summary.closed[c].tiergate_model) {
    const pm = ratio('tiergate_pool', 'tiergate_model');
    const p99 = median(rounds.map((k) => {
      const x = find(rs, 'tiergate_pool', k, c);
      const y = find(rs, 'tiergate_model', k, c);
      return x && y ? x.latency_us.p99 - y.latency_us.p99 : NaN;
    }));
    summary.closed[c].pool_vs_model = pm;
    console.log(`
pool of 4 deployments / one endpoint, throughput: **${fmt(pm, 3)}×** (target ≥ 0.95×); ` +
      `p99 difference ${ms(p99)} ms; CPU per request ${fmt(cpu('tiergate_pool'))} µs vs ${fmt(cpu('tiergate_model'))} µs`);
  }
  if (!summary.closed[c].tiergate) continue;
  const tp = ratio('tiergate', 'portkey');
  const tn = ratio('tiergate', 'nginx');
  summary.closed[c].tiergate_vs_portkey = tp;
  summary.closed[c].tiergate_vs_nginx = tn;
  console.log(`\ntiergate / Portkey throughput: **${fmt(tp, 1)}×** (target ≥ 20×); ` +
    `tiergate / nginx: **${fmt(tn, 2)}×** (target ≥ 0.5×). ` +
    `CPU per request, Portkey / tiergate: ${fmt(cpu('portkey') / cpu('tiergate'), 1)}×; ` +
    `tiergate / nginx: ${fmt(cpu('tiergate') / cpu('nginx'), 1)}×`);
}

if (open.length > 0) {
  const rate = open[0].rate;
  const rounds = roundsOf(open);
  console.log(`\n#### Fixed rate ${fmt(rate)} requests/s (open loop, ${rounds.length} rounds, medians; latency from each request's due time)\n`);
  console.log('| target | achieved/s | p50 ms | p90 ms | p99 ms | p99.9 ms | added p50 ms | added p99 ms |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const t of targetsOf(open)) {
    const mine = open.filter((r) => r.target === t);
    const perRound = (f) => median(rounds.map((k) => {
      const a = find(open, t, k);
      const d = find(open, 'direct', k);
      return a && d ? f(a, d) : NaN;
    }));
    const s = {
      achieved: median(mine.map((r) => r.achieved_rps)),
      p50: median(mine.map((r) => r.latency_us.p50)),
      p90: median(mine.map((r) => r.latency_us.p90)),
      p99: median(mine.map((r) => r.latency_us.p99)),
      p999: median(mine.map((r) => r.latency_us.p999)),
      added_p50: perRound((a, d) => a.latency_us.p50 - d.latency_us.p50),
      added_p99: perRound((a, d) => a.latency_us.p99 - d.latency_us.p99),
      added_p99_rounds: rounds.map((k) => {
        const a = find(open, t, k);
        const d = find(open, 'direct', k);
        return a && d ? a.latency_us.p99 - d.latency_us.p99 : null;
      }),
    };
    summary.rate[t] = s;
    const added = t === 'direct' ? ['—', '—'] : [ms(s.added_p50), ms(s.added_p99)];
    console.log(`| ${names[t] ?? t} | ${fmt(s.achieved)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.p999)} | ${added[0]} | ${added[1]} |`);
  }
  if (summary.rate.tiergate) {
    const per = summary.rate.tiergate.added_p99_rounds.map((x) => (x === null ? '—' : ms(x))).join(', ');
    console.log(`\ntiergate p99 added latency at ${fmt(rate)}/s: **${ms(summary.rate.tiergate.added_p99)} ms** ` +
      `(target < 1 ms; per round: ${per})`);
  }
}

fs.writeFileSync(process.argv[2].replace(/\.jsonl$/, '') + '.summary.json', JSON.stringify(summary, null, 2));
if (failed) {
  console.log('\nSome runs had errors: their numbers are not comparable.');
  process.exitCode = 1;
}
