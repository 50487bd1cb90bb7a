import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { parseForm, requiredText } from '../../platform/http/forms.ts';
import { requireFamily } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import type { FamilyService } from '../households/households.family-service.ts';
import { isDecision, MESSAGE_MAX, needsReason, REASON_MAX, type Decision } from './requests.domain.ts';
import type { DecisionResult, RequestsService } from './requests.service.ts';
import * as v from './requests.views.tsx';

export const messageSchema = z.object({ message: requiredText('Écrivez votre message', MESSAGE_MAX) });

/** A decision form (single or bulk): the action, and a reason that a refusal needs. */
export function parseDecision(body: unknown): { ok: true; action: Decision; note: string | null } | { ok: false; errors: Record<string, string> } {
  const b = (body ?? {}) as Record<string, unknown>;
  const action = typeof b.action === 'string' ? b.action : '';
  const note = typeof b.motif === 'string' ? b.motif.trim() : '';
  if (!isDecision(action)) return { ok: false, errors: { action: 'Choisissez une action' } };
  if (note.length > REASON_MAX) return { ok: false, errors: { motif: `${REASON_MAX} caractères au maximum` } };
  if (needsReason(action) && !note) return { ok: false, errors: { motif: 'Indiquez le motif du refus : la famille le lira' } };
  return { ok: true, action, note: note || null };
}

/** « 2 demandes : Acceptée. D-2026-000003 : impossible… » */
const DONE: Record<Decision, [string, string]> = {
  in_review: ['passée en instruction', 'passées en instruction'],
  accepted: ['acceptée', 'acceptées'],
  waiting_list: ['mise en liste d\'attente', 'mises en liste d\'attente'],
  refused: ['refusée', 'refusées'],
};

export function decisionFlash(action: Decision, results: DecisionResult[]) {
  const done = results.filter((r) => r.ok);
  const failed = results.filter((r) => !r.ok);
  const parts: string[] = [];
  if (done.length > 0) parts.push(`${done.length} demande${done.length > 1 ? 's' : ''} ${DONE[action][done.length > 1 ? 1 : 0]}.`);
  for (const f of failed.slice(0, 10)) parts.push(`${f.reference} non modifiée : ${f.message}.`);
  if (failed.length > 10) parts.push(`${failed.length - 10} autre(s) demande(s) non modifiée(s).`);
  return parts.length > 0 ? parts.join(' ') : 'Aucune demande n\'a été modifiée.';
}

const idOf = (req: FastifyRequest) => {
  const id = (req.params as { id: string }).id;
  if (!isUuid(id)) throw new NotFoundError();
  return id;
};

/** The family follows its requests: list, timeline, messages. The household comes from the session. */
export function requestsFamilyRoutes(app: App, _ctx: AppContext, requests: RequestsService, family: FamilyService) {
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

  app.get('/demandes', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    return reply.page(v.FamilyRequestsPage({ ctx: req.pageCtx(), rows: await requests.familyList(actor) }));
  });

  app.get('/demandes/:id', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    return reply.page(v.RequestPage({ ctx: req.pageCtx(), audience: 'family', ...(await requests.familyRequest(actor, idOf(req))) }));
  });

  app.post('/demandes/:id/messages', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    const id = idOf(req);
    const form = parseForm(messageSchema, req.body);
    if (!form.ok) return reply.page(v.RequestPage({ ctx: req.pageCtx(), audience: 'family', ...(await requests.familyRequest(actor, id)), errors: form.errors, values: form.values }), 400);
    await requests.addFamilyMessage(actor, id, form.data.message);
    return reply.flash('Votre message est envoyé au service.').seeOther(`/demandes/${id}#messages`);
  });
}

/** Agents see any request, decide it and write to the family (roles checked in the service). */
export function requestsAgentRoutes(app: App, _ctx: AppContext, requests: RequestsService) {
  const page = async (req: FastifyRequest, id: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined> } = {}) => {
    const view = await requests.agentRequest(req.auth, id);
    return v.RequestPage({ ctx: req.pageCtx(), audience: 'agent', household: { id: view.request.household_id }, ...view, ...extra });
  };

  app.get('/agent/demandes/:id', async (req, reply) => reply.page(await page(req, idOf(req))));

  app.post('/agent/demandes/:id/decision', async (req, reply) => {
    const id = idOf(req);
    const decision = parseDecision(req.body);
    if (!decision.ok) return reply.page(await page(req, id, { errors: decision.errors, values: { motif: (req.body as { motif?: string })?.motif } }), 400);
    const results = await requests.decide(req.auth, [id], decision.action, decision.note);
    if (results.length === 0) throw new NotFoundError();
    return reply.flash(decisionFlash(decision.action, results)).seeOther(`/agent/demandes/${id}`);
  });

  app.post('/agent/demandes/:id/messages', async (req, reply) => {
    const id = idOf(req);
    const form = parseForm(messageSchema, req.body);
    if (!form.ok) return reply.page(await page(req, id, { errors: form.errors, values: form.values }), 400);
    await requests.addAgentMessage(req.auth, id, form.data.message);
    return reply.flash('Votre message est envoyé à la famille.').seeOther(`/agent/demandes/${id}#messages`);
  });
}
