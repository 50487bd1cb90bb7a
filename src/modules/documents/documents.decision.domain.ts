/** Pure rules of an agent's decision on a document (validated or refused), from the posted form. */

export const REASON_MAX = 500;
/** The code of the type whose validation also records a quotient familial (seeded by migration 014). */
export const QUOTIENT_TYPE = 'quotient';

export type DocumentDecision =
  | { action: 'validated'; validUntil: string | null; qf: { value: number; month: string } | null }
  | { action: 'refused'; reason: string };

export interface DecisionForm {
  action?: string;
  valable?: string;
  qf?: string;
  mois_qf?: string;
  motif?: string;
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Validation: the last day it covers (empty when the type has no end), not before the document's
 * date; for an attestation CAF/MSA, its quotient (whole euros, 0 to 99 999) and the month it applies
 * from. Refusal: a reason the family reads.
 */
export function parseDecision(form: DecisionForm, facts: { typeCode: string; documentDate: string; hasEnd: boolean }): { ok: true; decision: DocumentDecision } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (form.action === 'refused') {
    const reason = (form.motif ?? '').trim();
    if (!reason) errors.motif = 'Indiquez le motif du refus : la famille le lira';
    else if (reason.length > REASON_MAX) errors.motif = `${REASON_MAX} caractères au maximum`;
    return Object.keys(errors).length ? { ok: false, errors } : { ok: true, decision: { action: 'refused', reason } };
  }
  if (form.action !== 'validated') return { ok: false, errors: { action: 'Choisissez de valider ou de refuser le document' } };
  const until = (form.valable ?? '').trim();
  let validUntil: string | null = null;
  if (until) {
    if (!isDay(until)) errors.valable = 'Indiquez une date valide (jour, mois, année)';
    else if (until < facts.documentDate) errors.valable = 'La date de fin ne peut pas précéder la date du document';
    else validUntil = until;
  } else if (facts.hasEnd) errors.valable = 'Indiquez jusqu\'à quand le document est valable';
  let qf: { value: number; month: string } | null = null;
  if (facts.typeCode === QUOTIENT_TYPE) {
    const value = (form.qf ?? '').replace(/\s/g, '');
    const month = (form.mois_qf ?? '').trim();
    if (!/^\d{1,5}$/.test(value)) errors.qf = 'Indiquez le quotient familial en euros, sans centimes (par exemple 850)';
    if (!/^20\d\d-(0[1-9]|1[0-2])$/.test(month)) errors.mois_qf = 'Indiquez le mois du quotient (par exemple 2026-11)';
    if (!errors.qf && !errors.mois_qf) qf = { value: Number(value), month };
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, decision: { action: 'validated', validUntil, qf } };
}
