import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient } from '../../../test/support/client.ts';
import { aFamily, agentAuth, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { bookingsService } from '../bookings/bookings.service.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';

for (const engine of testEngines()) {
  describe(`agenda iCalendar du foyer (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let agent: Awaited<ReturnType<typeof agentAuth>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      agent = await agentAuth(t.ctx, ['enfance']);
      const s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Durand', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, agent, 'Roux', { childFirstName: 'Tom' });
      for (const f of [a, b]) {
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, f.email), [{ childId: f.childId, unitId: s.unitId, day: '2026-12-03', want: true }]);
      }
      // A day booked then cancelled is not in the agenda.
      const actor = await familyActorOf(t.ctx, a.email);
      await bookingsService(t.ctx).applyFamilyChanges(actor, [{ childId: a.childId, unitId: s.unitId, day: '2026-12-04', want: true }]);
      await bookingsService(t.ctx).applyFamilyChanges(actor, [{ childId: a.childId, unitId: s.unitId, day: '2026-12-04', want: false }]);
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
      assert.match(feed.body, /SUMMARY:Léa – Restauration scolaire\\, repas/);
      assert.match(feed.body, /DTSTART;VALUE=DATE:20261203\r\n/);
      assert.match(feed.body, /^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
      const booking = await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', a.childId).where('day', '=', '2026-12-03').executeTakeFirstOrThrow();
      assert.match(feed.body, new RegExp(`UID:${booking.id}@portail-famille\r\n`));
      assert.equal((feed.body.match(/BEGIN:VEVENT/g) ?? []).length, 1); // the cancelled day is not there
      assert.doesNotMatch(feed.body, /DTSTART;VALUE=DATE:20261204/);
      assert.equal((await t.ctx.db.selectFrom('bookings').select('status').where('child_person_id', '=', a.childId).where('day', '=', '2026-12-04').executeTakeFirstOrThrow()).status, 'cancelled');
      assert.doesNotMatch(feed.body, /Tom/);
      assert.match(page.body, /Générer une nouvelle adresse/);
      assert.equal((await anonymous.get(path.replace('.ics', '.txt'))).status, 404);
      assert.equal((await anonymous.get('/calendrier/nimporte-quoi.ics')).status, 404);
      assert.ok((await anonymous.get(`/calendrier/${'a'.repeat(500)}.ics`)).status < 500, 'an overlong address is refused, never a 500');
      // Another household's id with this household's token: refused.
      assert.equal((await anonymous.get(path.replace(a.householdId, b.householdId))).status, 404);
      assert.equal((await anonymous.get(path.replace(/[0-9a-f]{32}\.ics$/, '0'.repeat(32) + '.ics'))).status, 404);
      assert.equal((await parent.post('/famille/calendrier')).status, 303);
      assert.equal((await anonymous.get(path)).status, 404);
      const fresh = /http:\/\/localhost:3000(\/calendrier\/[^"]+\.ics)/.exec((await parent.get('/famille/calendrier')).body)?.[1];
      assert.notEqual(fresh, path);
      assert.equal((await anonymous.get(fresh!)).status, 200);
      assert.match((await anonymous.get('/famille/calendrier')).location ?? '', /^\/connexion/);
    });

    test('a child of separated parents appears in the agenda of both households', async () => {
      const c = await aFamily(t.ctx, agent, 'Martin');
      await householdsAgentService(t.ctx).shareChild(agent, c.householdId, a.childId);
      const parent = new TestClient(t.app);
      await parent.login(c.email, c.password);
      const path = /http:\/\/localhost:3000(\/calendrier\/[^"]+\.ics)/.exec((await parent.get('/famille/calendrier')).body)?.[1];
      assert.ok(path?.includes(c.householdId));
      const feed = await new TestClient(t.app).get(path!);
      assert.match(feed.body, /SUMMARY:Léa – Restauration scolaire\\, repas/);
      assert.doesNotMatch(feed.body, /SUMMARY:Noé/); // Martin's own child has no booking
    });
  });
}
