import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { aDocument } from '../../../test/support/notifications.ts';
import { purgeStaleDrafts } from '../requests/requests.drafts-job.ts';


for (const engine of testEngines()) {
  describe(`brouillons incomplets : quotient familial et absence justifiée (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;
    let canteen: Awaited<ReturnType<typeof aService>>;

    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const requestRow = (id: string) => t.ctx.db.selectFrom('requests').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
    const savedOf = async (id: string) => JSON.parse((await t.ctx.db.selectFrom('request_answers').select('payload').where('request_id', '=', id).executeTakeFirstOrThrow()).payload) as { draft: Record<string, string> };

    async function aBooking(family: typeof a, day: string) {
      const now = t.ctx.clock.now().toISOString();
      const existing = await t.ctx.db.selectFrom('slots').select('id').where('unit_id', '=', canteen.unitId).where('day', '=', day).executeTakeFirst();
      const slotId = existing?.id ?? newId();
      if (!existing) await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: canteen.unitId, group_id: canteen.groupId, day, capacity: null, taken: 1, waiting_seq: 0, waiting: 0, closed: 0 }).execute();
      const id = newId();
      await t.ctx.db
        .insertInto('bookings')
        .values({ id, child_person_id: family.childId, household_id: family.householdId, service_id: canteen.serviceId, unit_id: canteen.unitId, slot_id: slotId, day, status: 'booked', waiting_rank: null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: now, updated_at: now })
        .execute();
      return id;
    }

    const aCertificate = async (family: typeof a, personId: string) => (await aDocument(t.ctx, { householdId: family.householdId, typeCode: 'certificat', status: 'pending', validUntil: null, personId })).id;

    /** Posts a form and returns the request id it led to (303), or fails with the page's text. */
    async function post(client: TestClient, path: string, form: Record<string, string>) {
      const res = await client.post(path, form);
      assert.equal(res.status, 303, textOf(res.body));
      return res.location!.split('/').at(-1)!;
    }

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const town = await agentAuth(t.ctx, ['enfance']);
      canteen = await aService(t.ctx);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      agent = await anAgent(t.ctx, ['enfance']);
    });
    after(() => t.close());

    test('an empty QF draft: saved, listed with what is missing, unseen by agents, reopened, completed and sent with the same id', async () => {
      const parent = await loggedIn(a);
      await parent.get('/demandes/nouvelle/quotient');
      const id = await post(parent, '/demandes/nouvelle/quotient', { action: 'brouillon' });
      assert.equal((await requestRow(id))?.status, 'draft');
      assert.deepEqual((await savedOf(id)).draft, {});
      assert.match(textOf((await parent.get('/demandes')).body), /Il manque : Choisissez l'attestation à joindre/);
      const page = (await parent.get(`/demandes/${id}`)).body;
      assert.match(page, new RegExp(`href="/demandes/nouvelle/quotient\\?brouillon=${id}"`));
      // Agents never see it.
      const town = await loggedIn(agent);
      assert.equal((await town.get(`/agent/demandes/${id}`)).status, 404);
      assert.equal((await town.get(`/agent/demandes/${id}/quotient`)).status, 404);
      // « Envoyer » from the draft's page: incomplete, the form reopens with what is missing.
      const early = await parent.post(`/demandes/${id}/envoyer`);
      assert.equal(early.status, 303);
      assert.equal(early.location, `/demandes/nouvelle/quotient?brouillon=${id}&verifier=1`);
      assert.match(textOf((await parent.get(early.location)).body), /Il y a un problème.*Choisissez l'attestation à joindre/s);
      assert.equal((await requestRow(id))?.status, 'draft');
      // The wallet's round trip from the reopened form comes back to it, with the new attestation chosen.
      const reopened = (await parent.get(`/demandes/nouvelle/quotient?brouillon=${id}`)).body;
      assert.match(reopened, new RegExp(`retour=%2Fdemandes%2Fnouvelle%2Fquotient%3Fbrouillon%3D${id}`));
      assert.match(reopened, new RegExp(`name="brouillon" value="${id}"`));
      const doc = (await aDocument(t.ctx, { householdId: a.householdId, typeCode: 'quotient', status: 'pending', validUntil: null })).id;
      const back = (await parent.get(`/demandes/nouvelle/quotient?brouillon=${id}&document=${doc}`)).body;
      assert.match(back, new RegExp(`value="${doc}"[^>]*checked`));
      // Sending from the reopened form: same id, the type's own row written, the saved values gone.
      assert.equal(await post(parent, '/demandes/nouvelle/quotient', { brouillon: id, document: doc, action: 'envoyer' }), id);
      assert.equal((await requestRow(id))?.status, 'submitted');
      assert.equal((await t.ctx.db.selectFrom('quotient_requests').select('document_id').where('request_id', '=', id).executeTakeFirstOrThrow()).document_id, doc);
      assert.equal(await t.ctx.db.selectFrom('request_answers').select('request_id').where('request_id', '=', id).executeTakeFirst(), undefined);
      assert.equal((await town.get(`/agent/demandes/${id}`)).status, 200);
      // Sent: reopening it is refused.
      assert.equal((await parent.get(`/demandes/nouvelle/quotient?brouillon=${id}`)).status, 409);
    });

    test('an absence draft with the day only, then the certificate, sent from the draft page; another household ids are not stored', async () => {
      const parent = await loggedIn(a);
      const missed = await aBooking(a, '2026-11-26');
      const theirs = await aBooking(b, '2026-11-26');
      const theirDoc = await aCertificate(b, b.childId);
      await parent.get('/demandes/nouvelle/absence');
      // Another household's booking and certificate are dropped from the draft.
      const id = await post(parent, '/demandes/nouvelle/absence', { jour: theirs, document: theirDoc, action: 'brouillon' });
      assert.deepEqual((await savedOf(id)).draft, {});
      // The day only (« the certificate comes later »).
      assert.equal(await post(parent, '/demandes/nouvelle/absence', { brouillon: id, jour: missed, action: 'brouillon' }), id);
      assert.deepEqual((await savedOf(id)).draft, { jour: missed });
      const list = textOf((await parent.get('/demandes')).body);
      assert.match(list, /Il manque : Choisissez le certificat médical à joindre/);
      assert.doesNotMatch(list, /Il manque : [^.]*jour d'absence/);
      const form = (await parent.get(`/demandes/nouvelle/absence?brouillon=${id}`)).body;
      assert.match(form, new RegExp(`value="${missed}"[^>]*checked`));
      // Sending without the certificate: error summary, values kept, still a draft.
      const incomplete = await parent.post('/demandes/nouvelle/absence', { brouillon: id, jour: missed, action: 'envoyer' });
      assert.equal(incomplete.status, 400);
      assert.match(textOf(incomplete.body), /Choisissez le certificat médical à joindre/);
      assert.match(incomplete.body, new RegExp(`value="${missed}"[^>]*checked`));
      assert.equal((await requestRow(id))?.status, 'draft');
      assert.equal(await t.ctx.db.selectFrom('absence_requests').select('request_id').where('request_id', '=', id).executeTakeFirst(), undefined);
      // Another household cannot reopen or post into it.
      const other = await loggedIn(b);
      assert.equal((await other.get(`/demandes/nouvelle/absence?brouillon=${id}`)).status, 404);
      await other.get('/demandes/nouvelle/absence');
      assert.equal((await other.post('/demandes/nouvelle/absence', { brouillon: id, action: 'brouillon' })).status, 404);
      assert.equal((await other.post(`/demandes/${id}/envoyer`)).status, 404);
      // The certificate comes: saved, then sent from the draft's page; same id, own row complete.
      const certificate = await aCertificate(a, a.childId);
      await parent.get(`/demandes/nouvelle/absence?brouillon=${id}`);
      assert.equal(await post(parent, '/demandes/nouvelle/absence', { brouillon: id, jour: missed, document: certificate, action: 'brouillon' }), id);
      assert.doesNotMatch(textOf((await parent.get('/demandes')).body), /Il manque/);
      await parent.get(`/demandes/${id}`);
      const sent = await parent.post(`/demandes/${id}/envoyer`);
      assert.equal(sent.location, `/demandes/${id}`);
      assert.equal((await requestRow(id))?.status, 'submitted');
      assert.deepEqual(await t.ctx.db.selectFrom('absence_requests').select(['booking_id', 'document_id']).where('request_id', '=', id).executeTakeFirstOrThrow(), { booking_id: missed, document_id: certificate });
      assert.equal((await t.ctx.db.selectFrom('requests').select('subject_person_id').where('id', '=', id).executeTakeFirstOrThrow()).subject_person_id, a.childId);
      // The day is now asked: a second draft of it cannot be sent.
      const again = await post(parent, '/demandes/nouvelle/absence', { jour: missed, document: certificate, action: 'brouillon' });
      await parent.get(`/demandes/${again}`);
      assert.equal((await parent.post(`/demandes/${again}/envoyer`)).location, `/demandes/nouvelle/absence?brouillon=${again}&verifier=1`);
      assert.match(textOf((await parent.get(`/demandes/nouvelle/absence?brouillon=${again}&verifier=1`)).body), /Une demande est déjà en cours pour ce jour/);
    });

    test('the 90-day purge deletes an incomplete draft of these types', async () => {
      const parent = await loggedIn(a);
      await parent.get('/demandes/nouvelle/quotient');
      const id = await post(parent, '/demandes/nouvelle/quotient', { action: 'brouillon' });
      t.clock.set('2027-03-01T10:00:00Z');
      assert.ok((await purgeStaleDrafts(t.ctx)) >= 1);
      assert.equal(await requestRow(id), undefined);
      assert.equal(await t.ctx.db.selectFrom('request_answers').select('request_id').where('request_id', '=', id).executeTakeFirst(), undefined);
      t.clock.set('2026-11-28T10:00:00Z');
    });
  });
}
