/**
 * In-process batch benchmarks, per engine: household search on 20,000 generated households, and the
 * opening day of a holiday period (thousands of families booking the same days at once, many
 * concurrent requests through the booking service with its transactions and atomic places).
 * Called by bench/run.ts; prints nothing on stdout itself.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Insertable } from 'kysely';
import type { Engine } from '../src/platform/db/database.ts';
import type { ChildrenTable, HouseholdMembersTable, HouseholdsTable, PersonsTable } from '../src/platform/db/schema.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/platform/bootstrap.ts';
import { FixedClock } from '../src/platform/clock/clock.ts';
import type { Auth } from '../src/platform/http/auth-types.ts';
import { newId } from '../src/platform/ids.ts';
import { householdName, householdSearchText } from '../src/modules/households/households.domain.ts';
import { householdsAgentService } from '../src/modules/households/households.agent-service.ts';
import { bookingsService } from '../src/modules/bookings/bookings.service.ts';
import * as cat from '../src/modules/catalogue/catalogue.repository.ts';
import { benchDatabase } from './lib/database.ts';
import { info } from './lib/log.ts';

const LAST = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Müller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Nguyen', 'Diallo', 'Benali', 'Haddad', 'Traoré', 'Da Silva', 'Œuvray', 'Écuyer'];
const FIRST = ['Léa', 'Emma', 'Chloé', 'Inès', 'Zoé', 'Maëlys', 'Éloïse', 'Hugo', 'Léo', 'Gabriel', 'Raphaël', 'Noé', 'Jules', 'Éthan', 'Amina', 'Karim', 'Sébastien', 'Hélène', 'François', 'Anaïs'];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const r2 = (n: number) => Math.round(n * 100) / 100;

async function open(engine: Engine, now: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
  const handle = await benchDatabase(engine, path.join(dir, 'portail.sqlite'));
  const clock = new FixedClock(new Date(now));
  const { ctx } = await createContext(loadConfig({ NODE_ENV: 'test', DEMO: '0', DATA_DIR: dir }), { clock, handle });
  return { ctx, close: async () => { await handle.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

const agent = (id: string): Auth => ({ sessionId: 'bench', actingHouseholdId: null, actingLabel: null, user: { id, email: null, firstName: 'Bench', lastName: 'Agent', kind: 'agent', status: 'active', roles: ['enfance'] } });

/** Households with one guardian and one or two children, inserted in batches, with the search text the app computes. */
async function generateHouseholds(ctx: Awaited<ReturnType<typeof open>>['ctx'], count: number) {
  const now = new Date().toISOString();
  const made: { householdId: string; childId: string }[] = [];
  for (let start = 0; start < count; start += 500) {
    const households: Insertable<HouseholdsTable>[] = [];
    const persons: Insertable<PersonsTable>[] = [];
    const members: Insertable<HouseholdMembersTable>[] = [];
    const children: Insertable<ChildrenTable>[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const last = LAST[i % LAST.length];
      const first = FIRST[(i * 7) % FIRST.length];
      const child = FIRST[(i * 3 + 1) % FIRST.length];
      const id = newId();
      const g = { id: newId(), kind: 'adult' as const, first_name: first, last_name: last, email: `${first}.${last}.${i}@exemple.fr`.normalize('NFD').replace(/[^\x20-\x7e]/g, '').toLowerCase().replace(/ /g, ''), phone: `06${String(10_000_000 + i * 37).slice(-8)}`, birth_date: null, sex: null };
      const c = { id: newId(), kind: 'child' as const, first_name: child, last_name: last, email: null, phone: null, birth_date: '2018-05-04', sex: 'F' as const };
      const h = { reference: `F-${String(i + 1).padStart(6, '0')}`, address_line1: `${(i % 120) + 1} rue Victor-Hugo`, postcode: '62160', city: 'Beauval' };
      households.push({ id, ...h, external_ref: null, name: householdName([last], last), address_line2: null, payer_person_id: g.id, search: householdSearchText({ ...h, members: [g, c] }), archived_at: null, anonymised_at: null, merged_into_id: null, created_at: now, updated_at: now });
      for (const p of [g, c]) persons.push({ ...p, user_id: null, search: '', created_at: now, updated_at: now });
      members.push({ household_id: id, person_id: g.id, role: 'guardian' as const, relationship: null, created_at: now }, { household_id: id, person_id: c.id, role: 'child' as const, relationship: null, created_at: now });
      children.push({ person_id: c.id, school: null, class_level: null, diet: 'standard', photo_allowed: 0, may_leave_alone: 0, transport_allowed: 0 });
      made.push({ householdId: id, childId: c.id });
    }
    await ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('households').values(households).execute();
      await tx.insertInto('persons').values(persons).execute();
      await tx.insertInto('household_members').values(members).execute();
      await tx.insertInto('children').values(children).execute();
    });
  }
  return made;
}

export async function searchBench(engine: Engine) {
  const { ctx, close } = await open(engine, new Date().toISOString());
  try {
    const t0 = performance.now();
    await generateHouseholds(ctx, 20_000);
    const generationMs = Math.round(performance.now() - t0);
    info(`${engine} / recherche : 20 000 foyers générés en ${generationMs} ms`);
    const service = householdsAgentService(ctx);
    const auth = agent(newId());
    const queries = ['durand', 'ÉLOÏSE', 'eloise moreau', 'lefevre', 'Œuvray', 'ecuyer', 'nguyen 62160', 'hugo.martin', '06 10 00 03 70', 'victor hugo 17', 'F-012345', 'da silva', 'maelys', 'zzz-introuvable'];
    for (const q of queries) await service.search(auth, q); // warm-up
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const rows = await service.search(auth, queries[i % queries.length]);
      times.push(performance.now() - t);
      found += rows.length;
    }
    times.sort((a, b) => a - b);
    return { households: 20_000, generationMs, queries: times.length, p50Ms: r2(pct(times, 50)), p99Ms: r2(pct(times, 99)), maxMs: r2(times[times.length - 1]), meanResults: r2(found / times.length), under50ms: pct(times, 99) < 50 };
  } finally {
    await close();
  }
}

/**
 * Opening day: N families, each with a session-less family actor, ask for the same 4 holiday days at
 * the same moment with `concurrency` requests in flight; capacity is smaller than demand.
 */
export async function openingDayBench(engine: Engine, families = 2000, capacity = 300, concurrency = 200) {
  const { ctx, close } = await open(engine, '2026-11-28T10:00:00Z');
  try {
    const now = ctx.clock.now();
    const made = await generateHouseholds(ctx, families);
    const rule = { kind: 'days_before', days: 1, working: false, time: '18:00' } as const;
    const ids = await ctx.db.transaction().execute(async (tx) => {
      const facilityId = await cat.insertFacility(tx, { name: 'Centre de loisirs', kind: 'leisure_centre' }, now);
      const groupId = await cat.insertGroup(tx, { facilityId, name: 'Tous' });
      const serviceId = await cat.insertService(tx, { facilityId, kind: 'holiday', name: 'Vacances', weekdays: [1, 2, 3, 4, 5], bookingRule: rule, cancellationRule: rule }, now);
      const unitId = await cat.insertUnit(tx, { serviceId, label: 'Journée avec repas', isMeal: true });
      await cat.setCapacity(tx, unitId, groupId, capacity);
      const yearId = await cat.insertSchoolYear(tx, { label: '2026-2027', start: '2026-09-01', end: '2027-07-03' });
      await cat.insertPeriod(tx, { schoolYearId: yearId, kind: 'holiday', label: 'Noël', start: '2026-12-21', end: '2027-01-01', bookingOpensAt: '2026-11-28T07:30:00.000Z' });
      const at = now.toISOString();
      const enrolments = made.map((m) => ({ id: newId(), request_id: newId(), child_person_id: m.childId, service_id: serviceId, school_year_id: yearId, group_id: groupId, status: 'accepted' as const, created_at: at }));
      for (let i = 0; i < enrolments.length; i += 500) {
        const slice = enrolments.slice(i, i + 500);
        await tx.insertInto('requests').values(slice.map((e, k) => ({ id: e.request_id, reference: `B-${i + k}`, type: 'enrolment', household_id: made[i + k].householdId, subject_person_id: e.child_person_id, status: 'accepted', summary: 'bench', created_at: at, updated_at: at }))).execute();
        await tx.insertInto('enrolments').values(slice).execute();
      }
      return { unitId };
    });
    const days = ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24'];
    const bookings = bookingsService(ctx);
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      for (let i = next++; i < made.length; i = next++) {
        const m = made[i];
        const start = performance.now();
        try {
          await bookings.applyFamilyChanges({ auth: { ...agent(newId()), user: { ...agent('').user, kind: 'guardian', roles: [] } }, householdId: m.householdId, personId: null }, days.map((day) => ({ childId: m.childId, unitId: ids.unitId, day, want: true })));
        } catch {
          errors++;
        }
        latencies.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    // Correctness, from the database.
    const slots = await ctx.db.selectFrom('slots').selectAll().where('unit_id', '=', ids.unitId).execute();
    const rows = await ctx.db.selectFrom('bookings').select(['slot_id', 'status', 'waiting_rank', 'child_person_id', 'day']).where('unit_id', '=', ids.unitId).execute();
    const overbooked = slots.filter((s) => s.capacity !== null && s.taken > s.capacity).length;
    const takenMismatch = slots.filter((s) => s.taken !== rows.filter((r) => r.slot_id === s.id && r.status === 'booked').length).length;
    const duplicates = rows.length - new Set(rows.map((r) => `${r.child_person_id}|${r.day}`)).size;
    const ranks = rows.filter((r) => r.status === 'waiting').map((r) => r.waiting_rank);
    const waitingRankViolations = ranks.length - new Set(ranks).size + ranks.filter((r) => r === null).length;
    return {
      households: made.length,
      concurrency,
      requests: made.length,
      daysPerRequest: days.length,
      capacityPerDay: capacity,
      seconds: r2(seconds),
      requestsPerSec: r2(made.length / seconds),
      dayBookingsPerSec: r2((made.length * days.length) / seconds),
      p50Ms: r2(pct(latencies, 50)),
      p99Ms: r2(pct(latencies, 99)),
      errors,
      placesTaken: slots.reduce((n, s) => n + s.taken, 0),
      capacity: capacity * days.length,
      overbooked,
      takenMismatch,
      duplicates,
      waitingRankViolations,
      bookedPlusWaitingEqualsRequests: rows.filter((r) => r.status === 'booked' || r.status === 'waiting').length === made.length * days.length,
    };
  } finally {
    await close();
  }
}
