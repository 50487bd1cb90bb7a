/**
 * Two types of request (issue 12, item 4): « Mise à jour du quotient familial » and « Absence
 * justifiée ». Pure rules: no I/O.
 */

export const QUOTIENT_TYPE = 'quotient';
export const ABSENCE_TYPE = 'absence';

/** The wallet's document types each one asks for (codes of migration 014). */
export const QUOTIENT_DOCUMENT = 'quotient';
export const ABSENCE_DOCUMENT = 'certificat';

export const QF_SOURCES = { caf: 'CAF', msa: 'MSA' } as const;
export type QfSource = keyof typeof QF_SOURCES;
export const isQfSource = (s: string): s is QfSource => s === 'caf' || s === 'msa';

export type QuotientProblem = 'qf_value_missing' | 'qf_value_invalid' | 'qf_month_invalid' | 'qf_month_future' | 'qf_source_missing';

/**
 * The quotient the agent reads on the attestation: whole euros (0 to 99 999), the month it applies
 * from (not later than next month: an attestation is not dated in the future), and CAF or MSA.
 */
export function parseQuotient(form: { quotient?: string; mois?: string; organisme?: string }, today: string): { ok: true; value: number; month: string; source: QfSource } | { ok: false; errors: Partial<Record<'quotient' | 'mois' | 'organisme', QuotientProblem>> } {
  const errors: Partial<Record<'quotient' | 'mois' | 'organisme', QuotientProblem>> = {};
  const raw = (form.quotient ?? '').replace(/[\s\u202f€]/g, '');
  const value = Number(raw);
  if (!raw) errors.quotient = 'qf_value_missing';
  else if (!/^\d{1,5}$/.test(raw) || !Number.isInteger(value)) errors.quotient = 'qf_value_invalid';
  const month = (form.mois ?? '').trim();
  if (!/^20\d\d-(0[1-9]|1[0-2])$/.test(month)) errors.mois = 'qf_month_invalid';
  else if (month > nextMonth(today)) errors.mois = 'qf_month_future';
  const source = form.organisme ?? '';
  if (!isQfSource(source)) errors.organisme = 'qf_source_missing';
  if (Object.keys(errors).length > 0 || !isQfSource(source)) return { ok: false, errors };
  return { ok: true, value, month, source };
}

export function nextMonth(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** A document a request may use: validated and valid, or still waiting for a check; never refused. */
export const isUsableForRequest = (doc: { status: string; valid_until: string | null }, today: string) => doc.status === 'pending' || (doc.status === 'validated' && (doc.valid_until === null || doc.valid_until >= today));
