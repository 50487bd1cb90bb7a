import type { Db } from '../db/database.ts';
import type { Executor } from '../audit/audit.repository.ts';
import type { OutboxStatus } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { seal } from '../security/secrets.ts';

/** Where a one-time secret goes in a stored body: the secret itself is never stored readable. */
export const SECRET_PLACEHOLDER = '{{secret}}';
/** What an agent reads in its place. */
export const SECRET_SHOWN_AS = '[code confidentiel, visible seulement par le destinataire]';
export const OUTBOX_SEAL_PURPOSE = 'outbox-secret';

export interface OutgoingMail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Same key twice = one e-mail (unique constraint), e.g. "invoice-issued:<id>". */
  dedupeKey?: string;
  /**
   * A one-time secret (activation code, link token): `text` holds SECRET_PLACEHOLDER where it goes.
   * Stored sealed (AES-GCM), put into the message only when handed to SMTP, then wiped.
   */
  secret?: { value: string; key: string };
  /** The account the message is about: an agent reading it is audited for that account… */
  userId?: string | null;
  /** …and for its household, shown in the family's history. */
  householdId?: string | null;
}

/** The outbox row of an e-mail: its secret sealed, never readable. */
const rowOf = (at: Date, mail: OutgoingMail) => ({
  id: newId(),
  dedupe_key: mail.dedupeKey ?? null,
  kind: mail.kind,
  to_address: mail.to,
  subject: mail.subject,
  text_body: mail.text,
  html_body: mail.html ?? null,
  sealed_secret: mail.secret ? seal(mail.secret.key, OUTBOX_SEAL_PURPOSE, mail.secret.value) : null,
  has_secret: mail.secret ? 1 : 0,
  user_id: mail.userId ?? null,
  household_id: mail.householdId ?? null,
  status: 'pending' as const,
  next_attempt_at: at.toISOString(),
  created_at: at.toISOString(),
});

export async function insertMail(tx: Executor, at: Date, mail: OutgoingMail): Promise<string> {
  const row = rowOf(at, mail);
  if (mail.dedupeKey) {
    await tx.insertInto('outbox').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
  } else {
    await tx.insertInto('outbox').values(row).execute();
  }
  return row.id;
}

/**
 * Many e-mails in multi-row INSERTs of 500 (a message to thousands of families, an invoicing run): the same rows
 * as insertMail, and a key already known is skipped (a batch replayed after a crash sends nothing twice).
 */
export async function insertMails(tx: Executor, at: Date, mails: readonly OutgoingMail[]): Promise<void> {
  const rows = mails.map((mail) => rowOf(at, mail));
  for (let i = 0; i < rows.length; i += 500) await tx.insertInto('outbox').values(rows.slice(i, i + 500)).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
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

/** Delivered: the sealed secret is wiped at once (it was needed only to build this message). */
export async function markDelivered(db: Db, id: string, status: Extract<OutboxStatus, 'sent' | 'kept'>, now: Date) {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status, sent_at: now.toISOString(), locked_until: null, attempts: eb('attempts', '+', 1), last_error: null, sealed_secret: null }))
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

/** Sends again a message that still has its text, and its secret if it needs one (else false). */
export async function requeue(db: Executor, id: string, now: Date) {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now.toISOString(), locked_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'kept', 'sent'])
    .where('body_purged_at', 'is', null)
    .where((eb) => eb.or([eb('has_secret', '=', 0), eb('sealed_secret', 'is not', null)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * After the retention period only the envelope of a message stays (to whom, what, when, status):
 * delivered bodies are emptied, and a message that never left loses its sealed secret and body too.
 */
export async function purgeOldBodies(db: Db, before: Date, now: Date) {
  const r = await db
    .updateTable('outbox')
    .set({ text_body: '', html_body: null, sealed_secret: null, body_purged_at: now.toISOString() })
    .where('body_purged_at', 'is', null)
    .where('created_at', '<', before.toISOString())
    .where('status', 'in', ['sent', 'kept', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The account (and its household, if any) an e-mail address belongs to, for messages stored without them. */
export async function findRecipient(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .leftJoin('persons', 'persons.user_id', 'users.id')
    .leftJoin('household_members', (j) => j.onRef('household_members.person_id', '=', 'persons.id').on('household_members.role', '=', 'guardian'))
    .select(['users.id as user_id', 'users.kind', 'household_members.household_id'])
    .where('users.email', '=', email.toLowerCase())
    .orderBy('household_members.household_id')
    .executeTakeFirst();
}

export async function listMails(db: Db, page: number, pageSize: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('outbox')
      .select(['id', 'kind', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'sent_at', 'body_purged_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** A message as an agent may read it: never the sealed secret. */
export async function findMail(db: Executor, id: string) {
  return db
    .selectFrom('outbox')
    .select(['id', 'kind', 'to_address', 'subject', 'text_body', 'status', 'attempts', 'last_error', 'created_at', 'sent_at', 'body_purged_at', 'has_secret', 'user_id', 'household_id'])
    .select((eb) => eb('sealed_secret', 'is not', null).as('secret_kept'))
    .where('id', '=', id)
    .executeTakeFirst();
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
