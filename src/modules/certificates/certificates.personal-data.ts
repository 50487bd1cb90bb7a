import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { formatEuros } from '../../platform/format.ts';
import { KIND_LABELS, periodText } from './certificates.outcomes.ts';
import { anonymiseCertificates, certificateExportRows } from './certificates.personal-data.repository.ts';

/**
 * Certificates issued to a household: exported; at anonymisation the holder's initials are blanked
 * and the rows kept (number, period, amount): a tax or payment certificate already given to a third
 * party must still verify. The verification code is never stored (only its keyed hash, not exported).
 */
export const certificatesPersonalData: PersonalDataDeclaration = {
  module: 'certificates',
  tables: [{ name: 'certificates', keys: ['household_id', 'child_person_id', 'issued_by'], personal: ['holder_initials', 'amount_cents', 'day_count'] }],
  sections: [{ key: 'certificates', title: 'Attestations', empty: 'Aucune attestation.', fields: { number: 'Numéro', kind: 'Attestation', period: 'Période', amount: 'Montant', days: 'Jours de présence', issued_at: 'Établie le' } }],

  async export(db, scope) {
    const rows = await certificateExportRows(db, scope.householdId);
    return {
      certificates: rows.map((r) => ({ number: r.number, kind: KIND_LABELS[r.kind], period: periodText(r.period_start, r.period_end), amount: r.amount_cents === null ? '' : formatEuros(Number(r.amount_cents)), days: r.day_count === null ? null : Number(r.day_count), initials: r.holder_initials, issued_at: r.issued_at })),
    };
  },

  anonymise: (tx, scope) => anonymiseCertificates(tx, scope.householdId),
};
