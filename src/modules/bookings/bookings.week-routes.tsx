import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { day } from '../../platform/http/input.ts';
import { addDays, mondayOf } from '../../platform/calendar/calendar.domain.ts';
import type { BookingsService } from './bookings.service.ts';
import { navigationService } from './bookings.navigation-service.ts';
import { OutOfPeriodPage, weekLabel, WeekPage } from './bookings.week-views.tsx';

/** « Aller à la date » sent empty is the current week; any day is taken to its week's Monday. */
const WeekQuery = z.object({ du: z.preprocess((v) => (v === '' ? undefined : v), day.optional()) });

/**
 * The week view of the household's calendar (phones): every child, one week, one form. The form posts
 * to `POST /reservations` (bookings.family-routes.tsx) with `semaine`, which brings the family back here.
 */
export function bookingsWeekRoutes(app: App, ctx: AppContext, bookings: BookingsService) {
  const navigation = navigationService(ctx);
  app.get('/reservations/semaine', { onRequest: requireHousehold, schema: { querystring: WeekQuery } }, async (req, reply) => {
    const actor = familyOf(req);
    const today = ctx.clock.today();
    // Only weeks that meet a period the town has opened: others have nothing to book, and say so.
    const monday = mondayOf(req.query.du ?? today);
    const [place, calendars] = await Promise.all([navigation.week(monday), bookings.calendar(actor, monday, addDays(monday, 6), { prices: true })]);
    const { opened } = place;
    if (!place.inside) return reply.page(OutOfPeriodPage({ ctx: req.pageCtx(), what: `la ${weekLabel(place.monday)}`, nearest: place.nearest, opened, view: 'week' }));
    return reply.page(WeekPage({ ctx: req.pageCtx(), today, monday: place.monday, prev: place.prev, next: place.next, opened, calendars }));
  });
}
