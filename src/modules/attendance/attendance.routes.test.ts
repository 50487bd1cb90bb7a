import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { assignAgentToGroup } from '../catalogue/catalogue.repository.ts';
import { bookingsService } from '../bookings/bookings.service.ts';
import { attendanceService } from './attendance.service.ts';

const DAY = '2026-12-03'; // a Thursday with canteen

for (const engine of testEngines()) {
  describe(`pointage et cuisine (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    let other: Awaited<ReturnType<typeof aService>>;
    let animateur: { id: string; email: string; password: string };
    let otherAnimateur: { id: string; email: string; password: string };
    let enfance: { id: string; email: string; password: string };
    let cook: { id: string; email: string; password: string };
    // Petit (standard), Moreau (vegetarian, PAI, allergy), Garcia (not booked), Lefèvre (sans porc).
    const kids: Awaited<ReturnType<typeof aFamily>>[] = [];
    let outsider: Awaited<ReturnType<typeof aFamily>>;

    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };
    const bookingOf = async (childId: string) => t.ctx.db.selectFrom('bookings').selectAll().where('child_person_id', '=', childId).where('day', '=', DAY).executeTakeFirstOrThrow();

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 3 });
      other = await aService(t.ctx, { places: 20 });
      animateur = await anAgent(t.ctx, ['animateur']);
      otherAnimateur = await anAgent(t.ctx, ['animateur']);
      enfance = await anAgent(t.ctx, ['enfance']);
      cook = await anAgent(t.ctx, ['restauration']);
      await assignAgentToGroup(t.ctx.db, animateur.id, s.groupId);
      await assignAgentToGroup(t.ctx.db, otherAnimateur.id, other.groupId);
      for (const name of ['Petit', 'Moreau', 'Garcia', 'Lefèvre']) {
        const f = await aFamily(t.ctx, agent, name);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        kids.push(f);
      }
      outsider = await aFamily(t.ctx, agent, 'Ailleurs');
      await anAcceptedEnrolment(t.ctx, outsider.householdId, outsider.childId, other);
      const bookings = bookingsService(t.ctx);
      for (const f of [kids[0], kids[1], kids[3]]) await bookings.applyFamilyChanges(await familyActorOf(t.ctx, f.email), [{ childId: f.childId, unitId: s.unitId, day: DAY, want: true }]);
      await bookings.applyFamilyChanges(await familyActorOf(t.ctx, outsider.email), [{ childId: outsider.childId, unitId: other.unitId, day: DAY, want: true }]);
      await t.ctx.db.updateTable('children').set({ diet: 'vegetarien' }).where('person_id', '=', kids[1].childId).execute();
      await t.ctx.db.updateTable('children').set({ diet: 'sans_porc' }).where('person_id', '=', kids[3].childId).execute();
      await t.ctx.db.updateTable('child_health').set({ has_pai: 1, allergies: 'Arachide', pai_description: 'Trousse d\'urgence dans le sac' }).where('person_id', '=', kids[1].childId).execute();
    });
    after(() => t.close());

    test('before the day the list shows who is expected, and presence cannot be taken ahead', async () => {
      const a = await login(animateur);
      const list = textOf((await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}`)).body);
      assert.match(list, /3 enfants attendus, 0 pointé/);
      assert.match(list, /pas encore arrivé/);
      const b = await bookingOf(kids[0].childId);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${b.id}?jour=${DAY}`, { etat: 'present' })).status, 409);
      assert.equal((await bookingOf(kids[0].childId)).attendance, null);
      t.clock.set(`${DAY}T07:30:00Z`);
    });

    test('an animator marks present and absent on their group, alerts without health details; only the service justifies', async () => {
      const a = await login(animateur);
      const list = await a.get(`/agent/pointage/${s.groupId}`); // today by default
      assert.equal(list.status, 200);
      const text = textOf(list.body);
      assert.match(text, /jeudi 3 décembre 2026/);
      assert.match(text, /Moreau.*PAI.*Allergie.*Végétarien/);
      assert.doesNotMatch(text, /Arachide|Trousse/); // the alert only, never the details
      assert.doesNotMatch(text, /Garcia/); // not booked
      assert.match(text, /Pas encore pointé/);
      const [petit, moreau] = [await bookingOf(kids[0].childId), await bookingOf(kids[1].childId)];
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${petit.id}?jour=${DAY}`, { etat: 'present' })).status, 303);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${moreau.id}?jour=${DAY}`, { etat: 'absent_unjustified' })).status, 303);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${moreau.id}?jour=${DAY}`, { etat: 'absent_justified' })).status, 403);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${moreau.id}?jour=${DAY}`, { etat: 'n_importe' })).status, 400);
      const after = await bookingOf(kids[0].childId);
      assert.equal(after.attendance, 'present');
      assert.equal(after.attendance_by, animateur.id);
      assert.equal((await bookingOf(kids[1].childId)).attendance, 'absent_unjustified');
      const shown = textOf((await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}`)).body);
      assert.match(shown, /3 enfants attendus, 2 pointés/);
      assert.match(shown, /Petit.*Présent/);
      // Written with its audit row on the household, without health data.
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'attendance.marked').where('target_id', '=', kids[1].householdId).execute();
      assert.equal(audit.length, 1);
      assert.doesNotMatch(audit[0].summary, /Arachide|PAI/);

      const service = await login(enfance);
      assert.match(textOf((await service.get(`/agent/pointage/${s.groupId}?jour=${DAY}`)).body), /Absent justifié/);
      assert.equal((await service.post(`/agent/pointage/${s.groupId}/${moreau.id}?jour=${DAY}`, { etat: 'absent_justified' })).status, 303);
      assert.equal((await bookingOf(kids[1].childId)).attendance, 'absent_justified');
    });

    test('a tap asked as JSON saves without a page and answers the state and the count; a refusal has its outcome code', async () => {
      const a = await login(animateur);
      await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}`);
      const json = (url: string, etat: string, c = a) =>
        t.app.inject({
          method: 'POST',
          url,
          payload: new URLSearchParams({ _csrf: c.lastCsrf, etat }).toString(),
          headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        });
      const lefevre = await bookingOf(kids[3].childId);
      const r = await json(`/agent/pointage/${s.groupId}/${lefevre.id}?jour=${DAY}`, 'present');
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.json(), { ok: true, outcome: 'marked', state: 'present', label: 'Présent', tone: 'green', counts: { expected: 3, present: 2, absent: 1, done: 3 }, countText: '3 enfants attendus, 3 pointés.' });
      assert.equal((await bookingOf(kids[3].childId)).attendance, 'present');
      // Without the CSRF token: refused, nothing saved.
      const forged = await t.app.inject({ method: 'POST', url: `/agent/pointage/${s.groupId}/${lefevre.id}?jour=${DAY}`, payload: 'etat=absent_unjustified', headers: { cookie: [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
      assert.equal(forged.statusCode, 403);
      assert.equal((await bookingOf(kids[3].childId)).attendance, 'present');
      // Another day than today: refused with its code and its sentence, as JSON.
      t.clock.set(`2026-12-04T07:30:00Z`);
      const tomorrow = await login(animateur);
      await tomorrow.get('/agent/pointage');
      const late = await json(`/agent/pointage/${s.groupId}/${lefevre.id}?jour=${DAY}`, 'absent_unjustified', tomorrow);
      t.clock.set(`${DAY}T07:30:00Z`);
      assert.equal(late.statusCode, 409);
      const refused = late.json<{ outcome: string; message: string }>();
      assert.equal(refused.outcome, 'not_today');
      assert.match(refused.message, /jour même/);
      assert.equal((await bookingOf(kids[3].childId)).attendance, 'present');
    });

    test('another group is closed to the animator; restauration never takes attendance', async () => {
      const a = await login(animateur);
      assert.equal((await a.get(`/agent/pointage/${other.groupId}?jour=${DAY}`)).status, 403);
      const outsiderBooking = await bookingOf(outsider.childId);
      assert.equal((await a.post(`/agent/pointage/${other.groupId}/${outsiderBooking.id}?jour=${DAY}`, { etat: 'absent_unjustified' })).status, 403);
      // A booking of another group through one's own group's address: not found.
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${outsiderBooking.id}?jour=${DAY}`, { etat: 'absent_unjustified' })).status, 404);
      assert.equal((await bookingOf(outsider.childId)).attendance, null);
      assert.equal((await a.get(`/agent/pointage/${other.groupId}/feuille.pdf?jour=${DAY}`)).status, 403);
      const groups = textOf((await a.get('/agent/pointage')).body);
      assert.equal((groups.match(/Élémentaire/g) ?? []).length, 1);

      const c = await login(cook);
      assert.equal((await c.get('/agent/pointage')).status, 403);
      assert.equal((await c.get(`/agent/pointage/${s.groupId}?jour=${DAY}`)).status, 403);
      assert.equal((await c.get(`/agent/pointage/${s.groupId}/feuille.pdf?jour=${DAY}`)).status, 403);
      assert.match((await new TestClient(t.app).get(`/agent/pointage/${s.groupId}`)).location ?? '', /^\/connexion/);
    });

    test('the health record opens from the list for the group\'s animators only, and each read is logged', async () => {
      const moreau = await bookingOf(kids[1].childId);
      const a = await login(animateur);
      const page = await a.get(`/agent/pointage/${s.groupId}/sante/${moreau.id}?jour=${DAY}`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Arachide/);
      assert.match(textOf(page.body), /Trousse d'urgence/);
      const reads = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'health.read').where('target_id', '=', kids[1].householdId).execute();
      assert.equal(reads.length, 1);
      assert.equal(reads[0].actor_id, animateur.id);

      assert.equal((await (await login(otherAnimateur)).get(`/agent/pointage/${s.groupId}/sante/${moreau.id}`)).status, 403);
      assert.equal((await (await login(cook)).get(`/agent/pointage/${s.groupId}/sante/${moreau.id}`)).status, 403);
      // Through a group the animator has, for a child of another group: not found.
      assert.equal((await (await login(otherAnimateur)).get(`/agent/pointage/${other.groupId}/sante/${moreau.id}`)).status, 404);
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'health.read').where('target_id', '=', kids[1].householdId).execute()).length, 1);
    });

    test('a child who came without booking is added present, even when the group is full, and can be withdrawn', async () => {
      const a = await login(animateur);
      const search = await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}&recherche=garcia`);
      assert.match(textOf(search.body), /Garcia.*Ajouter présent/);
      assert.doesNotMatch(textOf((await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}&recherche=ailleurs`)).body), /Ajouter présent/); // not enrolled here
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/ajout?jour=${DAY}`, { enfant: outsider.childId, unite: other.unitId })).status, 404);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/ajout?jour=${DAY}`, { enfant: kids[2].childId, unite: s.unitId })).status, 303);
      const walkIn = await bookingOf(kids[2].childId);
      assert.equal(walkIn.status, 'booked');
      assert.equal(walkIn.attendance, 'present_unbooked');
      assert.equal(walkIn.override, 1);
      assert.equal(walkIn.household_id, kids[2].householdId);
      const slot = await t.ctx.db.selectFrom('slots').selectAll().where('id', '=', walkIn.slot_id).executeTakeFirstOrThrow();
      assert.deepEqual([slot.capacity, slot.taken], [3, 4]); // over capacity: the child is there
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'attendance.walk_in').where('target_id', '=', kids[2].householdId).execute()).length, 1);
      // Confirming present keeps the walk-in (billed with the surcharge).
      await a.post(`/agent/pointage/${s.groupId}/${walkIn.id}?jour=${DAY}`, { etat: 'present' });
      assert.equal((await bookingOf(kids[2].childId)).attendance, 'present_unbooked');

      // Added by mistake: withdrawn, not billed as an absence, the place is freed; then added again.
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${walkIn.id}?jour=${DAY}`, { etat: 'absent_unjustified' })).status, 303);
      const withdrawn = await bookingOf(kids[2].childId);
      assert.deepEqual([withdrawn.status, withdrawn.attendance], ['cancelled', null]);
      assert.equal((await t.ctx.db.selectFrom('slots').select('taken').where('id', '=', walkIn.slot_id).executeTakeFirstOrThrow()).taken, 3);
      await a.post(`/agent/pointage/${s.groupId}/ajout?jour=${DAY}`, { enfant: kids[2].childId, unite: s.unitId });
      const again = await bookingOf(kids[2].childId);
      assert.deepEqual([again.id, again.status, again.attendance], [walkIn.id, 'booked', 'present_unbooked']);
    });

    test('the kitchen counts meals by diet from bookings and attendance, without any name, and prints them', async () => {
      const c = await login(cook);
      const page = await c.get(`/agent/cuisine?etablissement=${s.facilityId}&jour=${DAY}`);
      assert.equal(page.status, 200);
      const kitchen = textOf(page.body);
      // Petit present + Lefèvre booked (not yet marked) + Garcia without booking; Moreau absent.
      assert.match(kitchen, /Restauration scolaire – Repas : 3 repas/);
      assert.match(kitchen, /Sans régime particulier 2/);
      assert.match(kitchen, /Sans porc 1/);
      assert.doesNotMatch(kitchen, /Végétarien/);
      for (const name of ['Petit', 'Moreau', 'Garcia', 'Lefèvre', 'Noé']) assert.doesNotMatch(kitchen, new RegExp(name));
      const other = textOf((await c.get(`/agent/cuisine?etablissement=${s.facilityId}&jour=2026-12-04`)).body);
      assert.match(other, /Aucun repas réservé/);
      const pdf = await c.get(`/agent/cuisine.pdf?etablissement=${s.facilityId}&jour=${DAY}`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(pdf.body.slice(0, 5), /%PDF-/);
      assert.equal((await c.get(`/agent/cuisine.pdf?etablissement=00000000-0000-7000-8000-000000000000&jour=${DAY}`)).status, 404);
      assert.equal((await (await login(animateur)).get('/agent/cuisine')).status, 403);
    });

    test('the attendance sheet is a PDF for the group\'s animator and the service', async () => {
      for (const who of [animateur, enfance]) {
        const sheet = await (await login(who)).get(`/agent/pointage/${s.groupId}/feuille.pdf?jour=${DAY}`);
        assert.equal(sheet.status, 200);
        assert.equal(sheet.headers['content-type'], 'application/pdf');
        assert.match(sheet.body.slice(0, 5), /%PDF-/);
      }
    });

    test('attendance is recorded today by animators; enfance corrects the last 7 days; never ahead, never older, never 1970', async () => {
      // Today is DAY (Thursday 3 December, Paris). Garcia is enrolled in the group and can be added.
      const garcia = kids[2].childId;
      const TWO_DAYS_AGO = '2026-12-01';
      const NINE_DAYS_AGO = '2026-11-24';
      const TOMORROW = '2026-12-04';
      const bookingOn = (day: string) => t.ctx.db.selectFrom('bookings').selectAll().where('child_person_id', '=', garcia).where('day', '=', day).executeTakeFirst();
      const a = await login(animateur);
      await a.get(`/agent/pointage/${s.groupId}`);
      const walkIn = (c: TestClient, day: string) => c.post(`/agent/pointage/${s.groupId}/ajout?jour=${day}`, { enfant: garcia, unite: s.unitId });

      for (const day of ['1970-01-05', '2019-13-07', '2027-02-30', '0000-00-00']) assert.equal((await walkIn(a, day)).status, 400, day);
      const refused = await walkIn(a, TWO_DAYS_AGO);
      assert.equal(refused.status, 409);
      assert.match(textOf(refused.body), /La présence se pointe le jour même/);
      assert.equal(await bookingOn(TWO_DAYS_AGO), undefined);
      assert.doesNotMatch(textOf((await a.get(`/agent/pointage/${s.groupId}?jour=${TWO_DAYS_AGO}`)).body), /Ajouter un enfant venu sans réservation/);

      const e = await login(enfance);
      await e.get(`/agent/pointage/${s.groupId}`);
      assert.equal((await walkIn(e, '2019-01-07')).status, 409);
      assert.equal((await walkIn(e, NINE_DAYS_AGO)).status, 409);
      assert.equal((await walkIn(e, TOMORROW)).status, 409);
      assert.equal(await bookingOn(NINE_DAYS_AGO), undefined);
      assert.equal(await bookingOn(TOMORROW), undefined);
      assert.equal((await walkIn(e, TWO_DAYS_AGO)).status, 303, 'a correction within the window');
      const corrected = (await bookingOn(TWO_DAYS_AGO))!;
      assert.equal(corrected.attendance, 'present_unbooked');
      // The animator cannot change that past day; the service can, within the window.
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${corrected.id}?jour=${TWO_DAYS_AGO}`, { etat: 'absent_unjustified' })).status, 409);
      assert.equal((await bookingOn(TWO_DAYS_AGO))!.attendance, 'present_unbooked');
      assert.match(textOf((await e.get(`/agent/pointage/${s.groupId}?jour=${NINE_DAYS_AGO}`)).body), /Ce jour est clos/);

      // The service answers with codes.
      const service = attendanceService(t.ctx);
      const animAuth = await agentAuth(t.ctx, ['animateur']);
      await assignAgentToGroup(t.ctx.db, animAuth.user.id, s.groupId);
      const enfanceAuth = await agentAuth(t.ctx, ['enfance']);
      assert.deepEqual(await service.addWalkIn(animAuth, s.groupId, garcia, s.unitId, TWO_DAYS_AGO), { ok: false, code: 'not_today' });
      assert.deepEqual(await service.addWalkIn(enfanceAuth, s.groupId, garcia, s.unitId, NINE_DAYS_AGO), { ok: false, code: 'locked' });
      assert.deepEqual(await service.addWalkIn(enfanceAuth, s.groupId, garcia, s.unitId, TOMORROW), { ok: false, code: 'ahead' });
      assert.deepEqual(await service.mark(animAuth, s.groupId, corrected.id, 'present'), { ok: false, code: 'not_today' });
      assert.deepEqual(await service.mark(enfanceAuth, s.groupId, corrected.id, 'present'), { ok: true, value: { day: TWO_DAYS_AGO } });
      // Late at night in Paris (23:30 UTC on the 2nd is 00:30 on the 3rd): today is the Paris day.
      t.clock.set('2026-12-02T23:30:00Z');
      assert.deepEqual(await service.addWalkIn(animAuth, s.groupId, garcia, s.unitId, '2026-12-02'), { ok: false, code: 'not_today' });
      t.clock.set(`${DAY}T07:30:00Z`);
    });

    test('malformed input is a 400 (or a 404 for an id), never a 500', async () => {
      const e = await login(enfance);
      await e.get(`/agent/pointage/${s.groupId}`);
      const booking = await bookingOf(kids[0].childId);
      const statuses = [
        (await e.post(`/agent/pointage/${s.groupId}/ajout?jour=${DAY}`, {})).status,
        (await e.post(`/agent/pointage/${s.groupId}/ajout?jour=${DAY}`, { enfant: [kids[2].childId, kids[2].childId], unite: s.unitId })).status,
        (await e.post(`/agent/pointage/${s.groupId}/${booking.id}?jour=${DAY}`, {})).status,
        (await e.post(`/agent/pointage/${s.groupId}/${booking.id}?jour=${DAY}`, { etat: ['present', 'present'] })).status,
        (await e.post(`/agent/pointage/${s.groupId}/${booking.id}?jour=${DAY}&jour=${DAY}`, { etat: 'present' })).status,
        (await e.get(`/agent/pointage/${s.groupId}?jour=2026-02-30`)).status,
        (await e.get(`/agent/pointage/${s.groupId}?recherche=a&recherche=b`)).status,
      ];
      assert.deepEqual(statuses, [400, 400, 400, 400, 400, 400, 400]);
      assert.equal((await e.post(`/agent/pointage/${s.groupId}/pas-un-id?jour=${DAY}`, { etat: 'present' })).status, 404);
      assert.equal((await e.get(`/agent/pointage/pas-un-id`)).status, 404);
      assert.equal((await (await login(cook)).get(`/agent/cuisine?etablissement=pas-un-id`)).status, 400);
    });

    test('reading a group\'s list or its PDF is an audited read of each family on it, one row per household', async () => {
      const reads = () => t.ctx.db.selectFrom('audit_log').select(['target_id', 'summary']).where('action', '=', 'read.attendance').orderBy('id').execute();
      const before = await reads();
      const a = await login(animateur);
      assert.equal((await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}`)).status, 200);
      const afterList = (await reads()).slice(before.length);
      // Whoever is on the list by now (earlier tests added a walk-in): one row per household on it.
      const onList = await t.ctx.db.selectFrom('bookings').innerJoin('slots', 'slots.id', 'bookings.slot_id').select('bookings.household_id').distinct().where('slots.group_id', '=', s.groupId).where('bookings.day', '=', DAY).where('bookings.status', '=', 'booked').execute();
      const expected = onList.map((r) => r.household_id).sort();
      assert.ok(expected.length >= 3);
      assert.deepEqual(afterList.map((r) => r.target_id).sort(), expected);
      assert.ok(afterList.every((r) => /a consulté la liste de présence du jeudi 3 décembre/.test(r.summary)));
      assert.ok(!afterList.some((r) => r.target_id === outsider.householdId));
      const pdfReads = () => t.ctx.db.selectFrom('audit_log').select('target_id').where('action', '=', 'read.attendance_pdf').orderBy('id').execute();
      const pdfBefore = (await pdfReads()).length;
      assert.equal((await a.get(`/agent/pointage/${s.groupId}/feuille.pdf?jour=${DAY}`)).status, 200);
      assert.deepEqual((await pdfReads()).slice(pdfBefore).map((r) => r.target_id).sort(), expected);
    });
  });
}
