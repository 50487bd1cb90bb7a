import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, TEST_PASSWORD } from '../../../test/support/builders.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { householdsAgentService } from './households.agent-service.ts';

for (const engine of testEngines()) {
  describe(`foyers et enfants (${engine})`, () => {
    let t: TestApp;
    let auth: Auth;
    let enfance: { email: string; password: string };
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;

    before(async () => {
      t = await createTestApp(engine);
      auth = await agentAuth(t.ctx, ['enfance']);
      enfance = await anAgent(t.ctx, ['enfance']);
      a = await aFamily(t.ctx, auth, 'Lefèvre', { childFirstName: 'Éloïse' });
      b = await aFamily(t.ctx, auth, 'Nguyen', { childFirstName: 'Minh' });
    });
    after(() => t.close());

    test('a guardian asks to add a child, the agent validates it, then the guardian updates an allergy', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const empty = await parent.submit('/famille/enfants/ajouter', '/famille/enfants/ajouter', { first_name: '', last_name: 'Lefèvre', birth_date_jour: '31', birth_date_mois: '2', birth_date_annee: '2019' });
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Saisissez le prénom/);
      assert.match(textOf(empty.body), /vraie date/);
      assert.match(empty.body, /value="Lefèvre"/); // values kept

      const sent = await parent.post('/famille/enfants/ajouter', { first_name: 'Jules', last_name: 'Lefèvre', birth_date_jour: '12', birth_date_mois: '6', birth_date_annee: '2020', sex: 'M' });
      assert.equal(sent.status, 303);
      const home = textOf((await parent.get('/famille')).body);
      assert.match(home, /Ajout d'un enfant envoyée le .* en attente de validation/);
      assert.doesNotMatch(home, /Jules Lefèvre/);

      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      const queue = await agent.get('/agent/modifications');
      const changeId = /\/agent\/modifications\/([0-9a-f-]{36})\/valider/.exec(queue.body)?.[1];
      assert.ok(changeId, 'la demande est dans la file');
      assert.equal((await agent.post(`/agent/modifications/${changeId}/valider`)).status, 303);
      assert.equal((await agent.post(`/agent/modifications/${changeId}/valider`)).status, 303); // twice: no second child
      const page = textOf((await parent.get('/famille')).body);
      assert.equal(page.match(/Jules Lefèvre/g)?.length, 1);

      const child = await parent.get(`/famille/enfants/${a.childId}/sante`);
      assert.equal(child.status, 200);
      const saved = await parent.post(`/famille/enfants/${a.childId}/sante`, { diet: 'sans_porc', allergies: 'Kiwi', has_pai: '0', pai_description: '', doctor_name: '', doctor_phone: '' });
      assert.equal(saved.status, 303);
      const view = textOf((await parent.get(`/famille/enfants/${a.childId}`)).body);
      assert.match(view, /Kiwi/);
      assert.match(view, /Sans porc/);
    });

    test('a refused change shows its reason to the family', async () => {
      const parent = new TestClient(t.app);
      await parent.login(b.email, b.password);
      await parent.submit('/famille/adresse', '/famille/adresse', { address_line1: '8 rue Neuve', postcode: '62160', city: 'Beauval' });
      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      const queue = await agent.get('/agent/modifications');
      const changeId = /\/agent\/modifications\/([0-9a-f-]{36})\/refuser/.exec(queue.body)?.[1];
      assert.ok(changeId);
      await agent.get(`/agent/modifications/${changeId}/refuser`);
      const noReason = await agent.post(`/agent/modifications/${changeId}/refuser`, { reason: '' });
      assert.equal(noReason.status, 400);
      await agent.post(`/agent/modifications/${changeId}/refuser`, { reason: 'Justificatif de domicile manquant' });
      assert.match(textOf((await parent.get('/famille/foyer')).body), /Refusée Motif : Justificatif de domicile manquant/);
    });

    test('a guardian can never read or change another household\'s child or guardian: 404 whatever the route', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const foreign = [b.childId, b.guardianId];
      for (const id of foreign) {
        for (const url of [`/famille/enfants/${id}`, `/famille/enfants/${id}/sante`, `/famille/enfants/${id}/autorisations`, `/famille/enfants/${id}/personnes/ajouter`, `/famille/responsables/${id}`]) {
          assert.equal((await parent.get(url)).status, 404, url);
        }
        await parent.get('/famille');
        for (const url of [`/famille/enfants/${id}/sante`, `/famille/enfants/${id}/autorisations`, `/famille/enfants/${id}/personnes/ajouter`, `/famille/responsables/${id}`]) {
          assert.equal((await parent.post(url, { diet: 'standard', has_pai: '0', allergies: 'piratage', name: 'X', relation: 'Autre', phone: '0600000000', roles: 'may_pick_up', authorisations: 'photo_allowed' })).status, 404, `POST ${url}`);
        }
      }
      assert.equal((await parent.get('/famille/enfants/pas-un-id')).status, 404);
      // B's child is untouched.
      const other = new TestClient(t.app);
      await other.login(b.email, b.password);
      assert.doesNotMatch(textOf((await other.get(`/famille/enfants/${b.childId}`)).body), /piratage/);
      // And the agent pages are closed to guardians.
      assert.equal((await parent.get(`/agent/foyers/${b.householdId}`)).status, 403);
    });

    test('only enfance and admin agents open household records; animateur, restauration and regie get 403', async () => {
      for (const role of ['animateur', 'restauration', 'regie'] as const) {
        const other = await anAgent(t.ctx, [role]);
        const c = new TestClient(t.app);
        await c.login(other.email, other.password);
        for (const url of ['/agent/foyers?q=lef', `/agent/foyers/${a.householdId}`, `/agent/foyers/${a.householdId}/enfants/${a.childId}/sante`, '/agent/modifications']) {
          assert.equal((await c.get(url)).status, 403, `${role} ${url}`);
        }
      }
    });

    test('the household page shows health flags only; opening the health record is logged', async () => {
      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      const page = await agent.get(`/agent/foyers/${a.householdId}`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Allergies/);
      assert.doesNotMatch(textOf(page.body), /Kiwi/);
      const record = await agent.get(`/agent/foyers/${a.householdId}/enfants/${a.childId}/sante`);
      assert.match(textOf(record.body), /Kiwi/);
      const log = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'health.read').where('target_id', '=', a.householdId).execute();
      assert.equal(log.length, 1);
      assert.doesNotMatch(log[0].summary, /Kiwi/);
      // A child of another household through this household's URL: 404.
      assert.equal((await agent.get(`/agent/foyers/${a.householdId}/enfants/${b.childId}/sante`)).status, 404);
    });

    test('search is accent- and case-insensitive, by any member, e-mail or phone', async () => {
      const households = householdsAgentService(t.ctx);
      for (const q of ['eloise', 'ÉLOÏSE lefevre', 'LEFÈVRE', a.email, '06 00 00 00 00', 'rue de la paix']) {
        const rows = await households.search(auth, q);
        assert.ok(rows.some((r) => r.id === a.householdId), q);
      }
      assert.equal((await households.search(auth, 'eloise nguyen')).length, 0);
      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      assert.match(textOf((await agent.get('/agent/foyers?q=minh')).body), /Foyer Nguyen/);
    });

    test('assisted mode: the agent acts for the family under a banner, and the family sees it in its history', async () => {
      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      await agent.get(`/agent/foyers/${b.householdId}`);
      const start = await agent.post(`/agent/foyers/${b.householdId}/accueil`);
      assert.equal(start.location, '/famille');
      const home = await agent.get('/famille');
      assert.match(textOf(home.body), /Mode accueil .* agit pour le foyer Nguyen/);
      assert.match(home.body, /Quitter le mode accueil/);
      await agent.get(`/famille/enfants/${b.childId}/personnes/ajouter`);
      const added = await agent.post(`/famille/enfants/${b.childId}/personnes/ajouter`, { name: 'Thi Nguyen', relation: 'Grand-parent', phone: '06 11 22 33 44', roles: ['may_pick_up', 'emergency_contact'] });
      assert.equal(added.status, 303);
      // Another family's child is still out of reach in assisted mode.
      assert.equal((await agent.get(`/famille/enfants/${a.childId}`)).status, 404);
      await agent.get('/famille');
      const left = await agent.post('/agent/accueil/quitter');
      assert.equal(left.location, `/agent/foyers/${b.householdId}`);
      assert.equal((await agent.get('/famille')).location, '/agent');

      const parent = new TestClient(t.app);
      await parent.login(b.email, b.password);
      const history = textOf((await parent.get('/famille/historique')).body);
      assert.match(history, /Nouvelle personne autorisée pour Minh : Thi Nguyen .* à l'accueil de la mairie/);
    });

    test('merge, archive and linking a self-signed-up account', async () => {
      const households = householdsAgentService(t.ctx);
      const dup = await aFamily(t.ctx, auth, 'Lefèvre', { childFirstName: 'Paul' });
      const target = await households.get(auth, a.householdId);
      const source = await households.get(auth, dup.householdId);
      const merged = await households.merge(auth, a.householdId, source.household.reference);
      assert.equal(merged.ok, true);
      const after = await households.get(auth, a.householdId);
      assert.ok(after.members.some((m) => m.first_name === 'Paul'));
      assert.ok(after.members.length > target.members.length);
      assert.equal((await households.merge(auth, a.householdId, source.household.reference)).ok, false);
      assert.equal((await households.search(auth, 'paul')).filter((r) => r.id === dup.householdId).length, 0);

      const visitor = new TestClient(t.app);
      await visitor.submit('/inscription', '/inscription', { first_name: 'Samir', last_name: 'Nguyen', email: 'samir@test.fr', password: TEST_PASSWORD });
      // The outbox never holds the link's token readable: read it as the mailbox receives it.
      await t.flushMail();
      const token = t.delivered.filter((m) => m.to === 'samir@test.fr').at(-1)!.text.match(/jeton=(\S+)/)![1];
      await visitor.get(`/inscription/confirmer?jeton=${token}`);
      const linked = await households.linkAccount(auth, b.householdId, 'samir@test.fr');
      assert.equal(linked.ok, true);
      await visitor.login('samir@test.fr', TEST_PASSWORD);
      assert.match(textOf((await visitor.get('/famille/foyer')).body), /Samir Nguyen/);

      await households.setArchived(auth, b.householdId, true);
      assert.equal((await households.search(auth, 'minh')).length, 0);
      assert.equal((await households.search(auth, 'minh', true))[0]?.id, b.householdId);
    });
  });
}
