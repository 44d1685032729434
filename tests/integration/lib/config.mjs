// Configs and keys for tests of the real binary: a small YAML writer and
// `tiergate keys create` run into a directory's key store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { binary } from './server.mjs';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const scalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

// Mappings and lists of mappings in block style, scalars in JSON syntax
// (which YAML reads the same); undefined values are left out.
export function toYaml(v, indent = '') {
  if (Array.isArray(v)) {
    if (v.length === 0) return ' []';
    if (!v.some(isObject)) return ' [' + v.map(scalar).join(', ') + ']';
    return v.map((item) => `\n${indent}- ` + toYaml(item, indent + '  ').replace(/^\n\s*/, '')).join('');
  }
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length === 0) return ' {}';
    return keys
      .map((k) => `\n${indent}${k}:` + (isObject(v[k]) || Array.isArray(v[k]) ? toYaml(v[k], indent + '  ') : ' ' + scalar(v[k])))
      .join('');
  }
  return ' ' + scalar(v);
}

// Runs the binary; throws on a non-zero exit unless allowFail.
export function runTiergate(args, { allowFail = false } = {}) {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 60_000 });
  if (!allowFail && r.status !== 0) {
    throw new Error(`tiergate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r;
}

// Writes `cfg` as dir/<name>.yaml, checks it with `tiergate config check`, returns its path.
export function writeConfigFile(dir, cfg, name = 'tiergate') {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, toYaml(cfg).slice(1) + '\n');
  const check = runTiergate(['config', 'check', file], { allowFail: true });
  assert.equal(check.status, 0, `config check: ${check.stderr}\n${fs.readFileSync(file, 'utf8')}`);
  return file;
}

// Issues a virtual key into dir/keys.db; returns { id, key }.
export function createKey(dir, team, { role } = {}) {
  const args = ['keys', 'create', '--store', path.join(dir, 'keys.db'), '--team', team];
  if (role) args.push('--role', role);
  const r = runTiergate(args);
  const m = r.stderr.match(/Created (key_\S+) for team/);
  assert.ok(m, `no key id in: ${r.stderr}`);
  return { id: m[1], key: r.stdout.trim() };
}

// A remote model behind an OpenAI-compatible upstream (lib/fake_upstream.mjs)
// with generous timeouts and no retries, so every call is one attempt.
export function remoteModel(name, tier, price, upstream) {
  return {
    name,
    provider: 'openai_compatible',
    endpoint: upstream.endpoint,
    tier,
    price,
    timeouts: { connect_ms: 5000, first_byte_ms: 20000, idle_ms: 20000, total_ms: 60000 },
    retries: { max_attempts: 1, base_backoff_ms: 10 },
  };
}
