import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { assignAgentToGroup } from '../catalogue/catalogue.repository.ts';
import { bookingsService } from '../bookings/bookings.service.ts';

const DAY = '2026-12-03';

for (const engine of testEngines()) {
  describe(`pointage et cuisine (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    let other: Awaited<ReturnType<typeof aService>>;
    let animateur: { id: string; email: string; password: string };
    const kids: Awaited<ReturnType<typeof aFamily>>[] = [];

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 20 });
      other = await aService(t.ctx, { places: 20 });
      animateur = await anAgent(t.ctx, ['animateur']);
      await assignAgentToGroup(t.ctx.db, animateur.id, s.groupId);
      for (const name of ['Petit', 'Moreau', 'Garcia']) {
        const f = await aFamily(t.ctx, agent, name);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        kids.push(f);
      }
      // Two of three book the day; Garcia's child eats vegetarian and has a PAI.
      for (const f of kids.slice(0, 2)) await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, f.email), [{ childId: f.childId, unitId: s.unitId, day: DAY, want: true }]);
      await t.ctx.db.updateTable('children').set({ diet: 'vegetarien' }).where('person_id', '=', kids[1].childId).execute();
      await t.ctx.db.updateTable('child_health').set({ has_pai: 1, allergies: 'Arachide' }).where('person_id', '=', kids[1].childId).execute();
    });
    after(() => t.close());

    test('an animator marks present and absent on their group, adds a child who came without booking; the kitchen count follows', async () => {
      const a = new TestClient(t.app);
      await a.login(animateur.email, animateur.password);
      const list = await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}`);
      assert.equal(list.status, 200);
      const text = textOf(list.body);
      assert.match(text, /2 enfant\(s\) attendu\(s\), 0 pointé\(s\)/);
      assert.match(text, /PAI/);
      assert.doesNotMatch(text, /Arachide/); // flags only, never the details
      const bookings = await t.ctx.db.selectFrom('bookings').select(['id', 'child_person_id']).where('day', '=', DAY).execute();
      const first = bookings.find((b) => b.child_person_id === kids[0].childId)!;
      const second = bookings.find((b) => b.child_person_id === kids[1].childId)!;
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${first.id}?jour=${DAY}`, { etat: 'present' })).status, 303);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${second.id}?jour=${DAY}`, { etat: 'absent_unjustified' })).status, 303);
      // An animator cannot justify an absence.
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/${second.id}?jour=${DAY}`, { etat: 'absent_justified' })).status, 403);
      const search = await a.get(`/agent/pointage/${s.groupId}?jour=${DAY}&recherche=garcia`);
      assert.match(textOf(search.body), /Ajouter présent/);
      assert.equal((await a.post(`/agent/pointage/${s.groupId}/ajout?jour=${DAY}`, { enfant: kids[2].childId, unite: s.unitId })).status, 303);
      const rows = await t.ctx.db.selectFrom('bookings').select(['child_person_id', 'attendance', 'override']).where('day', '=', DAY).execute();
      assert.deepEqual(Object.fromEntries(rows.map((r) => [r.child_person_id, r.attendance])), { [kids[0].childId]: 'present', [kids[1].childId]: 'absent_unjustified', [kids[2].childId]: 'present_unbooked' });

      const cookAccount = await anAgent(t.ctx, ['restauration']);
      const cook = new TestClient(t.app);
      await cook.login(cookAccount.email, cookAccount.password);
      const kitchen = textOf((await cook.get(`/agent/cuisine?etablissement=${s.facilityId}&jour=${DAY}`)).body);
      assert.match(kitchen, /Restauration scolaire – Repas : 2 repas/); // 2 booked − 1 absent + 1 walk-in
      assert.doesNotMatch(kitchen, /Petit|Garcia|Moreau/); // no names for the kitchen
      const pdf = await cook.get(`/agent/cuisine.pdf?etablissement=${s.facilityId}&jour=${DAY}`);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal((await cook.get(`/agent/pointage/${s.groupId}?jour=${DAY}`)).status, 403);
    });

    test('an animator cannot open another group; the attendance sheet is a PDF', async () => {
      const a = new TestClient(t.app);
      await a.login(animateur.email, animateur.password);
      assert.equal((await a.get(`/agent/pointage/${other.groupId}?jour=${DAY}`)).status, 403);
      const sheet = await a.get(`/agent/pointage/${s.groupId}/feuille.pdf?jour=${DAY}`);
      assert.equal(sheet.status, 200);
      assert.match(sheet.body.slice(0, 5), /%PDF-/);
      const groups = textOf((await a.get('/agent/pointage')).body);
      assert.match(groups, /Élémentaire/);
      assert.equal((groups.match(/Élémentaire/g) ?? []).length, 1);
    });
  });
}
