import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { bookingsService } from '../../src/modules/bookings/bookings.service.ts';
import { familyService } from '../../src/modules/households/households.family-service.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';
const THURSDAY = '2026-12-03';
const FRIDAY = '2026-12-04';
/** Everyone the counts are about: none of these names may show on the cook's screens. */
const NAMES = ['Léa', 'Hugo', 'Inès', 'Jade', 'Martin', 'Moreau', 'Petit', 'Garcia', 'Trousse'];

/** Acceptance (issue 9): « a cook reads the week's counts with the PAI avoidances », on a phone, axe and 320 px reflow on every page. */
describe('la cuisine lit les repas du jour et de la semaine, par établissement, avec ce qu\'il faut éviter, sans nom (360 px, axe)', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;
  let cook: { email: string; password: string };
  let schoolA: string;
  let schoolB: string;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
    const { ctx } = server.t;
    const town = await agentAuth(ctx, ['enfance']);
    const a = await aService(ctx, { places: 20 });
    const b = await aService(ctx, { places: 20 });
    const nameOf = async (id: string) => (await ctx.db.selectFrom('facilities').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
    [schoolA, schoolB] = [await nameOf(a.facilityId), await nameOf(b.facilityId)];
    const bookings = bookingsService(ctx);
    const family = familyService(ctx);
    // School A: Léa (no pork, peanuts, a PAI) Thursday and Friday; Hugo (no special diet) and Inès
    // (vegetarian, peanuts written otherwise) Thursday. School B: Jade (gluten) Friday only.
    const children = [
      { last: 'Martin', first: 'Léa', service: a, days: [THURSDAY, FRIDAY], health: { diet: 'sans_porc', allergies: 'Arachide', has_pai: true, pai_description: 'Trousse d\'urgence dans le cartable' } },
      { last: 'Moreau', first: 'Hugo', service: a, days: [THURSDAY], health: null },
      { last: 'Petit', first: 'Inès', service: a, days: [THURSDAY], health: { diet: 'vegetarien', allergies: 'arachide', has_pai: false, pai_description: '' } },
      { last: 'Garcia', first: 'Jade', service: b, days: [FRIDAY], health: { diet: 'standard', allergies: 'Gluten', has_pai: false, pai_description: '' } },
    ] as const;
    for (const c of children) {
      const f = await aFamily(ctx, town, c.last, { childFirstName: c.first });
      await anAcceptedEnrolment(ctx, f.householdId, f.childId, c.service);
      const actor = await familyActorOf(ctx, f.email);
      if (c.health) await family.updateHealth(actor, f.childId, { ...c.health, doctor_name: '', doctor_phone: '' });
      const results = await bookings.applyFamilyChanges(actor, c.days.map((day) => ({ childId: f.childId, unitId: c.service.unitId, day, want: true })));
      assert.deepEqual(results.map((r) => r.code), c.days.map(() => 'booked'));
    }
    cook = await anAgent(ctx, ['restauration']);
    server.t.clock.set(`${THURSDAY}T06:30:00Z`); // Thursday, 7:30 in Paris
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the home page gives today and the next days by facility, by diet, the allergies and PAI to mind, and leads to the detailed sheet', async () => {
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    try {
      await v.goto('/connexion');
      await page.getByLabel('Adresse électronique', { exact: true }).fill(cook.email);
      await page.getByLabel('Mot de passe', { exact: true }).fill(cook.password);
      await v.follow(() => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
      assert.equal(v.path(), '/agent');
      assert.ok(await page.getByRole('heading', { name: 'Repas à préparer', level: 2 }).isVisible());

      const facility = (name: string) => page.getByRole('region', { name });
      const a = (await facility(schoolA).innerText()).replace(/\s+/g, ' ');
      assert.match(a, /Aujourd'hui, jeudi 3 décembre 3 repas : sans régime particulier 1, sans porc 1, végétarien 1/);
      assert.match(a, /Sans arachide : 2 enfants/, 'the same allergy however written is counted once');
      assert.match(a, /1 enfant avec un PAI : suivre son protocole/);
      assert.match(a, /Les jours suivants vendredi 4 décembre 1 repas : sans porc 1 Sans arachide : 1 enfant 1 enfant avec un PAI/);

      const b = (await facility(schoolB).innerText()).replace(/\s+/g, ' ');
      assert.match(b, /Aucun repas réservé aujourd'hui\./);
      assert.match(b, /vendredi 4 décembre 1 repas : sans régime particulier 1 Sans gluten : 1 enfant/);
      assert.doesNotMatch(b, /PAI/);

      const main = await page.locator('main').innerText();
      for (const name of NAMES) assert.doesNotMatch(main, new RegExp(name), `${name} ne doit pas apparaître`);
      assert.doesNotMatch(main, /\b\d{1,2}:\d{2}\b|\(s\)/);

      // One tap to the detailed count of the day, printable.
      await v.follow(() => page.getByRole('link', { name: `Détail par unité et feuille à imprimer : ${schoolA}`, exact: true }).click());
      assert.ok(await page.getByRole('heading', { name: `${schoolA}, jeudi 3 décembre 2026`, level: 2 }).isVisible());
      assert.ok(await page.getByRole('table', { name: 'Restauration scolaire – Repas : 3 repas' }).isVisible());
      for (const name of NAMES) assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(name));
      assert.ok(v.checkedCount >= 3);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
