import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { form, idParams, list, text, uuid } from '../../platform/http/input.ts';
import { isUuid } from '../../platform/ids.ts';
import type { EnrolmentStatus } from '../../platform/db/schema-services.ts';
import { isRequestStatus } from '../requests/requests.domain.ts';
import { decisionFields, decisionFlash, parseDecision } from '../requests/requests.routes.tsx';
import type { Answers, EnrolmentsService } from './enrolments.service.ts';
import { duplicateMessage } from './enrolments.domain.ts';
import type { SubmitRefusal } from './enrolments.outcomes.ts';
import * as v from './enrolments.views.tsx';
import { acceptUploads, uploadField } from '../../platform/files/files.http.ts';
import { formatDateLong } from '../../platform/format.ts';
import { AgentPiecesPage, MAX_REQUIRED, PiecesStepPage, pieceField, uploadFieldName } from './enrolments.documents-views.tsx';
import type { RequiredSlot } from './enrolments.documents-service.ts';
import { STATE_LABELS, docState } from './enrolments.documents.domain.ts';
import { PIECE_ADDED, documentMissingText } from './enrolments.outcomes.ts';

// Route shapes, bounded. An answer that is not an id is simply « not answered » (answersOf).
const answerFields = { enfant: text(100).optional(), service: text(100).optional(), annee: text(100).optional(), piece: list(MAX_REQUIRED, text(60)) };
// The pieces step's radio groups, one per required type (piece_0…).
const pieceFields = Object.fromEntries(Array.from({ length: MAX_REQUIRED }, (_, i) => [pieceField(i), text(60).optional()])) as Record<string, z.ZodOptional<z.ZodString>>;
const StepQuery = z.object({ ...answerFields, ...pieceFields, continuer: text(5).optional(), verifier: text(5).optional() });
const SubmitBody = form(answerFields);
// Each upload form names its date after its type's place (date_0…), so that every field of the page has its own id.
const dateFields = Object.fromEntries(Array.from({ length: MAX_REQUIRED }, (_, i) => [uploadFieldName('date', i), text(20).optional()])) as Record<string, z.ZodOptional<z.ZodString>>;
/** The upload form, with its date (whichever `date_<i>` it sent) read into `dates` by field name. */
const UploadBody = form({ type: text(60).optional(), ...dateFields, fichier: uploadField.optional() }).transform(({ _csrf, type, fichier, ...rest }) => ({
  _csrf,
  type,
  fichier,
  dates: new Map(Object.entries(rest).filter((field): field is [string, string] => typeof field[1] === 'string')),
}));
const queueFields = { statut: text(30).optional(), service: text(100).optional(), service_filtre: text(100).optional(), page: text(10).optional() };
const QueueQuery = z.object(queueFields);
const QueueBody = form({ ...queueFields, ...decisionFields, ids: list(200, uuid) });

/** Which question a missing answer sends the family back to. */
const STEP_OF: Record<Exclude<SubmitRefusal, 'duplicate'>, 'enfant' | 'service' | 'annee' | 'pieces'> = { no_child: 'enfant', no_service: 'service', no_year: 'annee', documents_missing: 'pieces' };

/** The answers of the flow: only id-shaped values are kept (anything else is « not answered »). */
function answersOf(source: { enfant?: string; service?: string; annee?: string; piece?: string[] } & Record<string, unknown>): Answers {
  const pick = (value: unknown) => (typeof value === 'string' && isUuid(value) ? value : undefined);
  const radios = Array.from({ length: MAX_REQUIRED }, (_, i) => pick(source[pieceField(i)]));
  const pieces = [...new Set([...(source.piece ?? []).map(pick), ...radios].filter((p): p is string => !!p))];
  return { enfant: pick(source.enfant), service: pick(source.service), annee: pick(source.annee), pieces };
}

/** The error of each required type without a document: on its radios, or on its upload when the wallet has none. */
const missingErrors = (slots: RequiredSlot[]) =>
  Object.fromEntries(slots.flatMap((slot, i) => (slot.chosen ? [] : [[slot.offered.length > 0 ? pieceField(i) : uploadFieldName('fichier', i), documentMissingText(slot.type.label)]])));

/** The rows of the check page for the documents picked. */
const pieceRows = (slots: RequiredSlot[], today: string) => slots.flatMap((s) => (s.chosen ? [{ label: s.type.label, value: `Document du ${formatDateLong(s.chosen.document_date)} (${STATE_LABELS[docState(s.chosen, today)].toLowerCase()})`, id: s.chosen.id }] : []));

/**
 * « Inscrire un enfant à un service »: one question per page (child, service, year), then « Vérifiez vos réponses »,
 * then a confirmation with the reference. The answers travel in the query string; each page validates its own
 * answer when sent (continuer=1) and goes on to the next page, or back to the check page when changing an answer.
 */
export async function enrolmentsFamilyRoutes(app: App, ctx: AppContext, enrolments: EnrolmentsService, maxBytes: number) {
  const today = () => ctx.clock.today();
  const flags = (q: z.infer<typeof StepQuery>) => ({ sent: q.continuer === '1', fromCheck: q.verifier === '1' });
  const step = { onRequest: requireHousehold, schema: { querystring: StepQuery } };
  /** After a valid answer: the next question, or the check page when the family was changing an answer. */
  const next = (step: 'annee' | 'service' | 'pieces' | 'verifier', answers: Answers, fromCheck: boolean) => v.stepUrl(fromCheck ? 'verifier' : step, answers);

  app.get(v.STEP_URLS.enfant, step, async (req, reply) => {
    const actor = familyOf(req);
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req.query);
    const f = await enrolments.flow(actor, answers);
    if (sent && f.child) return reply.seeOther(next('annee', answers, fromCheck));
    const errors = sent ? { enfant: 'Choisissez l\'enfant à inscrire' } : undefined;
    return reply.page(v.ChildStepPage({ ctx: req.pageCtx(), kids: f.children, answers, fromCheck, errors }), errors ? 400 : 200);
  });

  // The year comes before the service: what the child already has or asked for is a matter of one year.
  app.get(v.STEP_URLS.annee, step, async (req, reply) => {
    const actor = familyOf(req);
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req.query);
    const f = await enrolments.flow(actor, answers);
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers));
    if (sent && f.year) return reply.seeOther(next('service', answers, fromCheck));
    const errors = sent ? { annee: 'Choisissez l\'année scolaire' } : undefined;
    return reply.page(v.YearStepPage({ ctx: req.pageCtx(), child: f.child, years: f.years, answers, fromCheck, errors }), errors ? 400 : 200);
  });

  app.get(v.STEP_URLS.service, step, async (req, reply) => {
    const actor = familyOf(req);
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req.query);
    const f = await enrolments.flow(actor, answers);
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers));
    if (!f.year) return reply.seeOther(v.stepUrl('annee', answers, fromCheck));
    if (sent && f.service) return reply.seeOther(next(f.slots.length > 0 ? 'pieces' : 'verifier', answers, fromCheck && f.slots.every((s) => s.chosen)));
    const errors = !sent ? undefined : f.taken ? { service: duplicateMessage(f.child.first_name, f.child.sex) } : { service: 'Choisissez un service' };
    return reply.page(v.ServiceStepPage({ ctx: req.pageCtx(), child: f.child, year: f.year, services: f.services, answers: f.taken ? { ...answers, service: undefined } : answers, fromCheck, errors }), errors ? 400 : 200);
  });

  app.get(v.STEP_URLS.verifier, step, async (req, reply) => {
    const actor = familyOf(req);
    const answers = answersOf(req.query);
    const f = await enrolments.flow(actor, answers);
    // An answer missing or no longer valid (e.g. the child changed): back to that question, keeping the others.
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers, true));
    if (!f.year) return reply.seeOther(v.stepUrl('annee', answers, true));
    if (!f.service) return reply.seeOther(v.stepUrl('service', answers, true));
    if (f.slots.some((s) => !s.chosen)) return reply.seeOther(v.stepUrl('pieces', answers, true));
    return reply.page(v.CheckPage({ ctx: req.pageCtx(), child: f.child, service: f.service, year: f.year, answers, pieces: pieceRows(f.slots, today()) }));
  });

  /** The pieces page, with the documents picked so far (or the errors of those missing). */
  const piecesPage = (req: FastifyRequest, f: Awaited<ReturnType<EnrolmentsService['flow']>>, answers: Answers, fromCheck: boolean, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined> } = {}) =>
    PiecesStepPage({ ctx: req.pageCtx(), child: f.child!, service: f.service!, answers, slots: f.slots, fromCheck, today: today(), maxBytes, ...extra });

  // The documents the service requires: reuse one of the wallet, or send one (the upload forms below).
  app.get(v.STEP_URLS.pieces, step, async (req, reply) => {
    const actor = familyOf(req);
    const answers = answersOf(req.query);
    const { sent, fromCheck } = flags(req.query);
    const f = await enrolments.flow(actor, answers);
    if (!f.child) return reply.seeOther(v.stepUrl('enfant', answers, fromCheck));
    if (!f.year) return reply.seeOther(v.stepUrl('annee', answers, fromCheck));
    if (!f.service) return reply.seeOther(v.stepUrl('service', answers, fromCheck));
    const chosen = { ...answers, pieces: f.slots.flatMap((s) => (s.chosen ? [s.chosen.id] : [])) };
    if (f.slots.length === 0 || (sent && f.slots.every((s) => s.chosen))) return reply.seeOther(v.stepUrl('verifier', chosen));
    const errors = sent ? missingErrors(f.slots) : undefined;
    return reply.page(piecesPage(req, f, chosen, fromCheck, { errors }), errors ? 400 : 200);
  });

  await app.register((scope, _options, registered) => {
    const routes = scope as unknown as App;
    acceptUploads(routes);
    // A new document for one required type, into the wallet through the documents service; back to the page with it picked.
    routes.post(v.STEP_URLS.pieces, { onRequest: requireHousehold, schema: { querystring: StepQuery, body: UploadBody } }, async (req, reply) => {
      const actor = familyOf(req);
      const answers = answersOf(req.query);
      const fromCheck = req.query.verifier === '1';
      const f = await enrolments.flow(actor, answers);
      const i = f.slots.findIndex((s) => s.type.type_id === req.body.type);
      const day = i >= 0 ? req.body.dates.get(uploadFieldName('date', i)) : undefined;
      const result = await enrolments.uploadPiece(actor, answers, { type: req.body.type, date: day }, req.body.fichier);
      if (!result.ok) {
        const errors = Object.fromEntries(Object.entries(result.errors).map(([k, m]) => [k === 'date' ? uploadFieldName('date', i) : uploadFieldName('fichier', i), m]));
        return reply.page(piecesPage(req, f, answers, fromCheck, { errors, values: { [uploadFieldName('date', i)]: day } }), 400);
      }
      const kept = f.slots.filter((s) => s.chosen && s.type.type_id !== req.body.type).map((s) => s.chosen!.id);
      return reply.flash(PIECE_ADDED).seeOther(v.stepUrl('pieces', { ...answers, pieces: [...kept, result.id] }, fromCheck));
    });
    registered();
  });

  app.post(v.FLOW, { onRequest: requireHousehold, schema: { body: SubmitBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const answers = answersOf(req.body);
    const result = await enrolments.submit(actor, answers);
    if (result.ok) return reply.seeOther(`/inscriptions/confirmation/${result.value.requestId}`);
    if (result.code === 'documents_missing') {
      // Said on the pieces page, each missing type by its name, the documents picked kept.
      const f = await enrolments.flow(actor, answers);
      if (f.child && f.service) return reply.page(piecesPage(req, f, { ...answers, pieces: f.slots.flatMap((s) => (s.chosen ? [s.chosen.id] : [])) }, true, { errors: missingErrors(f.slots) }), 400);
    }
    if (result.code !== 'duplicate') return reply.seeOther(v.stepUrl(STEP_OF[result.code], answers, true));
    // Already asked for (sent anyway, or by the other parent meanwhile): said on the check page, with its code's wording.
    const f = await enrolments.flow(actor, answers);
    const service = f.taken ?? f.service;
    if (!f.child || !f.year || !service) return reply.seeOther(v.stepUrl('service', answers, true));
    return reply.page(v.CheckPage({ ctx: req.pageCtx(), child: f.child, service, year: f.year, answers, pieces: pieceRows(f.slots, today()), errors: { form: duplicateMessage(f.child.first_name, f.child.sex) } }), 409);
  });

  app.get('/inscriptions/confirmation/:id', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) =>
    reply.page(v.ConfirmationPage({ ctx: req.pageCtx(), request: await enrolments.confirmation(familyOf(req), req.params.id) })),
  );
}

// An enrolment is never a draft, and stays « en instruction » while a complement is awaited.
const statusesOf = (statut: string): EnrolmentStatus[] => (statut === 'toutes' ? [] : isRequestStatus(statut) && statut !== 'draft' && statut !== 'complement_requested' ? [statut] : ['submitted', 'in_review']);

/** The agents' queue of enrolments: filters, one checkbox per row, bulk decisions without JavaScript. */
export function enrolmentsAgentRoutes(app: App, _ctx: AppContext, enrolments: EnrolmentsService) {
  const filterOf = (s: z.infer<typeof QueueQuery>) => {
    const statut = s.statut && v.QUEUE_FILTERS.some((f) => f.value === s.statut) ? s.statut : 'a-traiter';
    const rawService = s.service_filtre ?? s.service;
    const service = rawService && isUuid(rawService) ? rawService : '';
    const page = Math.min(10_000, Math.max(1, Number.parseInt(s.page ?? '1', 10) || 1));
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

  app.get('/agent/demandes/:id/documents', { schema: { params: idParams } }, async (req, reply) => reply.page(AgentPiecesPage({ ctx: req.pageCtx(), ...(await enrolments.agentDocuments(req.auth, req.params.id)) })));

  app.get('/agent/inscriptions', { schema: { querystring: QueueQuery } }, async (req, reply) => reply.page(await render(req, filterOf(req.query))));

  app.post('/agent/inscriptions', { schema: { body: QueueBody } }, async (req, reply) => {
    const body = req.body;
    const f = filterOf(body);
    const ids = [...new Set(body.ids)];
    const decision = parseDecision(body);
    if (ids.length === 0 || !decision.ok) {
      const errors = { ...(ids.length === 0 ? { ids: 'Cochez au moins une demande' } : {}), ...(decision.ok ? {} : decision.errors) };
      return reply.page(await render(req, f, { errors, values: { motif: body.motif ?? '' }, selected: ids }), 400);
    }
    const results = await enrolments.decide(req.auth, ids, decision.action, decision.note);
    return reply.flash(decisionFlash(decision.action, results, enrolments.refusalText)).seeOther(listUrl(f));
  });
}
