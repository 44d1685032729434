// Virtual keys of teams and openai SDK clients that use them, for tests
// that check what each team's key may see.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import OpenAI from 'openai';

import { binary } from '../../integration/lib/server.mjs';

// A new virtual key of `team` in the key store file `store`.
export function createKey(store, team) {
  const r = spawnSync(binary, ['keys', 'create', '--store', store, '--team', team], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

export function openaiClient(base, key) {
  return new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0, timeout: 60_000 });
}

// The promise fails with an OpenAI APIError of this status (and param, when given).
export async function rejectsWith(promise, status, param) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof OpenAI.APIError, `not an APIError: ${e}`);
    assert.equal(e.status, status, e.message);
    if (param) assert.equal(e.param, param, e.message);
    return true;
  });
}
