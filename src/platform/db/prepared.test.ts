import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import type { DatabaseHandle } from './database.ts';
import { prepared } from './prepared.ts';

const counter = prepared((db, name: string) => db.selectFrom('counters').select(['name', 'value']).where('name', '=', name));
const counters = prepared((db, names: string[], atLeast: number) => db.selectFrom('counters').select(['name', 'value']).where('name', 'in', names).where('value', '>=', atLeast).orderBy('name'));
const bump = prepared((db, names: string[]) => db.updateTable('counters').set((eb) => ({ value: eb('value', '+', 10) })).where('name', 'in', names));

for (const engine of testEngines()) {
  describe(`requêtes préparées (${engine})`, () => {
    let h: DatabaseHandle;
    before(async () => {
      h = await freshDatabase(engine);
      await h.db.insertInto('counters').values([{ name: 'a', value: 1 }, { name: 'b', value: 2 }, { name: 'c', value: 3 }]).execute();
    });
    after(() => h.close());

    test('the same query runs again with new values, and lists of other lengths get their own SQL', async () => {
      assert.deepEqual(await counter.first(h.db, 'a'), { name: 'a', value: 1 });
      assert.deepEqual(await counter.first(h.db, 'b'), { name: 'b', value: 2 });
      assert.equal(await counter.first(h.db, 'nobody'), undefined);
      assert.deepEqual((await counters.all(h.db, ['a', 'c'], 2)).map((r) => r.name), ['c']);
      assert.deepEqual((await counters.all(h.db, ['a', 'b', 'c'], 1)).map((r) => r.name), ['a', 'b', 'c']);
      assert.deepEqual((await counters.all(h.db, ['b'], 0)).map((r) => r.name), ['b']);
    });

    test('inside a transaction it sees and rolls back with the transaction; run() counts the rows changed', async () => {
      await h.db.transaction().execute(async (tx) => {
        assert.equal(await bump.run(tx, ['a', 'b']), 2);
        assert.equal((await counter.first(tx, 'a'))?.value, 11);
      });
      await assert.rejects(
        h.db.transaction().execute(async (tx) => {
          await bump.run(tx, ['c']);
          throw new Error('annulé');
        }),
        /annulé/,
      );
      assert.equal((await counter.first(h.db, 'c'))?.value, 3);
    });

    test('an argument that only decides the shape of the query is refused', async () => {
      const wrong = prepared((db, name: string) => db.selectFrom('counters').select('value').where('name', '=', name ? 'a' : 'b'));
      await assert.rejects(wrong.all(h.db, 'a'), /argument 0 is not a value/);
    });

    test('on SQLite a limit is written in the SQL text (a bound one makes SQLite plan the statement at every run); on PostgreSQL it stays a parameter', async () => {
      const query = h.db.selectFrom('counters').select('name').where('value', '>=', 1).orderBy('name').limit(2);
      const compiled = query.compile();
      if (engine === 'sqlite') {
        assert.match(compiled.sql, /limit 2$/);
        assert.deepEqual(compiled.parameters, [1]);
      } else {
        assert.match(compiled.sql, /limit \$2$/);
      }
      assert.deepEqual((await query.execute()).map((r) => r.name), ['a', 'b']);
      const firstTwo = prepared((db, atLeast: number) => db.selectFrom('counters').select('name').where('value', '>=', atLeast).orderBy('name').limit(2));
      // (a and b were raised to 11 and 12 above; c is 3.)
      assert.deepEqual((await firstTwo.all(h.db, 3)).map((r) => r.name), ['a', 'b']);
      assert.deepEqual((await firstTwo.all(h.db, 12)).map((r) => r.name), ['b']);
    });
  });
}
