import type { AudienceCriterion } from '../../platform/audience/audience.ts';

/**
 * Messaging audience about the wallet: for a chosen document type, a household that has no document of
 * that type valid today, validated or waiting for an agent (never given, refused, or past its last
 * valid day). A document waiting for validation is not « missing »: the family has done its part.
 */
export const documentAudienceCriteria: readonly AudienceCriterion[] = [
  {
    key: 'justificatif',
    legend: 'Justificatif manquant ou expiré',
    hint: 'Les foyers qui n\'ont pas de justificatif de ce type valable aujourd\'hui (ni en attente de vérification).',
    input: 'choices',
    choices: async (db) => (await db.selectFrom('document_types').select(['id', 'label']).where('active', '=', 1).orderBy('position').orderBy('label').execute()).map((t) => ({ value: t.id, label: t.label })),
    households: (db, values, today) =>
      db
        .selectFrom('households as h')
        .innerJoin('document_types as t', (j) => j.on('t.id', 'in', values))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('documents as d')
                .select('d.id')
                .whereRef('d.household_id', '=', 'h.id')
                .whereRef('d.type_id', '=', 't.id')
                .where('d.status', 'in', ['validated', 'pending'])
                .where((w) => w.or([w('d.valid_until', 'is', null), w('d.valid_until', '>=', today)])),
            ),
          ),
        )
        .select('h.id as household_id'),
  },
];
