import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase } from '../../../test/support/database.ts';
import { testEngines } from '../../../test/support/engines.ts';
import { MAX_NAMED_STATEMENTS, PLAN_LIFETIME } from './postgres-statements.ts';

const onPostgres = testEngines().includes('postgres');

// One connection, so that what it has prepared can be read back from pg_prepared_statements.
async function oneConnection() {
  return freshDatabase('postgres', { poolSize: 1 });
}

const preparedCount = async (db: Awaited<ReturnType<typeof oneConnection>>['db']) =>
  (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like ${'pf_%'}`.execute(db)).rows[0].n;

test('PostgreSQL: a statement with parameters is prepared once per connection and reused', { skip: !onPostgres }, async () => {
  const handle = await oneConnection();
  try {
    const { db } = handle;
    await preparedCount(db); // the count query itself is prepared from now on
    const before = await preparedCount(db);
    for (let i = 0; i < 5; i++) {
      const row = await db.selectFrom('users').select('id').where('email', '=', `x${i}@exemple.fr`).executeTakeFirst();
      assert.equal(row, undefined);
    }
    // The five calls share one statement.
    assert.equal((await preparedCount(db)) - before, 1);
  } finally {
    await handle.close();
  }
});

test('PostgreSQL: a table that changed shape under a prepared statement is read again, not an error', { skip: !onPostgres }, async () => {
  const handle = await oneConnection();
  try {
    const { db } = handle;
    await sql`create table shape_probe (id integer primary key, label text)`.execute(db);
    await sql`insert into shape_probe values (1, 'un')`.execute(db);
    const read = () => sql<Record<string, unknown>>`select * from shape_probe where id = ${1}`.execute(db);
    assert.deepEqual((await read()).rows, [{ id: 1, label: 'un' }]);
    // What a migration run by another instance does: the prepared « select * » no longer matches.
    await sql`alter table shape_probe add column extra text default 'neuf'`.execute(db);
    assert.deepEqual((await read()).rows, [{ id: 1, label: 'un', extra: 'neuf' }]);
    assert.deepEqual((await read()).rows, [{ id: 1, label: 'un', extra: 'neuf' }]);
    // Inside a transaction the stale statement fails the transaction (it cannot be retried there);
    // the connection has forgotten its statements by the next one.
    await sql`alter table shape_probe add column other text default 'autre'`.execute(db);
    await assert.rejects(db.transaction().execute((tx) => sql`select * from shape_probe where id = ${1}`.execute(tx)));
    const after = await db.transaction().execute((tx) => sql<Record<string, unknown>>`select * from shape_probe where id = ${1}`.execute(tx));
    assert.deepEqual(after.rows, [{ id: 1, label: 'un', extra: 'neuf', other: 'autre' }]);
  } finally {
    await handle.close();
  }
});

test('PostgreSQL: a connection keeps a bounded number of prepared statements', { skip: !onPostgres }, async () => {
  const handle = await oneConnection();
  try {
    const { db } = handle;
    // Lists of every length are as many distinct texts.
    for (let n = 1; n <= MAX_NAMED_STATEMENTS + 50; n++) {
      const ids = Array.from({ length: n }, (_, i) => `id-${i}`);
      const rows = await db.selectFrom('users').select('id').where('id', 'in', ids).execute();
      assert.equal(rows.length, 0);
    }
    assert.ok((await preparedCount(db)) <= MAX_NAMED_STATEMENTS);
  } finally {
    await handle.close();
  }
});

test('PostgreSQL: a statement first planned on an empty table is planned again as the table grows', { skip: !onPostgres }, async () => {
  const handle = await oneConnection();
  const lifetime = PLAN_LIFETIME.ms;
  PLAN_LIFETIME.ms = 200;
  try {
    const { db } = handle;
    await sql`create table growth_probe (id integer primary key, k text not null, v text)`.execute(db);
    await sql`create index growth_probe_k on growth_probe (k)`.execute(db);
    await sql`analyze growth_probe`.execute(db);
    const read = (k: string) => sql`select * from growth_probe where k = ${k}`.execute(db);
    const planOfLatest = async () => {
      const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements where statement like ${'%from growth_probe where%'} order by name desc limit 1`.execute(db);
      const plan = await sql<{ 'QUERY PLAN': string }>`explain execute ${sql.raw(`"${rows[0].name}"`)}('k7')`.execute(db);
      return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    // The first runs, on the empty table: PostgreSQL settles on a plan that reads the table whole.
    for (let i = 0; i < 10; i++) await read(`k${i}`);
    assert.match(await planOfLatest(), /Seq Scan/);
    // A first opening day: thousands of rows, and no ANALYZE yet.
    await sql`insert into growth_probe select i, 'k' || (i % 5000), 'v' from generate_series(1, 50000) i`.execute(db);
    await new Promise((resolve) => setTimeout(resolve, PLAN_LIFETIME.ms + 50));
    for (let i = 10; i < 20; i++) await read(`k${i}`);
    assert.match(await planOfLatest(), /Index Scan|Bitmap Index Scan/);
    assert.equal((await read('k7')).rows.length, 10);
    // The old plan is dropped on the server: one statement of this text remains.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where statement like ${'%from growth_probe where%'}`.execute(db);
    assert.equal(rows[0].n, 1);
  } finally {
    PLAN_LIFETIME.ms = lifetime;
    await handle.close();
  }
});
