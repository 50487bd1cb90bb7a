import type { AppContext } from '../../platform/context.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { addDays, parisHour } from '../../platform/calendar/calendar.domain.ts';
import type { FamilyService } from '../households/households.family-service.ts';
import type { BookingsService } from '../bookings/bookings.service.ts';
import { openRequestsOfHousehold } from '../requests/requests.shared-service.ts';
import { pendingEnrolmentsOfHousehold } from '../enrolments/enrolments.shared-service.ts';
import { isDrawNotice } from '../catalogue/catalogue.shared-service.ts';
import { currentNews, unreadMessages } from '../messaging/messaging.shared-service.ts';
import { AHEAD_DAYS, deadlinesToBook, HISTORY_DAYS, homeLists, shownWeek, weekOf } from './home.domain.ts';

/**
 * The family's home page as a to-do list (home.domain.ts has the rules). Everything is read in a
 * fixed number of queries whatever the number of children, days or requests: the household's
 * overview, one calendar read over 4 weeks back and 20 days ahead (the bookings module's, the same
 * as a month page), the periods to explain, the open requests and the pending enrolments.
 */
export function homeService(ctx: AppContext, family: FamilyService, bookings: BookingsService) {
  const { db, clock } = ctx;
  return {
    async home(actor: FamilyActor) {
      const now = clock.now();
      const today = clock.today();
      const week = shownWeek(today, parisHour(now));
      const [overview, calendars, notes, requests, enrolments, unread, news] = await Promise.all([
        family.overview(actor, { quotient: false, shareMembers: true }),
        // The weeks before the one shown only say which days the family usually books (its habits).
        bookings.calendar(actor, addDays(today, -HISTORY_DAYS), addDays(today, AHEAD_DAYS), { heldOnlyBefore: week.monday < today ? week.monday : today }),
        bookings.periodNotes(actor),
        openRequestsOfHousehold(db, actor.householdId),
        pendingEnrolmentsOfHousehold(db, actor.householdId),
        unreadMessages(db, actor, now),
        currentNews(db, today),
      ]);
      const lists = homeLists({ now, deadlines: deadlinesToBook(calendars, now, today), notes, requests, enrolments, changes: overview.changes, notices: overview.notices, isDrawNotice });
      const weeks = new Map(calendars.map((c) => [c.child.id, c.rows.length > 0 ? weekOf(c, week.monday) : null]));
      return { household: overview.household, members: overview.members, lists, week, weeks, unread, news };
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
