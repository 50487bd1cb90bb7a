import { sql } from 'kysely';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { MessageCategory } from '../../platform/db/schema-messaging.ts';

/** SQL of the automatic notifications: the town's settings, the messages and their recipients in batches. */

export async function settings(db: Executor) {
  return db.selectFrom('notification_settings').selectAll().execute();
}

export async function settingOf(db: Executor, kind: string) {
  return db.selectFrom('notification_settings').selectAll().where('kind', '=', kind).executeTakeFirst();
}

export async function saveSetting(tx: Executor, s: { kind: string; enabled: boolean; subject: string | null; body: string | null; by: string }, now: Date) {
  const row = { enabled: s.enabled ? 1 : 0, subject: s.subject, body: s.body, updated_by_label: s.by, updated_at: now.toISOString() };
  await tx
    .insertInto('notification_settings')
    .values({ kind: s.kind, ...row })
    .onConflict((oc) => oc.column('kind').doUpdateSet(row))
    .execute();
}

export interface NotificationMessage {
  id: string;
  key: string;
  householdId: string;
  kind: string;
  category: MessageCategory;
  topic: string;
  essential: boolean;
  subject: string;
  body: string;
}

/** Inserts the messages whose key is new; returns the ids inserted (a fact already told is skipped). */
export async function insertNotificationMessages(tx: Executor, rows: readonly NotificationMessage[], now: Date): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const at = now.toISOString();
  const inserted = await tx
    .insertInto('messages')
    .values(
      rows.map((m) => ({
        id: m.id,
        idempotency_key: m.key,
        kind: m.kind,
        category: m.category,
        topic: m.topic,
        essential: m.essential ? 1 : 0,
        subject: m.subject,
        body: m.body,
        audience: JSON.stringify({ foyer: [m.householdId] }),
        audience_label: 'Notification automatique',
        households_count: 1,
        recipients_count: 0,
        send_at: at,
        // No batch for the worker: the e-mails are written with the message.
        mailing_done_at: at,
        created_by: null,
        created_by_label: 'Portail (envoi automatique)',
        created_at: at,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((r) => r.id));
}

/**
 * The guardians of the households, with their address (the login's, else the one on file) and
 * whether they switched the topic off (`topic` null for an essential kind: nobody has).
 */
export async function guardiansOf(db: Executor, householdIds: readonly string[], topic: string | null) {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('mail_preferences as mp', (j) => j.onRef('mp.person_id', '=', 'hm.person_id').on('mp.category', '=', topic ?? ''))
    .select(['hm.household_id', 'hm.person_id', 'p.user_id', sql<string | null>`coalesce(u.email, p.email)`.as('email'), 'mp.person_id as opted_out'])
    .where('hm.role', '=', 'guardian')
    .where('hm.household_id', 'in', householdIds)
    .orderBy('hm.household_id')
    .orderBy('hm.person_id')
    .execute();
}

export async function insertRecipients(tx: Executor, rows: readonly { message_id: string; person_id: string; household_id: string; user_id: string | null; email: string | null; mail_state: 'queued' | 'none' | 'opted_out' }[]) {
  for (let i = 0; i < rows.length; i += 500) await tx.insertInto('message_recipients').values(rows.slice(i, i + 500).map((r) => ({ ...r, read_at: null }))).execute();
}

export async function setRecipientCounts(tx: Executor, counts: ReadonlyMap<string, number>) {
  const byCount = new Map<number, string[]>();
  for (const [id, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), id]);
  for (const [n, ids] of byCount) {
    for (let i = 0; i < ids.length; i += 500) await tx.updateTable('messages').set({ recipients_count: n }).where('id', 'in', ids.slice(i, i + 500)).execute();
  }
}
