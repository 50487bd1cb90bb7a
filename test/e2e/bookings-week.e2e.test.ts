import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { aFamily, agentAuth } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import * as cat from '../../src/modules/catalogue/catalogue.repository.ts';
import { householdsAgentService } from '../../src/modules/households/households.agent-service.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * A parent with two children books on a 360 px phone, a week at a time, on the app's injected clock:
 * Tuesday 1 December 2026 at 11:00 in Paris. The canteen runs Monday, Tuesday, Thursday and Friday
 * (J-2 working days at 12:00); Hugo also goes to the Wednesday centre, where « Journée avec repas »
 * and « Matinée sans repas » do not combine.
 */
const TUESDAY_1ST_11H = '2026-12-01T10:00:00Z';
const NEXT_WEEK = ['lundi 7 décembre', 'mardi 8 décembre', 'jeudi 10 décembre', 'vendredi 11 décembre'];
const box = (page: Page, child: string, day: string) => page.getByRole('checkbox', { name: `${child}, ${day}, restauration scolaire, repas`, exact: true });
const main = (page: Page) => page.locator('main').innerText();

describe('réservations à la semaine sur un téléphone (360 px) : deux enfants, un formulaire, axe et reflow sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;
  let canteen: Awaited<ReturnType<typeof aService>>;
  let wednesday: Awaited<ReturnType<typeof aService>>;
  let martin: Awaited<ReturnType<typeof aFamily>>;
  let hugo: string;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: TUESDAY_1ST_11H })]);
    const { ctx } = server.t;
    const town = await agentAuth(ctx, ['enfance']);
    canteen = await aService(ctx, { places: 10 });
    wednesday = await aService(ctx, { kind: 'wednesday', weekdays: [3], places: 10 });
    await ctx.db.updateTable('services').set({ name: 'Centre de loisirs du mercredi' }).where('id', '=', wednesday.serviceId).execute();
    await cat.updateUnit(ctx.db, wednesday.unitId, { label: 'Journée avec repas', isMeal: true });
    const morning = await cat.insertUnit(ctx.db, { serviceId: wednesday.serviceId, label: 'Matinée sans repas', isMeal: false, position: 1 });
    await cat.setExclusionGroup(ctx.db, wednesday.serviceId, [wednesday.unitId, morning]);
    martin = await aFamily(ctx, town, 'Martin', { childFirstName: 'Léa' });
    const households = householdsAgentService(ctx);
    await households.addChild(town, martin.householdId, { first_name: 'Hugo', last_name: 'Martin', birth_date: '2020-03-02', sex: 'M', school: null, class_level: null });
    hugo = (await households.get(town, martin.householdId)).members.find((m) => m.first_name === 'Hugo')!.id;
    for (const child of [martin.childId, hugo]) await anAcceptedEnrolment(ctx, martin.householdId, child, canteen);
    await anAcceptedEnrolment(ctx, martin.householdId, hugo, wednesday);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A cheap phone, 360 px wide. */
  const aPhone = (options: { javaScriptEnabled?: boolean } = {}) => Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, ...options });
  async function login(v: Visitor) {
    await v.goto('/connexion');
    await v.page.getByLabel('Adresse électronique', { exact: true }).fill(martin.email);
    await v.page.getByLabel('Mot de passe', { exact: true }).fill(martin.password);
    await v.follow(() => v.page.getByRole('button', { name: 'Se connecter', exact: true }).click());
  }
  const save = (v: Visitor) => v.follow(() => v.page.getByRole('button', { name: 'Enregistrer mes réservations', exact: true }).click());
  const status = async (child: string, day: string) =>
    (await server.t.ctx.db.selectFrom('bookings').select('status').where('child_person_id', '=', child).where('unit_id', '=', canteen.unitId).where('day', '=', day).executeTakeFirst())?.status;

  test('without JavaScript, the parent books next week for both children in one form, cancels two days after a summary, and picks one of two exclusive units', async () => {
    const v = await aPhone({ javaScriptEnabled: false });
    const { page } = v;
    try {
      await login(v);
      // On a phone the menu opens the week, not the month.
      await v.menu('Réservations');
      assert.equal(v.path(), '/reservations/semaine');
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /semaine du lundi 30 novembre 2026/);
      await v.follow(() => page.getByRole('link', { name: 'Semaine suivante : semaine du lundi 7 décembre 2026', exact: true }).click());
      assert.equal(v.path(), '/reservations/semaine?du=2026-12-07');

      // Each box names the child, the day and the unit; its state and deadline are its description.
      const first = box(page, 'Léa', 'lundi 7 décembre');
      assert.equal(await first.isChecked(), false);
      assert.equal(await page.locator(`#${await first.getAttribute('aria-describedby')}`).innerText(), "Non réservé, modifiable jusqu'au jeudi 3 décembre, 12 h");
      for (const child of ['Léa', 'Hugo']) for (const day of NEXT_WEEK) await box(page, child, day).check();
      await save(v);
      assert.equal(v.path(), '/reservations/semaine?du=2026-12-07');
      assert.match(await main(page), /Réservé : Léa le lundi 7 décembre, le mardi 8 décembre, le jeudi 10 décembre, le vendredi 11 décembre ; Hugo le lundi 7 décembre, le mardi 8 décembre, le jeudi 10 décembre, le vendredi 11 décembre\./);
      for (const child of ['Léa', 'Hugo']) for (const day of NEXT_WEEK) assert.ok(await box(page, child, day).isChecked(), `${child}, ${day}`);

      // Two days unticked: nothing is cancelled before the summary is confirmed.
      await box(page, 'Léa', 'mardi 8 décembre').uncheck();
      await box(page, 'Hugo', 'vendredi 11 décembre').uncheck();
      await save(v);
      assert.match(await main(page), /Vous allez annuler 2 jours :\s*Léa, mardi 8 décembre, restauration scolaire, repas\s*Hugo, vendredi 11 décembre, restauration scolaire, repas/);
      assert.equal(await status(martin.childId, '2026-12-08'), 'booked');
      await v.follow(() => page.getByRole('button', { name: 'Confirmer', exact: true }).click());
      assert.equal(v.path(), '/reservations/semaine?du=2026-12-07');
      assert.match(await main(page), /Annulé : Léa le mardi 8 décembre ; Hugo le vendredi 11 décembre\./);
      assert.equal(await box(page, 'Léa', 'mardi 8 décembre').isChecked(), false);
      assert.equal(await box(page, 'Hugo', 'vendredi 11 décembre').isChecked(), false);
      assert.deepEqual([await status(martin.childId, '2026-12-08'), await status(hugo, '2026-12-11'), await status(hugo, '2026-12-10')], ['cancelled', 'cancelled', 'booked']);
      // The household's history keeps the form's summary, by child and date.
      await v.goto('/famille/historique');
      assert.match(await main(page), /Réservations enregistrées\. Annulé : Léa le mardi 8 décembre ; Hugo le vendredi 11 décembre\./);
      await v.goto('/reservations/semaine?du=2026-12-07');

      // Hugo's Wednesday: one choice among the units that do not combine.
      const choice = page.getByRole('group', { name: 'Hugo, mercredi 9 décembre : centre de loisirs du mercredi', exact: true });
      assert.ok(await choice.getByRole('radio', { name: 'Aucune', exact: true }).isChecked());
      await choice.getByRole('radio', { name: 'Matinée sans repas', exact: true }).check();
      await save(v);
      assert.match(await main(page), /Réservé : Hugo le mercredi 9 décembre\./);
      const morning = page.getByRole('group', { name: 'Hugo, mercredi 9 décembre : centre de loisirs du mercredi', exact: true }).getByRole('radio', { name: 'Matinée sans repas', exact: true });
      assert.ok(await morning.isChecked());
      assert.match(await page.locator(`#${await morning.getAttribute('aria-describedby')}`).innerText(), /^Réservé, modifiable jusqu'au lundi 7 décembre, 12 h$/);

      // The month (wide screens) still offers both boxes; ticking both is refused with the reason.
      await v.follow(() => page.getByRole('link', { name: 'Voir le mois : décembre 2026', exact: true }).click());
      assert.equal(v.path(), '/reservations?mois=2026-12');
      await page.getByRole('checkbox', { name: 'Hugo, mercredi 16 décembre, centre de loisirs du mercredi, journée avec repas', exact: true }).check();
      await page.getByRole('checkbox', { name: 'Hugo, mercredi 16 décembre, centre de loisirs du mercredi, matinée sans repas', exact: true }).check();
      await save(v);
      const results = await main(page);
      assert.match(results, /Réservé \(1 jour\)\s*Hugo, mercredi 16 décembre \(centre de loisirs du mercredi, journée avec repas\)/);
      assert.match(results, /Pas possible \(1 jour\)\s*Hugo, mercredi 16 décembre \(centre de loisirs du mercredi, matinée sans repas\) : Déjà « Journée avec repas » ce jour-là : les deux ne se cumulent pas/);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('from the top of the phone booking page, the save button is 20 keyboard stops away at most for two children and one week, as the issue asks (12 after the skip link); every box is a 44 px target', async () => {
    const v = await aPhone();
    const { page } = v;
    try {
      await login(v);
      await v.goto('/reservations/semaine?du=2026-12-14');
      // Two children in the canteen four days, Hugo's Wednesday choice (one stop for the radio group).
      assert.equal(await page.getByRole('checkbox').count(), 8);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      let stops = 0;
      const onSave = () => page.evaluate(() => document.activeElement?.textContent === 'Enregistrer mes réservations');
      while (!(await onSave()) && stops < 60) {
        await page.keyboard.press('Tab');
        stops++;
      }
      assert.ok(await onSave(), 'the save button is reached by keyboard');
      // Plain Tab from the top crosses the header first: on a phone the family menu (nine destinations) folds
      // behind one « Menu » stop.
      assert.ok(stops <= 20, `${stops} keyboard stops to the save button`);
      process.stdout.write(`# keyboard stops from the top of the week page to « Enregistrer » : ${stops}\n`);
      // As keyboard users do (RGAA 12.7): the skip link, then the form's own stops only.
      await v.goto('/reservations/semaine?du=2026-12-14');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#contenu');
      await page.keyboard.press('Enter');
      let inForm = 0;
      while (!(await onSave()) && inForm < 60) {
        await page.keyboard.press('Tab');
        inForm++;
      }
      assert.ok(inForm <= 12, `${inForm} keyboard stops from the skip link to the save button`);
      process.stdout.write(`# keyboard stops after « Aller au contenu » to « Enregistrer » : ${inForm}\n`);
      for (const label of await page.locator('main label.wk__label').all()) {
        const size = await label.boundingBox();
        assert.ok(size && size.height >= 44 && size.width >= 44, `${await label.innerText()} : ${JSON.stringify(size)}`);
      }
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
