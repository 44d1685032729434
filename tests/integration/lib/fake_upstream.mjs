// A tiny OpenAI-compatible upstream on 127.0.0.1 for tests of remote models:
// POST /v1/chat/completions and /v1/completions, streaming (SSE) and not.
//
//   const up = await startFakeUpstream({ usage, delayMs, failure });
//   model config: { provider: openai_compatible, endpoint: up.endpoint, ... }
//
// Options (all may be changed later with up.configure({...})):
//   usage     what the answer reports as `usage`:
//               { prompt_tokens, completion_tokens } fixed numbers,
//               a function (body, n) => { prompt_tokens, completion_tokens } (n: 0-based request number),
//               or null to report no usage at all.
//             Default: prompt_tokens = ceil(prompt bytes / 4), completion_tokens = max_tokens (or 16).
//             The answer has exactly completion_tokens words.
//   delayMs   milliseconds before the first byte: a number or (body, n) => number. Default 0.
//   chunkDelayMs  milliseconds between streamed chunks. Default 0.
//   failure   what goes wrong: null (nothing) or (body, n) => null | { mode, status, message } with mode
//               'status'   answer `status` (default 500) with an OpenAI error body
//                          (and the failure's `headers`, e.g. { 'retry-after': '1' })
//               'reset'    destroy the connection without an answer
//               'truncate' (streaming) send half of the chunks, then end without [DONE]
//             or the same object for every request.
//   text      the answer's text instead of `tok` words: (body, n) => string (streamed a word at a time).
//   health    the status GET /health answers (a number), or null (default) for 404 like any
//             other route; up.healthChecks counts the GETs of /health.
//   toolCalls the tool calls to answer with instead of text: null (text), or
//             (body, n) => null | [{ name, arguments }] (arguments a JSON string). Streamed,
//             each call's arguments arrive in fragments of `toolChunk` characters (default 5).
//
// up.requests is the number of generation requests received; up.bodies the
// parsed request bodies (the last 10 000).
import http from 'node:http';

function defaultUsage(body) {
  let bytes = 0;
  if (Array.isArray(body.messages)) {
    for (const m of body.messages) bytes += Buffer.byteLength(String(m.content ?? ''));
  } else if (typeof body.prompt === 'string') {
    bytes = Buffer.byteLength(body.prompt);
  }
  const max = body.max_tokens ?? body.max_completion_tokens ?? 16;
  return { prompt_tokens: Math.ceil(bytes / 4), completion_tokens: max };
}

const valueOf = (v, body, n) => (typeof v === 'function' ? v(body, n) : v);

export async function startFakeUpstream(options = {}) {
  const settings = { usage: undefined, delayMs: 0, chunkDelayMs: 0, failure: null, toolCalls: null, toolChunk: 5, text: null, health: null, ...options };
  const state = { requests: 0, bodies: [], inFlight: 0, maxInFlight: 0, healthChecks: 0 };
  const sockets = new Set();

  const sleep = (ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

  async function answer(req, res, raw) {
    const chat = req.url.endsWith('/chat/completions');
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'bad JSON', type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    const n = state.requests++;
    state.bodies.push(body);
    if (state.bodies.length > 10_000) state.bodies.shift();

    await sleep(valueOf(settings.delayMs, body, n) ?? 0);
    const failure = valueOf(settings.failure, body, n);
    if (failure?.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    if (failure?.mode === 'status') {
      const status = failure.status ?? 500;
      res.writeHead(status, { 'content-type': 'application/json', ...(failure.headers ?? {}) });
      res.end(JSON.stringify({
        error: { message: failure.message ?? `fake upstream failure ${status}`, type: 'server_error', param: null, code: null },
      }));
      return;
    }
    const usage = settings.usage === undefined ? defaultUsage(body) : valueOf(settings.usage, body, n);
    const words = usage ? usage.completion_tokens : (body.max_tokens ?? 16);
    const scripted = settings.text ? settings.text(body, n) : null;
    const pieces = scripted != null
      ? scripted.match(/\S+\s*|\s+/g) ?? []
      : Array.from({ length: words }, (_, i) => (i === 0 ? 'tok' : ' tok'));
    const id = `fake-${n}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model;
    const finish = usage && usage.completion_tokens >= (body.max_tokens ?? Infinity) ? 'length' : 'stop';

    const calls = chat ? valueOf(settings.toolCalls, body, n) : null;
    if (calls) {
      const ids = calls.map((c, i) => `call_${n}_${i}`);
      if (!body.stream) {
        const message = {
          role: 'assistant', content: null,
          tool_calls: calls.map((c, i) => ({ id: ids[i], type: 'function', function: { name: c.name, arguments: c.arguments } })),
        };
        const out = { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: 'tool_calls' }] };
        if (usage) out.usage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(out));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const ev = (choices, extra = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`;
      const toolDelta = (tc) => [{ index: 0, delta: { tool_calls: [tc] }, finish_reason: null }];
      res.write(ev([{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }]));
      for (let i = 0; i < calls.length; i++) {
        res.write(ev(toolDelta({ index: i, id: ids[i], type: 'function', function: { name: calls[i].name, arguments: '' } })));
        for (let k = 0; k < calls[i].arguments.length; k += settings.toolChunk) {
          res.write(ev(toolDelta({ index: i, function: { arguments: calls[i].arguments.slice(k, k + settings.toolChunk) } })));
        }
      }
      res.write(ev([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]));
      if (usage && (body.stream_options?.include_usage ?? false)) {
        res.write(ev([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
      }
      res.end('data: [DONE]\n\n');
      return;
    }

    if (!body.stream) {
      const text = pieces.join('');
      const choice = chat
        ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }
        : { index: 0, text, finish_reason: finish };
      const out = { id, object: chat ? 'chat.completion' : 'text_completion', created, model, choices: [choice] };
      if (usage) out.usage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (choices, extra = {}) =>
      `data: ${JSON.stringify({ id, object: chat ? 'chat.completion.chunk' : 'text_completion', created, model, choices, ...extra })}\n\n`;
    const delta = (content) => (chat ? { index: 0, delta: { content }, finish_reason: null } : { index: 0, text: content, finish_reason: null });
    if (chat) res.write(event([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    const stopAt = failure?.mode === 'truncate' ? Math.floor(pieces.length / 2) : pieces.length;
    for (let i = 0; i < stopAt; i++) {
      res.write(event([delta(pieces[i])]));
      await sleep(valueOf(settings.chunkDelayMs, body, n) ?? 0);
    }
    if (failure?.mode === 'truncate') {
      res.end();
      return;
    }
    res.write(event([chat ? { index: 0, delta: {}, finish_reason: finish } : { index: 0, text: '', finish_reason: finish }]));
    if (usage && (body.stream_options?.include_usage ?? false)) {
      res.write(event([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
    }
    res.end('data: [DONE]\n\n');
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health' && settings.health != null) {
      state.healthChecks++;
      res.writeHead(settings.health, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: settings.health < 300 ? 'ok' : 'unhealthy' }));
      return;
    }
    if (req.method !== 'POST' || !/\/(chat\/)?completions$/.test(req.url)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      answer(req, res, Buffer.concat(chunks).toString('utf8'))
        .catch(() => req.socket.destroy())
        .finally(() => state.inFlight--);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    endpoint: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get bodies() {
      return state.bodies;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get healthChecks() {
      return state.healthChecks;
    },
    configure(changes) {
      Object.assign(settings, changes);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
}
