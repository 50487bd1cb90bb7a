/**
 * Pure rules of personal data (RGPD): how long an archived household is kept, and what is left
 * of a person once anonymised. No I/O: the instant is passed in.
 */

/**
 * How long an archived household is kept before it may be anonymised. Three years after the end
 * of the relationship is what the CNIL recommends for a public service's user files (the town may
 * ask for another value; it would then move to the configuration).
 */
export const RETENTION_YEARS = 3;

export { ANONYMOUS_NAME, REDACTED } from '../../platform/privacy/personal-data.ts';
export const ANONYMOUS_HOUSEHOLD_NAME = 'Foyer anonymisé';

export interface RetentionState {
  archived_at: string | null;
  anonymised_at: string | null;
}

/** The first instant at which a household archived at `archivedAt` may be anonymised (same day and time, RETENTION_YEARS later, UTC). */
export function retentionEnd(archivedAt: string | Date, years = RETENTION_YEARS): Date {
  const d = new Date(archivedAt);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

export type AnonymisationDecision = { ok: true } | { ok: false; code: 'already_anonymised' | 'not_archived' } | { ok: false; code: 'retention_running'; notBefore: Date };

/** Only an archived household, archived for at least the retention period, and not yet anonymised. */
export function canAnonymise(h: RetentionState, now: Date, years = RETENTION_YEARS): AnonymisationDecision {
  if (h.anonymised_at) return { ok: false, code: 'already_anonymised' };
  if (!h.archived_at) return { ok: false, code: 'not_archived' };
  const end = retentionEnd(h.archived_at, years);
  if (now.getTime() < end.getTime()) return { ok: false, code: 'retention_running', notBefore: end };
  return { ok: true };
}

/** A birth date reduced to its year ('2018-05-04' → '2018-01-01'): enough for statistics, no longer identifying. */
export function birthYearOnly(birthDate: string | null): string | null {
  if (!birthDate || !/^\d{4}-/.test(birthDate)) return null;
  return `${birthDate.slice(0, 4)}-01-01`;
}

/**
 * Who is anonymised: the household's persons who belong to no other household still holding
 * personal data (a child of separated parents stays as is for the other parent's household).
 */
export function personsToAnonymise(memberIds: string[], sharedWithLiveHousehold: Set<string>): { anonymise: string[]; keep: string[] } {
  const anonymise: string[] = [];
  const keep: string[] = [];
  for (const id of memberIds) (sharedWithLiveHousehold.has(id) ? keep : anonymise).push(id);
  return { anonymise, keep };
}

/** File name of the export: no personal data in it, only the household's reference and the day. */
export const exportFileName = (reference: string, day: string) => `donnees-${reference}-${day}.json`;
