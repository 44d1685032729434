// A tiny Anthropic Messages API upstream on 127.0.0.1 for tests of the
// anthropic provider: POST /v1/messages, streamed (its event sequence) and not.
//
//   const up = await startFakeAnthropic({ toolUse });
//   model config: { provider: anthropic, endpoint: up.endpoint, api_key_env: ... }
//
// toolUse: (body, n) => null | [{ name, input }]: the tool_use blocks to answer
//   with (their input streamed as input_json_delta fragments of 4 characters);
//   otherwise the answer is max_tokens words "tok". up.bodies holds the
//   parsed request bodies, up.headers their headers.
import http from 'node:http';

export async function startFakeAnthropic({ toolUse = () => null } = {}) {
  const state = { requests: 0, bodies: [], headers: [] };
  const sockets = new Set();

  function answer(req, res, body) {
    const n = state.requests++;
    state.bodies.push(body);
    state.headers.push(req.headers);
    const uses = toolUse(body, n);
    const words = body.max_tokens ?? 16;
    const text = uses ? '' : Array.from({ length: words }, (_, i) => (i === 0 ? 'tok' : ' tok')).join('');
    const stop = uses ? 'tool_use' : 'max_tokens';
    const id = `msg_fake${n}`;
    const usage = { input_tokens: 11, output_tokens: uses ? 9 : words };
    const content = uses
      ? uses.map((u, i) => ({ type: 'tool_use', id: `toolu_${n}_${i}`, name: u.name, input: u.input }))
      : [{ type: 'text', text }];
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id, type: 'message', role: 'assistant', model: body.model, content, stop_reason: stop,
        stop_sequence: null, usage }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const ev = (data) => res.write(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
    ev({ type: 'message_start', message: { id, type: 'message', role: 'assistant', model: body.model, content: [],
      stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
    ev({ type: 'ping' });
    content.forEach((block, index) => {
      if (block.type === 'text') {
        ev({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const piece of block.text.match(/ ?tok/g) ?? []) {
          ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
        }
      } else {
        ev({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
        const json = JSON.stringify(block.input);
        for (let k = 0; k < json.length; k += 4) {
          ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(k, k + 4) } });
        }
      }
      ev({ type: 'content_block_stop', index });
    });
    ev({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
    ev({ type: 'message_stop' });
    res.end();
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/messages') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no route ${req.url}` } }));
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'bad JSON' } }));
        return;
      }
      answer(req, res, body);
    });
  });
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
    endpoint: `http://127.0.0.1:${port}/v1`,
    get requests() { return state.requests; },
    get bodies() { return state.bodies; },
    get headers() { return state.headers; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
    },
  };
}
