import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { aPdf } from '../support/files.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

describe('suivi des demandes dans le navigateur, sur un écran de 360 px, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a parent sends « autre demande » with a PDF; the agent takes it and answers with a file; the parent downloads it', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Lefèvre', { childFirstName: 'Jade' });
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/demandes');
      await v.follow(() => page.getByRole('link', { name: 'Faire une demande', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Autre demande', exact: true }).click());
      // Sent empty: the summary says what is missing.
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      assert.match(await page.locator('.error-summary').innerText(), /Donnez un titre court/);
      await page.getByLabel('Objet de la demande', { exact: true }).fill('Attestation pour mon employeur');
      await page.getByLabel('Votre demande', { exact: true }).fill('Bonjour, pourriez-vous me faire une attestation de présence de Jade ?');
      await page.getByLabel('Document joint', { exact: true }).setInputFiles({ name: 'courrier-employeur.pdf', mimeType: 'application/pdf', buffer: aPdf(400) });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      assert.match(v.path(), /^\/demandes\/[0-9a-f-]{36}$/);
      const filed = await page.locator('main').innerText();
      assert.match(filed, /Votre demande D-2026-\d{6} est envoyée/);
      assert.match(filed, /Rien à faire : le service va examiner votre demande/);
      assert.ok(await page.getByRole('link', { name: 'Télécharger courrier-employeur.pdf', exact: true }).isVisible());
      const requestPath = v.path();
      const reference = /D-2026-\d{6}/.exec(filed)![0];
      await v.logOut();

      // The agent finds it in the one queue, takes it, answers with a file.
      await v.logIn(agent.email, agent.password);
      await v.goto('/agent/demandes');
      await v.follow(() => page.getByRole('link', { name: /^D-2026-\d{6}$/ }).click());
      assert.match(await page.locator('main').innerText(), /Personne ne s'occupe encore de cette demande/);
      await v.follow(() => page.getByRole('button', { name: 'Je m\'en occupe', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Vous vous occupez de cette demande/);
      await page.getByLabel('Votre message à la famille', { exact: true }).fill('Voici l\'attestation demandée.');
      await page.getByLabel('Joindre un document', { exact: true }).setInputFiles({ name: 'attestation-jade.pdf', mimeType: 'application/pdf', buffer: aPdf(700) });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer un message', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Votre message est envoyé à la famille/);
      await v.goto('/agent/demandes?attribution=miennes');
      assert.match(await page.locator('main').innerText(), /Attestation pour mon employeur/);
      await v.logOut();

      // The parent reads what to do next, opens the request and downloads the file.
      await v.logIn(family.email, family.password);
      await v.goto('/demandes');
      assert.match(await page.locator('main').innerText(), /Le service vous a écrit : lisez son message/);
      assert.match(await page.getByRole('table', { name: 'Vos demandes' }).innerText(), /Autre demande : Attestation pour mon employeur/);
      await v.follow(() => page.getByRole('link', { name: reference, exact: true }).click());
      assert.equal(v.path(), requestPath);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger attestation-jade.pdf', exact: true }).click()]);
      assert.equal(download.suggestedFilename(), 'attestation-jade.pdf');
      const saved = await download.path();
      assert.deepEqual(fs.readFileSync(saved), aPdf(700));
      await v.logOut();
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
