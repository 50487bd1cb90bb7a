import type { Executor } from '../../platform/audit/audit.repository.ts';

/**
 * The one door to the tariffs module (issue 10, pricing API of `tariffs.shared-service.ts`):
 * invoicing asks « what does this day cost, and why? » and never reads tariffs or QF itself.
 * The shapes below are the tariffs module's contract; the service receives the loader so that
 * the composition root wires the real one (app.ts) and the billing tests may use a known grid.
 */
export type PriceCategory = 'garde' | 'repas';
export type ChargeKind = 'booked' | 'present_without_booking' | 'late_cancellation';
export interface PriceTrace {
  tariffVersionId: string;
  /** French, shown to families (« tranche QF 600–899 »). */
  criterionLabel: string;
  quotient: number | null;
  quotientSource: string | null;
  quotientFrom: string | null;
  resident: boolean;
  siblingRank: number;
}
export interface PricedDay {
  amountCents: number;
  category: PriceCategory;
  trace: PriceTrace;
}
export interface DayToPrice {
  householdId: string;
  childId: string;
  serviceId: string;
  unitId: string;
  date: string;
  siblingRank: number;
  kind: ChargeKind;
}
export type PriceOutcome = { ok: true; priced: PricedDay } | { ok: false; reason: 'no_tariff' };
export type Pricer = (day: DayToPrice) => PriceOutcome;
export interface PricingScope {
  from: string;
  to: string;
  householdIds: readonly string[];
  serviceIds?: readonly string[];
}
export type PricerLoader = (db: Executor, scope: PricingScope) => Promise<Pricer>;
/** Called inside the issuing transaction: a tariff version used by an issued invoice can no longer change. */
export type TariffLocker = (tx: Executor, versionIds: readonly string[]) => Promise<void>;

/** Rank of each child among siblings (1 = first), by the tariffs' rule. */
export type SiblingRanker = (children: readonly { childId: string; birthDate: string | null }[]) => Map<string, number>;

export interface Pricing {
  load: PricerLoader;
  lock: TariffLocker;
  ranks: SiblingRanker;
}
