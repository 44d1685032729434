// Real upstreams for tests of remote models: llama.cpp's own llama-server on
// 127.0.0.1, and tiergate configs (written to a temp dir) that reach it.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort, modelDir, STORIES } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

// llama-server from the llama.cpp build that scripts/llama.sh caches
// (LLAMA_SERVER or LLAMA_DIR override it).
export function llamaServerBinary() {
  if (process.env.LLAMA_SERVER) return process.env.LLAMA_SERVER;
  const dir =
    process.env.LLAMA_DIR ||
    execFileSync(path.join(repo, 'scripts', 'llama.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const bin = path.join(dir, 'build', 'bin', 'llama-server');
  if (!fs.existsSync(bin)) {
    throw new Error(`llama-server not found at ${bin} (scripts/llama.sh builds it)`);
  }
  return bin;
}

async function waitHealthy(base, proc, timeoutMs, what, stderr) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`${what} exited before it was ready; stderr:\n${stderr()}`);
    }
    try {
      const r = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) });
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`${what} was not ready within ${timeoutMs} ms; stderr:\n${stderr()}`);
}

// Starts llama-server on 127.0.0.1 serving `model` and resolves once /health
// answers 200. stories260K has no chat template of its own: chatml is given.
export async function startLlamaServer({
  model = path.join(modelDir, `${STORIES}.gguf`),
  chatTemplate = 'chatml',
  slots = 2,
  ctx = 2048,
  startTimeoutMs = 60_000,
  extraArgs = [],
} = {}) {
  const port = await freePort();
  const args = [
    '-m', model, '--host', '127.0.0.1', '--port', String(port),
    '--chat-template', chatTemplate, '-np', String(slots), '-c', String(ctx),
    '-t', '1', '--no-webui', ...extraArgs,
  ];
  const proc = spawn(llamaServerBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-16_384);
  });
  const exitPromise = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, proc, startTimeoutMs, 'llama-server', () => stderr);
  return {
    port,
    base,
    proc,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return exitPromise;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const e = await exitPromise;
      clearTimeout(timer);
      return e;
    },
  };
}

// A fresh directory under the system temp dir, removed by cleanup().
export function tempDir(prefix = 'tiergate-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Writes `text` to DIR/NAME and returns the path.
export function writeFile(dir, name, text) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

// A port on 127.0.0.1 that nobody listens on (connections are refused).
export const closedPort = freePort;

// A tiergate config with remote models only:
//   `remote`  at upstreamBase (openai_compatible, tier mid, on_prem)
//   `broken`  at a closed port, falling back to `remote`
//   `lonely`  at another closed port (its own circuit breaker), without fallbacks
export function remoteConfig({ upstreamBase, closed, closedAlone, extra = '' }) {
  return `server:
  host: 127.0.0.1
  port: 0
models:
  - name: remote
    aliases: [remote-alias]
    provider: openai_compatible
    endpoint: ${upstreamBase}/v1
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 1.0, output_per_mtok: 2.0 }
    timeouts: { connect_ms: 2000, first_byte_ms: 30000, idle_ms: 30000, total_ms: 60000 }
    retries: { max_attempts: 1 }
  - name: broken
    provider: openai_compatible
    endpoint: http://127.0.0.1:${closed}/v1
    tier: frontier
    residency: on_prem
    price: { input_per_mtok: 10.0, output_per_mtok: 30.0 }
    fallbacks: [remote]
    timeouts: { connect_ms: 2000, first_byte_ms: 5000, idle_ms: 5000, total_ms: 10000 }
    retries: { max_attempts: 1 }
  - name: lonely
    provider: openai_compatible
    endpoint: http://127.0.0.1:${closedAlone}/v1
    tier: frontier
    residency: on_prem
    price: { input_per_mtok: 10.0, output_per_mtok: 30.0 }
    timeouts: { connect_ms: 2000, first_byte_ms: 5000, idle_ms: 5000, total_ms: 10000 }
    retries: { max_attempts: 1 }
router:
  default_model: remote
${extra}`;
}
