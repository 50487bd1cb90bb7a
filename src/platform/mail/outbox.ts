import nodemailer from 'nodemailer';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock/clock.ts';
import * as outbox from './outbox.repository.ts';

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

/** Without SMTP (the demo), e-mails stay in the outbox, readable under « Courriels envoyés ». */
export const keepTransport: MailTransport = { delivers: false, async send() {} };

export const MAX_ATTEMPTS = 10;

/** 1 min, 2 min, 4 min… capped at 6 hours. After MAX_ATTEMPTS the message is marked failed but kept, and an admin can resend it. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** (attempts - 1), 6 * 3600_000);
}

export interface OutboxWorkerOptions {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  from: string;
  onError?: (err: unknown) => void;
}

/** Sends what is due once. Returns the number of messages handled. */
export async function processOutbox(o: OutboxWorkerOptions, batch = 20): Promise<number> {
  const due = await outbox.findDue(o.db, o.clock.now(), batch);
  let handled = 0;
  for (const mail of due) {
    if (!(await outbox.claim(o.db, mail.id, o.clock.now(), 120_000))) continue;
    handled++;
    try {
      await o.transport.send({ from: o.from, to: mail.to_address, subject: mail.subject, text: mail.text_body, html: mail.html_body ?? undefined });
      await outbox.markDelivered(o.db, mail.id, o.transport.delivers ? 'sent' : 'kept', o.clock.now());
    } catch (err) {
      const attempts = mail.attempts + 1;
      const next = attempts >= MAX_ATTEMPTS ? null : new Date(o.clock.now().getTime() + backoffMs(attempts));
      await outbox.markFailedAttempt(o.db, mail.id, attempts, err instanceof Error ? err.message : String(err), next);
      o.onError?.(err);
    }
  }
  return handled;
}

/** Background loop; stop() waits for the current pass to end. */
export function startOutboxWorker(o: OutboxWorkerOptions, intervalMs = 2000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = processOutbox(o)
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
