import crypto from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { TIME_ZONE } from '../../platform/calendar/calendar.domain.ts';
/** Pure rules of the certificates: numbers, codes, eligibility and the tax certificate's amounts. No I/O. */

/** The kinds of certificate (the `certificates.kind` column takes its type from here). */
export const CERTIFICATE_KINDS = ['attendance', 'payment', 'tax'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

/** « ATT-2026-000123 »: one sequence for every kind, per year of issue. */
export const certificateNumber = (year: number, seq: number) => `ATT-${year}-${String(seq).padStart(6, '0')}`;
export const NUMBER_PATTERN = /^ATT-20\d\d-\d{6}$/;

/** What people type: lower case, spaces around, a missing dash all mean the same number. */
export function normaliseNumber(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const m = /^ATT(20\d\d)(\d{6})$/.exec(compact);
  return m ? `ATT-${m[1]}-${m[2]}` : compact;
}

// No 0/O, 1/I/L: the code is read on paper and typed on a phone.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

/** Verification code, 12 characters (≈ 59 bits), shown as ABCD-EFGH-JKMN. */
export function newVerificationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Lower case, spaces, missing dashes: the same code. Anything else of the wrong length stays as typed (it will not match). */
export function normaliseCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === CODE_LENGTH ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}` : compact;
}

/** « A. D. » (first name, then last name): what the verification page shows of the family, no more. */
export function initials(firstName: string, lastName: string): string {
  const first = (s: string) => s.trim().normalize('NFC').match(/\p{L}/u)?.[0]?.toUpperCase();
  return [first(firstName), first(lastName)]
    .filter(Boolean)
    .map((c) => `${c}.`)
    .join(' ');
}

/**
 * Tax credit for childcare (art. 200 quater B CGI, protocols.md §3.1): a child counts for the expenses
 * paid in year Y when born in Y-6 or later (under 6 on 1 January of Y; a child born on 1 January of
 * Y-6 counts too, and a child turning 6 during Y counts for the whole year).
 */
export function eligibleForTaxCredit(birthDate: string | null, year: number): boolean {
  if (!birthDate || !/^\d{4}-/.test(birthDate)) return false;
  return Number(birthDate.slice(0, 4)) >= year - 6;
}

/** The instants that bound a civil year in Paris: a payment at 0 h 30 on 1 January counts for the new year. */
export function parisYearBounds(year: number): { from: string; to: string } {
  const at = (y: number) => Temporal.PlainDate.from({ year: y, month: 1, day: 1 }).toZonedDateTime({ timeZone: TIME_ZONE }).toInstant().toString();
  return { from: new Date(at(year)).toISOString(), to: new Date(at(year + 1)).toISOString() };
}

/** The instants that bound the days from `start` to `end` (inclusive), in Paris. */
export function parisDayBounds(start: string, end: string): { from: string; to: string } {
  const at = (d: Temporal.PlainDate) => new Date(d.toZonedDateTime({ timeZone: TIME_ZONE }).toInstant().toString()).toISOString();
  return { from: at(Temporal.PlainDate.from(start)), to: at(Temporal.PlainDate.from(end).add({ days: 1 })) };
}

/** One invoice as the tax certificate sees it. */
export interface InvoiceForTax {
  invoiceId: string;
  /** What the family owes on it: total minus credit notes. */
  netCents: number;
  /** Per eligible child: garde lines minus their surcharges, minus what credit notes cancelled of them. */
  eligibleByChild: ReadonlyMap<string, number>;
  /** Payments received in the year and allocated to this invoice (active ones only). */
  paidInYearCents: number;
}

/**
 * The amount paid in the year for the childcare of each eligible child.
 *
 * An allocation pays an invoice, not a line. When an invoice holds garde and repas lines (and
 * surcharges), each payment is split **in proportion**: the share of the payment that is childcare is
 * paid × eligible / net, where eligible is the garde of the eligible children (surcharges and credited
 * lines taken off) and net the invoice's total after credit notes. So a half-paid invoice certifies
 * half its childcare, whatever order the lines were in, and the sum over the years never exceeds the
 * childcare billed. The share is rounded down to the cent (never certify a cent that was not paid),
 * then split between the children by the largest remainder, so that the children's amounts add up to
 * the invoice's share exactly.
 */
export function taxAmounts(invoices: readonly InvoiceForTax[]): Map<string, number> {
  const byChild = new Map<string, number>();
  for (const inv of invoices) {
    const eligible = [...inv.eligibleByChild.values()].reduce((s, v) => s + Math.max(0, v), 0);
    if (inv.netCents <= 0 || eligible <= 0 || inv.paidInYearCents <= 0) continue;
    const paid = Math.min(inv.paidInYearCents, inv.netCents);
    const share = Math.floor((paid * Math.min(eligible, inv.netCents)) / inv.netCents);
    const children = [...inv.eligibleByChild.entries()].filter(([, v]) => v > 0).sort(([a], [b]) => a.localeCompare(b));
    const parts = children.map(([child, v]) => ({ child, exact: (share * v) / eligible }));
    const floors = parts.map((p) => Math.floor(p.exact));
    let left = share - floors.reduce((s, v) => s + v, 0);
    const order = parts.map((p, i) => ({ i, rem: p.exact - floors[i] })).sort((a, b) => b.rem - a.rem || a.i - b.i);
    for (const o of order) {
      if (left <= 0) break;
      floors[o.i] += 1;
      left -= 1;
    }
    parts.forEach((p, i) => byChild.set(p.child, (byChild.get(p.child) ?? 0) + floors[i]));
  }
  return byChild;
}

/** The periods a family can ask for: whole months, at most a year, not in the future. */
export function periodRefusal(fromMonth: string, toMonth: string, currentMonth: string): 'order' | 'too_long' | 'future' | null {
  if (toMonth < fromMonth) return 'order';
  if (fromMonth > currentMonth) return 'future';
  const months = (Number(toMonth.slice(0, 4)) - Number(fromMonth.slice(0, 4))) * 12 + Number(toMonth.slice(5, 7)) - Number(fromMonth.slice(5, 7)) + 1;
  return months > 12 ? 'too_long' : null;
}

/** Last day of a month 'YYYY-MM'. */
export const lastDayOf = (month: string) => Temporal.PlainDate.from(`${month}-01`).add({ months: 1 }).subtract({ days: 1 }).toString();
