import type { HouseholdSection } from '../households/households.agent-service.ts';
import { Table } from '../../platform/ui/components.tsx';
import { formatDateLong, plural } from '../../platform/format.ts';
import { shownStatus } from './documents.domain.ts';
import { StatusTag } from './documents.views.tsx';
import * as repo from './documents.repository.ts';

/** The household page's « Documents »: every document of the household with its status today, newest first (one query). */
export const documentsHouseholdSection: HouseholdSection = {
  title: 'Documents',
  roles: ['admin', 'enfance'],
  async render(db, household, today) {
    const rows = await repo.householdDocuments(db, household.id);
    return (
      <Table
        caption={plural(rows.length, 'document', 'documents')}
        rows={rows}
        empty="Aucun document envoyé."
        columns={[
          { header: 'Document', cell: (d) => <a href={`/agent/documents/${d.id}`}>{d.type_label}</a> },
          { header: 'Pour', cell: (d) => d.person_first_name ?? 'Tout le foyer' },
          { header: 'Envoyé le', cell: (d) => formatDateLong(d.created_at) },
          { header: 'État', cell: (d) => <StatusTag shown={shownStatus(d, today)} /> },
          { header: 'Valable jusqu\'au', cell: (d) => (d.valid_until ? formatDateLong(d.valid_until) : 'Sans fin') },
        ]}
      />
    );
  },
};
