import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { AudienceCriterion } from '../../platform/audience/audience.ts';
import { birthDatesAtAge, birthYearsOffered } from './households.domain.ts';

/** Messaging audiences about the household itself: children's class level, age or birth year, accounts not activated. */

const childrenOf = (db: Executor) =>
  db.selectFrom('household_members as hm').innerJoin('persons as p', 'p.id', 'hm.person_id').where('hm.role', '=', 'child');

export const householdAudienceCriteria: readonly AudienceCriterion[] = [
  {
    key: 'niveau',
    legend: 'Niveau de classe',
    input: 'choices',
    choices: async (db) => (await db.selectFrom('school_lists').select('label').where('kind', '=', 'class_level').orderBy('position').orderBy('label').execute()).map((r) => ({ value: r.label, label: r.label })),
    households: (db, values) => childrenOf(db).innerJoin('children as c', 'c.person_id', 'p.id').where('c.class_level', 'in', [...values]).select('hm.household_id'),
  },
  {
    key: 'age',
    legend: 'Âge d\'un enfant aujourd\'hui',
    input: 'choices',
    choices: () => Promise.resolve(Array.from({ length: 18 }, (_, age) => ({ value: String(age), label: age === 0 ? 'Moins de 1 an' : `${age} an${age > 1 ? 's' : ''}` }))),
    households: (db, values, today) =>
      childrenOf(db)
        .where((eb) =>
          eb.or(
            values.map((v) => {
              const span = birthDatesAtAge(today, Number(v));
              return eb.and([eb('p.birth_date', '>', span.after), eb('p.birth_date', '<=', span.until)]);
            }),
          ),
        )
        .select('hm.household_id'),
  },
  {
    key: 'annee_naissance',
    legend: 'Année de naissance d\'un enfant',
    input: 'choices',
    choices: (_db, today) => Promise.resolve(birthYearsOffered(today).map((y) => ({ value: String(y), label: String(y) }))),
    households: (db, values) =>
      childrenOf(db)
        .where((eb) => eb.or(values.map((y) => eb.and([eb('p.birth_date', '>=', `${y}-01-01`), eb('p.birth_date', '<=', `${y}-12-31`)]))))
        .select('hm.household_id'),
  },
  {
    key: 'compte',
    legend: 'Compte',
    input: 'choices',
    choices: () => Promise.resolve([{ value: 'non_active', label: 'Un responsable n\'a pas encore activé son compte' }]),
    households: (db) =>
      db
        .selectFrom('household_members as hm')
        .innerJoin('persons as p', 'p.id', 'hm.person_id')
        .leftJoin('users as u', 'u.id', 'p.user_id')
        .where('hm.role', '=', 'guardian')
        .where((eb) => eb.or([eb('p.user_id', 'is', null), eb('u.status', '=', 'invited')]))
        .select('hm.household_id'),
  },
];
