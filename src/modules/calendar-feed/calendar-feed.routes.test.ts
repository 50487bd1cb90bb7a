import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient } from '../../../test/support/client.ts';
import { aFamily, agentAuth, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { bookingsService } from '../bookings/bookings.service.ts';

for (const engine of testEngines()) {
  describe(`agenda iCalendar du foyer (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const agent = await agentAuth(t.ctx, ['enfance']);
      const s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Durand', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, agent, 'Roux', { childFirstName: 'Tom' });
      for (const f of [a, b]) {
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, f.email), [{ childId: f.childId, unitId: s.unitId, day: '2026-12-03', want: true }]);
      }
    });
    after(() => t.close());

    test('the secret address serves the household\'s bookings only, and a new address revokes the old one', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const page = await parent.get('/famille/calendrier');
      const path = /http:\/\/localhost:3000(\/calendrier\/[^"]+\.ics)/.exec(page.body)?.[1];
      assert.ok(path);
      const anonymous = new TestClient(t.app);
      const feed = await anonymous.get(path);
      assert.equal(feed.status, 200);
      assert.match(String(feed.headers['content-type']), /text\/calendar/);
      assert.match(feed.body, /SUMMARY:Léa – Restauration scolaire \(Repas\)/);
      assert.match(feed.body, /DTSTART;VALUE=DATE:20261203/);
      assert.doesNotMatch(feed.body, /Tom/);
      assert.equal((await anonymous.get(path.replace(/[0-9a-f]{32}\.ics$/, '0'.repeat(32) + '.ics'))).status, 404);
      assert.equal((await parent.post('/famille/calendrier')).status, 303);
      assert.equal((await anonymous.get(path)).status, 404);
      const fresh = /http:\/\/localhost:3000(\/calendrier\/[^"]+\.ics)/.exec((await parent.get('/famille/calendrier')).body)?.[1];
      assert.notEqual(fresh, path);
      assert.equal((await anonymous.get(fresh!)).status, 200);
      assert.match((await anonymous.get('/famille/calendrier')).location ?? '', /^\/connexion/);
    });
  });
}
