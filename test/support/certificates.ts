import type { AppContext } from '../../src/platform/context.ts';
import type { FixedClock } from '../../src/platform/clock/clock.ts';
import type { Auth } from '../../src/platform/http/auth-types.ts';
import type { Pricing } from '../../src/modules/invoicing/invoicing.pricing.ts';
import { invoicingService } from '../../src/modules/invoicing/invoicing.service.ts';
import { householdsAgentService } from '../../src/modules/households/households.agent-service.ts';
import { DEFAULT_REGIE_ID } from '../../src/platform/db/migrations/013_invoicing.ts';
import { aFamily } from './builders.ts';
import { aService, anAcceptedEnrolment } from './catalogue.ts';
import { book, NOVEMBER } from './invoicing.ts';

/** Garde 2,50 € a day, a meal 3,40 €; present without booking +1,00 € (a surcharge, never childcare). */
export const GARDE = 250;
export const REPAS = 340;
export const certificatePricing = (gardeServiceId: string): Pricing => ({
  load() {
    return Promise.resolve((d) => {
      const garde = d.serviceId === gardeServiceId;
      const base = garde ? GARDE : REPAS;
      const surcharge = d.kind === 'present_without_booking' ? 100 : 0;
      return { ok: true, priced: { amountCents: base + surcharge, baseCents: base, surchargeCents: surcharge, kind: d.kind, category: garde ? 'garde' : 'repas', trace: { tariffVersionId: 'tv-test', criterionLabel: 'tarif unique', quotient: null, quotientSource: null, quotientFrom: null, resident: true, siblingRank: d.siblingRank } } };
    });
  },
  lock: () => Promise.resolve(),
  ranks: (children) => new Map(children.map((c, i) => [c.childId, i + 1])),
});

/**
 * A town for the certificates: households with a child born in 2018 (over 6 in 2026) and one born
 * in 2021 (under 6), both at the evening care (garde) and the canteen (repas) on four days of
 * November 2026, all present; November invoiced and issued. The clock is left on 2 December 2026.
 */
export async function aCertificateTown(t: { ctx: AppContext; clock: FixedClock }, enfance: Auth, regie: Auth, names: string[]) {
  const { ctx } = t;
  t.clock.set('2026-11-02T08:00:00Z');
  const garde = await aService(ctx, { kind: 'evening' });
  const repas = await aService(ctx, { kind: 'canteen' });
  await ctx.db.updateTable('services').set({ name: 'Accueil du soir' }).where('id', '=', garde.serviceId).execute();
  const households = householdsAgentService(ctx);
  const families = [];
  for (const name of names) {
    const f = await aFamily(ctx, enfance, name, { childFirstName: 'Léa' });
    await households.addChild(enfance, f.householdId, { first_name: 'Tom', last_name: name, birth_date: '2021-03-09', sex: 'M', school: null, class_level: null });
    const { members } = await households.get(enfance, f.householdId);
    const young = members.find((m) => m.role === 'child' && m.first_name === 'Tom')!;
    for (const childId of [f.childId, young.id]) {
      for (const s of [garde, repas]) {
        await anAcceptedEnrolment(ctx, f.householdId, childId, s);
        await book(ctx, { email: f.email, childId }, s.unitId, NOVEMBER);
      }
    }
    families.push({ ...f, youngId: young.id });
  }
  await ctx.db.updateTable('bookings').set({ attendance: 'present' }).execute();
  t.clock.set('2026-12-02T09:00:00Z');
  const svc = invoicingService(ctx, certificatePricing(garde.serviceId));
  const run = await svc.openRun(regie, DEFAULT_REGIE_ID, '2026-11');
  const drafted = await svc.draft(regie, run.id);
  if (!drafted.ok) throw new Error(drafted.code);
  const controlled = await svc.control(regie, run.id, drafted.value.version);
  if (!controlled.ok) throw new Error(controlled.code);
  const issued = await svc.issue(regie, run.id);
  if (!issued.ok) throw new Error(issued.code);
  return { runId: run.id, garde, repas, families };
}
