import type { AppContext } from '../../src/platform/context.ts';
import type { Pricing } from '../../src/modules/invoicing/invoicing.pricing.ts';
import { bookingsService } from '../../src/modules/bookings/bookings.service.ts';
import { aFamily, familyActorOf } from './builders.ts';
import { aService, anAcceptedEnrolment } from './catalogue.ts';
import type { FixedClock } from '../../src/platform/clock/clock.ts';
import type { Auth } from '../../src/platform/http/auth-types.ts';
import type { InvoicingService } from '../../src/modules/invoicing/invoicing.service.ts';
import { insertRegie, setServiceRegie } from '../../src/modules/invoicing/invoicing.repository.ts';

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
      return { ok: true, priced: { amountCents, baseCents: BOOKED, surchargeCents: amountCents - (d.siblingRank > 1 ? Math.round(BOOKED * 0.9) : BOOKED), kind: d.kind, category: 'repas', trace: { tariffVersionId: 'tv-test', criterionLabel: 'tarif unique', quotient: null, quotientSource: null, quotientFrom: null, resident: true, siblingRank: d.siblingRank } } };
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

/**
 * A régie's November 2026 ready to issue: its own service and facility, `families` households each
 * with a child booked on four days, every day present; the run drafted and controlled. The clock
 * must be before the days (bookings) and is left on 2 December (the month is over).
 */
export async function aControlledRun(t: { ctx: AppContext; clock: FixedClock }, svc: InvoicingService, regieAuth: Auth, enfance: Auth, families: number, regieName = `Régie ${Math.random().toString(36).slice(2, 7)}`) {
  const { ctx } = t;
  t.clock.set('2026-11-02T08:00:00Z');
  const regieId = await insertRegie(ctx.db, regieName, ctx.clock.now());
  const s = await aService(ctx);
  await setServiceRegie(ctx.db, s.serviceId, regieId);
  const made: Awaited<ReturnType<typeof aFamily>>[] = [];
  for (let i = 0; i < families; i++) {
    const f = await aFamily(ctx, enfance, `${regieName.replace(/[^A-Za-z]/g, '')}${String.fromCharCode(65 + i)}`);
    await anAcceptedEnrolment(ctx, f.householdId, f.childId, s);
    await book(ctx, f, s.unitId, NOVEMBER);
    made.push(f);
  }
  await ctx.db.updateTable('bookings').set({ attendance: 'present' }).where('service_id', '=', s.serviceId).execute();
  t.clock.set('2026-12-02T09:00:00Z');
  const run = await svc.openRun(regieAuth, regieId, '2026-11');
  const drafted = await svc.draft(regieAuth, run.id);
  if (!drafted.ok) throw new Error(drafted.code);
  const controlled = await svc.control(regieAuth, run.id, drafted.value.version);
  if (!controlled.ok) throw new Error(controlled.code);
  return { regieId, runId: run.id, service: s, families: made };
}

export const NOVEMBER = ['2026-11-05', '2026-11-06', '2026-11-09', '2026-11-10'];
