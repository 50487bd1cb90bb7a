import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { book, BOOKED, testPricing } from '../../../test/support/invoicing.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { DEFAULT_REGIE_ID } from '../../platform/db/migrations/013_invoicing.ts';
import { invoicingService, type InvoicingService } from './invoicing.service.ts';

const NOV = ['2026-11-05', '2026-11-06', '2026-11-09', '2026-11-10'];

for (const engine of testEngines()) {
  describe(`facturation d'un mois : brouillon, contrôle, émission (${engine})`, () => {
    let t: TestApp;
    let regie: Auth;
    let svc: InvoicingService;
    const locked: string[][] = [];
    let s: Awaited<ReturnType<typeof aService>>;
    const fam: Awaited<ReturnType<typeof aFamily>>[] = [];

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const enfance = await agentAuth(t.ctx, ['enfance']);
      regie = await agentAuth(t.ctx, ['regie']);
      s = await aService(t.ctx);
      for (const name of ['Martin', 'Bernard', 'Petit']) {
        const f = await aFamily(t.ctx, enfance, name);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        await book(t.ctx, f, s.unitId, NOV);
        fam.push(f);
      }
      const att = (childId: string, day: string, attendance: 'present' | 'absent_justified' | 'absent_unjustified' | 'present_unbooked', declared = false) =>
        t.ctx.db.updateTable('bookings').set({ attendance, absence_declared_at: declared ? '2026-11-04T10:00:00Z' : null }).where('child_person_id', '=', childId).where('day', '=', day).execute();
      // Martin: present, absent unjustified, absent justified, never pointed. Bernard: a late absence. Petit: all present.
      await att(fam[0].childId, NOV[0], 'present');
      await att(fam[0].childId, NOV[1], 'absent_unjustified');
      await att(fam[0].childId, NOV[2], 'absent_justified');
      for (const d of NOV) await att(fam[2].childId, d, 'present');
      await att(fam[1].childId, NOV[0], 'absent_unjustified', true);
      t.clock.set('2026-12-02T09:00:00Z');
      svc = invoicingService(t.ctx, testPricing(locked));
    });
    after(() => t.close());

    test('le brouillon applique les règles et se refait ; le contrôle, puis l\'émission numérotent sans trou', async () => {
      const run = await svc.openRun(regie, DEFAULT_REGIE_ID, '2026-11');
      assert.deepEqual(await svc.issue(regie, run.id), { ok: false, code: 'not_drafted' });
      const d1 = await svc.draft(regie, run.id);
      assert.ok(d1.ok);
      // Martin 3 days (justified absence not billed), Bernard 4 (one late), Petit 4.
      assert.equal(d1.value.lines, 11);
      assert.equal(d1.value.totalCents, 11 * BOOKED + 50);
      const kinds = await t.ctx.db.selectFrom('invoice_anomalies').select(['kind', 'booking_id']).where('run_id', '=', run.id).execute();
      assert.equal(kinds.filter((k) => k.kind === 'attendance_missing').length, 1 + 3, 'Martin\'s 10 Nov and Bernard\'s 3 unpointed days');
      assert.equal(kinds.filter((k) => k.kind === 'no_quotient').length, 3);
      assert.equal(kinds.filter((k) => k.kind === 'not_enrolled').length, 0);

      // A change between two drafts shows at the control.
      await t.ctx.db.updateTable('bookings').set({ attendance: 'absent_justified' }).where('child_person_id', '=', fam[2].childId).where('day', '=', NOV[3]).execute();
      await t.ctx.db.updateTable('bookings').set({ attendance: 'present_unbooked' }).where('child_person_id', '=', fam[2].childId).where('day', '=', NOV[2]).execute();
      const d2 = await svc.draft(regie, run.id);
      assert.ok(d2.ok && d2.value.version === 2 && d2.value.lines === 10);
      const after2 = await t.ctx.db.selectFrom('invoice_anomalies').select('kind').where('run_id', '=', run.id).execute();
      assert.equal(after2.filter((k) => k.kind === 'removed').length, 1);
      assert.equal(after2.filter((k) => k.kind === 'present_without_booking').length, 1);
      const changed = await t.ctx.db.selectFrom('invoice_draft_lines').select('day').where('run_id', '=', run.id).where('changed', '=', 1).execute();
      assert.deepEqual(changed.map((c) => c.day), [NOV[2]]);

      assert.deepEqual(await svc.control(regie, run.id, 1), { ok: false, code: 'stale_control' });
      assert.deepEqual(await svc.control(regie, run.id, 2), { ok: true, value: null });
      const issued = await svc.issue(regie, run.id);
      assert.deepEqual(issued, { ok: true, value: { invoices: 3 } });
      const invoices = await t.ctx.db.selectFrom('invoices').selectAll().orderBy('seq').execute();
      assert.deepEqual(invoices.map((i) => i.number), ['F-2026-000001', 'F-2026-000002', 'F-2026-000003']);
      const byHousehold = new Map(invoices.map((i) => [i.household_id, Number(i.total_cents)]));
      assert.equal(byHousehold.get(fam[0].householdId), 3 * BOOKED);
      assert.equal(byHousehold.get(fam[1].householdId), 4 * BOOKED + 50);
      assert.equal(byHousehold.get(fam[2].householdId), 2 * BOOKED + BOOKED + 100);
      const lines = await t.ctx.db.selectFrom('invoice_lines').select(['invoice_id', 'amount_cents', 'child_name', 'criterion_label']).execute();
      assert.equal(lines.length, 10);
      assert.equal(lines.reduce((a, l) => a + Number(l.amount_cents), 0), invoices.reduce((a, i) => a + Number(i.total_cents), 0));
      assert.deepEqual(locked, [['tv-test']]);
      assert.equal((await t.ctx.db.selectFrom('billing_locks').selectAll().execute()).length, 1);
      const mails = await t.ctx.db.selectFrom('outbox').select(['to_address', 'subject']).where('kind', '=', 'invoice-issued').execute();
      assert.equal(mails.length, 3);
      assert.match(mails[0].subject, /Votre facture de novembre 2026/);
      assert.equal((await t.ctx.db.selectFrom('invoice_draft_lines').selectAll().execute()).length, 0, 'the draft goes once issued');

      assert.deepEqual(await svc.draft(regie, run.id), { ok: false, code: 'already_issued' });
      assert.deepEqual(await svc.issue(regie, run.id), { ok: false, code: 'already_issued' });
    });

    test('seule la régie (ou un administrateur) facture', async () => {
      const enfance = await agentAuth(t.ctx, ['enfance']);
      await assert.rejects(svc.openRun(enfance, DEFAULT_REGIE_ID, '2026-10'), { statusCode: 403 });
    });
  });
}
