import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { requireFamily } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import type { FamilyService } from '../households/households.family-service.ts';
import { addDays, daysBetween, dayLabel, monthDays, todayIn } from '../../platform/calendar/calendar.domain.ts';
import type { BookingsService, Change } from './bookings.service.ts';
import { isDay } from '../catalogue/catalogue.domain.ts';
import * as v from './bookings.family-views.tsx';

const list = z.union([z.string(), z.array(z.string())]).optional().transform((r) => (Array.isArray(r) ? r : r ? [r] : []));
const KEY = /^([0-9a-f-]{36})\|([0-9a-f-]{36})\|(\d{4}-\d{2}-\d{2})$/;

const shiftMonth = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
};

/** The family's booking calendar: a month per page, a form per month, a weekly pattern, absences. */
export function bookingsFamilyRoutes(app: App, ctx: AppContext, bookings: BookingsService, family: FamilyService) {
  async function actorOf(req: FastifyRequest, reply: FastifyReply) {
    await requireFamily(req, reply);
    if (reply.sent) return null;
    const actor = familyActorOf(req.auth!);
    if (!actor) {
      reply.seeOther('/famille');
      return null;
    }
    return actor;
  }

  /** Names for the results page, from the calendar the family sees. */
  async function describe(actor: NonNullable<Awaited<ReturnType<typeof actorOf>>>, results: Awaited<ReturnType<BookingsService['applyFamilyChanges']>>) {
    if (results.length === 0) return [];
    const days = results.map((r) => r.day).sort();
    const calendars = await bookings.calendar(actor, days[0], days[0]);
    const names = new Map(calendars.map((c) => [c.child.id, c.child.first_name]));
    const units = new Map(calendars.flatMap((c) => c.rows.map((r) => [r.unit.id, `${r.serviceName.toLowerCase()}, ${r.unit.label.toLowerCase()}`] as const)));
    return results.map((r) => ({ ...r, childName: names.get(r.childId) ?? '', unitLabel: units.get(r.unitId) ?? '' }));
  }

  async function answer(req: FastifyRequest, reply: FastifyReply, actor: NonNullable<Awaited<ReturnType<typeof actorOf>>>, results: Awaited<ReturnType<BookingsService['applyFamilyChanges']>>, back: string) {
    if (req.headers.accept === 'application/json') return reply.send({ results });
    if (results.every((r) => r.ok)) {
      const n = results.filter((r) => r.message !== 'Aucun changement').length;
      return reply.flash(n === 0 ? 'Aucun changement : vos réservations étaient déjà ainsi.' : `${n} changement(s) enregistré(s).`).seeOther(back);
    }
    return reply.page(v.ResultsPage({ ctx: req.pageCtx(), results: await describe(actor, results), back }), 409);
  }

  app.get('/reservations', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const today = ctx.clock.today();
    const q = (req.query as { mois?: string }).mois;
    const month = q && /^20\d\d-(0[1-9]|1[0-2])$/.test(q) ? q : today.slice(0, 7);
    const days = monthDays(month);
    const [calendars, notices] = await Promise.all([bookings.calendar(actor, days[0], days[days.length - 1]), bookings.notices(actor)]);
    return reply.page(v.CalendarPage({ ctx: req.pageCtx(), today, month, prev: shiftMonth(month, -1), next: shiftMonth(month, 1), calendars, notices: notices.slice(0, 5) }));
  });

  app.post('/reservations', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const body = req.body as Record<string, unknown>;
    const wanted = new Set(list.parse(body.reserve));
    const changes: Change[] = [];
    for (const k of list.parse(body.affiche).slice(0, 500)) {
      const m = KEY.exec(k);
      if (m) changes.push({ childId: m[1], unitId: m[2], day: m[3], want: wanted.has(k) });
    }
    const month = typeof body.mois === 'string' && /^\d{4}-\d{2}$/.test(body.mois) ? body.mois : ctx.clock.today().slice(0, 7);
    return answer(req, reply, actor, await bookings.applyFamilyChanges(actor, changes), `/reservations?mois=${month}`);
  });

  async function patternPage(req: FastifyRequest, actor: NonNullable<Awaited<ReturnType<typeof actorOf>>>) {
    const today = ctx.clock.today();
    const calendars = await bookings.calendar(actor, today, today);
    const units = new Map(calendars.flatMap((c) => c.rows.map((r) => [r.unit.id, { id: r.unit.id, label: `${r.serviceName} (${r.unit.label})` }] as const)));
    return { children: calendars.filter((c) => c.rows.length > 0).map((c) => c.child), units: [...units.values()] };
  }

  app.get('/reservations/semaine-type', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const today = ctx.clock.today();
    return reply.page(v.WeeklyPatternPage({ ctx: req.pageCtx(), ...(await patternPage(req, actor)), values: { debut: today, fin: addDays(today, 27) } }));
  });

  app.post('/reservations/semaine-type', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const body = req.body as Record<string, unknown>;
    const selected = { enfants: list.parse(body.enfants), unites: list.parse(body.unites), jours: list.parse(body.jours) };
    const values = { debut: String(body.debut ?? ''), fin: String(body.fin ?? ''), action: String(body.action ?? '') };
    const errors: FieldErrors = {};
    if (selected.enfants.length === 0) errors.enfants = 'Choisissez au moins un enfant';
    if (selected.unites.length === 0) errors.unites = 'Choisissez au moins un service';
    if (selected.jours.length === 0 || selected.jours.some((d) => !/^[1-5]$/.test(d))) errors.jours = 'Choisissez au moins un jour de la semaine';
    if (!isDay(values.debut)) errors.debut = 'Saisissez une date de début valide';
    if (!isDay(values.fin)) errors.fin = 'Saisissez une date de fin valide';
    else if (isDay(values.debut) && values.fin < values.debut) errors.fin = 'La date de fin doit être après la date de début';
    else if (isDay(values.debut) && daysBetween(values.debut, values.fin).length > 93) errors.fin = 'Choisissez une période de trois mois au plus';
    if (values.action !== 'reserver' && values.action !== 'annuler') errors.action = 'Choisissez de réserver ou d\'annuler';
    if (selected.unites.some((u) => !isUuid(u)) || selected.enfants.some((c) => !isUuid(c))) throw new NotFoundError();
    if (Object.keys(errors).length > 0) return reply.page(v.WeeklyPatternPage({ ctx: req.pageCtx(), ...(await patternPage(req, actor)), errors, values, selected }), 400);
    const changes = bookings.weeklyChanges(selected.enfants, selected.unites, selected.jours.map(Number), values.debut, values.fin, values.action === 'reserver');
    const results = await bookings.applyFamilyChanges(actor, changes, { skipClosed: true });
    return answer(req, reply, actor, results, `/reservations?mois=${values.debut.slice(0, 7)}`);
  });

  app.get('/reservations/absence/:id', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const { id } = req.params as { id: string };
    const booking = isUuid(id) ? await bookings.bookingOfHousehold(actor, id) : undefined;
    if (!booking) throw new NotFoundError();
    return reply.page(v.AbsencePage({ ctx: req.pageCtx(), bookingId: id, summary: `${booking.childName} ne viendra pas le ${dayLabel(booking.day, true)} (${booking.unitLabel.toLowerCase()}).` }));
  });

  app.post('/reservations/absence/:id', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const { id } = req.params as { id: string };
    if (!isUuid(id)) throw new NotFoundError();
    const result = await bookings.declareAbsence(actor, id);
    if (!result.ok) {
      const booking = await bookings.bookingOfHousehold(actor, id);
      return reply.page(v.AbsencePage({ ctx: req.pageCtx(), bookingId: id, summary: booking ? `${booking.childName}, ${dayLabel(booking.day, true)}` : '', error: result.message }), 400);
    }
    return reply.flash('L\'absence est signalée à l\'équipe.').seeOther('/reservations');
  });
}
