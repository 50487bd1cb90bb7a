import nodemailer from 'nodemailer';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock/clock.ts';
import * as outbox from './outbox.repository.ts';
import { unseal } from '../security/secrets.ts';

export interface MailTransport {
  /** True when the message really left (SMTP); false when it is only kept for the back office (demo). */
  readonly delivers: boolean;
  send(message: { from: string; to: string; subject: string; text: string; html?: string }): Promise<void>;
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    delivers: true,
    async send(message) {
      await transporter.sendMail(message);
    },
  };
}

/**
 * Without SMTP (the demo), e-mails stay in the outbox, readable under « Courriels envoyés » without
 * their one-time secret (the admin hands an activation code at the counter instead, see the account page).
 */
export const keepTransport: MailTransport = { delivers: false, async send() {} };

export const MAX_ATTEMPTS = 10;
/** Messages handled per pass of the background loop. */
const BATCH = 20;

/** 1 min, 2 min, 4 min… capped at 6 hours. After MAX_ATTEMPTS the message is marked failed but kept, and an admin can resend it. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** (attempts - 1), 6 * 3600_000);
}

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  from: string;
  /** SECRET_KEY: opens the sealed one-time secrets as each message is handed to SMTP. */
  secretKey: string;
  /** Days a message keeps its text after it was queued (7 by default). */
  retentionDays?: number;
  onError?: (err: unknown) => void;
}

/** The text handed to SMTP: the sealed secret put back in place of its placeholder, in memory only. */
function textToSend(mail: { text_body: string; has_secret: number; sealed_secret: string | null }, secretKey: string): string {
  if (!mail.has_secret) return mail.text_body;
  const secret = mail.sealed_secret ? unseal(secretKey, outbox.OUTBOX_SEAL_PURPOSE, mail.sealed_secret) : null;
  if (secret === null) throw new Error('Code ou lien du message illisible (clé SECRET_KEY changée ?) : message non envoyé.');
  return mail.text_body.split(outbox.SECRET_PLACEHOLDER).join(secret);
}

/** Sends what is due once. Returns the number of messages handled. */
export async function processOutbox(o: OutboxWorkerOptions, batch = 20): Promise<number> {
  const due = await outbox.findDue(o.db, o.clock.now(), batch);
  let handled = 0;
  for (const mail of due) {
    if (!(await outbox.claim(o.db, mail.id, o.clock.now(), 120_000))) continue;
    handled++;
    try {
      await o.transport.send({ from: o.from, to: mail.to_address, subject: mail.subject, text: textToSend(mail, o.secretKey), html: mail.html_body ?? undefined });
      await outbox.markDelivered(o.db, mail.id, o.transport.delivers ? 'sent' : 'kept', o.clock.now());
    } catch (err) {
      const attempts = mail.attempts + 1;
      const next = attempts >= MAX_ATTEMPTS ? null : new Date(o.clock.now().getTime() + backoffMs(attempts));
      await outbox.markFailedAttempt(o.db, mail.id, attempts, err instanceof Error ? err.message : String(err), next);
      o.onError?.(err);
    }
  }
  await outbox.purgeOldBodies(o.db, new Date(o.clock.now().getTime() - (o.retentionDays ?? 7) * 86_400_000), o.clock.now());
  return handled;
}

/** Background loop; stop() waits for the current pass to end. */
export function startOutboxWorker(o: OutboxWorkerOptions, intervalMs = 2000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    let full = false;
    running = processOutbox(o, BATCH)
      .then((handled) => {
        // A full batch means more is waiting (a message to every family): go on at once.
        full = handled >= BATCH;
      })
      .catch((err) => o.onError?.(err))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, full ? 0 : intervalMs);
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
