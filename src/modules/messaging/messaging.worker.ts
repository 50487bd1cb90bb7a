import type { Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock/clock.ts';
import { insertMails, SECRET_PLACEHOLDER, type OutgoingMail } from '../../platform/mail/outbox.repository.ts';
import { signFor } from '../../platform/security/secrets.ts';
import { isCategory, mailSubject, mailText, UNSUBSCRIBE_PURPOSE, unsubscribeSubject } from './messaging.domain.ts';
import * as repo from './messaging.repository.ts';

export interface MessagingWorkerOptions {
  db: Db;
  clock: Clock;
  publicUrl: string;
  townName: string;
  /** SECRET_KEY: signs the unsubscribe links (sealed in the outbox, never stored readable). */
  secretKey: string;
  /** Recipients turned into e-mails per transaction. */
  batch?: number;
  /** Batches per pass (a pass ends earlier when nothing is left). */
  maxBatches?: number;
  onError?: (err: unknown) => void;
}

/**
 * Turns due recipients into outbox e-mails, a batch per transaction: the recipients claimed
 * (pending → queued) and their e-mails inserted commit together, so a process killed halfway loses
 * none and sends none twice (the outbox's dedupe key « message:<message>:<person> » guards a replay).
 * Returns the number of recipients handled.
 */
export async function processMessages(o: MessagingWorkerOptions): Promise<number> {
  const batch = o.batch ?? 200;
  let handled = 0;
  for (let i = 0; i < (o.maxBatches ?? 50); i++) {
    const now = o.clock.now();
    const due = await repo.dueRecipients(o.db, now, batch);
    if (due.length === 0) break;
    const byMessage = new Map<string, typeof due>();
    for (const r of due) byMessage.set(r.message_id, [...(byMessage.get(r.message_id) ?? []), r]);
    await o.db.transaction().execute(async (tx) => {
      for (const [messageId, rows] of byMessage) {
        const claimed = await repo.claimRecipients(tx, messageId, rows.map((r) => r.person_id));
        const mine = rows.filter((r) => claimed.has(r.person_id));
        await repo.markOptedOut(tx, messageId, mine.filter((r) => r.opted_out).map((r) => r.person_id));
        const mails: OutgoingMail[] = mine
          .filter((r) => !r.opted_out && r.email)
          .map((r) => {
            const url = r.essential ? null : unsubscribeUrl(o, r.person_id, r.topic);
            return {
              kind: `message-${r.kind}`,
              to: r.email!,
              subject: mailSubject(r.subject, isCategory(r.category) ? r.category : 'information', o.townName),
              text: mailText({ body: r.body, townName: o.townName, readUrl: `${o.publicUrl}/messages/${messageId}`, attachments: Number(r.attachments ?? 0), unsubscribe: url ? SECRET_PLACEHOLDER : null }),
              // The link acts without logging in: it travels sealed, like an activation code.
              secret: url ? { value: url, key: o.secretKey } : undefined,
              dedupeKey: `message:${messageId}:${r.person_id}`,
              userId: r.user_id,
              householdId: r.household_id,
            };
          });
        await insertMails(tx, now, mails);
      }
    });
    handled += due.length;
    if (due.length < batch) break;
  }
  await repo.markMailingsDone(o.db, o.clock.now());
  return handled;
}

/** The signed link that switches one topic off for one guardian, without logging in. */
export function unsubscribeUrl(o: { publicUrl: string; secretKey: string }, personId: string, topic: string): string {
  const signature = signFor(o.secretKey, UNSUBSCRIBE_PURPOSE, unsubscribeSubject(personId, topic));
  return `${o.publicUrl}/desinscription?${new URLSearchParams({ r: personId, t: topic, s: signature }).toString()}`;
}

/** Background loop beside the outbox's (main.ts); stop() waits for the current pass. */
export function startMessagingWorker(o: MessagingWorkerOptions, intervalMs = 2000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = processMessages(o)
      .catch((err) => o.onError?.(err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 10);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
