import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf, type Page } from '../../../test/support/client.ts';
import { aGuardian, anAgent } from '../../../test/support/builders.ts';
import type { AgentRole } from './auth-types.ts';
import { SESSION_COOKIE } from './web.ts';

// Private pages a visitor must log in to see (ids are random, hence unknown: the login comes first anyway).
const PRIVATE_PAGES = [
  '/famille',
  '/compte',
  '/agent',
  '/agent/invitations',
  '/agent/agents',
  '/agent/courriels',
  '/agent/journal',
  `/agent/invitations/${crypto.randomUUID()}`,
  `/agent/agents/${crypto.randomUUID()}`,
];
const AGENT_PAGES = [
  '/agent',
  '/agent/invitations',
  '/agent/agents',
  '/agent/courriels',
  '/agent/journal',
  `/agent/invitations/${crypto.randomUUID()}`,
  `/agent/agents/${crypto.randomUUID()}`,
  `/agent/courriels/${crypto.randomUUID()}`,
];
/** A form post with the client's cookies but without any CSRF field, as a forged cross-site form would send. */
async function postWithoutToken(app: FastifyInstance, client: TestClient, url: string, form: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const setCookies = (headers: Page['headers']): string[] => {
  const raw = headers['set-cookie'];
  return Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
};
const sessionCookieLine = (headers: Page['headers'], name = SESSION_COOKIE) => setCookies(headers).find((c) => c.startsWith(`${name}=`) && !/Expires=Thu, 01 Jan 1970/i.test(c));

for (const engine of testEngines()) {
  describe(`sécurité HTTP (${engine})`, () => {
    let t: TestApp;
    let admin: { id: string; email: string; password: string };
    let guardian: { id: string; email: string; password: string };
    const agents = {} as Record<AgentRole, { email: string; password: string }>;

    before(async () => {
      t = await createTestApp(engine);
      admin = await anAgent(t.ctx, ['admin']);
      guardian = await aGuardian(t.ctx);
      for (const role of ['enfance', 'animateur', 'restauration', 'regie'] as const) agents[role] = await anAgent(t.ctx, [role]);
    });
    after(() => t.close());

    const userByEmail = (email: string) => t.ctx.db.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
    const loggedIn = async (account: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(account.email, account.password);
      return client;
    };

    describe('CSRF', () => {
      test('a state change without token, with a wrong token or with another session\'s token is refused and changes nothing', async () => {
        const a = await loggedIn(admin);
        const other = await loggedIn(admin);
        await other.get('/agent/invitations');
        const othersToken = other.lastCsrf;
        await a.get('/agent/invitations');
        assert.notEqual(a.lastCsrf, othersToken);

        const forged = { first_name: 'Jean', last_name: 'Faussaire', email: 'jean.faussaire@exemple.fr' };
        const missing = await postWithoutToken(t.app, a, '/agent/invitations', forged);
        assert.equal(missing.statusCode, 403);
        assert.match(textOf(missing.body), /Cette page a expiré/);
        for (const token of ['', 'faux-jeton', othersToken, a.lastCsrf.slice(0, -1)]) {
          const res = await a.post('/agent/invitations', { ...forged, _csrf: token });
          assert.equal(res.status, 403, `jeton « ${token} » accepté`);
        }
        const fromHeader = await t.app.inject({
          method: 'POST',
          url: '/agent/invitations',
          payload: new URLSearchParams(forged).toString(),
          headers: { cookie: [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': othersToken },
        });
        assert.equal(fromHeader.statusCode, 403);

        assert.equal(await userByEmail(forged.email), undefined);
        const list = await a.get('/agent/invitations');
        assert.doesNotMatch(textOf(list.body), /Faussaire/);

        // With the page's own token, the very same form works: the refusals above were the token's doing.
        const real = await a.post('/agent/invitations', forged);
        assert.equal(real.status, 303);
        assert.ok(await userByEmail(forged.email));
      });

      test('the token shown before login stops working once logged in (it is bound to the session)', async () => {
        const visitor = new TestClient(t.app);
        await visitor.get('/connexion');
        const anonymousToken = visitor.lastCsrf;
        await visitor.post('/connexion', { email: admin.email, password: admin.password });
        const res = await visitor.post('/agent/invitations', { first_name: 'Paul', last_name: 'Ancien', email: 'paul.ancien@exemple.fr', _csrf: anonymousToken });
        assert.equal(res.status, 403);
        assert.equal(await userByEmail('paul.ancien@exemple.fr'), undefined);
      });

      test('a login form without token (or with another visitor\'s) opens no session', async () => {
        const visitor = new TestClient(t.app);
        await visitor.get('/connexion');
        const stranger = new TestClient(t.app);
        await stranger.get('/connexion');
        assert.notEqual(visitor.lastCsrf, stranger.lastCsrf);

        const missing = await postWithoutToken(t.app, visitor, '/connexion', { email: admin.email, password: admin.password });
        assert.equal(missing.statusCode, 403);
        assert.equal(sessionCookieLine(missing.headers as Page['headers']), undefined);
        const foreign = await visitor.post('/connexion', { email: admin.email, password: admin.password, _csrf: stranger.lastCsrf });
        assert.equal(foreign.status, 403);
        assert.equal(sessionCookieLine(foreign.headers), undefined);
        assert.equal(visitor.cookies.has(SESSION_COOKIE), false);
        assert.equal((await visitor.get('/agent')).status, 303);
      });

      test('no state change on GET: logging out needs a POST', async () => {
        const g = await loggedIn(guardian);
        const res = await g.get('/deconnexion');
        assert.equal(res.status, 404);
        assert.equal((await g.get('/famille')).status, 200);
      });
    });

    describe('pages privées', () => {
      test('a logged-out visitor is sent to the login page, which brings them back afterwards', async () => {
        const visitor = new TestClient(t.app);
        for (const path of PRIVATE_PAGES) {
          const res = await visitor.get(path);
          assert.equal(res.status, 303, path);
          const target = new URL(res.location!, 'http://localhost');
          assert.equal(target.pathname, '/connexion', path);
          assert.equal(target.searchParams.get('retour'), path);
          assert.doesNotMatch(res.body, /Numéro|Camille|Parent/);
        }
        // The form keeps the return path, and the login leads there.
        const back = await visitor.get(`/connexion?retour=${encodeURIComponent('/agent/journal')}`);
        assert.match(back.body, /name="retour" value="\/agent\/journal"/);
        const done = await visitor.post('/connexion', { email: admin.email, password: admin.password, retour: '/agent/journal' });
        assert.equal(done.location, '/agent/journal');
      });

      test('the return path never leads off the portal', async () => {
        const visitor = new TestClient(t.app);
        await visitor.get('/connexion');
        for (const retour of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
          const res = await visitor.post('/connexion', { email: guardian.email, password: guardian.password, retour });
          assert.equal(res.status, 303);
          assert.equal(res.location, '/tableau', retour);
          await visitor.post('/deconnexion');
          await visitor.get('/connexion');
        }
      });

      test('a guardian gets 403 on every back-office page, and cannot post there', async () => {
        const g = await loggedIn(guardian);
        for (const path of AGENT_PAGES) {
          const res = await g.get(path);
          assert.equal(res.status, 403, path);
          assert.match(textOf(res.body), /Accès refusé/);
        }
        await g.get('/famille');
        const post = await g.post('/agent/invitations', { first_name: 'Intrus', last_name: 'Famille', email: 'intrus.famille@exemple.fr' });
        assert.equal(post.status, 403);
        assert.equal(await userByEmail('intrus.famille@exemple.fr'), undefined);
        const agentPost = await g.post('/agent/agents', { first_name: 'Intrus', last_name: 'Agent', email: 'intrus.agent@exemple.fr', roles: 'admin' });
        assert.equal(agentPost.status, 403);
        assert.equal(await userByEmail('intrus.agent@exemple.fr'), undefined);
      });

      test('an enfance agent cannot manage agents, e-mails or the journal', async () => {
        const e = await loggedIn(agents.enfance);
        for (const path of ['/agent/agents', '/agent/courriels', '/agent/journal', `/agent/agents/${admin.id}`]) assert.equal((await e.get(path)).status, 403, path);
        assert.equal((await e.get('/agent/invitations')).status, 200);
        const post = await e.post('/agent/agents', { first_name: 'Nouvel', last_name: 'Admin', email: 'nouvel.admin@exemple.fr', roles: 'admin' });
        assert.equal(post.status, 403);
        assert.equal(await userByEmail('nouvel.admin@exemple.fr'), undefined);
        const promote = await e.post(`/agent/agents/${admin.id}`, { roles: 'enfance' });
        assert.equal(promote.status, 403);
        const row = await t.ctx.db.selectFrom('users').select('roles').where('id', '=', admin.id).executeTakeFirstOrThrow();
        assert.equal(row.roles, 'admin');
      });

      for (const role of ['animateur', 'restauration', 'regie'] as const) {
        test(`a ${role} agent cannot see nor create invitations`, async () => {
          const c = await loggedIn(agents[role]);
          assert.equal((await c.get('/agent')).status, 200);
          assert.equal((await c.get('/agent/invitations')).status, 403);
          assert.equal((await c.get(`/agent/invitations/${guardian.id}`)).status, 403);
          const post = await c.post('/agent/invitations', { first_name: 'Par', last_name: role, email: `par.${role}@exemple.fr` });
          assert.equal(post.status, 403);
          assert.equal(await userByEmail(`par.${role}@exemple.fr`), undefined);
        });
      }
    });

    describe('en-têtes et cookies', () => {
      test('pages carry a strict CSP and nosniff, and use no inline script or style', async () => {
        const g = await loggedIn(guardian);
        for (const path of ['/connexion', '/famille', '/introuvable']) {
          const client = path === '/connexion' ? new TestClient(t.app) : g;
          const res = await client.get(path);
          const csp = String(res.headers['content-security-policy']);
          assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
          assert.match(csp, /script-src 'self'/);
          assert.match(csp, /style-src 'self'/);
          assert.match(csp, /frame-ancestors 'none'/);
          assert.match(csp, /object-src 'none'/);
          assert.equal(res.headers['x-content-type-options'], 'nosniff');
          assert.equal(res.headers['cache-control'], 'no-store');
          // What the CSP forbids must not be needed by the page.
          assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/);
          assert.doesNotMatch(res.body, /<style|\sstyle=|\son[a-z]+=/i);
        }
      });

      test('the session cookie is HttpOnly and SameSite=Lax, without Secure over http', async () => {
        const visitor = new TestClient(t.app);
        await visitor.get('/connexion');
        const res = await visitor.post('/connexion', { email: guardian.email, password: guardian.password });
        const line = sessionCookieLine(res.headers);
        assert.ok(line, 'pas de cookie de session');
        assert.match(line, /;\s*HttpOnly/i);
        assert.match(line, /;\s*SameSite=Lax/i);
        assert.match(line, /;\s*Path=\//i);
        assert.doesNotMatch(line, /;\s*Secure/i);
        assert.equal(res.headers['strict-transport-security'], undefined);
      });

      test('behind https the cookies are Secure and HSTS is sent', async () => {
        // Cookie attributes do not depend on the engine: a second app on SQLite is enough.
        const https = await createTestApp('sqlite', { env: { PUBLIC_URL: 'https://portail.exemple.fr' } });
        try {
          const account = await aGuardian(https.ctx, 'https.parent@exemple.fr');
          const visitor = new TestClient(https.app);
          const page = await visitor.get('/connexion');
          const cookies = setCookies(page.headers);
          assert.ok(cookies.length > 0);
          assert.ok(cookies.every((c) => /;\s*Secure/i.test(c)), cookies.join('\n'));
          assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/);
          const res = await visitor.post('/connexion', { email: account.email, password: account.password });
          // Over HTTPS the session cookie carries the __Host- prefix (Secure, whole site, this host only).
          assert.match(sessionCookieLine(res.headers, `__Host-${SESSION_COOKIE}`) ?? '', /;\s*Secure/i);
        } finally {
          await https.close();
        }
      });
    });

    describe('sessions', () => {
      test('each login gets a new session id; a cookie planted before login is not kept', async () => {
        const visitor = new TestClient(t.app);
        visitor.cookies.set(SESSION_COOKIE, 'jeton-choisi-par-un-attaquant');
        await visitor.get('/connexion');
        await visitor.post('/connexion', { email: guardian.email, password: guardian.password });
        const first = visitor.cookies.get(SESSION_COOKIE);
        assert.ok(first);
        assert.notEqual(first, 'jeton-choisi-par-un-attaquant');

        await visitor.get('/compte');
        const again = await visitor.post('/connexion', { email: guardian.email, password: guardian.password });
        assert.equal(again.status, 303);
        const second = visitor.cookies.get(SESSION_COOKIE);
        assert.ok(second);
        assert.notEqual(second, first);
        assert.equal((await visitor.get('/famille')).status, 200);
      });

      test('the database holds only a hash of the session token', async () => {
        const g = await loggedIn(guardian);
        const token = g.cookies.get(SESSION_COOKIE)!;
        const found = await t.ctx.db.selectFrom('sessions').select('id').where('id', '=', token).executeTakeFirst();
        assert.equal(found, undefined);
        const hashed = crypto.createHash('sha256').update(token).digest('hex');
        assert.ok(await t.ctx.db.selectFrom('sessions').select('id').where('id', '=', hashed).executeTakeFirst());
      });

      test('logging out destroys the session on the server: the old cookie no longer works', async () => {
        const account = await aGuardian(t.ctx, 'deconnexion@exemple.fr');
        const g = await loggedIn(account);
        const token = g.cookies.get(SESSION_COOKIE)!;
        const hashed = crypto.createHash('sha256').update(token).digest('hex');
        assert.ok(await t.ctx.db.selectFrom('sessions').select('id').where('id', '=', hashed).executeTakeFirst());
        await g.get('/famille');
        const out = await g.post('/deconnexion');
        assert.equal(out.status, 303);
        assert.equal(g.cookies.has(SESSION_COOKIE), false);
        assert.equal(await t.ctx.db.selectFrom('sessions').select('id').where('id', '=', hashed).executeTakeFirst(), undefined);

        const replay = new TestClient(t.app);
        replay.cookies.set(SESSION_COOKIE, token);
        const res = await replay.get('/famille');
        assert.equal(res.status, 303);
        assert.match(res.location!, /^\/connexion/);
      });
    });
  });
}
