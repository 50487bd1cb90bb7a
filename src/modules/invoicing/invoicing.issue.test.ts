import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth, familyActorOf } from '../../../test/support/builders.ts';
import { aControlledRun, book, BOOKED, NOVEMBER, testPricing } from '../../../test/support/invoicing.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { bookingsService } from '../bookings/bookings.service.ts';
import { attendanceService } from '../attendance/attendance.service.ts';
import { invoicingService } from './invoicing.service.ts';

for (const engine of testEngines()) {
  describe(`émission : numéros sans trou ni doublon, tout ou rien, jours verrouillés (${engine})`, () => {
    let t: TestApp;
    let regie: Auth;
    let enfance: Auth;
    const svc = () => invoicingService(t.ctx, testPricing());

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z', poolSize: 6 });
      regie = await agentAuth(t.ctx, ['regie']);
      enfance = await agentAuth(t.ctx, ['admin', 'enfance']);
    });
    after(() => t.close());

    const numbers = async () => (await t.ctx.db.selectFrom('invoices').select(['seq', 'number']).where('year', '=', 2026).orderBy('seq').execute()).map((r) => Number(r.seq));

    test('une panne au milieu de l\'émission ne laisse rien d\'émis ; l\'émission suivante reprend les mêmes numéros', async () => {
      const before = await numbers();
      const a = await aControlledRun(t, svc(), regie, enfance, 3, 'Régie panne');
      const failing = invoicingService(t.ctx, testPricing(), {
        afterInvoices: () => {
          throw new Error('panne simulée');
        },
      });
      await assert.rejects(failing.issue(regie, a.runId), /panne simulée/);
      assert.deepEqual(await numbers(), before);
      assert.equal((await t.ctx.db.selectFrom('invoice_runs').select('status').where('id', '=', a.runId).executeTakeFirstOrThrow()).status, 'controlled');
      assert.equal((await t.ctx.db.selectFrom('billing_locks').selectAll().where('run_id', '=', a.runId).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('invoice_draft_lines').selectAll().where('run_id', '=', a.runId).execute()).length, 12, 'the draft is still there');
      assert.deepEqual(await svc().issue(regie, a.runId), { ok: true, value: { invoices: 3 } });
      const after = await numbers();
      assert.deepEqual(after, Array.from({ length: after.length }, (_, i) => i + 1));
    });

    test('deux facturations émises en même temps : aucun numéro en double, aucun trou', async () => {
      const runs = [await aControlledRun(t, svc(), regie, enfance, 4, 'Régie cantine'), await aControlledRun(t, svc(), regie, enfance, 5, 'Régie loisirs')];
      const results = await Promise.all(runs.map((r) => svc().issue(regie, r.runId)));
      assert.deepEqual(results, [{ ok: true, value: { invoices: 4 } }, { ok: true, value: { invoices: 5 } }]);
      const all = await numbers();
      assert.deepEqual(all, Array.from({ length: all.length }, (_, i) => i + 1));
      // The same run issued twice at once: one issue, the other refused.
      const again = await aControlledRun(t, svc(), regie, enfance, 2, 'Régie double');
      const twice = await Promise.all([svc().issue(regie, again.runId), svc().issue(regie, again.runId)]);
      assert.equal(twice.filter((r) => r.ok).length, 1);
      assert.deepEqual(twice.find((r) => !r.ok), { ok: false, code: 'already_issued' });
      const final = await numbers();
      assert.deepEqual(final, Array.from({ length: final.length }, (_, i) => i + 1));
    });

    test('un jour facturé ne change plus : réservation et pointage refusés', async () => {
      const a = await aControlledRun(t, svc(), regie, enfance, 1, 'Régie verrou');
      assert.ok((await svc().issue(regie, a.runId)).ok);
      const f = a.families[0];
      const bookings = bookingsService(t.ctx);
      const cancel = await bookings.applyAgentOverride(enfance, f.householdId, { childId: f.childId, unitId: a.service.unitId, day: NOVEMBER[0], want: false });
      assert.equal(cancel.code, 'billed');
      const row = await t.ctx.db.selectFrom('bookings').select(['id', 'status']).where('child_person_id', '=', f.childId).where('day', '=', NOVEMBER[0]).executeTakeFirstOrThrow();
      assert.equal(row.status, 'booked');
      const marked = await attendanceService(t.ctx).mark(enfance, a.service.groupId, row.id, 'absent_justified');
      assert.deepEqual(marked, { ok: false, code: 'billed' });
      // December is not invoiced: the same service still changes there.
      const dec = await bookings.applyAgentOverride(enfance, f.householdId, { childId: f.childId, unitId: a.service.unitId, day: '2026-12-10', want: true });
      assert.equal(dec.code, 'booked');
    });

    test('un enfant de deux foyers : chaque foyer paie les jours qu\'il a réservés', async () => {
      const a = await aControlledRun(t, svc(), regie, enfance, 1, 'Régie garde alternée');
      const mother = a.families[0];
      const father = await aFamily(t.ctx, enfance, 'Alterne');
      // The same child, also a member of the father's household, booked by him on two other days.
      await t.ctx.db.insertInto('household_members').values({ household_id: father.householdId, person_id: mother.childId, role: 'child', relationship: null, created_at: '2026-11-01T00:00:00Z' }).execute();
      t.clock.set('2026-11-02T08:00:00Z');
      await book(t.ctx, { email: father.email, childId: mother.childId }, a.service.unitId, ['2026-11-12', '2026-11-13']);
      assert.ok(await familyActorOf(t.ctx, father.email));
      t.clock.set('2026-12-02T09:00:00Z');
      const drafted = await svc().draft(regie, a.runId);
      assert.ok(drafted.ok);
      assert.ok((await svc().control(regie, a.runId, drafted.value.version)).ok);
      assert.ok((await svc().issue(regie, a.runId)).ok);
      const lines = await t.ctx.db.selectFrom('invoice_lines').innerJoin('invoices', 'invoices.id', 'invoice_lines.invoice_id').select(['invoices.household_id', 'invoice_lines.day']).where('invoices.run_id', '=', a.runId).orderBy('invoice_lines.day').execute();
      assert.deepEqual(lines.filter((l) => l.household_id === mother.householdId).map((l) => l.day), NOVEMBER);
      assert.deepEqual(lines.filter((l) => l.household_id === father.householdId).map((l) => l.day), ['2026-11-12', '2026-11-13']);
      const totals = await t.ctx.db.selectFrom('invoices').select(['household_id', 'total_cents']).where('run_id', '=', a.runId).execute();
      assert.equal(Number(totals.find((x) => x.household_id === father.householdId)?.total_cents), 2 * BOOKED);
    });
  });
}
