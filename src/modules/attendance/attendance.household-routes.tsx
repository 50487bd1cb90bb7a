import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { idParams, month, uuid } from '../../platform/http/input.ts';
import type { HouseholdMonthService } from './attendance.household-service.ts';
import { monthDetailUrl } from './attendance.household-section.tsx';
import { ChildMonthPage } from './attendance.household-views.tsx';

const MonthQuery = z.object({ enfant: uuid, mois: month.optional() });

const shiftMonth = (m: string, n: number) => {
  const d = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1 + n, 1));
  const next = d.toISOString().slice(0, 7);
  return /^20\d\d-/.test(next) ? next : m;
};

/** The counter's « jour par jour » of a child, from the household page (agents only: plugin; roles in the service). */
export function attendanceHouseholdRoutes(app: App, ctx: AppContext, months: HouseholdMonthService) {
  app.get('/agent/foyers/:id/presences', { schema: { params: idParams, querystring: MonthQuery } }, async (req, reply) => {
    const { id } = req.params;
    const shown = req.query.mois ?? ctx.clock.today().slice(0, 7);
    const { child, rows } = await months.monthOfChild(req.auth, id, req.query.enfant, shown);
    const url = (m: string) => monthDetailUrl(id, child.id, m);
    return reply.page(ChildMonthPage({ ctx: req.pageCtx(), householdId: id, child, month: shown, prev: shiftMonth(shown, -1), next: shiftMonth(shown, 1), rows, url }));
  });
}
