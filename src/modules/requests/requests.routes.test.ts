import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aSchoolCatalogue, enrolThroughForm } from '../enrolments/enrolments.fixtures.ts';
import { requestsService } from './requests.service.ts';
import { enrolmentRequestHandler } from '../enrolments/enrolments.service.ts';

for (const engine of testEngines()) {
  describe(`suivi des demandes (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let c: Awaited<ReturnType<typeof aSchoolCatalogue>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;
    let requestA: string;
    let requestB: string;

    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const town = await agentAuth(t.ctx, ['enfance']);
      c = await aSchoolCatalogue(t.ctx);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      agent = await anAgent(t.ctx, ['enfance']);
      requestA = await enrolThroughForm(await loggedIn(a), { enfant: a.childId, service: c.canteenId, annee: c.year26 });
      requestB = await enrolThroughForm(await loggedIn(b), { enfant: b.childId, service: c.canteenId, annee: c.year26 });
    });
    after(() => t.close());

    test('messages go both ways on the request page; the family is told of the service\'s answer', async () => {
      const parent = await loggedIn(a);
      await parent.get(`/demandes/${requestA}`);
      const empty = await parent.post(`/demandes/${requestA}/messages`, { message: '   ' });
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Erreur : .*Écrivez votre message/);
      const tooLong = await parent.post(`/demandes/${requestA}/messages`, { message: 'a'.repeat(2001) });
      assert.equal(tooLong.status, 400);
      assert.match(textOf(tooLong.body), /2000 caractères au maximum/);
      assert.match(tooLong.body, /a{2001}<\/textarea>/, 'the text is kept');

      const sent = await parent.post(`/demandes/${requestA}/messages`, { message: 'Léa mange sans porc, <b>merci</b>.\nBonne journée' });
      assert.equal(sent.status, 303);
      const own = await parent.get(`/demandes/${requestA}`);
      assert.match(textOf(own.body), /Vous – Alex Martin, le samedi 28 novembre 2026 à 11 h : Léa mange sans porc, &lt;b>merci&lt;\/b>\. Bonne journée/);
      assert.doesNotMatch(own.body, /<b>merci/, 'messages are escaped');

      const town = await loggedIn(agent);
      const agentPage = await town.get(`/agent/demandes/${requestA}`);
      assert.equal(agentPage.status, 200);
      assert.match(textOf(agentPage.body), /La famille – Alex Martin/);
      const reply = await town.post(`/agent/demandes/${requestA}/messages`, { message: 'Bien noté, le régime est indiqué à la cuisine.' });
      assert.equal(reply.status, 303);
      assert.match(textOf((await parent.get(`/demandes/${requestA}`)).body), /Le service – Agent Numéro\d+ \(agent\), le samedi 28 novembre 2026 à 11 h : Bien noté/);
      const notices = await t.ctx.db.selectFrom('notices').select('text').where('household_id', '=', a.householdId).execute();
      assert.ok(notices.some((n) => /Le service vous a écrit/.test(n.text)));
      const mails = await t.ctx.db.selectFrom('outbox').select('subject').where('to_address', '=', a.email).where('subject', 'like', 'Nouveau message%').execute();
      assert.equal(mails.length, 1);
    });

    test('a family cannot read or write on another household\'s request', async () => {
      const parent = await loggedIn(a);
      assert.equal((await parent.get(`/demandes/${requestB}`)).status, 404);
      await parent.get('/demandes');
      assert.equal((await parent.post(`/demandes/${requestB}/messages`, { message: 'Bonjour' })).status, 404);
      assert.equal((await t.ctx.db.selectFrom('request_messages').select('id').where('request_id', '=', requestB).execute()).length, 0);
      assert.doesNotMatch((await parent.get('/demandes')).body, new RegExp(requestB));
    });

    test('from the request page an agent moves it step by step: in review, waiting list, then accepted', async () => {
      const town = await loggedIn(agent);
      const page = await town.get(`/agent/demandes/${requestB}`);
      assert.match(textOf(page.body), /Passer en instruction Demander un complément Accepter Mettre en liste d'attente Refuser/);
      for (const action of ['in_review', 'waiting_list', 'accepted']) {
        await town.get(`/agent/demandes/${requestB}`);
        const res = await town.post(`/agent/demandes/${requestB}/decision`, { action, motif: action === 'waiting_list' ? 'Plus de place le lundi' : '' });
        assert.equal(res.status, 303, action);
      }
      const after = textOf((await town.get(`/agent/demandes/${requestB}`)).body);
      assert.doesNotMatch(after, /Passer en instruction|Mettre en liste d'attente/, 'no decision left on an accepted request');
      const family = textOf((await (await loggedIn(b)).get(`/demandes/${requestB}`)).body);
      assert.match(family, /Déposée le .*En instruction le .*Liste d'attente le .*Motif : Plus de place le lundi.*Acceptée le/);
      const events = await t.ctx.db.selectFrom('request_events').select('to_status').where('request_id', '=', requestB).orderBy('at').orderBy('id').execute();
      assert.deepEqual(events.map((e) => e.to_status), ['submitted', 'in_review', 'waiting_list', 'accepted']);
      const bad = await town.post(`/agent/demandes/${requestB}/decision`, { action: 'n_importe_quoi' });
      assert.equal(bad.status, 400);
    });

    test('the status moves only from the expected one: a second decision on the same step fails and rolls back', async () => {
      const auth = await agentAuth(t.ctx, ['enfance']);
      const service = requestsService(t.ctx, { enrolment: enrolmentRequestHandler });
      // Two agents decide the same request at the same time: one wins, the other is told.
      const [first, second] = await Promise.all([service.decide(auth, [requestA], 'in_review', null), service.decide(auth, [requestA], 'in_review', null)]);
      const results = [...first, ...second];
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.equal(results.filter((r) => !r.ok).length, 1);
      const lost = results.find((r) => !r.ok)!;
      assert.ok(!lost.ok && ['changed', 'already'].includes(lost.code), 'the loser is told why, with a code');
      // Each refusal is a code of the closed set.
      const codeOf = async (to: 'accepted' | 'refused' | 'in_review', note: string | null) => (await service.decide(auth, [requestA], to, note)).map((r) => (r.ok ? 'ok' : r.code));
      assert.deepEqual(await codeOf('refused', '  '), ['reason_missing']);
      assert.deepEqual(await codeOf('in_review', null), ['already']);
      const events = await t.ctx.db.selectFrom('request_events').select('to_status').where('request_id', '=', requestA).execute();
      assert.equal(events.filter((e) => e.to_status === 'in_review').length, 1);
      const enrolment = await t.ctx.db.selectFrom('enrolments').select('status').where('request_id', '=', requestA).executeTakeFirstOrThrow();
      assert.equal(enrolment.status, 'in_review');
    });

    test('malformed input is a 400 (or a 404 for an id), never a 500', async () => {
      const town = await loggedIn(await anAgent(t.ctx, ['enfance']));
      await town.get(`/agent/demandes/${requestA}`);
      assert.equal((await town.post(`/agent/demandes/${requestA}/decision`, { action: ['accepted', 'refused'] })).status, 400);
      assert.equal((await town.post(`/agent/demandes/${requestA}/messages`, { message: ['a', 'b'] })).status, 400);
      assert.equal((await town.post('/agent/demandes/pas-un-id/decision', { action: 'accepted' })).status, 404);
      assert.equal((await town.get('/agent/demandes/00000000-0000-7000-8000-000000000000')).status, 404);
    });

    test('roles: an animateur, who has no business with requests, is told none exists (404); a visitor is sent to the login page', async () => {
      const other = await loggedIn(await anAgent(t.ctx, ['animateur']));
      assert.equal((await other.get(`/agent/demandes/${requestA}`)).status, 404);
      await other.get('/agent');
      assert.equal((await other.post(`/agent/demandes/${requestA}/decision`, { action: 'accepted' })).status, 404);
      assert.equal((await other.post(`/agent/demandes/${requestA}/messages`, { message: 'Bonjour' })).status, 404);
      assert.equal((await other.get('/agent/demandes')).status, 404);
      const visitor = await new TestClient(t.app).get('/demandes');
      assert.equal(visitor.status, 303);
      assert.match(visitor.location!, /^\/connexion/);
    });

    test('an agent opening a request page is an audited read the family sees in its history', async () => {
      const readsOf = () => t.ctx.db.selectFrom('audit_log').select(['target_id', 'summary']).where('action', '=', 'read.request').where('actor_id', '=', agent.id).orderBy('id').execute();
      const before = (await readsOf()).length;
      const e = await loggedIn(agent);
      assert.equal((await e.get(`/agent/demandes/${requestB}`)).status, 200);
      const reads = (await readsOf()).slice(before);
      assert.equal(reads.length, 1);
      assert.equal(reads[0].target_id, b.householdId);
      assert.match(reads[0].summary, /a consulté la demande D-/);
      const history = textOf((await (await loggedIn(b)).get('/famille/historique')).body);
      assert.match(history, /a consulté la demande/);
    });
  });
}
