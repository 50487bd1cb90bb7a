import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { AudienceCriterion } from '../../platform/audience/audience.ts';

/**
 * Messaging audiences about enrolments: families with a child enrolled (accepted) for a school year
 * not yet over, in a facility, a group or a service. A child in two households matches both.
 */
function enrolled(db: Executor, today: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('school_years as y', 'y.id', 'e.school_year_id')
    .innerJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'e.child_person_id').on('hm.role', '=', 'child'))
    .where('e.status', '=', 'accepted')
    .where('y.end_date', '>=', today);
}

export const enrolmentAudienceCriteria: readonly AudienceCriterion[] = [
  {
    key: 'etablissement',
    legend: 'Établissement',
    hint: 'Familles dont un enfant est inscrit à un service de l\'établissement (année en cours ou à venir).',
    input: 'choices',
    choices: async (db) => (await db.selectFrom('facilities').select(['id as value', 'name as label']).orderBy('name').execute()),
    households: (db, values, today) => enrolled(db, today).innerJoin('services as s', 's.id', 'e.service_id').where('s.facility_id', 'in', [...values]).select('hm.household_id'),
  },
  {
    key: 'groupe',
    legend: 'Groupe',
    hint: 'Familles dont un enfant est inscrit dans ce groupe.',
    input: 'choices',
    choices: async (db) =>
      (await db.selectFrom('groups').innerJoin('facilities', 'facilities.id', 'groups.facility_id').select(['groups.id', 'groups.name', 'facilities.name as facility']).orderBy('facilities.name').orderBy('groups.name').execute()).map((g) => ({
        value: g.id,
        label: `${g.name} – ${g.facility}`,
      })),
    households: (db, values, today) => enrolled(db, today).where('e.group_id', 'in', [...values]).select('hm.household_id'),
  },
  {
    key: 'service',
    legend: 'Service',
    hint: 'Familles dont un enfant est inscrit au service (cantine, garderie, centre de loisirs…).',
    input: 'choices',
    choices: async (db) =>
      (await db.selectFrom('services').innerJoin('facilities', 'facilities.id', 'services.facility_id').select(['services.id', 'services.name', 'facilities.name as facility']).orderBy('facilities.name').orderBy('services.name').execute()).map((s) => ({
        value: s.id,
        label: `${s.name} – ${s.facility}`,
      })),
    households: (db, values, today) => enrolled(db, today).where('e.service_id', 'in', [...values]).select('hm.household_id'),
  },
];
