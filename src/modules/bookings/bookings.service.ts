import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { bookingFormFacts, memberOf, membersOfPage } from '../households/households.shared-service.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { daysBetween, weekday } from '../../platform/calendar/calendar.domain.ts';
import { parseRule } from '../../platform/calendar/deadlines.domain.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { dayState, dayStatusOf, daySpan, exclusiveWith, MAX_CALENDAR_DAYS, MAX_PATTERN_DAYS, periodKindFor, type DayFacts, type DayState } from './bookings.domain.ts';
import { AUDIT, NOTICES } from './bookings.outcomes.ts';
import * as repo from './bookings.repository.ts';
import { arrivalStamp } from '../../platform/clock/arrival.ts';
import { bookingRecap } from './bookings.recap.ts';
import { bookingWrites, outcome, type Change, type ChangeResult, type Enrolment, type Prepared } from './bookings.writes.ts';
import { drawChildSentences, periodsToExplain, type DrawnDay } from '../catalogue/catalogue.shared-service.ts';
import { periodsToExplainNow, type PeriodNote } from './bookings.openings.domain.ts';
import { calendarPrices } from './bookings.prices.ts';

export type { Change, ChangeResult } from './bookings.writes.ts';

/**
 * Bookings: the calendar of each child and the changes families (or agents) make to it.
 * Every rule is checked here, at the instant of the request, whatever the page showed.
 */
export function bookingsService(ctx: AppContext) {
  const { db, clock } = ctx;
  const { applyChanges, notify } = bookingWrites(ctx);
  const recap = bookingRecap(ctx);

  /** Everything needed to judge days in [start, end] for some children: a fixed number of queries. */
  async function load(childIds: string[], start: string, end: string, executor: Executor = db, known?: Enrolment[]) {
    const enrolments = known ?? (await repo.acceptedEnrolments(executor, childIds));
    const [units, periods, closures, bookings] = await Promise.all([
      repo.unitsOf(executor, [...new Set(enrolments.map((e) => e.service_id))]),
      repo.periodsBetween(executor, start, end),
      repo.closuresBetween(executor, start, end),
      repo.bookingsOf(executor, childIds, start, end),
    ]);
    const positions = await repo.waitingPositions(executor, bookings.filter((b) => b.status === 'waiting').map((b) => b.id));
    const bookingByKey = new Map(bookings.map((b) => [`${b.child_person_id}|${b.unit_id}|${b.day}`, b]));
    // An enrolment's weekdays and deadline rules are parsed once, not for each of its days.
    const rulesOf = new Map<Enrolment, Pick<DayFacts, 'weekdays' | 'bookingRule' | 'cancellationRule'>>();
    const rules = (e: Enrolment) => {
      let r = rulesOf.get(e);
      if (!r) rulesOf.set(e, (r = { weekdays: e.weekdays.split(',').map(Number), bookingRule: parseRule(e.booking_rule), cancellationRule: parseRule(e.cancellation_rule) }));
      return r;
    };
    const facts = (e: Enrolment, unitId: string, day: string, now: Date): DayFacts => {
      const period = periods.find((p) => p.school_year_id === e.school_year_id && p.kind === periodKindFor(e.kind) && p.start_date <= day && p.end_date >= day) ?? null;
      const closure = closures.find((c) => c.day === day && (c.facility_id === null || c.facility_id === e.facility_id) && (c.service_id === null || c.service_id === e.service_id));
      const booking = bookingByKey.get(`${e.child_person_id}|${unitId}|${day}`);
      const active = booking && booking.status !== 'cancelled' && booking.status !== 'closed' ? booking : null;
      return {
        day,
        now,
        serviceKind: e.kind,
        ...rules(e),
        period,
        closure: closure?.reason ?? null,
        booking: active ? { status: active.status, position: positions.get(active.id) ?? null } : null,
      };
    };
    const bookingId = (childId: string, unitId: string, day: string) => bookingByKey.get(`${childId}|${unitId}|${day}`)?.id ?? null;
    /** A past day seen only for what the child held (no period, closure or deadline to work out). */
    const heldState = (childId: string, unitId: string, day: string): DayState => {
      const b = bookingByKey.get(`${childId}|${unitId}|${day}`);
      const kind = b?.status === 'booked' || b?.status === 'waiting' || b?.status === 'requested' ? b.status : 'free';
      return { kind, open: false, lock: 'deadline', position: b && kind === 'waiting' ? (positions.get(b.id) ?? null) : null };
    };
    return { enrolments, units, exclusive: exclusiveWith(units), bookingByKey, bookingId, facts, heldState, bookings };
  }

  /** What a form needs per change: the enrolment and unit it books, and the day's facts. */
  function prepare(loaded: Awaited<ReturnType<typeof load>>, change: Change, now: Date): Prepared | null {
    const unit = loaded.units.find((u) => u.id === change.unitId);
    const enrolment = unit && loaded.enrolments.find((e) => e.service_id === unit.service_id && e.child_person_id === change.childId);
    if (!unit || !enrolment) return null;
    const excludes = (loaded.exclusive.get(unit.id) ?? []).map((id) => ({ id, label: loaded.units.find((u) => u.id === id)!.label }));
    return { change, enrolment, unit, facts: loaded.facts(enrolment, unit.id, change.day, now), excludes };
  }

  async function childrenOf(actor: FamilyActor) {
    return (await membersOfPage(db, actor)).filter((m) => m.role === 'child');
  }

  // A page asks for the calendar, the period notes and the notices of one household at once: they
  // share one read of its children and their enrolments. The routes hand the same actor object
  // (`req.family`) to every call of one request, so keying by it scopes the reads to the request.
  // Writes never use these: they read again inside their transaction.
  const pageReads = new WeakMap<FamilyActor, Promise<{ children: Awaited<ReturnType<typeof childrenOf>>; enrolments: Enrolment[] }>>();
  function householdOfPage(actor: FamilyActor) {
    let reads = pageReads.get(actor);
    if (!reads) {
      reads = childrenOf(actor).then(async (children) => ({ children, enrolments: await repo.acceptedEnrolments(db, children.map((c) => c.id)) }));
      pageReads.set(actor, reads);
    }
    return reads;
  }

  return {
    /**
     * Month (or any range) of the household's children: each enrolled unit and each day with its
     * state; `exclusiveWith`: the ids of the units of the same service it does not combine with.
     * `heldOnlyBefore`: days before it carry only what the child held, all locked (the home page reads
     * four past weeks for the family's habits only: their periods, closures and deadlines are not worked out).
     */
    async calendar(actor: FamilyActor, start: string, end: string, options: { prices?: boolean; heldOnlyBefore?: string } = {}) {
      // Every caller asks for a month at most: a wider range is a bug, never hours of work.
      if (!(daySpan(start, end) <= MAX_CALENDAR_DAYS)) throw new RangeError(`calendar: ${start}..${end}`);
      const page = await householdOfPage(actor);
      const children = page.children;
      const now = clock.now();
      const { enrolments, units, exclusive, facts, heldState, bookingId, bookings } = await load(children.map((c) => c.id), start, end, db, page.enrolments);
      const detailFrom = options.heldOnlyBefore ?? start;
      // Pages that show prices load them once for the page (calendarPrices): a handful of queries, not one per day.
      const priceOf = options.prices ? await calendarPrices(db, { householdId: actor.householdId, start, end }, children, enrolments, bookings) : null;
      const days = daysBetween(start, end);
      return children.map((child) => {
        const rows = enrolments
          .filter((e) => e.child_person_id === child.id)
          .flatMap((e) =>
            units
              .filter((u) => u.service_id === e.service_id)
              .map((u) => ({
                serviceName: e.name,
                serviceKind: e.kind,
                unit: u,
                exclusiveWith: exclusive.get(u.id) ?? [],
                days: days.map((day) => {
                  const state = day < detailFrom ? heldState(child.id, u.id, day) : dayState(facts(e, u.id, day, now));
                  return { day, state, bookingId: bookingId(child.id, u.id, day), price: priceOf && state.kind !== 'closed' ? priceOf(child.id, e.service_id, u.id, day) : null };
                }),
              })),
          );
        return { child, rows };
      });
    },

    /** An agent's view of a household's calendar (for overrides). */
    async calendarOfHousehold(auth: Auth | null, householdId: string, day: string) {
      assertRole(auth, 'admin', 'enfance');
      return this.calendar({ auth, householdId, personId: null }, day, day);
    },

    /**
     * Family changes: the household from the session, each child checked against it. A change that
     * carries what its day looked like on the page (`shown`) is applied only if the person changed
     * that day on the page and nobody changed it since; a day changed since is reported as a
     * conflict. `arrival`: when the request came in (`req.receivedAt`: its waiting-list rank), now by default.
     */
    async applyFamilyChanges(actor: FamilyActor, changes: Change[], options: { skipClosed?: boolean; arrival?: number } = {}): Promise<ChangeResult[]> {
      const arrival = options.arrival ?? arrivalStamp();
      const household = await bookingFormFacts(db, actor.householdId);
      const children = new Set(household.childIds);
      if (changes.some((c) => !children.has(c.childId))) throw new NotFoundError();
      if (changes.length === 0) return [];
      // Only the days whose wish differs from what is booked are worked on (a month form sends every day).
      const days = changes.map((c) => c.day).sort();
      if (!(daySpan(days[0], days[days.length - 1]) <= MAX_PATTERN_DAYS)) throw new RangeError('applyFamilyChanges: range');
      const loaded = await load([...children], days[0], days[days.length - 1]);
      const now = clock.now();
      const early: ChangeResult[] = [];
      const items: Prepared[] = [];
      for (const change of changes.slice(0, 500)) {
        const item = prepare(loaded, change, now);
        if (!item) {
          if (!options.skipClosed) early.push(outcome(change, false, { code: 'not_enrolled' }));
          continue;
        }
        const current = dayStatusOf(item.facts.booking);
        if (change.shown !== undefined && current !== change.shown) {
          early.push(outcome(change, false, { code: 'conflict', current }));
          continue;
        }
        if ((current !== 'none') === change.want) continue;
        if (options.skipClosed && dayState(item.facts).kind === 'closed') continue;
        items.push(item);
      }
      // A guardian's form goes to the history as one entry (an agent at the counter leaves one per day).
      const read = actor.auth.user.kind === 'guardian' && items.length > 0 ? await recap.prepare(actor, household) : null;
      const record = read ? (tx: Executor, results: ChangeResult[]) => recap.record(tx, actor, read, [...early, ...results], now) : undefined;
      return [...early, ...(await applyChanges(actor.householdId, items, { override: false, auth: actor.auth, now, arrival, record }))];
    },

    /** Agents may book past a deadline or over capacity: recorded in the household's history. */
    async applyAgentOverride(auth: Auth | null, householdId: string, change: Change): Promise<ChangeResult> {
      const arrival = arrivalStamp();
      assertRole(auth, 'admin', 'enfance');
      const child = await memberOf(db, householdId, change.childId);
      if (!child || child.role !== 'child') throw new NotFoundError();
      const now = clock.now();
      const item = prepare(await load([change.childId], change.day, change.day), change, now);
      if (!item) return outcome(change, false, { code: 'not_enrolled' });
      const [result] = await applyChanges(householdId, [item], { override: true, auth, now, arrival });
      return result;
    },

    /**
     * « Semaine type »: the chosen weekdays of each chosen unit, over a range, in one action. The
     * range is checked before a single day is built (a form may send year 0 to 9999).
     */
    weeklyChanges(childIds: string[], unitIds: string[], weekdays: number[], start: string, end: string, want: boolean): Change[] {
      if (!(daySpan(start, end) <= MAX_PATTERN_DAYS)) throw new RangeError(`weeklyChanges: ${start}..${end}`);
      const days = daysBetween(start, end).filter((d) => weekdays.includes(weekday(d)));
      return childIds.flatMap((childId) => unitIds.flatMap((unitId) => days.map((day) => ({ childId, unitId, day, want }))));
    },

    /** An absence announced before the day, once the cancellation deadline has passed. */
    async declareAbsence(actor: FamilyActor, bookingId: string): Promise<Result<null, 'too_late'>> {
      const booking = await repo.findBookingById(db, bookingId);
      if (!booking || booking.household_id !== actor.householdId || booking.status !== 'booked') throw new NotFoundError();
      // Today in Paris: between midnight and 1 or 2 a.m. the UTC date is still yesterday's.
      if (booking.day <= clock.today()) return fail('too_late');
      await db.transaction().execute(async (tx) => {
        await repo.markAbsenceDeclared(tx, booking.id, clock.now());
        await writeAudit(tx, clock.now(), actorOf(actor.auth), { action: 'booking.absence_declared', targetType: 'household', targetId: actor.householdId, summary: AUDIT.absence(booking.day) });
      });
      return ok(null);
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
          await notify(tx, h, NOTICES.closedSubject, NOTICES.closed(input.day, input.reason), now);
        }
        await writeAudit(tx, now, actorOf(auth), { action: 'closure.created', targetType: 'closure', targetId: null, summary: AUDIT.closure(input.day, input.reason, bookings.length) });
        return { cancelled: bookings.length, households: households.length };
      });
    },

    /** A booking of this household, with names for the page; undefined for anyone else's. */
    async bookingOfHousehold(actor: FamilyActor, bookingId: string) {
      const b = await repo.findBookingById(db, bookingId);
      if (!b || b.household_id !== actor.householdId) return undefined;
      const [child, unit] = await Promise.all([repo.childName(db, b.child_person_id), repo.unitWithService(db, b.unit_id)]);
      return { ...b, childName: child?.first_name ?? '', unitLabel: `${unit?.service_name} – ${unit?.label}` };
    },

    /** The household's children, read once for the whole page (see householdOfPage). */
    async childrenOfPage(actor: FamilyActor) {
      return (await householdOfPage(actor)).children;
    },

    async notices(actor: FamilyActor) {
      return repo.noticesOf(db, actor.householdId);
    },

    /**
     * The periods this household is told about (bookings opening soon, places given by draw) and,
     * after a draw, what each child holds now (a place, or the place on the waiting list). 4 or 6
     * queries whatever the number of children and days; a drawn period where no child holds a day
     * is not shown.
     */
    async periodNotes(actor: FamilyActor): Promise<PeriodNote[]> {
      const today = clock.today();
      const now = clock.now();
      const [{ children, enrolments }, periods] = await Promise.all([householdOfPage(actor), periodsToExplain(db, today)]);
      const ids = children.map((c) => c.id);
      const stages = periodsToExplainNow(periods, enrolments.map((e) => ({ schoolYearId: e.school_year_id, kind: periodKindFor(e.kind) })), now, today);
      const drawn = stages.filter((s) => s.stage === 'drawn');
      if (drawn.length === 0) return stages.map((s) => ({ ...s, results: [] }));
      const start = drawn.map((s) => s.period.start_date).sort()[0];
      const end = drawn.map((s) => s.period.end_date).sort().reverse()[0];
      const held = await repo.heldBookingsOf(db, ids, start, end);
      const positions = await repo.waitingPositions(db, held.filter((h) => h.status === 'waiting').map((h) => h.id));
      const names = new Map(children.map((c) => [c.id, c.first_name]));
      return stages
        .map((s) => {
          if (s.stage !== 'drawn') return { ...s, results: [] };
          const days: DrawnDay[] = held
            .filter((h) => h.day >= s.period.start_date && h.day <= s.period.end_date && periodKindFor(h.kind) === s.period.kind && (h.status === 'booked' || positions.has(h.id)))
            .map((h) => ({ childId: h.child_person_id, firstName: names.get(h.child_person_id) ?? '', day: h.day, what: `${h.service_name} – ${h.unit_label}`, waitingPosition: h.status === 'waiting' ? positions.get(h.id)! : null }));
          return { ...s, results: drawChildSentences(days) };
        })
        .filter((n) => n.stage !== 'drawn' || n.results.length > 0);
    },

    canOverride: (auth: Auth) => hasRole(auth.user, 'admin', 'enfance') && !auth.actingHouseholdId,
  };
}

export type BookingsService = ReturnType<typeof bookingsService>;
