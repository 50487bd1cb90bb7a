import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent, TEST_PASSWORD } from '../support/builders.ts';
import { insertSchoolListItem } from '../../src/modules/households/households.repository.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';
const CODE = /[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/;

describe('parcours navigateur des familles et du back office, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite')]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a guardian asks to add a child and updates an allergy; an agent validates the new child', async () => {
    const { t } = server;
    const auth = await agentAuth(t.ctx, ['enfance']);
    const family = await aFamily(t.ctx, auth, 'Lefèvre', { childFirstName: 'Éloïse' });
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    const { page } = v;
    try {
      await v.logIn(family.email, family.password);
      assert.equal(v.path(), '/famille');
      await v.follow(() => page.getByRole('link', { name: 'Ajouter un enfant', exact: true }).first().click());
      // A mistake first: the error summary and the title say so.
      await page.getByLabel('Nom de l\'enfant', { exact: true }).fill('Lefèvre');
      await v.follow(() => page.getByRole('button', { name: 'Envoyer à la mairie', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      assert.ok(await page.getByRole('heading', { name: 'Il y a un problème' }).isVisible());
      await page.getByLabel('Prénom de l\'enfant', { exact: true }).fill('Jules');
      await page.getByLabel('Jour', { exact: true }).fill('12');
      await page.getByLabel('Mois', { exact: true }).fill('6');
      await page.getByLabel('Année', { exact: true }).fill('2020');
      await page.getByLabel('Garçon', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Envoyer à la mairie', exact: true }).click());
      assert.equal(v.path(), '/famille');
      assert.match(await page.locator('main').innerText(), /en attente de validation/);

      await v.follow(() => page.getByRole('link', { name: 'Éloïse Lefèvre', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: /Modifier la santé et le régime/ }).click());
      await page.getByLabel('Allergies', { exact: true }).fill('Kiwi');
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Kiwi/);
      await v.logOut();

      await v.logIn(agent.email, agent.password);
      await v.menu('À valider');
      await v.follow(() => page.getByRole('button', { name: /Valider : Nouvel enfant : Jules Lefèvre/ }).click());
      assert.match(await page.locator('main').innerText(), /validée et appliquée/);
      await v.logOut();

      await v.logIn(family.email, family.password);
      assert.ok(await page.getByRole('link', { name: 'Jules Lefèvre', exact: true }).isVisible());
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('an agent imports the example CSV (dry run, then for real), sends the activation campaign, and a guardian activates from the e-mail', async () => {
    const { t, smtp } = server;
    const admin = await anAgent(t.ctx, ['admin']);
    // The town's lists of schools and classes, which the import checks each line against.
    for (const [i, s] of ['École Jules-Ferry', 'École Marie-Curie'].entries()) await insertSchoolListItem(t.ctx.db, 'school', s, i);
    for (const [i, c] of ['Moyenne section', 'CP', 'CE1', 'CE2', 'CM1'].entries()) await insertSchoolListItem(t.ctx.db, 'class_level', c, i);
    const v = await Visitor.open(browser, server.baseUrl);
    const { page } = v;
    try {
      await v.logIn(admin.email, admin.password);
      await v.menu('Import');
      await page.locator('input[type="file"]').setInputFiles(path.resolve('docs/exemple-import.csv'));
      await v.follow(() => page.getByRole('button', { name: 'Vérifier le fichier', exact: true }).click());
      // No line rejected: the dry run offers the real import.
      assert.ok(await page.getByRole('button', { name: 'Importer pour de bon', exact: true }).isVisible());
      await v.follow(() => page.getByRole('button', { name: 'Importer pour de bon', exact: true }).click());
      assert.equal(await t.ctx.db.selectFrom('households').select('id').where('external_ref', 'is not', null).execute().then((r) => r.length > 0), true);

      await v.goto('/agent/campagnes');
      await v.follow(() => page.getByRole('button', { name: 'Lancer une campagne d\'activation', exact: true }).click());
      // Codes of earlier test families (already used) may be queued too: only the campaign's mails count.
      const campaignRecipients = new Set((await t.ctx.db.selectFrom('campaign_recipients').innerJoin('users', 'users.id', 'campaign_recipients.user_id').select('users.email').execute()).map((r) => r.email));
      await t.flushMail();
      const sent = smtp.mails.filter((m) => /code d'activation/.test(m.subject) && [...campaignRecipients].some((e) => e && m.to.includes(e)));
      assert.ok(sent.length > 0, 'au moins un courriel d\'activation');
      const mail = sent[0];
      const code = CODE.exec(mail.text)?.[0] ?? assert.fail('pas de code');
      const to = /<?([^<>\s]+@[^<>\s]+)>?/.exec(mail.to)?.[1] ?? assert.fail('pas de destinataire');
      await v.logOut();

      await v.goto('/activation');
      await page.getByLabel('Saisissez votre code d\'activation', { exact: true }).fill(code);
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
      await v.follow(() => page.getByRole('button', { name: 'Activer mon compte', exact: true }).click());
      assert.equal(v.path(), '/famille');
      assert.match(await page.locator('main').innerText(), /Vos enfants/);
      const user = await t.ctx.db.selectFrom('users').select('status').where('email', '=', to.toLowerCase()).executeTakeFirstOrThrow();
      assert.equal(user.status, 'active');
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('at the counter an agent acts for a family; the family sees it in its history', async () => {
    const { t } = server;
    const auth = await agentAuth(t.ctx, ['enfance']);
    const family = await aFamily(t.ctx, auth, 'Nguyen', { childFirstName: 'Minh' });
    const agent = await anAgent(t.ctx, ['enfance']);
    const v = await Visitor.open(browser, server.baseUrl);
    const { page } = v;
    try {
      await v.logIn(agent.email, agent.password);
      await v.menu('Familles');
      await page.getByLabel('Rechercher un foyer', { exact: true }).fill('minh');
      await v.follow(() => page.getByRole('button', { name: 'Rechercher', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Foyer Nguyen', exact: true }).click());
      await v.follow(() => page.getByRole('button', { name: 'Agir pour cette famille (mode accueil)', exact: true }).click());
      assert.ok(await page.getByRole('region', { name: 'Mode accueil' }).isVisible());
      await v.follow(() => page.getByRole('link', { name: 'Minh Nguyen', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Ajouter une personne autorisée', exact: true }).click());
      await page.getByLabel('Prénom et nom', { exact: true }).fill('Thi Nguyen');
      await page.getByLabel('Lien avec l\'enfant', { exact: true }).selectOption('Grand-parent');
      await page.getByLabel('Téléphone', { exact: true }).fill('06 11 22 33 44');
      await v.follow(() => page.getByRole('button', { name: 'Ajouter', exact: true }).click());
      await v.follow(() => page.getByRole('button', { name: 'Quitter le mode accueil', exact: true }).click());
      assert.match(v.path(), /^\/agent\/foyers\//);
      await v.logOut();

      await v.logIn(family.email, family.password);
      await v.menu('Historique');
      assert.match(await page.locator('main').innerText(), /Nouvelle personne autorisée pour [^:]+ : Thi Nguyen[\s\S]*à l'accueil de la mairie/);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
