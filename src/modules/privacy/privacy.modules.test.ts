import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { newId } from '../../platform/ids.ts';
import { DAY } from '../../platform/clock/clock.ts';
import { insertNotice } from '../../platform/notices/notices.repository.ts';
import { aSchoolCatalogue, enrolThroughForm } from '../enrolments/enrolments.fixtures.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';

/** The parts of the export file these tests read. */
interface ExportFile {
  requests: { summary: string; status: string }[];
  request_messages: { body: string; from_family: boolean }[];
  enrolments: { child: string; service: string }[];
  bookings: { child: string; day: string; status: string }[];
  notices: { text: string }[];
  calendar_feeds: { version: number }[];
}

/**
 * Item 17: the export and the anonymisation cover every module's data, not only the households
 * module's: requests and their messages, enrolments, bookings, notices and calendar feeds.
 */
for (const engine of testEngines()) {
  describe(`données personnelles de tous les modules : export et anonymisation (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let admin: { email: string; password: string };
    let requestId: string;
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const town = await agentAuth(t.ctx, ['enfance']);
      admin = await anAgent(t.ctx, ['admin']);
      const c = await aSchoolCatalogue(t.ctx);
      a = await aFamily(t.ctx, town, 'Rousseau', { childFirstName: 'Capucine' });
      b = await aFamily(t.ctx, town, 'Garnier', { childFirstName: 'Timéo' });
      for (const f of [a, b]) {
        const parent = await loggedIn(f);
        const id = await enrolThroughForm(parent, { enfant: f.childId, service: c.canteenId, annee: c.year26 });
        if (f === a) requestId = id;
        await parent.get(`/demandes/${id}`);
        const sent = await parent.post(`/demandes/${id}/messages`, { message: `${f === a ? 'Capucine' : 'Timéo'} mange sans porc, merci.` });
        assert.equal(sent.status, 303);
        const now = t.clock.now();
        await insertNotice(t.ctx.db, f.householdId, `Une place s'est libérée : ${f === a ? 'Capucine' : 'Timéo'} est inscrit le jeudi 3 décembre.`, now);
        // A booking on a slot of the canteen, as the bookings module writes it.
        const unit = await t.ctx.db.selectFrom('units').select('id').where('service_id', '=', c.canteenId).executeTakeFirstOrThrow();
        const slotId = newId();
        const day = f === a ? '2026-12-03' : '2026-12-04';
        await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: unit.id, group_id: c.elementaireId, day, capacity: null, taken: 1, waiting_seq: 0, waiting: 0, closed: 0 }).execute();
        await t.ctx.db
          .insertInto('bookings')
          .values({ id: newId(), child_person_id: f.childId, household_id: f.householdId, service_id: c.canteenId, unit_id: unit.id, slot_id: slotId, day, status: 'booked', waiting_rank: null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: now.toISOString(), updated_at: now.toISOString() })
          .execute();
        await t.ctx.db.insertInto('calendar_feeds').values({ household_id: f.householdId, version: 3 }).execute();
      }
    });
    after(() => t.close());

    test('the export holds requests, their messages, enrolments, bookings, notices and the calendar feed, and nothing of another household', async () => {
      const parent = await loggedIn(a);
      const res = await parent.get('/famille/donnees.json');
      assert.equal(res.status, 200);
      const data = JSON.parse(res.body) as ExportFile;
      assert.equal(data.requests.length, 1);
      assert.match(data.requests[0].summary, /Capucine/);
      assert.equal(data.requests[0].status, 'Déposée', 'a status in French, never a code word');
      assert.ok(data.request_messages.some((m) => m.body === 'Capucine mange sans porc, merci.' && m.from_family));
      assert.equal(data.enrolments.length, 1);
      assert.equal(data.enrolments[0].child, 'Capucine');
      assert.equal(data.enrolments[0].service, 'Restauration scolaire');
      assert.deepEqual(data.bookings.map((x) => [x.child, x.day, x.status]), [['Capucine', '2026-12-03', 'Réservé']]);
      assert.ok(data.notices.some((n) => /Capucine/.test(n.text)));
      assert.deepEqual(data.calendar_feeds, [{ version: 3 }]);
      for (const foreign of ['Garnier', 'Timéo', b.email, '2026-12-04']) assert.ok(!res.body.includes(foreign), `${foreign} ne doit pas figurer dans l'export de A`);

      const page = textOf((await parent.get('/famille/donnees')).body);
      for (const heading of ['Demandes', 'Messages des demandes', 'Inscriptions aux services', 'Réservations et présences', 'Messages du portail', 'Abonnement au calendrier']) assert.match(page, new RegExp(heading));
      assert.match(page, /jeudi 3 décembre 2026/);
      assert.doesNotMatch(page, /\bbooked\b|\bsubmitted\b|from_family/);
    });

    test('anonymisation leaves no first name in requests, messages or notices, removes the calendar feed, and leaves the other household alone', async () => {
      await householdsAgentService(t.ctx).setArchived(await agentAuth(t.ctx, ['admin']), a.householdId, true);
      t.clock.advance(3 * 366 * DAY);
      const agent = await loggedIn(admin);
      await agent.get(`/agent/foyers/${a.householdId}/anonymiser`);
      const done = await agent.post(`/agent/foyers/${a.householdId}/anonymiser`, { confirm: '1' });
      assert.equal(done.status, 303);

      const db = t.ctx.db;
      const requests = await db.selectFrom('requests').select(['summary', 'status', 'type']).where('household_id', '=', a.householdId).execute();
      assert.equal(requests.length, 1, 'the request stays, for statistics');
      assert.doesNotMatch(requests[0].summary, /Capucine|Rousseau/);
      const messages = await db.selectFrom('request_messages').select(['body', 'author_label']).where('request_id', '=', requestId).execute();
      assert.ok(messages.length >= 1);
      for (const m of messages) assert.doesNotMatch(`${m.body} ${m.author_label}`, /Capucine|Rousseau|Alex/);
      const notices = await db.selectFrom('notices').select('text').where('household_id', '=', a.householdId).execute();
      for (const n of notices) assert.doesNotMatch(n.text, /Capucine/);
      assert.equal((await db.selectFrom('calendar_feeds').select('version').where('household_id', '=', a.householdId).execute()).length, 0);
      // Bookings and enrolments stay for billing and statistics, without a name.
      assert.equal((await db.selectFrom('bookings').select('id').where('household_id', '=', a.householdId).execute()).length, 1);
      const child = await db.selectFrom('persons').select(['first_name']).where('id', '=', a.childId).executeTakeFirstOrThrow();
      assert.equal(child.first_name, 'Anonyme');

      // Household B is untouched.
      const bRequest = await db.selectFrom('requests').select('summary').where('household_id', '=', b.householdId).executeTakeFirstOrThrow();
      assert.match(bRequest.summary, /Timéo/);
      assert.ok((await db.selectFrom('notices').select('text').where('household_id', '=', b.householdId).execute()).some((n) => /Timéo/.test(n.text)));
      assert.equal((await db.selectFrom('calendar_feeds').select('version').where('household_id', '=', b.householdId).execute()).length, 1);
      const bMessages = await db.selectFrom('request_messages').innerJoin('requests', 'requests.id', 'request_messages.request_id').select('body').where('requests.household_id', '=', b.householdId).execute();
      assert.ok(bMessages.some((m) => /Timéo/.test(m.body)));
    });
  });
}
