/**
 * npm run bench: starts the portal on SQLite (and on PostgreSQL when TEST_DATABASE_URL is set),
 * runs every scenario against it with autocannon, and prints ONE JSON object on stdout.
 * Progress goes to stderr. See docs/benchmarks.md.
 *
 *   BENCH_DURATION=10   measured seconds per scenario
 *   BENCH_WARMUP=2      warm-up seconds per scenario (not measured)
 *   BENCH_CONNECTIONS=50
 *   BENCH_GUARDIANS=20  guardian accounts logged in and rotated over the connections
 *   BENCH_ENGINES=sqlite,postgres  (default: sqlite, plus postgres when TEST_DATABASE_URL is set)
 *   BENCH_SCENARIOS=healthz,familyHome,householdSearch,familyCalendar,familyHomeUncompressed  (default: all but familyHomeUncompressed)
 *   BENCH_SEARCH_HOUSEHOLDS=20000   generated households (search); 0 skips search and opening day
 *   BENCH_OPENING_HOUSEHOLDS=3000   households booking on the opening day (0: no opening day)
 *   BENCH_OPENING_CAPACITY=300      places per day
 *   BENCH_OPENING_CONNECTIONS=300   connections opened beforehand for the opening day (the rush: closed loop)
 *   BENCH_OPENING_RATE=…            households a second in the arrivals phase (default: 3/4 of the rush's throughput)
 *   BENCH_MESSAGING_HOUSEHOLDS=20000   households of the messaging scenario (0 skips it)
 *   BENCH_INVOICING_CHILDREN=20000     children of the invoicing scenario (0 skips it)
 *   BENCH_MESSAGING_SMTP=2000          e-mails handed to the in-process SMTP server to measure its rate (all: every one)
 *   BENCH_SERVER_TIMING=1 / BENCH_COUNT_QUERIES=1   server-side timings per route / SQL statements counted (stderr)
 */
import os from 'node:os';
import type { Engine } from '../src/platform/db/database.ts';
import { loadSettings } from './lib/options.ts';
import { startServer, type BenchServer } from './lib/server.ts';
import { logInAll } from './lib/session.ts';
import { runLoad, round, type LoadResult } from './lib/load.ts';
import { info } from './lib/log.ts';
import { ratios, selectScenarios, type Scenario } from './scenarios.ts';
import { cpuMeter } from './lib/cpu.ts';
import { openingDayRun } from './opening-day.ts';
import { messagingRun } from './messaging.ts';
import { invoicingRun } from './invoicing.ts';

function enginesToRun(): { run: Engine[]; skipped: Record<string, string> } {
  const hasPg = !!process.env.TEST_DATABASE_URL;
  const wanted = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((e) => e.trim()).filter(Boolean);
  const run: Engine[] = [];
  const skipped: Record<string, string> = {};
  for (const engine of wanted) {
    if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`BENCH_ENGINES : moteur inconnu « ${engine} »`);
    if (engine === 'postgres' && !hasPg) skipped.postgres = 'TEST_DATABASE_URL absent';
    else run.push(engine);
  }
  return { run, skipped };
}

let current: BenchServer | undefined;

/**
 * A fresh PostgreSQL schema sometimes fails to migrate while other processes create schemas in the
 * same database (Kysely's migrator looks for its tables in every schema): start again, up to 3 times.
 */
async function startWithRetry(engine: Engine, guardians: number): Promise<BenchServer> {
  for (let attempt = 1; ; attempt++) {
    info(`${engine} : démarrage du serveur…`);
    try {
      return await startServer(engine, { guardians });
    } catch (err) {
      if (attempt >= 3) throw err;
      info(`${engine} : échec du démarrage (${(err as Error).message}), nouvel essai`);
    }
  }
}

async function benchEngine(engine: Engine, settings: ReturnType<typeof loadSettings>, scenarios: Scenario[]) {
  const server = (current = await startWithRetry(engine, settings.guardians));
  try {
    info(`${engine} : serveur ${server.url} (pid ${server.pid}), connexion de ${server.guardians.length} parents…`);
    const guardianSessions = await logInAll(server.url, server.guardians);
    const results: Record<string, unknown> = { seed: server.seed };
    // Measured in the server process on the generated households, before it listened.
    if (server.search) results.householdSearchInProcess = server.search;
    for (const scenario of scenarios) {
      const spec = await scenario.prepare({ server, guardianSessions, settings });
      info(`${engine} / ${scenario.name} : ${settings.warmup} s de chauffe, ${settings.duration} s mesurées, ${settings.connections} connexions`);
      results[scenario.name] = await runLoad(spec, () => cpuMeter(server));
    }
    for (const ratio of ratios) {
      const num = results[ratio.numerator] as LoadResult | undefined;
      const den = results[ratio.denominator] as LoadResult | undefined;
      if (num && den && den.requestsPerSec > 0) results[ratio.name] = round(num.requestsPerSec / den.requestsPerSec, 3);
    }
    if (server.openingDay) {
      const openingDay = await openingDayRun(server, settings.openingConnections, settings.openingRate, () => cpuMeter(server));
      const healthz = results.healthz as LoadResult | undefined;
      // Forms (one household, 4 days each) and day bookings (child × unit × day) against /healthz of the same server.
      results.openingDay = {
        ...openingDay,
        throughputVsHealthz: healthz ? round(openingDay.bookingsPerSec / healthz.requestsPerSec, 3) : null,
        dayBookingsVsHealthz: healthz ? round(openingDay.dayBookingsPerSec / healthz.requestsPerSec, 3) : null,
      };
    }
    const messagingHouseholds = Number(process.env.BENCH_MESSAGING_HOUSEHOLDS ?? 20_000);
    // In this process, on a database of its own, after the server's scenarios (they do not overlap).
    if (messagingHouseholds > 0) results.messaging = await messagingRun(engine, messagingHouseholds);
    // Likewise: a month of invoicing drafted and issued (bench/invoicing.ts; its own script measures several sizes).
    const invoicingChildren = Number(process.env.BENCH_INVOICING_CHILDREN ?? 20_000);
    if (invoicingChildren > 0) results.invoicing = await invoicingRun(engine, invoicingChildren);
    return results;
  } finally {
    await server.stop();
    current = undefined;
  }
}

async function main() {
  const settings = loadSettings();
  const scenarios = selectScenarios();
  const { run, skipped } = enginesToRun();
  for (const [engine, why] of Object.entries(skipped)) info(`${engine} ignoré : ${why}`);
  const cpus = os.cpus();
  const loadAtStart = round(os.loadavg()[0], 2);
  const output = {
    date: new Date().toISOString(),
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'inconnu', memoryGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: { atStart: loadAtStart, atEnd: 0 } },
    settings: { ...settings, scenarios: scenarios.map((s) => s.name), server: 'child process (one Node process for the server, autocannon in the parent)', pgPoolSize: 10 },
    engines: {} as Record<string, Record<string, unknown>>,
    ...(Object.keys(skipped).length ? { skipped } : {}),
  };
  for (const engine of run) {
    output.engines[engine] = await benchEngine(engine, settings, scenarios);
  }
  // Other work on the machine skews the figures: the load average says how busy it was.
  output.machine.loadAverage = { atStart: loadAtStart, atEnd: round(os.loadavg()[0], 2) };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
}

const interrupt = () => {
  info('interrompu : arrêt du serveur…');
  void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

main().catch(async (err) => {
  console.error(err);
  await current?.stop().catch(() => {});
  process.exit(1);
});
