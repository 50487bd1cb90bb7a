import { isLockedDay, lockedDays, lockKey } from '../../platform/db/billing-locks.ts';
import { auditRead, READS } from '../../platform/audit/audit.repository.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import type { Attendance } from '../../platform/db/schema-services.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as bookingsRepo from '../bookings/bookings.shared-service.ts';
import * as repo from './attendance.repository.ts';
import { attendanceRefusal, kitchenDays, kitchenTable } from './attendance.domain.ts';
import type { Actor, Executor } from '../../platform/audit/audit.repository.ts';
import { addDays } from '../../platform/calendar/calendar.domain.ts';
import type { AttendanceRefusal, WalkInResult } from './attendance.outcomes.ts';
import { normaliseSearch } from '../households/households.domain.ts';

export const ATTENDANCE_LABELS: Record<Attendance, string> = {
  present: 'Présent',
  absent_unjustified: 'Absent',
  absent_justified: 'Absent, justifié',
  present_unbooked: 'Présent sans réservation',
};

/**
 * Attendance (animators on their groups; enfance and admin on all) and the kitchen's counts.
 * Stored on each booking: it is what invoicing reads.
 */
export function attendanceService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const seesAllGroups = (auth: Auth) => hasRole(auth.user, 'admin', 'enfance');

  async function group(auth: Auth | null, groupId: string) {
    assertRole(auth, 'admin', 'enfance', 'animateur');
    const g = await repo.findGroup(db, groupId);
    if (!g) throw new NotFoundError();
    if (!seesAllGroups(auth) && !(await repo.isAssigned(db, auth.user.id, groupId))) throw new ForbiddenError('Ce groupe n\'est pas le vôtre. Demandez à la coordination de vous y affecter.');
    return g;
  }

  /** Animators record today (the Paris day); the service corrects a short window the town sets. */
  const refusalFor = (auth: Auth, day: string) => attendanceRefusal(day, clock.today(), config.attendanceCorrectionDays, seesAllGroups(auth));
  /** A day of a month already invoiced: its attendance no longer changes (billing-locks.ts). */
  const billedRefusal = async (serviceId: string, day: string): Promise<AttendanceRefusal | null> => ((await isLockedDay(db, serviceId, day, clock.today())) ? 'billed' : null);

  return {
    async groups(auth: Auth | null) {
      assertRole(auth, 'admin', 'enfance', 'animateur');
      return repo.groupsFor(db, seesAllGroups(auth) ? null : auth.user.id);
    },

    /** The day's list of a group; reading it is an agent read of each family on it (audited, one insert). */
    async dayList(auth: Auth | null, groupId: string, day: string, read: 'attendance' | 'attendance_pdf' = 'attendance') {
      const g = await group(auth, groupId);
      const rows = await repo.listOfDay(db, groupId, day);
      await auditRead(db, clock, auth, rows.map((r) => r.household_id), read, `${READS[read]} du ${dayLabel(day)} (${g.name})`);
      return {
        group: g,
        rows: rows.map((r) => ({
          id: r.id,
          unitId: r.unit_id,
          unitLabel: `${r.service_name} – ${r.unit_label}`,
          firstName: r.first_name,
          lastName: r.last_name,
          classLevel: r.class_level,
          diet: r.diet,
          pai: r.has_pai === 1,
          allergy: !!r.allergies?.trim(),
          attendance: r.attendance,
          absenceDeclared: !!r.absence_declared_at,
        })),
        canJustify: seesAllGroups(auth!),
        /** Why this person cannot record attendance for this day, or null. */
        refusal: refusalFor(auth!, day),
      };
    },

    async mark(auth: Auth | null, groupId: string, bookingId: string, value: Exclude<Attendance, 'present_unbooked'>): Promise<Result<{ day: string }, AttendanceRefusal>> {
      await group(auth, groupId);
      if (value === 'absent_justified' && !seesAllGroups(auth!)) throw new ForbiddenError('Seul le service enfance peut justifier une absence.');
      const booking = await repo.bookingInGroup(db, bookingId, groupId);
      if (!booking || booking.status !== 'booked') throw new NotFoundError();
      const refusal = (await billedRefusal(booking.service_id, booking.day)) ?? refusalFor(auth!, booking.day);
      if (refusal) return fail(refusal);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (booking.attendance === 'present_unbooked') {
          // A child who came without booking stays billed as such when confirmed present;
          // marked absent, the walk-in was a mistake: it is withdrawn, never billed as an absence.
          if (value === 'present') return;
          if (await repo.undoWalkIn(tx, bookingId, auth!.user.id, now)) await bookingsRepo.releasePlace(tx, booking.slot_id);
          await writeAudit(tx, now, actorOf(auth!), { action: 'attendance.walk_in_withdrawn', targetType: 'household', targetId: booking.household_id, summary: `Pointage du ${dayLabel(booking.day, true)} : ${booking.first_name} n'est plus compté parmi les présents sans réservation` });
          return;
        }
        await repo.setAttendance(tx, bookingId, value, auth!.user.id, now);
        await writeAudit(tx, now, actorOf(auth!), { action: 'attendance.marked', targetType: 'household', targetId: booking.household_id, summary: `Pointage du ${dayLabel(booking.day, true)} : ${booking.first_name}, ${ATTENDANCE_LABELS[value].toLowerCase()}` });
      });
      return ok({ day: booking.day });
    },

    /** A group's counts for a day, after a tap (the JSON answer of the list's script). */
    async dayCounts(auth: Auth | null, groupId: string, day: string) {
      await group(auth, groupId);
      const [c] = await repo.countsOfDay(db, [groupId], day);
      const expected = Number(c?.expected ?? 0);
      const present = Number(c?.present ?? 0);
      const absent = Number(c?.absent ?? 0);
      return { expected, present, absent, done: present + absent };
    },

    async walkInCandidates(auth: Auth | null, groupId: string, search: string) {
      const g = await group(auth, groupId);
      const tokens = normaliseSearch(search).split(' ').filter(Boolean);
      if (tokens.length === 0) return [];
      // A facility's enrolled children fit in memory; matching here is accent- and case-insensitive on both engines.
      const all = await repo.walkInCandidates(db, groupId, g.facility_id);
      return all.filter((c) => tokens.every((t) => normaliseSearch(`${c.first_name} ${c.last_name}`).includes(t))).slice(0, 30);
    },

    /**
     * The health record of a child expected in the group: for its animators (and enfance/admin) only,
     * and every read is logged on the household, as for the enfance service.
     */
    async health(auth: Auth | null, groupId: string, bookingId: string) {
      const g = await group(auth, groupId);
      const row = await repo.healthOfBooking(db, bookingId, groupId);
      if (!row || row.status !== 'booked') throw new NotFoundError();
      await writeAudit(db, clock.now(), actorOf(auth!), { action: 'health.read', targetType: 'household', targetId: row.household_id, summary: `Fiche sanitaire de ${row.first_name} consultée (pointage ${g.name})` });
      return { group: g, child: row };
    },

    /** A child who came without booking: the place is taken even when full, and the day is billed with the surcharge. */
    async addWalkIn(auth: Auth | null, groupId: string, childId: string, unitId: string, day: string): Promise<Result<WalkInResult, AttendanceRefusal>> {
      const g = await group(auth, groupId);
      const refusal = refusalFor(auth!, day);
      if (refusal) return fail(refusal);
      const [enrolment, unit] = await Promise.all([repo.walkInEnrolment(db, groupId, g.facility_id, childId, unitId), bookingsRepo.unitWithService(db, unitId)]);
      if (!enrolment || !unit) throw new NotFoundError();
      const billed = await billedRefusal(unit.service_id, day);
      if (billed) return fail(billed);
      const now = clock.now();
      return db.transaction().execute(async (tx): Promise<Result<WalkInResult, AttendanceRefusal>> => {
        const existing = await bookingsRepo.findBooking(tx, childId, unitId, day);
        if (existing?.status === 'booked') {
          // Booked after all (perhaps in another group of the facility): simply present.
          await repo.setAttendance(tx, existing.id, existing.attendance === 'present_unbooked' ? 'present_unbooked' : 'present', auth!.user.id, now);
          await writeAudit(tx, now, actorOf(auth!), { action: 'attendance.marked', targetType: 'household', targetId: existing.household_id, summary: `Pointage du ${dayLabel(day, true)} : présent (${unit.service_name}, ${unit.label.toLowerCase()})` });
          return ok('present');
        }
        const slotId = await bookingsRepo.ensureSlot(tx, unitId, groupId, day);
        await bookingsRepo.takePlace(tx, slotId, true);
        // Waiting for a place and came anyway: off the waiting list.
        if (existing?.status === 'waiting') await bookingsRepo.leaveWaitingList(tx, existing.slot_id);
        const id = await bookingsRepo.writeBooking(tx, { childId, householdId: enrolment.household_id, serviceId: unit.service_id, unitId, slotId, day, status: 'booked', waitingRank: null, override: true }, now);
        await repo.setAttendance(tx, id, 'present_unbooked', auth!.user.id, now);
        await writeAudit(tx, now, actorOf(auth!), { action: 'attendance.walk_in', targetType: 'household', targetId: enrolment.household_id, summary: `Présent sans réservation le ${dayLabel(day, true)} (${unit.service_name}, ${unit.label.toLowerCase()})` });
        return ok('present_unbooked');
      });
    },

    async kitchen(auth: Auth | null, facilityId: string | undefined, day: string) {
      assertRole(auth, 'admin', 'restauration');
      const facilities = await repo.facilities(db);
      const facility = facilityId ? facilities.find((f) => f.id === facilityId) : facilities[0];
      if (facilityId && !facility) throw new NotFoundError();
      const rows = facility ? await repo.mealCounts(db, facility.id, day) : [];
      return { facilities, facility, table: kitchenTable(rows) };
    },
  };
}

export type AttendanceService = ReturnType<typeof attendanceService>;

/**
 * For the agent home (admin module): the groups of an animator (or all, userId null) with today's counts.
 * Counts only, no names: not a read of any family. Two queries whatever the number of groups.
 */
export async function groupsOfDay(db: Executor, userId: string | null, day: string) {
  const groups = await repo.groupsFor(db, userId);
  const counts = new Map((await repo.countsOfDay(db, groups.map((g) => g.id), day)).map((c) => [c.group_id, c]));
  return groups.map((g) => {
    const c = counts.get(g.id);
    return { ...g, expected: Number(c?.expected ?? 0), present: Number(c?.present ?? 0), absent: Number(c?.absent ?? 0) };
  });
}

/** For the cook's home: each facility's meals from `day` over the next `span` days (counts by diet, PAI, what to avoid). */
export async function kitchenWeek(db: Executor, day: string, span = 7) {
  const [facilities, rows] = await Promise.all([repo.facilities(db), repo.mealsOfSpan(db, day, addDays(day, span - 1))]);
  const days = kitchenDays(rows);
  return facilities.map((f) => ({ ...f, days: days.get(f.id) ?? [] }));
}

/** How far back a family may justify an absence (days). */
export const JUSTIFIABLE_DAYS_BACK = 90;

/**
 * The days a family may justify: its children's past booked days not marked present nor justified,
 * within JUSTIFIABLE_DAYS_BACK days, and not in a month already invoiced (billing-locks.ts), newest first.
 */
export async function justifiableDays(db: Executor, householdId: string, today: string) {
  const rows = await repo.missedBookedDays(db, householdId, addDays(today, -JUSTIFIABLE_DAYS_BACK), today);
  const locked = await lockedDays(db, rows.map((r) => ({ serviceId: r.service_id, day: r.day })), today);
  return rows.filter((r) => !locked.has(lockKey(r.service_id, r.day)));
}

/** One booking of the household for an absence request (another household's is undefined). */
export const bookingForAbsence = (db: Executor, householdId: string, bookingId: string) => repo.bookingOfHousehold(db, householdId, bookingId);

/**
 * A justified absence accepted by the town (the « absence justifiée » request): inside the caller's
 * transaction, the booking becomes « absent, justifié » (not billed), audited. Refused with a code when
 * the day's month is already invoiced (only a credit note corrects it) or the day is no longer a
 * booked absence (cancelled, or marked present).
 */
export async function justifyAbsence(tx: Executor, bookingId: string, actor: Actor, now: Date, today: string): Promise<Result<{ day: string }, 'billed' | 'not_absent'>> {
  const booking = await repo.bookingById(tx, bookingId);
  if (!booking) return fail('not_absent');
  if (await isLockedDay(tx, booking.service_id, booking.day, today)) return fail('billed');
  if (!(await repo.justifyBooking(tx, bookingId, actor.id, now))) return fail('not_absent');
  await writeAudit(tx, now, actor, { action: 'attendance.marked', targetType: 'household', targetId: booking.household_id, summary: `Pointage du ${dayLabel(booking.day, true)} : ${booking.first_name}, absent, justifié (certificat)` });
  return ok({ day: booking.day });
}
