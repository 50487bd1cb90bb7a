/**
 * Opening day over HTTP: every household with a session posts the booking form of the same
 * holiday days (POST /reservations, as the month form does, JSON answer), on keep-alive
 * connections opened beforehand (bench/lib/http-load.ts). Two phases, each on its own days:
 *
 * 1. the rush: all households at once on `connections` connections, each sending its next form
 *    as soon as the previous one is answered (closed loop): the most the server can do;
 * 2. the arrivals: the same households book the second week, arriving at a steady rate (open
 *    loop; by default three quarters of the rush's throughput): the latency a family sees while
 *    the server is busy but not overrun.
 *
 * Every answer is read, then the correctness counters are read back from the server's database.
 */
import { openDatabase } from '../src/platform/db/database.ts';
import type { BenchServer } from './lib/server.ts';
import { closedLoop, openConnections, openLoop, percentiles, type Answer, type Job } from './lib/http-load.ts';
import { round } from './lib/load.ts';
import type { CpuUse } from './lib/cpu.ts';
import { info } from './lib/log.ts';

interface DayResult {
  childId: string;
  day: string;
  ok: boolean;
  /** A code of src/modules/bookings/bookings.outcomes.ts. */
  code: string;
  position?: number | null;
}

export async function openingDayRun(server: BenchServer, connections: number, rate?: number, meter?: () => Promise<{ stop(forms: number): Promise<CpuUse> }>) {
  const setup = server.openingDay;
  if (!setup) throw new Error('jour d\'ouverture : le serveur n\'a rien préparé');
  const { families, unitId, month } = setup;
  const jobsFor = (days: string[]): Job[] =>
    families.map((f) => ({
      method: 'POST',
      path: '/reservations',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie, 'x-csrf-token': f.csrf, 'user-agent': 'portail-famille-bench' },
      body: [`mois=${month}`, ...days.flatMap((day) => [`affiche=${encodeURIComponent(`${f.childId}|${unitId}|${day}|none`)}`, `reserve=${encodeURIComponent(`${f.childId}|${unitId}|${day}`)}`])].join('&'),
    }));

  const driver = await openConnections(server.url, connections);
  try {
    info(`${server.engine} / openingDay : ${families.length} foyers, ${setup.days.length} jours chacun, ${connections} connexions ouvertes à l'avance`);
    const measuring = await meter?.();
    const rush = await closedLoop(driver, jobsFor(setup.days), connections);
    const cpu = await measuring?.stop(rush.answers.length);
    const rushResult = { ...(await summarise(server, setup.days, rush, setup.capacity)), ...(cpu ? { cpu } : {}) };
    const cpuText = cpu ? `, CPU ${cpu.serverMsPerRequest} ms serveur + ${cpu.databaseMsPerRequest} ms base par formulaire` : '';
    info(`  ruée : ${rushResult.bookingsPerSec} formulaires/s (${rushResult.dayBookingsPerSec} jours/s), p50 ${rushResult.p50} ms, p99 ${rushResult.p99} ms, ${rushResult.errors} erreurs ; ${rushResult.placesTaken}/${rushResult.capacity} places, ${rushResult.overbooked} surréservations, ${rushResult.positionMismatches} rangs annoncés faux${cpuText}`);

    const arrivalRate = rate ?? Math.max(1, Math.round(rushResult.bookingsPerSec * 0.75));
    info(`${server.engine} / openingDay : arrivées régulières, ${arrivalRate} foyers/s`);
    // The same households again, a week later: the form's code is warm (compiled during the rush).
    const measuringArrivals = await meter?.();
    const arrivals = await openLoop(driver, jobsFor(setup.secondWeek), arrivalRate);
    const arrivalsCpu = await measuringArrivals?.stop(arrivals.answers.length);
    const arrivalsResult = { ...(await summarise(server, setup.secondWeek, arrivals, setup.capacity)), ...(arrivalsCpu ? { cpu: arrivalsCpu } : {}) };
    const arrivalsCpuText = arrivalsCpu ? `, CPU ${arrivalsCpu.serverMsPerRequest} ms serveur + ${arrivalsCpu.databaseMsPerRequest} ms base par formulaire` : '';
    info(`  arrivées : ${arrivalsResult.bookingsPerSec} formulaires/s, p50 ${arrivalsResult.p50} ms, p99 ${arrivalsResult.p99} ms, ${arrivalsResult.errors} erreurs${arrivalsCpuText}`);
    return { connections, households: families.length, daysPerHousehold: setup.days.length, ...rushResult, arrivals: { ratePerSec: arrivalRate, ...arrivalsResult } };
  } finally {
    driver.close();
  }
}

async function summarise(server: BenchServer, days: string[], run: { answers: Answer[]; seconds: number }, capacityPerDay: number) {
  const { answers, seconds } = run;
  const statusCodes: Record<string, number> = {};
  const told: DayResult[] = [];
  let badBodies = 0;
  for (const a of answers) {
    const key = a.error ? 'erreur' : String(a.status);
    statusCodes[key] = (statusCodes[key] ?? 0) + 1;
    if (a.status !== 200) continue;
    try {
      told.push(...(JSON.parse(a.body) as { results: DayResult[] }).results);
    } catch {
      badBodies++;
    }
  }
  const ok = statusCodes['200'] ?? 0;
  const refused = told.filter((r) => !r.ok);
  const refusedMessages: Record<string, number> = {};
  for (const r of refused) refusedMessages[r.code] = (refusedMessages[r.code] ?? 0) + 1;
  const latency = percentiles(answers);
  return {
    requests: answers.length,
    seconds: round(seconds, 2),
    bookingsPerSec: round(ok / seconds, 1),
    dayBookingsPerSec: round((ok * days.length) / seconds, 1),
    p50: round(latency.p50, 1),
    p90: round(latency.p90, 1),
    p99: round(latency.p99, 1),
    max: round(latency.max, 1),
    errors: statusCodes.erreur ?? 0,
    non2xx: answers.filter((a) => !a.error && (a.status < 200 || a.status > 299)).length,
    statusCodes,
    answers: {
      booked: told.filter((r) => r.code === 'booked').length,
      waiting: told.filter((r) => r.code === 'waiting').length,
      refused: refused.length,
      badBodies,
      ...(refused.length ? { refusedMessages } : {}),
    },
    ...(await checkCorrectness(server, days, capacityPerDay, answers.length, told)),
  };
}

/** Read back from the server's own database (SQLite in WAL mode can be read while the server runs). */
async function checkCorrectness(server: BenchServer, days: string[], capacityPerDay: number, households: number, told: DayResult[]) {
  const { unitId } = server.openingDay!;
  const handle = server.database.pgSchema
    ? openDatabase({ url: process.env.TEST_DATABASE_URL, pgSchema: server.database.pgSchema, poolSize: 1 })
    : openDatabase({ sqliteFile: server.database.sqliteFile });
  try {
    const slots = await handle.db.selectFrom('slots').select(['id', 'day', 'capacity', 'taken', 'waiting']).where('unit_id', '=', unitId).where('day', 'in', days).execute();
    const rows = await handle.db.selectFrom('bookings').select(['slot_id', 'status', 'waiting_rank', 'child_person_id', 'day']).where('unit_id', '=', unitId).where('day', 'in', days).execute();
    const bySlot = new Map(slots.map((s) => [s.id, { booked: 0, ranks: [] as (number | null)[] }]));
    for (const b of rows) {
      const c = bySlot.get(b.slot_id);
      if (c && b.status === 'booked') c.booked++;
      if (c && b.status === 'waiting') c.ranks.push(b.waiting_rank);
    }
    const overbooked = slots.filter((s) => s.capacity !== null && s.taken > s.capacity).length;
    const takenMismatch = slots.filter((s) => s.taken !== bySlot.get(s.id)!.booked).length;
    const waitingCountMismatch = slots.filter((s) => s.waiting !== bySlot.get(s.id)!.ranks.length).length;
    // Someone waiting on a day that still has a free place.
    const waitingWhilePlacesFree = slots.filter((s) => s.capacity !== null && bySlot.get(s.id)!.ranks.length > 0 && s.taken < s.capacity).length;
    const duplicates = rows.length - new Set(rows.map((r) => `${r.child_person_id}|${r.day}`)).size;
    // Each day's list is ranked by arrival stamps (src/modules/bookings/README.md): no rank empty or twice.
    let waitingRankViolations = 0;
    for (const { ranks } of bySlot.values()) waitingRankViolations += ranks.filter((r) => r === null).length + (ranks.length - new Set(ranks).size);
    // The place each family was told is never worse than the one it holds now: only a family that
    // came in earlier (written a few milliseconds later) may have come ahead since, nobody later.
    const positionOf = new Map<string, number>();
    for (const r of rows.filter((x) => x.status === 'waiting')) {
      const ranks = bySlot.get(r.slot_id)?.ranks ?? [];
      positionOf.set(`${r.child_person_id}|${r.day}`, ranks.filter((x) => (x ?? 0) <= (r.waiting_rank ?? 0)).length);
    }
    const positionMismatches = told.filter((r) => r.code === 'waiting' && (r.position ?? 0) > (positionOf.get(`${r.childId}|${r.day}`) ?? 0)).length;
    const booked = rows.filter((r) => r.status === 'booked').length;
    const waiting = rows.filter((r) => r.status === 'waiting').length;
    return {
      placesTaken: slots.reduce((n, s) => n + s.taken, 0),
      capacity: capacityPerDay * days.length,
      bookedRows: booked,
      waitingRows: waiting,
      overbooked,
      takenMismatch,
      waitingCountMismatch,
      waitingWhilePlacesFree,
      duplicates,
      waitingRankViolations,
      positionMismatches,
      bookedPlusWaitingEqualsRequests: booked + waiting === households * days.length && slots.length === days.length,
    };
  } finally {
    await handle.close();
  }
}
