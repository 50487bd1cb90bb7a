import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { book, testPricing } from '../support/invoicing.ts';
import { DEFAULT_REGIE_ID } from '../../src/platform/db/migrations/013_invoicing.ts';
import { invoicingService } from '../../src/modules/invoicing/invoicing.service.ts';
import * as tariffs from '../../src/modules/tariffs/tariffs.repository.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

const LEISURE = 'Accueil de loisirs du mercredi';
const NOVEMBER_WEDNESDAYS = ['2026-11-04', '2026-11-18'];
const JANUARY_WEDNESDAYS = ['2027-01-06', '2027-01-13', '2027-01-20'];

/**
 * The régies on a 360 px phone: the administrator creates « Centre de loisirs », is refused a move from
 * a month the current régie has already drafted, moves the leisure centre from the next month and
 * reads the history; once that month is over, the régie agent finds the new régie and drafts its run.
 */
describe('parcours navigateur des régies : une nouvelle régie reprend un service, axe sur chaque page (360 px)', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-02T08:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('création, changement refusé puis accepté, historique ; la régie calcule le brouillon de la nouvelle régie', async () => {
    const { t } = server;
    const enfance = await agentAuth(t.ctx, ['enfance']);
    const admin = await anAgent(t.ctx, ['admin']);
    const regie = await anAgent(t.ctx, ['regie']);
    const leisure = await aService(t.ctx, { kind: 'wednesday', weekdays: [3] });
    await t.ctx.db.updateTable('services').set({ name: LEISURE }).where('id', '=', leisure.serviceId).execute();
    const family = await aFamily(t.ctx, enfance, 'Martin', { childFirstName: 'Léa' });
    await t.ctx.db.transaction().execute((tx) =>
      tariffs.insertVersion(tx, { serviceId: leisure.serviceId, unitId: null, schoolYearId: leisure.schoolYearId, appliesFrom: '2026-09-01', presentWithoutBookingCents: 0, lateCancellationCents: 0, createdBy: enfance.user.id }, [
        { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 850, category: 'garde', is_default: 1 },
      ], t.clock.now()),
    );
    await anAcceptedEnrolment(t.ctx, family.householdId, family.childId, leisure);
    await book(t.ctx, family, leisure.unitId, [...NOVEMBER_WEDNESDAYS, ...JANUARY_WEDNESDAYS]);
    await t.ctx.db.updateTable('bookings').set({ attendance: 'present' }).execute();

    // December: the town's first régie has already drafted November (the leisure centre with it).
    t.clock.set('2026-12-02T09:00:00Z');
    const regieAuth = await agentAuth(t.ctx, ['regie']);
    const runs = invoicingService(t.ctx, testPricing());
    const november = await runs.openRun(regieAuth, DEFAULT_REGIE_ID, '2026-11');
    assert.ok((await runs.draft(regieAuth, november.id)).ok);

    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    const main = () => page.locator('main').innerText();
    try {
      await v.logIn(admin.email, admin.password);
      await v.menu('Régie');
      await v.follow(() => page.getByRole('link', { name: 'Régies et services facturés', exact: true }).click());
      await page.getByLabel('Nom de la nouvelle régie', { exact: true }).fill('Centre de loisirs');
      await v.follow(() => page.getByRole('button', { name: 'Créer la régie', exact: true }).click());
      assert.match(await main(), /Régie « Centre de loisirs » créée/);

      // A move from November, which the current régie has drafted, is refused and says why.
      await v.follow(() => page.getByRole('link', { name: `Changer de régie – ${LEISURE}`, exact: true }).click());
      // The month field says which month the régies have reached (read with the field: aria-describedby).
      assert.match(await page.getByRole('combobox', { name: 'À partir de', description: /Dernier mois déjà calculé ou émis : novembre 2026 pour « Régie enfance et restauration »/ }).innerText(), /janvier 2027/);
      await page.getByLabel('Nouvelle régie', { exact: true }).selectOption({ label: 'Centre de loisirs' });
      await page.getByLabel('À partir de', { exact: true }).selectOption({ label: 'novembre 2026' });
      await v.follow(() => page.getByRole('button', { name: 'Changer de régie', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      const summary = page.getByRole('alert');
      assert.match(await summary.innerText(), /Ce mois ou un mois suivant est déjà calculé ou émis .* Choisissez un mois après le dernier mois calculé/s);
      assert.ok(await summary.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)), 'the error summary takes the focus');
      // The values typed are kept, the error link leads to the month field.
      const chosen = (label: string) => page.getByLabel(label, { exact: true }).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text);
      assert.equal(await chosen('Nouvelle régie'), 'Centre de loisirs');
      assert.equal(await chosen('À partir de'), 'novembre 2026');
      await summary.getByRole('link').first().click();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'mois');

      // From next month: accepted, listed as planned, and in the service's history.
      await page.getByLabel('À partir de', { exact: true }).selectOption({ label: 'janvier 2027' });
      await v.follow(() => page.getByRole('button', { name: 'Changer de régie', exact: true }).click());
      const list = await main();
      assert.match(list, new RegExp(`${LEISURE} : facturé par « Centre de loisirs » à partir de janvier 2027`));
      assert.match(list, /À partir de janvier 2027 : Centre de loisirs/);
      await v.follow(() => page.getByRole('link', { name: `Changer de régie – ${LEISURE}`, exact: true }).click());
      const history = await page.getByRole('list').filter({ hasText: 'Depuis sa création' }).innerText();
      assert.match(history, /Depuis sa création : Régie enfance et restauration\s+À partir de janvier 2027 : Centre de loisirs/);
      await v.logOut();

      // February: January is over; the régie agent finds the new régie and drafts its January.
      t.clock.set('2027-02-02T09:00:00Z');
      await v.logIn(regie.email, regie.password);
      await v.menu('Régie');
      await v.follow(() => page.getByRole('link', { name: 'Régies et services facturés', exact: true }).click());
      const overview = await main();
      assert.match(overview, /Centre de loisirs/);
      assert.doesNotMatch(overview, /Créer la régie/);
      const row = page.getByRole('row').filter({ hasText: LEISURE });
      assert.match(await row.innerText(), /Centre de loisirs/);
      await v.follow(() => page.getByRole('link', { name: 'Retour à la facturation', exact: true }).click());
      await page.getByLabel('Mois à facturer – Centre de loisirs', { exact: true }).selectOption({ label: 'janvier 2027' });
      await v.follow(() => page.getByRole('region', { name: 'Centre de loisirs', exact: true }).getByRole('button', { name: 'Ouvrir ce mois', exact: true }).click());
      assert.match(await page.locator('h1').innerText(), /Centre de loisirs/);
      assert.match(await page.locator('h1').innerText(), /janvier 2027/);
      await v.follow(() => page.getByRole('button', { name: 'Calculer le brouillon', exact: true }).click());
      const control = await main();
      assert.match(control, /Brouillon calculé : 3 lignes, 25,50/);
      assert.match(control, new RegExp(LEISURE));
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
