import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { anAgent } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import { DEFAULT_REGIE_ID } from '../../platform/db/migrations/013_invoicing.ts';

for (const engine of testEngines()) {
  describe(`pages des régies : l'administrateur change, la régie lit (${engine})`, () => {
    let t: TestApp;
    let admin: { email: string; password: string };
    let regie: { email: string; password: string };
    let enfance: { email: string; password: string };
    let serviceId: string;
    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-02T09:00:00Z' });
      admin = await anAgent(t.ctx, ['admin']);
      regie = await anAgent(t.ctx, ['regie']);
      enfance = await anAgent(t.ctx, ['enfance']);
      serviceId = (await aService(t.ctx)).serviceId;
    });
    after(() => t.close());

    test('la régie voit les régies et la régie de chaque service, sans formulaire ; les autres rôles n\'y ont pas accès', async () => {
      assert.equal((await new TestClient(t.app).get('/agent/regie/regies')).status, 303);
      assert.equal((await (await login(enfance)).get('/agent/regie/regies')).status, 403);
      const c = await login(regie);
      const page = await c.get('/agent/regie/regies');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /Régie enfance et restauration/);
      assert.match(text, /Restauration scolaire/);
      assert.doesNotMatch(page.body, /Créer la régie|Changer de régie<|Renommer</);
      assert.equal((await c.post('/agent/regie/regies', { nom: 'Régie X' })).status, 403);
      assert.equal((await c.get(`/agent/regie/services/${serviceId}`)).status, 403);
      assert.equal((await c.post(`/agent/regie/services/${serviceId}`, { regie: DEFAULT_REGIE_ID, mois: '2027-01' })).status, 403);
    });

    test('l\'administrateur crée une régie (nom vide ou pris : message en français), la renomme et y met un service', async () => {
      const c = await login(admin);
      assert.match((await c.get('/agent/regie/regies')).body, /Créer la régie/);
      const empty = await c.post('/agent/regie/regies', { nom: '   ' });
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Indiquez le nom de la régie/);
      assert.equal((await c.post('/agent/regie/regies', { nom: 'x'.repeat(400) })).status, 400);
      const created = await c.post('/agent/regie/regies', { nom: 'Régie du centre de loisirs' });
      assert.equal(created.status, 303);
      const taken = await c.post('/agent/regie/regies', { nom: 'RÉGIE DU CENTRE DE LOISIRS' });
      assert.equal(taken.status, 409);
      assert.match(textOf(taken.body), /Une régie porte déjà ce nom/);
      assert.match(taken.body, /value="RÉGIE DU CENTRE DE LOISIRS"/, 'the typed value is kept');
      const id = (await t.ctx.db.selectFrom('regies').select('id').where('name', '=', 'Régie du centre de loisirs').executeTakeFirstOrThrow()).id;

      assert.equal((await c.get('/agent/regie/regies/not-an-id')).status, 404);
      assert.equal((await c.get('/agent/regie/regies/01900000-0000-7000-8000-0000000000ff')).status, 404);
      assert.equal((await c.get(`/agent/regie/regies/${id}`)).status, 200);
      assert.equal((await c.post(`/agent/regie/regies/${id}/nom`, { nom: 'Régie enfance et restauration' })).status, 409);
      assert.equal((await c.post(`/agent/regie/regies/${id}/nom`, { nom: 'Régie des loisirs' })).status, 303);

      assert.equal((await c.post(`/agent/regie/services/${serviceId}`, { regie: id, mois: '2027-13' })).status, 400);
      assert.equal((await c.post(`/agent/regie/services/${serviceId}`, { regie: '01900000-0000-7000-8000-0000000000ff', mois: '2027-01' })).status, 404);
      const unchanged = await c.post(`/agent/regie/services/${serviceId}`, { regie: DEFAULT_REGIE_ID, mois: '2026-12' });
      assert.equal(unchanged.status, 409);
      assert.match(textOf(unchanged.body), /déjà facturé par cette régie/);
      const moved = await c.post(`/agent/regie/services/${serviceId}`, { regie: id, mois: '2027-01' });
      assert.equal(moved.status, 303);
      const list = textOf((await c.get('/agent/regie/regies')).body);
      assert.match(list, /facturé par « Régie des loisirs » à partir de janvier 2027/);
      assert.match(list, /À partir de janvier 2027 : Régie des loisirs/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'invoicing.%').execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['invoicing.regie_created', 'invoicing.regie_renamed', 'invoicing.service_regie']);
    });
  });
}
