import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { agentAuth } from '../support/builders.ts';
import { aCertificateTown } from '../support/certificates.ts';
import { pdfText } from '../support/pdf-text.ts';
import { recordPayment } from '../../src/modules/invoicing/invoicing.payments.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

describe('parcours navigateur des attestations : un parent télécharge son attestation fiscale et la vérifie sur la page publique (360 px, axe)', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-02T08:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('attestation fiscale téléchargée, puis vérifiée par un tiers ; un mauvais code ne dit rien', async () => {
    const { t } = server;
    const town = await aCertificateTown(t, await agentAuth(t.ctx, ['admin', 'enfance']), await agentAuth(t.ctx, ['regie']), ['Martin']);
    const [family] = town.families;
    const invoice = await t.ctx.db.selectFrom('invoices').selectAll().where('household_id', '=', family.householdId).executeTakeFirstOrThrow();
    await t.ctx.db.transaction().execute((tx) => recordPayment(tx, { householdId: family.householdId, means: 'cash', amountCents: Number(invoice.total_cents), receivedAt: t.clock.now(), allocation: { invoiceIds: null } }));

    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 780 } });
    const { page } = v;
    try {
      await v.logIn(family.email, family.password);
      await v.menu('Attestations');
      assert.match(await page.locator('main').innerText(), /Attestation fiscale \(frais de garde\)/);
      await page.getByLabel('Année des paiements').selectOption('2026');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger l\'attestation fiscale', exact: true }).click()]);
      assert.match(download.suggestedFilename(), /^attestation-ATT-2026-\d{6}\.pdf$/);
      const text = pdfText(fs.readFileSync(await download.path()));
      assert.match(text, /Tom Martin/);
      assert.match(text, /10,00\s€/, 'four evenings of garde at 2,50 €, meals excluded');
      const number = /Numéro : (ATT-2026-\d{6})/.exec(text)![1];
      const code = /Code de vérification : ([A-Z0-9-]{14})/.exec(text)![1];
      await v.goto('/attestations');
      assert.match(await page.locator('main').innerText(), new RegExp(number));
      await v.logOut();

      // Someone the parent gives it to, without an account: the link is in every page's footer.
      await v.goto('/');
      await v.follow(() => page.getByRole('link', { name: 'Vérifier une attestation', exact: true }).click());
      await page.getByLabel('Numéro de l\'attestation').fill(number);
      await page.getByLabel('Code de vérification').fill('AAAA-BBBB-CCCC');
      await v.follow(() => page.getByRole('button', { name: 'Vérifier', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Attestation introuvable/);
      await page.getByLabel('Code de vérification').fill(code.toLowerCase());
      await v.follow(() => page.getByRole('button', { name: 'Vérifier', exact: true }).click());
      const verified = await page.locator('main').innerText();
      assert.match(verified, /Attestation authentique/);
      assert.match(verified, /10,00/);
      assert.match(verified, /A\. M\./);
      assert.doesNotMatch(verified, /Martin|Tom/);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
