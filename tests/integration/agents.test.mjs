// Specialist agents, intent routing and the orchestrator on the real binary,
// against a scripted upstream that plays planner, specialists and composer:
// it calls sql_query with the SQL written after "run sql:" in its task, answers
// "result: <tool output>" once a tool has answered, delegates on DELEGATE,
// returns plans (parallel, cyclic, malformed) for the planner's JSON schema.
// Every step must be a ledger row of its own, linked by the run's trace id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { binary, modelDir, post, postStream, startServer, get, pool, STORIES } from './lib/server.mjs';
import { startFakeUpstream } from './lib/fake_upstream.mjs';
import { tempDir } from './lib/upstreams.mjs';
import { sqliteRows } from './lib/ledger.mjs';

const shared = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'shared', 'data', 'intents');

const userText = (body) => [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
const lastMessage = (body) => body.messages[body.messages.length - 1];
const toolNames = (body) => (body.tools ?? []).map((t) => t.function.name);

const plans = {
  PARALLEL: { subtasks: [
    { id: 'a', specialist: 'sql', instruction: 'run sql: SELECT name FROM customers ORDER BY id LIMIT 2', after: [] },
    { id: 'b', specialist: 'writer', instruction: 'greet the customer', after: [] },
    { id: 'c', specialist: 'writer', instruction: 'combine', after: ['a', 'b'] },
  ] },
  CYCLE: { subtasks: [
    { id: 'a', specialist: 'sql', instruction: 'x', after: ['b'] },
    { id: 'b', specialist: 'writer', instruction: 'y', after: ['a'] },
  ] },
  FLAKY: { subtasks: [
    { id: 'a', specialist: 'flaky', instruction: 'fail', after: [] },
    { id: 'b', specialist: 'writer', instruction: 'works', after: [] },
  ] },
};

function brainText(body) {
  const u = userText(body);
  if (body.response_format) {
    const first = body.messages.find((m) => m.role === 'user').content;  // a retry adds a second one
    if (first.includes('MALFORMED')) return 'I would rather not plan this.';
    const key = Object.keys(plans).find((k) => first.includes(k));
    return JSON.stringify(plans[key ?? 'PARALLEL']);
  }
  if (String(body.messages[0]?.content ?? '').startsWith('Write the answer')) return `composed: ${u.replace(/\s+/g, ' ')}`;
  const last = lastMessage(body);
  if (last.role === 'tool') return `result: ${last.content}`;
  return `answer: ${u.replace(/\s+/g, ' ')}`;
}

function brainTools(body) {
  if (body.response_format) return null;
  const last = lastMessage(body);
  if (last.role === 'tool') return null;
  const tools = toolNames(body);
  const u = userText(body);
  if (tools.includes('sql_query')) {
    if (u.includes('BADARGS')) return [{ name: 'sql_query', arguments: '{"q": 1}' }];
    if (u.includes('LOOP')) return [{ name: 'sql_query', arguments: JSON.stringify({ query: 'SELECT 1 AS one' }) }];
    const m = u.match(/run sql: ([^\n]*)/);
    if (m) return [{ name: 'sql_query', arguments: JSON.stringify({ query: m[1] }) }];
  }
  if (tools.includes('call_specialist') && u.includes('DELEGATE')) {
    return [{ name: 'call_specialist', arguments: JSON.stringify({ specialist: 'sql', instruction: 'run sql: SELECT count(*) AS n FROM customers' }) }];
  }
  if (tools.includes('retrieve') && u.includes('LOOKUP')) return [{ name: 'retrieve', arguments: JSON.stringify({ query: 'vacation days per year', k: 2 }) }];
  if (tools.includes('get_weather') && u.includes('weather')) return [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }];
  return null;
}

let brain;
let broken;
let server;
let tmp;
let ledger;
let warehouse;
let intentsTrained = false;

function customers() {
  return sqliteRows(warehouse, 'SELECT count(*) AS n FROM customers')[0].n;
}

function traceRows(trace) {
  return sqliteRows(ledger, `SELECT request_id, trace_id, agent, model, http_status, cost_usd FROM requests WHERE trace_id = '${trace}' ORDER BY request_id`);
}

async function settle(trace, count) {
  for (let i = 0; i < 100; i++) {
    if (traceRows(trace).length >= count) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return traceRows(trace);
}

function trainIntents(dir) {
  const dataFile = path.join(shared, 'clinc150_train_val.json');
  if (!fs.existsSync(dataFile)) return null;
  const full = JSON.parse(fs.readFileSync(dataFile, 'utf8'));
  const all = JSON.parse(fs.readFileSync(path.join(shared, 'domains.json'), 'utf8'));
  const domains = { banking: all.banking, travel: all.travel, utility: all.utility };
  const keep = new Set(Object.values(domains).flat());
  const slice = {
    train: full.train.filter(([, i]) => keep.has(i)), val: full.val.filter(([, i]) => keep.has(i)),
    oos_train: full.oos_train, oos_val: full.oos_val,
  };
  const data = path.join(dir, 'intents.json');
  const map = path.join(dir, 'domains.json');
  fs.writeFileSync(data, JSON.stringify(slice));
  fs.writeFileSync(map, JSON.stringify(domains));
  const out = path.join(dir, 'intents.router');
  const r = spawnSync(binary, ['agents', 'train-intents', '--data', data, '--domains', map, '--out', out, '--epochs', '6'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

before(async () => {
  brain = await startFakeUpstream({ text: brainText, toolCalls: brainTools, usage: { prompt_tokens: 20, completion_tokens: 5 } });
  broken = await startFakeUpstream({ failure: { mode: 'status', status: 500 } });
  tmp = tempDir('tiergate-agents-');
  ledger = path.join(tmp.dir, 'ledger.db');
  warehouse = path.join(tmp.dir, 'warehouse.db');
  const made = spawnSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT);
INSERT INTO customers (name, city) VALUES ('Ada','London'),('Grace','New York'),('Linus','Helsinki');
CREATE TABLE big (n INTEGER);
""")
c.executemany("INSERT INTO big VALUES (?)", [(i,) for i in range(20)])
c.commit()
`, warehouse], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const docs = path.join(tmp.dir, 'handbook');
  fs.mkdirSync(docs);
  fs.writeFileSync(path.join(docs, 'leave.md'), '# Leave\n\nEvery employee has 25 vacation days per year, booked through the portal.\n');
  fs.writeFileSync(path.join(docs, 'travel.md'), '# Travel\n\nTrain tickets are reimbursed in second class.\n');
  const ingested = spawnSync(binary, ['rag', 'ingest', docs, '--db', path.join(tmp.dir, 'knowledge.db'), '--collection', 'handbook'], { encoding: 'utf8' });
  assert.equal(ingested.status, 0, ingested.stderr);
  const router = trainIntents(tmp.dir);
  intentsTrained = router != null;
  const cfg = path.join(tmp.dir, 'tiergate.yaml');
  fs.writeFileSync(cfg, `
server:
  host: 127.0.0.1
models:
  - name: mid
    provider: openai_compatible
    endpoint: ${brain.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
    retries: { max_attempts: 1 }
  - name: mid-broken
    provider: openai_compatible
    endpoint: ${broken.endpoint}
    tier: mid
    price: { input_per_mtok: 1, output_per_mtok: 2 }
    retries: { max_attempts: 1 }
router:
  default_model: mid
ledger:
  store: sqlite:${ledger}
  group_commit_ms: 20
retrieval:
  store: ${path.join(tmp.dir, 'knowledge.db')}
agents:
  max_concurrent: 8
  databases:
    warehouse: { url: ${warehouse}, max_rows: 5, timeout_ms: 1000 }
  specialists:
    - { name: sql, description: runs SQL, model: mid, tools: [sql_query], database: warehouse, max_steps: 3, system: You run SQL., intents: [balance] }
    - { name: writer, description: writes replies, model: mid, domains: [travel] }
    - { name: looper, model: mid, tools: [sql_query], database: warehouse, max_steps: 2 }
    - { name: boss, model: mid, tools: [call_specialist], delegates: [sql] }
    - { name: flaky, model: mid-broken }
    - { name: pricey, model: mid, max_cost_usd: 0.000001 }
    - { name: librarian, model: mid, tools: [retrieve], collections: [handbook] }
  orchestrator: { planner: mid, max_subtasks: 4, retries: 1, deadline_ms: 30000 }
${intentsTrained ? `  intents: { router: ${router}, default_model: mid }` : ''}
`);
  server = await startServer({ extraArgs: ['--config', cfg] });
});

after(async () => {
  await server?.stop();
  await brain?.close();
  await broken?.close();
  tmp?.cleanup();
});

const ask = (model, content, extra = {}) => ({ model, messages: [{ role: 'user', content }], max_tokens: 64, ...extra });

test('a specialist runs SQL through its tool; each step is a ledger row of its trace', async () => {
  const r = await post(server.base, '/v1/chat/completions', ask('agent:sql', 'run sql: SELECT name, city FROM customers ORDER BY id'));
  assert.equal(r.status, 200, r.body);
  const text = r.json.choices[0].message.content;
  assert.match(text, /\| Ada \| London \|/);
  assert.match(text, /\(3 rows\)/);
  assert.equal(r.json.choices[0].finish_reason, 'stop');
  const trace = r.headers.get('x-tiergate-trace');
  assert.ok(trace, 'the answer carries its trace id');
  assert.equal(r.headers.get('x-tiergate-agent'), 'sql');
  const rows = await settle(trace, 2);
  assert.equal(rows.length, 2, JSON.stringify(rows));
  for (const row of rows) {
    assert.equal(row.agent, 'sql');
    assert.equal(row.http_status, 200);
    assert.equal(row.model, 'mid');
    assert.ok(row.cost_usd > 0);
  }
  // the second step saw the tool's result, with the specialist's system prompt first
  const body = brain.bodies.findLast((b) => lastMessage(b).role === 'tool');
  assert.equal(body.messages[0].role, 'system');
  assert.equal(body.messages[0].content, 'You run SQL.');
  assert.match(lastMessage(body).content, /Grace/);
});

test('writes, stacked statements and queries over the row limit are refused, and nothing changes', async () => {
  for (const [sql, says] of [
    ['DELETE FROM customers', /'delete' statements are not allowed/],
    ['SELECT 1; DROP TABLE customers', /one statement per query/],
    ['SELECT n FROM big', /more than 5 rows/],
    ['WITH x AS (DELETE FROM customers RETURNING id) SELECT * FROM x', /error:/],
  ]) {
    const r = await post(server.base, '/v1/chat/completions', ask('agent:sql', `run sql: ${sql}`));
    assert.equal(r.status, 200, r.body);
    assert.match(r.json.choices[0].message.content, says, sql);
  }
  assert.equal(customers(), 3);
});

test('bad tool arguments are shown to the model, which goes on', async () => {
  const r = await post(server.base, '/v1/chat/completions', ask('agent:sql', 'BADARGS please'));
  assert.equal(r.status, 200, r.body);
  assert.match(r.json.choices[0].message.content, /bad tool arguments: unknown field 'q'/);
});

test('the last step is asked to answer without tools (the step limit)', async () => {
  const before = brain.requests;
  const r = await post(server.base, '/v1/chat/completions', ask('agent:looper', 'LOOP forever'));
  assert.equal(r.status, 200, r.body);
  assert.equal(brain.requests - before, 2);
  const last = brain.bodies[brain.bodies.length - 1];
  assert.equal(last.tools, undefined);
  assert.equal(r.json.choices[0].finish_reason, 'stop');
});

test('a streaming client sees each tool step as a tool-call delta, then the answer', async () => {
  const r = await postStream(server.base, '/v1/chat/completions', ask('agent:sql', 'run sql: SELECT count(*) AS n FROM customers'));
  assert.equal(r.status, 200, r.raw);
  const chunks = r.events.filter((e) => e !== '[DONE]');
  const calls = chunks.flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? []);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].function.name, 'sql_query');
  assert.match(calls[0].function.arguments, /count\(\*\)/);
  const text = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  assert.match(text, /\| 3 \|/);
  assert.equal(r.events[r.events.length - 1], '[DONE]');
  assert.ok(r.headers.get('x-tiergate-trace'));
});

test("a call of the client's own tool is returned to the client", async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
  const r = await post(server.base, '/v1/chat/completions', ask('agent:writer', 'what is the weather', { tools }));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.choices[0].finish_reason, 'tool_calls');
  assert.equal(r.json.choices[0].message.tool_calls[0].function.name, 'get_weather');
  const clash = await post(server.base, '/v1/chat/completions',
    ask('agent:writer', 'x', { tools: [{ type: 'function', function: { name: 'sql_query', parameters: { type: 'object' } } }] }));
  assert.equal(clash.status, 400);
  assert.equal(clash.json.error.code, 'reserved_tool_name');
});

test('a specialist delegates to another; the delegate steps share the trace', async () => {
  const r = await post(server.base, '/v1/chat/completions', ask('agent:boss', 'DELEGATE the count'));
  assert.equal(r.status, 200, r.body);
  assert.match(r.json.choices[0].message.content, /\| 3 \|/);
  const rows = await settle(r.headers.get('x-tiergate-trace'), 4);
  assert.deepEqual(rows.map((x) => x.agent).sort(), ['boss', 'boss', 'sql', 'sql']);
});

test('a specialist searches its collection with the retrieve tool', async () => {
  const r = await post(server.base, '/v1/chat/completions', ask('agent:librarian', 'LOOKUP the leave policy'));
  assert.equal(r.status, 200, r.body);
  const text = r.json.choices[0].message.content;
  assert.match(text, /^result: \[1\] /);
  assert.match(text, /25 vacation days per year/);
  const rows = await settle(r.headers.get('x-tiergate-trace'), 2);
  assert.deepEqual(rows.map((x) => x.agent), ['librarian', 'librarian']);
});

test('a specialist over its own budget is refused with 429', async () => {
  const r = await post(server.base, '/v1/chat/completions', ask('agent:pricey', 'hello'));
  assert.equal(r.status, 429, r.body);
  assert.equal(r.json.error.code, 'agent_budget_exceeded');
});

test('the orchestrator runs a plan: parallel subtasks, a dependent one, a composed answer', async () => {
  const r = await post(server.base, '/v1/chat/completions', ask('orchestrator', 'PARALLEL please'));
  assert.equal(r.status, 200, r.body);
  const text = r.json.choices[0].message.content;
  assert.match(text, /^composed: /);
  assert.match(text, /Ada/);  // subtask a's rows reached the composer
  const rows = await settle(r.headers.get('x-tiergate-trace'), 6);
  // planner, sql (2 steps), writer b, writer c, composer
  assert.equal(rows.length, 6, JSON.stringify(rows));
  assert.deepEqual(rows.map((x) => x.agent).sort(), ['', '', 'sql', 'sql', 'writer', 'writer']);
  // c was given a's and b's results
  const c = brain.bodies.find((b) => userText(b).startsWith('Your task: combine'));
  assert.match(userText(c), /Result of a \(sql\)/);
  assert.match(userText(c), /Result of b \(writer\)/);
});

test('a cyclic or malformed plan is refused (after one retry) in the dialect shape', async () => {
  for (const word of ['CYCLE', 'MALFORMED']) {
    const r = await post(server.base, '/v1/chat/completions', ask('orchestrator', word));
    assert.equal(r.status, 502, r.body);
    assert.equal(r.json.error.code, 'plan_failed');
    assert.match(r.json.error.message, word === 'CYCLE' ? /cycle/ : /not a JSON object/);
    const rows = await settle(r.headers.get('x-tiergate-trace') ?? 'none', 2);
    assert.ok(rows.length === 0 || rows.length === 2);
  }
});

test('a failing subtask is retried, then the plan answers with what it has and says so', async () => {
  const before = broken.requests;
  const r = await post(server.base, '/v1/chat/completions', ask('orchestrator', 'FLAKY'));
  assert.equal(r.status, 200, r.body);
  assert.equal(broken.requests - before, 2);  // tried, and tried again
  assert.match(r.json.choices[0].message.content, /incomplete: 1 of 2 subtasks/);
});

test('concurrent agent runs each keep their own trace and every step is accounted', async () => {
  const traces = await pool(Array.from({ length: 12 }, (_, i) => i), 6, async (i) => {
    const r = await post(server.base, '/v1/chat/completions', ask('agent:sql', `run sql: SELECT ${i} AS i`));
    assert.equal(r.status, 200, r.body);
    assert.match(r.json.choices[0].message.content, new RegExp(`\\| ${i} \\|`));
    return r.headers.get('x-tiergate-trace');
  });
  assert.equal(new Set(traces).size, 12);
  for (const t of traces) assert.equal((await settle(t, 2)).length, 2);
});

test('the Messages API serves agents too, with its error shape', async () => {
  const r = await post(server.base, '/v1/messages', { model: 'agent:sql', max_tokens: 64, messages: [{ role: 'user', content: 'run sql: SELECT name FROM customers WHERE id = 1' }] }, { headers: { 'anthropic-version': '2023-06-01' } });
  assert.equal(r.status, 200, r.body);
  assert.match(r.json.content.map((b) => b.text ?? '').join(''), /Ada/);
  const bad = await post(server.base, '/v1/messages', { model: 'agent:nobody', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'anthropic-version': '2023-06-01' } });
  assert.equal(bad.status, 404);
  assert.equal(bad.json.type, 'error');
});

test('bad input to agent models gets clear errors', async () => {
  const unknown = await post(server.base, '/v1/chat/completions', ask('agent:nobody', 'x'));
  assert.equal(unknown.status, 404);
  const completion = await post(server.base, '/v1/completions', { model: 'agent:sql', prompt: 'x' });
  assert.equal(completion.status, 400);
  assert.match(completion.json.error.message, /takes chat messages/);
  const malformed = await post(server.base, '/v1/chat/completions', '{"model":"agent:sql","messages":[');
  assert.equal(malformed.status, 400);
  const models = await get(server.base, '/v1/models');
  const ids = models.json.data.map((m) => m.id);
  for (const id of ['agent:sql', 'agent:writer', 'orchestrator']) assert.ok(ids.includes(id), id);
});

test('"agents" sends a request to the specialist of its intent, or to the default model', { skip: !fs.existsSync(path.join(shared, 'clinc150_train_val.json')) && 'no CLINC150 file' }, async () => {
  const inScope = await post(server.base, '/v1/chat/completions', ask('agents', 'what is my checking account balance'));
  assert.equal(inScope.status, 200, inScope.body);
  assert.equal(inScope.headers.get('x-tiergate-intent'), 'balance');
  assert.equal(inScope.headers.get('x-tiergate-agent'), 'sql');
  const travel = await post(server.base, '/v1/chat/completions', ask('agents', 'book me a flight to paris tomorrow'));
  assert.equal(travel.status, 200, travel.body);
  assert.equal(travel.headers.get('x-tiergate-agent'), 'writer');
  // an intent no specialist serves goes to the default model, as an ordinary request
  const explain = await post(server.base, '/v1/route', ask('agents', 'what is the weather like in boston today'));
  assert.equal(explain.status, 200, explain.body);
  assert.equal(typeof explain.json.intent.confidence, 'number');
  if (!explain.json.agent) assert.ok(explain.json.route, 'out of scope: the router decides');
  const r = await post(server.base, '/v1/chat/completions', ask('agents', 'what is the weather like in boston today'));
  assert.equal(r.status, 200, r.body);
  assert.equal(r.headers.get('x-tiergate-agent'), explain.json.agent ? explain.json.agent.name : null);
});

test('metrics and the report show each specialist', async () => {
  const m = await get(server.base, '/metrics');
  assert.match(m.body, /tiergate_agent_runs_total\{agent="sql",outcome="ok"\} \d+/);
  assert.match(m.body, /tiergate_agent_steps_total\{agent="sql",kind="sql_query"\} \d+/);
  assert.match(m.body, /tiergate_agent_step_failures_total\{agent="flaky",kind="model"\} \d+/);
  await new Promise((r) => setTimeout(r, 200));
  const rep = spawnSync(binary, ['report', '--db', ledger, '--since', '1h', '--json'], { encoding: 'utf8' });
  assert.equal(rep.status, 0, rep.stderr);
  const report = JSON.parse(rep.stdout);
  const sql = report.agents.find((a) => a.agent === 'sql');
  assert.ok(sql.runs >= 10 && sql.steps >= 2 * 10, JSON.stringify(sql));
  const flaky = report.agents.find((a) => a.agent === 'flaky');
  assert.ok(flaky.failed >= 2, JSON.stringify(flaky));
});

test('a local planner is held to the plan schema by a grammar; an unusable plan falls back to the rules', async (t) => {
  const dir = tempDir('tiergate-agents-local-');
  t.after(() => dir.cleanup());
  const cfg = path.join(dir.dir, 'tiergate.yaml');
  const db = path.join(dir.dir, 'ledger.db');
  fs.writeFileSync(cfg, `
server:
  host: 127.0.0.1
model_dir: ${modelDir}
models:
  - { name: ${STORIES}, provider: local, tier: slm, path: ${STORIES}.gguf, parallel: 2, ctx: 2048 }
  - { name: mid, provider: openai_compatible, endpoint: '${brain.endpoint}', tier: mid, price: { input_per_mtok: 1, output_per_mtok: 2 } }
router:
  default_model: mid
ledger:
  store: sqlite:${db}
  group_commit_ms: 20
agents:
  specialists:
    - { name: sql, model: mid }
    - { name: writer, model: mid }
  orchestrator:
    planner: ${STORIES}
    composer: mid
    max_subtasks: 3
    rules:
      - steps: [{ id: only, specialist: writer, instruction: answer it }]
`);
  const local = await startServer({ extraArgs: ['--config', cfg] });
  t.after(() => local.stop());
  // the schema the planner is given, asked of the local model directly: JSON that holds to it
  const schema = {
    type: 'object', additionalProperties: false, required: ['subtasks'],
    properties: { subtasks: { type: 'array', minItems: 1, maxItems: 3, items: {
      type: 'object', additionalProperties: false, required: ['id', 'specialist', 'instruction', 'after'],
      properties: { id: { type: 'string' }, specialist: { type: 'string', enum: ['sql', 'writer'] },
        instruction: { type: 'string' }, after: { type: 'array', items: { type: 'string' } } } } } },
  };
  let whole = 0;
  for (let seed = 1; seed <= 4; seed++) {
    const r = await post(local.base, '/v1/chat/completions', {
      model: STORIES, max_tokens: 400, seed, messages: [{ role: 'user', content: 'plan it' }],
      response_format: { type: 'json_schema', json_schema: { name: 'plan', strict: true, schema } },
    });
    assert.equal(r.status, 200, r.body);
    const choice = r.json.choices[0];
    if (choice.finish_reason !== 'stop') continue;  // cut at max_tokens: a prefix of such JSON
    whole++;
    const plan = JSON.parse(choice.message.content);
    assert.ok(plan.subtasks.length >= 1 && plan.subtasks.length <= 3);
    for (const s of plan.subtasks) assert.ok(['sql', 'writer'].includes(s.specialist), s.specialist);
  }
  assert.ok(whole >= 1, 'no grammar-held plan finished within max_tokens');
  // through the orchestrator: the planner's plan, or (unusable after one retry) the rule's
  const r = await post(local.base, '/v1/chat/completions', ask('orchestrator', 'help me'));
  assert.equal(r.status, 200, r.body);
  const rows = await (async () => {
    for (let i = 0; i < 100; i++) {
      const got = sqliteRows(db, `SELECT model, agent FROM requests WHERE trace_id = '${r.headers.get('x-tiergate-trace')}'`);
      if (got.some((x) => x.agent !== '' || x.model === 'mid')) return got;
      await new Promise((res) => setTimeout(res, 50));
    }
    return [];
  })();
  assert.ok(rows.some((x) => x.model === STORIES && x.agent === ''), 'the planner step is in the ledger');
  assert.ok(rows.some((x) => x.agent === 'writer' || x.agent === 'sql'), 'a specialist ran');
  t.diagnostic(`${whole} of 4 grammar-held plans finished within max_tokens`);
});

test('concurrent plans under one dollar budget: refusals, never an overspend, every step accounted', async (t) => {
  const dir = tempDir('tiergate-agents-budget-');
  t.after(() => dir.cleanup());
  const cfg = path.join(dir.dir, 'tiergate.yaml');
  const db = path.join(dir.dir, 'ledger.db');
  const limit = 0.002;
  fs.writeFileSync(cfg, `
server:
  host: 127.0.0.1
models:
  - { name: mid, provider: openai_compatible, endpoint: '${brain.endpoint}', tier: mid, price: { input_per_mtok: 1, output_per_mtok: 2 } }
router:
  default_model: mid
ledger:
  store: sqlite:${db}
  group_commit_ms: 20
budgets:
  keys: { keyless: { usd_per_day: ${limit} } }
agents:
  specialists:
    - { name: sql, model: mid, tools: [sql_query], database: warehouse }
    - { name: writer, model: mid }
  databases:
    warehouse: { url: ${warehouse} }
  orchestrator: { planner: mid, max_subtasks: 4 }
`);
  const gate = await startServer({ extraArgs: ['--config', cfg] });
  t.after(() => gate.stop());
  const before = brain.requests;
  const results = await pool(Array.from({ length: 8 }, (_, i) => i), 8, (i) =>
    post(gate.base, '/v1/chat/completions', ask('orchestrator', `PARALLEL ${i}`)));
  for (const r of results) {
    assert.ok([200, 429, 502].includes(r.status), r.body);
    if (r.status !== 200) assert.ok(r.json?.error?.message, r.body);
  }
  const made = brain.requests - before;
  let rows = [];
  for (let i = 0; i < 100; i++) {
    rows = sqliteRows(db, 'SELECT http_status, cost_usd, route FROM requests');
    if (rows.filter((x) => x.http_status === 200).length >= made) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const served = rows.filter((x) => x.http_status === 200);
  assert.equal(served.length, made, 'every call that reached the upstream is a ledger row');
  const spent = served.reduce((a, x) => a + x.cost_usd, 0);
  assert.ok(spent <= limit + 1e-12, `spent ${spent} over the limit ${limit}`);
  assert.ok(rows.some((x) => x.route === 'budget' && x.http_status === 429), 'some steps were refused by the budget');
});
