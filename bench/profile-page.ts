/**
 * Profiles one family page in process on the demo town: `npx tsx bench/profile-page.ts [sqlite|postgres] /famille [count]`.
 * `POST` in place of the address profiles the booking form: four January days booked, then cancelled, in turn.
 * Prints the CPU per request and writes a .cpuprofile (Chrome DevTools) of the measured requests only.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createTestApp } from '../test/support/app.ts';
import { TestClient } from '../test/support/client.ts';
import { seedDemo, DEMO_ACCOUNTS } from '../src/demo/seed.ts';

const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const url = process.argv[3] ?? '/famille';
const count = Number(process.argv[4] ?? 1000);
const t = await createTestApp(engine, { now: '2026-12-02T09:00:00Z' });
await seedDemo(t.ctx);
const client = new TestClient(t.app);
await client.login(DEMO_ACCOUNTS.guardian.email, DEMO_ACCOUNTS.guardian.password);
// The booking form: the first four days of January the month page offers, booked then cancelled.
const month = '2027-01';
const keys = url === 'POST' ? [...(await client.get(`/reservations?mois=${month}`)).body.matchAll(/name="reserve" value="([^"]+)"/g)].slice(0, 4).map((m) => m[1]) : [];
let booked = false;
async function once() {
  if (url !== 'POST') return client.get(url);
  const params = new URLSearchParams([['mois', month], ['confirme', 'oui'], ['_csrf', client.lastCsrf], ...(keys.map((k) => `${k}|${booked ? 'booked' : 'none'}`)).map((a) => ['affiche', a]), ...(booked ? [] : keys).map((k) => ['reserve', k])]);
  // As the opening-day bench posts it: an API client that reads the results as JSON.
  const res = await t.app.inject({ method: 'POST', url: '/reservations', payload: params.toString(), headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  const page = { status: res.statusCode === 200 ? 200 : res.statusCode };
  booked = !booked;
  return page;
}
for (let i = 0; i < 200; i++) await once();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const cpu = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < count; i++) {
  const page = await once();
  if (page.status !== 200) throw new Error(`${url} → ${page.status}`);
}
const used = process.cpuUsage(cpu);
const { profile } = await session.post('Profiler.stop');
const file = `/tmp/prof/${engine}-${url.replace(/\W+/g, '_')}.cpuprofile`;
fs.writeFileSync(file, JSON.stringify(profile));
console.log(JSON.stringify({ engine, url, count, cpuMsPerRequest: Math.round(((used.user + used.system) / 1000 / count) * 1000) / 1000, wallMsPerRequest: Math.round(((performance.now() - started) / count) * 1000) / 1000, profile: file }));
if (url === 'POST') {
  const states = await t.ctx.db.selectFrom('bookings').select(['status']).where('day', '>=', `${month}-01`).execute();
  console.log(JSON.stringify({ januaryBookings: states.length, booked: states.filter((b) => b.status === 'booked').length }));
}
await t.close();
