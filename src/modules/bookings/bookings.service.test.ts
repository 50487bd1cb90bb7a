import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { bookingsService, type ChangeResult } from './bookings.service.ts';
import * as repo from './bookings.repository.ts';

/** The codes (and their details) of a form's results, for assertions. */
const pick = (results: ChangeResult[]) => results.map((r) => Object.fromEntries(Object.entries({ code: r.code, position: r.position, closed: r.closed, name: r.name }).filter(([, v]) => v !== undefined)));

const DAY = '2026-12-03'; // Thursday; deadline Tuesday 1 December at 12:00 (J-2 ouvrés)

for (const engine of testEngines()) {
  describe(`réservations : délais, places et liste d'attente (${engine})`, () => {
    let t: TestApp;
    let agent: Auth;
    let service: Awaited<ReturnType<typeof aService>>;
    const families: { actor: FamilyActor; childId: string; householdId: string }[] = [];

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', poolSize: 10 });
      agent = await agentAuth(t.ctx, ['enfance']);
      service = await aService(t.ctx, { places: 5 });
      for (let i = 0; i < 24; i++) {
        const f = await aFamily(t.ctx, agent, `Famille${i}`);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, service);
        families.push({ actor: await familyActorOf(t.ctx, f.email), childId: f.childId, householdId: f.householdId });
      }
    });
    after(() => t.close());

    const book = (i: number, want = true, day = DAY) => bookingsService(t.ctx).applyFamilyChanges(families[i].actor, [{ childId: families[i].childId, unitId: service.unitId, day, want }]);

    test('many parallel requests for the last places never overbook; the others wait in arrival order', async () => {
      const results = await Promise.all(families.slice(0, 20).map((_, i) => book(i)));
      const outcomes = results.map((r) => r[0]);
      assert.equal(outcomes.filter((r) => r.code === 'booked').length, 5);
      assert.equal(outcomes.filter((r) => r.code === 'waiting').length, 15);
      const slotId = await repo.ensureSlot(t.ctx.db, service.unitId, service.groupId, DAY);
      const counters = await repo.slotCounters(t.ctx.db, slotId);
      assert.deepEqual(counters, { capacity: 5, taken: 5, booked: 5, waiting: 15, listed: 15 });
      // Ranks are unique and positions go 1..15 in rank order, which is the order the forms came in.
      const waiting = await t.ctx.db.selectFrom('bookings').select(['id', 'child_person_id', 'waiting_rank']).where('slot_id', '=', slotId).where('status', '=', 'waiting').orderBy('waiting_rank').execute();
      assert.equal(new Set(waiting.map((w) => w.waiting_rank)).size, 15);
      const positions = await repo.waitingPositions(t.ctx.db, waiting.map((w) => w.id));
      assert.deepEqual(waiting.map((w) => positions.get(w.id)), Array.from({ length: 15 }, (_, i) => i + 1));
      const arrival = (childId: string) => families.findIndex((f) => f.childId === childId);
      assert.deepEqual(waiting.map((w) => arrival(w.child_person_id)), waiting.map((w) => arrival(w.child_person_id)).sort((a, b) => a - b));
      // Each family was told its place when its form was written; only a family that came in
      // earlier, whose form was written later, can have come ahead of it since.
      for (const w of waiting) assert.ok(results[arrival(w.child_person_id)][0].position! <= positions.get(w.id)!);
      // Asking again changes nothing (no duplicate).
      assert.deepEqual(await book(0), []);
      assert.equal((await repo.slotCounters(t.ctx.db, slotId)).booked, 5);
    });

    test('a cancellation promotes the first on the waiting list, with a notice and an e-mail', async () => {
      const slotId = await repo.ensureSlot(t.ctx.db, service.unitId, service.groupId, DAY);
      const booked = await t.ctx.db.selectFrom('bookings').select(['id', 'child_person_id']).where('slot_id', '=', slotId).where('status', '=', 'booked').execute();
      const first = await t.ctx.db.selectFrom('bookings').selectAll().where('slot_id', '=', slotId).where('status', '=', 'waiting').orderBy('waiting_rank').limit(2).execute();
      const cancelling = families.findIndex((f) => f.childId === booked[0].child_person_id);
      await Promise.all([book(cancelling, false), book(families.findIndex((f) => f.childId === booked[1].child_person_id), false)]);
      const after = await t.ctx.db.selectFrom('bookings').selectAll().where('id', 'in', first.map((f) => f.id)).execute();
      assert.deepEqual(after.map((b) => b.status), ['booked', 'booked']);
      assert.deepEqual(await repo.slotCounters(t.ctx.db, slotId), { capacity: 5, taken: 5, booked: 5, waiting: 13, listed: 13 });
      const notice = await t.ctx.db.selectFrom('notices').selectAll().where('household_id', '=', first[0].household_id).executeTakeFirstOrThrow();
      assert.match(notice.text, /Une place s'est libérée/);
      const mails = await t.ctx.db.selectFrom('outbox').select('subject').where('kind', '=', 'booking-notice').execute();
      assert.ok(mails.length >= 2);
    });

    test('a family that leaves the waiting list moves the others up; the next one to join is told its true place', async () => {
      const slotId = await repo.ensureSlot(t.ctx.db, service.unitId, service.groupId, DAY);
      const waiting = await t.ctx.db.selectFrom('bookings').select(['id', 'child_person_id']).where('slot_id', '=', slotId).where('status', '=', 'waiting').orderBy('waiting_rank').execute();
      const second = families.findIndex((f) => f.childId === waiting[1].child_person_id);
      assert.equal((await book(second, false))[0].code, 'cancelled');
      const positions = await repo.waitingPositions(t.ctx.db, [waiting[0].id, waiting[2].id]);
      assert.deepEqual([positions.get(waiting[0].id), positions.get(waiting[2].id)], [1, 2]);
      assert.deepEqual(pick(await book(20)), [{ code: 'waiting', position: 13 }]);
      assert.deepEqual(await repo.slotCounters(t.ctx.db, slotId), { capacity: 5, taken: 5, booked: 5, waiting: 13, listed: 13 });
    });

    test('after the deadline a family can neither book nor cancel, and is told until when it could; an agent can override', async () => {
      t.clock.set('2026-12-01T10:59:59Z'); // Tuesday 11:59:59 in Paris
      assert.equal((await book(21, true, '2026-12-04'))[0].ok, true);
      t.clock.set('2026-12-01T11:00:00Z'); // Tuesday 12:00: deadline of Thursday 3
      const late = await book(22);
      assert.equal(late[0].ok, false);
      assert.equal(late[0].code, 'deadline');
      assert.equal(late[0].at?.toISOString(), '2026-12-01T11:00:00.000Z');
      const forced = await bookingsService(t.ctx).applyAgentOverride(agent, families[22].householdId, { childId: families[22].childId, unitId: service.unitId, day: DAY, want: true });
      assert.equal(forced.ok, true);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'booking.override').execute();
      assert.equal(audit.length, 1);
      t.clock.set('2026-11-28T10:00:00Z');
    });

    test('closed days: public holidays, days without service, closures; closing a day cancels its bookings and tells the families', async () => {
      assert.deepEqual(pick(await book(23, true, '2026-12-25')), [{ code: 'closed', closed: 'public_holiday', name: 'Noël' }]);
      assert.deepEqual(pick(await book(23, true, '2026-12-02')), [{ code: 'closed', closed: 'no_service' }]); // Wednesday
      assert.deepEqual(pick(await book(23, true, '2026-12-22')), [{ code: 'closed', closed: 'school_holidays' }]);
      await book(23, true, '2026-12-10');
      const r = await bookingsService(t.ctx).closeDay(agent, { day: '2026-12-10', facilityId: service.facilityId, serviceId: null, reason: 'grève' });
      assert.equal(r.cancelled, 1);
      const b = await repo.findBooking(t.ctx.db, families[23].childId, service.unitId, '2026-12-10');
      assert.equal(b?.status, 'closed');
      assert.deepEqual(pick(await book(23, true, '2026-12-10')), [{ code: 'closed', closed: 'closure', name: 'grève' }]);
    });

    test('siblings booked in one form for the last place of a day: one gets it, the other waits', async () => {
      const small = await aService(t.ctx, { places: 1 });
      const f = await aFamily(t.ctx, agent, 'Fratrie', { childFirstName: 'Léa' });
      await householdsAgentService(t.ctx).addChild(agent, f.householdId, { first_name: 'Hugo', last_name: 'Fratrie', birth_date: '2019-02-11', sex: 'M', school: null, class_level: null });
      const { members } = await householdsAgentService(t.ctx).get(agent, f.householdId);
      const hugo = members.find((m) => m.first_name === 'Hugo')!.id;
      for (const childId of [f.childId, hugo]) await anAcceptedEnrolment(t.ctx, f.householdId, childId, small);
      const actor = await familyActorOf(t.ctx, f.email);
      const results = await bookingsService(t.ctx).applyFamilyChanges(actor, [f.childId, hugo].map((childId) => ({ childId, unitId: small.unitId, day: '2026-12-07', want: true })));
      assert.deepEqual(pick(results), [{ code: 'booked' }, { code: 'waiting', position: 1 }]);
      const slotId = await repo.ensureSlot(t.ctx.db, small.unitId, small.groupId, '2026-12-07');
      assert.deepEqual(await repo.slotCounters(t.ctx.db, slotId), { capacity: 1, taken: 1, booked: 1, waiting: 1, listed: 1 });
    });

    test('parallel forms of several days each (an opening morning) never overbook any day, on any engine', async () => {
      const holiday = await aService(t.ctx, { kind: 'holiday', places: 3 });
      const days = ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24'];
      for (const f of families.slice(0, 12)) await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, holiday);
      // Half the families list the days in reverse: two forms lock the same days in other orders.
      const results = await Promise.all(
        families.slice(0, 12).map((f, i) => bookingsService(t.ctx).applyFamilyChanges(f.actor, (i % 2 ? [...days].reverse() : days).map((day) => ({ childId: f.childId, unitId: holiday.unitId, day, want: true })))),
      );
      assert.ok(results.flat().every((r) => r.ok));
      for (const day of days) {
        const slotId = await repo.ensureSlot(t.ctx.db, holiday.unitId, holiday.groupId, day);
        assert.deepEqual(await repo.slotCounters(t.ctx.db, slotId), { capacity: 3, taken: 3, booked: 3, waiting: 9, listed: 9 });
        const ranks = await t.ctx.db.selectFrom('bookings').select(['id', 'waiting_rank']).where('slot_id', '=', slotId).where('status', '=', 'waiting').orderBy('waiting_rank').execute();
        assert.equal(new Set(ranks.map((r) => r.waiting_rank)).size, 9);
        const positions = await repo.waitingPositions(t.ctx.db, ranks.map((r) => r.id));
        assert.deepEqual(ranks.map((r) => positions.get(r.id)), Array.from({ length: 9 }, (_, i) => i + 1));
      }
    });

    test('a day the town closes while a form is on its way is not booked: the form sees the closure once it holds the day', { skip: engine !== 'postgres' && 'the race needs two connections' }, async () => {
      const day = '2026-12-14';
      const key = { unitId: service.unitId, groupId: service.groupId, day };
      const slotId = await repo.ensureSlot(t.ctx.db, service.unitId, service.groupId, day);
      let holding!: () => void;
      let go!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      const proceed = new Promise<void>((r) => (go = r));
      // The steps of closeDay, in its own transaction, holding the day's counter until the form waits for it.
      const closure = t.ctx.db.transaction().execute(async (tx) => {
        await repo.ensureSlots(tx, [key], { lock: true });
        holding();
        await proceed;
        await repo.closeSlots(tx, [slotId]);
        await repo.insertClosure(tx, { day, facilityId: service.facilityId, serviceId: null, reason: 'grève', by: agent.user.id }, t.clock.now());
      });
      await held;
      const form = book(3, true, day);
      // The form has read its facts (no closure yet) and waits for the counter.
      for (let waited = 0; ; waited += 10) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from pg_locks w where not w.granted and w.locktype = 'transactionid' and exists (select 1 from pg_locks l where l.pid = w.pid and l.locktype = 'tuple' and l.relation = 'slots'::regclass)`.execute(t.ctx.db);
        if (Number(rows[0].n) > 0) break;
        if (waited > 5000) throw new Error('le formulaire n\'attend pas le créneau');
        await new Promise((r) => setTimeout(r, 10));
      }
      go();
      await closure;
      const [result] = await form;
      assert.equal(result.ok, false);
      assert.equal(result.code, 'closed_now');
      assert.equal(await repo.findBooking(t.ctx.db, families[3].childId, service.unitId, day), undefined);
      assert.deepEqual(await repo.slotCounters(t.ctx.db, slotId), { capacity: 5, taken: 0, booked: 0, waiting: 0, listed: 0 });
    });

    test('another household\'s child cannot be booked', async () => {
      await assert.rejects(bookingsService(t.ctx).applyFamilyChanges(families[0].actor, [{ childId: families[1].childId, unitId: service.unitId, day: '2026-12-07', want: true }]), /Page introuvable/);
    });
  });
}
