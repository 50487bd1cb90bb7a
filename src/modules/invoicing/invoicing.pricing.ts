import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { Clock } from '../../platform/clock/clock.ts';
import { siblingRanks, type ChargeKind, type PriceCategory, type PricedDay, type PriceTrace } from '../tariffs/tariffs.domain.ts';
import { loadPricer, lockTariffVersions, type DayToPrice, type PriceOutcome, type Pricer, type PricerScope } from '../tariffs/tariffs.shared-service.ts';

/**
 * The one door to the tariffs module: invoicing asks « what does this day cost, and why? » through
 * `Pricing` and never reads tariffs or QF itself. The service receives it, so that the composition
 * root wires the tariffs module (`tariffsPricing`) and billing tests may use a known grid.
 */
export type { ChargeKind, DayToPrice, PriceCategory, PricedDay, PriceOutcome, Pricer, PriceTrace };
export type PricingScope = PricerScope;

export interface Pricing {
  /** Prices the days of a batch of households (a bounded number of queries, then synchronous). */
  load: (db: Executor, scope: PricingScope) => Promise<Pricer>;
  /** Called inside the issuing transaction: a tariff version used by an issued invoice can no longer change. */
  lock: (tx: Executor, versionIds: readonly string[]) => Promise<void>;
  /** Rank of each child among siblings (1 = first), by the tariffs' rule. */
  ranks: (children: readonly { childId: string; birthDate: string | null }[]) => Map<string, number>;
}

export const tariffsPricing = (clock: Clock): Pricing => ({
  load: (db, scope) => loadPricer(db, scope),
  lock: (tx, ids) => lockTariffVersions(tx, ids, clock.now()),
  ranks: siblingRanks,
});
