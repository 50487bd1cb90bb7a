import { Temporal } from 'temporal-polyfill';

/** Pure rules of the document wallet: validity, status as the family reads it, retention. */

export type Validity = 'months' | 'school_year' | 'none';
export type StoredStatus = 'pending' | 'validated' | 'refused';
/** What the family and agents read: the stored status, or « expiré » once the validity is over. */
export type ShownStatus = StoredStatus | 'expired';

export const SHOWN_STATUS_LABELS: Readonly<Record<ShownStatus, string>> = Object.freeze({
  pending: 'À vérifier',
  validated: 'Validé',
  refused: 'Refusé',
  expired: 'Expiré',
});
export const SHOWN_STATUS_TONES: Readonly<Record<ShownStatus, 'blue' | 'green' | 'red' | 'grey'>> = Object.freeze({ pending: 'blue', validated: 'green', refused: 'red', expired: 'grey' });

export const VALIDITY_LABELS: Readonly<Record<Validity, string>> = Object.freeze({
  months: 'Un nombre de mois à partir de la date du document',
  school_year: 'Jusqu\'à la fin de l\'année scolaire (31 août)',
  none: 'Sans fin',
});

export interface TypeRule {
  validity: Validity;
  validity_months: number | null;
  retention_months: number;
}

/**
 * Last valid day of a document dated `documentDate`: N months later minus a day (a justificatif de
 * domicile of 15 March, valid 3 months, is good until 14 June), the 31st of August of its school year
 * (a document of September 2026 → 31 August 2027; of May 2027 → 31 August 2027), or none.
 */
export function validUntil(rule: Pick<TypeRule, 'validity' | 'validity_months'>, documentDate: string): string | null {
  const date = Temporal.PlainDate.from(documentDate);
  if (rule.validity === 'none') return null;
  if (rule.validity === 'months') return date.add({ months: rule.validity_months ?? 0 }).subtract({ days: 1 }).toString();
  const endYear = date.month >= 9 ? date.year + 1 : date.year;
  return `${endYear}-08-31`;
}

export function shownStatus(doc: { status: StoredStatus; valid_until: string | null }, today: string): ShownStatus {
  if (doc.status !== 'refused' && doc.valid_until !== null && doc.valid_until < today) return 'expired';
  return doc.status;
}

/** A document may be used by a request while it is validated and still valid on `day`. */
export const usableOn = (doc: { status: StoredStatus; valid_until: string | null }, day: string) => doc.status === 'validated' && (doc.valid_until === null || doc.valid_until >= day);

/**
 * When the file goes: `retention_months` after the end of its validity (the day after `validUntil`),
 * never for a document without end (a jugement de garde is kept while the household lives; the
 * anonymisation removes it). Returned as the instant of midnight UTC of that day.
 */
export function deleteAfter(rule: Pick<TypeRule, 'retention_months'>, until: string | null): string | null {
  if (until === null) return null;
  return `${Temporal.PlainDate.from(until).add({ days: 1, months: rule.retention_months }).toString()}T00:00:00.000Z`;
}

/** A document's date: not in the future, and not older than ten years (a typo in the year). */
export function documentDateProblem(date: string, today: string): 'future' | 'too_old' | null {
  if (date > today) return 'future';
  if (Temporal.PlainDate.from(today).subtract({ years: 10 }).toString() > date) return 'too_old';
  return null;
}
