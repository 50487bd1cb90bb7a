import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { AudienceCriterion } from '../../platform/audience/audience.ts';
import type { MessageCategory } from '../../platform/db/schema-messaging.ts';

/** SQL of messaging: audiences evaluated set-based, the recipients snapshot, the mailing batches, inboxes. */

export interface ChosenCriterion {
  criterion: AudienceCriterion;
  values: readonly string[];
}

/** Live households matching every chosen criterion (AND), each criterion matching any of its values (OR). */
export function audienceHouseholds(db: Executor, chosen: readonly ChosenCriterion[], today: string) {
  let q = db
    .selectFrom('households')
    .select('households.id as household_id')
    .where('households.archived_at', 'is', null)
    .where('households.anonymised_at', 'is', null)
    .where('households.merged_into_id', 'is', null);
  for (const c of chosen) q = q.where('households.id', 'in', c.criterion.households(db, c.values, today));
  return q;
}

/** Households, guardians, and guardians without an e-mail address, of an audience. */
export async function countAudience(db: Executor, chosen: readonly ChosenCriterion[], today: string) {
  const households = audienceHouseholds(db, chosen, today);
  const [h, g] = await Promise.all([
    db.selectFrom(households.as('a')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('household_members as hm')
      .innerJoin('persons as p', 'p.id', 'hm.person_id')
      .leftJoin('users as u', 'u.id', 'p.user_id')
      .where('hm.role', '=', 'guardian')
      .where('hm.household_id', 'in', households)
      .select((eb) => [
        eb.fn.count<number>('hm.person_id').distinct().as('guardians'),
        eb.fn.count<number>(eb.case().when(eb.fn.coalesce('u.email', 'p.email'), 'is', null).then(eb.ref('hm.person_id')).end()).distinct().as('without_email'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return { households: Number(h.n), guardians: Number(g.guardians), withoutEmail: Number(g.without_email) };
}

/** One page of the audience's households, by name, with their guardians' names. */
export async function previewAudience(db: Executor, chosen: readonly ChosenCriterion[], today: string, page: number, pageSize: number) {
  return db
    .selectFrom('households as h')
    .select(['h.id', 'h.reference', 'h.name', 'h.city'])
    .where('h.id', 'in', audienceHouseholds(db, chosen, today))
    .orderBy('h.name')
    .orderBy('h.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
}

export interface NewMessage {
  id: string;
  idempotencyKey: string;
  kind: string;
  category: MessageCategory;
  topic: string;
  essential: boolean;
  subject: string;
  body: string;
  audience: string;
  audienceLabel: string;
  sendAt: Date;
  createdBy: string | null;
  createdByLabel: string;
}

/** Inserts the message unless its idempotency key is known; false when it already exists (a double click). */
export async function insertMessage(tx: Executor, m: NewMessage, now: Date): Promise<boolean> {
  const r = await tx
    .insertInto('messages')
    .values({
      id: m.id,
      idempotency_key: m.idempotencyKey,
      kind: m.kind,
      category: m.category,
      topic: m.topic,
      essential: m.essential ? 1 : 0,
      subject: m.subject,
      body: m.body,
      audience: m.audience,
      audience_label: m.audienceLabel,
      households_count: 0,
      recipients_count: 0,
      send_at: m.sendAt.toISOString(),
      mailing_done_at: null,
      created_by: m.createdBy,
      created_by_label: m.createdByLabel,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function messageByKey(db: Executor, key: string) {
  return db.selectFrom('messages').select(['id', 'created_by']).where('idempotency_key', '=', key).executeTakeFirst();
}

/**
 * The recipients snapshot, in one INSERT … SELECT: one row per guardian of the audience's households,
 * however many of these households they belong to (their first household by id is kept for the
 * counter's list). Guardians without an address are `none`; those who switched the category off
 * (`optOutCategory`, never for essential messages) are `opted_out`: both still find it in their inbox.
 */
export async function snapshotRecipients(tx: Executor, messageId: string, chosen: readonly ChosenCriterion[], today: string, optOutCategory: string | null) {
  const households = audienceHouseholds(tx, chosen, today);
  const email = sql<string | null>`min(coalesce(u.email, p.email))`;
  const optedOut = optOutCategory
    ? sql<number>`max(case when mp.person_id is null then 0 else 1 end)`
    : sql<number>`0`;
  const rows = tx
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('mail_preferences as mp', (j) => j.onRef('mp.person_id', '=', 'hm.person_id').on('mp.category', '=', optOutCategory ?? ''))
    .where('hm.role', '=', 'guardian')
    .where('hm.household_id', 'in', households)
    .groupBy('hm.person_id')
    .select((eb) => [
      eb.cast<string>(eb.val(messageId), 'text').as('message_id'),
      'hm.person_id',
      eb.fn.min('hm.household_id').as('household_id'),
      eb.fn.min('p.user_id').as('user_id'),
      email.as('email'),
      sql<string>`case when ${email} is null then 'none' when ${optedOut} = 1 then 'opted_out' else 'pending' end`.as('mail_state'),
    ]);
  await tx.insertInto('message_recipients').columns(['message_id', 'person_id', 'household_id', 'user_id', 'email', 'mail_state']).expression(rows).execute();
  const counts = await tx
    .selectFrom('message_recipients')
    .select((eb) => [eb.fn.countAll<number>().as('recipients'), eb.fn.count<number>('household_id').distinct().as('households')])
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  const households_count = Number((await tx.selectFrom(households.as('a')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  await tx.updateTable('messages').set({ recipients_count: Number(counts.recipients), households_count }).where('id', '=', messageId).execute();
  return { recipients: Number(counts.recipients), households: households_count };
}

export async function insertAttachment(tx: Executor, a: { id: string; messageId: string; filename: string; bytes: Buffer }, now: Date) {
  await tx
    .insertInto('message_attachments')
    .values({ id: a.id, message_id: a.messageId, filename: a.filename, size_bytes: a.bytes.length, content: a.bytes.toString('base64'), created_at: now.toISOString() })
    .execute();
}

// The mailing worker

/** Recipients due for an e-mail (their message's send time has come), in a stable order. */
export async function dueRecipients(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('message_recipients as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    // A preference switched off after the snapshot is honoured too (« at once »), unless the message is essential.
    .leftJoin('mail_preferences as mp', (j) => j.onRef('mp.person_id', '=', 'r.person_id').onRef('mp.category', '=', 'm.topic').on('m.essential', '=', 0))
    .select(['r.message_id', 'r.person_id', 'r.household_id', 'r.user_id', 'r.email', 'm.subject', 'm.body', 'm.category', 'm.kind', 'm.topic', 'm.essential', 'mp.person_id as opted_out'])
    .select((eb) => eb.selectFrom('message_attachments as a').whereRef('a.message_id', '=', 'm.id').select((e) => e.fn.countAll<number>().as('n')).as('attachments'))
    .where('r.mail_state', '=', 'pending')
    .where('m.send_at', '<=', now.toISOString())
    .orderBy('r.message_id')
    .orderBy('r.person_id')
    .limit(limit)
    .execute();
}

/** Claims recipients of one message for this worker: returns those it moved from pending to queued. */
export async function claimRecipients(tx: Executor, messageId: string, personIds: string[]) {
  const rows = await tx
    .updateTable('message_recipients')
    .set({ mail_state: 'queued' })
    .where('message_id', '=', messageId)
    .where('person_id', 'in', personIds)
    .where('mail_state', '=', 'pending')
    .returning('person_id')
    .execute();
  return new Set(rows.map((r) => r.person_id));
}

/** Recipients who switched the message's topic off between the snapshot and the mailing. */
export async function markOptedOut(tx: Executor, messageId: string, personIds: string[]) {
  if (personIds.length === 0) return;
  await tx.updateTable('message_recipients').set({ mail_state: 'opted_out' }).where('message_id', '=', messageId).where('person_id', 'in', personIds).execute();
}

/** Messages whose every recipient is handled are marked done (progress shows « terminé »). */
export async function markMailingsDone(db: Db, now: Date) {
  await db
    .updateTable('messages')
    .set({ mailing_done_at: now.toISOString() })
    .where('mailing_done_at', 'is', null)
    .where('send_at', '<=', now.toISOString())
    .where((eb) => eb.not(eb.exists(eb.selectFrom('message_recipients as r').select('r.person_id').whereRef('r.message_id', '=', 'messages.id').where('r.mail_state', '=', 'pending'))))
    .execute();
}

// Agent pages

export async function listMessages(db: Executor, page: number, pageSize: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('messages')
      .select(['id', 'subject', 'category', 'audience_label', 'households_count', 'recipients_count', 'send_at', 'mailing_done_at', 'created_by_label', 'created_at'])
      // The agents' list is theirs: automatic notifications (one per household and fact) are not shown.
      .where('kind', '=', 'manual')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'manual').executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function findMessage(db: Executor, id: string) {
  return db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function attachmentsOf(db: Executor, messageId: string) {
  return db.selectFrom('message_attachments').select(['id', 'filename', 'size_bytes']).where('message_id', '=', messageId).orderBy('created_at').orderBy('id').execute();
}

export async function attachmentContent(db: Executor, messageId: string, attachmentId: string) {
  return db.selectFrom('message_attachments').select(['filename', 'content']).where('id', '=', attachmentId).where('message_id', '=', messageId).executeTakeFirst();
}

/**
 * A message's progress: recipients by mail state, read on the portal, and what the outbox did with the
 * e-mails (found by their dedupe key, « message:<message>:<person> », through its unique index).
 */
export async function messageProgress(db: Executor, messageId: string) {
  const [states, outbox] = await Promise.all([
    db
      .selectFrom('message_recipients')
      .select(['mail_state', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('read_at').as('read')])
      .where('message_id', '=', messageId)
      .groupBy('mail_state')
      .execute(),
    db
      .selectFrom('message_recipients as r')
      .innerJoin('outbox as o', (j) => j.on('o.dedupe_key', '=', sql<string>`${'message:' + messageId + ':'} || r.person_id`))
      .select(['o.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.message_id', '=', messageId)
      .where('r.mail_state', '=', 'queued')
      .groupBy('o.status')
      .execute(),
  ]);
  const state = (s: string) => Number(states.find((r) => r.mail_state === s)?.n ?? 0);
  const mail = (s: string) => Number(outbox.find((r) => r.status === s)?.n ?? 0);
  return {
    pending: state('pending'),
    queued: state('queued'),
    withoutEmail: state('none'),
    optedOut: state('opted_out'),
    read: states.reduce((sum, r) => sum + Number(r.read), 0),
    delivered: mail('sent') + mail('kept'),
    waiting: mail('pending'),
    bounced: mail('failed'),
  };
}

/** Guardians of the message without an e-mail address, for the printable list of the counter. */
export async function recipientsWithoutEmail(db: Executor, messageId: string, limit: number) {
  return db
    .selectFrom('message_recipients as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .innerJoin('households as h', 'h.id', 'r.household_id')
    .select(['p.first_name', 'p.last_name', 'p.phone', 'h.reference', 'h.name as household', 'h.address_line1', 'h.address_line2', 'h.postcode', 'h.city'])
    .where('r.message_id', '=', messageId)
    .where('r.mail_state', '=', 'none')
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}
