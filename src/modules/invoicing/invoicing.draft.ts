import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { InvoiceAnomaliesTable, InvoiceDraftLinesTable } from '../../platform/db/schema-invoicing.ts';
import { billingDecision, monthBounds, type AnomalyKind } from './invoicing.domain.ts';
import type { Pricing } from './invoicing.pricing.ts';
import * as repo from './invoicing.repository.ts';

/** Households priced together: one pricing load and one read of their days per batch (memory bounded). */
export const HOUSEHOLD_BATCH = 500;

export interface DraftSummary {
  version: number;
  lines: number;
  households: number;
  totalCents: number;
}

/**
 * Computes a run's new draft from the month's facts, inside the caller's transaction: every booked
 * day of the régie's services goes through the billing rules, then through the tariffs, and lands
 * as a line with its trace, or as an anomaly. Households are handled in batches, lines written with
 * multi-row inserts: memory holds one batch, never the month.
 */
export async function computeDraft(tx: Executor, pricing: Pricing, run: { id: string; regie_id: string; month: string }, version: number): Promise<DraftSummary> {
  const { from, to } = monthBounds(run.month);
  const services = await repo.servicesOfRegie(tx, run.regie_id, run.month);
  const serviceIds = services.map((s) => s.id);
  const closures = await repo.closuresBetween(tx, from, to);
  const facilityOf = new Map(services.map((s) => [s.id, s.facility_id]));
  // A closure applies to a day of a service when it names it, its facility, or every facility.
  const closed = (serviceId: string, day: string) =>
    closures.some((c) => c.day === day && (c.service_id === serviceId || (c.service_id === null && (c.facility_id === null || c.facility_id === facilityOf.get(serviceId)))));

  await repo.clearAnomalies(tx, run.id);
  const households = await repo.householdsToBill(tx, serviceIds, from, to);
  const summary: DraftSummary = { version, lines: 0, households: 0, totalCents: 0 };
  for (let i = 0; i < households.length; i += HOUSEHOLD_BATCH) {
    const batch = households.slice(i, i + HOUSEHOLD_BATCH);
    const rows = await repo.bookedDays(tx, batch, serviceIds, from, to);
    const childIds = [...new Set(rows.map((r) => r.child_person_id))];
    const enrolled = new Set((await repo.acceptedEnrolments(tx, childIds, serviceIds)).flatMap((e) => (e.start_date <= to && e.end_date >= from ? [`${e.child_person_id}|${e.service_id}`] : [])));
    const price = await pricing.load(tx, { from, to, householdIds: batch, serviceIds });

    const decided = rows.flatMap((r) => {
      const d = billingDecision({ status: r.status, attendance: r.attendance, absenceDeclared: r.absence_declared_at !== null, closed: closed(r.service_id, r.day) });
      return d.billed ? [{ r, d }] : [];
    });
    // Sibling rank (tariffs' rule): among the household's children billed that day for the same kind of service, eldest first.
    const sameDay = (r: { household_id: string; day: string; service_kind: string }) => `${r.household_id}|${r.day}|${r.service_kind}`;
    const together = new Map<string, Map<string, string | null>>();
    for (const { r } of decided) together.set(sameDay(r), (together.get(sameDay(r)) ?? new Map<string, string | null>()).set(r.child_person_id, r.birth_date));
    const ranks = new Map([...together].map(([key, kids]) => [key, pricing.ranks([...kids].map(([childId, birthDate]) => ({ childId, birthDate })))]));

    const lines: InvoiceDraftLinesTable[] = [];
    const anomalies: InvoiceAnomaliesTable[] = [];
    const seen = new Set<string>();
    const anomaly = (kind: AnomalyKind, r: { household_id: string; child_person_id: string; id: string; day: string } | null, householdId: string, once?: string, amount: number | null = null) => {
      if (once) {
        if (seen.has(`${kind}|${once}`)) return;
        seen.add(`${kind}|${once}`);
      }
      anomalies.push({ run_id: run.id, kind, household_id: householdId, child_person_id: r?.child_person_id ?? null, booking_id: once ? null : (r?.id ?? null), day: once ? null : (r?.day ?? null), amount_cents: amount });
    };
    for (const { r, d } of decided) {
      const siblingRank = ranks.get(sameDay(r))?.get(r.child_person_id) ?? 1;
      const outcome = price({ householdId: r.household_id, childId: r.child_person_id, serviceId: r.service_id, unitId: r.unit_id, date: r.day, siblingRank, kind: d.kind });
      if (!enrolled.has(`${r.child_person_id}|${r.service_id}`)) anomaly('not_enrolled', r, r.household_id, `${r.child_person_id}|${r.service_id}`);
      if (d.attendanceMissing) anomaly('attendance_missing', r, r.household_id);
      if (!outcome.ok) {
        anomaly('no_tariff', r, r.household_id);
        continue;
      }
      const { amountCents, category, trace } = outcome.priced;
      if (d.kind === 'present_without_booking') anomaly('present_without_booking', r, r.household_id, undefined, amountCents);
      if (trace.quotient === null) anomaly('no_quotient', null, r.household_id, r.household_id);
      lines.push({
        run_id: run.id,
        draft_version: version,
        booking_id: r.id,
        household_id: r.household_id,
        child_person_id: r.child_person_id,
        service_id: r.service_id,
        unit_id: r.unit_id,
        day: r.day,
        kind: d.kind,
        category,
        amount_cents: amountCents,
        surcharge_cents: outcome.priced.surchargeCents,
        tariff_version_id: trace.tariffVersionId,
        criterion_label: trace.criterionLabel,
        quotient: trace.quotient,
        quotient_source: trace.quotientSource,
        quotient_from: trace.quotientFrom,
        resident: trace.resident ? 1 : 0,
        sibling_rank: trace.siblingRank,
        changed: 0,
      });
      summary.totalCents += amountCents;
    }
    // Compared with the previous draft household by household (an index lookup per batch, whatever
    // the planner knows of a table just filled): a line is « changed » when the previous draft had no
    // line for its booking, or another amount or kind; a booking it billed and this one does not is « removed ».
    if (version > 1) {
      const before = new Map((await repo.previousLines(tx, run.id, version - 1, batch)).map((o) => [o.booking_id, o]));
      for (const l of lines) {
        const o = before.get(l.booking_id);
        if (!o || Number(o.amount_cents) !== l.amount_cents || o.kind !== l.kind) l.changed = 1;
        before.delete(l.booking_id);
      }
      for (const o of before.values()) anomalies.push({ run_id: run.id, kind: 'removed', household_id: o.household_id, child_person_id: o.child_person_id, booking_id: o.booking_id, day: o.day, amount_cents: Number(o.amount_cents) });
    }
    await repo.insertDraftLines(tx, lines);
    await repo.insertAnomalies(tx, anomalies);
    summary.lines += lines.length;
    summary.households += new Set(lines.map((l) => l.household_id)).size;
  }
  if (version > 1) {
    // Households billed by the previous draft and by none of this draft's batches: all their lines are removed.
    const billed = new Set(households);
    const gone = (await repo.householdsOfDraft(tx, run.id, version - 1)).filter((h) => !billed.has(h));
    for (let i = 0; i < gone.length; i += HOUSEHOLD_BATCH) await repo.insertRemoved(tx, run.id, version - 1, gone.slice(i, i + HOUSEHOLD_BATCH));
  }
  await repo.deleteOlderDrafts(tx, run.id, version);
  await repo.insertZeroTotals(tx, run.id, version);
  return summary;
}
