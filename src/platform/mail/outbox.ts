import nodemailer from 'nodemailer';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock/clock.ts';
import * as outbox from './outbox.repository.ts';
import { unseal } from '../security/secrets.ts';

export interface MailTransport {
  /** True when the message really left (SMTP); false when it is only kept for the back office (demo). */
  readonly delivers: boolean;
  /** E-mails the worker may hand over at once (the SMTP pool's connections); one by default. */
  readonly concurrency?: number;
  send(message: { from: string; to: string; subject: string; text: string; html?: string }): Promise<void>;
  /** Closes open connections (the SMTP pool), when the process stops. */
  close?(): void;
}

/** Connections kept open to the SMTP server: a message to every family is thousands of e-mails. */
export const SMTP_CONNECTIONS = 4;

/**
 * SMTP through a pool of connections unless the URL chooses (`?pool=false`): a new connection per
 * e-mail costs a TCP and TLS handshake and the greeting, ~100 ms each, 6 e-mails/s (docs/benchmarks.md).
 */
export function smtpTransport(url: string): MailTransport {
  const pooled = /[?&]pool=/.test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}pool=true&maxConnections=${SMTP_CONNECTIONS}`;
  const transporter = nodemailer.createTransport(pooled);
  return {
    delivers: true,
    concurrency: /[?&]pool=false/.test(url) ? 1 : SMTP_CONNECTIONS,
    async send(message) {
      await transporter.sendMail(message);
    },
    close: () => transporter.close(),
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
  const deliver = async (mail: (typeof due)[number]) => {
    if (!(await outbox.claim(o.db, mail.id, o.clock.now(), 120_000))) return;
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
  };
  // As many hand-overs at once as the transport has connections, each e-mail claimed on its own.
  let next = 0;
  const lane = async () => {
    while (next < due.length) await deliver(due[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, o.transport.concurrency ?? 1) }, lane));
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
