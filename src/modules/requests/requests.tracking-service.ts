import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { auditRead, writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import type { StoredFiles } from '../../platform/files/stored-files.ts';
import type { IncomingUpload } from '../../platform/files/multipart-stream.ts';
import { refusalMessage } from '../../platform/files/files.outcomes.ts';
import { membersOf } from '../households/households.shared-service.ts';
import { isRequestStatus } from './requests.domain.ts';
import type { RequestsService } from './requests.service.ts';
import type { RequestRow } from './requests.repository.ts';
import { MESSAGE_MAX } from './requests.domain.ts';
import {
  nextStepFor,
  OPEN_STATUSES,
  OTHER,
  otherSummary,
  SITUATION,
  situationSummary,
  waitingCutoff,
  waitsForFamily,
  type AssignmentFilter,
} from './requests.tracking.domain.ts';
import { otherSchema, parseSituation } from './requests.tracking.forms.ts';
import { TRACKING_FORM } from './requests.tracking.outcomes.ts';
import { DRAFT_KEPT_DAYS } from './requests.service.ts';
import * as tracking from './requests.tracking.repository.ts';
import type { DocumentsService } from '../documents/documents.service.ts';
import { complementAnswers, type AnswerFields } from './requests.complement-service.ts';
import { documentsOfRequest } from './requests.documents.repository.ts';
import { draftFields, requestDrafts, savedValues, type DraftForm } from './requests.drafts-service.ts';

export type FormOutcome = { ok: true; id: string; reference: string; draft: boolean } | { ok: false; errors: Record<string, string> };

/** The types whose form is filed here (their answers in request_answers). */
export type FormType = typeof SITUATION | typeof OTHER;
export const isFormType = (type: string): type is FormType => type === SITUATION || type === OTHER;


/** What the agents' queue is filtered by (already checked by the route). */
export interface QueueFilter {
  type: string;
  statut: string;
  structure: string;
  attente: string;
  attribution: AssignmentFilter;
  page: number;
}

const PAGE_SIZE = 50;

/** Agents who may open requests and their files: the enfance service and admins. Anyone else is told nothing exists (404). */
const canProcess = (auth: Auth | null): auth is Auth => !!auth && auth.user.kind === 'agent' && hasRole(auth.user, 'admin', 'enfance');

/**
 * Tracking of every kind of request: the family files a « changement de situation » or an « autre
 * demande » with a file, follows what is expected of them, and exchanges messages with files both
 * ways; agents work in one queue for all types, take requests in hand and download files (audited).
 * Files go through the encrypted store (purpose `attachment`); nothing stays when a step fails.
 */
export function requestsTrackingService(ctx: AppContext, requests: RequestsService, files: StoredFiles, documents: Pick<DocumentsService, 'stage' | 'maxBytes'>, draftForms: Record<string, DraftForm> = {}) {
  const { db, clock } = ctx;
  const drafts = requestDrafts(ctx, requests);
  const complement = complementAnswers(ctx, requests, documents);
  const drainCap = files.maxBytes + 1024 * 1024;

  /** Streams an optional file into the store: null when none was chosen, or the form error. */
  async function storeUpload(householdId: string, upload: IncomingUpload | undefined, deleteAfter?: string): Promise<{ ok: true; fileId: string | null } | { ok: false; error: string }> {
    if (!upload || !upload.filename) {
      await upload?.drain(drainCap);
      return { ok: true, fileId: null };
    }
    const stored = await files.store(upload.content, { householdId, purpose: 'attachment', originalName: upload.filename, deleteAfter: deleteAfter ?? null, now: clock.now() });
    if (!stored.ok) {
      await upload.drain(drainCap);
      return { ok: false, error: refusalMessage(stored.code, files.maxBytes) };
    }
    return { ok: true, fileId: stored.value.id };
  }

  /** Runs the writes of a filed form or message; the stored file is removed when they fail. */
  async function withFile<T>(fileId: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (fileId) await files.remove(fileId);
      throw err;
    }
  }

  const attachTo = (fileId: string | null, fromFamily: boolean, authorId: string | null) => async (tx: Executor, request: RequestRow, messageId: string | null, now: Date) => {
    if (fileId) await tracking.insertAttachment(tx, { requestId: request.id, messageId, householdId: request.household_id, fileId, fromFamily, authorId }, now);
  };

  /** A new request of one of the types filed here, with its answers and its file, in one transaction. */
  async function file(actor: FamilyActor, type: string, summary: string, answers: unknown, fileId: string | null): Promise<{ id: string; reference: string }> {
    const author = actorOf(actor.auth);
    const now = clock.now();
    return withFile(fileId, () =>
      db.transaction().execute(async (tx) => {
        const created = await requests.create(tx, { type, householdId: actor.householdId, subjectPersonId: null, summary }, author, now);
        await tracking.insertAnswers(tx, created.id, actor.householdId, answers);
        const row = { id: created.id, household_id: actor.householdId } as RequestRow;
        await attachTo(fileId, true, author.id)(tx, row, null, now);
        return created;
      }),
    );
  }

  async function guardians(actor: FamilyActor) {
    return (await membersOf(db, actor.householdId)).filter((m) => m.role === 'guardian').map((m) => ({ id: m.id, name: `${m.first_name} ${m.last_name}` }));
  }

  /** Message text checked before any byte of the file is read: a message, or a file, or both. */
  function messageProblem(body: string | undefined, upload: IncomingUpload | undefined): string | null {
    const text = (body ?? '').trim();
    if (text.length > MESSAGE_MAX) return `${MESSAGE_MAX} caractères au maximum`;
    if (!text && !upload?.filename) return TRACKING_FORM.message_or_file;
    return null;
  }

  /** The form's completeness (what « Envoyer » checks): the answers to keep and the summary, or what is missing. */
  async function checkForm(actor: FamilyActor, type: FormType, body: Record<string, unknown>, hasFile: boolean): Promise<{ ok: true; answers: unknown; summary: string } | { ok: false; errors: Record<string, string> }> {
    if (type === OTHER) {
      const parsed = otherSchema.safeParse(body);
      if (parsed.success) return { ok: true, answers: parsed.data, summary: otherSummary(parsed.data) };
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
      return { ok: false, errors };
    }
    const parsed = parseSituation(body);
    const errors: Record<string, string> = parsed.ok ? {} : { ...parsed.errors };
    let leaving: string | undefined;
    if (parsed.ok && parsed.data.kind === 'guardian_leaves') {
      const person = parsed.data.person;
      leaving = (await guardians(actor)).find((g) => g.id === person)?.name;
      if (!leaving) errors.person = TRACKING_FORM.person_unknown;
    }
    if (parsed.ok && parsed.data.kind === 'custody' && !hasFile) errors.fichier = TRACKING_FORM.jugement_missing;
    if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors };
    return { ok: true, answers: { ...parsed.data, ...(leaving ? { leaving_name: leaving } : {}) }, summary: situationSummary(parsed.data, leaving) };
  }

  /** A draft's own files end with it: kept DRAFT_KEPT_DAYS days (and one) after they are sent, unless the draft is sent. */
  const draftFileEnd = () => new Date(clock.now().getTime() + (DRAFT_KEPT_DAYS + 1) * 86_400_000).toISOString();

  return {
    maxBytes: files.maxBytes,

    /** For the decision routes: an agent without business with requests is told nothing exists. */
    assertMayProcess(auth: Auth | null): asserts auth is Auth {
      if (!canProcess(auth)) throw new NotFoundError();
    },

    /** « Mes demandes »: every request with its status and what the family is expected to do next. */
    async familyList(actor: FamilyActor) {
      const rows = await tracking.familyTrackingRows(db, actor.householdId);
      // A draft of a form filed here says what is still missing (the checks of « Envoyer », on its saved values).
      // A draft of another module's form (draftForms) says it through that form's own checks.
      const states = await tracking.draftsState(db, rows.filter((r) => r.status === 'draft' && (isFormType(r.type) || draftForms[r.type])).map((r) => r.id));
      const missing = new Map<string, string[]>();
      for (const d of states) {
        const type = rows.find((r) => r.id === d.request_id)!.type;
        let raw: unknown = null;
        try {
          raw = JSON.parse(d.payload);
        } catch {
          raw = null;
        }
        if (!isFormType(type)) {
          missing.set(d.request_id, await draftForms[type].missing(actor, savedValues(raw)));
          continue;
        }
        const checked = await checkForm(actor, type, savedValues(raw), Number(d.files ?? 0) > 0);
        missing.set(d.request_id, checked.ok ? [] : Object.values(checked.errors));
      }
      const own = await requests.familyNextSteps(rows);
      return rows.map((r) => ({ ...r, typeLabel: requests.typeLabel(r.type), nextStep: own.get(r.id) ?? nextStepFor(r.status, r.last_from_family), waiting: own.has(r.id) || waitsForFamily(r.status, r.last_from_family), missing: missing.get(r.id) ?? null }));
    },

    guardians,

    /**
     * Files a « changement de situation » or an « autre demande », or saves it as a draft (`draft`):
     * a draft keeps what is filled in, even incomplete (values bounded by the route, a file still
     * checked); sending checks completeness. `draftId`: the family's own draft, reopened.
     */
    async fileForm(actor: FamilyActor, type: FormType, body: Record<string, unknown>, upload: IncomingUpload | undefined, options: { draft: boolean; draftId?: string }): Promise<FormOutcome> {
      const draft = options.draftId ? await drafts.own(actor, options.draftId, type) : null;
      const author = actorOf(actor.auth);
      if (options.draft) {
        const stored = await storeUpload(actor.householdId, upload, draftFileEnd());
        if (!stored.ok) return { ok: false, errors: { fichier: stored.error } };
        const saved = await withFile(stored.fileId, () => drafts.save(actor, type, draftFields(body), draft, (tx, row, now) => attachTo(stored.fileId, true, author.id)(tx, row as RequestRow, null, now)));
        return { ok: true, ...saved, draft: true };
      }
      const filesBefore = draft ? (await tracking.attachmentsOf(db, draft.id)).length : 0;
      const checked = await checkForm(actor, type, body, !!upload?.filename || filesBefore > 0);
      if (!checked.ok) {
        await upload?.drain(drainCap);
        return checked;
      }
      const stored = await storeUpload(actor.householdId, upload);
      if (!stored.ok) return { ok: false, errors: { fichier: stored.error } };
      if (!draft) return { ok: true, ...(await file(actor, type, checked.summary, checked.answers, stored.fileId)), draft: false };
      await withFile(stored.fileId, () =>
        drafts.send(actor, draft, checked.summary, checked.answers, async (tx, now) => {
          await attachTo(stored.fileId, true, author.id)(tx, draft, null, now);
          await tracking.keepDraftFiles(tx, draft.id);
        }),
      );
      return { ok: true, id: draft.id, reference: draft.reference, draft: false };
    },

    /** A draft reopened: its type and the values saved (another household's, or a sent request: 404 / 409). */
    draftValues: (actor: FamilyActor, id: string, type: FormType): Promise<Record<string, string>> => drafts.values(actor, id, type),

    /** A draft of another module's form, sent from its page (`null` when its type has no such form). */
    sendOtherDraft: (actor: FamilyActor, id: string, type: string) => draftForms[type]?.send(actor, id) ?? null,

    /** Where another module's draft is reopened (`?brouillon=`), for the page of « Envoyer » that found it incomplete. */
    resumeHrefOf: (type: string, id: string) => (draftForms[type] ? `${draftForms[type].path}?brouillon=${id}` : undefined),

    /** « Envoyer » from a draft's page: the saved values checked as the form does; errors send the family back to the form. */
    async sendSavedDraft(actor: FamilyActor, id: string, type: FormType) {
      const values = await this.draftValues(actor, id, type);
      return { values, result: await this.fileForm(actor, type, values, undefined, { draft: false, draftId: id }) };
    },

    /** The family's request page: timeline, messages, files and what is expected next. Another household's id → 404. */
    async familyView(actor: FamilyActor, id: string) {
      const view = await requests.familyRequest(actor, id);
      const [attachments, joined, answerForm] = await Promise.all([tracking.attachmentsOf(db, id), documentsOfRequest(db, id), view.request.status === 'complement_requested' ? complement.form(actor, view.request) : Promise.resolve(undefined)]);
      const last = view.messages.at(-1);
      const type = view.request.type;
      const resumeHref = view.request.status !== 'draft' ? undefined : isFormType(type) ? `/demandes/nouvelle/${type === SITUATION ? 'situation' : 'autre'}?brouillon=${view.request.id}` : draftForms[type] ? `${draftForms[type].path}?brouillon=${view.request.id}` : undefined;
      const own = await requests.familyNextSteps([view.request]);
      return { ...view, attachments, documents: joined, answerForm, resumeHref, nextStep: own.get(view.request.id) ?? nextStepFor(view.request.status, last ? last.from_family : null) };
    },

    /** The family's answer to a complement, with a text and/or a document (requests.complement-service.ts). */
    answerComplement: (actor: FamilyActor, id: string, fields: AnswerFields, upload: IncomingUpload | undefined) => complement.answer(actor, id, fields, upload),

    /** A message of the family, with or without a file. */
    async familyMessage(actor: FamilyActor, id: string, body: string | undefined, upload: IncomingUpload | undefined): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
      await requests.familyRequest(actor, id);
      const problem = messageProblem(body, upload);
      if (problem) {
        await upload?.drain(drainCap);
        return { ok: false, errors: { message: problem } };
      }
      const stored = await storeUpload(actor.householdId, upload);
      if (!stored.ok) return { ok: false, errors: { fichier: stored.error } };
      const authorId = actor.auth.user.id;
      await withFile(stored.fileId, () => requests.addFamilyMessage(actor, id, (body ?? '').trim(), attachTo(stored.fileId, true, authorId)));
      return { ok: true };
    },

    async familyDownload(actor: FamilyActor, id: string, attachmentId: string) {
      const found = await tracking.findAttachment(db, id, attachmentId);
      if (!found || found.request_household_id !== actor.householdId || found.household_id !== actor.householdId) throw new NotFoundError();
      const file = await files.openForDownload(found.file_id);
      if (!file) throw new NotFoundError('Ce fichier est endommagé et ne peut pas être ouvert. Demandez au service de l\'envoyer de nouveau.');
      return file;
    },

    /** The agent's request page: the model's view, its files and who took it in hand. */
    async agentView(auth: Auth | null, id: string) {
      if (!canProcess(auth)) throw new NotFoundError();
      const view = await requests.agentRequest(auth, id);
      const [attachments, joined] = await Promise.all([tracking.attachmentsOf(db, id), documentsOfRequest(db, id)]);
      return { ...view, attachments, documents: joined, me: auth.user.id };
    },

    async agentMessage(auth: Auth | null, id: string, body: string | undefined, upload: IncomingUpload | undefined): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
      if (!canProcess(auth)) throw new NotFoundError();
      const request = await requests.agentRequest(auth, id);
      const problem = messageProblem(body, upload);
      if (problem) {
        await upload?.drain(drainCap);
        return { ok: false, errors: { message: problem } };
      }
      const stored = await storeUpload(request.request.household_id, upload);
      if (!stored.ok) return { ok: false, errors: { fichier: stored.error } };
      await withFile(stored.fileId, () => requests.addAgentMessage(auth, id, (body ?? '').trim(), attachTo(stored.fileId, false, auth.user.id)));
      return { ok: true };
    },

    /** A file of a request, for an agent of the enfance service or an admin (anyone else: 404); every read is audited. */
    async agentDownload(auth: Auth | null, id: string, attachmentId: string) {
      if (!canProcess(auth)) throw new NotFoundError();
      const found = await tracking.findAttachment(db, id, attachmentId);
      if (!found) throw new NotFoundError();
      const file = await files.openForDownload(found.file_id);
      if (!file) throw new NotFoundError('Ce fichier est endommagé et ne peut pas être ouvert. Demandez à la famille de l\'envoyer de nouveau.');
      await auditRead(db, clock, auth, [found.household_id], 'request', `le fichier « ${file.originalName} » de la demande ${found.reference}`);
      return file;
    },

    /** « Je m'en occupe » (take) or « Ne plus m'en occuper » (release) on one or many requests; audited on each household. */
    async assign(auth: Auth | null, ids: string[], take: boolean): Promise<number> {
      if (!canProcess(auth)) throw new NotFoundError();
      const actor = actorOf(auth);
      const now = clock.now();
      let changed = 0;
      for (const id of new Set(ids)) {
        await db.transaction().execute(async (tx) => {
          const request = (await tracking.trackingTargets(tx, [id]))[0];
          if (!request) return;
          if (!take && request.assigned_to !== auth.user.id) return;
          if (!(await tracking.assign(tx, id, take ? { id: auth.user.id, label: actor.label } : null, now))) return;
          await writeAudit(tx, now, actor, { action: take ? 'request.assigned' : 'request.released', targetType: 'household', targetId: request.household_id, summary: `Demande ${request.reference} ${take ? `prise en charge par ${actor.label}` : 'n\'est plus attribuée'}` });
          changed++;
        });
      }
      return changed;
    },

    /** The one queue of every type, filtered, 50 a page. */
    async queue(auth: Auth | null, f: QueueFilter) {
      if (!canProcess(auth)) throw new NotFoundError();
      const statuses = f.statut === 'toutes' ? [] : f.statut === 'a-traiter' || !isRequestStatus(f.statut) ? [...OPEN_STATUSES] : [f.statut];
      const days = Number(f.attente);
      const [result, facilities] = await Promise.all([
        tracking.trackingQueue(db, {
          type: f.type || null,
          statuses,
          facilityId: f.structure || null,
          changedBefore: days > 0 ? waitingCutoff(clock.now(), days) : null,
          assignedTo: f.attribution === 'miennes' ? auth.user.id : null,
          unassigned: f.attribution === 'personne',
          page: f.page,
          pageSize: PAGE_SIZE,
        }),
        tracking.facilities(db),
      ]);
      return { ...result, facilities, pageSize: PAGE_SIZE, now: clock.now(), me: auth.user.id, typeLabel: requests.typeLabel };
    },

    typeLabel: requests.typeLabel,
  };
}

export type RequestsTrackingService = ReturnType<typeof requestsTrackingService>;
