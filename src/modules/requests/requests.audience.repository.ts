import type { AudienceCriterion } from '../../platform/audience/audience.ts';

/**
 * Messaging audience about requests: a household with an open request (déposée, en instruction) whose
 * last message is the service's, not yet answered: the service waits for the family.
 */
export const requestAudienceCriteria: readonly AudienceCriterion[] = [
  {
    key: 'demande',
    legend: 'Demande en attente de la famille',
    input: 'choices',
    choices: () => Promise.resolve([{ value: 'attente_famille', label: 'Une demande attend une réponse de la famille' }]),
    households: (db) =>
      db
        .selectFrom('requests as r')
        .innerJoin('request_messages as m', 'm.request_id', 'r.id')
        .where('r.status', 'in', ['submitted', 'in_review'])
        .where('m.from_family', '=', 0)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('request_messages as later').select('later.id').whereRef('later.request_id', '=', 'r.id').whereRef('later.at', '>', 'm.at').where('later.from_family', '=', 1))),
        )
        .select('r.household_id'),
  },
];
