import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { aPdf, jpegWithGps } from '../support/files.ts';
import { aService } from '../support/catalogue.ts';
import { newId } from '../../src/platform/ids.ts';

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

  test('a QF update through a complement: the parent answers with a photo of the new attestation; the agent opens it from the timeline', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Garnier', { childFirstName: 'Noé' });
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    const main = () => page.locator('main').innerText();
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/demandes');
      await v.follow(() => page.getByRole('link', { name: 'Faire une demande', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Mettre à jour mon quotient familial', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Photographier ou envoyer une nouvelle attestation', exact: true }).click());
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-08-03');
      await page.getByLabel('Le document', { exact: true }).setInputFiles({ name: 'ancienne.pdf', mimeType: 'application/pdf', buffer: aPdf(300) });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      const familyPath = v.path();
      await v.logOut();

      await v.logIn(agent.email, agent.password);
      await v.goto(familyPath.replace('/demandes/', '/agent/demandes/'));
      await page.getByLabel('Motif ou complément demandé', { exact: true }).fill('Cette attestation date d\'août : envoyez celle de novembre.');
      await page.getByLabel('Date limite de réponse (pour un complément)', { exact: true }).fill('2026-12-10');
      await v.follow(() => page.getByRole('button', { name: 'Demander un complément', exact: true }).click());
      await v.logOut();

      // The parent answers from the request page with a photo taken by the phone.
      await v.logIn(family.email, family.password);
      await v.goto('/demandes');
      await v.follow(() => page.getByRole('link', { name: /^D-2026-\d{6}$/ }).click());
      assert.match(await main(), /Ce qui est demandé : Cette attestation date d'août/);
      await page.getByLabel('Votre réponse', { exact: true }).fill('Voici l\'attestation de novembre.');
      assert.equal(await page.getByLabel('Type de document', { exact: true }).inputValue(), '00000000-0000-7000-8000-00000000d002');
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-11-20');
      await page.getByLabel('Photo ou PDF du document', { exact: true }).setInputFiles({ name: 'IMG_4410.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps() });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer ma réponse', exact: true }).click());
      const answered = await main();
      assert.match(answered, /Votre réponse est envoyée/);
      assert.match(answered, /Télécharger Attestation CAF ou MSA de quotient familial du vendredi 20 novembre 2026/);
      await v.goto('/documents');
      assert.match(await main(), /20 novembre 2026/);
      await v.logOut();

      // The agent sees it on the timeline, opens it, and the quotient page shows the new attestation.
      await v.logIn(agent.email, agent.password);
      await v.goto(familyPath.replace('/demandes/', '/agent/demandes/'));
      const link = page.getByRole('link', { name: 'Voir le document : Attestation CAF ou MSA de quotient familial du vendredi 20 novembre 2026' });
      assert.equal(await link.count(), 2, 'on the timeline and in the thread');
      await v.follow(() => link.first().click());
      assert.match(v.path(), /^\/agent\/documents\/[0-9a-f-]{36}$/);
      const documentPath = v.path();
      await v.goto(`${familyPath.replace('/demandes/', '/agent/demandes/')}/quotient`);
      assert.equal(await page.getByRole('link', { name: /Voir l'attestation du vendredi 20 novembre 2026/ }).getAttribute('href'), documentPath);
      await v.logOut();
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('a draft saved half-filled, reopened from « Mes demandes », completed and sent', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Roux', { childFirstName: 'Lina' });
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    const main = () => page.locator('main').innerText();
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/demandes/nouvelle');
      await v.follow(() => page.getByRole('link', { name: 'Autre demande', exact: true }).click());
      await page.getByLabel('Objet de la demande', { exact: true }).fill('Changement de classe');
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }).click());
      assert.match(await main(), /Votre brouillon est enregistré/);
      await v.goto('/demandes');
      const list = await page.getByRole('table', { name: 'Vos demandes' }).innerText();
      assert.match(list, /Autre demande \(brouillon\)/);
      assert.match(list, /Il manque :\s*Décrivez votre demande/);
      await v.follow(() => page.getByRole('link', { name: /^D-2026-\d{6}$/ }).click());
      await v.follow(() => page.getByRole('link', { name: 'Reprendre le brouillon', exact: true }).click());
      assert.equal(await page.getByLabel('Objet de la demande', { exact: true }).inputValue(), 'Changement de classe');
      await page.getByLabel('Votre demande', { exact: true }).fill('Lina change de classe en janvier : merci de mettre à jour son groupe.');
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      const sent = await main();
      assert.match(sent, /Votre demande D-2026-\d{6} est envoyée/);
      assert.match(sent, /Autre demande : Changement de classe/);
      await v.logOut();
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
  test('an absence declared with the day only, the certificate added later from the reopened draft, then sent', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Petit', { childFirstName: 'Léa' });
    const canteen = await aService(t.ctx);
    const now = t.ctx.clock.now().toISOString();
    const slotId = newId();
    await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: canteen.unitId, group_id: canteen.groupId, day: '2026-11-26', capacity: null, taken: 1, waiting_seq: 0, waiting: 0, closed: 0 }).execute();
    await t.ctx.db
      .insertInto('bookings')
      .values({ id: newId(), child_person_id: family.childId, household_id: family.householdId, service_id: canteen.serviceId, unit_id: canteen.unitId, slot_id: slotId, day: '2026-11-26', status: 'booked', waiting_rank: null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: now, updated_at: now })
      .execute();
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    const main = () => page.locator('main').innerText();
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/demandes/nouvelle');
      await v.follow(() => page.getByRole('link', { name: 'Justifier une absence avec un certificat médical', exact: true }).click());
      await page.getByLabel(/^Léa, jeudi 26 novembre 2026/).check();
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer le brouillon', exact: true }).click());
      assert.match(await main(), /Votre brouillon est enregistré/);
      await v.goto('/demandes');
      const list = await page.getByRole('table', { name: 'Vos demandes' }).innerText();
      assert.match(list, /Il manque :\s*Choisissez le certificat médical à joindre/);
      await v.follow(() => page.getByRole('link', { name: /^D-2026-\d{6}$/ }).click());
      const draftPath = v.path();
      await v.follow(() => page.getByRole('link', { name: 'Reprendre le brouillon', exact: true }).click());
      assert.ok(await page.getByLabel(/^Léa, jeudi 26 novembre 2026/).isChecked());
      // The certificate, through the wallet, comes back to the reopened draft with it chosen.
      await v.follow(() => page.getByRole('link', { name: 'Photographier ou envoyer un certificat médical', exact: true }).click());
      await page.getByLabel('Ce document concerne', { exact: true }).selectOption({ label: 'Léa' });
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-11-26');
      await page.getByLabel('Le document', { exact: true }).setInputFiles({ name: 'certificat.pdf', mimeType: 'application/pdf', buffer: aPdf(200) });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      assert.match(v.path(), /^\/demandes\/nouvelle\/absence\?brouillon=[0-9a-f-]{36}&document=[0-9a-f-]{36}$/);
      assert.ok(await page.getByLabel(/^Léa, jeudi 26 novembre 2026/).isChecked());
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      assert.equal(v.path(), draftPath, 'the same request, sent');
      assert.match(await main(), /Absence justifiée de Léa le jeudi 26 novembre 2026/);
      await v.logOut();
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
