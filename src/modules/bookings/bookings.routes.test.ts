import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';

for (const engine of testEngines()) {
  describe(`calendrier de réservation de la famille (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let s: Awaited<ReturnType<typeof aService>>;
    const key = (day: string, childId = a.childId) => `${childId}|${s.unitId}|${day}`;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-01T10:00:00Z' }); // Tuesday 11:00 in Paris
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, agent, 'Bernard');
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
      await anAcceptedEnrolment(t.ctx, b.householdId, b.childId, s);
    });
    after(() => t.close());

    test('the month shows each day with its state and until when it can change; a past deadline says why', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const page = await parent.get('/reservations?mois=2026-12');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /Léa – Restauration scolaire \(Repas\) – décembre 2026/);
      assert.match(text, /Férié : Noël|Vacances scolaires/);
      // Wednesday 2 December: no canteen; Thursday 3: deadline was Tuesday 1 at 12:00, still open at 11:00.
      assert.match(page.body, /jeudi 3 décembre, restauration scolaire \(repas\) pour Léa/);
      // Tuesday 1 December itself: too late, and the page says since when.
      assert.match(text, /Délai dépassé le vendredi 27 novembre à 12:00/);
    });

    test('booking through the month form, then a refusal explained in plain French', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations?mois=2026-12');
      const shown = ['2026-12-03', '2026-12-04', '2026-12-07'].map((d) => key(d));
      const saved = await parent.post('/reservations', { mois: '2026-12', affiche: shown, reserve: shown.slice(0, 2) });
      assert.equal(saved.status, 303);
      assert.match(textOf((await parent.get(saved.location!)).body), /2 changement\(s\) enregistré\(s\)/);
      t.clock.set('2026-12-01T11:00:00Z'); // 12:00 in Paris: Thursday 3 closes
      await parent.login(a.email, a.password); // the hour that passed ended the session
      await parent.get('/reservations?mois=2026-12');
      const late = await parent.post('/reservations', { mois: '2026-12', affiche: [key('2026-12-03'), key('2026-12-08')], reserve: [key('2026-12-08')] });
      assert.equal(late.status, 409);
      const text = textOf(late.body);
      assert.match(text, /Enregistré \(1\)/);
      assert.match(text, /Léa – Jeudi 3 décembre : délai dépassé le mardi 1er décembre à 12:00/);
      t.clock.set('2026-12-01T10:00:00Z');
    });

    test('a weekly pattern books the chosen weekdays over a period and skips holidays', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations/semaine-type');
      const bad = await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, debut: '2026-12-07', fin: '2026-12-01', action: 'reserver' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Choisissez au moins un jour/);
      const ok = await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, jours: ['1', '2'], debut: '2026-12-07', fin: '2027-01-12', action: 'reserver' });
      assert.equal(ok.status, 303);
      const rows = await t.ctx.db.selectFrom('bookings').select('day').where('child_person_id', '=', a.childId).where('status', '=', 'booked').where('day', '>=', '2026-12-07').orderBy('day').execute();
      assert.deepEqual(rows.map((r) => r.day), ['2026-12-07', '2026-12-08', '2026-12-14', '2026-12-15', '2027-01-04', '2027-01-05', '2027-01-11', '2027-01-12']);
    });

    test('another household\'s child cannot be booked through the form; logged-out visitors go to the login page', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations');
      const res = await parent.post('/reservations', { mois: '2026-12', affiche: [key('2026-12-10', b.childId)], reserve: [key('2026-12-10', b.childId)] });
      assert.equal(res.status, 404);
      assert.equal((await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', b.childId).execute()).length, 0);
      const anon = new TestClient(t.app);
      assert.match((await anon.get('/reservations')).location ?? '', /^\/connexion/);
    });

    test('an enfance agent books past the deadline from the household page; a guardian cannot', async () => {
      const agentAccount = await anAgent(t.ctx, ['enfance']);
      const agent = new TestClient(t.app);
      await agent.login(agentAccount.email, agentAccount.password);
      await agent.get(`/agent/foyers/${b.householdId}/derogation`);
      const res = await agent.post(`/agent/foyers/${b.householdId}/derogation`, { enfant: b.childId, unite: s.unitId, jour: '2026-12-01', action: 'reserver' });
      assert.equal(res.status, 200);
      assert.match(textOf(res.body), /Réservé/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'booking.override').where('target_id', '=', b.householdId).execute();
      assert.equal(audit.length, 1);
      const parent = new TestClient(t.app);
      await parent.login(b.email, b.password);
      assert.equal((await parent.get(`/agent/foyers/${b.householdId}/derogation`)).status, 403);
    });

    test('an absence is declared for a booked day past its cancellation deadline', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const booking = await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', a.childId).where('day', '=', '2026-12-04').executeTakeFirstOrThrow();
      t.clock.set('2026-12-02T12:00:00Z'); // Friday 4's deadline (Wednesday 2 at 12:00) has passed
      await parent.login(a.email, a.password);
      const page = await parent.get('/reservations?mois=2026-12');
      assert.match(page.body, new RegExp(`/reservations/absence/${booking.id}`));
      await parent.get(`/reservations/absence/${booking.id}`);
      const done = await parent.post(`/reservations/absence/${booking.id}`);
      assert.equal(done.status, 303);
      const row = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow();
      assert.ok(row.absence_declared_at);
      const other = new TestClient(t.app);
      await other.login(b.email, b.password);
      assert.equal((await other.get(`/reservations/absence/${booking.id}`)).status, 404);
      t.clock.set('2026-12-01T10:00:00Z');
    });
  });
}
