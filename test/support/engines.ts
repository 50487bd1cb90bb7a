import type { Engine } from '../../src/platform/db/database.ts';

/**
 * Integration tests run on SQLite always, and on PostgreSQL when TEST_DATABASE_URL is set.
 * CI sets REQUIRE_POSTGRES=1 so that a missing database fails loudly instead of being skipped.
 */
export function testEngines(): Engine[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.REQUIRE_POSTGRES === '1') throw new Error('REQUIRE_POSTGRES=1 mais TEST_DATABASE_URL est vide : les tests PostgreSQL ne peuvent pas tourner.');
  return url ? ['sqlite', 'postgres'] : ['sqlite'];
}
