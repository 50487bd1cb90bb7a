import type { Executor } from '../../platform/audit/audit.repository.ts';

/** The queries behind enrolments.personal-data.ts: a household's enrolments, for the RGPD export. */

export async function enrolmentExportRows(db: Executor, householdId: string) {
  return db
    .selectFrom('enrolments')
    .innerJoin('requests', 'requests.id', 'enrolments.request_id')
    .innerJoin('persons', 'persons.id', 'enrolments.child_person_id')
    .innerJoin('services', 'services.id', 'enrolments.service_id')
    .innerJoin('school_years', 'school_years.id', 'enrolments.school_year_id')
    .select(['persons.first_name', 'services.name as service', 'school_years.label as school_year', 'enrolments.status', 'enrolments.created_at'])
    .where('requests.household_id', '=', householdId)
    .orderBy('enrolments.created_at', 'desc')
    .execute();
}
