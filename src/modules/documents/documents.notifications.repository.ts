import type { Executor } from '../../platform/audit/audit.repository.ts';

/**
 * Documents of the wallet whose validity ends between `from` and `until` (Paris days, inclusive):
 * validated, of an active type, and not already replaced by another document of the same type (and
 * person) valid later or waiting for an agent. For the notification « document_expiring ».
 */
export async function expiringDocuments(db: Executor, from: string, until: string) {
  return db
    .selectFrom('documents as d')
    .innerJoin('document_types as t', 't.id', 'd.type_id')
    .innerJoin('households as h', 'h.id', 'd.household_id')
    .leftJoin('persons as p', 'p.id', 'd.person_id')
    .select(['d.id', 'd.household_id', 'd.valid_until', 't.label as type_label', 'p.first_name'])
    .where('d.status', '=', 'validated')
    .where('t.active', '=', 1)
    .where('d.valid_until', '>=', from)
    .where('d.valid_until', '<=', until)
    .where('h.archived_at', 'is', null)
    .where('h.anonymised_at', 'is', null)
    .where('h.merged_into_id', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('documents as later')
            .select('later.id')
            .whereRef('later.household_id', '=', 'd.household_id')
            .whereRef('later.type_id', '=', 'd.type_id')
            .where((w) => w.or([w('later.person_id', 'is', null).and('d.person_id', 'is', null), w('later.person_id', '=', w.ref('d.person_id'))]))
            .whereRef('later.id', '!=', 'd.id')
            .where((w) => w.or([w('later.status', '=', 'pending'), w.and([w('later.status', '=', 'validated'), w.or([w('later.valid_until', 'is', null), w('later.valid_until', '>', w.ref('d.valid_until'))])])])),
        ),
      ),
    )
    .orderBy('d.valid_until')
    .orderBy('d.id')
    .execute();
}
