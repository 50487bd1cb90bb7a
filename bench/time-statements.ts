/** Times each SQL statement of one family page on the demo town: `npx tsx bench/time-statements.ts sqlite /famille`. */
import { CompiledQuery, type KyselyPlugin } from 'kysely';
import { createTestApp } from '../test/support/app.ts';
import { TestClient } from '../test/support/client.ts';
import { buildApp } from '../src/app.ts';
import { seedDemo, DEMO_ACCOUNTS } from '../src/demo/seed.ts';

const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const url = process.argv[3] ?? '/famille';
const t = await createTestApp(engine, { now: '2026-12-02T09:00:00Z' });
await seedDemo(t.ctx);
const seen: CompiledQuery[] = [];
const executor = t.ctx.db.getExecutor();
const grab: KyselyPlugin = {
  transformQuery: (a) => (seen.push(executor.compileQuery(a.node, a.queryId)), a.node),
  transformResult: (a) => Promise.resolve(a.result),
};
const app = await buildApp({ ...t.ctx, db: t.ctx.db.withPlugin(grab) });
await app.ready();
const client = new TestClient(app);
await client.login(DEMO_ACCOUNTS.guardian.email, DEMO_ACCOUNTS.guardian.password);
await client.get(url);
seen.length = 0;
await client.get(url);
const rows: { ms: number; rows: number; sql: string }[] = [];
for (const q of [...seen]) {
  // Writes (the session's last-seen time, an audit row) are not replayed: only reads are timed.
  if (!/^\s*(select|with)\b/i.test(q.sql)) continue;
  const raw = CompiledQuery.raw(q.sql, [...q.parameters]);
  let n = 0;
  try {
    await t.ctx.db.executeQuery(raw);
  } catch (e) {
    console.error(`not replayed (${String(e)}): ${q.sql.slice(0, 120)} ${JSON.stringify(q.parameters)}`);
    continue;
  }
  for (let i = 0; i < 20; i++) await t.ctx.db.executeQuery(raw);
  const start = performance.now();
  for (let i = 0; i < 200; i++) n = (await t.ctx.db.executeQuery(raw)).rows.length;
  rows.push({ ms: Math.round(((performance.now() - start) / 200) * 1000) / 1000, rows: n, sql: q.sql.slice(0, 160) });
}
for (const r of rows.sort((a, b) => b.ms - a.ms)) console.log(`${r.ms} ms  ${r.rows} rows  ${r.sql}`);
await app.close();
await t.close();
