import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { day, form, text, uuid } from '../../platform/http/input.ts';
import { addDays, dayLabel } from '../../platform/calendar/calendar.domain.ts';
import type { CashDeskService } from '../invoicing/invoicing.cashdesk-service.ts';
import { CLOSING_COMMENT_MAX } from '../invoicing/invoicing.cashdesk.domain.ts';
import { CASHDESK_FLASH, CLOSING_REFUSALS } from '../invoicing/invoicing.outcomes.ts';
import { CashDayPage, cashDayUrl } from './payments.cashdesk-views.tsx';
import { cashJournalPdf } from './payments.cashdesk-pdf.ts';

const CashQuery = z.object({ jour: day.optional(), regie: uuid.optional() });
const JournalQuery = z.object({ jour: day, regie: uuid.optional() });
const CloseBody = form({ jour: day, regie: uuid, especes: text(30).optional(), commentaire: text(CLOSING_COMMENT_MAX * 4).optional() });

/** The cash-desk day, its closing and the closed day's journal (agents only, by the plugin; roles checked in the service). */
export function paymentsCashDeskRoutes(app: App, ctx: AppContext, cashDesk: CashDeskService) {
  const dayPage = async (req: FastifyRequest, regieId: string | null, jour: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined> } = {}) => {
    const today = ctx.clock.today();
    const view = await cashDesk.day(req.auth, regieId, jour);
    return CashDayPage({ ctx: req.pageCtx(), view, previous: addDays(jour, -1), next: jour < today ? addDays(jour, 1) : null, ...extra });
  };

  app.get('/agent/regie/caisse', { schema: { querystring: CashQuery } }, async (req, reply) => {
    const today = ctx.clock.today();
    const jour = req.query.jour && req.query.jour <= today ? req.query.jour : today;
    return reply.page(await dayPage(req, req.query.regie ?? null, jour));
  });

  app.post('/agent/regie/caisse/cloture', { schema: { body: CloseBody } }, async (req, reply) => {
    const b = req.body;
    const result = await cashDesk.close(req.auth, b.regie, b.jour, { counted: b.especes ?? '', comment: b.commentaire ?? '' });
    if (result.ok) return reply.flash(CASHDESK_FLASH.closed(dayLabel(b.jour, true))).seeOther(cashDayUrl(b.jour, b.regie));
    // A double click or a colleague closed it first: the day is closed, which is what was asked.
    if (result.code === 'already_closed') return reply.flash(CASHDESK_FLASH.alreadyClosed(dayLabel(b.jour, true), result.by)).seeOther(cashDayUrl(b.jour, b.regie));
    const errors = Object.fromEntries(Object.entries(result.errors).map(([field, code]) => [field, CLOSING_REFUSALS[code]]));
    const shown = b.jour <= ctx.clock.today() ? b.jour : ctx.clock.today();
    return reply.page(await dayPage(req, b.regie, shown, { errors, values: { especes: b.especes, commentaire: b.commentaire } }), 400);
  });

  app.get('/agent/regie/caisse/journal.pdf', { schema: { querystring: JournalQuery } }, async (req, reply) => {
    const journal = await cashDesk.closedJournal(req.auth, req.query.regie ?? null, req.query.jour);
    const body = await cashJournalPdf(ctx.config.town.name, journal);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="journal-de-caisse-${req.query.jour}.pdf"`).header('cache-control', 'no-store').send(body);
  });
}
