import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { anAgent, TEST_PASSWORD } from '../../../test/support/builders.ts';
import { DAY, MINUTE } from '../../platform/clock/clock.ts';

const codeIn = (text: string) => /([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})/.exec(text)?.[1] ?? assert.fail('pas de code dans le courriel');
const linkIn = (text: string, path: string) => new RegExp(`http://localhost:3000(${path}\\S+)`).exec(text)?.[1] ?? assert.fail(`pas de lien ${path}`);

for (const engine of testEngines()) {
  describe(`comptes et codes d'activation (${engine})`, () => {
    let t: TestApp;
    let smtp: TestSmtp;
    let admin: { id: string; email: string; password: string };

    before(async () => {
      smtp = await startTestSmtp();
      t = await createTestApp(engine, { smtpUrl: smtp.url });
      admin = await anAgent(t.ctx, ['admin']);
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    async function invite(agent: TestClient, email: string, firstName = 'Léa') {
      const res = await agent.submit('/agent/invitations', '/agent/invitations', { first_name: firstName, last_name: 'Rousseau', email });
      assert.equal(res.status, 303, textOf(res.body));
      await t.flushMail();
      return smtp.waitFor(email, /code d'activation/);
    }

    test('an agent invites a guardian, who activates with the e-mailed code, once', async () => {
      const agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      const mail = await invite(agent, 'lea.rousseau@exemple.fr');
      assert.match(mail.text, /Bonjour Léa/);
      const code = codeIn(mail.text);

      const parent = new TestClient(t.app);
      const step1 = await parent.submit('/activation', '/activation', { code: code.toLowerCase().replace('-', ' ') });
      assert.equal(step1.status, 200);
      assert.match(textOf(step1.body), /Bonjour Léa, choisissez votre mot de passe/);
      const weak = await parent.post('/activation/mot-de-passe', { code, password: 'court' });
      assert.equal(weak.status, 400);
      assert.match(textOf(weak.body), /trop facile à deviner/);
      const done = await parent.post('/activation/mot-de-passe', { code, password: TEST_PASSWORD });
      assert.equal(done.status, 303);
      const home = await parent.get('/famille');
      assert.equal(home.status, 200);
      assert.match(textOf(home.body), /Votre compte est activé/);

      // The same code a second time is refused, and the password stays what was chosen.
      const again = new TestClient(t.app);
      const reuse = await again.submit('/activation', '/activation', { code });
      assert.equal(reuse.status, 400);
      assert.match(textOf(reuse.body), /déjà été utilisé/);
      const forced = await again.post('/activation/mot-de-passe', { code, password: 'Autre-Mot-De-Passe-99' });
      assert.equal(forced.status, 400);
      await new TestClient(t.app).login('lea.rousseau@exemple.fr', TEST_PASSWORD);
    });

    test('an expired code is refused; a new code replaces the old one', async () => {
      const agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      const mail = await invite(agent, 'tom.petit@exemple.fr', 'Tom');
      const oldCode = codeIn(mail.text);
      t.clock.advance(31 * DAY);
      const parent = new TestClient(t.app);
      const expired = await parent.submit('/activation', '/activation', { code: oldCode });
      assert.equal(expired.status, 400);
      assert.match(textOf(expired.body), /a expiré/);

      await agent.login(admin.email, admin.password);
      const list = await agent.get('/agent/invitations');
      const id = /\/agent\/invitations\/([0-9a-f-]{36})">Tom Rousseau/.exec(list.body)?.[1];
      assert.ok(id);
      const resent = await agent.post(`/agent/invitations/${id}/renvoyer`);
      assert.equal(resent.status, 303);
      await t.flushMail();
      const second = smtp.mails.filter((m) => m.to.includes('tom.petit@exemple.fr')).at(-1)!;
      const newCode = codeIn(second.text);
      assert.notEqual(newCode, oldCode);
      assert.equal((await parent.submit('/activation', '/activation', { code: newCode })).status, 200);
      t.clock.advance(-31 * DAY);
    });

    test('a wrong password is refused, and repeated attempts are rate limited', async () => {
      const visitor = new TestClient(t.app);
      const wrong = await visitor.submit('/connexion', '/connexion', { email: admin.email, password: 'pas-le-bon' });
      assert.equal(wrong.status, 401);
      assert.match(textOf(wrong.body), /Adresse électronique ou mot de passe incorrect/);
      assert.match(wrong.body, /<title>Erreur : Se connecter/);
      // Unknown addresses get the very same message.
      const unknown = await visitor.post('/connexion', { email: 'personne@exemple.fr', password: 'pas-le-bon' });
      assert.match(textOf(unknown.body), /Adresse électronique ou mot de passe incorrect/);
      let last = 0;
      for (let i = 0; i < 12; i++) last = (await visitor.post('/connexion', { email: admin.email, password: `faux-${i}` })).status;
      assert.equal(last, 429);
      const blocked = await visitor.post('/connexion', { email: admin.email, password: admin.password });
      assert.equal(blocked.status, 429);
      assert.match(textOf(blocked.body), /Trop de tentatives/);
    });

    test('the reset form answers the same for known and unknown addresses; the link works once', async () => {
      const visitor = new TestClient(t.app);
      const known = await visitor.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: 'lea.rousseau@exemple.fr' });
      const unknown = await visitor.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: 'inconnu@exemple.fr' });
      assert.equal(known.status, unknown.status);
      assert.equal(textOf(known.body).replace('lea.rousseau@exemple.fr', 'X'), textOf(unknown.body).replace('inconnu@exemple.fr', 'X'));
      await t.flushMail();
      const mail = await smtp.waitFor('lea.rousseau@exemple.fr', /nouveau mot de passe/);
      assert.equal(smtp.mails.some((m) => m.to.includes('inconnu@exemple.fr')), false);
      const link = linkIn(mail.text, '/mot-de-passe/nouveau');
      assert.equal((await visitor.get(link)).status, 200);
      const done = await visitor.post('/mot-de-passe/nouveau', { jeton: new URL(link, 'http://x').searchParams.get('jeton')!, password: 'Nouveau-Secret-2026!' });
      assert.equal(done.status, 303);
      assert.equal((await visitor.get(link)).status, 400);
      await new TestClient(t.app).login('lea.rousseau@exemple.fr', 'Nouveau-Secret-2026!');
      const old = await new TestClient(t.app).submit('/connexion', '/connexion', { email: 'lea.rousseau@exemple.fr', password: TEST_PASSWORD });
      assert.equal(old.status, 401);
    });

    test('a reset link expires after two hours', async () => {
      const visitor = new TestClient(t.app);
      await visitor.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: admin.email });
      await t.flushMail();
      const link = linkIn((await smtp.waitFor(admin.email, /nouveau mot de passe/)).text, '/mot-de-passe/nouveau');
      t.clock.advance(2 * 60 * MINUTE + 1000);
      assert.equal((await visitor.get(link)).status, 400);
    });

    test('self sign-up: confirm by link, then wait for a household; the same address twice reveals nothing', async () => {
      const visitor = new TestClient(t.app);
      const res = await visitor.submit('/inscription', '/inscription', { first_name: 'Inès', last_name: 'Garcia', email: 'ines.garcia@exemple.fr', password: 'Soleil-Levant-2026' });
      assert.equal(res.status, 200);
      assert.match(textOf(res.body), /Vérifiez votre messagerie/);
      const notYet = await new TestClient(t.app).submit('/connexion', '/connexion', { email: 'ines.garcia@exemple.fr', password: 'Soleil-Levant-2026' });
      assert.match(textOf(notYet.body), /Confirmez d'abord votre adresse/);
      await t.flushMail();
      const link = linkIn((await smtp.waitFor('ines.garcia@exemple.fr', /Confirmez/)).text, '/inscription/confirmer');
      assert.match(textOf((await visitor.get(link)).body), /Adresse confirmée/);
      assert.equal((await visitor.get(link)).status, 400);
      await visitor.login('ines.garcia@exemple.fr', 'Soleil-Levant-2026');
      assert.match(textOf((await visitor.get('/famille')).body), /en attente de rattachement/);

      const twice = await new TestClient(t.app).submit('/inscription', '/inscription', { first_name: 'X', last_name: 'Y', email: 'ines.garcia@exemple.fr', password: 'Autre-Phrase-Secrete-1' });
      assert.equal(twice.status, 200);
      assert.match(textOf(twice.body), /Vérifiez votre messagerie/);
      await t.flushMail();
      await smtp.waitFor('ines.garcia@exemple.fr', /déjà un compte/);
    });

    test('a guardian without e-mail gets a printable PDF letter; the code works with the address they choose', async () => {
      const agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      const created = await agent.submit('/agent/invitations', '/agent/invitations', { first_name: 'Marcel', last_name: 'Lenoir', email: '' });
      assert.equal(created.status, 303);
      const page = await agent.get(created.location!);
      assert.match(textOf(page.body), /Imprimer la lettre/);
      const pdf = await agent.post(`${created.location}/lettre`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(pdf.body.slice(0, 5), /%PDF-/);
    });

    test('after the idle timeout the session ends and the login page says why', async () => {
      const agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      assert.equal((await agent.get('/agent')).status, 200);
      t.clock.advance(29 * MINUTE);
      assert.equal((await agent.get('/agent')).status, 200); // activity slides the expiry
      t.clock.advance(31 * MINUTE);
      const expired = await agent.get('/agent');
      assert.equal(expired.status, 303);
      assert.match(expired.location!, /^\/connexion/);
      assert.match(textOf((await agent.get(expired.location!)).body), /Session terminée/);
    });

    test('an admin manages agents; the last admin cannot lose the role; an enfance agent cannot open the page', async () => {
      const enfance = await anAgent(t.ctx, ['enfance']);
      const e = new TestClient(t.app);
      await e.login(enfance.email, enfance.password);
      assert.equal((await e.get('/agent/agents')).status, 403);
      assert.equal((await e.get('/agent/courriels')).status, 403);
      assert.equal((await e.get('/agent/journal')).status, 403);
      assert.equal((await e.get('/agent/invitations')).status, 200);

      const a = new TestClient(t.app);
      await a.login(admin.email, admin.password);
      const list = await a.get('/agent/agents');
      assert.equal(list.status, 200);
      const adminId = admin.id;
      const demote = await a.submit(`/agent/agents/${adminId}`, `/agent/agents/${adminId}`, { roles: 'enfance' });
      assert.equal(demote.status, 400);
      assert.match(textOf(demote.body), /au moins un administrateur/);

      const added = await a.submit('/agent/agents', '/agent/agents', { first_name: 'Nadia', last_name: 'Roux', email: 'nadia.roux@mairie.fr', roles: ['regie', 'animateur'] });
      assert.equal(added.status, 303);
      await t.flushMail();
      await smtp.waitFor('nadia.roux@mairie.fr', /code d'activation/);
      const journal = await a.get('/agent/journal');
      assert.match(textOf(journal.body), /Compte créé pour Nadia Roux/);
    });
  });
}
