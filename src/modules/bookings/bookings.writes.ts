import { guardianEmails } from '../households/households.shared-service.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { notify as notifyFamilies } from '../messaging/messaging.notifications-service.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { childUnitDay, decideChange, dayStatusOf, exclusiveClashes, type DayFacts } from './bookings.domain.ts';
import { AUDIT, NOTICES, type BookingOutcome, type DayStatus, type OutcomeDetail } from './bookings.outcomes.ts';
import * as repo from './bookings.repository.ts';
import { ARRIVAL_STEP } from '../../platform/clock/arrival.ts';
import { lockedDays, lockKey } from '../../platform/db/billing-locks.ts';

export interface Change {
  childId: string;
  unitId: string;
  day: string;
  want: boolean;
  /**
   * What the day was when the page the person used was drawn (month form). When given, a day that
   * is something else now was changed meanwhile elsewhere (another device, the other parent): it is
   * reported as a conflict and left as it is, never taken as an instruction.
   */
  shown?: DayStatus;
}

export interface ChangeResult extends Change, OutcomeDetail {
  /** false: nothing was done for this day (refused, or in conflict). */
  ok: boolean;
  code: BookingOutcome;
}

/**
 * A day's result, always in one shape: a form's results are built, read and sent by the thousand on
 * an opening day, and spreading varied objects into them cost more than the rest of the form's code.
 */
export function outcome(change: Change, ok: boolean, d: OutcomeDetail): ChangeResult {
  return { childId: change.childId, unitId: change.unitId, day: change.day, want: change.want, shown: change.shown, ok, code: d.code, position: d.position, closed: d.closed, name: d.name, at: d.at, current: d.current };
}

/** A row changed between the read and the write of a form (another tab, a double click): run it again. */
class ConcurrentChange extends Error {}

/**
 * Conflicts that a second run of the same form resolves: a unique row written meanwhile, a row that
 * changed under us, a PostgreSQL deadlock between two forms locking the same days in another order.
 */
const isRetryable = (err: unknown) => {
  const e = err as { code?: string };
  return err instanceof ConcurrentChange || ['23505', '40P01', '40001', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(e?.code ?? '');
};

async function withRetry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
    }
  }
}

export type Enrolment = Awaited<ReturnType<typeof repo.acceptedEnrolments>>[number];
export type Unit = Awaited<ReturnType<typeof repo.unitsOf>>[number];

export interface Prepared {
  change: Change;
  enrolment: Enrolment;
  unit: Unit;
  facts: DayFacts;
  /** The units of its service the town declared it does not combine with on a day. */
  excludes: { id: string; label: string }[];
}

/** A change that will write: its place in the form's results, the group whose places it takes. */
interface Work {
  index: number;
  change: Change;
  unit: Unit;
  groupId: string;
  action: 'book' | 'cancel' | 'request';
  excludes: { id: string; label: string }[];
}

interface Written extends OutcomeDetail {
  index: number;
  change: Change;
  /** false: refused inside the transaction (the day was closed or changed meanwhile). */
  ok?: boolean;
}

/** A wish that obtained a row to write: booked, on the waiting list (rank, place) or asked for. */
interface ToWrite {
  w: Work;
  status: 'booked' | 'waiting' | 'requested';
  rank: number | null;
  position?: number;
}

type Slots = Awaited<ReturnType<typeof repo.ensureSlots>>;
type BookingRow = Awaited<ReturnType<typeof repo.bookingsAt>>[number];

/** What a form's transaction read under its locks: its days' slots and rows. */
interface FormRows {
  slots: Slots;
  slotOf: (w: Work) => NonNullable<ReturnType<Slots['get']>>;
  existingOf: (w: Work) => BookingRow | undefined;
}

/** The units of its service a change's unit does not combine with on a day. */
const othersOf = (w: Work) => w.excludes.map((u) => u.id);

/**
 * Writing bookings: the changes of one form applied in one transaction, and what a freed place or
 * a closed day sets off (the next child on the waiting list, the families told). Every rule is
 * checked again here, at the instant of the write.
 */
export function bookingWrites(ctx: AppContext) {
  const { db, config, clock } = ctx;

  async function notify(tx: Executor, householdId: string, subject: string, text: string, now: Date) {
    await repo.insertNotice(tx, householdId, text, now);
    for (const to of await guardianEmails(tx, householdId)) {
      await insertMail(tx, now, { kind: 'booking-notice', to, subject: `${subject} – ${config.town.name}`, text: NOTICES.mail(text, config.publicUrl, config.town.name) });
    }
  }

  /** A place freed: the first on the waiting list gets it, and the family is told. */
  async function promoteNext(tx: Executor, slotId: string, now: Date) {
    const next = await repo.firstWaiting(tx, slotId);
    if (!next || !(await repo.takePlace(tx, slotId))) return;
    if (!(await repo.setStatus(tx, next.id, ['waiting'], 'booked', now, { waiting_rank: null }))) {
      await repo.releasePlace(tx, slotId);
      return;
    }
    await repo.leaveWaitingList(tx, slotId);
    const [child, unit] = await Promise.all([repo.childName(tx, next.child_person_id), repo.unitWithService(tx, next.unit_id)]);
    const [first, service, label] = [child?.first_name ?? '', unit?.service_name ?? '', unit?.label ?? ''];
    await repo.insertNotice(tx, next.household_id, NOTICES.promoted(first, service, label, next.day), now);
    // The e-mail and the inbox message: the town's notification « waiting_list_place » (its switch, its text, the guardian's choice).
    await notifyFamilies(tx, ctx, now, 'waiting_list_place', [
      { householdId: next.household_id, fact: next.id, values: { enfant: first, jour: dayLabel(next.day, true), service: service.toLowerCase(), unite: label.toLowerCase(), lien: `${config.publicUrl}/reservations` } },
    ]);
  }

  /**
   * Applies the changes of one form in one transaction, whatever their number: the rules are
   * checked again on the facts loaded for the form, then the form's slots are read (created if
   * new) and locked in id order, its rows read again under those locks (a day changed since the
   * page was drawn is a conflict), places are taken by conditional UPDATEs, and the new rows are
   * written in one INSERT. A racing double submission (unique row), a row changed under us or a
   * PostgreSQL deadlock rolls the form back and runs it again, with the same arrival: waiting ranks
   * are the request's arrival stamp (README.md of this module), not the order forms reach the lock.
   */
  async function applyChanges(householdId: string, items: Prepared[], options: { override: boolean; auth: Auth; now: Date; arrival: number; record?: (tx: Executor, results: ChangeResult[]) => Promise<void> }): Promise<ChangeResult[]> {
    const { override } = options;
    const results: (ChangeResult | null)[] = items.map(() => null);
    const work: Work[] = [];
    const groups = new Map<string, string | null>();
    for (const [i, item] of items.entries()) {
      const { change, enrolment, unit } = item;
      const decision = decideChange(item.facts, change.want, override);
      if (!decision.ok) results[i] = outcome(change, false, decision);
      else if (decision.action === 'none') results[i] = outcome(change, true, { code: 'unchanged' });
      else {
        if (!enrolment.group_id && !groups.has(enrolment.facility_id)) groups.set(enrolment.facility_id, (await repo.firstGroupOf(db, enrolment.facility_id))?.id ?? null);
        const groupId = enrolment.group_id ?? groups.get(enrolment.facility_id);
        if (!groupId) results[i] = outcome(change, false, { code: 'no_group' });
        else work.push({ index: i, change, unit, groupId, action: decision.action, excludes: decision.action === 'cancel' ? [] : item.excludes });
      }
    }
    const complete = (written: Written[]) => {
      const all = [...results];
      for (const w of written) all[w.index] = outcome(w.change, w.ok ?? true, w);
      return all.map((r, i) => r ?? outcome(items[i].change, true, { code: 'unchanged' }));
    };
    if (work.length === 0) return complete([]);
    // What the form did is recorded (history, e-mail) in its own transaction: both or neither.
    return withRetry(() =>
      db.transaction().execute(async (tx) => {
        const all = complete(await writeChanges(tx, householdId, work, options));
        await options.record?.(tx, all);
        return all;
      }),
    );
  }

  /**
   * The writes of one form, in its transaction. In steps, each its own function: a large function is
   * compiled again whole each time one of its paths meets a new kind of object, which an opening
   * day's first minutes do often.
   */
  async function writeChanges(tx: Executor, householdId: string, work: Work[], options: { override: boolean; auth: Auth; now: Date; arrival: number }) {
    const { override, auth, now, arrival } = options;
    // From here on the form holds its days' counters until it commits (PostgreSQL; SQLite has one
    // writer anyway): what they say stays true, so each place is asked for once, the right way. Any
    // other form on these days (another device of the family) holds them too before it writes, so
    // the rows read next are the ones this form changes.
    // A unit the town declared exclusive with others (« ne se cumulent pas ») also locks their
    // counters of the day: two forms booking the two units for one child (two devices) take the
    // same locks, so the second reads the first's row and is refused.
    const slots = await repo.ensureSlots(tx, work.flatMap((w) => [w.unit.id, ...othersOf(w)].map((unitId) => ({ unitId, groupId: w.groupId, day: w.change.day }))), { lock: true });
    const rows = await repo.bookingsAt(tx, [...new Set(work.map((w) => w.change.childId))], [...new Set(work.flatMap((w) => [w.unit.id, ...othersOf(w)]))], [...new Set(work.map((w) => w.change.day))]);
    const existing = new Map(rows.map((r) => [childUnitDay(r.child_person_id, r.unit_id, r.day), r]));
    const form: FormRows = { slots, slotOf: (w) => slots.get(repo.slotKey({ unitId: w.unit.id, groupId: w.groupId, day: w.change.day }))!, existingOf: (w) => existing.get(childUnitDay(w.change.childId, w.unit.id, w.change.day)) };
    // A day of a month the régie has invoiced never changes (agents correct through credit notes).
    const billed = await lockedDays(tx, work.map((w) => ({ serviceId: w.unit.service_id, day: w.change.day })), clock.today());

    const { done, wishes } = await sortOut(tx, work, form, billed, now);
    const kept = refuseClashes(wishes, rows, done);
    const toWrite = [...kept.filter((w) => w.action === 'request').map((w): ToWrite => ({ w, status: 'requested', rank: null })), ...(await place(tx, kept.filter((w) => w.action !== 'request'), form, override, arrival))];
    await writeRows(tx, householdId, toWrite, form, override, now);
    for (const x of toWrite) done.push({ index: x.w.index, change: x.w.change, code: x.status, position: x.status === 'waiting' ? (x.position ?? null) : undefined });
    if (override || auth.user.kind === 'agent') await auditAgentChanges(tx, householdId, done, auth, override, now);
    return done;
  }

  /**
   * Each change against its row as read under the locks: a billed day, a day changed meanwhile
   * (conflict) and a day already as wished are settled here, cancellations are done (a freed place
   * goes to the next on the list); what is left are the wishes to book or ask for.
   */
  async function sortOut(tx: Executor, work: Work[], form: FormRows, billed: Set<string>, now: Date) {
    const done: Written[] = [];
    const wishes: Work[] = [];
    for (const w of work) {
      const row = form.existingOf(w);
      const current = dayStatusOf(row);
      if (billed.has(lockKey(w.unit.service_id, w.change.day))) {
        done.push({ index: w.index, change: w.change, ok: false, code: 'billed' });
      } else if (w.change.shown !== undefined && current !== w.change.shown) {
        done.push({ index: w.index, change: w.change, ok: false, code: 'conflict', current });
      } else if (w.action === 'cancel') {
        if (!row || !(await repo.setStatus(tx, row.id, ['booked', 'waiting', 'requested'], 'cancelled', now, { waiting_rank: null }))) {
          done.push({ index: w.index, change: w.change, code: 'unchanged' });
          continue;
        }
        if (row.status === 'booked') {
          await repo.releasePlace(tx, row.slot_id);
          await promoteNext(tx, row.slot_id, now);
        } else if (row.status === 'waiting') await repo.leaveWaitingList(tx, row.slot_id);
        done.push({ index: w.index, change: w.change, code: 'cancelled' });
      } else if (current === 'booked' || current === 'waiting' || (w.action === 'request' && current === 'requested')) {
        done.push({ index: w.index, change: w.change, code: 'unchanged' });
      } else if (form.slotOf(w).closed) {
        // The town closed the day while this form was on its way: nobody may book it (agents neither).
        done.push({ index: w.index, change: w.change, ok: false, code: 'closed_now' });
      } else wishes.push(w);
    }
    return { done, wishes };
  }

  return { applyChanges, notify };
}

/**
 * Units that exclude each other: what the child has on the day once this form's cancellations are
 * done (a form may swap one for the other); of two wishes in one form, the first wins. The refused
 * are added to `done`; the others are returned.
 */
function refuseClashes(wishes: Work[], rows: BookingRow[], done: Written[]): Work[] {
  const cancelled = new Set(done.filter((d) => d.code === 'cancelled').map((d) => childUnitDay(d.change.childId, d.change.unitId, d.change.day)));
  const active = new Set(rows.filter((r) => dayStatusOf(r) !== 'none').map((r) => childUnitDay(r.child_person_id, r.unit_id, r.day)).filter((k) => !cancelled.has(k)));
  const clashes = exclusiveClashes(wishes.map((w) => ({ childId: w.change.childId, unitId: w.unit.id, day: w.change.day })), active, new Map(wishes.map((w) => [w.unit.id, othersOf(w)])));
  for (const [i, other] of clashes) done.push({ index: wishes[i].index, change: wishes[i].change, ok: false, code: 'exclusive', name: wishes[i].excludes.find((u) => u.id === other)?.label });
  return wishes.filter((_, i) => !clashes.has(i));
}

/**
 * Places: one round per occurrence of a slot in the form (two siblings of one group on one day
 * need two). A slot with room is asked for a place, a full one for a place on its waiting list;
 * both statements check again, and a child they turn down tries the other way next round. The
 * rank on a list is the request's arrival stamp (plus the child's order in the form, for siblings).
 */
async function place(tx: Executor, toPlace: Work[], form: FormRows, override: boolean, arrival: number): Promise<ToWrite[]> {
  const placed: ToWrite[] = [];
  const room = new Map([...form.slots.values()].map((s) => [s.id, override || s.capacity === null ? Infinity : s.capacity - s.taken]));
  let pending = toPlace;
  const listed = new Map<string, number>();
  for (let round = 0; pending.length > 0; round++) {
    if (round > 20) throw new Error('places : trop de tentatives');
    const first = new Map<string, Work>();
    const later: Work[] = [];
    for (const w of pending) {
      if (first.has(form.slotOf(w).id)) later.push(w);
      else first.set(form.slotOf(w).id, w);
    }
    const ids = [...first.keys()];
    const taken = await repo.takePlaces(tx, ids.filter((id) => room.get(id)! > 0), override);
    const joined = await repo.joinWaitingLists(tx, ids.filter((id) => room.get(id)! <= 0), arrival);
    for (const [slotId, w] of first) {
      if (taken.has(slotId)) {
        placed.push({ w, status: 'booked', rank: null });
        room.set(slotId, room.get(slotId)! - 1);
      } else if (joined.has(slotId)) {
        // Siblings of one form on one list: the arrival, then +1, +2 (ARRIVAL_STEP leaves room).
        const before = listed.get(slotId) ?? 0;
        listed.set(slotId, before + 1);
        placed.push({ w, status: 'waiting', rank: arrival + Math.min(before, ARRIVAL_STEP - 1), position: joined.get(slotId)!.position });
      } else {
        room.set(slotId, room.get(slotId)! > 0 ? 0 : 1);
        later.push(w);
      }
    }
    pending = later;
  }
  return placed;
}

/** New rows in one INSERT; a day cancelled earlier gets its row back (unless it changed meanwhile: the form runs again). */
async function writeRows(tx: Executor, householdId: string, toWrite: ToWrite[], form: FormRows, override: boolean, now: Date) {
  const write = (x: ToWrite): repo.BookingWrite => ({ childId: x.w.change.childId, householdId, serviceId: x.w.unit.service_id, unitId: x.w.unit.id, slotId: form.slotOf(x.w).id, day: x.w.change.day, status: x.status, waitingRank: x.rank, override });
  await repo.insertBookings(tx, toWrite.filter((x) => !form.existingOf(x.w)).map(write), now);
  for (const x of toWrite) {
    const row = form.existingOf(x.w);
    if (row && !(await repo.reviveBooking(tx, row.id, ['cancelled', 'closed'], write(x), now))) throw new ConcurrentChange();
  }
}

/** An agent's changes, one history line per day (a family's form leaves one entry: bookings.recap.ts). */
async function auditAgentChanges(tx: Executor, householdId: string, done: Written[], auth: Auth, override: boolean, now: Date) {
  for (const d of done) {
    if (d.code === 'unchanged' || d.ok === false) continue;
    const r = { ...d, day: d.change.day };
    await writeAudit(
      tx,
      now,
      actorOf(auth),
      override
        ? { action: 'booking.override', targetType: 'household', targetId: householdId, summary: AUDIT.override(actorOf(auth).label, r) }
        : { action: 'booking.changed', targetType: 'household', targetId: householdId, summary: AUDIT.changed(r) },
    );
  }
}
