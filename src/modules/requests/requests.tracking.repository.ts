import type { Executor } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';

/** The only SQL on request_attachments, request_answers and the assignment of requests (migration 020). */

export async function insertAttachment(tx: Executor, a: { requestId: string; messageId: string | null; householdId: string; fileId: string; fromFamily: boolean; authorId: string | null }, now: Date) {
  const id = newId();
  await tx
    .insertInto('request_attachments')
    .values({ id, request_id: a.requestId, message_id: a.messageId, household_id: a.householdId, file_id: a.fileId, from_family: a.fromFamily ? 1 : 0, author_id: a.authorId, created_at: now.toISOString() })
    .execute();
  return id;
}

/** The files of a request (those of the request itself and of its messages), oldest first, at most 200. */
export async function attachmentsOf(db: Executor, requestId: string) {
  return db
    .selectFrom('request_attachments as a')
    .innerJoin('stored_files as f', 'f.id', 'a.file_id')
    .select(['a.id', 'a.message_id', 'a.from_family', 'a.created_at', 'f.original_name', 'f.media_type', 'f.byte_size'])
    .where('a.request_id', '=', requestId)
    .where('f.state', '=', 'stored')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .limit(200)
    .execute();
}

export type AttachmentRow = Awaited<ReturnType<typeof attachmentsOf>>[number];

/** One attachment of one request (both ids must match: an attachment of another request is unknown). */
export async function findAttachment(db: Executor, requestId: string, attachmentId: string) {
  return db
    .selectFrom('request_attachments as a')
    .innerJoin('requests as r', 'r.id', 'a.request_id')
    .select(['a.id', 'a.file_id', 'a.household_id', 'r.reference', 'r.household_id as request_household_id'])
    .where('a.id', '=', attachmentId)
    .where('a.request_id', '=', requestId)
    .executeTakeFirst();
}

/** A message, returning its id (the attachment points to it). */
export async function insertMessageReturningId(tx: Executor, m: { requestId: string; authorId: string | null; authorLabel: string; fromFamily: boolean; body: string }, now: Date) {
  const id = newId();
  await tx.insertInto('request_messages').values({ id, request_id: m.requestId, at: now.toISOString(), author_id: m.authorId, author_label: m.authorLabel, from_family: m.fromFamily ? 1 : 0, body: m.body }).execute();
  return id;
}

export async function insertAnswers(tx: Executor, requestId: string, householdId: string, payload: unknown) {
  await tx.insertInto('request_answers').values({ request_id: requestId, household_id: householdId, payload: JSON.stringify(payload) }).execute();
}

export async function replaceAnswers(tx: Executor, requestId: string, payload: unknown) {
  await tx.updateTable('request_answers').set({ payload: JSON.stringify(payload) }).where('request_id', '=', requestId).execute();
}

/** A sent draft of a type with its own table: its saved values go (the type's rows hold the request). */
export async function deleteAnswers(tx: Executor, requestId: string) {
  await tx.deleteFrom('request_answers').where('request_id', '=', requestId).execute();
}

/** The saved values of drafts (their answers' `draft` object), and how many files each has, for « Mes demandes ». */
export async function draftsState(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('request_answers as a')
    .select((eb) => ['a.request_id', 'a.payload', eb.selectFrom('request_attachments as f').select((f) => f.fn.countAll<number>().as('n')).whereRef('f.request_id', '=', 'a.request_id').as('files')])
    .where('a.request_id', 'in', ids)
    .execute();
}

/** A draft's files keep the draft's end (it is deleted after 90 days untouched); sent, they are kept with the request. */
export async function keepDraftFiles(tx: Executor, requestId: string) {
  await tx.updateTable('stored_files').set({ delete_after: null }).where('id', 'in', tx.selectFrom('request_attachments').select('file_id').where('request_id', '=', requestId)).execute();
}

export async function answersOf(db: Executor, requestId: string): Promise<unknown> {
  const row = await db.selectFrom('request_answers').select('payload').where('request_id', '=', requestId).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.payload) as unknown;
  } catch {
    return null;
  }
}

/** Takes a request in hand (or gives it back with `agent` null); true when it changed. */
export async function assign(tx: Executor, requestId: string, agent: { id: string; label: string } | null, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('requests')
    .set({ assigned_to: agent?.id ?? null, assigned_label: agent?.label ?? null, assigned_at: agent ? now.toISOString() : null })
    .where('id', '=', requestId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Requests to take in hand or give back: their household, reference and who has them. */
export async function trackingTargets(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('requests').select(['id', 'household_id', 'reference', 'assigned_to']).where('id', 'in', ids).execute();
}

/** Whether a household can still be changed (not archived, anonymised nor merged). */
export async function householdOpen(db: Executor, householdId: string): Promise<boolean> {
  const h = await db.selectFrom('households').select(['archived_at', 'anonymised_at', 'merged_into_id']).where('id', '=', householdId).executeTakeFirst();
  return !!h && !h.archived_at && !h.anonymised_at && !h.merged_into_id;
}

/** The family's list: every request of the household, newest first, with who wrote last in its thread. */
export async function familyTrackingRows(db: Executor, householdId: string, limit = 200) {
  return db
    .selectFrom('requests as r')
    .select((eb) => [
      'r.id',
      'r.reference',
      'r.type',
      'r.status',
      'r.summary',
      'r.created_at',
      'r.updated_at',
      eb.selectFrom('request_messages as m').select('m.from_family').whereRef('m.request_id', '=', 'r.id').orderBy('m.at', 'desc').orderBy('m.id', 'desc').limit(1).as('last_from_family'),
    ])
    .where('r.household_id', '=', householdId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

export interface TrackingQueueQuery {
  type: string | null;
  statuses: string[];
  facilityId: string | null;
  /** Last changed before this instant (« en attente depuis plus de N jours »). */
  changedBefore: string | null;
  assignedTo: string | null;
  unassigned: boolean;
  page: number;
  pageSize: number;
}

/**
 * The agents' one queue of every type, oldest change first (the longest waiting on top), bounded and paginated.
 * The facility filter keeps the requests of households with a child enrolled (any status) at one of its services.
 */
export async function trackingQueue(db: Executor, q: TrackingQueueQuery) {
  let query = db.selectFrom('requests').innerJoin('households', 'households.id', 'requests.household_id');
  if (q.type) query = query.where('requests.type', '=', q.type);
  if (q.statuses.length > 0) query = query.where('requests.status', 'in', q.statuses);
  if (q.changedBefore) query = query.where('requests.updated_at', '<', q.changedBefore);
  if (q.assignedTo) query = query.where('requests.assigned_to', '=', q.assignedTo);
  if (q.unassigned) query = query.where('requests.assigned_to', 'is', null);
  const facilityId = q.facilityId;
  if (facilityId)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('household_members as hm')
          .innerJoin('enrolments as e', 'e.child_person_id', 'hm.person_id')
          .innerJoin('services as s', 's.id', 'e.service_id')
          .select('hm.person_id')
          .whereRef('hm.household_id', '=', 'requests.household_id')
          .where('s.facility_id', '=', facilityId),
      ),
    );
  const [rows, total] = await Promise.all([
    query
      .select(['requests.id', 'requests.reference', 'requests.type', 'requests.status', 'requests.summary', 'requests.created_at', 'requests.updated_at', 'requests.household_id', 'requests.assigned_to', 'requests.assigned_label'])
      .select(['households.name as household_name'])
      .orderBy('requests.updated_at')
      .orderBy('requests.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function facilities(db: Executor) {
  return db.selectFrom('facilities').select(['id', 'name']).orderBy('name').limit(500).execute();
}

// Personal data (export and anonymisation of migration 020's rows)

export async function attachmentExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('request_attachments as a')
    .innerJoin('requests as r', 'r.id', 'a.request_id')
    .innerJoin('stored_files as f', 'f.id', 'a.file_id')
    .select(['r.reference', 'a.created_at', 'a.from_family', 'f.original_name'])
    .where('a.household_id', '=', householdId)
    .orderBy('a.created_at')
    .execute();
}

export async function answersExportRows(db: Executor, householdId: string) {
  return db.selectFrom('request_answers as a').innerJoin('requests as r', 'r.id', 'a.request_id').select(['r.reference', 'a.payload']).where('a.household_id', '=', householdId).execute();
}

/** Anonymisation: the answers go, and every attached file (the attachment rows follow by cascade). */
export async function anonymiseTracking(tx: Executor, householdId: string) {
  await tx.deleteFrom('request_answers').where('household_id', '=', householdId).execute();
  const files = tx.selectFrom('request_attachments').select('file_id').where('household_id', '=', householdId);
  await tx.deleteFrom('stored_files').where('id', 'in', files).execute();
}
