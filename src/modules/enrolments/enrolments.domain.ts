import { ageOn } from '../households/households.domain.ts';
import type { EnrolmentStatus, ServiceKind } from '../../platform/vocabulary.ts';

/** The kinds of service in the order families read them (calendar, lists). */
export const SERVICE_KINDS: readonly ServiceKind[] = ['canteen', 'morning', 'evening', 'wednesday', 'holiday'];

/** Pure rules of enrolments (pré-inscriptions): who may ask for which service, which years, which group. */

const list = (csv: string) => csv.split(',').map((s) => s.trim()).filter(Boolean);

export interface ChildFacts {
  birth_date: string | null;
  class_level: string | null;
  /** The school the child attends (a label of the town's school list); undefined: not considered. */
  school?: string | null;
}

export interface ServiceFacts {
  class_levels: string;
  min_age: number | null;
  max_age: number | null;
  /** The facility that runs the service: a school's services are for its own pupils. */
  facility_name?: string;
  facility_kind?: 'school' | 'leisure_centre';
}

/** School names compared as people type them: case, accents and spacing do not matter. */
const sameName = (a: string, b: string) => {
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return norm(a) === norm(b);
};

/**
 * A service is offered to a child when it is run by the child's school (a leisure centre takes the
 * children of every school), its class levels include the child's (empty list = any level) and the
 * child's age today is within its bounds (none = any age). What the town does not know yet (no school,
 * no class, no birth date) does not hide a service: the agent checks it when examining the request.
 */
export function fitsService(child: ChildFacts, service: ServiceFacts, today: string): boolean {
  if (service.facility_kind === 'school' && service.facility_name && child.school && !sameName(child.school, service.facility_name)) return false;
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

/** An enrolment the child already has: the row of `enrolments` for one service and one year. */
export interface ExistingEnrolment {
  service_id: string;
  service_kind: ServiceKind;
  school_year_id: string;
  status: EnrolmentStatus;
  created_at: string;
}

/**
 * Where a child stands for a service in a year: `enrolled` (accepted), `requested` (a request waiting
 * for a decision, on the waiting list included), `refused`, or null when the family may ask for it.
 * Only null is offered: one enrolment per child × service × year (the unique constraint says the same).
 */
export type EnrolmentStanding = { kind: 'enrolled' } | { kind: 'requested'; at: string } | { kind: 'refused'; at: string } | null;

export function standingFor(existing: readonly ExistingEnrolment[], serviceId: string, yearId: string): EnrolmentStanding {
  const e = existing.find((x) => x.service_id === serviceId && x.school_year_id === yearId);
  if (!e) return null;
  if (e.status === 'accepted') return { kind: 'enrolled' };
  if (e.status === 'refused') return { kind: 'refused', at: e.created_at };
  return { kind: 'requested', at: e.created_at };
}

/** A kind of service the child could use but neither has nor asked for this year, with the services that offer it. */
export interface MissingKind<S> {
  kind: ServiceKind;
  services: S[];
}

/**
 * Why a service is missing from a child's calendar: the kinds of service (cantine, mercredis…) offered
 * to this child (school, class level, age: `fitsService`) for which the child has no enrolment at all
 * this year, accepted or asked for (a refused request counts as asked for: the family talks to the
 * service, a new request would be refused). Per kind, not per service: a child at the Wednesdays of
 * one leisure centre is not told about another centre's Wednesdays. In the catalogue's kind order.
 */
export function missingKinds<S extends ServiceFacts & { id: string; kind: ServiceKind }>(child: ChildFacts, services: readonly S[], existing: readonly ExistingEnrolment[], yearId: string, today: string): MissingKind<S>[] {
  const covered = new Set(existing.filter((e) => e.school_year_id === yearId).map((e) => e.service_kind));
  const result: MissingKind<S>[] = [];
  for (const kind of SERVICE_KINDS) {
    if (covered.has(kind)) continue;
    const offered = services.filter((s) => s.kind === kind && fitsService(child, s, today));
    if (offered.length > 0) result.push({ kind, services: offered });
  }
  return result;
}

/** « Inscription de Léa à Restauration scolaire – École Jules-Ferry (2026-2027) » */
export const enrolmentSummary = (childFirstName: string, serviceName: string, facilityName: string, yearLabel: string) =>
  `Inscription de ${childFirstName} à ${serviceName} – ${facilityName} (${yearLabel})`;

/** « Léa est déjà inscrite ou a déjà une demande pour ce service cette année » */
export const duplicateMessage = (firstName: string, sex: string | null) =>
  sex === 'F' || sex === 'M'
    ? `${firstName} est déjà ${sex === 'F' ? 'inscrite' : 'inscrit'} ou a déjà une demande pour ce service cette année`
    : `${firstName} a déjà une inscription ou une demande pour ce service cette année`;
