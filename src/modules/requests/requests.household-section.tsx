import type { HouseholdSection } from '../households/households.agent-service.ts';
import { Table } from '../../platform/ui/components.tsx';
import { formatDateLong, plural } from '../../platform/format.ts';
import { StatusTag } from './requests.views.tsx';
import type { RequestsService } from './requests.service.ts';
import * as repo from './requests.repository.ts';

const SHOWN = 50;

/** The household page's « Demandes »: every request of the household, whatever its type, newest first (one query). */
export function requestsHouseholdSection(requests: Pick<RequestsService, 'typeLabel'>): HouseholdSection {
  return {
    title: 'Demandes',
    async render(db, household) {
      const rows = await repo.requestsOfHousehold(db, household.id, SHOWN);
      return (
        <Table
          caption={rows.length === SHOWN ? `Les ${SHOWN} demandes les plus récentes` : plural(rows.length, 'demande', 'demandes')}
          rows={rows}
          empty="Aucune demande (inscription ou autre démarche)."
          columns={[
            { header: 'Référence', cell: (r) => <a href={`/agent/demandes/${r.id}`}>{r.reference}</a> },
            { header: 'Démarche', cell: (r) => requests.typeLabel(r.type) },
            { header: 'Objet', cell: (r) => r.summary },
            { header: 'Déposée le', cell: (r) => formatDateLong(r.created_at) },
            { header: 'État', cell: (r) => <StatusTag status={r.status} /> },
          ]}
        />
      );
    },
  };
}
