// An OpenAI-compatible upstream on 127.0.0.1 that records every byte it
// receives and answers by echoing the last user message back, streamed in
// small pieces so that any placeholder in it is split across SSE events.
import http from 'node:http';

export async function startCaptureUpstream({ pieceBytes = 3 } = {}) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ method: req.method, url: req.url, headers: JSON.stringify(req.headers), body: raw.toString('utf8') });
      let body;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: 'bad json', type: 'invalid_request_error' } }));
      }
      const msgs = body.messages ?? [];
      const lastUser = [...msgs].reverse().find((m) => m.role === 'user');
      const text = typeof lastUser?.content === 'string' ? lastUser.content : (body.prompt ?? '');
      const usage = { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (obj) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
        send({ id: 'up-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
        for (let i = 0; i < text.length; i += pieceBytes) {
          send({ id: 'up-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: { content: text.slice(i, i + pieceBytes) }, finish_reason: null }] });
        }
        send({ id: 'up-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        if (body.stream_options?.include_usage) {
          send({ id: 'up-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage });
        }
        res.write('data: [DONE]\n\n');
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'up-1', object: 'chat.completion', created: 1, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage,
      }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    // every byte the upstream got, as one string
    allBytes: () => received.map((r) => r.url + '\n' + r.headers + '\n' + r.body).join('\n'),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
