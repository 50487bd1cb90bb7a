import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, checkA11y, checkReflow, launchBrowser } from '../support/browser.ts';
import { startPayfipSimulator, type PayfipSimulator } from '../../src/payfip-simulator/simulator.ts';
import { payfipClient } from '../../src/platform/payfip/payfip.client.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * The simulator's payment page in a browser without JavaScript, 360 px wide: axe-clean, 320 px
 * reflow, the choice made with the keyboard, and the browser sent back to the return URL.
 */
describe('simulateur PayFiP : la page de paiement, sans JavaScript, sur un téléphone', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let sim: PayfipSimulator;
  let back: http.Server;
  let backUrl = '';

  before(async () => {
    back = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="fr"><title>Retour</title><main><h1>Retour ${req.url?.replace(/[<>&]/g, '')}</h1></main></html>`));
    await new Promise<void>((resolve) => back.listen(0, '127.0.0.1', resolve));
    backUrl = `http://127.0.0.1:${(back.address() as AddressInfo).port}`;
    [browser, sim] = await Promise.all([launchBrowser(), startPayfipSimulator()]);
  });
  after(async () => {
    await browser?.close();
    await sim?.close();
    await new Promise<void>((resolve) => back.close(() => resolve()));
  });

  test('pay by direct debit from the page, with the keyboard', { timeout: 60_000 }, async () => {
    const client = payfipClient({ numcli: '090909', saisie: 'T', soapUrl: sim.soapUrl, paymentPageUrl: sim.paymentPageUrl, timeoutMs: 3000 });
    const idOp = await client.createPayment({ exer: '2026', mel: 'parent@example.org', amountCents: 123456, objet: 'Factures novembre', refdet: 'ABCDEF123456', urlnotif: `${backUrl}/notification`, urlredirect: `${backUrl}/retour` });
    // axe needs JavaScript in the page: it checks a tab of its own; the journey runs without.
    const checking = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'fr-FR' });
    const checked = await checking.newPage();
    await checked.goto(client.paymentPageFor(idOp));
    await checkA11y(checked);
    await checkReflow(checked);
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(client.paymentPageFor(idOp));
    assert.equal(await page.title(), 'Paiement en ligne – Simulateur PayFiP');
    assert.match(await page.locator('dl').innerText(), /1\u202f234,56\s€/);
    assert.equal(await page.locator('script').count(), 0);
    await page.getByLabel('Payer par prélèvement (paiement accepté)').check();
    await page.getByLabel('L\'envoyer deux fois').check();
    await page.getByRole('button', { name: 'Valider' }).press('Enter');
    await page.waitForURL(/\/retour\?idop=/);
    assert.equal(new URL(page.url()).searchParams.get('idop'), idOp);
    await sim.idle();
    assert.equal(sim.sent.filter((s) => s.idOp === idOp).length, 2);
    assert.equal((await client.paymentDetail(idOp)).resultrans, 'V');
    // The page of an operation already paid says so, and is as accessible.
    await checked.goto(client.paymentPageFor(idOp));
    assert.match(await checked.locator('h1').innerText(), /Paiement déjà traité/);
    await checkA11y(checked);
    await context.close();
    await checking.close();
  });
});
