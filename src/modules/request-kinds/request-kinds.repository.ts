import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { QfSource } from './request-kinds.domain.ts';

/** The only SQL on quotient_requests and absence_requests. */

export async function insertQuotientRequest(tx: Executor, row: { request_id: string; household_id: string; document_id: string; qf_value: number | null; qf_month: string | null; qf_source: QfSource | null }) {
  await tx.insertInto('quotient_requests').values(row).execute();
}

/** The QF update of a request, with its attestation (when the document still exists). */
export async function quotientOfRequest(db: Executor, requestId: string) {
  return db
    .selectFrom('quotient_requests as q')
    .leftJoin('documents', 'documents.id', 'q.document_id')
    .select(['q.request_id', 'q.household_id', 'q.document_id', 'q.qf_value', 'q.qf_month', 'q.qf_source', 'documents.status as document_status', 'documents.document_date', 'documents.qf_value as document_qf_value', 'documents.qf_month as document_qf_month'])
    .where('q.request_id', '=', requestId)
    .executeTakeFirst();
}

export async function setQuotient(tx: Executor, requestId: string, value: { qf_value: number; qf_month: string; qf_source: QfSource }) {
  await tx.updateTable('quotient_requests').set(value).where('request_id', '=', requestId).execute();
}

/** The attestation of a QF update replaced by the one sent in a complement answer (with the QF it carries, or none). */
export async function replaceQuotientDocument(tx: Executor, requestId: string, value: { document_id: string; qf_value: number | null; qf_month: string | null; qf_source: QfSource | null }) {
  await tx.updateTable('quotient_requests').set(value).where('request_id', '=', requestId).execute();
}

export async function replaceAbsenceDocument(tx: Executor, requestId: string, documentId: string) {
  await tx.updateTable('absence_requests').set({ document_id: documentId }).where('request_id', '=', requestId).execute();
}

/** A draft saved complete before drafts kept their choices in answers had its row already: the sent one replaces it. */
export async function deleteKindRows(tx: Executor, requestId: string) {
  await tx.deleteFrom('quotient_requests').where('request_id', '=', requestId).execute();
  await tx.deleteFrom('absence_requests').where('request_id', '=', requestId).execute();
}

export async function insertAbsenceRequest(tx: Executor, row: { request_id: string; household_id: string; booking_id: string; child_person_id: string; day: string; document_id: string }) {
  await tx.insertInto('absence_requests').values(row).execute();
}

export async function absenceOfRequest(db: Executor, requestId: string) {
  return db
    .selectFrom('absence_requests as a')
    .innerJoin('bookings', 'bookings.id', 'a.booking_id')
    .innerJoin('persons', 'persons.id', 'a.child_person_id')
    .innerJoin('services', 'services.id', 'bookings.service_id')
    .leftJoin('documents', 'documents.id', 'a.document_id')
    .select(['a.request_id', 'a.booking_id', 'a.day', 'a.document_id', 'persons.first_name', 'services.name as service_name', 'bookings.attendance', 'documents.status as document_status', 'documents.document_date'])
    .where('a.request_id', '=', requestId)
    .executeTakeFirst();
}

/** An absence request for this booking that is not closed (draft included): one day is justified once. */
export async function openAbsenceForBooking(db: Executor, bookingId: string) {
  return db
    .selectFrom('absence_requests as a')
    .innerJoin('requests', 'requests.id', 'a.request_id')
    .select('requests.id')
    .where('a.booking_id', '=', bookingId)
    .where('requests.status', 'not in', ['refused'])
    .executeTakeFirst();
}

/** Booking ids of the household with an absence request not refused (bounded by the household's requests). */
export async function bookingsWithAbsenceRequest(db: Executor, householdId: string) {
  const rows = await db
    .selectFrom('absence_requests as a')
    .innerJoin('requests', 'requests.id', 'a.request_id')
    .select('a.booking_id')
    .where('a.household_id', '=', householdId)
    .where('requests.status', 'not in', ['refused'])
    .limit(1000)
    .execute();
  return new Set(rows.map((r) => r.booking_id));
}

/** Export and anonymisation of a household's rows (request-kinds.personal-data.ts). */
export async function kindsExportRows(db: Executor, householdId: string) {
  const [quotients, absences] = await Promise.all([
    db
      .selectFrom('quotient_requests as q')
      .innerJoin('requests', 'requests.id', 'q.request_id')
      .select(['requests.reference', 'q.qf_value', 'q.qf_month', 'q.qf_source', 'q.document_id'])
      .where('q.household_id', '=', householdId)
      .orderBy('requests.created_at')
      .execute(),
    db
      .selectFrom('absence_requests as a')
      .innerJoin('requests', 'requests.id', 'a.request_id')
      .leftJoin('persons', 'persons.id', 'a.child_person_id')
      .select(['requests.reference', 'a.day', 'persons.first_name', 'a.document_id'])
      .where('a.household_id', '=', householdId)
      .orderBy('requests.created_at')
      .execute(),
  ]);
  return { quotients, absences };
}

/** The QF read on an attestation is income data: it goes; the link to documents (deleted by their module) goes too. */
export async function anonymiseKinds(tx: Executor, householdId: string) {
  await tx.updateTable('quotient_requests').set({ qf_value: null, qf_month: null, qf_source: null, document_id: null }).where('household_id', '=', householdId).execute();
  await tx.updateTable('absence_requests').set({ document_id: null }).where('household_id', '=', householdId).execute();
}
