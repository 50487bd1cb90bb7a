/**
 * Child process entry: one portal server on a fresh database, for the benchmarks.
 *
 *   BENCH_ENGINE=sqlite|postgres  (postgres needs TEST_DATABASE_URL)
 *   BENCH_GUARDIANS=20            households created as the town does, guardians logging in over HTTP
 *   BENCH_SEARCH_HOUSEHOLDS=20000 generated households (0: none, no search nor opening day)
 *   BENCH_OPENING_HOUSEHOLDS=3000 of those, households with a child enrolled and a guardian session
 *   BENCH_OPENING_CAPACITY=300    places per holiday day
 *
 * Before listening, measures the household search in process on the generated households.
 * Prints one line of JSON on stdout once listening: {"ready":true,"url":…,"engine":…,"guardians":[{email,password}],
 * "database":{sqliteFile|pgSchema},"seed":{…},"search":{…},"agent":{cookie,csrf},"openingDay":{…}}.
 * Everything else goes to stderr. Stops, drops its database (SQLite temp dir or PostgreSQL schema)
 * and exits when its stdin closes (the parent ended) or on SIGTERM/SIGINT.
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/platform/bootstrap.ts';
import { buildApp } from '../../src/app.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { benchDatabase } from './database.ts';
import { agentWithSession, generateHouseholds, hashPassword, seedFamilies, seedOpeningDay, type OpeningDaySetup } from './seed.ts';
import { measureSearch } from './search.ts';
import { QueryCounter } from './query-counter.ts';
import { info } from './log.ts';

async function main() {
  const engine = (process.env.BENCH_ENGINE ?? 'sqlite') as Engine;
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`BENCH_ENGINE inconnu : ${String(engine)}`);
  const guardianCount = Number(process.env.BENCH_GUARDIANS ?? 20);
  const searchHouseholds = Number(process.env.BENCH_SEARCH_HOUSEHOLDS ?? 20_000);
  const openingHouseholds = Math.min(searchHouseholds, Number(process.env.BENCH_OPENING_HOUSEHOLDS ?? 3_000));
  const openingCapacity = Number(process.env.BENCH_OPENING_CAPACITY ?? 300);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO: '0',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    // As behind the town's reverse proxy: each guardian logs in from its own X-Forwarded-For address
    // (the login form allows 10 attempts a minute per address).
    TRUST_PROXY: '1',
    ...(engine === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
  });
  // A real file in WAL mode for SQLite (not :memory:), a fresh schema for PostgreSQL; both migrated.
  let handle: Awaited<ReturnType<typeof benchDatabase>>;
  const sqliteFile = path.join(dataDir, 'portail.sqlite');
  try {
    handle = await benchDatabase(engine, sqliteFile);
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let app: FastifyInstance | undefined;

  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= (async () => {
      try {
        await app?.close();
        await handle.close();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      info(`${engine} : serveur arrêté, base supprimée`);
    })());
  const exitAfterShutdown = () => {
    shutdown().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.stdin.on('end', exitAfterShutdown);
  process.stdin.on('close', exitAfterShutdown);
  process.stdin.resume();
  process.on('SIGTERM', exitAfterShutdown);
  process.on('SIGINT', exitAfterShutdown);

  try {
    const { ctx: created } = await createContext(config, { handle });
    // BENCH_COUNT_QUERIES=1: counts the SQL statements the app runs, by kind and table, and prints
    // them on stderr at the end (what one opening-day form costs, for instance).
    const counter = process.env.BENCH_COUNT_QUERIES === '1' ? new QueryCounter() : undefined;
    const ctx = counter ? { ...created, db: created.db.withPlugin(counter) } : created;
    if (counter) process.on('exit', () => info(`${engine} : requêtes SQL ${JSON.stringify(counter.counts())}`));
    app = await buildApp(ctx);
    // BENCH_SERVER_TIMING=1: time each request inside the server (onRequest → onResponse), by route,
    // printed on stderr at the end: tells server-side time from waiting before the server reads a request.
    if (process.env.BENCH_SERVER_TIMING === '1') {
      const timings = new Map<string, number[]>();
      app.addHook('onResponse', async (req, reply) => {
        const key = `${req.method} ${req.routeOptions.url ?? req.url}`;
        (timings.get(key) ?? timings.set(key, []).get(key)!).push(reply.elapsedTime);
      });
      process.on('exit', () => {
        for (const [key, list] of timings) {
          list.sort((a, b) => a - b);
          const at = (p: number) => Math.round(list[Math.min(list.length - 1, Math.floor(p * list.length))] * 10) / 10;
          info(`${engine} : ${key} côté serveur : ${list.length} requêtes, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
        }
      });
    }
    const started = Date.now();
    const guardians = await seedFamilies(ctx, guardianCount);
    info(`${engine} : ${guardians.length} foyers (un parent, un enfant) créés en ${Date.now() - started} ms`);

    const seed: Record<string, number> = {};
    let search: Awaited<ReturnType<typeof measureSearch>> | undefined;
    let agent: { cookie: string; csrf: string } | undefined;
    let openingDay: OpeningDaySetup | undefined;
    if (searchHouseholds > 0) {
      // One argon2 hash for every generated login (hashing thousands would take minutes).
      let t = Date.now();
      const passwordHash = await hashPassword('Banc-Portail-2026!');
      const made = await generateHouseholds(ctx, searchHouseholds, { withAccounts: openingHouseholds, passwordHash });
      seed.householdsGenerationMs = Date.now() - t;
      info(`${engine} : ${made.length} foyers générés (dont ${openingHouseholds} avec un compte parent) en ${seed.householdsGenerationMs} ms`);
      const enfance = await agentWithSession(ctx, ['enfance']);
      agent = { cookie: enfance.cookie, csrf: enfance.csrf };
      search = await measureSearch(ctx, enfance.auth, made.length);
      info(`${engine} : recherche en processus sur ${made.length} foyers : p50 ${search.p50} ms, p99 ${search.p99} ms, max ${search.max} ms`);
      if (openingHouseholds > 0) {
        t = Date.now();
        openingDay = await seedOpeningDay(ctx, made.slice(0, openingHouseholds), openingCapacity);
        seed.openingDaySetupMs = Date.now() - t;
        info(`${engine} : jour d'ouverture préparé (${openingHouseholds} inscriptions et sessions) en ${seed.openingDaySetupMs} ms`);
      }
    }
    // PostgreSQL plans from table statistics that autovacuum refreshes within a minute or so of a
    // bulk load; measured right after the seeding, stale statistics made it scan the 57,000
    // persons for each household page (17 ms instead of 0.1 ms). A town's database is analysed.
    if (engine === 'postgres') await sql`analyze`.execute(ctx.db);
    counter?.reset(); // only what the served requests cost
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('adresse d\'écoute inattendue');
    process.stdout.write(`${JSON.stringify({ ready: true, engine, url: `http://127.0.0.1:${address.port}`, guardians, database: engine === 'sqlite' ? { sqliteFile } : { pgSchema: handle.pgSchema }, seed, search, agent, openingDay })}\n`);
  } catch (err) {
    await shutdown().catch(() => {});
    throw err;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
