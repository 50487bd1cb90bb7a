/**
 * Pure pricing rules (DOMAIN.md §4 « Pricing »): a tariff version is an ordered list of criteria lines,
 * the first line that matches the day's facts gives the price, the last line is the explicit default.
 * No I/O: versions, quotients and residency are loaded by the shared service and passed in.
 * Money is integer cents everywhere; amounts typed by agents are parsed without floating point.
 */
import { currentQuotient, type QuotientRow } from '../households/households.domain.ts';

export type PriceCategory = 'garde' | 'repas';
export type ChargeKind = 'booked' | 'present_without_booking' | 'late_cancellation';
export type Residency = 'any' | 'resident' | 'non_resident';

export interface PriceTrace {
  tariffVersionId: string;
  /** French, e.g. « tranche QF 600–899, 2e enfant » or « tarif par défaut ». */
  criterionLabel: string;
  quotient: number | null;
  /** Code of the QF's source (caf, msa, agent, api_particulier). */
  quotientSource: string | null;
  /** 'YYYY-MM' */
  quotientFrom: string | null;
  resident: boolean;
  siblingRank: number;
}

export interface PricedDay {
  /** What the day costs: the line's amount plus the surcharge of its kind. */
  amountCents: number;
  /** The criteria line's amount alone (the garde or repas part). */
  baseCents: number;
  /** Present without booking or late cancellation: never childcare for the tax certificate. */
  surchargeCents: number;
  category: PriceCategory;
  kind: ChargeKind;
  trace: PriceTrace;
}

export interface TariffLine {
  /** Inclusive integer euros; null: no bound on that side. */
  qfMin: number | null;
  qfMax: number | null;
  residency: Residency;
  /** Sibling rank, inclusive (exact rank: min = max); null: every rank. */
  rankMin: number | null;
  rankMax: number | null;
  amountCents: number;
  category: PriceCategory;
  /** The explicit default: the last line, no criterion. */
  isDefault: boolean;
}

export interface TariffVersion {
  id: string;
  serviceId: string;
  /** null: every unit of the service without a tariff of its own. */
  unitId: string | null;
  /** First day the version applies, YYYY-MM-DD. */
  appliesFrom: string;
  /** Last day of its school year: a version never reaches into the next year. */
  appliesUntil: string;
  presentWithoutBookingCents: number;
  lateCancellationCents: number;
  lockedAt: string | null;
  /** In order: the first match wins. */
  lines: readonly TariffLine[];
}

/** What is known of the household on the day. `quotient` null: unknown, the top bracket applies. */
export interface DayFacts {
  quotient: number | null;
  resident: boolean;
  siblingRank: number;
}

/**
 * An unknown QF matches only lines without an upper QF bound: with brackets 0–599, 600–899 and
 * « 900 et plus », a household with no QF pays the « 900 et plus » price, the highest bracket.
 */
export function lineMatches(line: TariffLine, facts: DayFacts): boolean {
  if (line.isDefault) return true;
  if (facts.quotient === null) {
    if (line.qfMax !== null) return false;
  } else {
    if (line.qfMin !== null && facts.quotient < line.qfMin) return false;
    if (line.qfMax !== null && facts.quotient > line.qfMax) return false;
  }
  if (line.residency === 'resident' && !facts.resident) return false;
  if (line.residency === 'non_resident' && facts.resident) return false;
  if (line.rankMin !== null && facts.siblingRank < line.rankMin) return false;
  if (line.rankMax !== null && facts.siblingRank > line.rankMax) return false;
  return true;
}

export const matchLine = (lines: readonly TariffLine[], facts: DayFacts): TariffLine | null => lines.find((l) => lineMatches(l, facts)) ?? null;

const ordinal = (n: number) => (n === 1 ? '1er' : `${n}e`);

/** « tranche QF 600–899, 2e enfant », « QF 900 € et plus, non-résident », « tarif par défaut ». */
export function criterionLabel(line: TariffLine): string {
  if (line.isDefault) return 'tarif par défaut';
  const parts: string[] = [];
  if (line.qfMin !== null && line.qfMax !== null) parts.push(`tranche QF ${line.qfMin}–${line.qfMax}`);
  else if (line.qfMin !== null) parts.push(`QF ${line.qfMin} et plus`);
  else if (line.qfMax !== null) parts.push(`QF jusqu'à ${line.qfMax}`);
  if (line.residency === 'resident') parts.push('résident');
  if (line.residency === 'non_resident') parts.push('non-résident');
  if (line.rankMin !== null && line.rankMin === line.rankMax) parts.push(`${ordinal(line.rankMin)} enfant`);
  else if (line.rankMin !== null && line.rankMax !== null) parts.push(`du ${ordinal(line.rankMin)} au ${ordinal(line.rankMax)} enfant`);
  else if (line.rankMin !== null) parts.push(`à partir du ${ordinal(line.rankMin)} enfant`);
  else if (line.rankMax !== null) parts.push(`jusqu'au ${ordinal(line.rankMax)} enfant`);
  return parts.length ? parts.join(', ') : 'tous';
}

/**
 * The version in force on a day for a unit of one service: a version of the unit itself wins over
 * one of the whole service; among them the latest first day on or before the day, within its school year.
 */
export function versionInForce<V extends Pick<TariffVersion, 'unitId' | 'appliesFrom' | 'appliesUntil'>>(versions: readonly V[], unitId: string, day: string): V | null {
  let forUnit: V | null = null;
  let forService: V | null = null;
  for (const v of versions) {
    if (v.appliesFrom > day || v.appliesUntil < day) continue;
    if (v.unitId === unitId) {
      if (!forUnit || v.appliesFrom > forUnit.appliesFrom) forUnit = v;
    } else if (v.unitId === null && (!forService || v.appliesFrom > forService.appliesFrom)) forService = v;
  }
  return forUnit ?? forService;
}

/** The QF in force on a day (the households module's rule: latest month applicable, then last entered). */
export const quotientInForce = <T extends QuotientRow>(rows: readonly T[], day: string): T | null => currentQuotient(rows, day);

export interface QuotientFact {
  value_eur: number;
  reference_month: string;
  source: string;
}

/** Prices one day. Null when the version has no matching line (never with a default line, which validation requires). */
export function priceDay(version: TariffVersion, facts: { quotient: QuotientFact | null; resident: boolean; siblingRank: number }, kind: ChargeKind): PricedDay | null {
  const line = matchLine(version.lines, { quotient: facts.quotient?.value_eur ?? null, resident: facts.resident, siblingRank: facts.siblingRank });
  if (!line) return null;
  const surchargeCents = kind === 'present_without_booking' ? version.presentWithoutBookingCents : kind === 'late_cancellation' ? version.lateCancellationCents : 0;
  return {
    amountCents: line.amountCents + surchargeCents,
    baseCents: line.amountCents,
    surchargeCents,
    category: line.category,
    kind,
    trace: {
      tariffVersionId: version.id,
      criterionLabel: criterionLabel(line),
      quotient: facts.quotient?.value_eur ?? null,
      quotientSource: facts.quotient?.source ?? null,
      quotientFrom: facts.quotient?.reference_month ?? null,
      resident: facts.resident,
      siblingRank: facts.siblingRank,
    },
  };
}

/**
 * Rank (1-based) of each child among the household's children booked that day for the same kind of
 * service: the eldest first (earliest birth date), a child without a birth date after those with one,
 * then by id so the order never depends on the order of the rows.
 */
export function siblingRanks(children: readonly { childId: string; birthDate: string | null }[]): Map<string, number> {
  const unique = [...new Map(children.map((c) => [c.childId, c])).values()];
  unique.sort((a, b) => {
    if (a.birthDate !== b.birthDate) {
      if (a.birthDate === null) return 1;
      if (b.birthDate === null) return -1;
      return a.birthDate < b.birthDate ? -1 : 1;
    }
    return a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : 0;
  });
  return new Map(unique.map((c, i) => [c.childId, i + 1]));
}

/** Largest amount an agent may type: 10 000,00 € (a day of care never costs more; bounds every sum). */
export const MAX_AMOUNT_CENTS = 1_000_000;

/**
 * « 3,40 », « 3.4 », « 3 », « 3,40 € » → 340 cents, by the digits alone (no floating point);
 * null for anything else (negative, more than two decimals, letters, too large).
 */
export function parseAmountCents(text: string): number | null {
  const m = /^(\d{1,5})(?:[,.](\d{1,2}))?$/.exec(text.replace(/\s|€/g, ''));
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return cents <= MAX_AMOUNT_CENTS ? cents : null;
}

/** 340 → « 3,40 » (the value put back in a form field). */
export const centsToInput = (cents: number) => `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

export type LineProblem = 'no_line' | 'default_not_last' | 'qf_bounds_reversed' | 'rank_bounds_reversed' | 'default_with_criteria';

/** What makes a list of lines unusable: the default must be there, last, alone of its kind, without criteria. */
export function lineProblems(lines: readonly TariffLine[]): { index: number; problem: LineProblem }[] {
  const problems: { index: number; problem: LineProblem }[] = [];
  if (lines.length === 0) return [{ index: 0, problem: 'no_line' }];
  lines.forEach((l, i) => {
    if (l.isDefault && i !== lines.length - 1) problems.push({ index: i, problem: 'default_not_last' });
    if (l.isDefault && (l.qfMin !== null || l.qfMax !== null || l.residency !== 'any' || l.rankMin !== null || l.rankMax !== null)) problems.push({ index: i, problem: 'default_with_criteria' });
    if (l.qfMin !== null && l.qfMax !== null && l.qfMin > l.qfMax) problems.push({ index: i, problem: 'qf_bounds_reversed' });
    if (l.rankMin !== null && l.rankMax !== null && l.rankMin > l.rankMax) problems.push({ index: i, problem: 'rank_bounds_reversed' });
  });
  if (!lines[lines.length - 1].isDefault) problems.push({ index: lines.length - 1, problem: 'default_not_last' });
  return problems;
}

/** Bounds of a typed QF (simulator, QF form): integer euros. */
export const MAX_QUOTIENT = 99_999;

/** Ranks a family page explains: the eldest, the second, the third and later children. */
export const EXPLAINED_RANKS = [1, 2, 3] as const;

/**
 * A version's lines as a family reads them: for each line, the ranks of child for which it is the
 * line that applies to this household (its QF, or none known, and its residency).
 */
export function explainVersion(version: Pick<TariffVersion, 'lines'>, facts: { quotient: number | null; resident: boolean }): { line: TariffLine; label: string; ranks: number[] }[] {
  const applies = new Map<TariffLine, number[]>();
  for (const rank of EXPLAINED_RANKS) {
    const line = matchLine(version.lines, { ...facts, siblingRank: rank });
    if (line) applies.set(line, [...(applies.get(line) ?? []), rank]);
  }
  return version.lines.map((line) => ({ line, label: criterionLabel(line), ranks: applies.get(line) ?? [] }));
}
