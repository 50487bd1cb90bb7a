import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { anAgent, TEST_PASSWORD } from '../support/builders.ts';
import { CHROMIUM_PATH, checkA11y, checkReflow, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { identityService } from '../../src/modules/identity/identity.service.ts';

// Browser journeys run on SQLite only: the database engine changes nothing in what the browser sees.
const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

const CODE = /[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('parcours navigateur des comptes, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite')]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A link of the running app found in an e-mail. */
  const linkIn = (text: string, path: string) => {
    const found = new RegExp(`${escape(server.baseUrl)}${escape(path)}\\S*`).exec(text)?.[0];
    return found ?? assert.fail(`Pas de lien ${server.baseUrl}${path} dans le courriel :\n${text}`);
  };

  test('public pages; an agent invites a guardian, who activates, forgets the password and logs in with a new one', async () => {
    const v = await Visitor.open(browser, server.baseUrl);
    const { page } = v;
    const field = (label: string) => page.getByLabel(label, { exact: true });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const link = (name: string) => page.getByRole('link', { name, exact: true });
    try {
      // The public pages, reached through the footer as a visitor would.
      await v.goto('/');
      const footer = page.getByRole('contentinfo');
      assert.ok(await footer.getByRole('link', { name: 'Accessibilité : partiellement conforme', exact: true }).isVisible());
      await v.follow(() => footer.getByRole('link', { name: 'Accessibilité : partiellement conforme', exact: true }).click());
      assert.equal(v.path(), '/accessibilite');
      await v.follow(() => footer.getByRole('link', { name: 'Plan du site', exact: true }).click());
      assert.equal(v.path(), '/plan-du-site');
      await v.follow(() => footer.getByRole('link', { name: 'Mentions légales', exact: true }).click());
      assert.equal(v.path(), '/mentions-legales');
      await v.follow(() => footer.getByRole('link', { name: 'Données personnelles', exact: true }).click());
      assert.equal(v.path(), '/donnees-personnelles');

      // A form sent empty: the error state is accessible too.
      await v.goto('/connexion');
      await v.follow(() => button('Se connecter').click());
      assert.match(await page.title(), /^Erreur : /);
      assert.ok(await page.getByRole('heading', { name: 'Il y a un problème' }).isVisible());
      assert.equal(await page.getByRole('alert').getByRole('link').first().textContent(), 'Saisissez une adresse électronique');
      // The summary takes the focus, so that a screen reader announces it.
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);

      // An admin agent invites a guardian.
      const admin = await anAgent(server.t.ctx, ['admin']);
      await field('Adresse électronique').fill(admin.email);
      await field('Mot de passe').fill(TEST_PASSWORD);
      await v.follow(() => button('Se connecter').click());
      assert.equal(v.path(), '/agent');
      await v.follow(() => link('Invitations').click());
      assert.equal(v.path(), '/agent/invitations');
      const email = 'lea.rousseau@exemple.fr';
      await field('Prénom').fill('Léa');
      await field('Nom').fill('Rousseau');
      await field('Adresse électronique (facultatif)').fill(email);
      await v.follow(() => button('Créer le compte et envoyer le code').click());
      assert.match(v.path(), /^\/agent\/invitations\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /le code d'activation part par courriel à lea\.rousseau@exemple\.fr/);

      // The outbox also holds the admin's own activation mail, written when the admin was created.
      assert.ok((await server.t.flushMail()) >= 1);
      const invitation = await server.smtp.waitFor(email, /code d'activation/);
      const code = CODE.exec(invitation.text)?.[0] ?? assert.fail('Pas de code dans le courriel');
      const activationLink = linkIn(invitation.text, '/activation');
      await v.follow(() => button('Se déconnecter').click());
      // The logout answer clears the site's data (Clear-Site-Data): its notice comes in the address.
      assert.equal(v.path(), '/connexion?au_revoir=1');
      assert.match(await page.locator('main').innerText(), /Vous êtes déconnecté/);

      // The guardian follows the e-mail.
      await v.goto(activationLink);
      await field("Saisissez votre code d'activation").fill(code);
      await v.follow(() => button('Continuer').click());
      assert.ok(await page.getByRole('heading', { name: 'Bonjour Léa, choisissez votre mot de passe' }).isVisible());
      await field('Mot de passe').fill('Cantine-Soleil-2026!');
      await v.follow(() => button('Activer mon compte').click());
      assert.equal(v.path(), '/famille');
      assert.match(await page.locator('main').innerText(), /Votre compte est activé/);
      await v.follow(() => button('Se déconnecter').click());
      // The logout answer clears the site's data (Clear-Site-Data): its notice comes in the address.
      assert.equal(v.path(), '/connexion?au_revoir=1');
      assert.match(await page.locator('main').innerText(), /Vous êtes déconnecté/);

      // Forgotten password, then a login with the new one.
      await v.follow(() => link('Mot de passe oublié ?').click());
      assert.equal(v.path(), '/mot-de-passe-oublie');
      await field('Adresse électronique').fill(email);
      await v.follow(() => button('Recevoir un lien').click());
      assert.ok(await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).isVisible());
      assert.equal(await server.t.flushMail(), 1);
      const reset = await server.smtp.waitFor(email, /nouveau mot de passe/);
      await v.goto(linkIn(reset.text, '/mot-de-passe/nouveau?jeton='));
      await field('Nouveau mot de passe').fill('Gouter-Piscine-2027?');
      await v.follow(() => button('Enregistrer le mot de passe').click());
      assert.equal(v.path(), '/connexion');
      assert.match(await page.locator('main').innerText(), /Votre mot de passe a été changé/);

      await field('Adresse électronique').fill(email);
      await field('Mot de passe').fill('Gouter-Piscine-2027?');
      await v.follow(() => button('Se connecter').click());
      assert.equal(v.path(), '/famille');
      assert.ok(await page.getByText('Léa Rousseau').first().isVisible());

      v.assertEveryPageChecked();
      assert.ok(v.checkedCount >= 18, `seulement ${v.checkedCount} pages contrôlées`);
    } finally {
      await v.close();
    }
  });

  test('without JavaScript, the activation and login forms still work', async () => {
    const email = 'sans.script@exemple.fr';
    const invited = await identityService(server.t.ctx).invite(null, { email, firstName: 'Nour', lastName: 'Benali' });
    assert.ok(invited.ok);
    const v = await Visitor.open(browser, server.baseUrl, { javaScriptEnabled: false });
    const { page } = v;
    const field = (label: string) => page.getByLabel(label, { exact: true });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    try {
      await v.goto('/activation');
      await field("Saisissez votre code d'activation").fill(invited.value.code);
      await v.follow(() => button('Continuer').click());
      await field('Mot de passe').fill('Cantine-Soleil-2026!');
      await v.follow(() => button('Activer mon compte').click());
      assert.equal(v.path(), '/famille');
      await v.follow(() => button('Se déconnecter').click());
      // The logout answer clears the site's data (Clear-Site-Data): its notice comes in the address.
      assert.equal(v.path(), '/connexion?au_revoir=1');
      assert.match(await page.locator('main').innerText(), /Vous êtes déconnecté/);

      // A wrong password shows the error, then the right one logs in.
      await field('Adresse électronique').fill(email);
      await field('Mot de passe').fill('pas-le-bon-mot-de-passe');
      await v.follow(() => button('Se connecter').click());
      assert.ok(await page.getByRole('heading', { name: 'Il y a un problème' }).isVisible());
      assert.equal(await field('Adresse électronique').inputValue(), email);
      await field('Mot de passe').fill('Cantine-Soleil-2026!');
      await v.follow(() => button('Se connecter').click());
      assert.equal(v.path(), '/famille');
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('at 320 px wide, pages reflow without horizontal scrolling (RGAA 10.11)', async () => {
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 320, height: 640 } });
    try {
      for (const path of ['/', '/connexion']) {
        await v.goto(path);
        const width = await v.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `${path} : ${width} px de large pour une fenêtre de 320 px`);
      }
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('the axe check does fail on an inaccessible page, with a readable list', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent('<html lang="fr"><head><title>Essai</title></head><body><main><p class="pale">Texte pâle</p><input name="x"></main></body></html>');
      await page.addStyleTag({ content: '.pale { color: #aaaaaa; background: #ffffff; }' });
      await assert.rejects(checkA11y(page), (err: Error) => {
        assert.match(err.message, /2 violations WCAG/);
        assert.match(err.message, /- color-contrast \(serious\)/);
        assert.match(err.message, /- label \(critical\) : Form elements must have labels/);
        assert.match(err.message, /· input/);
        return true;
      });
    } finally {
      await context.close();
    }
  });

  test('the reflow check does fail on a page wider than 320 px, naming the widest element', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    try {
      const page = await context.newPage();
      await page.setContent('<html lang="fr"><head><title>Essai</title></head><body><main><p>Court</p><pre class="mail">Un très long courriel sans retour à la ligne qui dépasse largement trois cent vingt pixels de large</pre></main></body></html>');
      await assert.rejects(checkReflow(page, 'essai'), (err: Error) => {
        assert.match(err.message, /Reflow : essai fait \d+ px de large à 320 px/);
        assert.match(err.message, /<pre\.mail> jusqu'à \d+ px « Un très long courriel/);
        return true;
      });
      assert.deepEqual(page.viewportSize(), { width: 1024, height: 700 }, 'the journey goes on at its own width');
      await page.addStyleTag({ content: 'pre { white-space: pre-wrap; overflow-wrap: anywhere; }' });
      await checkReflow(page, 'essai');
    } finally {
      await context.close();
    }
  });
});
