import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { auditRead } from '../../platform/audit/audit.repository.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { householdsAgentService } from './households.agent-service.ts';

for (const engine of testEngines()) {
  describe(`lectures des agents tracées, jour de Paris, entrées mal formées (${engine})`, () => {
    let t: TestApp;
    let auth: Auth;
    let enfance: Awaited<ReturnType<typeof anAgent>>;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const reads = (householdId: string) => t.ctx.db.selectFrom('audit_log').select(['action', 'summary', 'actor_id', 'at', 'on_behalf_of_household_id']).where('target_type', '=', 'household').where('target_id', '=', householdId).where('action', 'like', 'read.%').execute();

    before(async () => {
      // 23:30 UTC on 28 November is already 00:30 on Sunday 29 November in Paris.
      t = await createTestApp(engine, { now: '2026-11-28T23:30:00Z' });
      auth = await agentAuth(t.ctx, ['enfance']);
      enfance = await anAgent(t.ctx, ['enfance']);
      a = await aFamily(t.ctx, auth, 'Benali', { childFirstName: 'Inès' });
      b = await aFamily(t.ctx, auth, 'Roux', { childFirstName: 'Hugo' });
    });
    after(() => t.close());

    test('item 15: an agent opening the household page is one audited read, shown to the family in plain French', async () => {
      const agent = await loggedIn(enfance);
      assert.equal((await reads(a.householdId)).length, 0);
      const page = await agent.get(`/agent/foyers/${a.householdId}`);
      assert.equal(page.status, 200);
      const rows = await reads(a.householdId);
      assert.equal(rows.length, 1, 'one row per page view');
      assert.equal(rows[0].action, 'read.household');
      assert.equal(rows[0].actor_id, enfance.id);
      assert.match(rows[0].summary, /^Agent Numéro\d+ \(service enfance\) a consulté la fiche du foyer/);
      assert.equal((await reads(b.householdId)).length, 0, 'only the household read');

      const parent = await loggedIn(a);
      const history = textOf((await parent.get('/famille/historique')).body);
      assert.match(history, /Agent Numéro\d+ \(service enfance\) a consulté la fiche du foyer/);
      // The family reading its own household is not an agent read.
      await parent.get('/famille/foyer');
      assert.equal((await reads(a.householdId)).length, 1);
    });

    test('item 15: at the counter, the household page read is audited for that household', async () => {
      const agent = await loggedIn(enfance);
      await agent.get(`/agent/foyers/${b.householdId}`);
      await agent.post(`/agent/foyers/${b.householdId}/accueil`);
      const before = (await reads(b.householdId)).length;
      assert.equal((await agent.get('/famille/foyer')).status, 200);
      const rows = await reads(b.householdId);
      assert.equal(rows.length, before + 1);
      assert.equal(rows.filter((r) => r.on_behalf_of_household_id === b.householdId).length, 1);
      await agent.get('/famille');
      await agent.post('/agent/accueil/quitter');
    });

    test('item 15: a list of many households is one row per household, written together; a guardian is never audited', async () => {
      const before = [(await reads(a.householdId)).length, (await reads(b.householdId)).length];
      await auditRead(t.ctx.db, t.clock, auth, [a.householdId, b.householdId, a.householdId], 'attendance');
      const after = [await reads(a.householdId), await reads(b.householdId)];
      assert.deepEqual(after.map((r) => r.length), [before[0] + 1, before[1] + 1], 'a household listed twice is read once');
      const last = after.map((rows) => rows.filter((r) => r.action === 'read.attendance'));
      assert.equal(last[0][0].at, last[1][0].at);
      assert.match(last[0][0].summary, /a consulté la liste de présence/);
      const guardian: Auth = { ...auth, user: { ...auth.user, kind: 'guardian', roles: [] } };
      await auditRead(t.ctx.db, t.clock, guardian, [a.householdId], 'attendance');
      await auditRead(t.ctx.db, t.clock, auth, [], 'attendance');
      assert.equal((await reads(a.householdId)).length, before[0] + 1);
    });

    test('item 5: at 00:30 in Paris (23:30 UTC), a child born that Paris day is accepted', async () => {
      assert.equal(t.clock.today(), '2026-11-29');
      const parent = await loggedIn(a);
      await parent.get('/famille/enfants/ajouter');
      const sent = await parent.post('/famille/enfants/ajouter', { first_name: 'Lina', last_name: 'Benali', birth_date_jour: '29', birth_date_mois: '11', birth_date_annee: '2026', sex: 'F' });
      assert.equal(sent.status, 303, 'born today in Paris: not « in the future »');
      await parent.get('/famille/enfants/ajouter');
      const tomorrow = await parent.post('/famille/enfants/ajouter', { first_name: 'Lina', last_name: 'Benali', birth_date_jour: '30', birth_date_mois: '11', birth_date_annee: '2026', sex: 'F' });
      assert.equal(tomorrow.status, 400);
      assert.match(textOf(tomorrow.body), /dans le passé/);
    });

    test('item 5: a family quotient valid until the UTC day is no longer in force on the Paris day', async () => {
      const households = householdsAgentService(t.ctx);
      await households.addQuotient(auth, b.householdId, { value_eur: 640, reference_month: '2026-09', source: 'agent', reason: 'avis d\'imposition', valid_until: '2026-11-28' });
      assert.equal((await households.get(auth, b.householdId)).quotient, null);
      await households.addQuotient(auth, b.householdId, { value_eur: 700, reference_month: '2026-10', source: 'agent', reason: 'avis d\'imposition', valid_until: '2026-11-29' });
      assert.equal((await households.get(auth, b.householdId)).quotient?.value_eur, 700);
    });

    test('item 20: a field sent twice, a list where a value is expected, a missing body or a malformed id: 400 or 404, never 500', async () => {
      const parent = await loggedIn(a);
      await parent.get('/famille/enfants/ajouter');
      const twice = await parent.post('/famille/enfants/ajouter', { first_name: 'Lina', last_name: 'Benali', birth_date_jour: ['29', '28'], birth_date_mois: '11', birth_date_annee: '2026', sex: 'F' });
      assert.equal(twice.status, 400);
      assert.match(textOf(twice.body), /birth_date_jour/);
      await parent.get('/famille/adresse');
      assert.equal((await parent.post('/famille/adresse', { address_line1: ['1 rue A', '2 rue B'], postcode: '62160', city: 'Beauval' })).status, 400);
      assert.equal((await parent.get('/famille/enfants/pas-un-id/sante')).status, 404);
      assert.equal((await parent.post(`/famille/enfants/${a.childId}/personnes/pas-un-id/supprimer`)).status, 404);
      // No body at all, the CSRF token in its header as a script would send it.
      await parent.get('/famille/adresse');
      const bare = await t.app.inject({ method: 'POST', url: '/famille/adresse', headers: { cookie: [...parent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': parent.lastCsrf } });
      assert.equal(bare.statusCode, 400);

      const agent = await loggedIn(enfance);
      assert.equal((await agent.get('/agent/foyers?q=a&q=b')).status, 400);
      assert.equal((await agent.get('/agent/foyers/pas-un-id')).status, 404);
      await agent.get(`/agent/foyers/${a.householdId}/quotient`);
      assert.equal((await agent.post(`/agent/foyers/${a.householdId}/quotient`, { value_eur: ['1', '2'], reference_month: '2026-09', source: 'agent' })).status, 400);
      await agent.get(`/agent/foyers/${a.householdId}`);
      assert.equal((await agent.post(`/agent/foyers/${a.householdId}/responsables/pas-un-id/payeur`)).status, 404);
      assert.equal((await agent.post(`/agent/modifications/${a.householdId}/refuser`, { reason: ['a', 'b'] })).status, 400);
    });

    test('item 20: an agent without the enfance or admin role is refused before the form is even read', async () => {
      const cook = await loggedIn(await anAgent(t.ctx, ['restauration']));
      await cook.get('/agent');
      assert.equal((await cook.post(`/agent/foyers/${a.householdId}/quotient`, { value_eur: 'x' })).status, 403);
      assert.equal((await cook.post('/agent/foyers/nouveau', {})).status, 403);
    });
  });
}
