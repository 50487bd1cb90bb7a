import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, TEST_PASSWORD } from '../../../test/support/builders.ts';
import { identityService } from './identity.service.ts';
import { unseal } from '../../platform/security/secrets.ts';
import { OUTBOX_SEAL_PURPOSE } from '../../platform/mail/outbox.repository.ts';
import { DAY, HOUR, MINUTE } from '../../platform/clock/clock.ts';
import { CLEAR_SITE_DATA } from '../../platform/http/web.ts';

const CODE = /[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/;
const TOKEN = /jeton=([A-Za-z0-9_-]{20,})/;

for (const engine of testEngines()) {
  describe(`comptes : secrets, sessions, rôles, tentatives (${engine})`, () => {
    let t: TestApp;
    let admin: { id: string; email: string; password: string };
    const rawOutbox = async () => JSON.stringify(await t.ctx.db.selectFrom('outbox').selectAll().execute());
    const adminClient = async () => {
      const a = new TestClient(t.app);
      await a.login(admin.email, admin.password);
      return a;
    };

    before(async () => {
      t = await createTestApp(engine);
      admin = await anAgent(t.ctx, ['admin']);
    });
    after(() => t.close());

    describe('item 8: no code nor link token is ever stored readable', () => {
      test('an activation code: sealed before sending, wiped after; the sealed value is useless without the key', async () => {
        const invited = await identityService(t.ctx).invite(null, { email: 'zoe.secret@exemple.fr', firstName: 'Zoé', lastName: 'Lambert' });
        assert.ok(invited.ok);
        const code = invited.value.code;
        const before = await rawOutbox();
        assert.equal(before.includes(code), false, 'code readable in the outbox before sending');
        assert.equal(before.includes(code.replace('-', '')), false);
        const row = await t.ctx.db.selectFrom('outbox').select(['sealed_secret', 'text_body']).where('to_address', '=', 'zoe.secret@exemple.fr').executeTakeFirstOrThrow();
        assert.ok(row.sealed_secret);
        assert.equal(unseal('une-autre-cle-que-celle-du-portail-0123456789', OUTBOX_SEAL_PURPOSE, row.sealed_secret), null, 'a backup alone gives nothing back');
        await t.flushMail();
        const delivered = t.delivered.find((m) => m.to === 'zoe.secret@exemple.fr');
        assert.match(delivered!.text, new RegExp(code), 'the family receives its code');
        const after = await rawOutbox();
        assert.equal(after.includes(code), false, 'code readable in the outbox after sending');
        const sent = await t.ctx.db.selectFrom('outbox').select(['sealed_secret', 'status']).where('to_address', '=', 'zoe.secret@exemple.fr').executeTakeFirstOrThrow();
        assert.equal(sent.sealed_secret, null);
      });

      test('reset and confirmation links: the token never reaches the table', async () => {
        const visitor = new TestClient(t.app);
        await visitor.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: admin.email });
        await visitor.submit('/inscription', '/inscription', { first_name: 'Inès', last_name: 'Garcia', email: 'ines.jeton@exemple.fr', password: 'Soleil-Levant-2026' });
        assert.equal(/jeton=(?!\{\{secret\}\})/.test(await rawOutbox()), false);
        await t.flushMail();
        const tokens = t.delivered.map((m) => TOKEN.exec(m.text)?.[1]).filter((x): x is string => !!x);
        assert.ok(tokens.length >= 2);
        const raw = await rawOutbox();
        for (const token of tokens) assert.equal(raw.includes(token), false, 'token readable in the outbox');
      });

      test('« Courriels envoyés » shows a message without its secret, and each reading is audited for the family', async () => {
        const enfance = await agentAuth(t.ctx, ['enfance']);
        const family = await aFamily(t.ctx, enfance, 'Lecteur');
        // A reset requested by the admin for this family: logged under the admin's name.
        const user = await t.ctx.db.selectFrom('users').select('id').where('email', '=', family.email).executeTakeFirstOrThrow();
        const a = await adminClient();
        await a.get(`/agent/invitations/${user.id}`);
        const asked = await a.post(`/agent/invitations/${user.id}/reinitialiser`);
        assert.equal(asked.status, 303);
        const requested = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.reset_requested').where('target_id', '=', family.householdId).executeTakeFirstOrThrow();
        assert.equal(requested.actor_id, admin.id);
        await t.flushMail();
        const token = TOKEN.exec(t.delivered.filter((m) => m.to === family.email).at(-1)!.text)![1];
        const mail = await t.ctx.db.selectFrom('outbox').select('id').where('to_address', '=', family.email).where('kind', '=', 'password-reset').executeTakeFirstOrThrow();
        const page = await a.get(`/agent/courriels/${mail.id}`);
        assert.equal(page.status, 200);
        assert.equal(page.body.includes(token), false);
        assert.match(textOf(page.body), /code confidentiel/);
        const reads = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'mail.read').where('target_type', '=', 'household').where('target_id', '=', family.householdId).execute();
        assert.equal(reads.length, 1);
        assert.equal(reads[0].actor_id, admin.id);
        // The family sees it in its history.
        const g = new TestClient(t.app);
        await g.login(family.email, family.password);
        assert.match(textOf((await g.get('/famille/historique')).body), /Lecture du courriel/);
        // Its secret gone, the message cannot be sent again as is.
        await a.get(`/agent/courriels/${mail.id}`);
        const resent = await a.post(`/agent/courriels/${mail.id}/renvoyer`);
        assert.equal(resent.status, 303);
        assert.match(textOf((await a.get(`/agent/courriels/${mail.id}`)).body), /n'est plus conservé/);
      });

      test('at the counter (no SMTP), an admin generates a code shown once; audited; it opens the account', async () => {
        const invited = await identityService(t.ctx).invite(null, { firstName: 'Marcel', lastName: 'Guichet' });
        assert.ok(invited.ok);
        const a = await adminClient();
        await a.get(`/agent/invitations/${invited.value.userId}`);
        const shown = await a.post(`/agent/invitations/${invited.value.userId}/code-guichet`);
        assert.equal(shown.status, 200);
        assert.equal(shown.headers['cache-control'], 'no-store');
        const code = CODE.exec(textOf(shown.body))![0];
        assert.equal((await rawOutbox()).includes(code), false);
        const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.code_handed').where('target_id', '=', invited.value.userId).executeTakeFirstOrThrow();
        assert.equal(audit.actor_id, admin.id);
        // The older code stops working; the handed one works.
        assert.equal((await identityService(t.ctx).checkActivationCode(invited.value.code)).ok, false);
        const activated = await identityService(t.ctx).activate({ code, password: TEST_PASSWORD, email: 'marcel.guichet@exemple.fr' });
        assert.ok(activated.ok);
      });

      test('message bodies are emptied after the retention period', async () => {
        await identityService(t.ctx).invite(null, { email: 'vieux.message@exemple.fr', firstName: 'Paul', lastName: 'Ancien' });
        await t.flushMail();
        t.clock.advance(8 * DAY);
        try {
          await t.flushMail();
          const row = await t.ctx.db.selectFrom('outbox').select(['text_body', 'body_purged_at']).where('to_address', '=', 'vieux.message@exemple.fr').executeTakeFirstOrThrow();
          assert.equal(row.text_body, '');
          assert.ok(row.body_purged_at);
        } finally {
          t.clock.advance(-8 * DAY);
        }
      });
    });

    describe('item 9: a new password ends the other sessions, and the owner is told', () => {
      test('changing the password logs out the other devices, not this one; an e-mail without secret says so', async () => {
        const enfance = await agentAuth(t.ctx, ['enfance']);
        const family = await aFamily(t.ctx, enfance, 'Deuxappareils');
        const phone = new TestClient(t.app);
        const laptop = new TestClient(t.app);
        await phone.login(family.email, family.password);
        await laptop.login(family.email, family.password);
        await phone.get('/compte');
        const changed = await phone.post('/compte/mot-de-passe', { current_password: family.password, password: 'Nouveau-Secret-2026!' });
        assert.equal(changed.status, 303);
        assert.equal((await phone.get('/compte')).status, 200);
        const other = await laptop.get('/compte');
        assert.equal(other.status, 303);
        assert.match(other.location!, /^\/connexion/);
        await t.flushMail();
        const notice = t.delivered.filter((m) => m.to === family.email).at(-1)!;
        assert.match(notice.subject, /mot de passe a été changé/);
        assert.equal(/jeton=|[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}/.test(notice.text), false);
      });

      test('a reset by link ends every session; « Se déconnecter partout » too, with Clear-Site-Data', async () => {
        const enfance = await agentAuth(t.ctx, ['enfance']);
        const family = await aFamily(t.ctx, enfance, 'Partout');
        const a = new TestClient(t.app);
        const b = new TestClient(t.app);
        await a.login(family.email, family.password);
        await b.login(family.email, family.password);
        await a.get('/compte');
        const out = await a.post('/compte/deconnexion-partout');
        assert.equal(out.status, 303);
        assert.equal(out.headers['clear-site-data'], CLEAR_SITE_DATA);
        assert.match(textOf((await a.get(out.location!)).body), /déconnecté sur tous vos appareils/);
        assert.equal((await a.get('/compte')).status, 303);
        assert.equal((await b.get('/compte')).status, 303);

        await b.login(family.email, family.password);
        await new TestClient(t.app).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: family.email });
        await t.flushMail();
        const token = TOKEN.exec(t.delivered.filter((m) => m.to === family.email && /nouveau mot de passe/.test(m.subject)).at(-1)!.text)![1];
        const visitor = new TestClient(t.app);
        await visitor.get(`/mot-de-passe/nouveau?jeton=${token}`);
        assert.equal((await visitor.post('/mot-de-passe/nouveau', { jeton: token, password: 'Velo-Rouge-Matin-2026' })).status, 303);
        assert.equal((await b.get('/compte')).status, 303);
        await t.flushMail();
        assert.match(t.delivered.filter((m) => m.to === family.email).at(-1)!.subject, /mot de passe a été changé/);
      });
    });

    describe('item 10: roles come from the database at every request', () => {
      test('an enfance agent at the counter, reduced to restauration, loses the family\'s health page and export at once', async () => {
        const enfanceAuth = await agentAuth(t.ctx, ['enfance']);
        const family = await aFamily(t.ctx, enfanceAuth, 'Comptoir');
        const agent = await anAgent(t.ctx, ['enfance']);
        const e = new TestClient(t.app);
        await e.login(agent.email, agent.password);
        await e.get(`/agent/foyers/${family.householdId}`);
        assert.equal((await e.post(`/agent/foyers/${family.householdId}/accueil`)).status, 303);
        assert.equal((await e.get(`/famille/enfants/${family.childId}/sante`)).status, 200);

        const a = await adminClient();
        await a.get(`/agent/agents/${agent.id}`);
        assert.equal((await a.post(`/agent/agents/${agent.id}`, { roles: 'restauration' })).status, 303);
        for (const url of [`/famille/enfants/${family.childId}/sante`, '/famille/donnees.json', '/famille']) {
          const res = await e.get(url);
          assert.notEqual(res.status, 200, url);
        }
        const write = await e.post(`/famille/enfants/${family.childId}/sante`, { allergies: 'modifié' });
        assert.ok(write.status === 403 || (write.status === 303 && !write.location?.startsWith('/famille')), `${write.status} ${write.location}`);
        // Logged in again as restauration, counter mode is not there, even if the row said so.
        await e.login(agent.email, agent.password);
        const session = await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', agent.id).executeTakeFirstOrThrow();
        await t.ctx.db.updateTable('sessions').set({ acting_household_id: family.householdId }).where('id', '=', session.id).execute();
        const health = await e.get(`/famille/enfants/${family.childId}/sante`);
        assert.equal(health.status, 303);
        assert.equal(health.location, '/agent');
      });
    });

    describe('item 12: throttling counted in the database', () => {
      test('one password tried on 36 accounts from one address: refused before the end', async () => {
        const sprayer = new TestClient(t.app, '198.51.100.7');
        await sprayer.get('/connexion');
        const statuses: number[] = [];
        for (let i = 0; i < 36; i++) statuses.push((await sprayer.post('/connexion', { email: `victime${i}@exemple.fr`, password: 'Printemps2026!' })).status);
        assert.ok(statuses.includes(429), statuses.join(','));
        assert.equal(statuses.indexOf(429), 30);
        // Another address of the same network is not concerned.
        const neighbour = new TestClient(t.app, '198.51.100.8');
        await neighbour.login(admin.email, admin.password);
      });

      test('10 wrong passwords for one account from one address: the owner logs in from another address, and from that one after the delay', async () => {
        const victim = await anAgent(t.ctx, ['regie']);
        const attacker = new TestClient(t.app, '203.0.113.5');
        await attacker.get('/connexion');
        for (let i = 0; i < 10; i++) assert.equal((await attacker.post('/connexion', { email: victim.email, password: `Faux-${i}-essai!` })).status, 401);
        const blocked = await attacker.post('/connexion', { email: victim.email, password: victim.password });
        assert.equal(blocked.status, 429);
        assert.match(textOf(blocked.body), /Réessayez dans 15 minutes/);
        await new TestClient(t.app, '203.0.113.99').login(victim.email, victim.password);
        t.clock.advance(16 * MINUTE);
        try {
          await attacker.login(victim.email, victim.password);
        } finally {
          t.clock.advance(-16 * MINUTE);
        }
      });

      test('many addresses against one account: growing delays, never a permanent lock', async () => {
        const victim = await anAgent(t.ctx, ['regie']);
        for (let i = 0; i < 21; i++) {
          const c = new TestClient(t.app, `192.0.2.${i + 1}`);
          await c.submit('/connexion', '/connexion', { email: victim.email, password: `Faux-${i}-essai!` });
        }
        const owner = new TestClient(t.app, '192.0.2.200');
        const waiting = await owner.submit('/connexion', '/connexion', { email: victim.email, password: victim.password });
        assert.equal(waiting.status, 429);
        t.clock.advance(3000);
        await owner.login(victim.email, victim.password);
      });

      test('reset e-mails to one address are capped at 3 an hour, the answer unchanged', async () => {
        const target = await anAgent(t.ctx, ['regie']);
        await t.flushMail();
        const before = t.delivered.filter((m) => m.to === target.email).length;
        for (let i = 0; i < 5; i++) {
          const res = await new TestClient(t.app).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: target.email });
          assert.equal(res.status, 200);
        }
        await t.flushMail();
        assert.equal(t.delivered.filter((m) => m.to === target.email).length - before, 3);
      });
    });

    describe('items 19 and 20: typed routes, outcomes as codes', () => {
      test('malformed input to the account routes is a French 400 (or 404 for an id), never a 500', async () => {
        const visitor = new TestClient(t.app);
        await visitor.get('/connexion');
        assert.equal((await visitor.post('/connexion', { email: ['a@exemple.fr', 'b@exemple.fr'], password: 'x' })).status, 400);
        assert.equal((await visitor.post('/inscription', { first_name: 'x'.repeat(5000) })).status, 400);
        assert.equal((await visitor.get('/mot-de-passe/nouveau?jeton=a&jeton=b')).status, 400);
        assert.equal((await visitor.post('/activation/mot-de-passe', {})).status, 400);
        const a = await adminClient();
        assert.equal((await a.get('/agent/agents/pas-un-identifiant')).status, 404);
        assert.equal((await a.get('/agent/courriels/12')).status, 404);
        assert.equal((await a.get('/agent/invitations?page=zero')).status, 400);
        await a.get('/agent/agents');
        assert.equal((await a.post(`/agent/agents/${admin.id}`, { roles: Array.from({ length: 50 }, () => 'admin') })).status, 400);
      });

      test('services answer with codes from the closed set', async () => {
        const identity = identityService(t.ctx);
        const weak = await identity.signUp({ email: 'faible@exemple.fr', firstName: 'Ana', lastName: 'Faible', password: 'P@ssw0rd2026!' });
        assert.equal(!weak.ok && weak.code, 'password_common');
        const wrong = await identity.login(admin.email, 'pas-le-bon-du-tout', '10.9.9.9');
        assert.equal(!wrong.ok && wrong.code, 'bad_credentials');
        assert.equal(!wrong.ok && wrong.errors.email, 'Adresse électronique ou mot de passe incorrect');
        const unknown = await identity.checkActivationCode('ABCDE-FGHJK');
        assert.equal(!unknown.ok && unknown.code, 'code_unknown');
      });
    });

    describe('item 16: sessions', () => {
      test('a session ends after 12 hours however active; headers; logout clears the site data', async () => {
        const g = new TestClient(t.app);
        await g.login(admin.email, admin.password);
        const start = t.clock.now();
        try {
          for (let i = 0; i < 28; i++) {
            t.clock.advance(25 * MINUTE);
            const res = await g.get('/agent');
            assert.equal(res.status, 200, `after ${(i + 1) * 25} minutes`);
          }
          t.clock.set(new Date(start.getTime() + 12 * HOUR + MINUTE));
          const ended = await g.get('/agent');
          assert.equal(ended.status, 303);
        } finally {
          t.clock.set(start);
        }
        const page = await new TestClient(t.app).get('/connexion');
        assert.match(String(page.headers['permissions-policy']), /camera=\(\)/);
        const c = new TestClient(t.app);
        await c.login(admin.email, admin.password);
        await c.get('/agent');
        const out = await c.post('/deconnexion');
        assert.equal(out.headers['clear-site-data'], CLEAR_SITE_DATA);
        assert.match(textOf((await c.get(out.location!)).body), /Vous êtes déconnecté/);
      });
    });
  });
}

describe('item 16: over HTTPS every cookie carries the __Host- prefix', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { env: { PUBLIC_URL: 'https://portail.exemple.fr' } });
  });
  after(() => t.close());

  test('session, anonymous and flash cookies', async () => {
    const agent = await anAgent(t.ctx, ['admin']);
    const c = new TestClient(t.app);
    const page = await c.get('/connexion');
    const anon = ([] as string[]).concat(page.headers['set-cookie'] as string[] | string).join('\n');
    assert.match(anon, /^__Host-pf_anon=[^;]+;.*Path=\/;.*Secure/m);
    const login = await c.post('/connexion', { email: agent.email, password: agent.password });
    const cookies = ([] as string[]).concat(login.headers['set-cookie'] as string[] | string);
    const session = cookies.find((line) => line.startsWith('__Host-pf_session='));
    assert.ok(session, cookies.join('\n'));
    assert.match(session, /Secure/);
    assert.match(session, /Path=\//);
    assert.doesNotMatch(session, /Domain=/i);
    assert.equal((await c.get('/agent')).status, 200);
  });
});
