import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngines } from '../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { TestClient } from '../../test/support/client.ts';
import { DemoSeedError, seedDemo } from './seed.ts';
import { must } from './steps.ts';

/** The rows of the README's « Comptes de démonstration » table: role, address, password. */
function readmeAccounts() {
  const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Comptes de démonstration'));
  assert.ok(section, 'README : section « Comptes de démonstration » introuvable');
  return [...section.matchAll(/^\|\s*([^|]+?)\s*\|\s*`([^`]+@[^`]+)`\s*\|\s*`([^`]+)`\s*\|/gm)].map(([, role, email, password]) => ({ role, email, password }));
}

test('the README lists the demo accounts, a second family among them', () => {
  const accounts = readmeAccounts();
  assert.ok(accounts.length >= 6, `${accounts.length} comptes lus dans le README`);
  assert.ok(accounts.filter((a) => /responsable légal/.test(a.role)).length >= 2, 'deux familles au moins');
});

test('a failed seed step stops with a message that names the step', () => {
  assert.throws(() => must('activation du compte x@y.fr', { ok: false, errors: { password: 'Le mot de passe ne doit pas contenir votre nom' } }), (err: unknown) => {
    assert.ok(err instanceof DemoSeedError);
    assert.match(err.message, /« activation du compte x@y\.fr » a échoué \(Le mot de passe ne doit pas contenir votre nom\)/);
    assert.match(err.message, /ne démarre pas/);
    return true;
  });
});

for (const engine of testEngines()) {
  describe(`every README account logs in on a fresh demo (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
      assert.equal(await seedDemo(t.ctx), true);
    });
    after(() => t.close());

    test('a second start leaves the demo as it is', async () => {
      assert.equal(await seedDemo(t.ctx), false);
    });

    test('the README\'s way to another family: the admin hands a code at the counter, the guardian activates', async () => {
      const admin = readmeAccounts().find((a) => /administratrice/.test(a.role))!;
      const agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      const invited = await t.ctx.db.selectFrom('users').select(['id', 'email']).where('kind', '=', 'guardian').where('status', '=', 'invited').where('email', 'is not', null).orderBy('email').executeTakeFirstOrThrow();
      assert.match((await agent.get('/agent/invitations')).body, new RegExp(`/agent/invitations/${invited.id}`));
      assert.match((await agent.get(`/agent/invitations/${invited.id}`)).body, /Générer un nouveau code à remettre/);
      const shown = await agent.post(`/agent/invitations/${invited.id}/code-guichet`);
      assert.equal(shown.status, 200);
      const code = /class="activation-code">([^<]+)</.exec(shown.body)?.[1];
      assert.ok(code, 'le code est affiché une fois');
      const family = new TestClient(t.app);
      await family.get('/activation');
      const done = await family.post('/activation/mot-de-passe', { code, password: 'Girafe-Trampoline-Noisette-73!' });
      assert.equal(done.status, 303);
      const later = new TestClient(t.app);
      await later.login(invited.email!, 'Girafe-Trampoline-Noisette-73!');
      assert.equal((await later.get('/famille')).status, 200);
    });

    for (const account of readmeAccounts()) {
      test(`${account.role} : ${account.email}`, async () => {
        const client = new TestClient(t.app);
        await client.login(account.email, account.password);
        // /tableau sends each kind of user to their own home.
        const landing = await client.get('/tableau');
        assert.equal(landing.status, 303);
        const home = await client.get(landing.location!);
        assert.equal(home.status, 200, `${account.email} → ${landing.location}`);
        const agent = !/responsable légal/.test(account.role);
        assert.equal(landing.location!.startsWith('/agent'), agent, `${account.email} arrive sur ${landing.location}`);
      });
    }
  });
}
