/**
 * Opening day over HTTP: every household with a session posts the booking form of the same holiday
 * days once (POST /reservations, as the month form does, JSON answer), hundreds of connections at a
 * time, through autocannon; then the correctness counters are read back from the server's database.
 */
import autocannon from 'autocannon';
import { openDatabase } from '../src/platform/db/database.ts';
import type { BenchServer } from './lib/server.ts';
import { round } from './lib/load.ts';
import { info } from './lib/log.ts';

interface Outcome {
  booked: number;
  waiting: number;
  unchanged: number;
  /** Day results with ok: false (a rule refused the day): none expected. */
  refused: number;
  refusedMessages: Record<string, number>;
  /** 200 answers that are not the expected JSON. */
  badBodies: number;
}

export async function openingDayRun(server: BenchServer, connections: number) {
  const setup = server.openingDay;
  if (!setup) throw new Error('jour d\'ouverture : le serveur n\'a rien préparé');
  const { families, unitId, days, month, capacity } = setup;
  const bodyOf = (childId: string) =>
    [`mois=${month}`, ...days.flatMap((day) => {
      const key = encodeURIComponent(`${childId}|${unitId}|${day}`);
      return [`affiche=${key}`, `reserve=${key}`];
    })].join('&');

  // One check outside the measurement is not possible without booking: the run itself checks every answer.
  const outcome: Outcome = { booked: 0, waiting: 0, unchanged: 0, refused: 0, refusedMessages: {}, badBodies: 0 };
  let next = 0;
  let reused = 0;
  info(`${server.engine} / openingDay : ${families.length} foyers, ${days.length} jours chacun, ${connections} connexions`);
  const r = await autocannon({
    url: `${server.url}/reservations`,
    connections,
    amount: families.length,
    timeout: 30,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          if (next >= families.length) reused++;
          const f = families[next++ % families.length];
          return {
            ...req,
            method: 'POST',
            path: '/reservations',
            headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie, 'x-csrf-token': f.csrf, 'user-agent': 'portail-famille-bench' },
            body: bodyOf(f.childId),
          };
        },
        onResponse: (status: number, body: string) => {
          if (status !== 200) return;
          try {
            const { results } = JSON.parse(body) as { results: { ok: boolean; message: string }[] };
            for (const res of results) {
              if (!res.ok) {
                outcome.refused++;
                outcome.refusedMessages[res.message] = (outcome.refusedMessages[res.message] ?? 0) + 1;
              } else if (res.message === 'Réservé') outcome.booked++;
              else if (res.message.startsWith('Complet')) outcome.waiting++;
              else outcome.unchanged++;
            }
          } catch {
            outcome.badBodies++;
          }
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number((stat as { count: number | string }).count);
  const ok = statusCodes['200'] ?? 0;
  const seconds = r.duration;
  const correctness = await checkCorrectness(server, unitId, days, capacity, families.length);
  const result = {
    households: families.length,
    daysPerHousehold: days.length,
    connections,
    requests: r.requests.total,
    seconds: round(seconds, 2),
    bookingsPerSec: round(ok / seconds, 1),
    dayBookingsPerSec: round((ok * days.length) / seconds, 1),
    p50: round(r.latency.p50, 2),
    p99: round(r.latency.p99, 2),
    max: round(r.latency.max, 2),
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    answers: { booked: outcome.booked, waiting: outcome.waiting, unchanged: outcome.unchanged, refused: outcome.refused, badBodies: outcome.badBodies, ...(outcome.refused ? { refusedMessages: outcome.refusedMessages } : {}) },
    ...(reused ? { requestsBeyondHouseholds: reused } : {}),
    ...correctness,
  };
  info(`  POST /reservations : ${result.bookingsPerSec} foyers/s (${result.dayBookingsPerSec} jours/s), p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} erreurs, ${result.non2xx} non-2xx ; ${result.placesTaken}/${result.capacity} places, ${result.overbooked} surréservations, ${result.duplicates} doublons`);
  return result;
}

/** Read back from the server's own database (SQLite in WAL mode can be read while the server runs). */
async function checkCorrectness(server: BenchServer, unitId: string, days: string[], capacityPerDay: number, households: number) {
  const handle = server.database.pgSchema
    ? openDatabase({ url: process.env.TEST_DATABASE_URL, pgSchema: server.database.pgSchema, poolSize: 1 })
    : openDatabase({ sqliteFile: server.database.sqliteFile });
  try {
    const slots = await handle.db.selectFrom('slots').select(['id', 'day', 'capacity', 'taken']).where('unit_id', '=', unitId).execute();
    const rows = await handle.db.selectFrom('bookings').select(['slot_id', 'status', 'waiting_rank', 'child_person_id', 'day', 'created_at']).where('unit_id', '=', unitId).execute();
    const bySlot = new Map(slots.map((s) => [s.id, { booked: 0, waiting: 0 }]));
    for (const b of rows) {
      const c = bySlot.get(b.slot_id);
      if (c && b.status === 'booked') c.booked++;
      if (c && b.status === 'waiting') c.waiting++;
    }
    const overbooked = slots.filter((s) => s.capacity !== null && s.taken > s.capacity).length;
    const takenMismatch = slots.filter((s) => s.taken !== bySlot.get(s.id)!.booked).length;
    // Someone waiting on a day that still has a free place.
    const waitingWhilePlacesFree = slots.filter((s) => s.capacity !== null && bySlot.get(s.id)!.waiting > 0 && s.taken < s.capacity).length;
    const duplicates = rows.length - new Set(rows.map((r) => `${r.child_person_id}|${r.day}`)).size;
    const waiting = rows.filter((r) => r.status === 'waiting');
    const ranks = waiting.map((r) => r.waiting_rank);
    const waitingRankViolations = ranks.length - new Set(ranks).size + ranks.filter((r) => r === null).length;
    const booked = rows.filter((r) => r.status === 'booked').length;
    return {
      slots: slots.length,
      placesTaken: slots.reduce((n, s) => n + s.taken, 0),
      capacity: capacityPerDay * days.length,
      bookedRows: booked,
      waitingRows: waiting.length,
      overbooked,
      takenMismatch,
      waitingWhilePlacesFree,
      duplicates,
      waitingRankViolations,
      bookedPlusWaitingEqualsRequests: booked + waiting.length === households * days.length && slots.length === days.length,
    };
  } finally {
    await handle.close();
  }
}
