import type { Executor } from '../../platform/audit/audit.repository.ts';
import { prepared } from '../../platform/db/prepared.ts';
import { nextCounter } from '../../platform/db/counters.ts';
import { newId } from '../../platform/ids.ts';
import { formatRequestReference, type RequestStatus } from './requests.domain.ts';

/** The only SQL on requests, request_events and request_messages. */

export interface NewRequest {
  type: string;
  householdId: string;
  subjectPersonId: string | null;
  summary: string;
  status: RequestStatus;
}

/** A request with its reference « D-2026-000123 » (gap-free per year inside the caller's transaction). */
export async function insertRequest(tx: Executor, r: NewRequest, now: Date, year: number) {
  const id = newId();
  const reference = formatRequestReference(year, await nextCounter(tx, `request-${year}`));
  const at = now.toISOString();
  await tx
    .insertInto('requests')
    .values({ id, reference, type: r.type, household_id: r.householdId, subject_person_id: r.subjectPersonId, status: r.status, summary: r.summary, created_at: at, updated_at: at })
    .execute();
  return { id, reference };
}

export interface NewEvent {
  requestId: string;
  actorId: string | null;
  actorLabel: string;
  from: RequestStatus | null;
  to: RequestStatus;
  note: string | null;
}

export async function insertEvent(tx: Executor, e: NewEvent, now: Date) {
  await tx
    .insertInto('request_events')
    .values({ id: newId(), request_id: e.requestId, at: now.toISOString(), actor_id: e.actorId, actor_label: e.actorLabel, from_status: e.from, to_status: e.to, note: e.note })
    .execute();
}

/**
 * Moves a request only if it is still in the expected status: two agents cannot both decide it.
 * A complement sets its due date (and a fresh reminder); any other status clears them.
 */
export async function moveStatus(tx: Executor, id: string, from: RequestStatus, to: RequestStatus, now: Date, dueDate: string | null = null): Promise<boolean> {
  const r = await tx
    .updateTable('requests')
    .set({ status: to, updated_at: now.toISOString(), due_date: to === 'complement_requested' ? dueDate : null, reminded_at: null })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes a draft of the household (its events and messages with it; the type's rows go by ON DELETE CASCADE). */
export async function deleteDraft(tx: Executor, id: string, householdId: string): Promise<boolean> {
  const found = await tx.selectFrom('requests').select('id').where('id', '=', id).where('household_id', '=', householdId).where('status', '=', 'draft').executeTakeFirst();
  if (!found) return false;
  // Files joined to the draft go with it (their bytes at the next purge); wallet documents stay in the wallet.
  await tx.deleteFrom('stored_files').where('id', 'in', tx.selectFrom('request_attachments').select('file_id').where('request_id', '=', id)).execute();
  await tx.deleteFrom('request_attachments').where('request_id', '=', id).execute();
  await tx.deleteFrom('request_answers').where('request_id', '=', id).execute();
  await tx.deleteFrom('request_events').where('request_id', '=', id).execute();
  await tx.deleteFrom('request_messages').where('request_id', '=', id).execute();
  const r = await tx.deleteFrom('requests').where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Drafts not touched since `before`, oldest first (bounded): the worker deletes them. */
export async function staleDrafts(db: Executor, before: string, limit = 200) {
  return db.selectFrom('requests').select(['id', 'household_id', 'reference']).where('status', '=', 'draft').where('updated_at', '<', before).orderBy('updated_at').limit(limit).execute();
}

/** A draft saved again: its summary and the day it last changed (the 90 days count from there). */
export async function touchDraft(tx: Executor, id: string, summary: string, now: Date): Promise<boolean> {
  const r = await tx.updateTable('requests').set({ summary, updated_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The child a draft turned out to be about (an absence), set when it is sent: export and anonymisation follow it. */
export async function setSubject(tx: Executor, id: string, personId: string) {
  await tx.updateTable('requests').set({ subject_person_id: personId }).where('id', '=', id).execute();
}

/** Complements due between `today` and `until` whose reminder has not gone, oldest due first (bounded). */
export async function complementsToRemind(db: Executor, today: string, until: string, limit = 500) {
  return db
    .selectFrom('requests')
    .select(['id', 'due_date'])
    .where('status', '=', 'complement_requested')
    .where('reminded_at', 'is', null)
    .where('due_date', '>=', today)
    .where('due_date', '<=', until)
    .orderBy('due_date')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Claims the reminder of one complement: only one process sends it, only while it is still awaited for that day. */
export async function claimReminder(tx: Executor, id: string, dueDate: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('requests')
    .set({ reminded_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'complement_requested')
    .where('due_date', '=', dueDate)
    .where('reminded_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The town's settings of the types of request (a type without a row is offered, without help text). */
export async function typeSettings(db: Executor) {
  return db.selectFrom('request_types').selectAll().execute();
}

export async function typeSetting(db: Executor, code: string) {
  return db.selectFrom('request_types').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function saveTypeSetting(tx: Executor, row: { code: string; active: number; help_text: string; updated_by: string | null }, now: Date) {
  const at = now.toISOString();
  await tx
    .insertInto('request_types')
    .values({ ...row, updated_at: at })
    .onConflict((oc) => oc.column('code').doUpdateSet({ active: row.active, help_text: row.help_text, updated_by: row.updated_by, updated_at: at }))
    .execute();
}

export async function findRequest(db: Executor, id: string) {
  return db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

export async function findRequests(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('requests').selectAll().where('id', 'in', ids).execute();
}

/** A household's requests, newest first (bounded); agents never see the family's drafts. */
export async function requestsOfHousehold(db: Executor, householdId: string, limit = 200, options: { withDrafts?: boolean } = {}) {
  let q = db.selectFrom('requests').selectAll().where('household_id', '=', householdId);
  if (!options.withDrafts) q = q.where('status', '!=', 'draft');
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function eventsOf(db: Executor, requestId: string) {
  return db.selectFrom('request_events').selectAll().where('request_id', '=', requestId).orderBy('at').orderBy('id').execute();
}

export async function messagesOf(db: Executor, requestId: string) {
  return db.selectFrom('request_messages').selectAll().where('request_id', '=', requestId).orderBy('at').orderBy('id').execute();
}

/** A message of a request's thread; returns its id (a file may be joined to it). */
export async function insertMessage(tx: Executor, m: { requestId: string; authorId: string | null; authorLabel: string; fromFamily: boolean; body: string }, now: Date): Promise<string> {
  const id = newId();
  await tx
    .insertInto('request_messages')
    .values({ id, request_id: m.requestId, at: now.toISOString(), author_id: m.authorId, author_label: m.authorLabel, from_family: m.fromFamily ? 1 : 0, body: m.body })
    .execute();
  return id;
}

export interface QueueQuery {
  type?: string;
  statuses?: RequestStatus[];
  page: number;
  pageSize: number;
}

/** The agents' queue of any type of request, oldest first (first filed, first processed). */
export async function queue(db: Executor, q: QueueQuery) {
  let query = db.selectFrom('requests').innerJoin('households', 'households.id', 'requests.household_id').where('requests.status', '!=', 'draft');
  if (q.type) query = query.where('requests.type', '=', q.type);
  if (q.statuses && q.statuses.length > 0) query = query.where('requests.status', 'in', q.statuses);
  const [rows, total] = await Promise.all([
    query
      .selectAll('requests')
      .select(['households.name as household_name', 'households.reference as household_reference'])
      .orderBy('requests.created_at')
      .orderBy('requests.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}


/**
 * A household's requests still open (déposée, en instruction, complément demandé, liste d'attente), oldest first, at most
 * 20, each with who wrote last in its thread (`last_from_family`: 1 the family, 0 the service, null
 * no message): a request whose last message comes from the service is waiting for the family.
 */
export async function openRequestsOfHousehold(db: Executor, householdId: string) {
  return openRequestsOfHouseholdQuery.all(db, householdId);
}

const openRequestsOfHouseholdQuery = prepared((db, householdId: string) =>
  db
    .selectFrom('requests as r')
    .select((eb) => [
      'r.id',
      'r.reference',
      'r.type',
      'r.status',
      'r.summary',
      'r.created_at',
      eb.selectFrom('request_messages as m').select('m.from_family').whereRef('m.request_id', '=', 'r.id').orderBy('m.at', 'desc').orderBy('m.id', 'desc').limit(1).as('last_from_family'),
    ])
    .where('r.household_id', '=', householdId)
    .where('r.status', 'in', ['submitted', 'in_review', 'complement_requested', 'waiting_list'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(20),
);
