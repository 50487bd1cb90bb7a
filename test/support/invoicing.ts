import type { AppContext } from '../../src/platform/context.ts';
import type { Pricing } from '../../src/modules/invoicing/invoicing.pricing.ts';
import { bookingsService } from '../../src/modules/bookings/bookings.service.ts';
import { familyActorOf } from './builders.ts';

/**
 * A known grid for the billing tests, independent of the tariffs module: 3,40 € a booked day,
 * +1,00 € present without booking, +0,50 € a late cancellation, 10 % off from the 2nd child; no day
 * of a service named « Sans tarif » can be priced. Ranks: eldest first, as the tariffs' rule.
 */
export const BOOKED = 340;
export const testPricing = (locked: string[][] = []): Pricing => ({
  load() {
    return Promise.resolve((d) => {
      if (d.serviceId.endsWith('-no-tariff')) return { ok: false, reason: 'no_tariff' };
      const base = d.kind === 'present_without_booking' ? BOOKED + 100 : d.kind === 'late_cancellation' ? BOOKED + 50 : BOOKED;
      const amountCents = d.siblingRank > 1 ? Math.round(base * 0.9) : base;
      return { ok: true, priced: { amountCents, category: 'repas', trace: { tariffVersionId: 'tv-test', criterionLabel: 'tarif unique', quotient: null, quotientSource: null, quotientFrom: null, resident: true, siblingRank: d.siblingRank } } };
    });
  },
  lock(_tx, ids) {
    locked.push([...ids]);
    return Promise.resolve();
  },
  ranks(children) {
    const sorted = [...children].sort((a, b) => (a.birthDate ?? '9999').localeCompare(b.birthDate ?? '9999') || a.childId.localeCompare(b.childId));
    return new Map(sorted.map((c, i) => [c.childId, i + 1]));
  },
});

/** Books days for a family's child, the way the family would (deadlines apply at the clock's instant). */
export async function book(ctx: AppContext, family: { email: string; childId: string }, unitId: string, days: string[]) {
  const actor = await familyActorOf(ctx, family.email);
  const results = await bookingsService(ctx).applyFamilyChanges(actor, days.map((day) => ({ childId: family.childId, unitId, day, want: true })));
  const refused = results.filter((r) => !r.ok);
  if (refused.length > 0) throw new Error(`réservation refusée : ${JSON.stringify(refused)}`);
}
