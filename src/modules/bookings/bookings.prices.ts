import type { Executor } from '../../platform/audit/audit.repository.ts';
import { loadPricer } from '../tariffs/tariffs.shared-service.ts';
import { siblingRanks, type PricedDay } from '../tariffs/tariffs.domain.ts';

/** What a calendar cell needs to say its price: the amount and how it was found. */
export type DayPrice = Pick<PricedDay, 'amountCents' | 'category' | 'trace'>;

/**
 * Prices of a household's calendar days, with one pricer load for the page (tariffs of the services,
 * the household's QF and residency: a fixed handful of queries, never one per day). A child's rank
 * among siblings is the one it would have if booked that day: among the household's children
 * booked that day for the same kind of service, plus itself (tariffs README: eldest first).
 */
export async function calendarPrices(
  db: Executor,
  scope: { householdId: string; start: string; end: string },
  children: readonly { id: string; birth_date: string | null }[],
  enrolments: readonly { service_id: string; kind: string }[],
  bookings: readonly { child_person_id: string; service_id: string; day: string; status: string }[],
) {
  const kindOf = new Map(enrolments.map((e) => [e.service_id, e.kind]));
  const serviceIds = [...kindOf.keys()];
  const price = await loadPricer(db, { from: scope.start, to: scope.end, householdIds: [scope.householdId], serviceIds });
  const birth = new Map(children.map((c) => [c.id, c.birth_date]));
  const booked = new Map<string, Set<string>>();
  for (const b of bookings) {
    if (b.status !== 'booked') continue;
    const key = `${kindOf.get(b.service_id)}|${b.day}`;
    booked.set(key, (booked.get(key) ?? new Set()).add(b.child_person_id));
  }
  return (childId: string, serviceId: string, unitId: string, day: string): DayPrice | null => {
    const siblings = new Set(booked.get(`${kindOf.get(serviceId)}|${day}`)).add(childId);
    const siblingRank = siblings.size === 1 ? 1 : siblingRanks([...siblings].map((id) => ({ childId: id, birthDate: birth.get(id) ?? null }))).get(childId) ?? 1;
    const r = price({ householdId: scope.householdId, childId, serviceId, unitId, date: day, siblingRank, kind: 'booked' });
    return r.ok ? { amountCents: r.priced.amountCents, category: r.priced.category, trace: r.priced.trace } : null;
  };
}
