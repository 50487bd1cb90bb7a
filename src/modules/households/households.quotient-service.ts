import type { Actor, Executor } from '../../platform/audit/audit.repository.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import type { QuotientsTable } from '../../platform/db/schema.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { insertQuotient } from './households.repository.ts';

export type QuotientSourceCode = QuotientsTable['source'];

export interface QuotientInput {
  householdId: string;
  /** Integer euros (the CAF's QF is an integer; API Particulier's `valeur` too). */
  amountEuros: number;
  /** 'YYYY-MM': the value applies from this month until a later month's value. */
  fromMonth: string;
  source: QuotientSourceCode;
  /** Why it was entered or corrected, kept in the history and the audit log. */
  reason: string;
  actor: Actor;
  at: Date;
  /** Optional end of validity (an attestation valid until a date). */
  validUntil?: string | null;
}

/**
 * Records a QF value inside the caller's transaction, with its audit row. A value for a month that
 * already has one is a correction: both rows stay in the history, the last entered applies.
 * Callers check who may do it (enfance and admin agents; later the QF-update request).
 */
export async function recordQuotient(tx: Executor, input: QuotientInput): Promise<{ id: string }> {
  if (!Number.isInteger(input.amountEuros) || input.amountEuros < 0 || input.amountEuros > 99_999) throw new RangeError('quotient hors bornes');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.fromMonth)) throw new RangeError('mois invalide');
  const id = await insertQuotient(
    tx,
    { household_id: input.householdId, value_eur: input.amountEuros, reference_month: input.fromMonth, source: input.source, reason: input.reason.slice(0, 500), valid_until: input.validUntil ?? null, created_by: input.actor.id },
    input.at,
  );
  await writeAudit(tx, input.at, input.actor, {
    action: 'household.quotient_added',
    targetType: 'household',
    targetId: input.householdId,
    summary: `Quotient familial enregistré : ${input.amountEuros} € à partir de ${monthLabel(input.fromMonth)}${input.reason ? ` (${input.reason.slice(0, 200)})` : ''}`,
  });
  return { id };
}
