import type { HouseholdSection } from '../households/households.agent-service.ts';
import { ButtonLink, Table } from '../../platform/ui/components.tsx';
import { formatDateLong } from '../../platform/format.ts';
import { certificatesOf } from './certificates.repository.ts';
import { KIND_LABELS, periodText } from './certificates.outcomes.ts';

/** The household page's « Attestations »: the last ones issued, and the way to issue one for the family. One query. */
export const certificatesHouseholdSection: HouseholdSection = {
  title: 'Attestations',
  async render(db, household) {
    const rows = (await certificatesOf(db, household.id)).slice(0, 5);
    return (
      <>
        <Table
          caption="Dernières attestations"
          empty="Aucune attestation établie."
          rows={rows}
          columns={[
            { header: 'Numéro', cell: (c) => c.number },
            { header: 'Attestation', cell: (c) => KIND_LABELS[c.kind] },
            { header: 'Période', cell: (c) => periodText(c.period_start, c.period_end) },
            { header: 'Établie le', cell: (c) => formatDateLong(c.issued_at) },
          ]}
        />
        <ButtonLink href={`/agent/foyers/${household.id}/attestations`} variant="secondary">
          Établir une attestation pour ce foyer
        </ButtonLink>
      </>
    );
  },
};
