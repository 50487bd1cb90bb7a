import type { PageCtx } from '../../platform/ui/layout.tsx';
import { Choices, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import type { FacilitiesTable, GroupsTable, PeriodsTable, SchoolYearsTable, ServicesTable, UnitsTable } from '../../platform/db/schema-services.ts';
import { WEEKDAY_LABELS } from './catalogue.domain.ts';

/** What the catalogue's pages share: their base address, form props, row types and the texts of a few columns. */

export const BASE = '/agent/catalogue';

export interface FormProps {
  ctx: PageCtx;
  errors?: FieldErrors;
  values?: FormValues;
}

export type Facility = FacilitiesTable;
export type Group = GroupsTable;
export type Service = ServicesTable & { facility_name: string };
export type Unit = UnitsTable;
export type Year = SchoolYearsTable;
export type Period = PeriodsTable;

const list = (csv: string) => csv.split(',').filter(Boolean);
export const weekdaysText = (csv: string) => list(csv).map((d) => WEEKDAY_LABELS[Number(d) - 1]?.toLowerCase()).join(', ');
export const levelsText = (csv: string) => list(csv).join(', ') || 'Tous les niveaux';

/** The class levels a group or a service accepts (none checked: every level). */
export function LevelChoices(props: { classLevels: string[]; selected: string[]; errors?: FieldErrors; label: string }) {
  if (props.classLevels.length === 0) return <p class="hint">La liste des niveaux de classe de la commune est vide : tous les niveaux sont acceptés.</p>;
  return (
    <Choices
      type="checkbox"
      name="levels"
      label={props.label}
      hint="Aucune case cochée : tous les niveaux."
      inline
      options={props.classLevels.map((l) => ({ value: l, label: l }))}
      selected={props.selected}
      errors={props.errors}
    />
  );
}
