import { describe, test } from 'node:test';
import crypto from 'node:crypto';
import pg from 'pg';
import { freshDatabase } from '../../../test/support/database.ts';

// Tests (and towns sharing a database) create and drop schemas side by side: migrating one schema
// must not depend on the others, even while they disappear.
const url = process.env.TEST_DATABASE_URL;
describe('migrations sur PostgreSQL, à côté de schémas supprimés', { skip: url ? false : 'TEST_DATABASE_URL absent' }, () => {
  test('a schema migrates while other schemas are being dropped', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const others = Array.from({ length: 150 }, () => `t_gone_${crypto.randomBytes(5).toString('hex')}`);
    for (const name of others) await admin.query(`create schema ${name}; create table ${name}.x (id int)`);
    let dropping = true;
    const dropper = (async () => {
      for (const name of others) {
        await admin.query(`drop schema ${name} cascade`);
        if (!dropping) break;
      }
    })();
    try {
      for (let i = 0; i < 3; i++) {
        const handle = await freshDatabase('postgres');
        await handle.close();
      }
    } finally {
      dropping = false;
      await dropper;
      for (const name of others) await admin.query(`drop schema if exists ${name} cascade`);
      await admin.end();
    }
  });
});
