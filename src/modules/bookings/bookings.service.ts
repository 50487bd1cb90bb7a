import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { sha256 } from '../../platform/security/secrets.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { childIdsOf, memberOf, membersOf } from '../households/households.shared-service.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { dayLabel, daysBetween, todayIn, weekday } from '../../platform/calendar/calendar.domain.ts';
import { parseRule } from '../../platform/calendar/deadlines.domain.ts';
import { dayState, drawOrder, periodKindFor, type DayFacts, type DayState } from './bookings.domain.ts';
import * as repo from './bookings.repository.ts';
import { bookingWrites, type Change, type ChangeResult, type Enrolment, type Prepared, type Unit } from './bookings.writes.ts';

export type { Change, ChangeResult } from './bookings.writes.ts';

const NOT_ENROLLED = 'Votre enfant n\'est pas inscrit à ce service : faites d\'abord une demande d\'inscription.';

/**
 * Bookings: the calendar of each child and the changes families (or agents) make to it.
 * Every rule is checked here, at the instant of the request, whatever the page showed.
 */
export function bookingsService(ctx: AppContext) {
  const { db, clock } = ctx;
  const { applyChanges, notify } = bookingWrites(ctx);

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
      if (booking.day <= clock.today()) return { ok: false as const, message: 'Une absence se signale avant le jour même. Pour aujourd\'hui, appelez l\'accueil.' };
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
