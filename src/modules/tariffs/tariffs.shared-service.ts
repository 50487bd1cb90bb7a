/**
 * What the tariffs module offers other modules (docs/architecture.md, « Frontières des modules »):
 * prices of days for bookings (calendar prices) and invoicing (lines with their trace), the QF
 * recording, and the lock of versions used by issued invoices. The repository stays private.
 */
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { Db } from '../../platform/db/database.ts';
import { addressesOfHouseholds, quotientsOfHouseholds } from '../households/households.shared-service.ts';
import { normaliseSearch } from '../households/households.domain.ts';
import { priceDay, quotientInForce, versionInForce, type ChargeKind, type PricedDay, type TariffLine, type TariffVersion } from './tariffs.domain.ts';
import * as repo from './tariffs.repository.ts';

export { recordQuotient, type QuotientInput } from '../households/households.shared-service.ts';

export interface DayToPrice {
  householdId: string;
  childId: string;
  serviceId: string;
  unitId: string;
  /** YYYY-MM-DD */
  date: string;
  siblingRank: number;
  kind: ChargeKind;
}

export type PriceOutcome = { ok: true; priced: PricedDay } | { ok: false; reason: 'no_tariff' };
export type Pricer = (day: DayToPrice) => PriceOutcome;

export interface PricerScope {
  from: string;
  to: string;
  householdIds: readonly string[];
  serviceIds?: readonly string[];
}

/** Versions as the domain reads them, from their rows and lines. */
export function toVersions(rows: readonly repo.VersionRow[], lines: readonly { version_id: string; qf_min: number | null; qf_max: number | null; residency: TariffLine['residency']; rank_min: number | null; rank_max: number | null; amount_cents: number; category: TariffLine['category']; is_default: number }[]): TariffVersion[] {
  const byVersion = new Map<string, TariffLine[]>();
  for (const l of lines) {
    const list = byVersion.get(l.version_id) ?? [];
    list.push({ qfMin: l.qf_min, qfMax: l.qf_max, residency: l.residency, rankMin: l.rank_min, rankMax: l.rank_max, amountCents: l.amount_cents, category: l.category, isDefault: l.is_default === 1 });
    byVersion.set(l.version_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    unitId: r.unit_id,
    appliesFrom: r.applies_from,
    appliesUntil: r.applies_until,
    presentWithoutBookingCents: r.present_without_booking_cents,
    lateCancellationCents: r.late_cancellation_cents,
    lockedAt: r.locked_at,
    lines: byVersion.get(r.id) ?? [],
  }));
}

/**
 * Residency (README): a household is resident when its postcode and its town (compared without case
 * or accents) are one of the town's places; a town that lists none treats every household as resident.
 */
export function residencyRule(places: readonly { postcode: string; city_key: string }[]) {
  const keys = new Set(places.map((p) => `${p.postcode}|${p.city_key}`));
  return (address: { postcode: string; city: string } | undefined) => keys.size === 0 || (!!address && keys.has(`${address.postcode.trim()}|${normaliseSearch(address.city)}`));
}

/**
 * Loads, in a bounded number of queries (versions, their lines, the places of residence, then one
 * query per 500 households for quotients and one for addresses), what pricing the households' days
 * of [from, to] needs, then prices synchronously. Invoicing calls it per batch of households: it
 * never loads the whole town. A household outside the scope is priced without QF and as non-resident (unless the town lists no place).
 */
export async function loadPricer(db: Db | Executor, scope: PricerScope): Promise<Pricer> {
  const [rows, places, quotients, addresses] = await Promise.all([
    repo.versionsForPeriod(db, scope.from, scope.to, scope.serviceIds),
    repo.residentPlaces(db),
    quotientsOfHouseholds(db, scope.householdIds, scope.to.slice(0, 7)),
    addressesOfHouseholds(db, scope.householdIds),
  ]);
  const versions = toVersions(rows, await repo.linesOfVersions(db, rows.map((r) => r.id)));
  const versionsByService = new Map<string, TariffVersion[]>();
  for (const v of versions) versionsByService.set(v.serviceId, [...(versionsByService.get(v.serviceId) ?? []), v]);
  const quotientsByHousehold = new Map<string, typeof quotients>();
  for (const q of quotients) quotientsByHousehold.set(q.household_id, [...(quotientsByHousehold.get(q.household_id) ?? []), q]);
  const isResident = residencyRule(places);
  const residentByHousehold = new Map(addresses.map((a) => [a.id, isResident(a)]));

  return (day) => {
    const version = versionInForce(versionsByService.get(day.serviceId) ?? [], day.unitId, day.date);
    if (!version) return { ok: false, reason: 'no_tariff' };
    const quotient = quotientInForce(quotientsByHousehold.get(day.householdId) ?? [], day.date);
    const priced = priceDay(version, { quotient, resident: residentByHousehold.get(day.householdId) ?? isResident(undefined), siblingRank: day.siblingRank }, day.kind);
    return priced ? { ok: true, priced } : { ok: false, reason: 'no_tariff' };
  };
}

/**
 * Marks that issued invoices use these tariff versions (invoicing calls it inside its issue
 * transaction): they become unchangeable. Pass the clock's instant; idempotent.
 */
export async function lockTariffVersions(tx: Executor, versionIds: readonly string[], at: Date = new Date()): Promise<void> {
  const ids = [...new Set(versionIds)];
  if (ids.length > 0) await repo.lockVersions(tx, ids, at.toISOString());
}
