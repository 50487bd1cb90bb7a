import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { book, testPricing } from '../../../test/support/invoicing.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import { isLockedDay } from '../../platform/db/billing-locks.ts';
import { insertRegie, setServiceRegie } from './invoicing.repository.ts';
import { regieForMonth, regiesConcernedByMove } from './invoicing.domain.ts';
import { invoicingService, type InvoicingService } from './invoicing.service.ts';
import { invoicingRegiesAdmin } from './invoicing.regies-service.ts';

describe('régie d\'un service selon le mois, régies concernées par un changement', () => {
  const history = [
    { from_month: '2026-12', regie_id: 'B' },
    { from_month: '2027-03', regie_id: 'C' },
  ];
  test('la dernière affectation commencée l\'emporte ; avant la première, la régie de création', () => {
    for (const [month, regie] of [
      ['2026-11', 'A'],
      ['2026-12', 'B'],
      ['2027-02', 'B'],
      ['2027-03', 'C'],
      ['2028-01', 'C'],
    ]) assert.equal(regieForMonth('A', history, month), regie, month);
  });
  test('un changement concerne l\'ancienne régie, la nouvelle et celles des changements suivants qu\'il remplace', () => {
    assert.deepEqual(regiesConcernedByMove('A', history, 'D', '2027-01'), { unchanged: false, regies: ['B', 'C', 'D'] });
    assert.deepEqual(regiesConcernedByMove('A', history, 'A', '2026-10'), { unchanged: false, regies: ['A', 'B', 'C'] });
    assert.deepEqual(regiesConcernedByMove('A', history, 'C', '2027-03'), { unchanged: true, regies: ['C'] });
    assert.deepEqual(regiesConcernedByMove('A', [], 'A', '2026-10'), { unchanged: true, regies: ['A'] });
  });
});

const NOV = ['2026-11-05', '2026-11-06', '2026-11-09', '2026-11-10'];
const DEC = ['2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08'];

for (const engine of testEngines()) {
  describe(`régies : créer, renommer, changer la régie d'un service sans facturer deux fois ni oublier un mois (${engine})`, () => {
    let t: TestApp;
    let admin: Auth;
    let regie: Auth;
    let runs: InvoicingService;
    let regies: ReturnType<typeof invoicingRegiesAdmin>;
    let regieA: string;
    let canteen: Awaited<ReturnType<typeof aService>>;
    let club: Awaited<ReturnType<typeof aService>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const enfance = await agentAuth(t.ctx, ['enfance']);
      admin = await agentAuth(t.ctx, ['admin']);
      regie = await agentAuth(t.ctx, ['regie']);
      regieA = await insertRegie(t.ctx.db, 'Régie A', t.clock.now());
      // Two services of régie A: the canteen will move to another régie, the club stays.
      canteen = await aService(t.ctx);
      club = await aService(t.ctx);
      for (const s of [canteen, club]) await setServiceRegie(t.ctx.db, s.serviceId, regieA);
      for (const name of ['Martin', 'Bernard']) {
        const f = await aFamily(t.ctx, enfance, name);
        for (const s of [canteen, club]) {
          await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
          await book(t.ctx, f, s.unitId, [...NOV, ...DEC]);
        }
      }
      await t.ctx.db.updateTable('bookings').set({ attendance: 'present' }).execute();
      t.clock.set('2027-01-05T09:00:00Z');
      runs = invoicingService(t.ctx, testPricing());
      regies = invoicingRegiesAdmin(t.ctx);
    });
    after(() => t.close());

    const issue = async (regieId: string, month: string) => {
      const run = await runs.openRun(regie, regieId, month);
      const d = await runs.draft(regie, run.id);
      assert.ok(d.ok);
      assert.ok((await runs.control(regie, run.id, d.value.version)).ok);
      assert.ok((await runs.issue(regie, run.id)).ok);
      return run.id;
    };
    const draftLines = async (runId: string) => t.ctx.db.selectFrom('invoice_draft_lines').select(['booking_id', 'service_id']).where('run_id', '=', runId).execute();
    const audit = async (action: string) => t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', action).execute();
    let regieB: string;

    test('l\'administrateur crée et renomme une régie ; un nom déjà pris est refusé ; la régie lit sans rien changer', async () => {
      await assert.rejects(regies.create(regie, 'Régie du centre de loisirs'), ForbiddenError);
      const created = await regies.create(admin, '  Régie du centre   de loisirs ');
      assert.ok(created.ok);
      assert.equal(created.value.name, 'Régie du centre de loisirs');
      regieB = created.value.id;
      assert.deepEqual(await regies.create(admin, 'régie du centre de loisirs'), { ok: false, code: 'name_taken' });
      assert.deepEqual(await regies.rename(admin, regieB, 'Régie A'), { ok: false, code: 'name_taken' });
      assert.deepEqual(await regies.rename(admin, regieB, 'Régie B'), { ok: true, value: { name: 'Régie B' } });
      assert.equal((await audit('invoicing.regie_created')).length, 1);
      assert.match((await audit('invoicing.regie_renamed'))[0].summary, /« Régie du centre de loisirs » renommée « Régie B »/);
      const seen = await regies.overview(regie);
      assert.equal(seen.canEdit, false);
      assert.equal(seen.regies.find((r) => r.id === regieA)?.services, 2);
      await assert.rejects(regies.moveService(regie, canteen.serviceId, regieB, '2027-01'), ForbiddenError);
    });

    test('un changement à partir d\'un mois déjà calculé est refusé ; à partir du mois suivant il est accepté, et chaque jour est facturé une fois', async () => {
      const novA = await runs.openRun(regie, regieA, '2026-11');
      assert.ok((await runs.draft(regie, novA.id)).ok);
      assert.deepEqual(await regies.moveService(admin, canteen.serviceId, regieB, '2026-11'), { ok: false, code: 'runs_started' });
      assert.deepEqual(await regies.moveService(admin, canteen.serviceId, regieB, '2026-10'), { ok: false, code: 'runs_started' });
      assert.deepEqual(await regies.moveService(admin, canteen.serviceId, regieA, '2026-12'), { ok: false, code: 'unchanged' });
      assert.ok((await regies.moveService(admin, canteen.serviceId, regieB, '2026-12')).ok);
      assert.deepEqual(await regies.moveService(admin, canteen.serviceId, regieB, '2026-12'), { ok: false, code: 'unchanged' });
      assert.match((await audit('invoicing.service_regie'))[0].summary, /facturé par « Régie B » \(au lieu de « Régie A »\) à partir de décembre 2026/);

      // November stays with régie A (both services), December: the club with A, the canteen with B.
      await issue(regieA, '2026-11');
      const decA = await runs.openRun(regie, regieA, '2026-12');
      const decB = await runs.openRun(regie, regieB, '2026-12');
      assert.ok((await runs.draft(regie, decA.id)).ok);
      assert.ok((await runs.draft(regie, decB.id)).ok);
      const linesA = await draftLines(decA.id);
      const linesB = await draftLines(decB.id);
      assert.ok(linesA.length === 8 && linesA.every((l) => l.service_id === club.serviceId), 'A: the club\'s December only');
      assert.ok(linesB.length === 8 && linesB.every((l) => l.service_id === canteen.serviceId), 'B: the canteen\'s December only');
      const issued = await t.ctx.db.selectFrom('invoice_lines').innerJoin('invoices', 'invoices.id', 'invoice_lines.invoice_id').select('invoice_lines.booking_id').where('invoices.run_id', '=', novA.id).execute();
      const billed = [...issued, ...linesA, ...linesB].map((l) => l.booking_id);
      const booked = await t.ctx.db.selectFrom('bookings').select('id').where('service_id', 'in', [canteen.serviceId, club.serviceId]).where('status', '=', 'booked').execute();
      assert.equal(booked.length, 32);
      assert.equal(new Set(billed).size, billed.length, 'no booking billed twice');
      assert.deepEqual([...billed].sort(), booked.map((b) => b.id).sort(), 'no booking forgotten');

      // Once December is drafted by either régie, the canteen can only move from January.
      assert.deepEqual(await regies.moveService(admin, canteen.serviceId, regieA, '2026-12'), { ok: false, code: 'runs_started' });
      assert.ok((await regies.moveService(admin, canteen.serviceId, regieA, '2027-02')).ok);
      const view = await regies.service(admin, canteen.serviceId);
      assert.deepEqual(view.assignments.map((a) => [a.from_month, a.regie_id]), [['2026-12', regieB], ['2027-02', regieA]]);
      // A move from January replaces the planned February one.
      assert.ok((await regies.moveService(admin, canteen.serviceId, regieA, '2027-01')).ok);
      assert.deepEqual((await regies.service(admin, canteen.serviceId)).assignments.map((a) => a.from_month), ['2026-12', '2027-01']);
    });

    test('le mois verrouillé d\'un jour est celui de la régie qui facture son service ce mois-là', async () => {
      const today = t.clock.today();
      assert.equal(await isLockedDay(t.ctx.db, canteen.serviceId, NOV[0], today), true, 'November: issued by A');
      await issue(regieA, '2026-12');
      assert.equal(await isLockedDay(t.ctx.db, club.serviceId, DEC[0], today), true);
      assert.equal(await isLockedDay(t.ctx.db, canteen.serviceId, DEC[0], today), false, 'A\'s December lock is not the canteen\'s: B has not issued');
      await issue(regieB, '2026-12');
      assert.equal(await isLockedDay(t.ctx.db, canteen.serviceId, DEC[0], today), true);
      const numbers = await t.ctx.db.selectFrom('invoice_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('service_id', 'in', [canteen.serviceId, club.serviceId]).executeTakeFirstOrThrow();
      assert.equal(Number(numbers.n), 32, 'every day of both months on exactly one issued invoice');
    });
  });
}
