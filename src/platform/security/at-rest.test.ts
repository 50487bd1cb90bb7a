import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, SECRET_KEY_FILE } from '../../config.ts';
import { openDatabase } from '../db/database.ts';
import { backupSqlite } from '../db/backup.ts';
import { sql } from 'kysely';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('secrets and files at rest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-at-rest-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('outside production, a random key is made on first start and kept in DATA_DIR (0600); never the same for two installs', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: a });
    assert.ok(first.secretKey.length >= 48);
    assert.equal(mode(path.join(a, SECRET_KEY_FILE)), 0o600);
    assert.equal(loadConfig({ NODE_ENV: 'development', DATA_DIR: a }).secretKey, first.secretKey, 'kept across restarts');
    assert.notEqual(loadConfig({ NODE_ENV: 'test', DATA_DIR: b }).secretKey, first.secretKey);
    // An explicit key is used as given, and nothing is written.
    const c = path.join(dir, 'c');
    assert.equal(loadConfig({ NODE_ENV: 'development', DATA_DIR: c, SECRET_KEY: 'x'.repeat(40) }).secretKey, 'x'.repeat(40));
    assert.equal(fs.existsSync(c), false);
  });

  test('the database, its WAL and the backup are readable by their owner only from the start', async () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = path.join(dir, 'db');
      const handle = openDatabase({ dataDir });
      await sql`create table t (v text)`.execute(handle.db);
      await sql`insert into t values (${'x'.repeat(2000)})`.execute(handle.db);
      for (let i = 0; i < 9; i++) await sql`insert into t select v from t`.execute(handle.db);
      const file = path.join(dataDir, 'portail.sqlite');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(f), 0o600, f);
      const seen: number[] = [];
      const out = path.join(dir, 'sauvegardes', 'copie.sqlite');
      await backupSqlite(dataDir, out, (target) => seen.push(mode(target)));
      assert.ok(seen.length > 0);
      assert.deepEqual([...new Set(seen)], [0o600], 'never wider while the copy is written');
      assert.equal(mode(out), 0o600);
      await handle.close();
    } finally {
      process.umask(previous);
    }
  });
});
