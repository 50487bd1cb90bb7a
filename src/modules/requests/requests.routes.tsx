import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { parseForm, requiredText } from '../../platform/http/forms.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { form, idParams, text } from '../../platform/http/input.ts';
import { isDecision, MESSAGE_MAX, needsReason, REASON_MAX, STATUS_LABELS, type Decision } from './requests.domain.ts';
import { DECISION_DONE } from './requests.outcomes.ts';
import type { DecisionResult, RequestsService } from './requests.service.ts';
import * as v from './requests.views.tsx';

export const messageSchema = z.object({ message: requiredText('Écrivez votre message', MESSAGE_MAX) });

// Structural shapes of the bodies (bounded); the messages a person reads come from parseForm / parseDecision.
export const MessageBody = form({ message: text(MESSAGE_MAX * 4).optional() });
export const decisionFields = { action: text(30).optional(), motif: text(REASON_MAX * 4).optional() };
const DecisionBody = form(decisionFields);

/** A decision form (single or bulk): the action, and a reason that a refusal needs. */
export function parseDecision(body: { action?: string; motif?: string }): { ok: true; action: Decision; note: string | null } | { ok: false; errors: Record<string, string> } {
  const action = body.action ?? '';
  const note = (body.motif ?? '').trim();
  if (!isDecision(action)) return { ok: false, errors: { action: 'Choisissez une action' } };
  if (note.length > REASON_MAX) return { ok: false, errors: { motif: `${REASON_MAX} caractères au maximum` } };
  if (needsReason(action) && !note) return { ok: false, errors: { motif: 'Indiquez le motif du refus : la famille le lira' } };
  return { ok: true, action, note: note || null };
}

/** « 2 demandes acceptées. D-2026-000003 non modifiée : elle est déjà dans cet état (« acceptée »). » */
export function decisionFlash(action: Decision, results: DecisionResult[], refusalText: (code: string) => string) {
  const done = results.filter((r) => r.ok);
  const parts: string[] = [];
  if (done.length > 0) parts.push(`${done.length} demande${done.length > 1 ? 's' : ''} ${DECISION_DONE[action][done.length > 1 ? 1 : 0]}.`);
  const failed = results.flatMap((r) => (r.ok ? [] : [r]));
  for (const f of failed.slice(0, 10)) parts.push(`${f.reference} non modifiée : ${refusalText(f.code)} (« ${STATUS_LABELS[f.status].toLowerCase()} »).`);
  const more = failed.length - 10;
  if (more > 0) parts.push(`${more} autre${more > 1 ? 's' : ''} demande${more > 1 ? 's' : ''} non modifiée${more > 1 ? 's' : ''}.`);
  return parts.length > 0 ? parts.join(' ') : 'Aucune demande n\'a été modifiée.';
}

/** The family follows its requests: list, timeline, messages. The household comes from the session. */
export function requestsFamilyRoutes(app: App, _ctx: AppContext, requests: RequestsService) {
  app.get('/demandes', { onRequest: requireHousehold }, async (req, reply) => reply.page(v.FamilyRequestsPage({ ctx: req.pageCtx(), rows: await requests.familyList(familyOf(req)) })));

  app.get('/demandes/:id', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) =>
    reply.page(v.RequestPage({ ctx: req.pageCtx(), audience: 'family', ...(await requests.familyRequest(familyOf(req), req.params.id)) })),
  );

  app.post('/demandes/:id/messages', { onRequest: requireHousehold, schema: { params: idParams, body: MessageBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const { id } = req.params;
    const form = parseForm(messageSchema, req.body);
    if (!form.ok) return reply.page(v.RequestPage({ ctx: req.pageCtx(), audience: 'family', ...(await requests.familyRequest(actor, id)), errors: form.errors, values: form.values }), 400);
    await requests.addFamilyMessage(actor, id, form.data.message);
    return reply.flash('Votre message est envoyé au service.').seeOther(`/demandes/${id}#messages`);
  });
}

/** Agents see any request, decide it and write to the family (agents only, by the plugin; roles in the service). */
export function requestsAgentRoutes(app: App, _ctx: AppContext, requests: RequestsService) {
  const page = async (req: FastifyRequest, id: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined> } = {}) => {
    const view = await requests.agentRequest(req.auth, id);
    return v.RequestPage({ ctx: req.pageCtx(), audience: 'agent', household: { id: view.request.household_id }, ...view, ...extra });
  };

  app.get('/agent/demandes/:id', { schema: { params: idParams } }, async (req, reply) => reply.page(await page(req, req.params.id)));

  app.post('/agent/demandes/:id/decision', { schema: { params: idParams, body: DecisionBody } }, async (req, reply) => {
    const { id } = req.params;
    const decision = parseDecision(req.body);
    if (!decision.ok) return reply.page(await page(req, id, { errors: decision.errors, values: { motif: req.body.motif } }), 400);
    const results = await requests.decide(req.auth, [id], decision.action, decision.note);
    if (results.length === 0) throw new NotFoundError();
    return reply.flash(decisionFlash(decision.action, results, requests.refusalText)).seeOther(`/agent/demandes/${id}`);
  });

  app.post('/agent/demandes/:id/messages', { schema: { params: idParams, body: MessageBody } }, async (req, reply) => {
    const { id } = req.params;
    const form = parseForm(messageSchema, req.body);
    if (!form.ok) return reply.page(await page(req, id, { errors: form.errors, values: form.values }), 400);
    await requests.addAgentMessage(req.auth, id, form.data.message);
    return reply.flash('Votre message est envoyé à la famille.').seeOther(`/agent/demandes/${id}#messages`);
  });
}
