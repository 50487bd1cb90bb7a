import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { assignAgentToGroup } from '../catalogue/catalogue.repository.ts';
import { bookingsService } from '../bookings/bookings.service.ts';

const DAY = '2026-12-03'; // a Thursday with canteen
const NEXT = '2026-12-04';

for (const engine of testEngines()) {
  describe(`la page d'accueil de chaque rôle (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    const people: Record<string, { id: string; email: string; password: string }> = {};
    const kids: Awaited<ReturnType<typeof aFamily>>[] = [];

    const home = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      const r = await c.get('/agent');
      assert.equal(r.status, 200);
      return textOf(r.body);
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      for (const role of ['animateur', 'restauration', 'enfance', 'regie', 'admin'] as const) people[role] = await anAgent(t.ctx, [role]);
      await assignAgentToGroup(t.ctx.db, people.animateur.id, s.groupId);
      for (const name of ['Petit', 'Moreau', 'Garcia', 'Lefèvre']) {
        const f = await aFamily(t.ctx, agent, name);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        kids.push(f);
      }
      const bookings = bookingsService(t.ctx);
      for (const f of kids) await bookings.applyFamilyChanges(await familyActorOf(t.ctx, f.email), [{ childId: f.childId, unitId: s.unitId, day: DAY, want: true }]);
      await bookings.applyFamilyChanges(await familyActorOf(t.ctx, kids[1].email), [{ childId: kids[1].childId, unitId: s.unitId, day: NEXT, want: true }]);
      await t.ctx.db.updateTable('children').set({ diet: 'vegetarien' }).where('person_id', '=', kids[1].childId).execute();
      await t.ctx.db.updateTable('children').set({ diet: 'sans_porc' }).where('person_id', '=', kids[3].childId).execute();
      await t.ctx.db.updateTable('child_health').set({ has_pai: 1, allergies: 'Arachide', pai_description: 'Trousse d\'urgence dans le sac' }).where('person_id', '=', kids[1].childId).execute();
      t.clock.set(`${DAY}T07:30:00Z`);
    });
    after(() => t.close());

    test('the animator sees today\'s group with its counts and reaches the list in one tap', async () => {
      const c = new TestClient(t.app);
      await c.login(people.animateur.email, people.animateur.password);
      const list = await c.get(`/agent/pointage/${s.groupId}?jour=${DAY}`);
      assert.equal(list.status, 200);
      const bookings = await t.ctx.db.selectFrom('bookings').select(['id', 'child_person_id']).where('day', '=', DAY).execute();
      const idOf = (k: number) => bookings.find((b) => b.child_person_id === kids[k].childId)!.id;
      await c.post(`/agent/pointage/${s.groupId}/${idOf(0)}?jour=${DAY}`, { etat: 'present' });
      await c.post(`/agent/pointage/${s.groupId}/${idOf(2)}?jour=${DAY}`, { etat: 'present' });
      await c.post(`/agent/pointage/${s.groupId}/${idOf(1)}?jour=${DAY}`, { etat: 'absent_unjustified' });
      const r = await c.get('/agent');
      const text = textOf(r.body);
      assert.match(text, /Pointage d'aujourd'hui, jeudi 3 décembre/);
      assert.match(text, /4 enfants attendus : 2 présents, 1 absent, 1 à pointer/);
      assert.match(r.body, new RegExp(`href="/agent/pointage/${s.groupId}\\?jour=${DAY}"`));
      assert.doesNotMatch(text, /apparaîtront ici|\(s\)/);
      assert.doesNotMatch(text, /Petit|Moreau/); // counts, no names
    });

    test('the cook sees today and the next days by facility, by diet, with what to avoid and no name', async () => {
      const text = await home(people.restauration);
      // Moreau is absent: three meals today (standard 2 after the absence: Petit, Garcia; sans porc 1).
      assert.match(text, /Aujourd'hui, jeudi 3 décembre\s*3 repas : sans régime particulier 2, sans porc 1/i);
      assert.match(text, /vendredi 4 décembre\s*1 repas : végétarien 1/i);
      assert.match(text, /Sans arachide : 1 enfant/);
      assert.match(text, /1 enfant avec un PAI/);
      assert.doesNotMatch(text, /Moreau|Petit|Trousse|\(s\)/);
    });

    test('enfance sees its queues with counts linking to the lists; régie a plain sentence; admin its own', async () => {
      const enfance = await home(people.enfance);
      assert.match(enfance, /0 demande d'inscription à traiter/);
      assert.match(enfance, /0 modification demandée par les familles/);
      assert.doesNotMatch(enfance, /Pointage d'aujourd'hui|Repas à préparer|\(s\)/);
      const regie = await home(people.regie);
      assert.match(regie, /La facturation n'est pas encore ouverte/);
      assert.doesNotMatch(regie, /apparaîtront ici/);
      const admin = await home(people.admin);
      assert.match(admin, /0 courriel en échec d'envoi/);
      assert.match(admin, /demande d'inscription à traiter/);
    });
  });
}
