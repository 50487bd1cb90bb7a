import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aGuardian, anAgent } from '../../../test/support/builders.ts';
import type { AgentRole } from './auth-types.ts';

const THROWN_DETAIL = 'SELECT password_hash FROM users -- détail interne';

/** Everything that would betray the insides of the server on an error page. */
function assertNoLeak(body: string) {
  assert.doesNotMatch(body, /\bat [\w.<>]+ \(|node_modules|\.tsx?:\d+|stack|SQLITE|syntax error/i);
  assert.ok(!body.includes(THROWN_DETAIL));
}

for (const engine of testEngines()) {
  describe(`sécurité HTTP : pages d'erreur et ressources (${engine})`, () => {
    let t: TestApp;
    let admin: { id: string; email: string; password: string };
    let guardian: { id: string; email: string; password: string };
    const agents = {} as Record<AgentRole, { email: string; password: string }>;

    before(async () => {
      t = await createTestApp(engine, {
        beforeReady: (app) => {
          app.get('/essai/panne', () => {
            throw new Error(THROWN_DETAIL);
          });
        },
      });
      admin = await anAgent(t.ctx, ['admin']);
      guardian = await aGuardian(t.ctx);
      for (const role of ['enfance', 'animateur', 'restauration', 'regie'] as const) agents[role] = await anAgent(t.ctx, [role]);
    });
    after(() => t.close());

    const loggedIn = async (account: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(account.email, account.password);
      return client;
    };

    describe('pages d\'erreur', () => {
      test('an unknown address gets a French 404 that reveals nothing', async () => {
        const res = await new TestClient(t.app).get('/cette-page-n-existe-pas?x=<script>');
        assert.equal(res.status, 404);
        assert.match(res.body, /<html lang="fr"/);
        assert.match(textOf(res.body), /Page introuvable/);
        assert.match(textOf(res.body), /vérifiez qu'elle est correcte/);
        assert.ok(!res.body.includes('<script>'));
        assertNoLeak(res.body);
      });

      test('unknown ids and malformed ids both answer 404', async () => {
        const a = await loggedIn(admin);
        const paths = [
          `/agent/invitations/${crypto.randomUUID()}`,
          '/agent/invitations/pas-un-identifiant',
          `/agent/agents/${crypto.randomUUID()}`,
          "/agent/agents/1' OR '1'='1",
          `/agent/courriels/${crypto.randomUUID()}`,
          '/agent/courriels/123',
          // A guardian's id is not an agent's, and an agent's is not an invitation.
          `/agent/agents/${guardian.id}`,
          `/agent/invitations/${admin.id}`,
        ];
        for (const path of paths) {
          const res = await a.get(path);
          assert.equal(res.status, 404, path);
          assert.match(textOf(res.body), /Page introuvable/);
          assertNoLeak(res.body);
        }
        await a.get('/agent');
        for (const path of [`/agent/courriels/${crypto.randomUUID()}/renvoyer`, '/agent/courriels/zzz/renvoyer', '/agent/invitations/zzz/renvoyer']) {
          assert.equal((await a.post(path)).status, 404, path);
        }
      });

      test('a server error gets a French 500 page without any detail', async () => {
        const res = await new TestClient(t.app).get('/essai/panne');
        assert.equal(res.status, 500);
        assert.match(res.body, /<html lang="fr"/);
        assert.match(textOf(res.body), /Désolé, le service rencontre un problème/);
        assertNoLeak(res.body);
        assert.doesNotMatch(res.body, /Error/);
      });

      test('a malformed request body gets a French 400 page without the parser\'s message', async () => {
        const visitor = new TestClient(t.app);
        await visitor.get('/connexion');
        const res = await t.app.inject({
          method: 'POST',
          url: '/connexion',
          payload: '{"email": ',
          headers: { cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json' },
        });
        assert.equal(res.statusCode, 400);
        assert.match(textOf(res.body), /La demande n'a pas pu être comprise/);
        assertNoLeak(res.body);
        assert.doesNotMatch(res.body, /JSON|Unexpected|position/);
        // The server is still up.
        assert.equal((await visitor.get('/connexion')).status, 200);
      });
    });

    describe('ressources statiques et poids des pages', () => {
      const assetsOf = (html: string) => ({
        css: /<link rel="stylesheet" href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1] ?? assert.fail('pas de CSS'),
        js: /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? assert.fail('pas de JS'),
      });
      const fetch = (url: string, encoding: string, cookie = '') => t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': encoding, cookie } });

      test('fingerprinted assets are cached for a year and compressed when the browser accepts it', async () => {
        const { css, js } = assetsOf((await new TestClient(t.app).get('/connexion')).body);
        assert.match(css, /^\/assets\/app\.[0-9a-f]{10}\.css$/);
        assert.match(js, /^\/assets\/app\.[0-9a-f]{10}\.js$/);
        for (const url of [css, js]) {
          const plain = await fetch(url, 'identity');
          assert.equal(plain.statusCode, 200);
          assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
          assert.equal(plain.headers['x-content-type-options'], 'nosniff');
          assert.equal(plain.headers['content-encoding'], undefined);
          const br = await fetch(url, 'br, gzip');
          assert.equal(br.headers['content-encoding'], 'br', url);
          assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
          assert.ok(br.rawPayload.length < plain.rawPayload.length);
          const gzip = await fetch(url, 'gzip');
          assert.equal(gzip.headers['content-encoding'], 'gzip', url);
        }
        assert.match(String((await fetch(css, 'identity')).headers['content-type']), /^text\/css/);
        assert.match(String((await fetch(js, 'identity')).headers['content-type']), /^text\/javascript/);
        // Another fingerprint is not served.
        assert.equal((await fetch('/assets/app.0000000000.css', 'br')).statusCode, 404);
      });

      test('a small page goes out in gzip when the browser takes both (cheaper than brotli at that size), in brotli otherwise', async () => {
        const both = await fetch('/connexion', 'gzip, deflate, br, zstd');
        assert.equal(both.headers['content-encoding'], 'gzip');
        assert.match(zlib.gunzipSync(both.rawPayload).toString('utf8'), /<h1[^>]*>/);
        assert.equal((await fetch('/connexion', 'br')).headers['content-encoding'], 'br');
        assert.equal((await fetch('/connexion', 'identity')).headers['content-encoding'], undefined);
      });

      test('family pages weigh under 30 KB transferred (HTML + CSS + JS, brotli)', async () => {
        const g = await loggedIn(guardian);
        const cookie = [...g.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        for (const [path, withCookie] of [['/connexion', ''], ['/famille', cookie]] as const) {
          const page = await fetch(path, 'br', withCookie);
          assert.equal(page.statusCode, 200, path);
          assert.equal(page.headers['content-encoding'], 'br', path);
          const { css, js } = assetsOf(zlib.brotliDecompressSync(page.rawPayload).toString('utf8'));
          const parts = [page, await fetch(css, 'br'), await fetch(js, 'br')];
          const total = parts.reduce((sum, r) => sum + r.rawPayload.length, 0);
          assert.ok(total < 30 * 1024, `${path} : ${total} octets transférés`);
        }
      });
    });
  });
}
