import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { AudienceChoice, AudienceCriterion } from '../../platform/audience/audience.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { day as dayInput } from '../../platform/http/input.ts';
import { newId } from '../../platform/ids.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { ATTACHMENT_BYTES_MAX, ATTACHMENTS_MAX, describeAudience, isEssentialCategory, looksLikePdf, safePdfName, type Audience, type Category } from './messaging.domain.ts';
import type { SendRefusal } from './messaging.outcomes.ts';
import * as repo from './messaging.repository.ts';

/** Messages are written by the enfance service and admins. */
export function assertCanMessage(auth: Auth | null): asserts auth is Auth {
  assertRole(auth, 'admin', 'enfance');
}

export interface CriterionForm {
  criterion: AudienceCriterion;
  choices: AudienceChoice[];
}

export interface SendInput {
  idempotencyKey: string;
  audience: Audience;
  subject: string;
  body: string;
  category: Category;
  /** null: now. */
  sendAt: Date | null;
  attachments: { filename: string; bytes: Buffer }[];
}

/**
 * Targeted messages (issue 13): audiences from the criteria every module contributes, evaluated in SQL;
 * sending snapshots the recipients and queues in one transaction, the worker (messaging.worker.ts)
 * turns them into e-mails in batches.
 */
export function messagingService(ctx: AppContext, criteria: readonly AudienceCriterion[]) {
  const { db, clock } = ctx;
  const byKey = new Map(criteria.map((c) => [c.key, c]));

  /** Each chosen criterion with its values checked (a choice among those offered, or a real day) and its labels. */
  async function resolve(audience: Audience): Promise<Result<{ chosen: repo.ChosenCriterion[]; label: string }, SendRefusal>> {
    const today = clock.today();
    const chosen: repo.ChosenCriterion[] = [];
    const parts: { legend: string; labels: string[] }[] = [];
    for (const [key, values] of Object.entries(audience)) {
      const criterion = byKey.get(key);
      if (!criterion) continue;
      if (criterion.input === 'day') {
        if (!values.every((v) => dayInput.safeParse(v).success)) return fail('bad_day');
        parts.push({ legend: criterion.legend, labels: values.map((v) => criterion.describeDay?.(v) ?? v) });
      } else {
        const offered = new Map((await criterion.choices?.(db, today) ?? []).map((c) => [c.value, c.label]));
        if (!values.every((v) => offered.has(v))) return fail('unknown_choice');
        parts.push({ legend: criterion.legend, labels: values.map((v) => offered.get(v)!) });
      }
      chosen.push({ criterion, values });
    }
    return ok({ chosen, label: describeAudience(parts) });
  }

  function checkAttachments(files: SendInput['attachments']): SendRefusal | null {
    if (files.length > ATTACHMENTS_MAX) return 'too_many';
    if (files.some((f) => f.bytes.length > ATTACHMENT_BYTES_MAX)) return 'too_large';
    if (files.some((f) => !looksLikePdf(f.bytes))) return 'not_pdf';
    return null;
  }

  return {
    criteria,

    /** The criteria with their choices, for the audience form. */
    async criteriaForm(auth: Auth | null): Promise<CriterionForm[]> {
      assertCanMessage(auth);
      const today = clock.today();
      return Promise.all(criteria.map(async (criterion) => ({ criterion, choices: criterion.input === 'choices' ? ((await criterion.choices?.(db, today)) ?? []) : [] })));
    },

    /** The live count of households and guardians of an audience, with its description. */
    async count(auth: Auth | null, audience: Audience) {
      assertCanMessage(auth);
      const resolved = await resolve(audience);
      if (!resolved.ok) return resolved;
      const counts = await repo.countAudience(db, resolved.value.chosen, clock.today());
      return ok({ ...counts, label: resolved.value.label });
    },

    /** One page of the audience's households. */
    async preview(auth: Auth | null, audience: Audience, page: number, pageSize: number) {
      assertCanMessage(auth);
      const resolved = await resolve(audience);
      if (!resolved.ok) return resolved;
      const today = clock.today();
      const [counts, rows] = await Promise.all([repo.countAudience(db, resolved.value.chosen, today), repo.previewAudience(db, resolved.value.chosen, today, page, pageSize)]);
      return ok({ ...counts, rows, label: resolved.value.label });
    },

    /**
     * Sends (or schedules) a message, once per idempotency key: the message, its attachments and the
     * recipients snapshot commit together; the e-mails are made by the worker. A second submission of
     * the same form returns the first message (`duplicate`).
     */
    async send(auth: Auth | null, input: SendInput): Promise<Result<{ id: string; duplicate: boolean; recipients: number; households: number }, SendRefusal>> {
      assertCanMessage(auth);
      const now = clock.now();
      const known = await repo.messageByKey(db, input.idempotencyKey);
      if (known) return known.created_by === auth.user.id ? ok({ id: known.id, duplicate: true, recipients: 0, households: 0 }) : fail('key_taken');
      if (input.sendAt && input.sendAt.getTime() < now.getTime() - 60_000) return fail('send_at_past');
      const refused = checkAttachments(input.attachments);
      if (refused) return fail(refused);
      const resolved = await resolve(input.audience);
      if (!resolved.ok) return resolved;
      const actor = actorOf(auth);
      const id = newId();
      const outcome = await db.transaction().execute(async (tx) => {
        const inserted = await repo.insertMessage(tx, { id, idempotencyKey: input.idempotencyKey, kind: 'manual', category: input.category, topic: input.category, essential: isEssentialCategory(input.category), subject: input.subject, body: input.body, audience: JSON.stringify(input.audience), audienceLabel: resolved.value.label, sendAt: input.sendAt ?? now, createdBy: auth.user.id, createdByLabel: actor.label }, now);
        if (!inserted) return null;
        const counts = await repo.snapshotRecipients(tx, id, resolved.value.chosen, clock.today(), isEssentialCategory(input.category) ? null : input.category);
        if (counts.recipients === 0) throw new EmptyAudience();
        for (const file of input.attachments) await repo.insertAttachment(tx, { id: newId(), messageId: id, filename: safePdfName(file.filename), bytes: file.bytes }, now);
        await writeAudit(tx, now, actor, { action: 'message.sent', targetType: 'message', targetId: id, summary: `Message « ${input.subject} » à ${counts.recipients} responsable${counts.recipients > 1 ? 's' : ''} (${resolved.value.label})` });
        return counts;
      }).catch((err: unknown) => {
        if (err instanceof EmptyAudience) return 'empty' as const;
        throw err;
      });
      if (outcome === 'empty') return fail('empty_audience');
      if (outcome === null) {
        // The same form arrived twice at the same instant: the other submission made the message.
        const other = await repo.messageByKey(db, input.idempotencyKey);
        return other ? ok({ id: other.id, duplicate: true, recipients: 0, households: 0 }) : fail('key_taken');
      }
      return ok({ id, duplicate: false, ...outcome });
    },

    async list(auth: Auth | null, page: number, pageSize: number) {
      assertCanMessage(auth);
      return repo.listMessages(db, page, pageSize);
    },

    /** A message as the agent follows it: text, attachments, progress of the e-mails, reads. */
    async message(auth: Auth | null, id: string) {
      assertCanMessage(auth);
      const message = await repo.findMessage(db, id);
      if (!message) throw new NotFoundError();
      const [attachments, progress] = await Promise.all([repo.attachmentsOf(db, id), repo.messageProgress(db, id)]);
      return { message, attachments, progress };
    },

    /** Guardians without an e-mail address: the printable list for the counter (bounded). */
    async counterList(auth: Auth | null, id: string) {
      assertCanMessage(auth);
      const message = await repo.findMessage(db, id);
      if (!message) throw new NotFoundError();
      return { message, rows: await repo.recipientsWithoutEmail(db, id, 5000) };
    },

    async agentAttachment(auth: Auth | null, messageId: string, attachmentId: string) {
      assertCanMessage(auth);
      const file = await repo.attachmentContent(db, messageId, attachmentId);
      if (!file) throw new NotFoundError();
      return { filename: file.filename, bytes: Buffer.from(file.content, 'base64') };
    },
  };
}

/** Rolls back a send whose audience turned out empty. */
class EmptyAudience extends Error {}

export type MessagingService = ReturnType<typeof messagingService>;
