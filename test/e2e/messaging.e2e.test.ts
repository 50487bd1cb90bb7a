import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { agentAuth, anAgent } from '../support/builders.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { aMessagingTown } from '../support/messaging.ts';
import { processMessages } from '../../src/modules/messaging/messaging.worker.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * An agent writes to the canteen families of one school: chooses the audience, counts, sends; a parent
 * sees the unread count on a phone, reads; the agent sees it read; the parent switches deadline
 * reminders off. axe and the 320 px reflow check run on every page (Visitor).
 */
describe('messages ciblés : de l\'agent à la famille', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('target the canteen of one school, count, send; read on the portal; switch reminders off', async () => {
    const { t } = server;
    const w = await aMessagingTown(t.ctx, await agentAuth(t.ctx, ['enfance']));
    const who = await anAgent(t.ctx, ['enfance']);

    const agent = await Visitor.open(browser, server.baseUrl);
    try {
      await agent.logIn(who.email, who.password);
      await agent.goto('/agent/messages');
      await agent.follow(() => agent.page.getByRole('link', { name: 'Écrire un message', exact: true }).click());
      await agent.page.locator('summary', { hasText: 'Établissement' }).click();
      await agent.page.getByRole('checkbox', { name: 'École Jules-Ferry', exact: true }).check();
      await agent.page.locator('summary', { hasText: 'Service' }).click();
      await agent.page.getByRole('checkbox', { name: 'Restauration scolaire – École Jules-Ferry', exact: true }).check();
      await agent.follow(() => agent.page.getByRole('button', { name: 'Compter', exact: true }).click());
      assert.match(await agent.page.getByRole('status').innerText(), /2 foyers, 2 responsables/);
      await agent.page.getByLabel('Objet', { exact: true }).fill('Menu de Noël à la cantine');
      await agent.page.getByLabel('Message', { exact: true }).fill('Le repas de Noël est servi jeudi 17 décembre.\n\nLe menu : https://exemple.fr/menu');
      await agent.follow(() => agent.page.getByRole('button', { name: 'Envoyer à 2 responsables', exact: true }).click());
      assert.match(agent.path(), /^\/agent\/messages\/[0-9a-f-]{36}$/);
      const messagePath = agent.path();
      assert.match(await agent.page.locator('main').innerText(), /Message envoyé à 2 responsables/);

      // The kitchen's menu of the week, shown on the families' home page.
      await agent.goto('/agent/actualites');
      await agent.page.getByRole('radio', { name: 'Menu', exact: true }).check();
      await agent.page.getByLabel('Titre', { exact: true }).fill('Semaine du 30 novembre');
      await agent.page.getByLabel('Texte', { exact: true }).fill('Lundi : carottes râpées, poisson, riz.');
      await agent.page.getByLabel('Affiché à partir du', { exact: true }).fill('2026-11-28');
      await agent.page.getByLabel('Jusqu\'au (inclus)', { exact: true }).fill('2026-12-04');
      await agent.follow(() => agent.page.getByRole('button', { name: 'Publier', exact: true }).click());
      assert.match(await agent.page.locator('main').innerText(), /« Semaine du 30 novembre » est publié/);

      await processMessages({ db: t.ctx.db, clock: t.clock, publicUrl: server.baseUrl, townName: t.ctx.config.town.name, secretKey: t.ctx.config.secretKey });
      await t.flushMail();
      await server.smtp.waitFor(w.a.email, /^Menu de Noël à la cantine/);

      const parent = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
      try {
        await parent.logIn(w.a.email, w.a.password);
        assert.equal(parent.path(), '/famille');
        assert.match(await parent.page.locator('main').innerText(), /Menu : Semaine du 30 novembre/);
        await parent.follow(() => parent.page.getByRole('link', { name: 'Messages : 1 non lu', exact: true }).click());
        assert.match(await parent.page.locator('main').innerText(), /Non lu/);
        await parent.follow(() => parent.page.getByRole('link', { name: 'Menu de Noël à la cantine', exact: true }).click());
        assert.match(await parent.page.locator('main').innerText(), /Le repas de Noël est servi jeudi 17 décembre\./);
        assert.ok(await parent.page.getByRole('link', { name: 'https://exemple.fr/menu', exact: true }).isVisible());

        await agent.goto(messagePath);
        assert.match(await agent.page.locator('main').innerText(), /Lu sur le portail\s+1 responsable/);

        await parent.goto('/messages');
        await parent.follow(() => parent.page.getByRole('link', { name: 'Choisir les courriels que vous recevez', exact: true }).click());
        await parent.page.getByRole('checkbox', { name: /^Rappel deux jours avant la fin des réservations/ }).uncheck();
        await parent.follow(() => parent.page.getByRole('button', { name: 'Enregistrer mes choix', exact: true }).click());
        assert.match(await parent.page.locator('main').innerText(), /Vos choix sont enregistrés/);
        assert.equal(await parent.page.getByRole('checkbox', { name: /^Rappel deux jours avant la fin des réservations/ }).isChecked(), false);
        parent.assertEveryPageChecked();
      } finally {
        await parent.close();
      }
      agent.assertEveryPageChecked();
    } finally {
      await agent.close();
    }
  });
  test('an admin rewrites the deadline reminder: a wrong placeholder is explained, the preview shows the text, saved', async () => {
    const { t } = server;
    const who = await anAgent(t.ctx, ['admin']);
    const admin = await Visitor.open(browser, server.baseUrl);
    try {
      await admin.logIn(who.email, who.password);
      await admin.goto('/agent/notifications');
      await admin.follow(() => admin.page.getByRole('link', { name: 'Rappel avant la fin des réservations', exact: true }).click());
      assert.equal(admin.path(), '/agent/notifications/deadline_reminder');
      await admin.page.getByLabel('Objet du courriel', { exact: true }).fill('Vacances : réservez avant le {{date_limite}}');
      await admin.page.getByLabel('Texte', { exact: true }).fill('Bonjour {{prenom}}, les réservations de {{service}} se terminent le {{date_limite}}.\n\nRéserver : {{lien}}');
      await admin.follow(() => admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click());
      assert.match(await admin.page.locator('main').innerText(), /Ces champs n'existent pas pour cette notification : \{\{prenom\}\}\./);
      await admin.page.getByLabel('Texte', { exact: true }).fill('Les réservations de {{service}} se terminent le {{date_limite}}.\n\nRéserver : {{lien}}');
      await admin.follow(() => admin.page.getByRole('button', { name: 'Voir l\'aperçu', exact: true }).click());
      assert.match(await admin.page.locator('main').innerText(), /Les réservations de Accueil de loisirs des Tilleuls se terminent le jeudi 4 février à 12 h\./);
      await admin.page.getByRole('radio', { name: 'Non, l\'arrêter', exact: true }).check();
      await admin.follow(() => admin.page.getByRole('button', { name: 'Enregistrer', exact: true }).click());
      assert.match(await admin.page.locator('main').innerText(), /« Rappel avant la fin des réservations » est enregistrée/);
      await admin.goto('/agent/notifications');
      assert.match(await admin.page.locator('main').innerText(), /Rappel avant la fin des réservations\s+Arrêtée\s+Personnalisé/);
      admin.assertEveryPageChecked();
    } finally {
      await admin.close();
    }
  });
});
