import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { requireFamily } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { EnrolmentStatus } from '../../platform/db/schema-services.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import type { FamilyService } from '../households/households.family-service.ts';
import { isRequestStatus } from '../requests/requests.domain.ts';
import { decisionFlash, parseDecision } from '../requests/requests.routes.tsx';
import type { Answers, EnrolmentsService } from './enrolments.service.ts';
import * as v from './enrolments.views.tsx';

/** The answers of the flow: only id-shaped values are kept (anything else is « not answered »). */
function answersOf(source: unknown): Answers {
  const s = (source ?? {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof s[k] === 'string' && isUuid(s[k] as string) ? (s[k] as string) : undefined);
  return { enfant: pick('enfant'), service: pick('service'), annee: pick('annee') };
}

/**
 * « Inscrire un enfant à un service »: one question per page (child, service, year), then « Vérifiez vos réponses »,
 * then a confirmation with the reference. The answers travel in the query string; each page validates its own
 * answer when sent (continuer=1) and goes on to the next page, or back to the check page when changing an answer.
 */
export function enrolmentsFamilyRoutes(app: App, _ctx: AppContext, enrolments: EnrolmentsService, family: FamilyService) {
  async function actorOf(req: FastifyRequest, reply: FastifyReply): Promise<FamilyActor | null> {
    await requireFamily(req, reply);
    if (reply.sent) return null;
    const actor = familyActorOf(req.auth!);
    if (!actor) {
      reply.seeOther('/famille');
      return null;
    }
    return actor;
  }
  const flags = (req: FastifyRequest) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    return { sent: q.continuer === '1', fromCheck: q.verifier === '1' };
  };
  /** After a valid answer: the next question, or the check page when the family was changing an answer. */
  const next = (step: 'service' | 'annee' | 'verifier', answers: Answers, fromCheck: boolean) => v.stepUrl(fromCheck ? 'verifier' : step, answers);

  app.get(v.STEP_URLS.enfant, async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req);
    const f = await enrolments.flow(actor, answers);
    if (sent && f.child) return reply.seeOther(next('service', answers, fromCheck));
    const errors = sent ? { enfant: 'Choisissez l\'enfant à inscrire' } : undefined;
    return reply.page(v.ChildStepPage({ ctx: req.pageCtx(), kids: f.children, answers, fromCheck, errors }), errors ? 400 : 200);
  });

  app.get(v.STEP_URLS.service, async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req);
    const f = await enrolments.flow(actor, answers);
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers));
    if (sent && f.service) return reply.seeOther(next('annee', answers, fromCheck));
    const errors = sent ? { service: 'Choisissez un service' } : undefined;
    return reply.page(v.ServiceStepPage({ ctx: req.pageCtx(), child: f.child, services: f.services, answers, fromCheck, errors }), errors ? 400 : 200);
  });

  app.get(v.STEP_URLS.annee, async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req);
    const f = await enrolments.flow(actor, answers);
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers));
    if (!f.service) return reply.seeOther(v.stepUrl('service', answers, fromCheck));
    if (sent && f.year) return reply.seeOther(next('verifier', answers, fromCheck));
    const errors = sent ? { annee: 'Choisissez l\'année scolaire' } : undefined;
    return reply.page(v.YearStepPage({ ctx: req.pageCtx(), child: f.child, years: f.years, answers, fromCheck, errors }), errors ? 400 : 200);
  });

  app.get(v.STEP_URLS.verifier, async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const answers = answersOf(req.query);
    const f = await enrolments.flow(actor, answers);
    // An answer missing or no longer valid (e.g. the child changed): back to that question, keeping the others.
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers, true));
    if (!f.service) return reply.seeOther(v.stepUrl('service', answers, true));
    if (!f.year) return reply.seeOther(v.stepUrl('annee', answers, true));
    return reply.page(v.CheckPage({ ctx: req.pageCtx(), child: f.child, service: f.service, year: f.year, answers }));
  });

  app.post(v.FLOW, async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const answers = answersOf(req.body);
    const result = await enrolments.submit(actor, answers);
    if (result.ok) return reply.seeOther(`/inscriptions/confirmation/${result.requestId}`);
    if ('missing' in result) return reply.seeOther(v.stepUrl(result.missing, answers, true));
    const f = await enrolments.flow(actor, answers);
    return reply.page(v.CheckPage({ ctx: req.pageCtx(), child: f.child!, service: f.service!, year: f.year!, answers, errors: { form: result.duplicate } }), 409);
  });

  app.get('/inscriptions/confirmation/:id', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const id = (req.params as { id: string }).id;
    if (!isUuid(id)) throw new NotFoundError();
    return reply.page(v.ConfirmationPage({ ctx: req.pageCtx(), request: await enrolments.confirmation(actor, id) }));
  });
}

const statusesOf = (statut: string): EnrolmentStatus[] => (statut === 'toutes' ? [] : isRequestStatus(statut) ? [statut] : ['submitted', 'in_review']);

/** The agents' queue of enrolments: filters, one checkbox per row, bulk decisions without JavaScript. */
export function enrolmentsAgentRoutes(app: App, _ctx: AppContext, enrolments: EnrolmentsService) {
  const filterOf = (source: unknown) => {
    const s = (source ?? {}) as Record<string, unknown>;
    const statut = typeof s.statut === 'string' && v.QUEUE_FILTERS.some((f) => f.value === s.statut) ? s.statut : 'a-traiter';
    const rawService = s.service_filtre ?? s.service;
    const service = typeof rawService === 'string' && isUuid(rawService) ? rawService : '';
    const page = Math.min(10_000, Math.max(1, Number.parseInt(String(s.page ?? '1'), 10) || 1));
    return { statut, service, page };
  };
  const listUrl = (f: { statut: string; service: string; page: number }) => {
    const q = new URLSearchParams({ statut: f.statut });
    if (f.service) q.set('service', f.service);
    if (f.page > 1) q.set('page', String(f.page));
    return `/agent/inscriptions?${q}`;
  };
  const render = async (req: FastifyRequest, f: ReturnType<typeof filterOf>, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined>; selected?: string[] } = {}) => {
    const q = await enrolments.queue(req.auth, { statuses: statusesOf(f.statut), serviceId: f.service || null, page: f.page });
    return v.QueuePage({ ctx: req.pageCtx(), ...q, page: f.page, filter: { statut: f.statut, service: f.service }, ...extra });
  };

  app.get('/agent/inscriptions', async (req, reply) => reply.page(await render(req, filterOf(req.query))));

  app.post('/agent/inscriptions', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const f = filterOf(body);
    const raw = body.ids;
    const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((id): id is string => typeof id === 'string' && isUuid(id)).slice(0, 200);
    const decision = parseDecision(body);
    const errors = { ...(ids.length === 0 ? { ids: 'Cochez au moins une demande' } : {}), ...(decision.ok ? {} : decision.errors) };
    if (Object.keys(errors).length > 0) {
      return reply.page(await render(req, f, { errors, values: { motif: typeof body.motif === 'string' ? body.motif : '' }, selected: ids }), 400);
    }
    if (!decision.ok) return; // unreachable: errors above
    const results = await enrolments.decide(req.auth, ids, decision.action, decision.note);
    return reply.flash(decisionFlash(decision.action, results)).seeOther(listUrl(f));
  });
}
