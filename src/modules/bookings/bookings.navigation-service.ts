import type { AppContext } from '../../platform/context.ts';
import { periodSpans } from '../catalogue/catalogue.shared-service.ts';
import { monthPlace, openedRange, weekPlace } from './bookings.navigation.domain.ts';

/**
 * Where a page of the family's calendar stands among the periods the town has opened (one query of a
 * few rows): whether it has anything to book, and where « précédent / suivant » may go.
 */
export function navigationService(ctx: AppContext) {
  const spans = () => periodSpans(ctx.db);
  return {
    async week(day: string) {
      const all = await spans();
      return { ...weekPlace(all, day), opened: openedRange(all) };
    },
    async month(month: string) {
      const all = await spans();
      return { ...monthPlace(all, month), opened: openedRange(all) };
    },
  };
}
