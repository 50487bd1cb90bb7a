/**
 * Lists the SQL statements each family page runs, on the demo town (diagnostics: how many round
 * trips a page costs, and which). `TEST_DATABASE_URL=… npx tsx bench/statements.ts [postgres|sqlite] [/url …]`
 */
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { createTestApp } from '../test/support/app.ts';
import { TestClient } from '../test/support/client.ts';
import { buildApp } from '../src/app.ts';
import { seedDemo, DEMO_ACCOUNTS } from '../src/demo/seed.ts';

const engine = process.argv[2] === 'sqlite' ? 'sqlite' : 'postgres';
const urls = process.argv.slice(3).length ? process.argv.slice(3) : ['/famille', '/reservations', '/reservations/semaine'];
const t = await createTestApp(engine, { now: '2026-12-02T09:00:00Z' });
await seedDemo(t.ctx);
const seen: string[] = [];
const tableOf = (node: RootOperationNode) => JSON.stringify(node).match(/"table":\{"kind":"SchemableIdentifierNode","identifier":\{"kind":"IdentifierNode","name":"([a-z_]+)"/)?.[1] ?? '?';
const logger: KyselyPlugin = { transformQuery: (a) => (seen.push(`${a.node.kind.replace('QueryNode', '')} ${tableOf(a.node)}`), a.node), transformResult: (a) => Promise.resolve(a.result) };
const app = await buildApp({ ...t.ctx, db: t.ctx.db.withPlugin(logger) });
await app.ready();
const client = new TestClient(app);
await client.login(DEMO_ACCOUNTS.guardian.email, DEMO_ACCOUNTS.guardian.password);
// `POST`: the booking form as the opening-day bench sends it (JSON answer), four January days booked.
const month = '2027-01';
const keys = [...(await client.get(`/reservations?mois=${month}`)).body.matchAll(/name="reserve" value="([^"]+)"/g)].slice(0, 4).map((m) => m[1]);
const post = async (book: boolean) => {
  const form = new URLSearchParams([['mois', month], ['_csrf', client.lastCsrf], ...keys.map((k) => ['affiche', `${k}|${book ? 'none' : 'booked'}`]), ...(book ? keys : []).map((k) => ['reserve', k])]);
  const res = await app.inject({ method: 'POST', url: '/reservations', payload: form.toString(), headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  return { status: res.statusCode };
};
for (const url of urls) {
  const run = () => (url === 'POST' ? post(true) : client.get(url));
  if (url === 'POST') await post(true).then(() => post(false));
  else await run(); // warm
  seen.length = 0;
  const page = await run();
  console.log(`${url} → ${page.status}, ${seen.length} statements: ${seen.join(', ')}`);
}
await app.close();
await t.close();
