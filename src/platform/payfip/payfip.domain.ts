/**
 * PayFiP Régie web-service rules, pure (protocols.md §1.3–1.5): what may be sent to
 * `creerPaiementSecurise`, and what an answer of `recupererDetailPaiementSecurise` means.
 * No I/O here: times are given, the client and the payments module do the rest.
 */

/** `refdet`: 6–30 letters or digits, nothing else (PayFiP answers R3 to a shorter one). */
export const REFDET_RE = /^[A-Za-z0-9]{6,30}$/;
export const isValidRefdet = (value: string): boolean => REFDET_RE.test(value);

/** NUMCLI: the 6 digits the DGFiP gives the town with the convention. */
export const isValidNumcli = (value: string): boolean => /^\d{6}$/.test(value);

/** `saisie`: T test, X activation (real payments that validate the contract), W production. */
export const SAISIES = ['T', 'X', 'W'] as const;
export type Saisie = (typeof SAISIES)[number];

/** Amounts PayFiP's web service accepts, in cents (eopayment: 1 € to 100 000 € excluded). */
export const MIN_AMOUNT_CENTS = 100;
export const MAX_AMOUNT_CENTS = 9_999_999;
export const isPayableAmount = (cents: number): boolean => Number.isSafeInteger(cents) && cents >= MIN_AMOUNT_CENTS && cents <= MAX_AMOUNT_CENTS;

/** `montant` is the amount in cents written as digits, without separator (10,00 € → "1000"). */
export const montantOf = (cents: number): string => {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`montant invalide : ${cents}`);
  return String(cents);
};

/** Cents from an echoed `montant`, or null when it is not plain digits. */
export const centsOfMontant = (montant: string): number | null => (/^\d{1,11}$/.test(montant) ? Number(montant) : null);

/** `mel`: required; PayFiP answers A2 to a malformed address. */
export const isValidMel = (value: string): boolean => value.length >= 6 && value.length <= 80 && /^[^\s@<>&"']+@[^\s@<>&"']+\.[^\s@<>&"']+$/.test(value);

/** Notification and return URLs: absolute http(s), under 250 characters. */
export const isValidCallbackUrl = (value: string): boolean => value.length < 250 && /^https?:\/\/[^\s<>"]+$/.test(value);

/**
 * `objet`: at most 100 characters of [A-Za-z0-9 ]. Accents are taken off (NFKD), apostrophes and
 * hyphens become spaces, any other character is dropped, spaces are collapsed.
 */
export function normalizeObjet(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ŒœÆæß]/g, (c) => ({ Œ: 'OE', œ: 'oe', Æ: 'AE', æ: 'ae', ß: 'ss' })[c] ?? '')
    .replace(/[-'’‐‑–—]/g, ' ')
    .replace(/[^A-Za-z0-9\s]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .trimEnd();
}

/**
 * The `refdet` of a local transaction, made from its UUIDv7: the 32 hex digits less the version
 * and variant digits (constant or nearly) give 30 characters, unique per transaction, that lead
 * straight back to it in PayFiP's reports.
 */
export function refdetOf(transactionId: string): string {
  const hex = transactionId.replace(/-/g, '').toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(hex)) throw new RangeError('identifiant de transaction invalide');
  return hex.slice(0, 12) + hex.slice(13, 16) + hex.slice(17);
}

/** The fields of a `creerPaiementSecurise` call, checked before anything is sent. */
export interface CreatePaymentFields {
  exer: string;
  mel: string;
  amountCents: number;
  numcli: string;
  objet: string;
  refdet: string;
  saisie: Saisie;
  urlnotif: string;
  urlredirect: string;
}

export type CreateProblem = 'exer' | 'mel' | 'montant' | 'numcli' | 'objet' | 'refdet' | 'saisie' | 'urlnotif' | 'urlredirect';

/** What PayFiP would refuse in a creation request (checked here so it is never sent). */
export function createProblems(f: CreatePaymentFields): CreateProblem[] {
  const problems: CreateProblem[] = [];
  if (!/^\d{4}$/.test(f.exer)) problems.push('exer');
  if (!isValidMel(f.mel)) problems.push('mel');
  if (!isPayableAmount(f.amountCents)) problems.push('montant');
  if (!isValidNumcli(f.numcli)) problems.push('numcli');
  if (f.objet !== normalizeObjet(f.objet)) problems.push('objet');
  if (!isValidRefdet(f.refdet)) problems.push('refdet');
  if (!(SAISIES as readonly string[]).includes(f.saisie)) problems.push('saisie');
  if (!isValidCallbackUrl(f.urlnotif)) problems.push('urlnotif');
  if (!isValidCallbackUrl(f.urlredirect)) problems.push('urlredirect');
  return problems;
}

/**
 * The closed set of what a payment came to: paid by card, paid by direct debit, refused (card or
 * debit), abandoned (cancelled by the payer, or never paid before the idOp expired), or still unknown.
 */
export const OUTCOMES = ['paid_card', 'paid_direct_debit', 'refused', 'abandoned', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * An outcome, and whether it is final. Not final: ask again later (reconciliation). An abandon
 * within the first 20 minutes is not final either: the payer may go back to the PayFiP page and pay
 * with the same idOp (eopayment keeps it WAITING).
 */
export interface Verdict {
  outcome: Outcome;
  final: boolean;
}

/** What the detail call gave: a result, a functional fault with its code, or nothing usable (other faults, network). */
export type DetailAnswer = { kind: 'result'; resultrans: string } | { kind: 'fault'; code: string } | { kind: 'unavailable' };

/** After this delay an idOp that brought no result is over (eopayment `min_time_between_transactions`). */
export const STILL_RUNNING_MS = 20 * 60_000;

export function verdictOf(answer: DetailAnswer, createdAt: Date, now: Date): Verdict {
  const young = now.getTime() - createdAt.getTime() < STILL_RUNNING_MS;
  if (answer.kind === 'result') {
    switch (answer.resultrans) {
      case 'P':
        return { outcome: 'paid_card', final: true };
      case 'V':
        return { outcome: 'paid_direct_debit', final: true };
      case 'R':
      case 'Z':
        return { outcome: 'refused', final: true };
      case 'A':
        return { outcome: 'abandoned', final: !young };
      default:
        // A code PayFiP never documented: nobody can say it is paid; asked again until the transaction is old.
        return { outcome: 'unknown', final: false };
    }
  }
  if (answer.kind === 'fault') {
    // P5: the idOp exists, no result yet; after 20 minutes the payer will not pay any more.
    if (answer.code === 'P5') return young ? { outcome: 'unknown', final: false } : { outcome: 'abandoned', final: true };
    // P1: unknown idOp, which includes idOps purged by PayFiP's nightly cleaning: expired.
    if (answer.code === 'P1') return { outcome: 'abandoned', final: true };
  }
  return { outcome: 'unknown', final: false };
}

/** `dattrans` (DDMMYYYY) and `heurtrans` (HHMM), Paris local time, as a plain date-time text, or null. */
export function transactionLocalTime(dattrans: string, heurtrans: string): string | null {
  const d = /^(\d{2})(\d{2})(\d{4})$/.exec(dattrans);
  const h = /^(\d{2})(\d{2})$/.exec(heurtrans);
  if (!d || !h) return null;
  const [day, month, hour, minute] = [Number(d[1]), Number(d[2]), Number(h[1]), Number(h[2])];
  if (day < 1 || day > 31 || month < 1 || month > 12 || hour > 23 || minute > 59) return null;
  return `${d[3]}-${d[2]}-${d[1]}T${h[1]}:${h[2]}`;
}
