// Starts the real tiergate binary on 127.0.0.1 and offers small HTTP helpers.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');

export const binary = process.env.TIERGATE_BIN || path.join(repo, 'build', 'bin', 'tiergate');
export const modelDir = process.env.TIERGATE_MODEL_DIR || path.resolve(repo, '..', 'shared', 'models');

export const STORIES = 'stories260K';
export const RANDOM = 'llama-2-tiny-random';

// A port nobody listens on right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Spawns `tiergate serve` and resolves once it prints its listening line.
// port: a number, or 'free' to pick one here.
export async function startServer({ port = 'free', startTimeoutMs = 60_000, extraArgs = [] } = {}) {
  const chosen = port === 'free' ? await freePort() : port;
  const args = ['serve', '--port', String(chosen), '--log-level', 'warn', ...extraArgs];
  const proc = spawn(binary, args, {
    env: { ...process.env, TIERGATE_MODEL_DIR: modelDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-16_384);
  });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });

  const listening = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`tiergate did not start within ${startTimeoutMs} ms; stderr:\n${stderr}`));
    }, startTimeoutMs);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/tiergate listening on 127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    exitPromise.then((e) => {
      clearTimeout(timer);
      reject(new Error(`tiergate exited before listening (${JSON.stringify(e)}); stderr:\n${stderr}`));
    });
  });

  const base = `http://127.0.0.1:${listening}`;
  return {
    port: listening,
    base,
    proc,
    stderr: () => stderr,
    exited: () => exited,
    async stop() {
      if (exited) return exited;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const e = await exitPromise;
      clearTimeout(timer);
      return e;
    },
  };
}

// POSTs a JSON value (or a raw string/Buffer) and returns { status, headers, body, json }.
export async function post(base, route, body, { headers = {}, signal } = {}) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(base + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
    signal: signal ?? AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, body: text, json };
}

export async function get(base, route, { method = 'GET', headers = {} } = {}) {
  const res = await fetch(base + route, { method, headers, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, body: text, json };
}

// Streams a request and returns the raw body text plus the parsed events.
export async function postStream(base, route, body, { signal } = {}) {
  const res = await fetch(base + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
    signal: signal ?? AbortSignal.timeout(120_000),
  });
  const raw = await res.text();
  return { status: res.status, headers: res.headers, raw, events: parseSse(raw) };
}

// Splits an SSE body into events; throws if any event is not `data: ...\n\n`.
export function parseSse(raw) {
  if (!raw.endsWith('\n\n')) {
    throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(raw.slice(-80))}`);
  }
  const parts = raw.slice(0, -2).split('\n\n');
  return parts.map((p) => {
    if (!p.startsWith('data: ') || p.includes('\n')) {
      throw new Error(`malformed SSE event: ${JSON.stringify(p.slice(0, 200))}`);
    }
    const data = p.slice('data: '.length);
    return data === '[DONE]' ? '[DONE]' : JSON.parse(data);
  });
}

// One streaming request over its own connection (node:http), resolving with
// the body text. Used where many connections must be open at once.
export function rawStream(port, body, { agent, timeoutMs = 120_000, onFirstByte, onConnect } = {}) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify({ ...body, stream: true }));
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/chat/completions',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        let text = '';
        let first = true;
        res.setEncoding('utf8');
        res.on('data', (d) => {
          if (first) {
            first = false;
            onFirstByte?.();
          }
          text += d;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode, raw: text });
        });
        res.on('error', reject);
      },
    );
    req.on('socket', (sock) => {
      if (onConnect) sock.once('connect', onConnect);
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`stream timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(payload);
  });
}

export async function assertHealthy(base) {
  const h = await get(base, '/health');
  if (h.status !== 200 || h.json?.status !== 'ok') {
    throw new Error(`/health answered ${h.status}: ${h.body}`);
  }
}

// Runs tasks with at most `limit` in flight.
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

export function chat(content, extra = {}) {
  return { model: STORIES, messages: [{ role: 'user', content }], ...extra };
}
