import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';

/** What a family's booking form did goes to the household's history (one entry per form) and, if asked, by e-mail. */
for (const engine of testEngines()) {
  describe(`récapitulatif des réservations : historique et courriel (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let s: Awaited<ReturnType<typeof aService>>;
    let parent: TestClient;
    const key = (day: string) => `${a.childId}|${s.unitId}|${day}`;
    const formRows = async () => t.ctx.db.selectFrom('audit_log').select(['summary', 'actor_label']).where('action', '=', 'booking.family_form').where('target_id', '=', a.householdId).orderBy('at').orderBy('id').execute();
    const recapMails = async () => t.ctx.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body']).where('kind', '=', 'booking-recap').execute();

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-01T10:00:00Z' }); // Tuesday 11:00 in Paris
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
      parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
    });
    after(() => t.close());

    test('one history entry for a whole form: every day booked, and the refused one with its reason; no e-mail by default', async () => {
      await parent.get('/reservations?mois=2026-12');
      // Tuesday 1 December: too late since Friday 27 November at 12 h.
      const days = ['2026-12-01', '2026-12-07', '2026-12-08'];
      const saved = await parent.post('/reservations', { mois: '2026-12', affiche: days.map((d) => `${key(d)}|none`), reserve: days.map(key) });
      assert.equal(saved.status, 409, 'a refused day shows the results page');
      const rows = await formRows();
      assert.equal(rows.length, 1, 'one entry per form, not per day');
      assert.equal(rows[0].summary, 'Réservations enregistrées. Réservé : Léa le lundi 7 décembre, le mardi 8 décembre. Pas possible : Léa le mardi 1er décembre (délai dépassé le vendredi 27 novembre, 12 h).');
      assert.equal(rows[0].actor_label, 'Alex Martin');
      const history = textOf((await parent.get('/famille/historique')).body);
      assert.match(history, /Réservations enregistrées\. Réservé : Léa le lundi 7 décembre, le mardi 8 décembre\./);
      assert.equal((await recapMails()).length, 0);
    });

    test('a form that changed nothing leaves nothing in the history', async () => {
      await parent.get('/reservations?mois=2026-12');
      const late = await parent.post('/reservations', { mois: '2026-12', affiche: [`${key('2026-12-01')}|none`], reserve: [key('2026-12-01')] });
      assert.equal(late.status, 409);
      assert.equal((await formRows()).length, 1);
    });

    test('with the preference on (household page), the same summary goes by e-mail to the guardians, with the cancellation', async () => {
      const page = await parent.get('/famille/foyer');
      assert.match(textOf(page.body), /Recevoir par courriel le récapitulatif de mes réservations/);
      assert.doesNotMatch(page.body, /value="oui" checked/);
      const on = await parent.post('/famille/recapitulatif-reservations', { recapitulatif: 'oui' });
      assert.equal(on.status, 303);
      assert.match(textOf((await parent.get('/famille/foyer')).body), /vous recevrez par courriel le récapitulatif/);
      assert.match((await parent.get('/famille/foyer')).body, /value="oui" checked/);

      await parent.get('/reservations?mois=2026-12');
      const confirmed = await parent.post('/reservations', { mois: '2026-12', affiche: [`${key('2026-12-07')}|booked`, `${key('2026-12-10')}|none`], reserve: [key('2026-12-10')], confirme: 'oui' });
      assert.equal(confirmed.status, 303);
      const rows = await formRows();
      assert.equal(rows.length, 2);
      assert.equal(rows[1].summary, 'Réservations enregistrées. Réservé : Léa le jeudi 10 décembre. Annulé : Léa le lundi 7 décembre.');
      const mails = await recapMails();
      assert.equal(mails.length, 1);
      assert.equal(mails[0].to_address, a.email);
      assert.match(mails[0].subject, /^Récapitulatif de vos réservations – /);
      assert.match(mails[0].text_body, /Alex Martin vient d'enregistrer des changements de réservation sur le portail\.\s+Réservé : Léa le jeudi 10 décembre\. Annulé : Léa le lundi 7 décembre\./);

      await parent.get('/famille/foyer');
      await parent.post('/famille/recapitulatif-reservations', {});
      await parent.get('/reservations?mois=2026-12');
      await parent.post('/reservations', { mois: '2026-12', affiche: [`${key('2026-12-11')}|none`], reserve: [key('2026-12-11')] });
      assert.equal((await recapMails()).length, 1, 'turned off: no more e-mail');
      assert.equal((await formRows()).length, 3, 'the history keeps every form');
    });
  });
}
