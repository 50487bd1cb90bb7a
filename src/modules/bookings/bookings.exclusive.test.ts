import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import * as cat from '../catalogue/catalogue.repository.ts';
import { bookingsService } from './bookings.service.ts';
import { exclusiveText, outcomeText } from './bookings.outcomes.ts';
import { childUnitDay, exclusiveClashes, exclusiveWith } from './bookings.domain.ts';
import { exclusionError } from '../catalogue/catalogue.domain.ts';

// Wednesdays of the school period (2 November – 18 December); deadlines J-2 at 12:00, now 28 November.
const WEDNESDAYS = ['2026-12-02', '2026-12-09', '2026-12-16'];

describe('unités exclusives : règles pures', () => {
  test('a town declares none, or two or more units of the service', () => {
    assert.equal(exclusionError([], ['a', 'b']), null);
    assert.equal(exclusionError(['a', 'b'], ['a', 'b', 'c']), null);
    assert.equal(exclusionError(['a'], ['a', 'b']), 'single_exclusive');
    assert.equal(exclusionError(['a', 'a'], ['a', 'b']), 'single_exclusive');
    assert.equal(exclusionError(['a', 'z'], ['a', 'b']), 'unknown_units');
  });
  test('a wish clashes with a unit the child has, or one given earlier in the form; other children and days are free', () => {
    const map = exclusiveWith([
      { id: 'day', service_id: 's', exclusion_group: 1 },
      { id: 'half', service_id: 's', exclusion_group: 1 },
      { id: 'snack', service_id: 's', exclusion_group: null },
      { id: 'other', service_id: 't', exclusion_group: 1 },
    ]);
    assert.deepEqual(map.get('day'), ['half']);
    assert.deepEqual(map.get('snack'), []);
    assert.deepEqual(map.get('other'), []);
    const wishes = [
      { childId: 'h', unitId: 'half', day: 'd1' },
      { childId: 'h', unitId: 'half', day: 'd2' },
      { childId: 'h', unitId: 'day', day: 'd2' },
      { childId: 'l', unitId: 'half', day: 'd1' },
      { childId: 'h', unitId: 'snack', day: 'd1' },
    ];
    assert.deepEqual([...exclusiveClashes(wishes, new Set([childUnitDay('h', 'day', 'd1')]), map)], [[0, 'day'], [2, 'half']]);
  });
});

for (const engine of testEngines()) {
  describe(`réservations : unités qui ne se cumulent pas (${engine})`, () => {
    let t: TestApp;
    let agent: Auth;
    let wed: Awaited<ReturnType<typeof aService>>;
    let morning: string;
    let snack: string;
    let hugo: { actor: FamilyActor; childId: string; householdId: string };
    let sisters: { actor: FamilyActor; childId: string; householdId: string }[];

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', poolSize: 10 });
      agent = await agentAuth(t.ctx, ['enfance']);
      wed = await aService(t.ctx, { kind: 'wednesday', weekdays: [3], places: 30 });
      await cat.updateUnit(t.ctx.db, wed.unitId, { label: 'Journée avec repas', isMeal: true });
      morning = await cat.insertUnit(t.ctx.db, { serviceId: wed.serviceId, label: 'Matinée sans repas', isMeal: false, position: 1 });
      snack = await cat.insertUnit(t.ctx.db, { serviceId: wed.serviceId, label: 'Goûter', isMeal: true, position: 2 });
      await cat.setExclusionGroup(t.ctx.db, wed.serviceId, [wed.unitId, morning]);
      const families = [];
      for (const name of ['Hugo', 'A', 'B', 'C', 'D']) {
        const f = await aFamily(t.ctx, agent, name);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, wed);
        families.push({ actor: await familyActorOf(t.ctx, f.email), childId: f.childId, householdId: f.householdId });
      }
      [hugo, ...sisters] = families;
    });
    after(() => t.close());

    const service = () => bookingsService(t.ctx);
    const active = (childId: string, day: string) =>
      t.ctx.db.selectFrom('bookings').select('unit_id').where('child_person_id', '=', childId).where('day', '=', day).where('status', 'in', ['booked', 'waiting', 'requested']).execute();

    test('the second of two exclusive units is refused with its code and the other unit named; an unrelated unit is booked', async () => {
      const day = WEDNESDAYS[0];
      const [first] = await service().applyFamilyChanges(hugo.actor, [{ childId: hugo.childId, unitId: wed.unitId, day, want: true }]);
      assert.equal(first.code, 'booked');
      const results = await service().applyFamilyChanges(hugo.actor, [
        { childId: hugo.childId, unitId: morning, day, want: true },
        { childId: hugo.childId, unitId: snack, day, want: true },
      ]);
      assert.deepEqual(results.map((r) => [r.unitId, r.code, r.ok]), [[morning, 'exclusive', false], [snack, 'booked', true]]);
      assert.equal(results[0].name, 'Journée avec repas');
      assert.equal(outcomeText(results[0]), 'Déjà « Journée avec repas » ce jour-là : les deux ne se cumulent pas');
      assert.equal(exclusiveText('Hugo', results[0].name), 'Hugo a déjà « Journée avec repas » ce jour-là : les deux ne se cumulent pas');
      assert.deepEqual((await active(hugo.childId, day)).map((r) => r.unit_id).sort(), [wed.unitId, snack].sort());

      // An agent's override lifts deadlines and capacity, not this rule.
      const override = await service().applyAgentOverride(agent, hugo.householdId, { childId: hugo.childId, unitId: morning, day, want: true });
      assert.equal(override.code, 'exclusive');

      // One form may swap one for the other: the cancellation is done first.
      const swap = await service().applyFamilyChanges(hugo.actor, [
        { childId: hugo.childId, unitId: morning, day, want: true },
        { childId: hugo.childId, unitId: wed.unitId, day, want: false },
      ]);
      assert.deepEqual(swap.map((r) => r.code), ['booked', 'cancelled']);
      assert.deepEqual((await active(hugo.childId, day)).map((r) => r.unit_id).sort(), [morning, snack].sort());
    });

    test('a weekly pattern asking for both units books the first and refuses the second, day by day', async () => {
      const changes = service().weeklyChanges([hugo.childId], [wed.unitId, morning], [3], WEDNESDAYS[1], WEDNESDAYS[2], true);
      const results = await service().applyFamilyChanges(hugo.actor, changes);
      const byUnit = (u: string) => results.filter((r) => r.unitId === u).map((r) => r.code);
      assert.deepEqual(byUnit(wed.unitId), ['booked', 'booked']);
      assert.deepEqual(byUnit(morning), ['exclusive', 'exclusive']);
    });

    test('calendar rows carry the units each one excludes', async () => {
      const [{ rows }] = await service().calendar(hugo.actor, WEDNESDAYS[0], WEDNESDAYS[0]);
      const of = (u: string) => rows.find((r) => r.unit.id === u)!.exclusiveWith;
      assert.deepEqual(of(wed.unitId), [morning]);
      assert.deepEqual(of(morning), [wed.unitId]);
      assert.deepEqual(of(snack), []);
    });

    test('two forms at once for the two exclusive units of one child and day: exactly one is booked', async () => {
      // The same child booked from two devices; each child a different day so the rounds are independent.
      for (const [i, f] of sisters.entries()) {
        const day = WEDNESDAYS[i % WEDNESDAYS.length];
        const [a, b] = await Promise.all([
          service().applyFamilyChanges(f.actor, [{ childId: f.childId, unitId: wed.unitId, day, want: true }]),
          service().applyFamilyChanges(f.actor, [{ childId: f.childId, unitId: morning, day, want: true }]),
        ]);
        assert.deepEqual([a[0].code, b[0].code].sort(), ['booked', 'exclusive'], `round ${i}`);
        assert.equal((await active(f.childId, day)).length, 1, `round ${i}`);
      }
    });
  });
}
