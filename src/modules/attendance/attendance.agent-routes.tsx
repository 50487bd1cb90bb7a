import type { App } from '../../platform/http/app-type.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { addDays, todayIn } from '../../platform/calendar/calendar.domain.ts';
import { isDay } from '../catalogue/catalogue.domain.ts';
import type { Attendance } from '../../platform/db/schema-services.ts';
import type { AttendanceService } from './attendance.service.ts';
import { attendanceSheet, kitchenSheet } from './attendance.pdf.ts';
import * as v from './attendance.views.tsx';

const MARKS: Attendance[] = ['present', 'absent_unjustified', 'absent_justified'];

/** Attendance on a phone, attendance sheets, and the kitchen's count. */
export function attendanceAgentRoutes(app: App, ctx: AppContext, attendance: AttendanceService) {
  const dayOf = (req: FastifyRequest) => {
    const d = (req.query as { jour?: string }).jour;
    return isDay(d) ? d : ctx.clock.today();
  };
  const groupOf = (req: FastifyRequest) => {
    const { groupId } = req.params as { groupId: string };
    if (!isUuid(groupId)) throw new NotFoundError();
    return groupId;
  };
  const pdf = (reply: import('fastify').FastifyReply, name: string, body: Buffer) =>
    reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).header('cache-control', 'no-store').send(body);

  app.get('/agent/pointage', async (req, reply) => reply.page(v.GroupsPage({ ctx: req.pageCtx(), groups: await attendance.groups(req.auth), day: ctx.clock.today() })));

  app.get('/agent/pointage/:groupId', async (req, reply) => {
    const groupId = groupOf(req);
    const day = dayOf(req);
    const search = String((req.query as { recherche?: string }).recherche ?? '').slice(0, 60);
    const list = await attendance.dayList(req.auth, groupId, day);
    const candidates = search && day <= ctx.clock.today() ? await attendance.walkInCandidates(req.auth, groupId, search) : [];
    return reply.page(v.DayListPage({ ctx: req.pageCtx(), ...list, day, prev: addDays(day, -1), next: addDays(day, 1), search, candidates, ahead: day > ctx.clock.today() }));
  });

  app.post('/agent/pointage/:groupId/ajout', async (req, reply) => {
    const groupId = groupOf(req);
    const body = req.body as { enfant?: string; unite?: string };
    if (!isUuid(body.enfant ?? '') || !isUuid(body.unite ?? '')) throw new NotFoundError();
    const day = dayOf(req);
    const result = await attendance.addWalkIn(req.auth, groupId, body.enfant!, body.unite!, day);
    return reply.flash(result === 'present' ? 'L\'enfant avait une réservation : il est pointé présent.' : 'L\'enfant est ajouté, présent sans réservation.').seeOther(`/agent/pointage/${groupId}?jour=${day}`);
  });

  app.post('/agent/pointage/:groupId/:bookingId', async (req, reply) => {
    const groupId = groupOf(req);
    const { bookingId } = req.params as { bookingId: string };
    const value = (req.body as { etat?: string }).etat as Attendance;
    if (!isUuid(bookingId) || !MARKS.includes(value)) throw new NotFoundError();
    const day = dayOf(req);
    await attendance.mark(req.auth, groupId, bookingId, value);
    // Back to the same child: on a phone the list keeps its place.
    return reply.seeOther(`/agent/pointage/${groupId}?jour=${day}#b-${bookingId}`);
  });

  app.get('/agent/pointage/:groupId/sante/:bookingId', async (req, reply) => {
    const groupId = groupOf(req);
    const { bookingId } = req.params as { bookingId: string };
    if (!isUuid(bookingId)) throw new NotFoundError();
    const day = dayOf(req);
    reply.header('cache-control', 'no-store');
    return reply.page(v.HealthPage({ ctx: req.pageCtx(), day, ...(await attendance.health(req.auth, groupId, bookingId)) }));
  });

  app.get('/agent/pointage/:groupId/feuille.pdf', async (req, reply) => {
    const groupId = groupOf(req);
    const day = dayOf(req);
    const list = await attendance.dayList(req.auth, groupId, day);
    return pdf(reply, `presence-${day}.pdf`, await attendanceSheet(ctx.config.town.name, `${list.group.facility_name} – ${list.group.name}`, day, list.rows));
  });

  app.get('/agent/cuisine', async (req, reply) => {
    const q = req.query as { etablissement?: string };
    const day = dayOf(req);
    return reply.page(v.KitchenPage({ ctx: req.pageCtx(), day, ...(await attendance.kitchen(req.auth, q.etablissement, day)) }));
  });

  app.get('/agent/cuisine.pdf', async (req, reply) => {
    const q = req.query as { etablissement?: string };
    const day = dayOf(req);
    const k = await attendance.kitchen(req.auth, q.etablissement, day);
    if (!k.facility) throw new NotFoundError();
    return pdf(reply, `repas-${day}.pdf`, await kitchenSheet(ctx.config.town.name, k.facility.name, day, k.table));
  });
}
