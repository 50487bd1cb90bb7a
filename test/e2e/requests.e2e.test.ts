import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { aService } from '../support/catalogue.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { aPdf, jpegWithGps } from '../support/files.ts';
import { newId } from '../../src/platform/ids.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

describe('demandes de quotient familial et d\'absence justifiée dans le navigateur, sur 360 px, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const phone = () => Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });

  test('a parent photographs an attestation CAF and asks for a QF update; the agent asks for a complement; the parent answers; the agent validates and the QF history shows it', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Moreau', { childFirstName: 'Inès' });
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await phone();
    const { page } = v;
    const main = () => page.locator('main').innerText();
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/demandes');
      await v.follow(() => page.getByRole('link', { name: 'Faire une demande', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Mettre à jour mon quotient familial', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Photographier ou envoyer une nouvelle attestation', exact: true }).click());
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-11-03');
      await page.getByLabel('Le document', { exact: true }).setInputFiles({ name: 'IMG_3301.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps() });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      assert.match(v.path(), /^\/demandes\/nouvelle\/quotient\?document=/);
      assert.match(await main(), /Attestation CAF ou MSA de quotient familial du \w+ 3 novembre 2026, envoyé, à vérifier/);
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      assert.match(await main(), /Votre demande est envoyée/);
      const requestPath = v.path().replace('/demandes/', '/agent/demandes/');
      await v.logOut();

      await v.logIn(agent.email, agent.password);
      await v.goto(requestPath);
      await page.getByLabel('Motif ou complément demandé', { exact: true }).fill('La photo est floue : envoyez une photo nette de l\'attestation.');
      await page.getByLabel('Date limite de réponse (pour un complément)', { exact: true }).fill('2026-12-10');
      await v.follow(() => page.getByRole('button', { name: 'Demander un complément', exact: true }).click());
      assert.match(await main(), /Complément demandé/);
      await v.logOut();

      await v.logIn(family.email, family.password);
      await v.goto(requestPath.replace('/agent/demandes/', '/demandes/'));
      assert.match(await main(), /Le service attend votre réponse avant le jeudi 10 décembre 2026/);
      await page.getByLabel('Votre réponse', { exact: true }).fill('C\'est la seule photo que j\'ai : le quotient est 612 € depuis novembre.');
      await v.follow(() => page.getByRole('button', { name: 'Envoyer ma réponse', exact: true }).click());
      assert.match(await main(), /Votre réponse est envoyée/);
      await v.logOut();

      await v.logIn(agent.email, agent.password);
      await v.goto(requestPath);
      await v.follow(() => page.getByRole('link', { name: 'Voir l\'attestation et saisir le quotient', exact: true }).click());
      await page.getByLabel('Quotient familial (en euros)', { exact: true }).fill('612');
      await page.getByLabel('À partir du mois', { exact: true }).fill('2026-11');
      await page.getByLabel('Organisme', { exact: true }).selectOption({ label: 'CAF' });
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer le quotient', exact: true }).click());
      await v.follow(() => page.getByRole('button', { name: 'Accepter', exact: true }).click());
      assert.match(await main(), /1 demande acceptée/);
      await v.goto(`/agent/foyers/${family.householdId}`);
      assert.match(await main(), /612 €/);
      await v.logOut();
    } finally {
      await v.close();
    }
  });

  test('a parent declares a justified absence with a certificate and the day is marked justified', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Petit', { childFirstName: 'Jade' });
    const canteen = await aService(t.ctx);
    const now = t.ctx.clock.now().toISOString();
    const slotId = newId();
    const bookingId = newId();
    await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: canteen.unitId, group_id: canteen.groupId, day: '2026-11-26', capacity: null, taken: 1, waiting_seq: 0, waiting: 0, closed: 0 }).execute();
    await t.ctx.db
      .insertInto('bookings')
      .values({ id: bookingId, child_person_id: family.childId, household_id: family.householdId, service_id: canteen.serviceId, unit_id: canteen.unitId, slot_id: slotId, day: '2026-11-26', status: 'booked', waiting_rank: null, override: 0, attendance: 'absent_unjustified', attendance_at: now, attendance_by: null, absence_declared_at: null, created_at: now, updated_at: now })
      .execute();
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await phone();
    const { page } = v;
    try {
      await v.logIn(family.email, family.password);
      await v.goto('/demandes');
      await v.follow(() => page.getByRole('link', { name: 'Faire une demande', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Justifier une absence avec un certificat médical', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Photographier ou envoyer un certificat médical', exact: true }).click());
      await page.getByLabel('Ce document concerne', { exact: true }).selectOption({ label: 'Jade' });
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-11-26');
      await page.getByLabel('Le document', { exact: true }).setInputFiles({ name: 'certificat.pdf', mimeType: 'application/pdf', buffer: aPdf() });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      await page.getByLabel('Jade, jeudi 26 novembre 2026 : Restauration scolaire – Repas', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Absence justifiée de Jade le jeudi 26 novembre 2026/);
      const requestPath = v.path().replace('/demandes/', '/agent/demandes/');
      await v.logOut();

      await v.logIn(agent.email, agent.password);
      await v.goto(requestPath);
      await v.follow(() => page.getByRole('button', { name: 'Accepter', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /1 demande acceptée/);
      await v.logOut();
      const booking = await t.ctx.db.selectFrom('bookings').select('attendance').where('id', '=', bookingId).executeTakeFirstOrThrow();
      assert.equal(booking.attendance, 'absent_justified');
    } finally {
      await v.close();
    }
  });
  test('a parent enrols a child in the leisure centre, reuses a validated insurance and photographs the vaccinations; the agent validates them and accepts', async () => {
    const { t } = server;
    const family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Petit', { childFirstName: 'Jules' });
    const agent = await anAgent(t.ctx, ['enfance']);
    const centre = await aService(t.ctx, { kind: 'holiday' });
    const facilityName = (await t.ctx.db.selectFrom('facilities').select('name').where('id', '=', centre.facilityId).executeTakeFirstOrThrow()).name;
    for (const [code, subject] of [['assurance', 'household'], ['vaccinations', 'child']] as const) {
      const type = await t.ctx.db.selectFrom('document_types').select('id').where('code', '=', code).executeTakeFirstOrThrow();
      await t.ctx.db.insertInto('service_document_types').values({ service_id: centre.serviceId, document_type_id: type.id, subject, created_at: '2026-11-01T00:00:00.000Z' }).execute();
    }
    const v = await phone();
    const { page } = v;
    const main = () => page.locator('main').innerText();
    try {
      await v.logIn(family.email, family.password);
      // The insurance is already in the wallet, validated.
      await v.goto('/documents/ajouter');
      await page.getByLabel('Type de document', { exact: true }).selectOption({ label: 'Attestation d\'assurance' });
      await page.getByLabel('Ce document concerne', { exact: true }).selectOption({ label: 'Tout le foyer' });
      await page.getByLabel('Date écrite sur le document', { exact: true }).fill('2026-09-01');
      await page.getByLabel('Le document', { exact: true }).setInputFiles({ name: 'assurance.pdf', mimeType: 'application/pdf', buffer: aPdf() });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer le document', exact: true }).click());
      await t.ctx.db.updateTable('documents').set({ status: 'validated' }).where('household_id', '=', family.householdId).execute();

      await v.menu('Mes demandes');
      await v.follow(() => page.getByRole('link', { name: 'Inscrire un enfant à un service', exact: true }).click());
      await page.getByLabel('Jules Petit', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      await page.getByLabel('2026-2027', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      await page.getByLabel(`Centre de loisirs – vacances – ${facilityName}`, { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Les documents demandés pour inscrire Jules');

      // Continuing without them: the summary names the missing one.
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      assert.match(await main(), /Carnet de vaccinations : choisissez un de vos documents ou envoyez-en un/);
      await page.getByLabel('Date écrite sur le document (carnet de vaccinations)', { exact: true }).fill('2026-10-12');
      await page.getByLabel('Le document (carnet de vaccinations)', { exact: true }).setInputFiles({ name: 'IMG_4410.jpg', mimeType: 'image/jpeg', buffer: jpegWithGps() });
      await v.follow(() => page.getByRole('button', { name: 'Envoyer ce document : carnet de vaccinations', exact: true }).click());
      assert.match(await main(), /Le document est envoyé/);
      await page.getByLabel('Document du mardi 1er septembre 2026, pour tout le foyer – validé', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Vérifiez vos réponses');
      assert.match(await main(), /Carnet de vaccinations\s+Document du lundi 12 octobre 2026 \(à vérifier\)/);
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());
      const requestPath = v.path().replace('/inscriptions/confirmation/', '/agent/demandes/');
      await v.logOut();

      await v.logIn(agent.email, agent.password);
      await v.goto(requestPath);
      await v.follow(() => page.getByRole('button', { name: 'Accepter', exact: true }).click());
      assert.match(await main(), /ne sont pas toutes validées/);
      await v.follow(() => page.getByRole('link', { name: 'Voir et vérifier les pièces justificatives', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Vérifier carnet de vaccinations', exact: true }).click());
      await v.follow(() => page.getByRole('button', { name: 'Valider le document', exact: true }).click());
      await v.goto(requestPath);
      await v.follow(() => page.getByRole('button', { name: 'Accepter', exact: true }).click());
      assert.match(await main(), /1 demande acceptée/);
      v.assertEveryPageChecked();
      await v.logOut();
    } finally {
      await v.close();
    }
  });
});
