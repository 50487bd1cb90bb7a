import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import { aControlledRun, BOOKED, NOVEMBER, testPricing } from '../../../test/support/invoicing.ts';
import { newId } from '../../platform/ids.ts';
import { invoicingService } from './invoicing.service.ts';
import { recordOnlinePayment, recordPayment } from './invoicing.payments.ts';
import type { PaymentMeans as ColumnType } from '../../platform/db/schema-payments.ts';
import type { PaymentMeans } from './invoicing.ledger.domain.ts';

// The payments.means column and the domain declare the means of payment each (platform code never imports a module):
// they must be one set, which tsc checks here (this line does not compile when they differ).
const sameSet: [ColumnType, PaymentMeans] extends [PaymentMeans, ColumnType] ? true : false = true;

test('the payments.means column takes exactly the means of payment of the domain', () => assert.equal(sameSet, true));

const TOTAL = BOOKED * NOVEMBER.length;

/**
 * The payment ledger on a real database: an online payment becomes a payments row with its receipt
 * number and allocations; an overpayment stays as credit and pays the next issued invoice inside the
 * issue; `invoices.paid_cents` always equals the sum of its active allocations.
 */
for (const engine of testEngines()) {
  describe(`registre des paiements (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
    });
    after(() => t.close());

    const invoiceOf = (householdId: string) => t.ctx.db.selectFrom('invoices').select(['id', 'number', 'total_cents', 'paid_cents', 'regie_id']).where('household_id', '=', householdId).executeTakeFirstOrThrow();
    /** A settled PayFiP transaction row, as the payments module leaves it before onPaid. */
    const aTransaction = async (householdId: string, amountCents: number) => {
      const id = newId();
      const at = t.clock.now().toISOString();
      await t.ctx.db.insertInto('payment_transactions').values({ id, household_id: householdId, amount_cents: amountCents, items: '[]', refdet: id.replace(/-/g, '').slice(0, 30), id_op: null, status: 'paid', means: 'card', bank_data: null, created_at: at, updated_at: at, settled_at: at }).execute();
      return id;
    };
    const allocatedTo = async (invoiceId: string) => {
      const rows = await t.ctx.db.selectFrom('payment_allocations').select('amount_cents').where('invoice_id', '=', invoiceId).where('cancelled_at', 'is', null).execute();
      return rows.reduce((s, r) => s + Number(r.amount_cents), 0);
    };

    test('online payments, an overpayment kept as credit, the credit used by the next issue', async () => {
      const svc = invoicingService(t.ctx, testPricing());
      const regie = await agentAuth(t.ctx, ['regie']);
      const enfance = await agentAuth(t.ctx, ['enfance']);
      const run = await aControlledRun(t, svc, regie, enfance, 3);
      const [a, b, c] = run.families;
      // Household C paid 10 € in cash before its invoice existed: credit of the régie.
      await t.ctx.db.transaction().execute((tx) => recordPayment(tx, { householdId: c.householdId, regieId: run.regieId, means: 'cash', amountCents: 1000, receivedAt: t.clock.now(), recordedBy: regie.user.id, allocation: { invoiceIds: null } }));
      assert.ok((await svc.issue(regie, run.runId)).ok);

      const invC = await invoiceOf(c.householdId);
      assert.equal(Number(invC.paid_cents), 1000, 'le crédit paie la nouvelle facture à l\'émission');
      assert.equal(await allocatedTo(invC.id), 1000);

      const invA = await invoiceOf(a.householdId);
      const txA = await aTransaction(a.householdId, TOTAL);
      await t.ctx.db.transaction().execute((tx) => recordOnlinePayment(tx, t.clock.now(), { id: txA, householdId: a.householdId, refdet: 'REFA', amountCents: TOTAL, means: 'card', items: [{ invoiceId: invA.id, amountCents: TOTAL }] }));
      const payA = await t.ctx.db.selectFrom('payments').selectAll().where('household_id', '=', a.householdId).executeTakeFirstOrThrow();
      assert.equal(payA.means, 'card_online');
      assert.match(payA.number, /^Q-2026-\d{6}$/);
      assert.equal(Number(payA.allocated_cents), TOTAL);
      assert.equal(Number((await invoiceOf(a.householdId)).paid_cents), TOTAL);

      // B pays 20 € by direct debit for an invoice of 13,60 €: 6,40 € stay as credit.
      const invB = await invoiceOf(b.householdId);
      const txB = await aTransaction(b.householdId, 2000);
      await t.ctx.db.transaction().execute((tx) => recordOnlinePayment(tx, t.clock.now(), { id: txB, householdId: b.householdId, refdet: 'REFB', amountCents: 2000, means: 'direct_debit', items: [{ invoiceId: invB.id, amountCents: 2000 }] }));
      const payB = await t.ctx.db.selectFrom('payments').selectAll().where('household_id', '=', b.householdId).executeTakeFirstOrThrow();
      assert.equal(payB.means, 'direct_debit_online');
      assert.equal(Number(payB.amount_cents) - Number(payB.allocated_cents), 2000 - TOTAL);

      // Numbers are consecutive, without gap.
      const numbers = (await t.ctx.db.selectFrom('payments').select('number').orderBy('number').execute()).map((p) => p.number);
      assert.deepEqual(numbers, ['Q-2026-000001', 'Q-2026-000002', 'Q-2026-000003']);

      // Another household's invoice posted as an item: nothing touches it, the money is B's credit.
      const txX = await aTransaction(b.householdId, 500);
      await t.ctx.db.transaction().execute((tx) => recordOnlinePayment(tx, t.clock.now(), { id: txX, householdId: b.householdId, refdet: 'REFX', amountCents: 500, means: 'card', items: [{ invoiceId: invC.id, amountCents: 500 }] }));
      assert.equal(Number((await invoiceOf(c.householdId)).paid_cents), 1000);

      for (const inv of await t.ctx.db.selectFrom('invoices').select(['id', 'paid_cents']).execute()) assert.equal(Number(inv.paid_cents), await allocatedTo(inv.id), 'paid_cents = somme des imputations actives');
    });
  });
}
