import type { Attendance, BookingStatus } from '../../platform/vocabulary.ts';
import { addDays, dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatEuros } from '../../platform/format.ts';
import type { ChargeKind } from './invoicing.pricing.ts';

/** Pure rules of invoicing: what a day's facts bill, how numbers, statuses and lines read. No I/O. */

/** What is known of one booking row when the month is billed. */
export interface DayFacts {
  status: BookingStatus;
  attendance: Attendance | null;
  /** The family announced the absence after the cancellation deadline (« absence signalée »). */
  absenceDeclared: boolean;
  /** The town closed the day for this service (strike, holiday…), whatever the row says. */
  closed: boolean;
}

export type NotBilledReason = 'closed' | 'cancelled' | 'not_booked' | 'absent_justified';
export type BillingDecision = { billed: true; kind: ChargeKind; attendanceMissing: boolean } | { billed: false; reason: NotBilledReason };

/**
 * DOMAIN.md « Billing »: booked and present → billed; booked, absent unjustified → billed; booked,
 * absent justified → not billed; present without booking → billed with the town's surcharge;
 * cancelled in time → not billed; closed day → never billed. A cancellation after the deadline
 * is an absence declared late (a family cannot cancel after the deadline): billed as a late
 * cancellation, which the tariff prices with the town's surcharge if it set one. A booked day
 * whose attendance was never taken is billed as booked and reported at the control.
 */
export function billingDecision(f: DayFacts): BillingDecision {
  if (f.closed || f.status === 'closed') return { billed: false, reason: 'closed' };
  if (f.status === 'cancelled') return { billed: false, reason: 'cancelled' };
  if (f.status !== 'booked') return { billed: false, reason: 'not_booked' };
  switch (f.attendance) {
    case 'present_unbooked':
      return { billed: true, kind: 'present_without_booking', attendanceMissing: false };
    case 'absent_justified':
      return { billed: false, reason: 'absent_justified' };
    case 'absent_unjustified':
      return { billed: true, kind: f.absenceDeclared ? 'late_cancellation' : 'booked', attendanceMissing: false };
    case 'present':
      return { billed: true, kind: 'booked', attendanceMissing: false };
    case null:
      return { billed: true, kind: 'booked', attendanceMissing: true };
  }
}

export type InvoiceStatus = 'to_pay' | 'partly_paid' | 'paid' | 'cancelled';

/** An invoice's status from its amounts: fully credited → cancelled; what is left to pay decides the rest. */
export function invoiceStatus(totalCents: number, paidCents: number, creditedCents: number): InvoiceStatus {
  const due = totalCents - creditedCents;
  if (creditedCents > 0 && due <= 0) return 'cancelled';
  if (paidCents >= due) return 'paid';
  return paidCents > 0 ? 'partly_paid' : 'to_pay';
}

/** What the household still owes on an invoice (never negative: an overpayment is the payments module's). */
export const remainingCents = (totalCents: number, paidCents: number, creditedCents: number) => Math.max(0, totalCents - creditedCents - paidCents);

/** « F-2026-000123 », « A-2026-000004 »: prefix, year of issue, sequence on six digits. */
export const documentNumber = (prefix: 'F' | 'A', year: number, seq: number) => `${prefix}-${year}-${String(seq).padStart(6, '0')}`;

/** Invoices are due 30 days after they are issued. */
export const dueDate = (issuedDay: string) => addDays(issuedDay, 30);

/** A month can be billed once it is over (the day after its last day, in Paris). */
export const monthIsOver = (month: string, today: string) => today.slice(0, 7) > month;

/** The first and last day of a month 'YYYY-MM'. */
export function monthBounds(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const next = Number(month.slice(5, 7)) === 12 ? `${Number(month.slice(0, 4)) + 1}-01-01` : `${month.slice(0, 4)}-${String(Number(month.slice(5, 7)) + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1) };
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export type RunStatus = 'draft' | 'controlled' | 'issued';
export type RunAction = 'draft' | 'control' | 'issue';
export type RunRefusal = 'already_issued' | 'not_drafted' | 'not_controlled' | 'stale_control' | 'month_not_over' | 'blocking_anomalies';

/**
 * The run's life: draft (redone as often as needed) → controlled (the régie has read the control
 * page of one draft version) → issued (final). A new draft cancels the control; issuing needs the
 * control of the current draft, no line the tariffs could not price, and a month that is over.
 */
export function runRefusal(action: RunAction, run: { status: RunStatus; draftVersion: number; controlledVersion: number | null; month: string }, today: string, blocking = 0): RunRefusal | null {
  if (run.status === 'issued') return 'already_issued';
  if (!monthIsOver(run.month, today)) return 'month_not_over';
  if (action === 'draft') return null;
  if (run.draftVersion === 0) return 'not_drafted';
  if (blocking > 0) return 'blocking_anomalies';
  if (action === 'control') return null;
  if (run.status !== 'controlled') return 'not_controlled';
  return run.controlledVersion === run.draftVersion ? null : 'stale_control';
}

/** Control-page anomalies. `no_tariff` blocks the issue (a day nobody can price); the others are for the régie to read. */
export const ANOMALY_KINDS = ['no_tariff', 'present_without_booking', 'no_quotient', 'not_enrolled', 'attendance_missing', 'zero_or_negative', 'changed', 'removed'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
export const BLOCKING_ANOMALIES: readonly AnomalyKind[] = ['no_tariff'];

/** « 1er », « 2e », « 3e » enfant. */
export const rankLabel = (rank: number) => `${rank === 1 ? '1er' : `${rank}e`} enfant`;

export interface ReadableLine {
  childName: string;
  serviceName: string;
  unitLabel: string;
  day: string;
  kind: ChargeKind;
  amountCents: number;
  /** The tariffs' words for the criterion matched, rank included (« tranche QF 600–899, 2e enfant »). */
  criterionLabel: string;
  surchargeCents: number;
}

const KIND_NOTES: Record<ChargeKind, string | null> = {
  booked: null,
  present_without_booking: 'présent sans réservation',
  late_cancellation: 'absence signalée après le délai',
};

/** How the price was found, in words: « tranche QF 600–899, 2e enfant », « présent sans réservation (majoration 1,00 €), tarif par défaut ». */
export function lineReason(l: Pick<ReadableLine, 'criterionLabel' | 'kind' | 'surchargeCents'>): string {
  const note = KIND_NOTES[l.kind];
  return [note && l.surchargeCents > 0 ? `${note} (majoration ${formatEuros(l.surchargeCents)})` : note, l.criterionLabel].filter(Boolean).join(', ');
}

/** Where the QF came from, in words (the tariffs module's source codes). */
export const QUOTIENT_SOURCES: Record<string, string> = { caf: 'attestation CAF', msa: 'attestation MSA', agent: 'saisi par la mairie', api_particulier: 'API Particulier', attestation: 'attestation', api: 'API Particulier' };

/** « Accueil du soir (garderie), soir »: the unit after the service, as the calendar names it (service names may hold parentheses). */
export const serviceUnit = (serviceName: string, unitLabel: string) => (unitLabel && unitLabel !== serviceName ? `${serviceName}, ${unitLabel.charAt(0).toLowerCase()}${unitLabel.slice(1)}` : serviceName);

/** « Léa — Restauration scolaire — mardi 3 mars — 3,40 € (tranche QF 600–899, 2e enfant) » */
export function lineText(l: ReadableLine): string {
  const service = serviceUnit(l.serviceName, l.unitLabel);
  return `${l.childName} — ${service} — ${dayLabel(l.day)} — ${formatEuros(l.amountCents)} (${lineReason(l)})`;
}

/** Lines of one household, grouped by child then day: the order of invoices and PDFs. */
export const byChildThenDay = <T extends { childName: string; day: string; serviceName: string }>(a: T, b: T) =>
  a.childName.localeCompare(b.childName, 'fr') || a.day.localeCompare(b.day) || a.serviceName.localeCompare(b.serviceName, 'fr');

/** Credited amount of a credit note from the chosen lines, refusing a line credited before. */
export function creditTotal(lines: readonly { amountCents: number; credited: boolean }[]): { ok: true; cents: number } | { ok: false; code: 'nothing_chosen' | 'already_credited' } {
  if (lines.length === 0) return { ok: false, code: 'nothing_chosen' };
  if (lines.some((l) => l.credited)) return { ok: false, code: 'already_credited' };
  return { ok: true, cents: lines.reduce((s, l) => s + l.amountCents, 0) };
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The régie that invoices a service in a month: its latest assignment starting that month or
 * before (`service_regies`, migration 022), else the régie it was created with (`services.regie_id`).
 * The draft (`servicesOfRegie`) and the billing locks (`platform/db/billing-locks.ts`) apply the same
 * rule in SQL.
 */
export function regieForMonth(base: string, assignments: readonly { from_month: string; regie_id: string }[], month: string): string {
  let found: { from_month: string; regie_id: string } | null = null;
  for (const a of assignments) if (a.from_month <= month && (!found || a.from_month > found.from_month)) found = a;
  return found ? found.regie_id : base;
}

export type MoveRefusal = 'unchanged' | 'runs_started';
export interface Assignment {
  from_month: string;
  regie_id: string;
}

/**
 * Moving a service to another régie from a month (README « Régies »): the move applies to that month
 * and every later one (later moves are replaced). It concerns the régies that invoice the service
 * from that month on and the new one; it is refused while any of them has a run of that month or
 * later that was drafted or issued, so no month is ever billed twice (by the old régie's run and
 * the new one's) nor forgotten (by a run of the new régie drafted or issued without the service).
 * Runs only exist for months that are over: a move from the current month is always possible.
 */
export function regiesConcernedByMove(base: string, assignments: readonly Assignment[], to: string, from: string): { unchanged: boolean; regies: string[] } {
  const current = regieForMonth(base, assignments, from);
  const later = assignments.filter((a) => a.from_month > from);
  return { unchanged: current === to && later.every((a) => a.regie_id === to), regies: [...new Set([current, to, ...later.map((a) => a.regie_id)])].sort() };
}
