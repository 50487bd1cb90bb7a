import type { AliasableExpression, SelectQueryNode } from 'kysely';
import type { Executor } from '../audit/audit.repository.ts';

/**
 * The audience registry of messaging (ARCHITECTURE.md « plug-in points »). Each module contributes the
 * criteria about its own data (the catalogue and enrolments: facility, group, service; bookings: a
 * day, a period; households: class level, age, account; requests: waiting for the family; invoices and
 * documents when they land), the way request types plug into the request model. Messaging only
 * combines them: AND between criteria, OR between the values of one criterion, all in SQL.
 */

export interface AudienceChoice {
  value: string;
  label: string;
}

/** The households matching a criterion: a subquery selecting `household_id` (duplicates allowed). */
export type HouseholdIds = AliasableExpression<{ household_id: string }> & { readonly isSelectQueryBuilder: true; toOperationNode(): SelectQueryNode };

export interface AudienceCriterion {
  /** The form field and URL parameter: short, French, stable (« etablissement »). */
  key: string;
  /** The question on the form (« Établissement fréquenté »). */
  legend: string;
  hint?: string;
  /** `choices`: checkboxes among `choices()`; `day`: one day typed or picked (AAAA-MM-JJ). */
  input: 'choices' | 'day';
  /** The values offered, in display order; a value not among them is refused. */
  choices?(db: Executor, today: string): Promise<AudienceChoice[]>;
  /** Households matching ANY of the values, evaluated in SQL; `today` is the Paris day. */
  households(db: Executor, values: readonly string[], today: string): HouseholdIds;
  /** « réservé le mardi 3 décembre » for a day criterion (choices are described by their labels). */
  describeDay?(day: string): string;
}

/** The criteria of every module, in the form's order; keys must be unique. */
export function audienceRegistry(...groups: readonly (readonly AudienceCriterion[])[]): readonly AudienceCriterion[] {
  const all = groups.flat();
  const keys = new Set<string>();
  for (const c of all) {
    if (keys.has(c.key)) throw new Error(`Critère d'audience en double : ${c.key}`);
    keys.add(c.key);
  }
  return all;
}
