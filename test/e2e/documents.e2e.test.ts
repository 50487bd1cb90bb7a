import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { GPS_MARK, jpegWithGps } from '../support/files.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

describe('portefeuille de documents dans le navigateur, sur un écran de 360 px, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a parent sends a phone photo of an attestation CAF, sees it « À vérifier », downloads it without its position; the agent validates it with the quotient; the town adds a type', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Moreau', { childFirstName: 'Inès' });
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/documents');
      assert.match(await page.locator('main').innerText(), /Vous n'avez encore envoyé aucun document/);
      await v.follow(() => page.getByRole('link', { name: 'Ajouter un document', exact: true }).click());
      // Sent without anything: the summary says what is missing.
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      assert.match(await page.locator('.error-summary').innerText(), /Choisissez le type de document/);

      await page.getByLabel('Type de document', { exact: true }).selectOption({ label: 'Attestation CAF ou MSA de quotient familial' });
      await page.getByLabel('Ce document concerne', { exact: true }).selectOption({ label: 'Tout le foyer' });
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-11-03');
      await page.getByLabel('Le document', { exact: true }).setInputFiles({ name: 'IMG_3301.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps() });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      assert.equal(v.path(), '/documents');
      const main = await page.locator('main').innerText();
      assert.match(main, /Votre document est envoyé/);
      assert.match(main, /Attestation CAF ou MSA de quotient familial/);
      assert.match(main, /À vérifier/);
      assert.match(main, /mardi 2 novembre 2027/);

      const href = await page.getByRole('link', { name: 'Attestation CAF ou MSA de quotient familial', exact: true }).getAttribute('href');
      const download = await page.request.get(`${server.baseUrl}${href}`);
      assert.equal(download.status(), 200);
      assert.match(download.headers()['content-disposition'], /^attachment; filename="IMG_3301\.jpg"/);
      assert.equal(download.headers()['x-content-type-options'], 'nosniff');
      assert.equal((await download.body()).indexOf(GPS_MARK), -1);
      await v.logOut();

      // The service enfance checks it: the photo is shown on the page, the quotient recorded with its month.
      const agent = await anAgent(t.ctx, ['enfance']);
      await v.logIn(agent.email, agent.password);
      await v.goto('/agent/documents');
      await v.follow(() => page.getByRole('link', { name: 'Attestation CAF ou MSA de quotient familial', exact: true }).click());
      assert.ok(await page.getByRole('img', { name: 'Attestation CAF ou MSA de quotient familial envoyé par la famille' }).isVisible());
      await page.getByLabel('Quotient familial (en euros)', { exact: true }).fill('850');
      await page.getByLabel('Mois du quotient', { exact: true }).fill('2026-11');
      await v.follow(() => page.getByRole('button', { name: 'Valider le document', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Document validé/);
      await v.goto('/agent/documents/types');
      await page.getByLabel('Nom du type', { exact: true }).fill('Attestation de l\'employeur');
      await page.getByLabel('Un nombre de mois à partir de la date du document', { exact: true }).check();
      await page.getByLabel('Nombre de mois de validité', { exact: true }).fill('6');
      await v.follow(() => page.getByRole('button', { name: 'Ajouter le type', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /« Attestation de l'employeur » est ajouté/);
      await v.logOut();

      await v.logIn(family.email, family.password);
      await v.goto('/documents');
      assert.match(await page.locator('main').innerText(), /Validé/);
      await v.logOut();
    } finally {
      await v.close();
    }
  });
});
