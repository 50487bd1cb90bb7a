import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { sha256 } from '../../platform/security/secrets.ts';
import { actorOf } from '../identity/identity.service.ts';
import { childIdsOf, memberOf, membersOf } from '../households/households.repository.ts';
import type { FamilyActor } from '../households/households.family-service.ts';
import { dayLabel, daysBetween, todayIn, weekday } from '../catalogue/calendar.domain.ts';
import { parseRule } from './deadlines.domain.ts';
import { capitalise, dayState, decideChange, drawOrder, periodKindFor, type DayFacts, type DayState } from './bookings.domain.ts';
import * as repo from './bookings.repository.ts';

export interface Change {
  childId: string;
  unitId: string;
  day: string;
  want: boolean;
}

export interface ChangeResult extends Change {
  ok: boolean;
  /** What happened, in plain French (« Réservé », « Liste d'attente : 3ᵉ », or why it was refused). */
  message: string;
}

const NO_CHANGE = 'Aucun changement';
const NOT_ENROLLED = 'Votre enfant n\'est pas inscrit à ce service : faites d\'abord une demande d\'inscription.';
const ordinal = (n: number) => `${n}${n === 1 ? 'ᵉʳ' : 'ᵉ'}`;

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

type Enrolment = Awaited<ReturnType<typeof repo.acceptedEnrolments>>[number];
type Unit = Awaited<ReturnType<typeof repo.unitsOf>>[number];

interface Prepared {
  change: Change;
  enrolment: Enrolment;
  unit: Unit;
  facts: DayFacts;
}

/** A change that will write: its place in the form's results, the group whose places it takes. */
interface Work {
  index: number;
  change: Change;
  unit: Unit;
  groupId: string;
  action: 'book' | 'cancel' | 'request';
}

interface Written {
  index: number;
  change: Change;
  message: string;
  /** false: refused inside the transaction (the day was closed meanwhile). */
  ok?: boolean;
}

/**
 * Bookings: the calendar of each child and the changes families (or agents) make to it.
 * Every rule is checked here, at the instant of the request, whatever the page showed.
 */
export function bookingsService(ctx: AppContext) {
  const { db, clock, config } = ctx;

  /** Everything needed to judge days in [start, end] for some children: a fixed number of queries. */
  async function load(childIds: string[], start: string, end: string, executor: Executor = db) {
    const enrolments = await repo.acceptedEnrolments(executor, childIds);
    const [units, periods, closures, bookings] = await Promise.all([
      repo.unitsOf(executor, [...new Set(enrolments.map((e) => e.service_id))]),
      repo.periodsBetween(executor, start, end),
      repo.closuresBetween(executor, start, end),
      repo.bookingsOf(executor, childIds, start, end),
    ]);
    const positions = await repo.waitingPositions(executor, bookings.filter((b) => b.status === 'waiting').map((b) => b.id));
    const bookingByKey = new Map(bookings.map((b) => [`${b.child_person_id}|${b.unit_id}|${b.day}`, b]));
    const facts = (e: Enrolment, unitId: string, day: string, now: Date): DayFacts => {
      const period = periods.find((p) => p.school_year_id === e.school_year_id && p.kind === periodKindFor(e.kind) && p.start_date <= day && p.end_date >= day) ?? null;
      const closure = closures.find((c) => c.day === day && (c.facility_id === null || c.facility_id === e.facility_id) && (c.service_id === null || c.service_id === e.service_id));
      const booking = bookingByKey.get(`${e.child_person_id}|${unitId}|${day}`);
      const active = booking && booking.status !== 'cancelled' && booking.status !== 'closed' ? booking : null;
      return {
        day,
        now,
        serviceKind: e.kind,
        weekdays: e.weekdays.split(',').map(Number),
        period,
        closure: closure?.reason ?? null,
        bookingRule: parseRule(e.booking_rule),
        cancellationRule: parseRule(e.cancellation_rule),
        booking: active ? { status: active.status, position: positions.get(active.id) ?? null } : null,
      };
    };
    const bookingId = (childId: string, unitId: string, day: string) => bookingByKey.get(`${childId}|${unitId}|${day}`)?.id ?? null;
    return { enrolments, units, bookingByKey, bookingId, facts };
  }

  async function notify(tx: Executor, householdId: string, subject: string, text: string, now: Date) {
    await repo.insertNotice(tx, householdId, text, now);
    for (const to of await repo.guardianEmails(tx, householdId)) {
      await insertMail(tx, now, { kind: 'booking-notice', to, subject: `${subject} – ${config.town.name}`, text: `Bonjour,\n\n${text}\n\nVos réservations : ${config.publicUrl}/reservations\n\n--\n${config.town.name} – Portail famille` });
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
    await notify(tx, next.household_id, 'Une place s\'est libérée', `Une place s'est libérée : ${child?.first_name} est maintenant inscrit(e) ${unit?.service_name.toLowerCase()} (${unit?.label.toLowerCase()}) le ${dayLabel(next.day, true)}.`, now);
  }

  /**
   * Applies the changes of one form in one transaction, whatever their number: the rules are
   * checked again on the facts loaded for the form, then the form's slots are read (created if
   * new) and locked in id order, places are taken and waiting ranks given by conditional UPDATEs,
   * and the new rows are written in one INSERT. A racing double submission (unique row), a row
   * changed under us or a PostgreSQL deadlock rolls the form back and runs it again.
   */
  async function applyChanges(householdId: string, items: Prepared[], override: boolean, actorLabel: string, auth: Auth, now: Date): Promise<ChangeResult[]> {
    const results: (ChangeResult | null)[] = items.map(() => null);
    const work: Work[] = [];
    const groups = new Map<string, string | null>();
    for (const [i, item] of items.entries()) {
      const { change, enrolment, unit } = item;
      const decision = decideChange(item.facts, change.want, override);
      if (!decision.ok) results[i] = { ...change, ok: false, message: decision.message };
      else if (decision.action === 'none') results[i] = { ...change, ok: true, message: NO_CHANGE };
      else {
        if (!enrolment.group_id && !groups.has(enrolment.facility_id)) groups.set(enrolment.facility_id, (await repo.firstGroupOf(db, enrolment.facility_id))?.id ?? null);
        const groupId = enrolment.group_id ?? groups.get(enrolment.facility_id);
        if (!groupId) results[i] = { ...change, ok: false, message: 'Ce service n\'a pas encore de groupe : adressez-vous à la mairie.' };
        else work.push({ index: i, change, unit, groupId, action: decision.action });
      }
    }
    if (work.length > 0) {
      const written = await withRetry(() => db.transaction().execute((tx) => writeChanges(tx, householdId, work, override, actorLabel, auth, now)));
      for (const w of written) results[w.index] = { ...w.change, ok: w.ok ?? true, message: w.message };
    }
    return results.map((r, i) => r ?? { ...items[i].change, ok: true, message: NO_CHANGE });
  }

  async function writeChanges(tx: Executor, householdId: string, work: Work[], override: boolean, actorLabel: string, auth: Auth, now: Date) {
    const rows = await repo.bookingsAt(tx, [...new Set(work.map((w) => w.change.childId))], [...new Set(work.map((w) => w.unit.id))], [...new Set(work.map((w) => w.change.day))]);
    const existing = new Map(rows.map((r) => [`${r.child_person_id}|${r.unit_id}|${r.day}`, r]));
    const existingOf = (w: Work) => existing.get(`${w.change.childId}|${w.unit.id}|${w.change.day}`);
    // From here on the form holds its days' counters until it commits (PostgreSQL; SQLite has one
    // writer anyway): what they say stays true, so each place is asked for once, the right way.
    const slots = await repo.ensureSlots(tx, work.map((w) => ({ unitId: w.unit.id, groupId: w.groupId, day: w.change.day })), { lock: true });
    const slotOf = (w: Work) => slots.get(repo.slotKey({ unitId: w.unit.id, groupId: w.groupId, day: w.change.day }))!;
    const done: Written[] = [];
    const toWrite: { w: Work; status: 'booked' | 'waiting' | 'requested'; rank: number | null; position?: number }[] = [];
    const toPlace: Work[] = [];

    for (const w of work) {
      const row = existingOf(w);
      if (w.action === 'cancel') {
        if (!row || !(await repo.setStatus(tx, row.id, ['booked', 'waiting', 'requested'], 'cancelled', now, { waiting_rank: null }))) {
          done.push({ index: w.index, change: w.change, message: NO_CHANGE });
          continue;
        }
        if (row.status === 'booked') {
          await repo.releasePlace(tx, row.slot_id);
          await promoteNext(tx, row.slot_id, now);
        } else if (row.status === 'waiting') await repo.leaveWaitingList(tx, row.slot_id);
        done.push({ index: w.index, change: w.change, message: 'Annulé' });
      } else if (row && (row.status === 'booked' || row.status === 'waiting' || (w.action === 'request' && row.status === 'requested'))) {
        done.push({ index: w.index, change: w.change, message: NO_CHANGE });
      } else if (slotOf(w).closed) {
        // The town closed the day while this form was on its way: nobody may book it (agents neither).
        done.push({ index: w.index, change: w.change, ok: false, message: `${capitalise(dayLabel(w.change.day))} : la mairie vient de fermer ce jour, il ne peut plus être réservé.` });
      } else if (w.action === 'request') {
        toWrite.push({ w, status: 'requested', rank: null });
      } else toPlace.push(w);
    }

    // Places: one round per occurrence of a slot in the form (two siblings of one group on one day
    // need two). A slot with room is asked for a place, a full one for a rank on its waiting list;
    // both statements check again, and a child they turn down tries the other way next round.
    const room = new Map([...slots.values()].map((s) => [s.id, override || s.capacity === null ? Infinity : s.capacity - s.taken]));
    let pending = toPlace;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 20) throw new Error('places : trop de tentatives');
      const first = new Map<string, Work>();
      const later: Work[] = [];
      for (const w of pending) {
        if (first.has(slotOf(w).id)) later.push(w);
        else first.set(slotOf(w).id, w);
      }
      const ids = [...first.keys()];
      const taken = await repo.takePlaces(tx, ids.filter((id) => room.get(id)! > 0), override);
      const ranks = await repo.joinWaitingLists(tx, ids.filter((id) => room.get(id)! <= 0));
      for (const [slotId, w] of first) {
        if (taken.has(slotId)) {
          toWrite.push({ w, status: 'booked', rank: null });
          room.set(slotId, room.get(slotId)! - 1);
        } else if (ranks.has(slotId)) toWrite.push({ w, status: 'waiting', ...ranks.get(slotId)! });
        else {
          room.set(slotId, room.get(slotId)! > 0 ? 0 : 1);
          later.push(w);
        }
      }
      pending = later;
    }

    const write = (x: (typeof toWrite)[number]): repo.BookingWrite => ({ childId: x.w.change.childId, householdId, serviceId: x.w.unit.service_id, unitId: x.w.unit.id, slotId: slotOf(x.w).id, day: x.w.change.day, status: x.status, waitingRank: x.rank, override });
    const fresh = toWrite.filter((x) => !existingOf(x.w));
    await repo.insertBookings(tx, fresh.map(write), now);
    for (const x of toWrite.filter((x) => existingOf(x.w))) {
      if (!(await repo.reviveBooking(tx, existingOf(x.w)!.id, ['cancelled', 'closed'], write(x), now))) throw new ConcurrentChange();
    }
    for (const x of toWrite) {
      const message = x.status === 'booked' ? 'Réservé' : x.status === 'requested' ? 'Demande enregistrée : les places seront attribuées après la clôture des demandes' : `Complet : inscrit(e) sur la liste d'attente, ${ordinal(x.position!)}`;
      done.push({ index: x.w.index, change: x.w.change, message });
    }

    if (override || auth.user.kind === 'agent') {
      for (const d of done) {
        if (d.message === NO_CHANGE || d.ok === false) continue;
        const message = d.message.toLowerCase();
        await writeAudit(
          tx,
          now,
          actorOf(auth),
          override
            ? { action: 'booking.override', targetType: 'household', targetId: householdId, summary: `${actorLabel} : ${message} pour le ${dayLabel(d.change.day, true)} (dérogation aux délais ou à la capacité)` }
            : { action: 'booking.changed', targetType: 'household', targetId: householdId, summary: `Réservation du ${dayLabel(d.change.day, true)} : ${message}` },
        );
      }
    }
    return done;
  }

  /** What a form needs per change: the enrolment and unit it books, and the day's facts. */
  function prepare(loaded: Awaited<ReturnType<typeof load>>, change: Change, now: Date): Prepared | null {
    const unit = loaded.units.find((u) => u.id === change.unitId);
    const enrolment = unit && loaded.enrolments.find((e) => e.service_id === unit.service_id && e.child_person_id === change.childId);
    return unit && enrolment ? { change, enrolment, unit, facts: loaded.facts(enrolment, unit.id, change.day, now) } : null;
  }

  async function childrenOf(actor: FamilyActor) {
    return (await membersOf(db, actor.householdId)).filter((m) => m.role === 'child');
  }

  return {
    /** Month (or any range) of the household's children: each enrolled unit and each day with its state. */
    async calendar(actor: FamilyActor, start: string, end: string) {
      const children = await childrenOf(actor);
      const now = clock.now();
      const { enrolments, units, facts, bookingId } = await load(children.map((c) => c.id), start, end);
      const days = daysBetween(start, end);
      return children.map((child) => {
        const rows = enrolments
          .filter((e) => e.child_person_id === child.id)
          .flatMap((e) =>
            units
              .filter((u) => u.service_id === e.service_id)
              .map((u) => ({ serviceName: e.name, serviceKind: e.kind, unit: u as Unit, days: days.map((day) => ({ day, state: dayState(facts(e, u.id, day, now)) as DayState, bookingId: bookingId(child.id, u.id, day) })) })),
          );
        return { child, rows };
      });
    },

    /** An agent's view of a household's calendar (for overrides). */
    async calendarOfHousehold(auth: Auth | null, householdId: string, day: string) {
      assertRole(auth, 'admin', 'enfance');
      return this.calendar({ auth, householdId, personId: null }, day, day);
    },

    /** Family changes: the household from the session, each child checked against it. */
    async applyFamilyChanges(actor: FamilyActor, changes: Change[], options: { skipClosed?: boolean } = {}): Promise<ChangeResult[]> {
      const children = new Set(await childIdsOf(db, actor.householdId));
      if (changes.some((c) => !children.has(c.childId))) throw new NotFoundError();
      if (changes.length === 0) return [];
      // Only the days whose wish differs from what is booked are worked on (a month form sends every day).
      const days = changes.map((c) => c.day).sort();
      const loaded = await load([...children], days[0], days[days.length - 1]);
      const now = clock.now();
      const notEnrolled: ChangeResult[] = [];
      const items: Prepared[] = [];
      for (const change of changes.slice(0, 500)) {
        const item = prepare(loaded, change, now);
        if (!item) {
          if (!options.skipClosed) notEnrolled.push({ ...change, ok: false, message: NOT_ENROLLED });
          continue;
        }
        if (!!item.facts.booking === change.want) continue;
        if (options.skipClosed && dayState(item.facts).kind === 'closed') continue;
        items.push(item);
      }
      return [...notEnrolled, ...(await applyChanges(actor.householdId, items, false, actorOf(actor.auth).label, actor.auth, now))];
    },

    /** Agents may book past a deadline or over capacity: recorded in the household's history. */
    async applyAgentOverride(auth: Auth | null, householdId: string, change: Change): Promise<ChangeResult> {
      assertRole(auth, 'admin', 'enfance');
      const child = await memberOf(db, householdId, change.childId);
      if (!child || child.role !== 'child') throw new NotFoundError();
      const now = clock.now();
      const item = prepare(await load([change.childId], change.day, change.day), change, now);
      if (!item) return { ...change, ok: false, message: NOT_ENROLLED };
      const [result] = await applyChanges(householdId, [item], true, actorOf(auth).label, auth, now);
      return result;
    },

    /** « Semaine type »: the chosen weekdays of each chosen unit, over a range, in one action. */
    weeklyChanges(childIds: string[], unitIds: string[], weekdays: number[], start: string, end: string, want: boolean): Change[] {
      const days = daysBetween(start, end).filter((d) => weekdays.includes(weekday(d)));
      return childIds.flatMap((childId) => unitIds.flatMap((unitId) => days.map((day) => ({ childId, unitId, day, want }))));
    },

    /** An absence announced before the day, once the cancellation deadline has passed. */
    async declareAbsence(actor: FamilyActor, bookingId: string) {
      const booking = await repo.findBookingById(db, bookingId);
      if (!booking || booking.household_id !== actor.householdId || booking.status !== 'booked') throw new NotFoundError();
      // Today in Paris: between midnight and 1 or 2 a.m. the UTC date is still yesterday's.
      if (booking.day <= todayIn(clock.now())) return { ok: false as const, message: 'Une absence se signale avant le jour même. Pour aujourd\'hui, appelez l\'accueil.' };
      await db.transaction().execute(async (tx) => {
        await repo.markAbsenceDeclared(tx, booking.id, clock.now());
        await writeAudit(tx, clock.now(), actorOf(actor.auth), { action: 'booking.absence_declared', targetType: 'household', targetId: actor.householdId, summary: `Absence signalée pour le ${dayLabel(booking.day, true)}` });
      });
      return { ok: true as const };
    },

    /** Closing a day (strike, outing): its bookings are cancelled without charge, families are told. */
    async closeDay(auth: Auth | null, input: { day: string; facilityId: string; serviceId: string | null; reason: string }) {
      assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        // Every counter of the day for the closed services, created if there is none yet, locked in
        // the order booking forms lock them and marked closed: a form in flight finishes first and its
        // bookings are closed with the others; a form on its way reads `closed` and books nothing.
        const keys = (await repo.unitGroupsOf(tx, input.facilityId, input.serviceId)).map((k) => ({ ...k, day: input.day }));
        const slots = await repo.ensureSlots(tx, keys, { lock: true });
        await repo.closeSlots(tx, [...slots.values()].map((s) => s.id));
        await repo.insertClosure(tx, { ...input, by: auth.user.id }, now);
        const bookings = await repo.activeBookingsOfDay(tx, input.day, input.facilityId, input.serviceId);
        for (const b of bookings) await repo.setStatus(tx, b.id, ['booked', 'waiting', 'requested'], 'closed', now, { waiting_rank: null });
        const households = [...new Set(bookings.map((b) => b.household_id))];
        for (const h of households) {
          await notify(tx, h, 'Accueil fermé', `L'accueil est fermé le ${dayLabel(input.day, true)} (${input.reason}). Les réservations de ce jour sont annulées et ne seront pas facturées.`, now);
        }
        await writeAudit(tx, now, actorOf(auth), { action: 'closure.created', targetType: 'closure', targetId: null, summary: `Fermeture le ${dayLabel(input.day, true)} : ${input.reason} (${bookings.length} réservation(s) annulée(s))` });
        return { cancelled: bookings.length, households: households.length };
      });
    },

    /**
     * Draw allocation for a period collected on requests: priority first (children already at a school
     * of the town), then a reproducible order from a hash of the period and the request.
     */
    async allocateByDraw(auth: Auth | null, periodId: string) {
      assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const period = await repo.findPeriod(tx, periodId);
        if (!period) throw new NotFoundError();
        if (period.allocated_at) return { booked: 0, waiting: 0 };
        const requested = await repo.requestedInPeriod(tx, period.start_date, period.end_date);
        const bySlot = new Map<string, typeof requested>();
        for (const r of requested) bySlot.set(r.slot_id, [...(bySlot.get(r.slot_id) ?? []), r]);
        let booked = 0;
        let waiting = 0;
        for (const [slotId, list] of bySlot) {
          for (const r of drawOrder(list.map((x) => ({ ...x, priority: x.school ? 1 : 0 })), periodId, sha256)) {
            if (await repo.takePlace(tx, slotId)) {
              await repo.setStatus(tx, r.id, ['requested'], 'booked', now);
              booked++;
            } else {
              const rank = (await repo.joinWaitingLists(tx, [slotId])).get(slotId)?.rank ?? null;
              await repo.setStatus(tx, r.id, ['requested'], 'waiting', now, { waiting_rank: rank });
              waiting++;
            }
          }
        }
        await repo.markAllocated(tx, periodId, now);
        await writeAudit(tx, now, actorOf(auth), { action: 'period.allocated', targetType: 'period', targetId: periodId, summary: `Attribution des places par tirage : ${booked} place(s), ${waiting} en liste d'attente` });
        return { booked, waiting };
      });
    },

    /** A booking of this household, with names for the page; undefined for anyone else's. */
    async bookingOfHousehold(actor: FamilyActor, bookingId: string) {
      const b = await repo.findBookingById(db, bookingId);
      if (!b || b.household_id !== actor.householdId) return undefined;
      const [child, unit] = await Promise.all([repo.childName(db, b.child_person_id), repo.unitWithService(db, b.unit_id)]);
      return { ...b, childName: child?.first_name ?? '', unitLabel: `${unit?.service_name} – ${unit?.label}` };
    },

    async notices(actor: FamilyActor) {
      return repo.noticesOf(db, actor.householdId);
    },

    canOverride: (auth: Auth) => hasRole(auth.user, 'admin', 'enfance') && !auth.actingHouseholdId,
  };
}

export type BookingsService = ReturnType<typeof bookingsService>;
