import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient } from '../../../test/support/client.ts';
import { aFamily, agentAuth, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { tariffsService } from '../tariffs/tariffs.service.ts';
import { bookingsService } from './bookings.service.ts';

const line = (l: { qfMin?: number; qfMax?: number; rankMin?: number; amountCents: number; isDefault?: boolean }) => ({ qfMin: l.qfMin ?? null, qfMax: l.qfMax ?? null, residency: 'any' as const, rankMin: l.rankMin ?? null, rankMax: null, amountCents: l.amountCents, category: 'repas' as const, isDefault: l.isDefault ?? false });

for (const engine of testEngines()) {
  describe(`réservations : le prix de chaque jour (${engine})`, () => {
    let t: TestApp;
    let family: Awaited<ReturnType<typeof aFamily>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const s = await aService(t.ctx);
      family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Martin', { childFirstName: 'Léa' });
      await anAcceptedEnrolment(t.ctx, family.householdId, family.childId, s);
      const created = await tariffsService(t.ctx).createVersion(await agentAuth(t.ctx, ['regie']), {
        target: `service:${s.serviceId}`,
        schoolYearId: s.schoolYearId,
        appliesFrom: '2026-09-01',
        presentWithoutBookingCents: 0,
        lateCancellationCents: 0,
        lines: [line({ qfMax: 599, amountCents: 100 }), line({ qfMin: 600, rankMin: 2, amountCents: 280 }), line({ isDefault: true, amountCents: 450 })],
      });
      assert.ok(created.ok);
    });
    after(() => t.close());

    test('prices cost the calendar a fixed handful of queries, whatever the number of days, and little weight', async () => {
      let queries = 0;
      const counting = t.ctx.db.withPlugin({ transformQuery: (a) => (queries++, a.node), transformResult: (a) => Promise.resolve(a.result) });
      const bookings = bookingsService({ ...t.ctx, db: counting });
      const actor = await familyActorOf(t.ctx, family.email);
      const count = async (prices: boolean, end: string) => {
        queries = 0;
        const calendars = await bookings.calendar(actor, '2026-12-01', end, { prices });
        return { queries, priced: calendars.flatMap((c) => c.rows.flatMap((r) => r.days)).filter((d) => d.price).length };
      };
      // A first call of each kind compiles the prepared queries (which plugins see too): count the second.
      await count(false, '2026-12-31');
      await count(true, '2026-12-31');
      const [plainMonth, pricedMonth, pricedWeek] = [await count(false, '2026-12-31'), await count(true, '2026-12-31'), await count(true, '2026-12-07')];
      assert.ok(pricedMonth.priced > pricedWeek.priced && pricedWeek.priced > 0);
      assert.ok(pricedMonth.queries - plainMonth.queries <= 5, `${plainMonth.queries} → ${pricedMonth.queries} requêtes`);
      assert.equal(pricedWeek.queries, pricedMonth.queries, 'a month costs what a week costs');
      const parent = new TestClient(t.app);
      await parent.login(family.email, family.password);
      const page = await parent.get('/reservations?mois=2026-12');
      const gzipped = gzipSync(page.body).length;
      console.log(JSON.stringify({ engine, queriesWithoutPrices: plainMonth.queries, queriesWithPrices: pricedMonth.queries, monthPageGzipBytes: gzipped }));
      assert.ok(gzipped < 20_000, `${gzipped} octets compressés`);
    });
  });
}
