// Reading a SQLite ledger from the tests (with Python's sqlite3 module).
import { spawnSync } from 'node:child_process';

// The rows of `sql` on the database file `db`, as plain objects.
export function sqliteRows(db, sql) {
  const script = 'import sqlite3, json, sys\n' +
    'c = sqlite3.connect(sys.argv[1]); c.row_factory = sqlite3.Row\n' +
    'print(json.dumps([dict(r) for r in c.execute(sys.argv[2])]))\n';
  const r = spawnSync('python3', ['-c', script, db, sql], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`python3 sqlite3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
