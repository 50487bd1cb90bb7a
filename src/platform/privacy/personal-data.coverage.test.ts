import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../../../test/support/engines.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { personalDataDeclarations } from '../../personal-data.ts';

/**
 * A column that ties a row to a household, a person or a login, or that holds contact details or
 * names: its table must be declared by a module (src/personal-data.ts), so the export and the
 * anonymisation cover it. A future module (documents, invoices, messages) fails here until it
 * declares its tables.
 */
const PERSONAL_COLUMN = /^(household_id|.+_household_id|person_id|.+_person_id|child_id|.+_child_id|user_id|.+_user_id|guardian.*|author_id|actor_id|payer.*|email|.+_email|phone|.+_phone|first_name|last_name|birth_date|to_address|address_line\d|iban|.+_iban)$/;

/** Tables of the schema with a personal column and no declaration, with those columns. */
function undeclared(schema: Map<string, Set<string>>): string[] {
  const declared = new Set(personalDataDeclarations.flatMap((d) => d.tables.map((t) => t.name)));
  return [...schema]
    .filter(([name, columns]) => !declared.has(name) && [...columns].some((c) => PERSONAL_COLUMN.test(c)))
    .map(([name, columns]) => `${name} (${[...columns].filter((c) => PERSONAL_COLUMN.test(c)).join(', ')})`);
}

async function readSchema(handle: DatabaseHandle, engine: string) {
  const tables = await handle.db.introspection.getTables();
  let only: string | undefined;
  if (engine === 'postgres') only = (await sql<{ s: string }>`select current_schema() as s`.execute(handle.db)).rows[0].s;
  return new Map(tables.filter((t) => !t.isView && (!only || t.schema === only) && !/^kysely_/.test(t.name)).map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
}

for (const engine of testEngines()) {
  describe(`registre des données personnelles : chaque table personnelle est déclarée (${engine})`, () => {
    let handle: DatabaseHandle;
    let schema: Map<string, Set<string>>;

    before(async () => {
      handle = await freshDatabase(engine);
      schema = await readSchema(handle, engine);
    });
    after(() => handle.close());

    test('the real schema was read', () => {
      for (const t of ['households', 'persons', 'requests', 'bookings', 'audit_log']) assert.ok(schema.has(t), `${t} manque au schéma lu`);
    });

    test('every table with a household, person, login or contact column has a declaration', () => {
      assert.deepEqual(undeclared(schema), [], 'Tables sans déclaration de données personnelles : ajoutez-les au fichier <module>.personal-data.ts du module et à src/personal-data.ts');
    });

    test('a future module\'s table (messages of a household) is caught until it is declared', async () => {
      await handle.db.schema.createTable('inbox_messages').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('household_id', 'text').addColumn('body', 'text').execute();
      await handle.db.schema.createTable('future_lines').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('child_person_id', 'text').execute();
      assert.deepEqual(undeclared(await readSchema(handle, engine)), ['future_lines (child_person_id)', 'inbox_messages (household_id)']);
    });

    test('every declared table and column exists (a declaration cannot drift from the schema)', () => {
      const wrong: string[] = [];
      for (const d of personalDataDeclarations) {
        for (const t of d.tables) {
          const columns = schema.get(t.name);
          if (!columns) wrong.push(`${d.module}: table ${t.name}`);
          else for (const c of [...t.keys, ...t.personal]) if (!columns.has(c)) wrong.push(`${d.module}: ${t.name}.${c}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('a table is declared by one module only, and section keys are unique', () => {
      const tables = personalDataDeclarations.flatMap((d) => d.tables.map((t) => t.name));
      assert.deepEqual(tables.filter((t, i) => tables.indexOf(t) !== i), []);
      const keys = personalDataDeclarations.flatMap((d) => d.sections.map((s) => s.key));
      assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
    });

    test('the audit log is anonymised last, so it also redacts what the other modules wrote', () => {
      assert.equal(personalDataDeclarations.at(-1)?.module, 'audit');
    });
  });
}
