import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { aSchoolCatalogue } from '../../src/modules/enrolments/enrolments.fixtures.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

describe('inscription depuis le calendrier, puis la page foyer de l\'agent, avec axe et 320 px sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the calendar says Léa has no canteen and leads to the service step; once asked for, it is « Demande envoyée »; the agent sees the request on the household page', async () => {
    const { t } = server;
    await aSchoolCatalogue(t.ctx);
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Durand', { childFirstName: 'Léa' });
    await t.ctx.db.updateTable('children').set({ school: 'École Jules-Ferry', class_level: 'CE1' }).where('person_id', '=', family.childId).execute();
    await t.ctx.db.updateTable('persons').set({ sex: 'F' }).where('id', '=', family.childId).execute();
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    const { page } = v;
    let reference = '';
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/reservations');
      assert.match(await page.locator('main').innerText(), /Léa n'est inscrite à aucune cantine\./);
      await v.follow(() => page.getByRole('link', { name: 'Inscrivez Léa à la cantine', exact: true }).click());
      assert.match(v.path(), /^\/inscriptions\/nouvelle\/service\?/);
      assert.ok(await page.getByLabel('Restauration scolaire – École Jules-Ferry', { exact: true }).isChecked(), 'the service is prefilled');
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Vérifiez vos réponses');
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      reference = /D-2026-\d{6}/.exec(await page.locator('main').innerText())?.[0] ?? '';
      assert.ok(reference);

      // Back at the service step for the same year: the canteen is shown as asked for, and cannot be chosen.
      await v.goto('/inscriptions/nouvelle');
      await page.getByLabel('Léa Durand', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      await page.getByLabel('2026-2027', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Restauration scolaire – École Jules-Ferry : Demande envoyée le samedi 28 novembre 2026/);
      assert.equal(await page.getByLabel('Restauration scolaire – École Jules-Ferry', { exact: true }).count(), 0);
      await v.goto('/reservations');
      assert.doesNotMatch(await page.locator('main').innerText(), /aucune cantine/);
      await v.logOut();
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
    // The counter's pages, at a phone's width too: a wide table scrolls in its own box, which takes the focus.
    const a = await Visitor.open(browser, server.baseUrl);
    try {
      const { page } = a;
      await a.logIn(agent.email, agent.password);
      await a.goto(`/agent/foyers/${family.householdId}`);
      const main = await page.locator('main').innerText();
      assert.match(main, new RegExp(`${reference}\\s+Inscription à un service`));
      assert.match(main, /Léa\s+Restauration scolaire – École Jules-Ferry\s+2026-2027\s+Déposée/);
      await a.follow(() => page.getByRole('link', { name: reference, exact: true }).click());
      assert.match(a.path(), /^\/agent\/demandes\//);
      await a.goto(`/agent/foyers/${family.householdId}/presences?enfant=${family.childId}&mois=2026-11`);
      assert.match(await page.locator('main').innerText(), /Aucune réservation pour Léa en novembre 2026/);
      a.assertEveryPageChecked();
    } finally {
      await a.close();
    }
  });
});
