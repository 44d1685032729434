// Tool calling with the official openai SDK through tiergate to a scripted
// OpenAI-compatible upstream: tools and the history's calls and results pass
// through unchanged; tool calls come back whole or as streamed fragments
// (chat.completions.stream and finalChatCompletion()); an e-mail address the
// guard pseudonymized on the way out is restored inside the arguments the
// client receives; malformed tool traffic is an APIError with its field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import path from 'node:path';

import { get, modelDir, startServer, STORIES } from '../integration/lib/server.mjs';
import { sqliteRows } from '../integration/lib/ledger.mjs';
import { startFakeUpstream } from '../integration/lib/fake_upstream.mjs';
import { startFakeAnthropic } from '../integration/lib/fake_anthropic.mjs';
import { tempDir, writeFile } from '../integration/lib/upstreams.mjs';

let upstream;
let claude;
let server;
let tmp;
let client;

const EMAIL = 'jane.doe@example.com';

// The upstream calls get_weather while the last message is the user's, with
// the placeholder it received for the address; after a tool result it answers text.
function toolCalls(body) {
  const last = body.messages.at(-1);
  if (!body.tools || last.role !== 'user') return null;
  const notify = String(last.content).match(/<EMAIL_ADDRESS_\d+>/)?.[0] ?? 'none';
  return [
    { name: 'get_weather', arguments: JSON.stringify({ city: 'Paris', notify }) },
    { name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
  ];
}

const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'The weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' }, notify: { type: 'string' } }, required: ['city'] },
      strict: true,
    },
  },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
];

// The Anthropic upstream uses a tool while the last turn holds no tool result.
function toolUse(body) {
  const last = body.messages.at(-1);
  if (!body.tools || last.content.some((b) => b.type === 'tool_result')) return null;
  const notify = JSON.stringify(last.content).match(/<EMAIL_ADDRESS_\d+>/)?.[0] ?? 'none';
  return [{ name: 'get_weather', input: { city: 'Paris', notify } }, { name: 'get_time', input: { zone: 'Europe/Paris' } }];
}

before(async () => {
  upstream = await startFakeUpstream({ toolCalls, toolChunk: 4 });
  claude = await startFakeAnthropic({ toolUse });
  process.env.TIERGATE_TEST_ANTHROPIC_KEY = 'sk-ant-test';
  tmp = tempDir('tiergate-tools-');
  const cfg = writeFile(tmp.dir, 'tiergate.yaml', `
server:
  host: 127.0.0.1
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
ledger:
  store: sqlite:${path.join(tmp.dir, 'ledger.db')}
  group_commit_ms: 20
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
  client = new OpenAI({ baseURL: `${server.base}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
});

after(async () => {
  const e = await server?.stop();
  await upstream?.close();
  await claude?.close();
  tmp?.cleanup();
  assert.equal(e?.signal ?? null, null, `tiergate died by a signal: ${JSON.stringify(e)}\n${server?.stderr()}`);
});

const ask = [{ role: 'user', content: `What is the weather in Paris? Mail ${EMAIL} when it rains.` }];

function assertCalls(calls) {
  assert.equal(calls.length, 2, JSON.stringify(calls));
  assert.equal(calls[0].type, 'function');
  assert.equal(calls[0].function.name, 'get_weather');
  assert.deepEqual(JSON.parse(calls[0].function.arguments), { city: 'Paris', notify: EMAIL });
  assert.equal(calls[1].function.name, 'get_time');
  assert.deepEqual(JSON.parse(calls[1].function.arguments), { zone: 'Europe/Paris' });
  assert.ok(typeof calls[0].id === 'string' && calls[0].id.length > 0);
  assert.notEqual(calls[0].id, calls[1].id);
}

test('non-streaming: tool calls come back with finish_reason tool_calls, the address restored in the arguments', async () => {
  const seen = upstream.requests;
  const r = await client.chat.completions.create({ model: 'mid-tools', messages: ask, tools, tool_choice: 'auto', parallel_tool_calls: true });
  assert.equal(r.choices[0].finish_reason, 'tool_calls');
  assert.equal(r.choices[0].message.content, null);
  assertCalls(r.choices[0].message.tool_calls);
  // what the upstream got: the tools unchanged, the address pseudonymized
  assert.equal(upstream.requests, seen + 1);
  const sent = upstream.bodies.at(-1);
  assert.deepEqual(sent.tools, tools);
  assert.equal(sent.tool_choice, 'auto');
  assert.equal(sent.parallel_tool_calls, true);
  assert.doesNotMatch(JSON.stringify(sent), /jane\.doe/);
  assert.match(sent.messages[0].content, /<EMAIL_ADDRESS_1>/);
  // the tool definitions count towards the prompt's tokens (and logit_bias / reasoning_effort pass through)
  await client.chat.completions.create({ model: 'mid-tools', messages: [{ role: 'user', content: 'x' }], max_tokens: 2,
    logit_bias: { 50256: -100 }, reasoning_effort: 'low', max_completion_tokens: 2 });
  const passed = upstream.bodies.at(-1);
  assert.deepEqual(passed.logit_bias, { 50256: -100 });
  assert.equal(passed.reasoning_effort, 'low');
  assert.ok(r.usage.prompt_tokens > 0);
  // the ledger row and the metrics count the calls
  let rows = [];
  for (let i = 0; i < 100 && rows.length === 0; i++) {
    rows = sqliteRows(path.join(tmp.dir, 'ledger.db'), `SELECT tool_calls FROM requests WHERE request_id = '${r.id}'`);
    if (!rows.length) await new Promise((res) => setTimeout(res, 20));
  }
  assert.deepEqual(rows, [{ tool_calls: 2 }]);
  const metrics = await get(server.base, '/metrics');
  assert.match(metrics.body, /^tiergate_tool_calls_total\{tier="mid",model="mid-tools"\} [1-9]/m);
});

test('streaming: chat.completions.stream assembles the fragments into the same calls', async () => {
  const stream = client.chat.completions.stream({ model: 'mid-tools', messages: ask, tools });
  let fragments = 0;
  let firstHasName = false;
  for await (const chunk of stream) {
    for (const tc of chunk.choices[0]?.delta?.tool_calls ?? []) {
      if (fragments === 0) firstHasName = tc.function?.name === 'get_weather' && typeof tc.id === 'string';
      fragments++;
    }
  }
  const done = await stream.finalChatCompletion();
  assert.equal(done.choices[0].finish_reason, 'tool_calls');
  assertCalls(done.choices[0].message.tool_calls);
  assert.ok(firstHasName, 'the first fragment carries the id and the function name');
  assert.ok(fragments > 4, `the arguments arrive in fragments (${fragments})`);
});

test('a round trip: the calls and the tool results reach the upstream, which answers in text', async () => {
  const first = await client.chat.completions.create({ model: 'mid-tools', messages: ask, tools });
  const calls = first.choices[0].message.tool_calls;
  const history = [
    ...ask,
    first.choices[0].message,
    { role: 'tool', tool_call_id: calls[0].id, content: '18 C and cloudy' },
    { role: 'tool', tool_call_id: calls[1].id, content: '14:05' },
  ];
  const r = await client.chat.completions.create({ model: 'mid-tools', messages: history, tools, max_tokens: 3 });
  assert.equal(r.choices[0].finish_reason, 'length');
  assert.equal(r.choices[0].message.content, 'tok tok tok');
  const sent = upstream.bodies.at(-1);
  assert.equal(sent.messages.length, 4);
  assert.equal(sent.messages[1].content, null);
  assert.equal(sent.messages[1].tool_calls.length, 2);
  // the address in the echoed arguments leaves pseudonymized again, with the same placeholder
  assert.equal(JSON.parse(sent.messages[1].tool_calls[0].function.arguments).notify, '<EMAIL_ADDRESS_1>');
  assert.equal(sent.messages[2].role, 'tool');
  assert.equal(sent.messages[2].tool_call_id, calls[0].id);
  assert.equal(sent.messages[3].content, '14:05');
});

test('malformed tool traffic is a 400 APIError naming the field', async () => {
  const cases = [
    [{ tools: [{ type: 'function', function: { name: 'bad name' } }] }, 'tools[0].function.name'],
    [{ tools: [tools[0], tools[0]] }, 'tools[1].function.name'],
    [{ tools, tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tool_choice.function.name'],
    [{ messages: [...ask, { role: 'tool', tool_call_id: 'call_x', content: 'r' }] }, 'messages[1].tool_call_id'],
  ];
  for (const [extra, param] of cases) {
    await assert.rejects(
      client.chat.completions.create({ model: 'mid-tools', messages: ask, ...extra }),
      (e) => e instanceof OpenAI.BadRequestError && e.status === 400 && e.param === param,
      param,
    );
  }
  // a local model takes tools or response_format, not both
  await assert.rejects(
    client.chat.completions.create({ model: STORIES, messages: ask, tools, response_format: { type: 'json_object' } }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === 'response_format',
  );
});

// The local model (no template of its own: the generic JSON tool format):
// grammar-constrained calls whose arguments match the parameter schema.
const localTools = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather forecast',
    parameters: { type: 'object', properties: { unit: { type: 'string', enum: ['c', 'f'] }, days: { type: 'integer' } },
      required: ['unit', 'days'], additionalProperties: false },
  },
}, { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { am: { type: 'boolean' } }, required: ['am'] } } }];

function assertLocalCall(call, name) {
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, name);
  assert.ok(call.id.length > 0);
  const args = JSON.parse(call.function.arguments);
  if (name === 'get_weather') {
    assert.deepEqual(Object.keys(args).sort(), ['days', 'unit']);
    assert.ok(['c', 'f'].includes(args.unit) && Number.isInteger(args.days), call.function.arguments);
  } else {
    assert.equal(typeof args.am, 'boolean', call.function.arguments);
  }
  return args;
}

test('tool calls on the local model: required and a named function honoured, whole and streamed, and a round trip', async () => {
  const ask2 = [{ role: 'user', content: 'What will the weather be?' }];
  const base = { model: STORIES, messages: ask2, tools: localTools, max_tokens: 300, temperature: 0, parallel_tool_calls: false };
  const r = await client.chat.completions.create({ ...base, tool_choice: 'required' });
  assert.equal(r.choices[0].finish_reason, 'tool_calls', JSON.stringify(r.choices[0]));
  assert.equal(r.choices[0].message.tool_calls.length, 1);
  const call = r.choices[0].message.tool_calls[0];
  assertLocalCall(call, call.function.name);

  const named = await client.chat.completions.create({ ...base, tool_choice: { type: 'function', function: { name: 'get_time' } } });
  assertLocalCall(named.choices[0].message.tool_calls[0], 'get_time');

  const done = await client.chat.completions.stream({ ...base, tool_choice: 'required' }).finalChatCompletion();
  assert.equal(done.choices[0].finish_reason, 'tool_calls');
  assert.deepEqual(done.choices[0].message.tool_calls[0].function, call.function);

  const back = await client.chat.completions.create({
    ...base, messages: [...ask2, r.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
  });
  assert.ok(['stop', 'tool_calls', 'length'].includes(back.choices[0].finish_reason), back.choices[0].finish_reason);
});

test('through an Anthropic upstream: tools translated both ways, streamed and whole, and a round trip', async () => {
  const whole = await client.chat.completions.create({ model: 'claude-tools', messages: ask, tools, tool_choice: 'required' });
  assert.equal(whole.choices[0].finish_reason, 'tool_calls');
  assertCalls(whole.choices[0].message.tool_calls);
  const sent = claude.bodies.at(-1);
  assert.equal(sent.tools[0].name, 'get_weather');
  assert.deepEqual(sent.tools[0].input_schema, tools[0].function.parameters);
  assert.deepEqual(sent.tool_choice, { type: 'any' });
  assert.doesNotMatch(JSON.stringify(sent), /jane\.doe/);

  const stream = client.chat.completions.stream({ model: 'claude-tools', messages: ask, tools });
  const done = await stream.finalChatCompletion();
  assert.equal(done.choices[0].finish_reason, 'tool_calls');
  assertCalls(done.choices[0].message.tool_calls);

  const calls = whole.choices[0].message.tool_calls;
  const r = await client.chat.completions.create({
    model: 'claude-tools', tools, max_tokens: 2,
    messages: [...ask, whole.choices[0].message,
      { role: 'tool', tool_call_id: calls[0].id, content: '18 C' }, { role: 'tool', tool_call_id: calls[1].id, content: '14:05' }],
  });
  assert.equal(r.choices[0].message.content, 'tok tok');
  const back = claude.bodies.at(-1);
  assert.equal(back.messages.length, 3);
  assert.deepEqual(back.messages[1].content.map((b) => b.type), ['tool_use', 'tool_use']);
  assert.equal(back.messages[1].content[0].input.notify, '<EMAIL_ADDRESS_1>');
  assert.deepEqual(back.messages[2].content, [
    { type: 'tool_result', tool_use_id: calls[0].id, content: '18 C' },
    { type: 'tool_result', tool_use_id: calls[1].id, content: '14:05' },
  ]);
});

test('image and audio parts reach a model whose config takes them, in each dialect; others refuse them', async () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const content = [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: png, detail: 'low' } }];
  await client.chat.completions.create({ model: 'mid-tools', messages: [{ role: 'user', content }], max_tokens: 2 });
  assert.deepEqual(upstream.bodies.at(-1).messages[0].content, content);
  await client.chat.completions.create({ model: 'claude-tools', messages: [{ role: 'user', content }], max_tokens: 2 });
  assert.deepEqual(claude.bodies.at(-1).messages[0].content, [
    { type: 'text', text: 'What is this?' },
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
  ]);
  // never silently dropped: a model without the capability, the local model, audio to Anthropic
  await assert.rejects(client.chat.completions.create({ model: STORIES, messages: [{ role: 'user', content }] }),
    (e) => e instanceof OpenAI.BadRequestError && e.code === 'images_unsupported');
  const audio = [{ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }];
  await assert.rejects(client.chat.completions.create({ model: 'mid-tools', messages: [{ role: 'user', content: audio }] }),
    (e) => e instanceof OpenAI.BadRequestError && e.code === 'audio_unsupported');
  // the guard scans the text parts: the address leaves pseudonymized, the image untouched
  await client.chat.completions.create({ model: 'mid-tools', max_tokens: 2,
    messages: [{ role: 'user', content: [{ type: 'text', text: `Mail ${EMAIL}` }, content[1]] }] });
  const sent = upstream.bodies.at(-1).messages[0].content;
  assert.match(sent[0].text, /^Mail <EMAIL_ADDRESS_1>$/);
  assert.deepEqual(sent[1], content[1]);
});
