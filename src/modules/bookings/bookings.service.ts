import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { sha256 } from '../../platform/security/secrets.ts';
import { actorOf } from '../identity/identity.service.ts';
import { memberOf, membersOf } from '../households/households.repository.ts';
import type { FamilyActor } from '../households/households.family-service.ts';
import { dayLabel, daysBetween, weekday } from '../catalogue/calendar.domain.ts';
import { parseRule } from './deadlines.domain.ts';
import { dayState, decideChange, drawOrder, periodKindFor, type DayFacts, type DayState } from './bookings.domain.ts';
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

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

type Enrolment = Awaited<ReturnType<typeof repo.acceptedEnrolments>>[number];
type Unit = Awaited<ReturnType<typeof repo.unitsOf>>[number];

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
    const [child, unit] = await Promise.all([repo.childName(tx, next.child_person_id), repo.unitWithService(tx, next.unit_id)]);
    await notify(tx, next.household_id, 'Une place s\'est libérée', `Une place s'est libérée : ${child?.first_name} est maintenant inscrit(e) ${unit?.service_name.toLowerCase()} (${unit?.label.toLowerCase()}) le ${dayLabel(next.day, true)}.`, now);
  }

  /** Applies one change in its own transaction; places are taken or released atomically. */
  async function applyOne(householdId: string, change: Change, override: boolean, actorLabel: string, auth: Auth): Promise<ChangeResult> {
    const now = clock.now();
    const { enrolments, units, facts } = await load([change.childId], change.day, change.day);
    const unit = units.find((u) => u.id === change.unitId);
    const enrolment = unit && enrolments.find((e) => e.service_id === unit.service_id);
    if (!unit || !enrolment) return { ...change, ok: false, message: 'Votre enfant n\'est pas inscrit à ce service : faites d\'abord une demande d\'inscription.' };
    return applyPrepared(householdId, change, override, actorLabel, auth, enrolment, unit, facts(enrolment, unit.id, change.day, now), now);
  }

  /** The change once its facts are known (loaded once for a whole form); the rules are checked again here. */
  async function applyPrepared(householdId: string, change: Change, override: boolean, actorLabel: string, auth: Auth, enrolment: Enrolment, unit: Unit, dayFacts: DayFacts, now: Date): Promise<ChangeResult> {
    const decision = decideChange(dayFacts, change.want, override);
    if (!decision.ok) return { ...change, ok: false, message: decision.message };
    if (decision.action === 'none') return { ...change, ok: true, message: 'Aucun changement' };
    const groupId = enrolment.group_id ?? (await repo.firstGroupOf(db, enrolment.facility_id))?.id;
    if (!groupId) return { ...change, ok: false, message: 'Ce service n\'a pas encore de groupe : adressez-vous à la mairie.' };

    const write = () => db.transaction().execute(async (tx) => {
      const slotId = await repo.ensureSlot(tx, unit.id, groupId, change.day);
      const existing = await repo.findBooking(tx, change.childId, unit.id, change.day);
      const write = (status: 'booked' | 'waiting' | 'requested', waitingRank: number | null) =>
        repo.writeBooking(tx, { childId: change.childId, householdId, serviceId: unit.service_id, unitId: unit.id, slotId, day: change.day, status, waitingRank, override }, now, existing ?? null);
      let message: string;
      if (decision.action === 'cancel') {
        if (!existing || !(await repo.setStatus(tx, existing.id, ['booked', 'waiting', 'requested'], 'cancelled', now, { waiting_rank: null }))) return { ...change, ok: true, message: 'Aucun changement' };
        if (existing.status === 'booked') {
          await repo.releasePlace(tx, existing.slot_id);
          await promoteNext(tx, existing.slot_id, now);
        }
        message = 'Annulé';
      } else if (decision.action === 'request') {
        await write('requested', null);
        message = 'Demande enregistrée : les places seront attribuées après la clôture des demandes';
      } else if (existing && (existing.status === 'booked' || existing.status === 'waiting')) {
        message = 'Aucun changement';
      } else if (await repo.takePlace(tx, slotId, override)) {
        await write('booked', null);
        message = 'Réservé';
      } else {
        const rank = await repo.nextWaitingRank(tx);
        const id = await write('waiting', rank);
        const position = (await repo.waitingPositions(tx, [id])).get(id) ?? 1;
        message = `Complet : inscrit(e) sur la liste d'attente, ${position}${position === 1 ? 'ᵉʳ' : 'ᵉ'}`;
      }
      if (override) {
        await writeAudit(tx, now, actorOf(auth), { action: 'booking.override', targetType: 'household', targetId: householdId, summary: `${actorLabel} : ${message.toLowerCase()} pour le ${dayLabel(change.day, true)} (dérogation aux délais ou à la capacité)` });
      } else if (auth.user.kind === 'agent') {
        await writeAudit(tx, now, actorOf(auth), { action: 'booking.changed', targetType: 'household', targetId: householdId, summary: `Réservation du ${dayLabel(change.day, true)} : ${message.toLowerCase()}` });
      }
      return { ...change, ok: true, message };
    });
    try {
      return await write();
    } catch (err) {
      // Two submissions of the same day at once (a double click): the unique row wins, the other reruns and sees it.
      if (isUniqueViolation(err)) return write();
      throw err;
    }
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
      const children = new Set((await childrenOf(actor)).map((c) => c.id));
      if (changes.some((c) => !children.has(c.childId))) throw new NotFoundError();
      if (changes.length === 0) return [];
      // Only the days whose wish differs from what is booked are worked on (a month form sends every day).
      const days = changes.map((c) => c.day).sort();
      const { enrolments, units, facts } = await load([...children], days[0], days[days.length - 1]);
      const now = clock.now();
      const results: ChangeResult[] = [];
      const label = actorOf(actor.auth).label;
      for (const change of changes.slice(0, 500)) {
        const unit = units.find((u) => u.id === change.unitId);
        const enrolment = unit && enrolments.find((e) => e.service_id === unit.service_id && e.child_person_id === change.childId);
        if (enrolment) {
          const f = facts(enrolment, change.unitId, change.day, now);
          const has = !!f.booking;
          if (has === change.want) continue;
          if (options.skipClosed && dayState(f).kind === 'closed') continue;
        } else if (options.skipClosed) continue;
        results.push(enrolment && unit ? await applyPrepared(actor.householdId, change, false, label, actor.auth, enrolment, unit, facts(enrolment, change.unitId, change.day, now), now) : await applyOne(actor.householdId, change, false, label, actor.auth));
      }
      return results;
    },

    /** Agents may book past a deadline or over capacity: recorded in the household's history. */
    async applyAgentOverride(auth: Auth | null, householdId: string, change: Change): Promise<ChangeResult> {
      assertRole(auth, 'admin', 'enfance');
      const child = await memberOf(db, householdId, change.childId);
      if (!child || child.role !== 'child') throw new NotFoundError();
      return applyOne(householdId, change, true, actorOf(auth).label, auth);
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
      const today = clock.now().toISOString().slice(0, 10);
      if (booking.day <= today) return { ok: false as const, message: 'Une absence se signale avant le jour même. Pour aujourd\'hui, appelez l\'accueil.' };
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
        await repo.insertClosure(tx, { ...input, by: auth.user.id }, now);
        const bookings = await repo.activeBookingsOfDay(tx, input.day, input.facilityId, input.serviceId);
        for (const b of bookings) await repo.setStatus(tx, b.id, ['booked', 'waiting', 'requested'], 'closed', now, { waiting_rank: null });
        await repo.resetSlotsOfDay(tx, [...new Set(bookings.map((b) => b.slot_id))]);
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
              await repo.setStatus(tx, r.id, ['requested'], 'waiting', now, { waiting_rank: await repo.nextWaitingRank(tx) });
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
