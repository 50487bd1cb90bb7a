import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../src/platform/db/database.ts';
import type { Credentials, OpeningDaySetup } from './seed.ts';
import { info } from './log.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export interface BenchServer {
  engine: Engine;
  url: string;
  pid: number;
  /** Accounts created by the server, to log in with. */
  guardians: Credentials[];
  /** Where the server's data lives, to check it after a run (SQLite file or PostgreSQL schema of TEST_DATABASE_URL). */
  database: { sqliteFile?: string; pgSchema?: string };
  /** Generation times of the bulk data (ms). */
  seed: Record<string, number>;
  /** Household search measured in the server process on the generated households, before listening. */
  search?: Record<string, unknown>;
  /** An enfance agent's session. */
  agent?: { cookie: string; csrf: string };
  openingDay?: OpeningDaySetup;
  /** Stops the server, which drops its database. */
  stop(): Promise<void>;
}

/**
 * Starts the portal in its own Node process (bench/lib/server-process.ts), so the server and the
 * load generator each get a core instead of sharing one event loop. Resolves once it listens.
 */
export async function startServer(engine: Engine, options: { guardians: number; startTimeoutMs?: number }): Promise<BenchServer> {
  type Ready = Omit<BenchServer, 'engine' | 'pid' | 'stop'>;
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server, for instance.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(here, 'server-process.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', BENCH_ENGINE: engine, BENCH_GUARDIANS: String(options.guardians) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const ready = await new Promise<Ready>((resolve, reject) => {
    // Generating 20,000 households and thousands of sessions takes a while on a busy machine.
    const timer = setTimeout(() => reject(new Error(`${engine} : le serveur n'a pas démarré à temps`)), options.startTimeoutMs ?? 300_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let message: Partial<Ready> & { ready?: boolean };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        info(`${engine} (serveur) : ${line}`);
        return;
      }
      if (message.ready && message.url && message.guardians) {
        clearTimeout(timer);
        resolve({ ...message, url: message.url, guardians: message.guardians, database: message.database ?? {}, seed: message.seed ?? {} });
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${engine} : le serveur s'est arrêté au démarrage (code ${code})`));
    });
  }).catch(async (err) => {
    await stopChild(child, exited);
    throw err;
  });

  return {
    ...ready,
    engine,
    pid: child.pid!,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Closing stdin asks for a clean stop (close the app, drop the database).
  child.stdin?.end();
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    info(`serveur ${child.pid} : arrêt forcé`);
    child.kill('SIGKILL');
    await exited;
  }
}
