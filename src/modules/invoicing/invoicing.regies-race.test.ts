import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { book, testPricing } from '../../../test/support/invoicing.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { insertRegie, setServiceRegie } from './invoicing.repository.ts';
import { invoicingService, type InvoicingService } from './invoicing.service.ts';
import { invoicingRegiesAdmin } from './invoicing.regies-service.ts';

/**
 * A move of a service to another régie and a draft of the same (régie, month), started together
 * (README « Régies »: the move and the draft lock the régie rows, so they follow each other). Each
 * round must end one of two ways: the draft came first, so the move is refused (`runs_started`) and
 * the draft holds the service as it was before; or the move came first, and the draft already follows
 * the new assignment. Either way, once both régies have drafted the month, every booked day is on
 * exactly one line: never billed twice, never forgotten.
 */

const MONTH = '2026-11';
const NOV = ['2026-11-05', '2026-11-06', '2026-11-09', '2026-11-10'];
const ROUNDS = 20;

for (const engine of testEngines()) {
  describe(`un changement de régie et un brouillon du même mois lancés ensemble (${engine})`, () => {
    let t: TestApp;
    let admin: Auth;
    let regie: Auth;
    let runs: InvoicingService;
    let regies: ReturnType<typeof invoicingRegiesAdmin>;
    let regieA: string;
    let regieB: string;
    let moving: Awaited<ReturnType<typeof aService>>;
    let staying: Awaited<ReturnType<typeof aService>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z', poolSize: 4 });
      const enfance = await agentAuth(t.ctx, ['enfance']);
      admin = await agentAuth(t.ctx, ['admin']);
      regie = await agentAuth(t.ctx, ['regie']);
      regieA = await insertRegie(t.ctx.db, 'Régie A', t.clock.now());
      regieB = await insertRegie(t.ctx.db, 'Régie B', t.clock.now());
      // Both services start with régie A; the one that moves goes to B from November.
      moving = await aService(t.ctx);
      staying = await aService(t.ctx);
      for (const s of [moving, staying]) await setServiceRegie(t.ctx.db, s.serviceId, regieA);
      for (const name of ['Martin', 'Bernard', 'Petit']) {
        const f = await aFamily(t.ctx, enfance, name);
        for (const s of [moving, staying]) {
          await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
          await book(t.ctx, f, s.unitId, NOV);
        }
      }
      await t.ctx.db.updateTable('bookings').set({ attendance: 'present' }).execute();
      t.clock.set('2027-01-05T09:00:00Z');
      runs = invoicingService(t.ctx, testPricing());
      regies = invoicingRegiesAdmin(t.ctx);
    });
    after(() => t.close());

    /** Back to the start: no run, no move (drafts only: nothing issued, nothing else refers to them). */
    const reset = async () => {
      await t.ctx.db.deleteFrom('invoice_draft_lines').execute();
      await t.ctx.db.deleteFrom('invoice_anomalies').execute();
      await t.ctx.db.deleteFrom('invoice_runs').execute();
      await t.ctx.db.deleteFrom('service_regies').execute();
    };
    const linesOf = (runId: string) => t.ctx.db.selectFrom('invoice_draft_lines').select(['booking_id', 'service_id']).where('run_id', '=', runId).execute();

    test(`${ROUNDS} tours : le changement est refusé et le brouillon garde l'ancienne régie, ou il passe et le brouillon suit la nouvelle ; chaque jour réservé sur une seule ligne`, async (tc) => {
      const booked = await t.ctx.db.selectFrom('bookings').select(['id', 'service_id']).where('status', '=', 'booked').execute();
      const ofMoving = booked.filter((b) => b.service_id === moving.serviceId).map((b) => b.id).sort();
      const ofStaying = booked.filter((b) => b.service_id === staying.serviceId).map((b) => b.id).sort();
      assert.equal(ofMoving.length, 12);
      assert.equal(ofStaying.length, 12);
      const seen = { refused: 0, moved: 0 };

      for (let round = 0; round < ROUNDS; round++) {
        await reset();
        // Half the rounds race the old régie's draft, half the new one's: both are concerned by the move.
        const drafted = round % 2 === 0 ? regieA : regieB;
        const other = drafted === regieA ? regieB : regieA;
        const run = await runs.openRun(regie, drafted, MONTH);
        // A few milliseconds of jitter on either side, so that both orders (and the overlap) occur.
        const [move, draft] = await Promise.all([
          sleep(Math.floor(Math.random() * 6)).then(() => regies.moveService(admin, moving.serviceId, regieB, MONTH)),
          sleep(Math.floor(Math.random() * 6)).then(() => runs.draft(regie, run.id)),
        ]);
        const label = `tour ${round + 1} (brouillon de ${drafted === regieA ? 'A' : 'B'})`;
        assert.ok(draft.ok, label);
        const assignments = await t.ctx.db.selectFrom('service_regies').select(['regie_id', 'from_month']).execute();
        const raced = await linesOf(run.id);
        const racedMoving = raced.filter((l) => l.service_id === moving.serviceId).map((l) => l.booking_id).sort();
        if (move.ok) {
          seen.moved++;
          assert.deepEqual(assignments, [{ regie_id: regieB, from_month: MONTH }], label);
          // The draft came second: it follows the new assignment.
          assert.deepEqual(racedMoving, drafted === regieB ? ofMoving : [], label);
        } else {
          seen.refused++;
          assert.deepEqual(move, { ok: false, code: 'runs_started' }, label);
          assert.deepEqual(assignments, [], label);
          // The draft came first: it holds the service where it was (régie A).
          assert.deepEqual(racedMoving, drafted === regieA ? ofMoving : [], label);
        }

        // The other régie drafts the month too: every booked day is then on exactly one line.
        const second = await runs.openRun(regie, other, MONTH);
        assert.ok((await runs.draft(regie, second.id)).ok, label);
        const billed = [...raced, ...(await linesOf(second.id))].map((l) => l.booking_id);
        const perDay = new Map<string, number>();
        for (const id of billed) perDay.set(id, (perDay.get(id) ?? 0) + 1);
        assert.deepEqual([...perDay.keys()].sort(), [...ofMoving, ...ofStaying].sort(), `${label} : aucun jour oublié`);
        assert.ok([...perDay.values()].every((n) => n === 1), `${label} : aucun jour facturé deux fois`);
      }
      tc.diagnostic(`changement refusé ${seen.refused} fois, accepté ${seen.moved} fois`);
      assert.equal(seen.refused + seen.moved, ROUNDS);
    });
  });
}
