import { sql } from 'kysely';
import type { AudienceCriterion } from '../../platform/audience/audience.ts';

/**
 * Messaging audience about invoices: a household with an invoice still owing something (total less
 * payments and credit notes) after its due date (the due day itself is still in time).
 */
export const invoiceAudienceCriteria: readonly AudienceCriterion[] = [
  {
    key: 'impaye',
    legend: 'Facture',
    input: 'choices',
    choices: () => Promise.resolve([{ value: 'echue', label: 'Une facture impayée après sa date limite' }]),
    households: (db, _values, today) =>
      db
        .selectFrom('invoices')
        .where('due_on', '<', today)
        .where(sql<number>`total_cents - paid_cents - credited_cents`, '>', 0)
        .select('household_id'),
  },
];
