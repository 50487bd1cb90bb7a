import type { HouseholdSection } from '../households/households.agent-service.ts';
import { Table } from '../../platform/ui/components.tsx';
import { StatusTag } from '../requests/requests.components.tsx';
import * as repo from './enrolments.repository.ts';

/**
 * The household page's « Inscriptions »: per child, each service of the years not over yet with its state
 * (one query). An enrolment is the child's: one asked for by the child's other household (separated parents)
 * is shown too, since it lets this household book, and says so.
 */
export const enrolmentsHouseholdSection: HouseholdSection = {
  title: 'Inscriptions',
  async render(db, household, today) {
    const rows = await repo.currentEnrolmentsOf(db, household.children.map((c) => c.id), today);
    const names = new Map(household.children.map((c) => [c.id, c.first_name]));
    // Child by child, in the household's order; within a child, by year then service.
    const sorted = household.children.flatMap((c) => rows.filter((r) => r.child_person_id === c.id));
    return (
      <Table
        caption="Inscriptions des enfants, année en cours et suivante"
        captionHidden
        rows={sorted}
        empty="Aucune inscription pour l'année en cours ni la suivante."
        columns={[
          { header: 'Enfant', cell: (r) => names.get(r.child_person_id) },
          { header: 'Service', cell: (r) => <>{r.service_name} – {r.facility_name}{r.household_id !== household.id && <span class="hint"> (demandée par l'autre foyer de l'enfant)</span>}</> },
          { header: 'Année', cell: (r) => r.year_label },
          { header: 'État', cell: (r) => <><StatusTag status={r.status} />{r.group_name && <span class="hint"> {r.group_name}</span>}</> },
          { header: 'Demande', cell: (r) => <a href={`/agent/demandes/${r.request_id}`}>Voir<span class="visually-hidden"> la demande : {names.get(r.child_person_id)}, {r.service_name}, {r.year_label}</span></a> },
        ]}
      />
    );
  },
};
