// Where a test's knowledge store lives: a SQLite file in its temporary
// directory, or, with TIERGATE_KNOWLEDGE_BACKEND=postgresql, a schema of its
// own in the PostgreSQL server of TIERGATE_TEST_PG_URL (scripts/services.sh),
// dropped by cleanup(). conformance/run.sh runs the knowledge tests on both.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const knowledgeBackend = process.env.TIERGATE_KNOWLEDGE_BACKEND || 'sqlite';

function psql(url, sql) {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
}

// The `store:` and `index_dir:` lines of a `retrieval:` section (indented by
// two spaces) and a cleanup for after the test.
export function knowledgeStore(dir) {
  if (knowledgeBackend !== 'postgresql') {
    return { yaml: '  store: knowledge.db', cleanup() {} };
  }
  const server = process.env.TIERGATE_TEST_PG_URL;
  assert.ok(server, 'TIERGATE_KNOWLEDGE_BACKEND=postgresql needs TIERGATE_TEST_PG_URL');
  const schema = `kb_${process.pid}_${Date.now()}`;
  psql(server, `CREATE SCHEMA ${schema}`);
  const url = `${server}${server.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
  return {
    yaml: `  store: "${url}"\n  index_dir: ${path.join(dir, 'indexes')}`,
    cleanup() { psql(server, `DROP SCHEMA IF EXISTS ${schema} CASCADE`); },
  };
}
