/**
 * npm run bench:invoicing (tsx bench/invoicing.ts), and the `invoicing` part of `npm run bench`: an invoicing month, drafted and
 * issued through the real service, timed, with the process's peak memory sampled during each phase.
 * Prints ONE JSON object on stdout; progress on stderr.
 *
 *   BENCH_INVOICING_CHILDREN=20000   children (two per household, about 20 booked days each: 400,000 lines)
 *   BENCH_INVOICING_SIZES=5000,10000,20000   several sizes in one run (overrides the above)
 *   BENCH_ENGINES=sqlite,postgres    (postgres only when TEST_DATABASE_URL is set)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine } from '../src/platform/db/database.ts';
import type { Db } from '../src/platform/db/database.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/platform/bootstrap.ts';
import { FixedClock } from '../src/platform/clock/clock.ts';
import { keepTransport } from '../src/platform/mail/outbox.ts';
import { newId } from '../src/platform/ids.ts';
import { daysBetween, isWorkingDay, weekday } from '../src/platform/calendar/calendar.domain.ts';
import { invoicingService } from '../src/modules/invoicing/invoicing.service.ts';
import { tariffsPricing } from '../src/modules/invoicing/invoicing.pricing.ts';
import { DEFAULT_REGIE_ID } from '../src/platform/db/migrations/013_invoicing.ts';
import * as cat from '../src/modules/catalogue/catalogue.repository.ts';
import * as tariffs from '../src/modules/tariffs/tariffs.repository.ts';
import type { Auth } from '../src/platform/http/auth-types.ts';
import { benchDatabase } from './lib/database.ts';
import { info } from './lib/log.ts';

const MONTH = '2026-11';
const BATCH = 500;

async function insertMany<T extends Record<string, unknown>>(db: Db, table: string, rows: T[]) {
  for (let i = 0; i < rows.length; i += BATCH) await db.insertInto(table as never).values(rows.slice(i, i + BATCH)).execute();
}

/** Households of two children, a canteen with a QF grid, bookings on every school day of November with attendance: written in batches. */
async function generate(db: Db, children: number, now: Date, agentId: string) {
  const at = now.toISOString();
  const facilityId = await cat.insertFacility(db, { name: 'École du banc', kind: 'school' }, now);
  const groupId = await cat.insertGroup(db, { facilityId, name: 'Élémentaire' });
  const serviceId = await cat.insertService(db, { facilityId, kind: 'canteen', name: 'Restauration scolaire', weekdays: [1, 2, 4, 5], bookingRule: { kind: 'days_before', days: 2, working: true, time: '12:00' }, cancellationRule: { kind: 'days_before', days: 2, working: true, time: '12:00' } }, now);
  const unitId = await cat.insertUnit(db, { serviceId, label: 'Repas', isMeal: true });
  const yearId = await cat.insertSchoolYear(db, { label: '2026-2027', start: '2026-09-01', end: '2027-07-03' });
  await tariffs.insertVersion(db, { serviceId, unitId: null, schoolYearId: yearId, appliesFrom: '2026-09-01', presentWithoutBookingCents: 100, lateCancellationCents: 50, createdBy: agentId }, [
    { qf_min: 600, qf_max: 899, residency: 'any', rank_min: 2, rank_max: null, amount_cents: 300, category: 'repas', is_default: 0 },
    { qf_min: null, qf_max: 599, residency: 'any', rank_min: null, rank_max: null, amount_cents: 100, category: 'repas', is_default: 0 },
    { qf_min: 600, qf_max: 899, residency: 'any', rank_min: null, rank_max: null, amount_cents: 340, category: 'repas', is_default: 0 },
    { qf_min: 900, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 450, category: 'repas', is_default: 0 },
    { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 600, category: 'repas', is_default: 1 },
  ], now);
  const days = daysBetween(`${MONTH}-01`, `${MONTH}-30`).filter((d) => [1, 2, 4, 5].includes(weekday(d)) && isWorkingDay(d));
  const slots = days.map((day) => ({ id: newId(), unit_id: unitId, group_id: groupId, day, capacity: null, taken: 0, waiting_seq: 0, waiting: 0, closed: 0 }));
  await insertMany(db, 'slots', slots);
  const households = Math.ceil(children / 2);
  for (let h0 = 0; h0 < households; h0 += 250) {
    const hs: Record<string, unknown>[] = [], persons: Record<string, unknown>[] = [], members: Record<string, unknown>[] = [], quotients: Record<string, unknown>[] = [];
    const requests: Record<string, unknown>[] = [], enrolments: Record<string, unknown>[] = [], bookings: Record<string, unknown>[] = [];
    for (let h = h0; h < Math.min(households, h0 + 250); h++) {
      const id = newId();
      const guardian = newId();
      hs.push({ id, reference: `F-${String(h + 1).padStart(6, '0')}`, external_ref: null, name: `Foyer Banc${h}`, address_line1: '1 rue des Écoles', address_line2: null, postcode: '62160', city: 'Beauval', payer_person_id: guardian, search: `banc${h}`, archived_at: null, anonymised_at: null, merged_into_id: null, created_at: at, updated_at: at });
      persons.push({ id: guardian, kind: 'adult', first_name: 'Alex', last_name: `Banc${h}`, birth_date: null, sex: null, email: `banc${h}@banc.test`, phone: null, user_id: null, search: '', created_at: at, updated_at: at });
      members.push({ household_id: id, person_id: guardian, role: 'guardian', relationship: 'Mère', created_at: at });
      if (h % 4 !== 3) quotients.push({ id: newId(), household_id: id, value_eur: 300 + ((h * 37) % 1400), reference_month: '2026-09', source: 'caf', reason: 'banc', valid_until: null, created_by: null, created_at: at });
      for (let c = 0; c < 2 && h * 2 + c < children; c++) {
        const child = newId();
        persons.push({ id: child, kind: 'child', first_name: c === 0 ? 'Léa' : 'Hugo', last_name: `Banc${h}`, birth_date: c === 0 ? '2017-03-01' : '2019-06-01', sex: null, email: null, phone: null, user_id: null, search: '', created_at: at, updated_at: at });
        members.push({ household_id: id, person_id: child, role: 'child', relationship: null, created_at: at });
        const requestId = newId();
        requests.push({ id: requestId, reference: `B-${requestId}`, type: 'enrolment', household_id: id, subject_person_id: child, status: 'accepted', summary: 'banc', created_at: at, updated_at: at });
        enrolments.push({ id: newId(), request_id: requestId, child_person_id: child, service_id: serviceId, school_year_id: yearId, group_id: groupId, status: 'accepted', created_at: at });
        for (const [k, s] of slots.entries()) {
          const n = h * 7 + c * 3 + k;
          const attendance = n % 29 === 0 ? 'absent_justified' : n % 17 === 0 ? 'absent_unjustified' : n % 41 === 0 ? 'present_unbooked' : 'present';
          bookings.push({ id: newId(), child_person_id: child, household_id: id, service_id: serviceId, unit_id: unitId, slot_id: s.id, day: s.day, status: 'booked', waiting_rank: null, override: 0, attendance, attendance_at: at, attendance_by: null, absence_declared_at: null, created_at: at, updated_at: at });
        }
      }
    }
    await insertMany(db, 'households', hs);
    await insertMany(db, 'persons', persons);
    await insertMany(db, 'household_members', members);
    await insertMany(db, 'quotients', quotients);
    await insertMany(db, 'requests', requests);
    await insertMany(db, 'enrolments', enrolments);
    await insertMany(db, 'bookings', bookings);
  }
  return { days: days.length };
}

/** Runs `work` while sampling the resident memory every 25 ms: seconds and peak RSS in MiB. */
async function measured<T>(work: () => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const start = process.hrtime.bigint();
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssMiB: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** One invoicing month for `children` children on a fresh database of its own (also a scenario of `npm run bench`). */
export async function invoicingRun(engine: Engine, children: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banc-facturation-'));
  const handle = await benchDatabase(engine, path.join(dir, 'portail.sqlite'));
  try {
    const clock = new FixedClock(new Date('2026-12-02T09:00:00Z'));
    const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', PUBLIC_URL: 'http://localhost:3000', SECRET_KEY: 'cle-du-banc-uniquement-pour-le-banc-0123456789' });
    const { ctx } = await createContext(config, { clock, mailTransport: keepTransport, handle });
    const agentId = newId();
    await ctx.db.insertInto('users').values({ id: agentId, email: 'regie@banc.test', password_hash: null, first_name: 'Régie', last_name: 'Banc', phone: null, kind: 'agent', status: 'active', roles: 'regie', email_verified_at: null, last_login_at: null, created_at: clock.now().toISOString(), updated_at: clock.now().toISOString() }).execute();
    const auth: Auth = { sessionId: 'banc', actingHouseholdId: null, actingLabel: null, guardianOf: null, user: { id: agentId, email: 'regie@banc.test', firstName: 'Régie', lastName: 'Banc', kind: 'agent', status: 'active', roles: ['regie'] } };
    info(`${engine} / ${children} enfants : génération…`);
    const gen = await measured(() => generate(ctx.db, children, clock.now(), agentId));
    const svc = invoicingService(ctx, tariffsPricing(clock));
    const run = await svc.openRun(auth, DEFAULT_REGIE_ID, MONTH);
    info(`${engine} / ${children} enfants : brouillon…`);
    const draft = await measured(() => svc.draft(auth, run.id));
    if (!draft.value.ok) throw new Error(draft.value.code);
    info(`${engine} / ${children} enfants : second brouillon (comparaison au précédent)…`);
    const redraft = await measured(() => svc.draft(auth, run.id));
    if (!redraft.value.ok) throw new Error(redraft.value.code);
    const controlled = await svc.control(auth, run.id, redraft.value.value.version);
    if (!controlled.ok) throw new Error(controlled.code);
    info(`${engine} / ${children} enfants : émission…`);
    const issue = await measured(() => svc.issue(auth, run.id));
    if (!issue.value.ok) throw new Error(issue.value.code);
    // Correctness counters: every number once, none missing; the invoices' total is the lines'.
    const numbers = await ctx.db.selectFrom('invoices').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<number>('seq').as('first'), (eb) => eb.fn.max<number>('seq').as('last'), (eb) => eb.fn.sum<number>('total_cents').as('cents')]).executeTakeFirstOrThrow();
    const lines = await ctx.db.selectFrom('invoice_lines').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('amount_cents').as('cents')]).executeTakeFirstOrThrow();
    const mails = await ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      children,
      households: Math.ceil(children / 2),
      generation: { seconds: round(gen.seconds) },
      draft: { seconds: round(draft.seconds), peakRssMiB: draft.peakRssMiB, lines: draft.value.value.lines },
      redraft: { seconds: round(redraft.seconds), peakRssMiB: redraft.peakRssMiB },
      issue: { seconds: round(issue.seconds), peakRssMiB: issue.peakRssMiB, invoices: issue.value.value.invoices },
      checks: { invoices: Number(numbers.n), gapFree: Number(numbers.last) - Number(numbers.first) + 1 === Number(numbers.n), linesIssued: Number(lines.n), totalsReconcile: Number(lines.cents) === Number(numbers.cents), mailsQueued: Number(mails.n) },
    };
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

async function main() {
  const sizes = (process.env.BENCH_INVOICING_SIZES ?? process.env.BENCH_INVOICING_CHILDREN ?? '20000').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 2 || n > 200_000)) throw new Error('BENCH_INVOICING_SIZES : des nombres d\'enfants entre 2 et 200 000');
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').filter((e): e is Engine => (e === 'sqlite' || (e === 'postgres' && !!process.env.TEST_DATABASE_URL)));
  const out: Record<string, unknown[]> = {};
  for (const engine of engines) {
    out[engine] = [];
    for (const n of sizes) out[engine].push(await invoicingRun(engine, n));
  }
  const cpus = os.cpus();
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), scenario: 'invoicing', machine: { cpus: cpus.length, cpuModel: cpus[0]?.model, node: process.version, loadAverage: round(os.loadavg()[0]) }, engines: out }, null, 2)}\n`);
}

// Run as a script (npm run bench:invoicing), not when bench/run.ts imports the scenario.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
