import type { AppContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import type { RequestsService } from './requests.service.ts';
import type { RequestRow } from './requests.repository.ts';
import { REQUEST_OUTCOMES } from './requests.outcomes.ts';
import * as requestsRepo from './requests.repository.ts';
import * as tracking from './requests.tracking.repository.ts';

/** A draft keeps the form's text fields as they were typed (already bounded by the route's schema). */
export const draftFields = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && !['_csrf', 'action', 'brouillon'].includes(e[0])));

/** The values of a saved draft (`{ draft: { … } }` in its answers). */
export function savedValues(raw: unknown): Record<string, string> {
  const values = raw && typeof raw === 'object' ? (raw as { draft?: unknown }).draft : undefined;
  return values && typeof values === 'object' ? draftFields(values as Record<string, unknown>) : {};
}

/**
 * A form of another module that saves incomplete drafts (the QF update, the justified absence): where
 * it is reopened, what its saved values still lack (the checks of « Envoyer »), and how it is sent.
 * Handed to the tracking service by the composition root.
 */
export interface DraftForm {
  path: string;
  missing(actor: FamilyActor, values: Record<string, string>): Promise<string[]>;
  send(actor: FamilyActor, id: string): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }>;
}

/**
 * The one way a draft is kept and sent, for every type whose form saves incomplete drafts: the values in
 * request_answers (`{ draft: { … } }`), the draft's own (another household's or another type: 404; sent: 409),
 * sent in one transaction that writes the type's own rows and moves it to « déposée » (same id).
 */
export function requestDrafts(ctx: AppContext, requests: RequestsService) {
  const { db, clock } = ctx;

  async function own(actor: FamilyActor, id: string, type: string): Promise<RequestRow> {
    const { request } = await requests.familyRequest(actor, id);
    if (request.type !== type) throw new NotFoundError();
    if (request.status !== 'draft') throw new RuleError(REQUEST_OUTCOMES.not_draft);
    return request;
  }

  return {
    own,

    /** The saved values of the family's own draft of that type. */
    async values(actor: FamilyActor, id: string, type: string): Promise<Record<string, string>> {
      const draft = await own(actor, id, type);
      return savedValues(await tracking.answersOf(db, draft.id));
    },

    /** Creates the draft, or rewrites the reopened one (`draft`), with these values; `extra` runs in the same transaction. */
    async save(actor: FamilyActor, type: string, values: Record<string, string>, draft: RequestRow | null, extra?: (tx: Executor, row: { id: string; household_id: string }, now: Date) => Promise<void>) {
      const summary = `${requests.typeLabel(type)} (brouillon)`;
      return db.transaction().execute(async (tx) => {
        const now = clock.now();
        const row = draft ?? (await requests.create(tx, { type, householdId: actor.householdId, subjectPersonId: null, summary }, actorOf(actor.auth), now, { draft: true }));
        if (draft) {
          if (!(await requestsRepo.touchDraft(tx, draft.id, summary, now))) throw new RuleError(REQUEST_OUTCOMES.not_draft);
          await tracking.replaceAnswers(tx, draft.id, { draft: values });
        } else await tracking.insertAnswers(tx, row.id, actor.householdId, { draft: values });
        await extra?.(tx, { id: row.id, household_id: actor.householdId }, now);
        return { id: row.id, reference: row.reference };
      });
    },

    /**
     * Sends a complete draft: its summary, its answers (`null`: the type keeps its own rows, the saved values go),
     * the type's writes, then « déposée ». A double click or a deletion meanwhile: one winner (409 for the other).
     */
    async send(actor: FamilyActor, draft: RequestRow, summary: string, answers: unknown, write: (tx: Executor, now: Date) => Promise<void>, subjectPersonId?: string) {
      await db.transaction().execute(async (tx) => {
        const now = clock.now();
        if (!(await requestsRepo.touchDraft(tx, draft.id, summary, now))) throw new RuleError(REQUEST_OUTCOMES.not_draft);
        if (subjectPersonId) await requestsRepo.setSubject(tx, draft.id, subjectPersonId);
        if (answers === null) await tracking.deleteAnswers(tx, draft.id);
        else await tracking.replaceAnswers(tx, draft.id, answers);
        await write(tx, now);
        await requests.assertOffered(draft.type, tx);
        await requests.transition(tx, draft.id, 'submitted', actorOf(actor.auth), null, now);
      });
    },
  };
}

export type RequestDrafts = ReturnType<typeof requestDrafts>;
