import { parseAmountCents } from '../tariffs/tariffs.domain.ts';
import { COUNTER_MEANS, type CounterMeans } from './invoicing.ledger.domain.ts';

/**
 * Pure rules of the cash-desk day (issue 11 item 3). A day's journal is made of the counter payments
 * received that day (each a positive line, even if cancelled later) and the cancellations made that
 * day (each a negative line, whatever the day of the payment). So a closed day's totals never move:
 * nothing is received on a closed day, and a later cancellation belongs to the day it is made.
 * Online payments (PayFiP) do not go through the drawer and are left out.
 */

export interface JournalPayment {
  id: string;
  number: string;
  means: string;
  amount_cents: number;
  received_at: string;
  details: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  household_name: string;
  household_reference: string;
}

export type JournalLine<P extends JournalPayment = JournalPayment> = { kind: 'payment'; at: string; cents: number; payment: P } | { kind: 'cancellation'; at: string; cents: number; payment: P };

export interface MeansTotal {
  means: CounterMeans;
  /** Payments received that day in this means. */
  count: number;
  /** Received minus cancelled that day, in this means. */
  cents: number;
}

export interface Journal<P extends JournalPayment = JournalPayment> {
  lines: JournalLine<P>[];
  byMeans: MeansTotal[];
  cancelledCount: number;
  cancelledCents: number;
  totalCents: number;
}

/** The journal of a day from its received payments and the cancellations made that day, in time order. */
export function cashJournal<P extends JournalPayment>(received: readonly P[], cancelledThatDay: readonly P[]): Journal<P> {
  const counter = (p: P): p is P & { means: CounterMeans } => (COUNTER_MEANS as readonly string[]).includes(p.means);
  const lines: JournalLine<P>[] = [
    ...received.filter(counter).map((p) => ({ kind: 'payment' as const, at: p.received_at, cents: Number(p.amount_cents), payment: p })),
    ...cancelledThatDay.filter(counter).map((p) => ({ kind: 'cancellation' as const, at: p.cancelled_at!, cents: -Number(p.amount_cents), payment: p })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.payment.number.localeCompare(b.payment.number));
  const totals = new Map<CounterMeans, MeansTotal>();
  for (const l of lines) {
    const m = l.payment.means as CounterMeans;
    const t = totals.get(m) ?? { means: m, count: 0, cents: 0 };
    if (l.kind === 'payment') t.count++;
    t.cents += l.cents;
    totals.set(m, t);
  }
  const cancellations = lines.filter((l) => l.kind === 'cancellation');
  return {
    lines,
    byMeans: COUNTER_MEANS.filter((m) => totals.has(m)).map((m) => totals.get(m)!),
    cancelledCount: cancellations.length,
    cancelledCents: -cancellations.reduce((s, l) => s + l.cents, 0),
    totalCents: lines.reduce((s, l) => s + l.cents, 0),
  };
}

/** The totals columns of a closure row (cash_desk_closures), as integers. */
type ClosureTotals = Record<`${CounterMeans}_count` | `${CounterMeans}_cents` | 'cancelled_count' | 'cancelled_cents' | 'total_cents', number>;

/** The closure's columns from a journal. */
export function closureTotals(j: Journal): ClosureTotals {
  const of = (m: CounterMeans) => j.byMeans.find((t) => t.means === m) ?? { count: 0, cents: 0 };
  return {
    cash_count: of('cash').count,
    cash_cents: of('cash').cents,
    cheque_count: of('cheque').count,
    cheque_cents: of('cheque').cents,
    cesu_count: of('cesu').count,
    cesu_cents: of('cesu').cents,
    ancv_count: of('ancv').count,
    ancv_cents: of('ancv').cents,
    card_counter_count: of('card_counter').count,
    card_counter_cents: of('card_counter').cents,
    cancelled_count: j.cancelledCount,
    cancelled_cents: j.cancelledCents,
    total_cents: j.totalCents,
  };
}

/** A closure's totals by means, as they were closed (means without anything left out). */
export const closedByMeans = (c: ClosureTotals): MeansTotal[] =>
  COUNTER_MEANS.map((m) => ({ means: m, count: Number(c[`${m}_count`]), cents: Number(c[`${m}_cents`]) })).filter((t) => t.count > 0 || t.cents !== 0);

export const CLOSING_COMMENT_MAX = 500;

export type ClosingRefusal = 'future_day' | 'bad_counted' | 'comment_needed' | 'comment_too_long';

/**
 * Checks the closing form: the day is not after today; the cash counted, when given, is an amount;
 * a difference with the cash expected needs a comment. Field → refusal, or what to record.
 */
export function checkClosing(input: { day: string; today: string; counted: string; comment: string; cashCents: number }): { ok: true; countedCents: number | null; differenceCents: number | null; comment: string | null } | { ok: false; errors: Partial<Record<'jour' | 'especes' | 'commentaire', ClosingRefusal>> } {
  const errors: Partial<Record<'jour' | 'especes' | 'commentaire', ClosingRefusal>> = {};
  if (input.day > input.today) errors.jour = 'future_day';
  const countedText = input.counted.trim();
  const counted = countedText ? parseAmountCents(countedText) : null;
  if (countedText && counted === null) errors.especes = 'bad_counted';
  const comment = input.comment.replace(/\r\n?/g, '\n').trim();
  const difference = counted === null ? null : counted - input.cashCents;
  if (comment.length > CLOSING_COMMENT_MAX) errors.commentaire = 'comment_too_long';
  else if (difference !== null && difference !== 0 && !comment) errors.commentaire = 'comment_needed';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, countedCents: counted, differenceCents: difference, comment: comment || null };
}
