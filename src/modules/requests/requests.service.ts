import { guardianEmails } from '../households/households.shared-service.ts';
import { auditRead } from '../../platform/audit/audit.repository.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Actor, type Executor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import { insertNotice } from '../../platform/notices/notices.repository.ts';
import { notify } from '../messaging/messaging.notifications-service.ts';
import { actorOf } from '../../platform/http/actor.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { todayIn } from '../../platform/calendar/calendar.domain.ts';
import { DECISION_REFUSALS, type DecisionRefusal } from './requests.outcomes.ts';
import { decisionsFrom, isRequestStatus, needsReason, refusalOf, STATUS_LABELS, stepsTo, type Decision, type RequestStatus } from './requests.domain.ts';
import * as repo from './requests.repository.ts';
import type { RequestRow } from './requests.repository.ts';

/**
 * What a type of request (enrolment, change of situation…) adds to the general model.
 * The type's module provides it; the composition root hands it to the requests service.
 */
export interface RequestTypeHandler {
  /** « Inscription à un service » */
  label: string;
  /** Runs in the transaction of each step, after the request moved: throw a StepRefused with one of `refusals` to cancel the whole decision. */
  onStep?(tx: Executor, request: RequestRow, to: RequestStatus, now: Date, actor: Actor): Promise<void>;
  /** The codes `onStep` may refuse with, and their wording (declared once, in the type's `*.outcomes.ts`). */
  refusals?: Readonly<Record<string, string>>;
  /** Lines shown on the request page (child, service, year…). */
  details?(db: Executor, request: RequestRow): Promise<{ key: string; value: string }[]>;
}

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

/** Requests are processed by the enfance service and admins. */
export function assertCanProcess(auth: Auth | null): asserts auth is Auth {
  assertRole(auth, 'admin', 'enfance');
}

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

  async function withDetails(request: RequestRow) {
    const handler = handlers[request.type];
    const [events, messages, details] = await Promise.all([repo.eventsOf(db, request.id), repo.messagesOf(db, request.id), handler?.details ? handler.details(db, request) : Promise.resolve([])]);
    return { request, status: statusOf(request), typeLabel: handler?.label ?? request.type, events, messages, details };
  }

  const service = {
    typeLabel: (type: string) => handlers[type]?.label ?? type,

    /** The wording of a refusal code: the model's own, or the type handler's. */
    refusalText: (code: string): string =>
      (DECISION_REFUSALS as Readonly<Record<string, string>>)[code] ?? Object.values(handlers).find((h) => h.refusals?.[code])?.refusals?.[code] ?? code,

    /** A new request, « déposée », inside the caller's transaction (the type's own rows commit with it). */
    async create(tx: Executor, input: { type: string; householdId: string; subjectPersonId: string | null; summary: string }, actor: Actor, now: Date) {
      const year = Number(todayIn(now).slice(0, 4));
      const created = await repo.insertRequest(tx, { ...input, status: 'submitted' }, now, year);
      await repo.insertEvent(tx, { requestId: created.id, actorId: actor.id, actorLabel: actor.label, from: null, to: 'submitted', note: null }, now);
      await audit(tx, now, actor, { household_id: input.householdId }, 'request.submitted', `Demande ${created.reference} déposée : ${input.summary}`);
      const row = (await repo.findRequest(tx, created.id))!;
      await tellFamily(tx, row, `Demande ${created.reference} reçue`, `Nous avons bien reçu votre demande ${created.reference} (${input.summary}). Le service enfance va l'examiner ; vous serez prévenu à chaque étape.`, now, `request-received:${created.id}`);
      return created;
    },

    /**
     * Moves a request to a new status inside the caller's transaction, checking the allowed moves and the
     * current status atomically (UPDATE … WHERE status = from). Each step writes a dated event with who and why,
     * an audit row on the household, and lets the type's module update its own rows. Throws a RuleError
     * (so the transaction rolls back) when the move is not possible.
     */
    async transition(tx: Executor, requestId: string, to: RequestStatus, actor: Actor, note: string | null, now: Date) {
      const request = await repo.findRequest(tx, requestId);
      if (!request) throw new NotFoundError();
      const from = statusOf(request);
      const steps = stepsTo(from, to);
      if (!steps) throw refused(refusalOf(from, to)!);
      const reason = note?.trim() || null;
      if (needsReason(to) && !reason) throw refused('reason_missing');
      let current = from;
      for (const step of steps) {
        if (!(await repo.moveStatus(tx, requestId, current, step, now))) throw refused('changed');
        const last = step === to;
        await repo.insertEvent(tx, { requestId, actorId: actor.id, actorLabel: actor.label, from: current, to: step, note: last ? reason : null }, now);
        await audit(tx, now, actor, request, 'request.status_changed', `Demande ${request.reference} : ${STATUS_LABELS[step]}${last && reason ? ` (motif : ${reason})` : ''}`);
        await handlers[request.type]?.onStep?.(tx, { ...request, status: step }, step, now, actor);
        current = step;
      }
      const moved = { ...request, status: to };
      const next =
        to === 'refused'
          ? ' Pour en parler ou demander un réexamen, écrivez au service depuis la page de la demande.'
          : to === 'waiting_list'
            ? ' Vous serez prévenu dès qu\'une place se libère.'
            : to === 'accepted'
              ? ' Vous pouvez maintenant réserver.'
              : '';
      const text = `Votre demande ${request.reference} (${request.summary}) est maintenant « ${STATUS_LABELS[to]} ».${reason ? ` Motif : ${reason}.` : ''}${next}`;
      await insertNotice(tx, moved.household_id, text, now);
      // The e-mail and the inbox message go through the town's notification « request_status » (its switch and text).
      await notify(tx, ctx, now, 'request_status', [
        {
          householdId: moved.household_id,
          fact: `${request.id}:${to}`,
          values: { reference: request.reference, resume: request.summary, statut: STATUS_LABELS[to], etape: STATUS_LABELS[to].toLowerCase(), motif: reason ? ` Motif : ${reason}.` : '', suite: next, lien: `${config.publicUrl}/demandes/${request.id}` },
        },
      ]);
      return { request: moved, from, steps };
    },

    /** An agent decides one or many requests; each in its own transaction, so one conflict does not block the others. */
    async decide(auth: Auth | null, ids: string[], to: Decision, note: string | null, options: { type?: string } = {}): Promise<DecisionResult[]> {
      assertCanProcess(auth);
      const actor = actorOf(auth);
      const found = await repo.findRequests(db, [...new Set(ids)]);
      const requests = new Map(found.filter((r) => !options.type || r.type === options.type).map((r) => [r.id, r]));
      const results: DecisionResult[] = [];
      for (const id of new Set(ids)) {
        const request = requests.get(id);
        if (!request) continue;
        const row = { id, reference: request.reference, summary: request.summary };
        try {
          await db.transaction().execute((tx) => service.transition(tx, id, to, actor, note, clock.now()));
          results.push({ ...row, status: to, ok: true });
        } catch (err) {
          if (!(err instanceof StepRefused)) throw err;
          results.push({ ...row, status: statusOf(request), ok: false, code: err.code });
        }
      }
      return results;
    },

    /** The family's requests, newest first. */
    async familyList(actor: FamilyActor) {
      return repo.requestsOfHousehold(db, actor.householdId);
    },

    /** One request of the family's household, with its timeline and messages; any other id is a 404. */
    async familyRequest(actor: FamilyActor, id: string) {
      const request = await repo.findRequest(db, id);
      if (!request || request.household_id !== actor.householdId) throw new NotFoundError();
      return withDetails(request);
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
      if (!request) throw new NotFoundError();
      const view = await withDetails(request);
      await auditRead(db, clock, auth, [request.household_id], 'request', `la demande ${request.reference}`);
      return { ...view, decisions: decisionsFrom(view.status) };
    },

    /** An agent writes to the family: the message is on the request page, with a notice and an e-mail. */
    async addAgentMessage(auth: Auth | null, id: string, body: string, attach?: (tx: Executor, request: RequestRow, messageId: string, now: Date) => Promise<void>) {
      assertCanProcess(auth);
      const request = await repo.findRequest(db, id);
      if (!request) throw new NotFoundError();
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
