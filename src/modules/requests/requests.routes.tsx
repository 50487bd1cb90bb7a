import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { requiredText } from '../../platform/http/forms.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { form, list, text, uuid } from '../../platform/http/input.ts';
import { acceptUploads, downloadRouteOptions, sendStoredFile, uploadField } from '../../platform/files/files.http.ts';
import { isUuid } from '../../platform/ids.ts';
import { dueDateProblem, isDecision, MESSAGE_MAX, needsDueDate, needsReason, REASON_MAX, STATUS_LABELS, type Decision } from './requests.domain.ts';
import { DECISION_DONE, REQUEST_OUTCOMES } from './requests.outcomes.ts';
import { HELP_TEXT_MAX, type DecisionResult, type RequestsService } from './requests.service.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { isFormType, type FormType, type QueueFilter, type RequestsTrackingService } from './requests.tracking-service.ts';
import { OTHER, SITUATION, ASSIGNMENT_FILTERS, DETAILS_MAX, OTHER_SUBJECT_MAX, OTHER_TEXT_MAX, WAITING_FILTERS, type AssignmentFilter } from './requests.tracking.domain.ts';
import { ASSIGN_DONE, TRACKING_DONE } from './requests.tracking.outcomes.ts';
import * as v from './requests.views.tsx';
import * as tv from './requests.tracking-views.tsx';

export const messageSchema = z.object({ message: requiredText('Écrivez votre message', MESSAGE_MAX) });

// Structural shapes of the bodies (bounded); the messages a person reads come from the services' checks.
export const MessageBody = form({ message: text(MESSAGE_MAX * 4).optional(), fichier: uploadField.optional() });
export const decisionFields = { action: text(30).optional(), motif: text(REASON_MAX * 4).optional() };
const DecisionBody = form({ ...decisionFields, echeance: text(20).optional() });
const Empty = form({});
const AnswerBody = form({ reponse: text(MESSAGE_MAX * 4).optional(), document: text(60).optional(), type_document: text(60).optional(), date_document: text(20).optional(), fichier: uploadField.optional() });
/** One checkbox per type (`actives`) and one help text per type (`aide_<code>`), for the types the portal knows. */
const typesBody = (codes: readonly string[]) => form({ actives: list(30, text(60)), ...Object.fromEntries(codes.map((c) => [`aide_${c}`, text(HELP_TEXT_MAX * 4).optional()])) });
const helpOf = (body: Readonly<Record<string, unknown>>, code: string) => {
  const value = body[`aide_${code}`];
  return (typeof value === 'string' ? value : '').trim().replace(/\r\n/g, '\n');
};
const AttachmentParams = z.object({ id: uuid, pid: uuid });
const IdParams = z.object({ id: uuid });
const SituationBody = form({
  kind: text(30).optional(),
  address_line1: text(500).optional(),
  address_line2: text(500).optional(),
  postcode: text(50).optional(),
  city: text(500).optional(),
  first_name: text(320).optional(),
  last_name: text(320).optional(),
  email: text(1000).optional(),
  relationship: text(240).optional(),
  person: text(100).optional(),
  details: text(DETAILS_MAX * 4).optional(),
  brouillon: text(60).optional(),
  fichier: uploadField.optional(),
});
const OtherBody = form({ subject: text(OTHER_SUBJECT_MAX * 4).optional(), text: text(OTHER_TEXT_MAX * 4).optional(), brouillon: text(60).optional(), fichier: uploadField.optional() });
const DraftQuery = z.object({ brouillon: uuid.optional().catch(undefined) });
// « Enregistrer le brouillon » posts to the form's address with `?enregistrer=1` (its button's formaction).
const SaveQuery = z.object({ enregistrer: z.string().max(2).optional().catch(undefined) });
const queueFields = { type: text(60).optional(), statut: text(30).optional(), structure: text(100).optional(), attente: text(10).optional(), attribution: text(20).optional(), page: text(10).optional() };
const QueueQuery = z.object(queueFields);
const QueueBody = form({ ...queueFields, ...decisionFields, ids: list(200, uuid) });
const AssignBody = form({ prendre: text(2).optional() });

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

type Extra = { errors?: Record<string, string>; values?: Record<string, string | undefined> };
const valuesOf = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));

/** Registers routes in a scope that reads multipart bodies as a stream (forms with a file). */
async function withUploads(app: App, register: (scope: App) => void) {
  await app.register((scope, _options, registered) => {
    const routes = scope as unknown as App;
    acceptUploads(routes);
    register(routes);
    registered();
  });
}

/**
 * The family follows its requests (list with what to do next, timeline, messages with files) and
 * files a « changement de situation » or an « autre demande ». The household comes from the session.
 */
export async function requestsFamilyRoutes(app: App, _ctx: AppContext, requests: RequestsService, tracking: RequestsTrackingService) {
  await withUploads(app, (routes) => registerFamily(routes, requests, tracking));
}

function registerFamily(app: App, requests: RequestsService, tracking: RequestsTrackingService) {
  const page = async (req: FastifyRequest, id: string, extra: Extra = {}) => v.RequestPage({ ctx: req.pageCtx(), audience: 'family', ...(await tracking.familyView(familyOf(req), id)), maxBytes: tracking.maxBytes, ...extra });

  app.get('/demandes', { onRequest: requireHousehold }, async (req, reply) => reply.page(tv.FamilyTrackingPage({ ctx: req.pageCtx(), rows: await tracking.familyList(familyOf(req)) })));

  // The types the town offers online, with its help text (each type says where it starts).
  app.get('/demandes/nouvelle', { onRequest: requireHousehold }, async (req, reply) => reply.page(tv.NewRequestPage({ ctx: req.pageCtx(), offered: await requests.offeredTypes() })));

  // A draft: sent when the family is ready, or deleted.
  app.post('/demandes/:id/envoyer', { onRequest: requireHousehold, schema: { params: IdParams, body: Empty } }, async (req, reply) => {
    const { request } = await requests.familyRequest(familyOf(req), req.params.id);
    // A form's draft may be incomplete: checked as the form does; what is missing is shown on the form, values kept.
    if (isFormType(request.type)) {
      const { values, result } = await tracking.sendSavedDraft(familyOf(req), request.id, request.type);
      if (!result.ok) return reply.page(await formPage(req, request.type, { errors: result.errors, values: { ...values, brouillon: request.id } }), 400);
      return reply.flash(REQUEST_OUTCOMES.draft_sent).seeOther(`/demandes/${request.id}`);
    }
    // Another module's form (QF update, absence): its own checks; incomplete, the form reopens with what is missing.
    const other = await tracking.sendOtherDraft(familyOf(req), request.id, request.type);
    if (other) {
      if (!other.ok) return reply.seeOther(`${tracking.resumeHrefOf(request.type, request.id)}&verifier=1`);
      return reply.flash(REQUEST_OUTCOMES.draft_sent).seeOther(`/demandes/${request.id}`);
    }
    await requests.submitDraft(familyOf(req), req.params.id);
    return reply.flash(REQUEST_OUTCOMES.draft_sent).seeOther(`/demandes/${req.params.id}`);
  });

  app.post('/demandes/:id/supprimer', { onRequest: requireHousehold, schema: { params: IdParams, body: Empty } }, async (req, reply) => {
    await requests.deleteDraft(familyOf(req), req.params.id);
    return reply.flash(REQUEST_OUTCOMES.draft_deleted).seeOther('/demandes');
  });

  // The family's answer to a complement asked by the service (a text and/or a document): back to « en instruction ».
  app.post('/demandes/:id/complement', { onRequest: requireHousehold, schema: { params: IdParams, body: AnswerBody } }, async (req, reply) => {
    const { id } = req.params;
    const { fichier, ...fields } = req.body;
    const result = await tracking.answerComplement(familyOf(req), id, fields, fichier);
    if (!result.ok) return reply.page(await page(req, id, { errors: result.errors, values: { reponse: fields.reponse, document: fields.document, type_document: fields.type_document, date_document: fields.date_document } }), 400);
    return reply.flash(REQUEST_OUTCOMES.complement_answered).seeOther(`/demandes/${id}`);
  });

  const situationPage = async (req: FastifyRequest, extra: Extra = {}) => tv.SituationPage({ ctx: req.pageCtx(), guardians: await tracking.guardians(familyOf(req)), maxBytes: tracking.maxBytes, ...extra });
  const otherPage = (req: FastifyRequest, extra: Extra = {}) => tv.OtherRequestPage({ ctx: req.pageCtx(), maxBytes: tracking.maxBytes, ...extra });
  const formPage = (req: FastifyRequest, type: FormType, extra: Extra) => (type === SITUATION ? situationPage(req, extra) : Promise.resolve(otherPage(req, extra)));

  // Each form: new, or a draft reopened (`?brouillon=`) with its saved values; « Enregistrer le brouillon » keeps it as it is.
  for (const [type, path] of [[SITUATION, '/demandes/nouvelle/situation'], [OTHER, '/demandes/nouvelle/autre']] as const) {
    app.get(path, { onRequest: requireHousehold, schema: { querystring: DraftQuery } }, async (req, reply) => {
      const draft = req.query.brouillon;
      const values = draft ? { ...(await tracking.draftValues(familyOf(req), draft, type)), brouillon: draft } : {};
      return reply.page(await formPage(req, type, { values }));
    });
    app.post(path, { onRequest: requireHousehold, schema: { body: type === SITUATION ? SituationBody : OtherBody, querystring: SaveQuery } }, async (req, reply) => {
      const { body } = req;
      const draftId = body.brouillon && isUuid(body.brouillon) ? body.brouillon : undefined;
      const result = await tracking.fileForm(familyOf(req), type, body, body.fichier, { draft: req.query.enregistrer === '1', draftId });
      if (!result.ok) return reply.page(await formPage(req, type, { errors: result.errors, values: valuesOf(body) }), 400);
      if (result.draft) return reply.flash(REQUEST_OUTCOMES.draft_saved).seeOther(`/demandes/${result.id}`);
      return reply.flash(`Votre demande ${result.reference} est envoyée. Le service enfance va l'examiner ; vous serez prévenu par courriel.`).seeOther(`/demandes/${result.id}`);
    });
  }

  app.get('/demandes/:id', { onRequest: requireHousehold, schema: { params: IdParams } }, async (req, reply) => reply.page(await page(req, req.params.id)));

  app.post('/demandes/:id/messages', { onRequest: requireHousehold, schema: { params: IdParams, body: MessageBody } }, async (req, reply) => {
    const { id } = req.params;
    const result = await tracking.familyMessage(familyOf(req), id, req.body.message, req.body.fichier);
    if (!result.ok) return reply.page(await page(req, id, { errors: result.errors, values: { message: req.body.message } }), 400);
    return reply.flash(TRACKING_DONE.message_sent_family).seeOther(`/demandes/${id}#messages`);
  });

  app.get('/demandes/:id/pieces/:pid', { ...downloadRouteOptions, onRequest: requireHousehold, schema: { params: AttachmentParams } }, async (req, reply) =>
    sendStoredFile(reply, await tracking.familyDownload(familyOf(req), req.params.id, req.params.pid)),
  );
}

/** The queue filters as read from the query string or the bulk form; anything unknown is the default. */
function filterOf(s: z.infer<typeof QueueQuery>, types: readonly string[]): QueueFilter {
  const statut = s.statut && tv.QUEUE_STATUS_FILTERS.some((f) => f.value === s.statut) ? s.statut : 'a-traiter';
  const type = s.type && types.includes(s.type) ? s.type : '';
  const structure = s.structure && isUuid(s.structure) ? s.structure : '';
  const attente = WAITING_FILTERS.some((w) => w.value === s.attente) ? (s.attente ?? '') : '';
  const attribution = (ASSIGNMENT_FILTERS.some((a) => a.value === s.attribution) ? (s.attribution ?? '') : '') as AssignmentFilter;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(s.page ?? '1', 10) || 1));
  return { type, statut, structure, attente, attribution, page };
}

/**
 * Agents' side (agents only, by the plugin): one queue of every type with filters, assignment and bulk
 * decisions; a request's page with its files, messages with files, and the decision. Roles in the services;
 * an agent without business with requests (régie, animation, restauration) is told nothing exists (404).
 */
export async function requestsAgentRoutes(app: App, ctx: AppContext, requests: RequestsService, tracking: RequestsTrackingService, types: readonly string[]) {
  await withUploads(app, (routes) => registerAgent(routes, requests, tracking, types, () => ctx.clock.today()));
}

function registerAgent(app: App, requests: RequestsService, tracking: RequestsTrackingService, types: readonly string[], today: () => string) {
  const page = async (req: FastifyRequest, id: string, extra: Extra = {}) => {
    const view = await tracking.agentView(req.auth, id);
    const assignment = tv.AssignmentPanel({ csrf: req.pageCtx().csrf, requestId: id, assignedTo: view.request.assigned_to, assignedLabel: view.request.assigned_label, me: view.me });
    return v.RequestPage({ ctx: req.pageCtx(), audience: 'agent', household: { id: view.request.household_id }, ...view, assignment, maxBytes: tracking.maxBytes, ...extra });
  };
  const typeOptions = () => types.map((t) => ({ value: t, label: tracking.typeLabel(t) }));
  const render = async (req: FastifyRequest, f: QueueFilter, extra: Extra & { selected?: string[] } = {}) => {
    const q = await tracking.queue(req.auth, f);
    return tv.TrackingQueuePage({ ctx: req.pageCtx(), ...q, page: f.page, types: typeOptions(), filter: f, ...extra });
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

  app.get('/agent/demandes', { schema: { querystring: QueueQuery } }, async (req, reply) => reply.page(await render(req, filterOf(req.query, types))));

  app.post('/agent/demandes', { schema: { body: QueueBody } }, async (req, reply) => {
    const body = req.body;
    const f = filterOf(body, types);
    const ids = [...new Set(body.ids)];
    if (body.action === 'assign' && ids.length > 0) {
      const n = await tracking.assign(req.auth, ids, true);
      return reply.flash(n === 1 ? 'Vous vous occupez de 1 demande.' : `Vous vous occupez de ${n} demandes.`).seeOther(tv.queueUrl(f, f.page));
    }
    const decision = parseDecision(body);
    if (ids.length === 0 || !decision.ok) {
      const errors = { ...(ids.length === 0 ? { ids: 'Cochez au moins une demande' } : {}), ...(decision.ok || body.action === 'assign' ? {} : decision.errors) };
      return reply.page(await render(req, f, { errors, values: { motif: body.motif ?? '' }, selected: ids }), 400);
    }
    tracking.assertMayProcess(req.auth);
    const results = await requests.decide(req.auth, ids, decision.action, decision.note);
    return reply.flash(decisionFlash(decision.action, results, requests.refusalText)).seeOther(tv.queueUrl(f, f.page));
  });

  app.get('/agent/demandes/:id', { schema: { params: IdParams } }, async (req, reply) => reply.page(await page(req, req.params.id)));

  app.post('/agent/demandes/:id/decision', { schema: { params: IdParams, body: DecisionBody } }, async (req, reply) => {
    const { id } = req.params;
    const decision = parseDecision(req.body, today());
    if (!decision.ok) return reply.page(await page(req, id, { errors: decision.errors, values: { motif: req.body.motif, echeance: req.body.echeance } }), 400);
    tracking.assertMayProcess(req.auth);
    const results = await requests.decide(req.auth, [id], decision.action, decision.note, { dueDate: decision.dueDate });
    if (results.length === 0) throw new NotFoundError();
    return reply.flash(decisionFlash(decision.action, results, requests.refusalText)).seeOther(`/agent/demandes/${id}`);
  });

  app.post('/agent/demandes/:id/attribution', { schema: { params: IdParams, body: AssignBody } }, async (req, reply) => {
    const { id } = req.params;
    const take = req.body.prendre !== '0';
    if ((await tracking.assign(req.auth, [id], take)) === 0 && take) throw new NotFoundError();
    return reply.flash(take ? ASSIGN_DONE.taken : ASSIGN_DONE.released).seeOther(`/agent/demandes/${id}`);
  });

  app.post('/agent/demandes/:id/messages', { schema: { params: IdParams, body: MessageBody } }, async (req, reply) => {
    const { id } = req.params;
    const result = await tracking.agentMessage(req.auth, id, req.body.message, req.body.fichier);
    if (!result.ok) return reply.page(await page(req, id, { errors: result.errors, values: { message: req.body.message } }), 400);
    return reply.flash(TRACKING_DONE.message_sent_agent).seeOther(`/agent/demandes/${id}#messages`);
  });

  app.get('/agent/demandes/:id/pieces/:pid', { ...downloadRouteOptions, schema: { params: AttachmentParams } }, async (req, reply) => sendStoredFile(reply, await tracking.agentDownload(req.auth, req.params.id, req.params.pid)));
}
