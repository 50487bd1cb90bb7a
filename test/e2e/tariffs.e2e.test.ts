import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * Prices where families decide, in the browser, with axe on every page: the régie types a canteen
 * tariff, an agent records the family's QF, the parent sees a day's price before booking and what
 * the booking costs, then reads « Combien vais-je payer ? »; a visitor without an account uses the
 * simulator. Tuesday 1 December 2026 at 11:00 in Paris.
 */
describe('parcours navigateur des tarifs : le prix d\'un jour avant de réserver, et le simulateur, avec axe', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;
  let s: Awaited<ReturnType<typeof aService>>;
  let martin: Awaited<ReturnType<typeof aFamily>>;
  let regie: Awaited<ReturnType<typeof anAgent>>;
  let enfance: Awaited<ReturnType<typeof anAgent>>;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-12-01T10:00:00Z' })]);
    const { ctx } = server.t;
    s = await aService(ctx);
    martin = await aFamily(ctx, await agentAuth(ctx, ['enfance']), 'Martin', { childFirstName: 'Léa' });
    await anAcceptedEnrolment(ctx, martin.householdId, martin.childId, s);
    regie = await anAgent(ctx, ['regie']);
    enfance = await anAgent(ctx, ['enfance']);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('la régie saisit un tarif ; le service enfance enregistre un quotient ; le parent voit le prix avant de réserver', async () => {
    const desk = await Visitor.open(browser, server.baseUrl);
    await desk.logIn(regie.email, regie.password);
    await desk.menu('Tarifs');
    await desk.follow(() => desk.page.getByRole('link', { name: 'Créer une version de tarif' }).click());
    await desk.page.getByLabel('Prestation', { exact: true }).selectOption({ index: 1 });
    await desk.page.getByLabel('Année scolaire').selectOption({ label: '2026-2027' });
    await desk.page.getByLabel('S\'applique à partir du').fill('2026-09-01');
    await desk.page.getByLabel('QF maximum (ligne 1)').fill('599');
    await desk.page.getByLabel('Prix en euros (ligne 1)').fill('1');
    await desk.page.getByLabel('QF minimum (ligne 2)').fill('600');
    await desk.page.getByLabel('QF maximum (ligne 2)').fill('899');
    await desk.page.getByLabel('Prix en euros (ligne 2)').fill('3,40');
    await desk.page.getByLabel('Prix par défaut en euros').fill('4,50');
    await desk.follow(() => desk.page.getByRole('button', { name: 'Enregistrer le tarif' }).click());
    assert.match(await desk.page.locator('main').innerText(), /Le tarif est enregistré[^]*tranche QF 600–899/);
    await desk.logOut();

    await desk.logIn(enfance.email, enfance.password);
    await desk.goto(`/agent/foyers/${martin.householdId}`);
    await desk.follow(() => desk.page.getByRole('link', { name: 'Enregistrer un quotient' }).click());
    await desk.page.getByLabel('Quotient familial, en euros').fill('742');
    await desk.page.getByLabel('S\'applique à partir du mois').fill('2026-09');
    await desk.page.getByLabel('Motif').fill('Attestation CAF de septembre');
    await desk.follow(() => desk.page.getByRole('button', { name: 'Enregistrer le quotient' }).click());
    assert.match(await desk.page.locator('main').innerText(), /742\s€[^]*Attestation CAF de septembre[^]*En vigueur/);
    await desk.logOut();
    desk.assertEveryPageChecked();

    const parent = await Visitor.open(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    await parent.logIn(martin.email, martin.password);
    await parent.goto('/reservations?mois=2026-12');
    const thursday = parent.page.getByRole('checkbox', { name: /^Léa, jeudi 3 décembre, restauration scolaire/ });
    // The price is part of the box's description, read before ticking it.
    const describedBy = await thursday.getAttribute('aria-describedby');
    assert.match(await parent.page.locator(`[id="${describedBy}"]`).innerText(), /3,40\s€/);
    await thursday.check();
    await parent.follow(() => parent.page.getByRole('button', { name: 'Enregistrer mes réservations' }).click());
    assert.match(await parent.page.locator('main').innerText(), /Réservé : Léa le jeudi 3 décembre\.\s*Les jours réservés coûteront 3,40\s€/);
    await parent.follow(() => parent.page.getByRole('link', { name: 'Combien vais-je payer ?' }).first().click());
    assert.match(await parent.page.locator('main').innerText(), /Votre quotient familial : 742\s€/);
    parent.assertEveryPageChecked();
  });

  test('un visiteur sans compte simule ses tarifs, et une saisie fausse est expliquée', async () => {
    const visitor = await Visitor.open(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    await visitor.goto('/tarifs');
    await visitor.page.getByLabel('Votre quotient familial, en euros').fill('mille');
    await visitor.follow(() => visitor.page.getByRole('button', { name: 'Voir les tarifs' }).click());
    assert.match(await visitor.page.title(), /^Erreur :/);
    assert.match(await visitor.page.locator('main').innerText(), /un nombre entier entre 0 et 99 999/);
    await visitor.page.getByLabel('Votre quotient familial, en euros').fill('550');
    await visitor.follow(() => visitor.page.getByRole('button', { name: 'Voir les tarifs' }).click());
    assert.match(await visitor.page.locator('main').innerText(), /Tarifs pour un quotient de 550\s€[^]*1,00\s€/);
    visitor.assertEveryPageChecked();
  });
});
