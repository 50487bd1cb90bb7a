import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { parseForm, requiredText } from '../../platform/http/forms.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { form, idParams, list, text } from '../../platform/http/input.ts';
import { dueDateProblem, isDecision, MESSAGE_MAX, needsDueDate, needsReason, REASON_MAX, STATUS_LABELS, type Decision } from './requests.domain.ts';
import { DECISION_DONE, REQUEST_OUTCOMES } from './requests.outcomes.ts';
import { HELP_TEXT_MAX, type DecisionResult, type RequestsService } from './requests.service.ts';
import { assertRole } from '../../platform/http/guards.ts';
import * as v from './requests.views.tsx';

export const messageSchema = z.object({ message: requiredText('Écrivez votre message', MESSAGE_MAX) });

// Structural shapes of the bodies (bounded); the messages a person reads come from parseForm / parseDecision.
export const MessageBody = form({ message: text(MESSAGE_MAX * 4).optional() });
export const decisionFields = { action: text(30).optional(), motif: text(REASON_MAX * 4).optional() };
const DecisionBody = form({ ...decisionFields, echeance: text(20).optional() });
const Empty = form({});
const AnswerBody = form({ reponse: text(MESSAGE_MAX * 4).optional() });
/** One checkbox per type (`actives`) and one help text per type (`aide_<code>`), for the types the portal knows. */
const typesBody = (codes: readonly string[]) => form({ actives: list(30, text(60)), ...Object.fromEntries(codes.map((c) => [`aide_${c}`, text(HELP_TEXT_MAX * 4).optional()])) });
const helpOf = (body: Readonly<Record<string, unknown>>, code: string) => {
  const value = body[`aide_${code}`];
  return (typeof value === 'string' ? value : '').trim().replace(/\r\n/g, '\n');
};

/**
 * A decision form: the action, a reason that a refusal or a complement needs, and the due date of a
 * complement. Without `today` (the bulk queues) a complement is not a possible action: it is asked
 * one request at a time.
 */
export function parseDecision(body: { action?: string; motif?: string; echeance?: string }, today?: string): { ok: true; action: Decision; note: string | null; dueDate: string | null } | { ok: false; errors: Record<string, string> } {
  const action = body.action ?? '';
  const note = (body.motif ?? '').trim();
  if (!isDecision(action) || (needsDueDate(action) && !today)) return { ok: false, errors: { action: 'Choisissez une action' } };
  if (note.length > REASON_MAX) return { ok: false, errors: { motif: `${REASON_MAX} caractères au maximum` } };
  if (needsReason(action) && !note) return { ok: false, errors: { motif: action === 'refused' ? 'Indiquez le motif du refus : la famille le lira' : REQUEST_OUTCOMES.complement_reason_missing } };
  let dueDate: string | null = null;
  if (needsDueDate(action) && today) {
    dueDate = (body.echeance ?? '').trim();
    const problem = dueDate ? dueDateProblem(dueDate, today) : 'due_missing';
    if (problem) return { ok: false, errors: { echeance: REQUEST_OUTCOMES[problem] } };
  }
  return { ok: true, action, note: note || null, dueDate };
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
  app.get('/demandes', { onRequest: requireHousehold }, async (req, reply) =>
    reply.page(v.FamilyRequestsPage({ ctx: req.pageCtx(), rows: await requests.familyList(familyOf(req)), offered: await requests.offeredTypes(), typeLabel: requests.typeLabel })),
  );

  app.post('/demandes/:id/envoyer', { onRequest: requireHousehold, schema: { params: idParams, body: Empty } }, async (req, reply) => {
    await requests.submitDraft(familyOf(req), req.params.id);
    return reply.flash(REQUEST_OUTCOMES.draft_sent).seeOther(`/demandes/${req.params.id}`);
  });

  app.post('/demandes/:id/supprimer', { onRequest: requireHousehold, schema: { params: idParams, body: Empty } }, async (req, reply) => {
    await requests.deleteDraft(familyOf(req), req.params.id);
    return reply.flash(REQUEST_OUTCOMES.draft_deleted).seeOther('/demandes');
  });

  app.post('/demandes/:id/complement', { onRequest: requireHousehold, schema: { params: idParams, body: AnswerBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const { id } = req.params;
    const answer = (req.body.reponse ?? '').trim();
    const error = !answer ? REQUEST_OUTCOMES.answer_missing : answer.length > MESSAGE_MAX ? `${MESSAGE_MAX} caractères au maximum` : null;
    if (error) return reply.page(v.RequestPage({ ctx: req.pageCtx(), audience: 'family', ...(await requests.familyRequest(actor, id)), errors: { reponse: error }, values: { reponse: req.body.reponse } }), 400);
    await requests.answerComplement(actor, id, answer);
    return reply.flash(REQUEST_OUTCOMES.complement_answered).seeOther(`/demandes/${id}`);
  });

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

  // The town's types of request: offered or not, and their help text (admin, enfance; before the body is read).
  const canSetTypes = (req: FastifyRequest): Promise<void> => Promise.resolve().then(() => assertRole(req.auth, 'admin', 'enfance'));
  app.get('/agent/demandes/types', { onRequest: canSetTypes }, async (req, reply) => reply.page(v.RequestTypesPage({ ctx: req.pageCtx(), types: await requests.typeSettings() })));

  app.post('/agent/demandes/types', { onRequest: canSetTypes, schema: { body: typesBody(requests.typeCodes) } }, async (req, reply) => {
    const types = await requests.typeSettings();
    const errors: Record<string, string> = {};
    const wanted = types.map((t) => {
      const helpText = helpOf(req.body, t.code);
      if (helpText.length > HELP_TEXT_MAX) errors[`aide_${t.code}`] = `${HELP_TEXT_MAX} caractères au maximum`;
      return { code: t.code, active: req.body.actives.includes(t.code), helpText };
    });
    if (Object.keys(errors).length > 0) return reply.page(v.RequestTypesPage({ ctx: req.pageCtx(), types: types.map((t) => ({ ...t, ...wanted.find((w) => w.code === t.code) })), errors }), 400);
    const changed = await requests.saveTypeSettings(req.auth, wanted);
    return reply.flash(changed > 0 ? REQUEST_OUTCOMES.types_saved : REQUEST_OUTCOMES.types_unchanged).seeOther('/agent/demandes/types');
  });

  app.get('/agent/demandes/:id', { schema: { params: idParams } }, async (req, reply) => reply.page(await page(req, req.params.id)));

  app.post('/agent/demandes/:id/decision', { schema: { params: idParams, body: DecisionBody } }, async (req, reply) => {
    const { id } = req.params;
    const decision = parseDecision(req.body, _ctx.clock.today());
    if (!decision.ok) return reply.page(await page(req, id, { errors: decision.errors, values: { motif: req.body.motif, echeance: req.body.echeance } }), 400);
    const results = await requests.decide(req.auth, [id], decision.action, decision.note, { dueDate: decision.dueDate });
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
