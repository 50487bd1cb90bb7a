import type { App } from '../../platform/http/app-type.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { day, form, text, uuid } from '../../platform/http/input.ts';
import { addDays } from '../../platform/calendar/calendar.domain.ts';
import type { AttendanceService } from './attendance.service.ts';
import { ATTENDANCE_REFUSALS, WALK_IN_RESULTS, type MarkAnswer } from './attendance.outcomes.ts';
import { ATTENDANCE_LABELS } from './attendance.service.ts';
import { attendanceSheet, kitchenSheet } from './attendance.pdf.ts';
import * as v from './attendance.views.tsx';

// Route shapes: a malformed id is a 404, a malformed day or value a 400 (never today by default
// when a day was sent: a mistyped day must not record attendance on another one).
const GroupParams = z.object({ groupId: uuid });
const BookingParams = z.object({ groupId: uuid, bookingId: uuid });
const DayQuery = z.object({ jour: day.optional() });
const ListQuery = z.object({ jour: day.optional(), recherche: text(200).optional() });
const KitchenQuery = z.object({ jour: day.optional(), etablissement: uuid.optional() });
const MarkBody = form({ etat: z.enum(['present', 'absent_unjustified', 'absent_justified'], { error: 'Choisissez présent, absent ou absent justifié' }) });
const WalkInBody = form({ enfant: uuid, unite: uuid });

/** Attendance on a phone, attendance sheets, and the kitchen's count. Agents only (plugin); roles in the service. */
export function attendanceAgentRoutes(app: App, ctx: AppContext, attendance: AttendanceService) {
  const dayOf = (query: { jour?: string }) => query.jour ?? ctx.clock.today();
  const pdf = (reply: FastifyReply, name: string, body: Buffer) =>
    reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).header('cache-control', 'no-store').send(body);

  /** The day's list of a group, with the candidates matching a search when attendance can be taken. */
  const listPage = async (req: FastifyRequest, groupId: string, day: string, search: string) => {
    const list = await attendance.dayList(req.auth, groupId, day);
    const candidates = search && !list.refusal ? await attendance.walkInCandidates(req.auth, groupId, search) : [];
    return v.DayListPage({ ctx: req.pageCtx(), ...list, day, prev: addDays(day, -1), next: addDays(day, 1), search, candidates });
  };

  app.get('/agent/pointage', async (req, reply) => reply.page(v.GroupsPage({ ctx: req.pageCtx(), groups: await attendance.groups(req.auth), day: ctx.clock.today() })));

  app.get('/agent/pointage/:groupId', { schema: { params: GroupParams, querystring: ListQuery } }, async (req, reply) => {
    const search = (req.query.recherche ?? '').slice(0, 60);
    return reply.page(await listPage(req, req.params.groupId, dayOf(req.query), search));
  });

  app.post('/agent/pointage/:groupId/ajout', { schema: { params: GroupParams, querystring: DayQuery, body: WalkInBody } }, async (req, reply) => {
    const { groupId } = req.params;
    const day = dayOf(req.query);
    const result = await attendance.addWalkIn(req.auth, groupId, req.body.enfant, req.body.unite, day);
    if (!result.ok) return reply.page(await listPage(req, groupId, day, ''), 409);
    return reply.flash(WALK_IN_RESULTS[result.value]).seeOther(`/agent/pointage/${groupId}?jour=${day}`);
  });

  app.post('/agent/pointage/:groupId/:bookingId', { schema: { params: BookingParams, querystring: DayQuery, body: MarkBody } }, async (req, reply) => {
    const { groupId, bookingId } = req.params;
    const result = await attendance.mark(req.auth, groupId, bookingId, req.body.etat);
    // The list's script asks for JSON: the same form, saved without a page load (progressive enhancement).
    if (req.headers.accept === 'application/json') {
      if (!result.ok) return reply.code(409).send({ ok: false, outcome: result.code, message: ATTENDANCE_REFUSALS[result.code] } satisfies MarkAnswer);
      const counts = await attendance.dayCounts(req.auth, groupId, result.value.day);
      const state = req.body.etat;
      return reply.send({ ok: true, outcome: 'marked', state, label: ATTENDANCE_LABELS[state], tone: state === 'present' ? 'green' : 'red', counts, countText: v.countText(counts.expected, counts.done) } satisfies MarkAnswer);
    }
    // Refused: the list of the booking's day says why (ahead, not today, locked).
    if (!result.ok) return reply.page(await listPage(req, groupId, dayOf(req.query), ''), 409);
    // Back to the same child: on a phone the list keeps its place.
    return reply.seeOther(`/agent/pointage/${groupId}?jour=${result.value.day}#b-${bookingId}`);
  });

  app.get('/agent/pointage/:groupId/sante/:bookingId', { schema: { params: BookingParams, querystring: DayQuery } }, async (req, reply) => {
    const { groupId, bookingId } = req.params;
    reply.header('cache-control', 'no-store');
    return reply.page(v.HealthPage({ ctx: req.pageCtx(), day: dayOf(req.query), ...(await attendance.health(req.auth, groupId, bookingId)) }));
  });

  app.get('/agent/pointage/:groupId/feuille.pdf', { schema: { params: GroupParams, querystring: DayQuery } }, async (req, reply) => {
    const day = dayOf(req.query);
    const list = await attendance.dayList(req.auth, req.params.groupId, day, 'attendance_pdf');
    return pdf(reply, `presence-${day}.pdf`, await attendanceSheet(ctx.config.town.name, `${list.group.facility_name} – ${list.group.name}`, day, list.rows));
  });

  app.get('/agent/cuisine', { schema: { querystring: KitchenQuery } }, async (req, reply) => {
    const day = dayOf(req.query);
    return reply.page(v.KitchenPage({ ctx: req.pageCtx(), day, ...(await attendance.kitchen(req.auth, req.query.etablissement, day)) }));
  });

  app.get('/agent/cuisine.pdf', { schema: { querystring: KitchenQuery } }, async (req, reply) => {
    const day = dayOf(req.query);
    const k = await attendance.kitchen(req.auth, req.query.etablissement, day);
    if (!k.facility) throw new NotFoundError();
    return pdf(reply, `repas-${day}.pdf`, await kitchenSheet(ctx.config.town.name, k.facility.name, day, k.table));
  });
}
