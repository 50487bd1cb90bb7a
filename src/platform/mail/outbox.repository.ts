import type { Db } from '../db/database.ts';
import type { Executor } from '../audit/audit.repository.ts';
import type { OutboxStatus } from '../db/schema.ts';
import { newId } from '../ids.ts';

export interface OutgoingMail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Same key twice = one e-mail (unique constraint), e.g. "invoice-issued:<id>". */
  dedupeKey?: string;
}

export async function insertMail(tx: Executor, at: Date, mail: OutgoingMail): Promise<string> {
  const id = newId();
  const row = {
    id,
    dedupe_key: mail.dedupeKey ?? null,
    kind: mail.kind,
    to_address: mail.to,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    status: 'pending' as const,
    next_attempt_at: at.toISOString(),
    created_at: at.toISOString(),
  };
  if (mail.dedupeKey) {
    await tx.insertInto('outbox').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
  } else {
    await tx.insertInto('outbox').values(row).execute();
  }
  return id;
}

export async function findDue(db: Db, now: Date, limit: number) {
  const at = now.toISOString();
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/** Claim a message for one worker: several app instances may share the table. */
export async function claim(db: Db, id: string, now: Date, lockMs: number): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('outbox')
    .set({ locked_until: new Date(now.getTime() + lockMs).toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markDelivered(db: Db, id: string, status: Extract<OutboxStatus, 'sent' | 'kept'>, now: Date) {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status, sent_at: now.toISOString(), locked_until: null, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id)
    .execute();
}

export async function markFailedAttempt(db: Db, id: string, attempts: number, error: string, nextAttemptAt: Date | null) {
  await db
    .updateTable('outbox')
    .set({
      attempts,
      last_error: error.slice(0, 500),
      locked_until: null,
      ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt.toISOString() } : { status: 'failed' as const }),
    })
    .where('id', '=', id)
    .execute();
}

export async function requeue(db: Db, id: string, now: Date) {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now.toISOString(), locked_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'kept', 'sent'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listMails(db: Db, page: number, pageSize: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('outbox')
      .select(['id', 'kind', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function findMail(db: Db, id: string) {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countFailed(db: Db) {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Messages still waiting for a retry, and those that gave up (for the CLI's report). */
export async function countUnsent(db: Db) {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('status', 'in', ['pending', 'failed']).groupBy('status').execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { pending: count('pending'), failed: count('failed') };
}
