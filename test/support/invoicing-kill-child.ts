/**
 * Child process of invoicing.kill.test.ts: issues a run and kills itself (SIGKILL, no cleanup,
 * no rollback from our side) once the invoices are written inside the issuing transaction.
 */
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/platform/bootstrap.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { FixedClock } from '../../src/platform/clock/clock.ts';
import { invoicingService } from '../../src/modules/invoicing/invoicing.service.ts';
import type { Auth } from '../../src/platform/http/auth-types.ts';
import { testPricing } from './invoicing.ts';

const env = process.env;
const handle = env.KILL_SQLITE_FILE ? openDatabase({ sqliteFile: env.KILL_SQLITE_FILE }) : openDatabase({ url: env.TEST_DATABASE_URL, pgSchema: env.KILL_PG_SCHEMA, poolSize: 2 });
const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', PUBLIC_URL: 'http://localhost:3000', SECRET_KEY: 'cle-de-test-uniquement-pour-les-tests-0123456789' });
const { ctx } = await createContext(config, { clock: new FixedClock(new Date('2026-12-02T09:00:00Z')), handle });
const auth: Auth = { sessionId: 'kill', actingHouseholdId: null, actingLabel: null, guardianOf: null, user: { id: env.KILL_USER_ID!, email: 'regie@test.fr', firstName: 'Régie', lastName: 'Test', kind: 'agent', status: 'active', roles: ['regie'] } };
const svc = invoicingService(ctx, testPricing(), {
  afterInvoices: async (tx) => {
    // Make sure the invoices really are in the transaction before dying.
    const n = await tx.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    process.stdout.write(`invoices-in-transaction ${Number(n?.n ?? 0)}\n`);
    process.kill(process.pid, 'SIGKILL');
  },
});
await svc.issue(auth, env.KILL_RUN_ID!);
process.stdout.write('not killed\n');
