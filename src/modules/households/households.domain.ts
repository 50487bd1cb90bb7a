/**
 * Pure rules of the family record: search normalisation, names, diets, quotient, pending changes.
 * No I/O: dates and ids are passed in.
 */

/** Lower case, no accents, no punctuation: « Éloïse D'Almeida » → « eloise d almeida ». */
export function normaliseSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.+]+/g, ' ')
    .trim();
}

/** Phone numbers are searched by their digits only, so « 06 12 34 56 78 » finds « 0612345678 ». */
export const phoneDigits = (phone: string | null | undefined) => (phone ?? '').replace(/\D/g, '');

/** Tokens of a search query; each must appear somewhere in the household's search text. */
export function searchTokens(query: string): string[] {
  const digits = phoneDigits(query);
  if (digits.length >= 6 && /^[\d\s.+-]+$/.test(query.trim())) return [digits];
  return normaliseSearch(query)
    .split(' ')
    .filter((t) => t.length > 0)
    .slice(0, 6);
}

export interface SearchableHousehold {
  reference: string;
  address_line1: string;
  postcode: string;
  city: string;
  members: { first_name: string; last_name: string; email: string | null; phone: string | null }[];
}

export function householdSearchText(h: SearchableHousehold): string {
  const parts = [h.reference, h.address_line1, h.postcode, h.city];
  for (const m of h.members) parts.push(m.first_name, m.last_name, m.email ?? '', phoneDigits(m.phone));
  return ` ${normaliseSearch(parts.join(' '))} `;
}

/** « Foyer Durand » or « Foyer Durand – Martin » from the guardians' last names. */
export function householdName(guardianLastNames: string[], fallback: string): string {
  const names = [...new Set(guardianLastNames.map((n) => n.trim()).filter(Boolean))];
  return `Foyer ${names.length ? names.join(' – ') : fallback}`;
}

export const formatReference = (n: number) => `F-${String(n).padStart(6, '0')}`;

export const DIETS = {
  standard: 'Sans régime particulier',
  sans_porc: 'Sans porc',
  vegetarien: 'Végétarien',
  sans_viande: 'Sans viande',
  medical: 'Régime médical (voir le PAI)',
} as const;
export type Diet = keyof typeof DIETS;
export const isDiet = (v: string): v is Diet => v in DIETS;

export const RELATIONS = ['Mère', 'Père', 'Grand-parent', 'Oncle ou tante', 'Frère ou sœur majeur', 'Assistante maternelle', 'Voisin ou ami', 'Autre'] as const;

/** Age in whole years on a given day ('YYYY-MM-DD' strings compare as dates). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** A birth date from the three fields (jour, mois, année); null when it is not a real date or is out of range. */
export function parseBirthDate(day: string, month: string, year: string, today: string): { date: string } | { error: string } {
  if (!day.trim() && !month.trim() && !year.trim()) return { error: 'Saisissez la date de naissance' };
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || String(year).trim().length !== 4) {
    return { error: 'La date de naissance doit être une vraie date, par exemple 27 3 2018' };
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { error: 'La date de naissance doit être une vraie date, par exemple 27 3 2018' };
  }
  const iso = date.toISOString().slice(0, 10);
  if (iso > today) return { error: 'La date de naissance doit être dans le passé' };
  if (ageOn(iso, today) > 25) return { error: 'La date de naissance semble trop ancienne pour un enfant' };
  return { date: iso };
}

export interface QuotientRow {
  value_eur: number;
  /** 'YYYY-MM': the value applies from this month until a later month's value. */
  reference_month: string;
  source: string;
  valid_until: string | null;
  created_at: string;
  /** UUIDv7: orders two entries of the same instant. */
  id?: string;
}

/**
 * The QF in force on a day: among the values that apply by then (their month has begun and they have
 * not expired), the one of the latest month; for the same month, the last entered (a correction
 * replaces the value it corrects, the history keeps both). None: the top tariff applies.
 */
export function currentQuotient<T extends QuotientRow>(rows: readonly T[], day: string): T | null {
  const month = day.slice(0, 7);
  let best: T | null = null;
  for (const q of rows) {
    if (q.reference_month > month || (q.valid_until && q.valid_until < day)) continue;
    if (!best || q.reference_month > best.reference_month || (q.reference_month === best.reference_month && (q.created_at > best.created_at || (q.created_at === best.created_at && (q.id ?? '') > (best.id ?? ''))))) best = q;
  }
  return best;
}

export const QUOTIENT_SOURCES = { caf: 'Attestation CAF', msa: 'Attestation MSA', agent: 'Saisie par un agent (avis d\'imposition)', api_particulier: 'API Particulier (CAF/MSA)' } as const;
export type QuotientSource = keyof typeof QUOTIENT_SOURCES;

/** What a guardian may change alone, and what the town must check first. */
export interface NewChildPayload {
  first_name: string;
  last_name: string;
  birth_date: string;
  sex: 'F' | 'M' | null;
  school: string | null;
  class_level: string | null;
}

export interface AddressPayload {
  address_line1: string;
  address_line2: string | null;
  postcode: string;
  city: string;
}

export const PENDING_KIND_LABELS = { new_child: 'Ajout d\'un enfant', address: 'Changement d\'adresse' } as const;
export const PENDING_STATUS_LABELS = { pending: 'En attente de validation', accepted: 'Validée', refused: 'Refusée' } as const;

export const isPostcode = (v: string) => /^\d{5}$/.test(v);
export const isPhone = (v: string) => /^(\+33|0)[1-9](\d{8})$/.test(v.replace(/[\s.-]/g, ''));
