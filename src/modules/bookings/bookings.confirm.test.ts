import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { hiddenFields, monthForm } from '../../../test/support/forms.ts';

for (const engine of testEngines()) {
  describe(`entre le récapitulatif et « Confirmer » (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    let a: Awaited<ReturnType<typeof aFamily>>;
    const key = (day: string) => `${a.childId}|${s.unitId}|${day}`;
    const status = async (day: string) => (await t.ctx.db.selectFrom('bookings').select('status').where('child_person_id', '=', a.childId).where('day', '=', day).executeTakeFirst())?.status;
    const FEB = '/reservations?mois=2027-02';

    before(async () => {
      t = await createTestApp(engine, { now: '2027-01-25T10:00:00Z' }); // Monday 25 January, 11:00 in Paris
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
    });
    after(() => t.close());

    test('a day changed on another device while the summary was on screen is a conflict on « Confirmer », the rest is applied', async () => {
      const laptop = new TestClient(t.app);
      await laptop.login(a.email, a.password);
      const first = monthForm((await laptop.get(FEB)).body);
      assert.equal((await laptop.post('/reservations', { mois: '2027-02', affiche: first.affiche, reserve: [key('2027-02-11')] })).status, 303);
      assert.equal(await status('2027-02-11'), 'booked');

      // On the laptop: untick 11 February, tick 12 February → the summary, nothing changed yet.
      const page = monthForm((await laptop.get(FEB)).body);
      const summary = await laptop.post('/reservations', { mois: '2027-02', affiche: page.affiche, reserve: [key('2027-02-12')] });
      assert.equal(summary.status, 200);
      assert.match(textOf(summary.body), /Vous allez annuler 1 jour :\s*Léa, jeudi 11 février/);

      // Meanwhile, on the phone, 12 February is booked.
      const phone = new TestClient(t.app);
      await phone.login(a.email, a.password);
      const now = monthForm((await phone.get(FEB)).body);
      assert.equal((await phone.post('/reservations', { mois: '2027-02', affiche: now.affiche, reserve: [...now.reserve, key('2027-02-12')] })).status, 303);

      const confirmed = await laptop.post('/reservations', { ...hiddenFields(summary.body), confirme: 'oui' });
      assert.equal(confirmed.status, 409);
      const text = textOf(confirmed.body);
      assert.match(text, /Annulé \(1 jour\)\s*Léa, jeudi 11 février \(restauration scolaire, repas\)/);
      assert.match(text, /Changé entre-temps ailleurs : rien n'a été modifié \(1 jour\)\s*Léa, vendredi 12 février \(restauration scolaire, repas\) : maintenant réservé/);
      assert.equal(await status('2027-02-11'), 'cancelled');
      assert.equal(await status('2027-02-12'), 'booked');
      assert.equal((await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', a.childId).where('day', '=', '2027-02-12').execute()).length, 1, 'one row, booked once');
    });
  });
}
