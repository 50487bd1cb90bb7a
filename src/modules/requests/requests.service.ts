import { guardianEmails } from '../households/households.shared-service.ts';
import { auditRead } from '../../platform/audit/audit.repository.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import { writeAudit, type Actor, type Executor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { insertNotice } from '../../platform/notices/notices.repository.ts';
import { notify } from '../messaging/messaging.notifications-service.ts';
import { actorOf } from '../../platform/http/actor.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { todayIn } from '../../platform/calendar/calendar.domain.ts';
import { DECISION_REFUSALS, REQUEST_OUTCOMES, type DecisionRefusal } from './requests.outcomes.ts';
import { decisionsFrom, isHiddenFromAgents, isRequestStatus, needsDueDate, needsReason, refusalOf, REMINDER_DAYS_BEFORE, STATUS_LABELS, stepsTo, type Decision, type RequestStatus } from './requests.domain.ts';
import { addDays, dayLabel } from '../../platform/calendar/calendar.domain.ts';
import * as repo from './requests.repository.ts';
import { assertCanProcess, requestTypesService, type ComplementDocument, type RequestTypeHandler } from './requests.types-service.ts';
import type { RequestRow } from './requests.repository.ts';

export type { ComplementDocument, RequestTypeHandler, RequestTypeSetting } from './requests.types-service.ts';
export { assertCanProcess, HELP_TEXT_MAX } from './requests.types-service.ts';

/** A draft the family has not touched for this many days is deleted by the worker. */
export const DRAFT_KEPT_DAYS = 90;

/**
 * A decision's step refused: the code is one of DECISION_REFUSALS, or one of the type handler's
 * `refusals`. A RuleError, so that a caller that lets it through shows a 409 page with its wording.
 */
export class StepRefused extends RuleError {
  constructor(
    readonly code: string,
    wording: string,
  ) {
    super(wording);
  }
}

/** The outcome of a decision on one request: its new status, or the code of why nothing changed. */
export type DecisionResult = { id: string; reference: string; summary: string; status: RequestStatus } & ({ ok: true } | { ok: false; code: DecisionRefusal | (string & {}) });


const statusOf = (r: RequestRow): RequestStatus => {
  if (!isRequestStatus(r.status)) throw new Error(`Statut de demande inconnu : ${r.status}`);
  return r.status;
};

/**
 * The general request model: creation with a reference, a timeline of dated steps with who and why,
 * messages both ways. Families reach only their household's requests (another id → 404);
 * agents of the enfance service and admins process them.
 */
export function requestsService(ctx: AppContext, handlers: Record<string, RequestTypeHandler> = {}) {
  const { db, clock, config } = ctx;

  async function audit(tx: Executor, now: Date, actor: Actor, request: Pick<RequestRow, 'household_id'>, action: string, summary: string) {
    await writeAudit(tx, now, actor, { action, targetType: 'household', targetId: request.household_id, summary });
  }

  /** Portal notice and e-mail to the guardians of the household. */
  async function tellFamily(tx: Executor, request: RequestRow, subject: string, text: string, now: Date, dedupeKey?: string) {
    await insertNotice(tx, request.household_id, text, now);
    for (const to of await guardianEmails(tx, request.household_id)) {
      await insertMail(tx, now, {
        kind: 'request-notice',
        to,
        subject: `${subject} – ${config.town.name}`,
        text: `Bonjour,\n\n${text}\n\nVotre demande : ${config.publicUrl}/demandes/${request.id}\n\n--\n${config.town.name} – Portail famille`,
        dedupeKey: dedupeKey ? `${dedupeKey}:${to}` : undefined,
      });
    }
  }

  const refused = (code: DecisionRefusal) => new StepRefused(code, DECISION_REFUSALS[code]);

  /** « Demande reçue »: when a request is filed, or its draft sent. */
  async function tellReceived(tx: Executor, requestId: string, now: Date) {
    const row = (await repo.findRequest(tx, requestId))!;
    await tellFamily(tx, row, `Demande ${row.reference} reçue`, `Nous avons bien reçu votre demande ${row.reference} (${row.summary}). Le service enfance va l'examiner ; vous serez prévenu à chaque étape.`, now, `request-received:${row.id}`);
  }

  async function withDetails(request: RequestRow) {
    const handler = handlers[request.type];
    const [events, messages, details] = await Promise.all([repo.eventsOf(db, request.id), repo.messagesOf(db, request.id), handler?.details ? handler.details(db, request, clock.today()) : Promise.resolve([])]);
    return { request, status: statusOf(request), typeLabel: handler?.label ?? request.type, events, messages, details, agentLink: handler?.agentLink };
  }

  const types = requestTypesService(ctx, handlers);

  /** The family's own request (a draft included); another household's id is a 404. */
  async function ownRequest(actor: FamilyActor, id: string) {
    const request = await repo.findRequest(db, id);
    if (!request || request.household_id !== actor.householdId) throw new NotFoundError();
    return request;
  }

  const service = {
    typeLabel: (type: string) => handlers[type]?.label ?? type,
    /** The wallet's document type a type of request waits for, if any. */
    documentTypeOf: (type: string) => handlers[type]?.documentType ?? null,
    /** Lets the request's type take a document joined to a complement answer (in the answer's transaction). */
    complementDocument: (tx: Executor, request: RequestRow, document: ComplementDocument, now: Date) => handlers[request.type]?.onComplementDocument?.(tx, request, document, now) ?? Promise.resolve(),

    /** The types' own « what to do next » for open requests (`familyNextSteps`), by request id; one call per type. */
    async familyNextSteps(rows: { id: string; type: string; status: string }[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      const open = rows.filter((r) => r.status === 'submitted' || r.status === 'in_review' || r.status === 'complement_requested');
      for (const type of new Set(open.map((r) => r.type))) {
        const handler = handlers[type];
        if (handler?.familyNextSteps) for (const [id, step] of await handler.familyNextSteps(db, open.filter((r) => r.type === type).map((r) => r.id), clock.today())) out.set(id, step);
      }
      return out;
    },

    // The town's settings of the types (offered or not, help text): requests.types-service.ts.
    ...types,

    /** The wording of a refusal code: the model's own, or the type handler's. */
    refusalText: (code: string): string =>
      (DECISION_REFUSALS as Readonly<Record<string, string>>)[code] ?? Object.values(handlers).find((h) => h.refusals?.[code])?.refusals?.[code] ?? code,

    /**
     * A new request inside the caller's transaction (the type's own rows commit with it): « déposée »,
     * or a « brouillon » the family sends later (no e-mail, unseen by agents). A type the town switched
     * off is refused here, whatever the form.
     */
    async create(tx: Executor, input: { type: string; householdId: string; subjectPersonId: string | null; summary: string }, actor: Actor, now: Date, options: { draft?: boolean } = {}) {
      await service.assertOffered(input.type, tx);
      const status: RequestStatus = options.draft ? 'draft' : 'submitted';
      const year = Number(todayIn(now).slice(0, 4));
      const created = await repo.insertRequest(tx, { ...input, status }, now, year);
      await repo.insertEvent(tx, { requestId: created.id, actorId: actor.id, actorLabel: actor.label, from: null, to: status, note: null }, now);
      await audit(tx, now, actor, { household_id: input.householdId }, options.draft ? 'request.draft_saved' : 'request.submitted', `Demande ${created.reference} ${options.draft ? 'enregistrée en brouillon' : 'déposée'} : ${input.summary}`);
      if (!options.draft) await tellReceived(tx, created.id, now);
      return created;
    },

    /** The family sends its draft: it becomes « déposée » (checked atomically), the service sees it. */
    async submitDraft(actor: FamilyActor, id: string): Promise<void> {
      const request = await ownRequest(actor, id);
      if (request.status !== 'draft') throw new RuleError(REQUEST_OUTCOMES.not_draft);
      await db.transaction().execute(async (tx) => {
        await service.assertOffered(request.type, tx);
        try {
          await service.transition(tx, id, 'submitted', actorOf(actor.auth), null, clock.now());
        } catch (err) {
          throw err instanceof StepRefused && (err.code === 'changed' || err.code === 'already' || err.code === 'not_allowed') ? new RuleError(REQUEST_OUTCOMES.not_draft) : err;
        }
      });
    },

    /** The family deletes its draft (only a draft, only its own): nothing of it stays. */
    async deleteDraft(actor: FamilyActor, id: string): Promise<void> {
      const request = await ownRequest(actor, id);
      if (request.status !== 'draft') throw new RuleError(REQUEST_OUTCOMES.not_draft);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await repo.deleteDraft(tx, id, actor.householdId))) throw new RuleError(REQUEST_OUTCOMES.not_draft);
        await audit(tx, now, actorOf(actor.auth), request, 'request.draft_deleted', `Brouillon ${request.reference} supprimé : ${request.summary}`);
      });
    },

    /**
     * The family answers a complement: its message joins the thread and the request goes back to
     * « en instruction », in one transaction (an agent who refused meanwhile wins; the answer is not kept).
     */
    async answerComplement(actor: FamilyActor, id: string, body: string, attach?: (tx: Executor, request: RequestRow, messageId: string, now: Date) => Promise<void>): Promise<void> {
      const request = await ownRequest(actor, id);
      if (request.status !== 'complement_requested') throw new RuleError(REQUEST_OUTCOMES.not_waiting_complement);
      const author = actorOf(actor.auth);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const messageId = await repo.insertMessage(tx, { requestId: id, authorId: author.id, authorLabel: author.label, fromFamily: true, body }, now);
        await attach?.(tx, request, messageId, now);
        try {
          await service.transition(tx, id, 'in_review', author, null, now);
        } catch (err) {
          throw err instanceof StepRefused && ['changed', 'already', 'not_allowed'].includes(err.code) ? new RuleError(REQUEST_OUTCOMES.not_waiting_complement) : err;
        }
      });
    },

    /**
     * The reminder of each complement due within REMINDER_DAYS_BEFORE days, once (claimed with
     * `UPDATE … WHERE reminded_at IS NULL`, and the outbox's dedupe key per request × due date × address):
     * run by the worker, any number of times and processes. Returns how many requests were reminded.
     */
    async sendComplementReminders(): Promise<number> {
      const now = clock.now();
      const today = todayIn(now);
      let sent = 0;
      for (const due of await repo.complementsToRemind(db, today, addDays(today, REMINDER_DAYS_BEFORE))) {
        await db.transaction().execute(async (tx) => {
          if (!due.due_date || !(await repo.claimReminder(tx, due.id, due.due_date, now))) return;
          const request = (await repo.findRequest(tx, due.id))!;
          await tellFamily(
            tx,
            request,
            `Rappel : complément attendu pour la demande ${request.reference}`,
            `Le service attend votre réponse sur la demande ${request.reference} (${request.summary}) avant le ${dayLabel(due.due_date, true)}. Répondez depuis la page de la demande.`,
            now,
            `request-reminder:${request.id}:${due.due_date}`,
          );
          sent++;
        });
      }
      return sent;
    },

    /**
     * Moves a request to a new status inside the caller's transaction, checking the allowed moves and the
     * current status atomically (UPDATE … WHERE status = from). Each step writes a dated event with who and why,
     * an audit row on the household, and lets the type's module update its own rows. Throws a RuleError
     * (so the transaction rolls back) when the move is not possible.
     */
    async transition(tx: Executor, requestId: string, to: RequestStatus, actor: Actor, note: string | null, now: Date, options: { dueDate?: string | null } = {}) {
      const request = await repo.findRequest(tx, requestId);
      if (!request) throw new NotFoundError();
      const from = statusOf(request);
      // The family sends a draft; agents never move one (nor see it).
      const steps = from === 'draft' && to !== 'submitted' ? null : stepsTo(from, to);
      if (!steps) throw refused(refusalOf(from, to)!);
      const reason = note?.trim() || null;
      if (needsReason(to) && !reason) throw refused('reason_missing');
      const dueDate = needsDueDate(to) ? (options.dueDate ?? null) : null;
      if (needsDueDate(to) && !dueDate) throw refused('due_missing');
      let current = from;
      for (const step of steps) {
        if (!(await repo.moveStatus(tx, requestId, current, step, now, step === to ? dueDate : null))) throw refused('changed');
        const last = step === to;
        await repo.insertEvent(tx, { requestId, actorId: actor.id, actorLabel: actor.label, from: current, to: step, note: last ? reason : null }, now);
        await audit(tx, now, actor, request, 'request.status_changed', `Demande ${request.reference} : ${STATUS_LABELS[step]}${last && reason ? ` (motif : ${reason})` : ''}`);
        await handlers[request.type]?.onStep?.(tx, { ...request, status: step }, step, now, actor);
        current = step;
      }
      const moved = { ...request, status: to, due_date: dueDate };
      if (to === 'submitted') {
        await tellReceived(tx, requestId, now);
        return { request: moved, from, steps };
      }
      const next =
        to === 'complement_requested'
          ? ` Merci de répondre avant le ${dayLabel(dueDate!, true)}, depuis la page de la demande.`
          : to === 'refused'
          ? ' Pour en parler ou demander un réexamen, écrivez au service depuis la page de la demande.'
          : to === 'waiting_list'
            ? ' Vous serez prévenu dès qu\'une place se libère.'
            : to === 'accepted' && handlers[request.type]?.whenAccepted
              ? ` ${handlers[request.type].whenAccepted}`
              : '';
      const motif = reason ? ` ${to === 'complement_requested' ? 'Ce qui manque' : 'Motif'} : ${reason}.` : '';
      const text = `Votre demande ${request.reference} (${request.summary}) est maintenant « ${STATUS_LABELS[to]} ».${motif}${next}`;
      await insertNotice(tx, moved.household_id, text, now);
      // The e-mail and the inbox message go through the town's notification « request_status » (its switch and text).
      // A complement may be asked (and answered) more than once: each time is its own fact.
      await notify(tx, ctx, now, 'request_status', [
        {
          householdId: moved.household_id,
          fact: to === 'complement_requested' || to === 'in_review' ? `${request.id}:${to}:${now.toISOString()}` : `${request.id}:${to}`,
          values: { reference: request.reference, resume: request.summary, statut: STATUS_LABELS[to], etape: STATUS_LABELS[to].toLowerCase(), motif, suite: next, lien: `${config.publicUrl}/demandes/${request.id}` },
        },
      ]);
      return { request: moved, from, steps };
    },

    /** An agent decides one or many requests; each in its own transaction, so one conflict does not block the others. */
    async decide(auth: Auth | null, ids: string[], to: Decision, note: string | null, options: { type?: string; dueDate?: string | null } = {}): Promise<DecisionResult[]> {
      assertCanProcess(auth);
      const actor = actorOf(auth);
      const found = await repo.findRequests(db, [...new Set(ids)]);
      const requests = new Map(found.filter((r) => (!options.type || r.type === options.type) && !isHiddenFromAgents(r.status)).map((r) => [r.id, r]));
      const results: DecisionResult[] = [];
      for (const id of new Set(ids)) {
        const request = requests.get(id);
        if (!request) continue;
        const row = { id, reference: request.reference, summary: request.summary };
        try {
          await db.transaction().execute((tx) => service.transition(tx, id, to, actor, note, clock.now(), { dueDate: options.dueDate }));
          results.push({ ...row, status: to, ok: true });
        } catch (err) {
          if (!(err instanceof StepRefused)) throw err;
          results.push({ ...row, status: statusOf(request), ok: false, code: err.code });
        }
      }
      return results;
    },

    /** The family's requests (its drafts included), newest first. */
    async familyList(actor: FamilyActor) {
      return repo.requestsOfHousehold(db, actor.householdId, 200, { withDrafts: true });
    },

    /** One request of the family's household, with its timeline and messages; any other id is a 404. */
    async familyRequest(actor: FamilyActor, id: string) {
      return withDetails(await ownRequest(actor, id));
    },

    /** `attach`: joins a file already in the encrypted store to the message, in its transaction (requests.tracking-service.ts). */
    async addFamilyMessage(actor: FamilyActor, id: string, body: string, attach?: (tx: Executor, request: RequestRow, messageId: string, now: Date) => Promise<void>) {
      const { request } = await service.familyRequest(actor, id);
      const author = actorOf(actor.auth);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const messageId = await repo.insertMessage(tx, { requestId: request.id, authorId: author.id, authorLabel: author.label, fromFamily: true, body }, now);
        await attach?.(tx, request, messageId, now);
        if (actor.auth.user.kind === 'agent') await audit(tx, now, author, request, 'request.message', `Message envoyé pour la famille sur la demande ${request.reference}`);
      });
    },

    /** A request as an agent sees it, with the decisions possible from its status. */
    async agentRequest(auth: Auth | null, id: string) {
      assertCanProcess(auth);
      const request = await repo.findRequest(db, id);
      // A draft is the family's own until sent: agents do not know it exists.
      if (!request || isHiddenFromAgents(request.status)) throw new NotFoundError();
      const view = await withDetails(request);
      await auditRead(db, clock, auth, [request.household_id], 'request', `la demande ${request.reference}`);
      return { ...view, decisions: decisionsFrom(view.status) };
    },

    /** A request an agent may act on (roles checked; a draft or an unknown id is a 404), without the audited read of its page. */
    async requestForAgent(auth: Auth | null, id: string) {
      assertCanProcess(auth);
      const request = await repo.findRequest(db, id);
      if (!request || isHiddenFromAgents(request.status)) throw new NotFoundError();
      return { ...request, status: statusOf(request) };
    },

    /** An agent writes to the family: the message is on the request page, with a notice and an e-mail. */
    async addAgentMessage(auth: Auth | null, id: string, body: string, attach?: (tx: Executor, request: RequestRow, messageId: string, now: Date) => Promise<void>) {
      assertCanProcess(auth);
      const request = await repo.findRequest(db, id);
      if (!request || isHiddenFromAgents(request.status)) throw new NotFoundError();
      const author = actorOf(auth);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const messageId = await repo.insertMessage(tx, { requestId: request.id, authorId: author.id, authorLabel: author.label, fromFamily: false, body }, now);
        await attach?.(tx, request, messageId, now);
        await audit(tx, now, author, request, 'request.message', `Message du service sur la demande ${request.reference}`);
        await tellFamily(tx, request, `Nouveau message sur votre demande ${request.reference}`, `Le service vous a écrit au sujet de votre demande ${request.reference} (${request.summary}). Lisez le message sur le portail.`, now);
      });
    },
  };
  return service;
}

export type RequestsService = ReturnType<typeof requestsService>;
