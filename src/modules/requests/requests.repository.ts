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

/** Moves a request only if it is still in the expected status: two agents cannot both decide it. */
export async function moveStatus(tx: Executor, id: string, from: RequestStatus, to: RequestStatus, now: Date): Promise<boolean> {
  const r = await tx.updateTable('requests').set({ status: to, updated_at: now.toISOString() }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findRequest(db: Executor, id: string) {
  return db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

export async function findRequests(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('requests').selectAll().where('id', 'in', ids).execute();
}

/** A household's requests, newest first (bounded). */
export async function requestsOfHousehold(db: Executor, householdId: string, limit = 200) {
  return db.selectFrom('requests').selectAll().where('household_id', '=', householdId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
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
  let query = db.selectFrom('requests').innerJoin('households', 'households.id', 'requests.household_id');
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
 * A household's requests still open (déposée, en instruction, liste d'attente), oldest first, at most
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
    .where('r.status', 'in', ['submitted', 'in_review', 'waiting_list'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(20),
);
