/**
 * Child process entry: one portal server on a fresh database, for the benchmarks.
 *
 *   BENCH_ENGINE=sqlite|postgres  (postgres needs TEST_DATABASE_URL)
 *   BENCH_GUARDIANS=20
 *
 * Prints one line of JSON on stdout once listening: {"ready":true,"url":…,"engine":…,"guardians":[{email,password}]}.
 * Everything else goes to stderr. Stops, drops its database (SQLite temp dir or PostgreSQL schema)
 * and exits when its stdin closes (the parent ended) or on SIGTERM/SIGINT.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createContext } from '../../src/platform/bootstrap.ts';
import { buildApp } from '../../src/app.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { benchDatabase } from './database.ts';
import { seedFamilies } from './seed.ts';
import { info } from './log.ts';

async function main() {
  const engine = (process.env.BENCH_ENGINE ?? 'sqlite') as Engine;
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`BENCH_ENGINE inconnu : ${engine}`);
  const guardianCount = Number(process.env.BENCH_GUARDIANS ?? 20);

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
  try {
    handle = await benchDatabase(engine, path.join(dataDir, 'portail.sqlite'));
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
    const { ctx } = await createContext(config, { handle });
    app = await buildApp(ctx);
    const started = Date.now();
    const guardians = await seedFamilies(ctx, guardianCount);
    info(`${engine} : ${guardians.length} foyers (un parent, un enfant) créés en ${Date.now() - started} ms`);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('adresse d\'écoute inattendue');
    process.stdout.write(`${JSON.stringify({ ready: true, engine, url: `http://127.0.0.1:${address.port}`, guardians })}\n`);
  } catch (err) {
    await shutdown().catch(() => {});
    throw err;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
