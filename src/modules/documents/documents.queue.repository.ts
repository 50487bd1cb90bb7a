import type { Executor } from '../../platform/audit/audit.repository.ts';

/** SQL of the agents' side of documents: the queue to check, one document with its household, the decision. */

export interface QueueFilters {
  typeId?: string;
  facilityId?: string;
}

const withHousehold = (db: Executor) =>
  db
    .selectFrom('documents')
    .innerJoin('document_types', 'document_types.id', 'documents.type_id')
    .innerJoin('households', 'households.id', 'documents.household_id')
    .innerJoin('stored_files', 'stored_files.id', 'documents.file_id')
    .leftJoin('persons', 'persons.id', 'documents.person_id')
    .select([
      'documents.id',
      'documents.household_id',
      'documents.type_id',
      'documents.file_id',
      'documents.status',
      'documents.document_date',
      'documents.valid_until',
      'documents.refusal_reason',
      'documents.qf_value',
      'documents.qf_month',
      'documents.created_at',
      'documents.created_by_label',
      'documents.decided_at',
      'documents.decided_by_label',
      'document_types.label as type_label',
      'document_types.code as type_code',
      'households.name as household_name',
      'households.reference as household_reference',
      'persons.first_name as person_first_name',
      'stored_files.original_name',
      'stored_files.media_type',
      'stored_files.byte_size',
    ]);

/** Documents waiting for a check, oldest first; by type, and by facility (a child of the household enrolled at one of its services). */
export function pendingQueue(db: Executor, filters: QueueFilters, limit = 200) {
  let q = withHousehold(db).where('documents.status', '=', 'pending');
  if (filters.typeId) q = q.where('documents.type_id', '=', filters.typeId);
  const facilityId = filters.facilityId;
  if (facilityId)
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('enrolments')
          .innerJoin('services', 'services.id', 'enrolments.service_id')
          .innerJoin('household_members', 'household_members.person_id', 'enrolments.child_person_id')
          .select('enrolments.id')
          .whereRef('household_members.household_id', '=', 'documents.household_id')
          .where('services.facility_id', '=', facilityId),
      ),
    );
  return q.orderBy('documents.created_at').orderBy('documents.id').limit(limit).execute();
}

export const countPending = async (db: Executor) => Number((await db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending').executeTakeFirst())?.n ?? 0);

export const facilities = (db: Executor) => db.selectFrom('facilities').select(['id', 'name']).orderBy('name').execute();

export const documentForAgent = (db: Executor, id: string) => withHousehold(db).where('documents.id', '=', id).executeTakeFirst();

/** The decision, only while the document still waits: two agents deciding at once cannot both win. */
export async function decide(
  tx: Executor,
  id: string,
  decision: { status: 'validated' | 'refused'; valid_until: string | null; refusal_reason: string | null; qf_value: number | null; qf_month: string | null; decided_at: string; decided_by: string; decided_by_label: string },
): Promise<boolean> {
  const result = await tx.updateTable('documents').set(decision).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The file's retention follows the validity the agent set. */
export const setFileDeleteAfter = (tx: Executor, fileId: string, deleteAfter: string | null) => tx.updateTable('stored_files').set({ delete_after: deleteAfter }).where('id', '=', fileId).execute();

/** Validated documents of a type still valid on `day`, newest first: a request reuses them instead of asking again. */
export const usableDocuments = (db: Executor, householdId: string, typeCode: string, day: string) =>
  db
    .selectFrom('documents')
    .innerJoin('document_types', 'document_types.id', 'documents.type_id')
    .select(['documents.id', 'documents.person_id', 'documents.valid_until', 'documents.qf_value', 'documents.qf_month', 'documents.document_date'])
    .where('documents.household_id', '=', householdId)
    .where('document_types.code', '=', typeCode)
    .where('documents.status', '=', 'validated')
    .where((eb) => eb.or([eb('documents.valid_until', 'is', null), eb('documents.valid_until', '>=', day)]))
    .orderBy('documents.created_at', 'desc')
    .execute();

/**
 * The documents of a type a request may use: validated and still valid on `day` first (newest first),
 * then those still waiting for a check (just sent for this request). Refused and expired ones are not offered.
 */
export const documentsForRequest = (db: Executor, householdId: string, typeCode: string, day: string) =>
  db
    .selectFrom('documents')
    .innerJoin('document_types', 'document_types.id', 'documents.type_id')
    .select(['documents.id', 'documents.person_id', 'documents.status', 'documents.document_date', 'documents.valid_until', 'documents.qf_value', 'documents.qf_month', 'documents.created_at', 'document_types.label as type_label'])
    .where('documents.household_id', '=', householdId)
    .where('document_types.code', '=', typeCode)
    .where((eb) => eb.or([eb('documents.status', '=', 'pending'), eb.and([eb('documents.status', '=', 'validated'), eb.or([eb('documents.valid_until', 'is', null), eb('documents.valid_until', '>=', day)])])]))
    .orderBy((eb) => eb.case().when('documents.status', '=', 'validated').then(0).else(1).end())
    .orderBy('documents.created_at', 'desc')
    .orderBy('documents.id', 'desc')
    .limit(20)
    .execute();

/** One document of the household with its type's code (a request checks what the family picked); another household's is undefined. */
export const documentOfHousehold = (db: Executor, householdId: string, id: string) =>
  db
    .selectFrom('documents')
    .innerJoin('document_types', 'document_types.id', 'documents.type_id')
    .select(['documents.id', 'documents.person_id', 'documents.status', 'documents.document_date', 'documents.valid_until', 'documents.qf_value', 'documents.qf_month', 'documents.created_at', 'document_types.code as type_code', 'document_types.label as type_label'])
    .where('documents.household_id', '=', householdId)
    .where('documents.id', '=', id)
    .executeTakeFirst();

/** A document type by its code (the built-in ones: `quotient`, `certificat`…). */
export const documentTypeByCode = (db: Executor, code: string) => db.selectFrom('document_types').select(['id', 'code', 'label', 'active']).where('code', '=', code).executeTakeFirst();

/**
 * Every document of the household a request's answer may join, whatever its type: waiting for a check,
 * or validated and still valid on `day` (newest first, bounded). Refused and expired ones are not offered.
 */
export const walletDocumentsForAnswer = (db: Executor, householdId: string, day: string) =>
  db
    .selectFrom('documents')
    .innerJoin('document_types', 'document_types.id', 'documents.type_id')
    .select(['documents.id', 'documents.status', 'documents.document_date', 'documents.qf_value', 'documents.qf_month', 'document_types.code as type_code', 'document_types.label as type_label'])
    .where('documents.household_id', '=', householdId)
    .where((eb) => eb.or([eb('documents.status', '=', 'pending'), eb.and([eb('documents.status', '=', 'validated'), eb.or([eb('documents.valid_until', 'is', null), eb('documents.valid_until', '>=', day)])])]))
    .orderBy('documents.created_at', 'desc')
    .orderBy('documents.id', 'desc')
    .limit(30)
    .execute();

