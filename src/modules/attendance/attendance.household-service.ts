import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { auditRead } from '../../platform/audit/audit.repository.ts';
import { monthDays, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { memberOf } from '../households/households.shared-service.ts';
import * as repo from './attendance.repository.ts';

/**
 * The counter's view of a child's month in one household: each day booked, waiting, cancelled, and the
 * attendance taken. For the service enfance and admins (those who open the household page); a child who is
 * not a member of that household answers 404; the read is audited on the household.
 */
export function householdMonthService(ctx: AppContext) {
  const { db, clock } = ctx;
  return {
    async monthOfChild(auth: Auth | null, householdId: string, childId: string, month: string) {
      assertRole(auth, 'admin', 'enfance');
      const child = await memberOf(db, householdId, childId);
      if (!child || child.role !== 'child') throw new NotFoundError();
      const days = monthDays(month);
      const rows = await repo.daysOfChild(db, householdId, childId, days[0], days[days.length - 1]);
      await auditRead(db, clock, auth, [householdId], 'attendance', `les réservations et présences de ${child.first_name} en ${monthLabel(month)}`);
      return { child, rows };
    },
  };
}

export type HouseholdMonthService = ReturnType<typeof householdMonthService>;
