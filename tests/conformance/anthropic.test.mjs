// The official @anthropic-ai/sdk against tiergate's Messages API: the same
// gateway path as chat completions, answered in Anthropic's shapes. Served by
// the local model (text) and by a scripted OpenAI-compatible upstream (tool
// use round trips, translated both ways); errors arrive as the SDK's APIError
// subclasses with Anthropic's error shape.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';

import { modelDir, post, startServer, STORIES } from '../integration/lib/server.mjs';
import { startFakeUpstream } from '../integration/lib/fake_upstream.mjs';
import { startFakeAnthropic } from '../integration/lib/fake_anthropic.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';

let upstream;
let claude;
let server;
let tmp;
let client;

const EMAIL = 'jane.doe@example.com';

// Calls get_weather while the last message is the user's (with the
// placeholder it received for the address); after a tool result it answers text.
function toolCalls(body) {
  const last = body.messages.at(-1);
  if (!body.tools || last.role !== 'user') return null;
  const notify = String(last.content).match(/<EMAIL_ADDRESS_\d+>/)?.[0] ?? 'none';
  return [{ name: 'get_weather', arguments: JSON.stringify({ city: 'Paris', notify }) }];
}

const tools = [{
  name: 'get_weather',
  description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' }, notify: { type: 'string' } }, required: ['city'] },
}];

function toolUse(body) {
  const last = body.messages.at(-1);
  if (!body.tools || last.content.some((b) => b.type === 'tool_result')) return null;
  const notify = JSON.stringify(last.content).match(/<EMAIL_ADDRESS_\d+>/)?.[0] ?? 'none';
  return [{ name: 'get_weather', input: { city: 'Paris', notify } }];
}

before(async () => {
  upstream = await startFakeUpstream({ toolCalls, toolChunk: 3 });
  claude = await startFakeAnthropic({ toolUse });
  process.env.TIERGATE_TEST_ANTHROPIC_KEY = 'sk-ant-test';
  tmp = tempDir('tiergate-anthropic-');
  const cfg = writeFile(tmp.dir, 'tiergate.yaml', `
server:
  host: 127.0.0.1
  max_body_bytes: 65536
model_dir: ${modelDir}
models:
  - name: ${STORIES}
    provider: local
    tier: slm
    path: ${STORIES}.gguf
  - name: mid-tools
    provider: openai_compatible
    endpoint: ${upstream.endpoint}
    tier: mid
    capabilities: [tools, images]
    price: { input_per_mtok: 1, output_per_mtok: 2 }
  - name: claude-tools
    provider: anthropic
    endpoint: ${claude.endpoint}
    api_key_env: TIERGATE_TEST_ANTHROPIC_KEY
    tier: frontier
    capabilities: [tools, images]
    price: { input_per_mtok: 3, output_per_mtok: 15 }
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
  client = new Anthropic({ baseURL: server.base, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
});

after(async () => {
  const e = await server?.stop();
  await upstream?.close();
  await claude?.close();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

const once = [{ role: 'user', content: 'Once upon a time' }];

test('messages.create on the local model: a message with a text block, stop reason and usage', async () => {
  const m = await client.messages.create({ model: STORIES, max_tokens: 8, messages: once, system: 'Tell a story.', temperature: 0 });
  assert.equal(m.type, 'message');
  assert.equal(m.role, 'assistant');
  assert.match(m.id, /^msg-/);
  assert.equal(m.model, STORIES);
  assert.equal(m.content.length, 1);
  assert.equal(m.content[0].type, 'text');
  assert.ok(m.content[0].text.length > 0);
  assert.ok(['max_tokens', 'end_turn'].includes(m.stop_reason), m.stop_reason);
  assert.equal(m.usage.output_tokens <= 8 && m.usage.output_tokens > 0, true, JSON.stringify(m.usage));
  assert.ok(m.usage.input_tokens > 0);
});

test('messages.stream on the local model: text deltas, and finalMessage() equals them', async () => {
  const stream = client.messages.stream({ model: STORIES, max_tokens: 8, messages: once, temperature: 0 });
  let text = '';
  const types = new Set();
  stream.on('streamEvent', (e) => types.add(e.type));
  stream.on('text', (t) => { text += t; });
  const m = await stream.finalMessage();
  assert.equal(m.content[0].type, 'text');
  assert.equal(m.content[0].text, text);
  assert.ok(text.length > 0);
  for (const t of ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']) {
    assert.ok(types.has(t), `${t} in ${[...types]}`);
  }
  assert.ok(m.usage.input_tokens > 0 && m.usage.output_tokens > 0, JSON.stringify(m.usage));
  // greedy decoding: the same text as the whole answer
  const whole = await client.messages.create({ model: STORIES, max_tokens: 8, messages: once, temperature: 0 });
  assert.equal(whole.content[0].text, text);
});

test('tool use through an OpenAI-compatible upstream: tool_use blocks, the address restored, a tool_result round trip', async () => {
  const ask = [{ role: 'user', content: `Weather in Paris? Mail ${EMAIL} if it rains.` }];
  const m = await client.messages.create({ model: 'mid-tools', max_tokens: 64, messages: ask, tools, tool_choice: { type: 'any' } });
  assert.equal(m.stop_reason, 'tool_use');
  const use = m.content.find((b) => b.type === 'tool_use');
  assert.ok(use, JSON.stringify(m.content));
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris', notify: EMAIL });
  // the upstream saw OpenAI tools, tool_choice required and the address pseudonymized
  const sent = upstream.bodies.at(-1);
  assert.equal(sent.tools[0].function.name, 'get_weather');
  assert.deepEqual(sent.tools[0].function.parameters, tools[0].input_schema);
  assert.equal(sent.tool_choice, 'required');
  assert.doesNotMatch(JSON.stringify(sent), /jane\.doe/);

  const r = await client.messages.create({
    model: 'mid-tools', max_tokens: 3, tools,
    messages: [...ask, { role: 'assistant', content: m.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18 C, cloudy' }] }],
  });
  assert.equal(r.stop_reason, 'max_tokens');
  assert.deepEqual(r.content, [{ type: 'text', text: 'tok tok tok' }]);
  const back = upstream.bodies.at(-1);
  assert.equal(back.messages.length, 3);
  assert.equal(back.messages[1].role, 'assistant');
  assert.equal(back.messages[1].tool_calls[0].id, use.id);
  assert.equal(JSON.parse(back.messages[1].tool_calls[0].function.arguments).notify, '<EMAIL_ADDRESS_1>');
  assert.equal(back.messages[2].role, 'tool');
  assert.equal(back.messages[2].tool_call_id, use.id);
  assert.equal(back.messages[2].content, '18 C, cloudy');
});

test('streamed tool use: input_json_delta fragments assemble into the same input', async () => {
  const ask = [{ role: 'user', content: `Weather in Paris? Mail ${EMAIL} if it rains.` }];
  const stream = client.messages.stream({ model: 'mid-tools', max_tokens: 64, messages: ask, tools });
  let fragments = 0;
  stream.on('inputJson', () => { fragments++; });
  const m = await stream.finalMessage();
  assert.equal(m.stop_reason, 'tool_use');
  const use = m.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(use.input, { city: 'Paris', notify: EMAIL });
  assert.ok(fragments > 3, `fragments: ${fragments}`);
});

test('count_tokens counts the prompt, tool definitions included', async () => {
  const plain = await client.messages.countTokens({ model: STORIES, messages: once });
  const withTools = await client.messages.countTokens({ model: 'mid-tools', messages: once, tools });
  assert.ok(plain.input_tokens > 0);
  assert.ok(withTools.input_tokens > plain.input_tokens, JSON.stringify({ plain, withTools }));
});

test('errors are APIError subclasses in the Anthropic error shape', async () => {
  await assert.rejects(client.messages.create({ model: STORIES, messages: once }),
    (e) => e instanceof Anthropic.BadRequestError && e.error?.type === 'error' && e.error?.error?.type === 'invalid_request_error' &&
      /max_tokens/.test(e.error.error.message));
  await assert.rejects(client.messages.create({ model: 'no-such-model', max_tokens: 4, messages: once }),
    (e) => e instanceof Anthropic.NotFoundError && e.error?.error?.type === 'not_found_error');
  await assert.rejects(client.messages.create({ model: STORIES, max_tokens: 4, messages: [{ role: 'system', content: 'x' }] }),
    (e) => e instanceof Anthropic.BadRequestError);
  await assert.rejects(client.messages.create({ model: 'mid-tools', max_tokens: 4,
    messages: [...once, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }] }] }),
  (e) => e instanceof Anthropic.BadRequestError && /tool_use_id/.test(e.error.error.message));
  await assert.rejects(client.messages.create({ model: STORIES, max_tokens: 4,
    messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] }] }),
  (e) => e instanceof Anthropic.BadRequestError && /image/.test(e.error.error.message));

  // what the server answers itself takes the same shape on these paths
  const bad = await post(server.base, '/v1/messages', '{"model": ');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.type, 'error');
  assert.equal(bad.json.error.type, 'invalid_request_error');
  const big = await post(server.base, '/v1/messages', { model: STORIES, max_tokens: 4, messages: [{ role: 'user', content: 'x'.repeat(70_000) }] });
  assert.equal(big.status, 413);
  assert.equal(big.json.error.type, 'request_too_large');
  const utf8 = await post(server.base, '/v1/messages', Buffer.concat([Buffer.from('{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"'), Buffer.from([0xff]), Buffer.from('"}]}')]));
  assert.equal(utf8.status, 400);
  assert.equal(utf8.json.error.type, 'invalid_request_error');
  const wrongMethod = await fetch(server.base + '/v1/messages');
  assert.equal(wrongMethod.status, 405);
  assert.equal((await wrongMethod.json()).error.type, 'invalid_request_error');
});

test('tool use through an Anthropic upstream: Anthropic in, Anthropic out, through the one typed call', async () => {
  const ask = [{ role: 'user', content: `Weather in Paris? Mail ${EMAIL} if it rains.` }];
  const m = await client.messages.create({ model: 'claude-tools', max_tokens: 64, messages: ask, tools });
  assert.equal(m.stop_reason, 'tool_use');
  const use = m.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(use.input, { city: 'Paris', notify: EMAIL });
  const sent = claude.bodies.at(-1);
  assert.deepEqual(sent.tools, tools);
  assert.equal(claude.headers.at(-1)['x-api-key'], 'sk-ant-test');
  assert.doesNotMatch(JSON.stringify(sent), /jane\.doe/);

  const streamed = await client.messages.stream({ model: 'claude-tools', max_tokens: 64, messages: ask, tools }).finalMessage();
  assert.deepEqual(streamed.content.find((b) => b.type === 'tool_use').input, { city: 'Paris', notify: EMAIL });

  const r = await client.messages.create({
    model: 'claude-tools', max_tokens: 2, tools,
    messages: [...ask, { role: 'assistant', content: m.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18 C' }] }],
  });
  assert.deepEqual(r.content, [{ type: 'text', text: 'tok tok' }]);
  const back = claude.bodies.at(-1);
  assert.equal(back.messages[1].content[0].type, 'tool_use');
  assert.equal(back.messages[1].content[0].id, use.id);
  assert.deepEqual(back.messages[2].content, [{ type: 'tool_result', tool_use_id: use.id, content: '18 C' }]);
});

// The local model (no template of its own: the generic JSON tool format):
// its calls are grammar-constrained to the function's parameter schema.
const localTools = [{
  name: 'get_weather',
  description: 'The weather forecast',
  input_schema: { type: 'object', properties: { unit: { type: 'string', enum: ['c', 'f'] }, days: { type: 'integer' } },
    required: ['unit', 'days'], additionalProperties: false },
}];

function assertLocalUse(m) {
  assert.equal(m.stop_reason, 'tool_use', JSON.stringify(m.content));
  const use = m.content.find((b) => b.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(Object.keys(use.input).sort(), ['days', 'unit']);
  assert.ok(['c', 'f'].includes(use.input.unit), JSON.stringify(use.input));
  assert.ok(Number.isInteger(use.input.days), JSON.stringify(use.input));
  return use;
}

test('tool use on the local model: a call that matches the schema, whole and streamed, and a round trip', async () => {
  const ask = [{ role: 'user', content: 'What will the weather be?' }];
  const choice = { type: 'any', disable_parallel_tool_use: true };
  const m = await client.messages.create({ model: STORIES, max_tokens: 300, temperature: 0, messages: ask, tools: localTools, tool_choice: choice });
  const use = assertLocalUse(m);
  const streamed = await client.messages.stream({ model: STORIES, max_tokens: 300, temperature: 0, messages: ask, tools: localTools, tool_choice: choice }).finalMessage();
  assert.deepEqual(assertLocalUse(streamed).input, use.input);
  // the tool's result goes back; the model may now answer in text or call again, in the format's shape
  const r = await client.messages.create({
    model: STORIES, max_tokens: 300, temperature: 0, tools: localTools,
    messages: [...ask, { role: 'assistant', content: m.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny' }] }],
  });
  assert.ok(['end_turn', 'tool_use', 'max_tokens'].includes(r.stop_reason), r.stop_reason);
  assert.ok(r.content.length >= 1);
});

test('image blocks reach an image-capable upstream of either dialect', async () => {
  const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
  const messages = [{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }];
  await client.messages.create({ model: 'claude-tools', max_tokens: 2, messages });
  assert.deepEqual(claude.bodies.at(-1).messages[0].content, [image, { type: 'text', text: 'What is this?' }]);
  await client.messages.create({ model: 'mid-tools', max_tokens: 2, messages });
  assert.deepEqual(upstream.bodies.at(-1).messages[0].content, [
    { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    { type: 'text', text: 'What is this?' },
  ]);
});
