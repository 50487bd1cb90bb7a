import { ageOn } from '../households/households.domain.ts';

/** Pure rules of enrolments (pré-inscriptions): who may ask for which service, which years, which group. */

const list = (csv: string) => csv.split(',').map((s) => s.trim()).filter(Boolean);

export interface ChildFacts {
  birth_date: string | null;
  class_level: string | null;
}

export interface ServiceFacts {
  class_levels: string;
  min_age: number | null;
  max_age: number | null;
}

/**
 * A service is offered to a child when its class levels include the child's (empty list = any level)
 * and the child's age today is within its bounds (none = any age). What the town does not know yet
 * (no class, no birth date) does not hide a service: the agent checks it when examining the request.
 */
export function fitsService(child: ChildFacts, service: ServiceFacts, today: string): boolean {
  const levels = list(service.class_levels);
  if (levels.length > 0 && child.class_level && !levels.includes(child.class_level)) return false;
  if (child.birth_date) {
    const age = ageOn(child.birth_date, today);
    if (service.min_age !== null && age < service.min_age) return false;
    if (service.max_age !== null && age > service.max_age) return false;
  }
  return true;
}

/** The years a family can ask for: the current one and the next (those not over yet, in order). */
export function openYears<Y extends { start_date: string; end_date: string }>(years: Y[], today: string): Y[] {
  return years
    .filter((y) => y.end_date >= today)
    .sort((a, b) => a.start_date.localeCompare(b.start_date))
    .slice(0, 2);
}

/**
 * The group of an accepted child: the first group of the facility whose class levels include the child's,
 * else the facility's first group (groups come ordered); null when the facility has none.
 */
export function groupFor<G extends { id: string; class_levels: string }>(groups: G[], classLevel: string | null): G | null {
  if (groups.length === 0) return null;
  return (classLevel ? groups.find((g) => list(g.class_levels).includes(classLevel)) : undefined) ?? groups[0];
}

/** « Inscription de Léa à Restauration scolaire – École Jules-Ferry (2026-2027) » */
export const enrolmentSummary = (childFirstName: string, serviceName: string, facilityName: string, yearLabel: string) =>
  `Inscription de ${childFirstName} à ${serviceName} – ${facilityName} (${yearLabel})`;

/** « Léa est déjà inscrite ou a déjà une demande pour ce service cette année » */
export const duplicateMessage = (firstName: string, sex: string | null) =>
  sex === 'F' || sex === 'M'
    ? `${firstName} est déjà ${sex === 'F' ? 'inscrite' : 'inscrit'} ou a déjà une demande pour ce service cette année`
    : `${firstName} a déjà une inscription ou une demande pour ce service cette année`;
