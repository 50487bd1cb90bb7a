import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { DAY } from '../../platform/clock/clock.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';

const YEAR = 365 * DAY;

/** The parts of the export file these tests read. */
interface ExportFile {
  children: { first_name: string }[];
  guardians: { last_name: string }[];
  health: { child: string; allergies: string; pai_description: string }[];
  pickup_persons: { child: string; name: string }[];
  account: { email: string; created_at: string; last_login_at: string } | null;
  history: { action: string }[];
}
const exportOf = (body: string) => JSON.parse(body) as ExportFile;

for (const engine of testEngines()) {
  describe(`données personnelles : export et anonymisation (${engine})`, () => {
    let t: TestApp;
    let auth: Auth;
    let admin: { email: string; password: string };
    let enfance: { email: string; password: string };
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let s: Awaited<ReturnType<typeof aFamily>>;

    before(async () => {
      t = await createTestApp(engine);
      auth = await agentAuth(t.ctx, ['admin']);
      admin = await anAgent(t.ctx, ['admin']);
      enfance = await anAgent(t.ctx, ['enfance']);
      a = await aFamily(t.ctx, auth, 'Lefèvre', { childFirstName: 'Éloïse' });
      b = await aFamily(t.ctx, auth, 'Nguyen', { childFirstName: 'Minh' });
      // Separated parents: Zoé Morel lives in household S and is shared with household A.
      s = await aFamily(t.ctx, auth, 'Morel', { childFirstName: 'Zoé' });
      await householdsAgentService(t.ctx).shareChild(auth, a.householdId, s.childId);

      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.submit(`/famille/enfants/${a.childId}/sante`, `/famille/enfants/${a.childId}/sante`, { diet: 'medical', allergies: 'Arachide', has_pai: '1', pai_description: 'Stylo adrénaline', doctor_name: 'Dr Vasseur', doctor_phone: '0321000000' });
      await parent.submit(`/famille/enfants/${a.childId}/personnes/ajouter`, `/famille/enfants/${a.childId}/personnes/ajouter`, { name: 'Mamie Lefèvre', relation: 'Grand-parent', phone: '0611223344', roles: ['may_pick_up'] });
      const bParent = new TestClient(t.app);
      await bParent.login(b.email, b.password);
      await bParent.submit(`/famille/enfants/${b.childId}/personnes/ajouter`, `/famille/enfants/${b.childId}/personnes/ajouter`, { name: 'Tonton Nguyen', relation: 'Oncle ou tante', phone: '0699887766', roles: ['may_pick_up'] });
    });
    after(() => t.close());

    test('the JSON export holds the household\'s own data, as an attachment, and never a secret', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const res = await parent.get('/famille/donnees.json');
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="donnees-F-\d{6}-2026-11-28\.json"$/);
      assert.equal(res.headers['cache-control'], 'no-store');
      const data = exportOf(res.body);
      const children = data.children.map((c) => c.first_name);
      assert.ok(children.includes('Éloïse'));
      const eloise = data.health.find((c) => c.child === 'Éloïse');
      assert.ok(eloise);
      assert.equal(eloise.allergies, 'Arachide');
      assert.equal(eloise.pai_description, 'Stylo adrénaline');
      assert.equal(data.pickup_persons[0].name, 'Mamie Lefèvre');
      assert.equal(data.pickup_persons[0].child, 'Éloïse');
      assert.equal(data.guardians[0].last_name, 'Lefèvre');
      assert.equal(data.account?.email, a.email);
      assert.ok(data.account?.created_at);
      assert.ok(data.account?.last_login_at);
      assert.ok(data.history.some((h) => h.action === 'household.created'));
      // Nothing of household B.
      for (const foreign of ['Nguyen', 'Minh', b.email, 'Tonton']) assert.ok(!res.body.includes(foreign), `${foreign} ne doit pas figurer dans l'export de A`);
      // No secret, whatever its name.
      assert.doesNotMatch(res.body, /password|hash|token|argon2|code_hash|session/i);
      const audit = await t.ctx.db.selectFrom('audit_log').select(['action']).where('target_id', '=', a.householdId).where('action', '=', 'privacy.export').execute();
      assert.ok(audit.length >= 1, 'l\'export est tracé');
    });

    test('a guardian of B gets B\'s data only, whatever the URL says', async () => {
      const parent = new TestClient(t.app);
      await parent.login(b.email, b.password);
      for (const url of ['/famille/donnees.json', `/famille/donnees.json?foyer=${a.householdId}&id=${a.householdId}`]) {
        const res = await parent.get(url);
        assert.equal(res.status, 200);
        const data = exportOf(res.body);
        assert.deepEqual(data.children.map((c) => c.first_name), ['Minh']);
        assert.equal(data.account?.email, b.email);
        for (const foreign of ['Lefèvre', 'Éloïse', 'Arachide', a.email, 'Zoé']) assert.ok(!res.body.includes(foreign), `${foreign} ne doit pas figurer dans l'export de B`);
      }
      const page = await parent.get(`/famille/donnees?foyer=${a.householdId}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(textOf(page.body), /Lefèvre|Éloïse/);
    });

    test('the readable page shows the household, health, pickup persons, account and the download link', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const page = await parent.get('/famille/donnees');
      assert.equal(page.status, 200);
      assert.equal(page.headers['cache-control'], 'no-store');
      const text = textOf(page.body);
      assert.match(text, /Éloïse Lefèvre/);
      assert.match(text, /Arachide/);
      assert.match(text, /Mamie Lefèvre/);
      assert.match(text, new RegExp(a.email.replace(/[.+]/g, '\\$&')));
      assert.match(page.body, /href="\/famille\/donnees\.json"[^>]*>\s*Télécharger mes données \(JSON\)/);
      assert.doesNotMatch(page.body, /\$argon2/);
    });

    test('without a session, the export redirects to the login page', async () => {
      const anonymous = new TestClient(t.app);
      for (const url of ['/famille/donnees', '/famille/donnees.json']) {
        const res = await anonymous.get(url);
        assert.equal(res.status, 303);
        assert.match(res.location ?? '', /^\/connexion/);
      }
    });

    test('an enfance agent may not open nor use the anonymise page: 403; an unknown household is a 404', async () => {
      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      assert.equal((await agent.get(`/agent/foyers/${a.householdId}/anonymiser`)).status, 403);
      await agent.get('/agent/foyers');
      assert.equal((await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, { confirm: '1' })).status, 403);
      const anonymous = new TestClient(t.app);
      const res = await anonymous.get(`/agent/foyers/${a.householdId}/anonymiser`);
      assert.equal(res.status, 303);
      const admin1 = new TestClient(t.app);
      await admin1.login(admin.email, admin.password);
      assert.equal((await admin1.get('/agent/foyers/00000000-0000-7000-8000-000000000000/anonymiser')).status, 404);
      assert.equal((await admin1.get('/agent/foyers/pas-un-id/anonymiser')).status, 404);
    });

    test('anonymisation: refused while active and before 3 years, then done in full, keeping the shared child', async () => {
      const households = householdsAgentService(t.ctx);
      let agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);

      // Active household: the page explains, the POST is refused.
      const activePage = await agent.get(`/agent/foyers/${a.householdId}/anonymiser`);
      assert.equal(activePage.status, 200);
      assert.match(textOf(activePage.body), /actif/);
      assert.match(textOf(activePage.body), /archivé depuis au moins 3 ans/);
      assert.doesNotMatch(activePage.body, /Anonymiser le foyer<\/button>/);
      const active = await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, { confirm: '1' });
      assert.equal(active.status, 409);
      assert.match(textOf(active.body), /Ce foyer est actif/);

      // Archived, but not for long enough.
      await households.setArchived(auth, a.householdId, true);
      t.clock.advance(2 * YEAR);
      agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      await agent.get(`/agent/foyers/${a.householdId}/anonymiser`);
      const early = await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, { confirm: '1' });
      assert.equal(early.status, 409);
      assert.match(textOf(early.body), /moins de 3 ans/);
      assert.equal((await t.ctx.db.selectFrom('households').select('anonymised_at').where('id', '=', a.householdId).executeTakeFirstOrThrow()).anonymised_at, null);

      // 3 years and a day after archiving.
      t.clock.advance(1 * YEAR + 2 * DAY);
      agent = new TestClient(t.app);
      await agent.login(admin.email, admin.password);
      const page = await agent.get(`/agent/foyers/${a.householdId}/anonymiser`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /1 personne rattachée aussi à un autre foyer/);
      const unconfirmed = await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, {});
      assert.equal(unconfirmed.status, 400);
      assert.match(textOf(unconfirmed.body), /Cochez la case/);
      const done = await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, { confirm: '1' });
      assert.equal(done.status, 303);
      assert.equal(done.location, `/agent/foyers/${a.householdId}`);

      // Names no longer found, even among archived households.
      for (const q of ['Lefèvre', 'Éloïse', 'Alex Lefevre', a.email]) assert.deepEqual(await households.search(auth, q, true), [], `« ${q} » ne trouve plus rien`);
      // The shared child keeps her name and her household.
      const zoe = await t.ctx.db.selectFrom('persons').select(['first_name', 'last_name', 'birth_date']).where('id', '=', s.childId).executeTakeFirstOrThrow();
      assert.deepEqual(zoe, { first_name: 'Zoé', last_name: 'Morel', birth_date: '2018-05-04' });
      assert.equal((await households.search(auth, 'Zoé Morel')).length, 1);

      // What is left of A's persons, health, pickups and household.
      const eloise = await t.ctx.db.selectFrom('persons').select(['first_name', 'last_name', 'birth_date', 'email', 'phone']).where('id', '=', a.childId).executeTakeFirstOrThrow();
      assert.deepEqual(eloise, { first_name: 'Anonyme', last_name: 'Anonyme', birth_date: '2018-01-01', email: null, phone: null });
      const guardian = await t.ctx.db.selectFrom('persons').select(['first_name', 'email', 'phone', 'user_id']).where('id', '=', a.guardianId).executeTakeFirstOrThrow();
      assert.deepEqual({ ...guardian, user_id: undefined }, { first_name: 'Anonyme', email: null, phone: null, user_id: undefined });
      const health = await t.ctx.db.selectFrom('child_health').selectAll().where('person_id', '=', a.childId).executeTakeFirstOrThrow();
      assert.deepEqual([health.allergies, health.has_pai, health.pai_description, health.doctor_name, health.doctor_phone], ['', 0, '', '', '']);
      assert.equal((await t.ctx.db.selectFrom('pickup_persons').select('id').where('child_person_id', '=', a.childId).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('pickup_persons').select('id').where('child_person_id', '=', b.childId).execute()).length, 1, 'les autres foyers ne sont pas touchés');
      const h = await t.ctx.db.selectFrom('households').selectAll().where('id', '=', a.householdId).executeTakeFirstOrThrow();
      assert.equal(h.name, 'Foyer anonymisé');
      assert.equal(h.search, '');
      assert.equal(h.address_line1, '');
      assert.ok(h.anonymised_at);

      // The login is disabled, without e-mail nor password, its sessions gone.
      const user = await t.ctx.db.selectFrom('users').select(['email', 'password_hash', 'status']).where('id', '=', guardian.user_id!).executeTakeFirstOrThrow();
      assert.deepEqual(user, { email: null, password_hash: null, status: 'disabled' });
      assert.equal((await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', guardian.user_id!).execute()).length, 0);
      const login = await new TestClient(t.app).submit('/connexion', '/connexion', { email: a.email, password: a.password });
      assert.notEqual(login.status, 303);
      assert.match(textOf(login.body), /incorrect/);

      // The audit log keeps the facts, not the names.
      const rows = await t.ctx.db.selectFrom('audit_log').select(['action', 'summary', 'actor_label', 'at']).where('target_type', '=', 'household').where('target_id', '=', a.householdId).execute();
      assert.ok(rows.some((r) => r.action === 'household.created'), 'les actions restent');
      assert.ok(rows.some((r) => r.action === 'household.archived'));
      assert.ok(rows.some((r) => r.action === 'privacy.export'));
      for (const r of rows) assert.doesNotMatch(`${r.summary} ${r.actor_label}`, /Lefèvre|Lefevre|Éloïse|Alex|Arachide|Mamie/, `${r.action} : ${r.summary}`);
      const final = rows.filter((r) => r.action === 'household.anonymised');
      assert.equal(final.length, 1);
      assert.match(final[0].summary, /2 personnes anonymisées, 1 conservée car rattachée/);

      // Once is enough.
      await agent.get(`/agent/foyers/${a.householdId}/anonymiser`);
      const again = await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, { confirm: '1' });
      assert.equal(again.status, 409);
      assert.match(textOf(again.body), /déjà anonymisé/);
    });

    test('the household of a shared child stays fully usable by the other parent', async () => {
      const parent = new TestClient(t.app);
      await parent.login(s.email, s.password);
      const data = exportOf((await parent.get('/famille/donnees.json')).body);
      assert.deepEqual(data.children.map((c) => c.first_name), ['Zoé']);
      assert.equal(data.guardians[0].last_name, 'Morel');
    });
  });
}
