import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { agentAuth, aFamily } from '../support/builders.ts';
import { startPayfipSimulator, type PayfipSimulator } from '../../src/payfip-simulator/simulator.ts';
import { paymentsOf } from '../../src/app.ts';
import { newId } from '../../src/platform/ids.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * A parent on a phone, without JavaScript, pays through the PayFiP simulator and comes back to the
 * portal's page that says what happened; axe and the 320 px reflow check run on every page, the
 * simulator's included. (The invoice page that starts the payment comes with the invoicing module:
 * here the payment is started through the service, as that page will.)
 */
describe('paiement en ligne : de la page PayFiP (simulateur) au retour sur le portail, sur un téléphone', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;
  let sim: PayfipSimulator;

  before(async () => {
    sim = await startPayfipSimulator({ numcli: '090909' });
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { env: { PAYFIP_URL: sim.soapUrl, PAYFIP_PAYMENT_URL: sim.paymentPageUrl, PAYFIP_NUMCLI: '090909', PAYFIP_SAISIE: 'T' } })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await sim?.close();
  });

  test('paid by card, then an abandon: each return page says it in plain words', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Martin');
    const payments = paymentsOf(t.ctx);
    const visitor = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    await visitor.logIn(family.email, family.password);

    const paid = await payments.startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId: newId(), amountCents: 3450 }], 'Facture novembre');
    assert.ok(paid.ok);
    await visitor.goto(paid.value.redirectUrl);
    await visitor.page.getByLabel('Payer par carte bancaire (paiement accepté)').check();
    await visitor.follow(() => visitor.page.getByRole('button', { name: 'Valider' }).click());
    assert.equal(visitor.path(), `/paiements/${paid.value.transactionId}`);
    assert.equal(await visitor.page.locator('h1').innerText(), 'Paiement accepté');
    assert.match(await visitor.page.locator('main').innerText(), /Votre paiement de 34,50\s€ par carte bancaire a été accepté/);
    await sim.idle();

    const abandoned = await payments.startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId: newId(), amountCents: 1200 }]);
    assert.ok(abandoned.ok);
    await visitor.goto(abandoned.value.redirectUrl);
    await visitor.page.getByLabel('Abandonner le paiement').check();
    await visitor.follow(() => visitor.page.getByRole('button', { name: 'Valider' }).click());
    assert.equal(await visitor.page.locator('h1').innerText(), 'Paiement abandonné');
    assert.match(await visitor.page.locator('main').innerText(), /rien n'a été prélevé/);
    await sim.idle();
    visitor.assertEveryPageChecked();
    await visitor.close();
  });
});
