import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { agentAuth, anAgent } from '../support/builders.ts';
import { aControlledRun, testPricing } from '../support/invoicing.ts';
import { invoicingService } from '../../src/modules/invoicing/invoicing.service.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * The régie, on a 360 px screen, records a cheque at the counter from the household page, prints
 * the receipt, reads the cash-desk day, closes it and downloads the journal (PDF); axe and the
 * 320 px reflow check run on every page.
 */
describe('parcours navigateur : la régie enregistre un chèque, imprime le reçu, clôture la journée et télécharge le journal', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-02T08:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('chèque au guichet, reçu PDF, clôture de la caisse du jour, journal de caisse', async () => {
    const { t } = server;
    const svc = invoicingService(t.ctx, testPricing());
    const regieAuth = await agentAuth(t.ctx, ['regie']);
    const run = await aControlledRun(t, svc, regieAuth, await agentAuth(t.ctx, ['enfance', 'admin']), 1);
    assert.ok((await svc.issue(regieAuth, run.runId)).ok);
    t.clock.set('2026-12-03T10:15:00Z');
    const regie = await anAgent(t.ctx, ['regie', 'enfance']);
    const household = run.families[0].householdId;

    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, acceptDownloads: true });
    const { page } = v;
    try {
      await v.logIn(regie.email, regie.password);
      await v.goto(`/agent/foyers/${household}`);
      await v.follow(() => page.getByRole('link', { name: 'Enregistrer un paiement au guichet (régie)' }).click());
      // A mistake first: a cheque without its number.
      await page.getByLabel('Chèque', { exact: true }).check();
      await page.getByLabel('Montant reçu, en euros').fill('10');
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer le paiement' }).click());
      assert.match(await page.title(), /^Erreur : /);
      assert.match(await page.locator('main').innerText(), /Indiquez le numéro du chèque/);
      await page.getByLabel('Numéro du chèque (pour un chèque)').fill('0012345');
      await page.getByLabel('Banque du chèque (pour un chèque)').fill('Crédit Agricole');
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer le paiement' }).click());
      const receipt = await page.locator('main').innerText();
      assert.match(receipt, /Paiement enregistré, reçu Q-2026-000001 : 10,00\s€ porté sur les factures/);
      assert.match(receipt, /Chèque n° 0012345 \(Crédit Agricole\)/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Imprimer le reçu (PDF)' }).click()]);
      assert.equal(download.suggestedFilename(), 'recu-Q-2026-000001.pdf');
      const pdf = fs.readFileSync(await download.path());
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

      await v.goto('/agent/regie');
      await v.follow(() => page.getByRole('link', { name: /Caisse du jour/ }).click());
      // The town's first régie opens; the household's invoices belong to the test's own régie.
      await v.follow(() => page.getByRole('link', { name: /^Caisse de Régie / }).click());
      const day = await page.locator('main').innerText();
      assert.match(day, /Caisse du jeudi 3 décembre 2026 – Régie /);
      assert.match(day, /Chèque\s+1\s+10,00\s€/);
      assert.match(day, /Total\s+1\s+10,00\s€/);
      assert.match(day, /Q-2026-000001/);
      assert.match(day, /Caisse ouverte/);

      // The régisseur closes the day (no cash today: nothing to count), then downloads the journal.
      await v.follow(() => page.getByRole('button', { name: 'Clôturer la caisse du jour' }).click());
      const closed = await page.locator('main').innerText();
      assert.match(closed, /Caisse du jeudi 3 décembre 2026 clôturée/);
      assert.match(closed, /Caisse clôturée par .+, le jeudi 3 décembre 2026 à 11 h 15/);
      assert.equal(await page.getByRole('button', { name: 'Clôturer la caisse du jour' }).count(), 0);
      const [journal] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger le journal de caisse (PDF)' }).click()]);
      assert.equal(journal.suggestedFilename(), 'journal-de-caisse-2026-12-03.pdf');
      const journalPdf = fs.readFileSync(await journal.path());
      assert.equal(journalPdf.subarray(0, 5).toString(), '%PDF-');
      assert.match(journalPdf.toString('latin1'), /\/StructTreeRoot/);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
