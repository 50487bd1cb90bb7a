import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aControlledRun, BOOKED, NOVEMBER, testPricing } from '../../../test/support/invoicing.ts';
import { invoicingService } from '../invoicing/invoicing.service.ts';
import { ledgerService } from '../invoicing/invoicing.ledger-service.ts';
import { newId } from '../../platform/ids.ts';
import { messagingNotificationsService } from '../messaging/messaging.notifications-service.ts';
import { NOTIFICATIONS } from '../messaging/messaging.notifications.domain.ts';

const TOTAL = BOOKED * NOVEMBER.length; // 13,60 €

/**
 * Counter payments over real HTTP: the régie records a cheque (oldest invoice first, partial on the
 * next), cash on a chosen invoice with the overpayment kept as credit, prints the receipt, reads
 * the cash-desk day, cancels the cheque entered by mistake; other roles and other households are
 * refused; malformed input is a 400 in French; the balance invariant holds on the data set.
 */
for (const engine of testEngines()) {
  describe(`paiements au guichet (${engine})`, () => {
    let t: TestApp;
    let regieLogin: { email: string; password: string };
    let enfanceLogin: { email: string; password: string };
    let run: Awaited<ReturnType<typeof aControlledRun>>;
    let older: string;
    let newer: string;
    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };
    const paid = async (id: string) => Number((await t.ctx.db.selectFrom('invoices').select('paid_cents').where('id', '=', id).executeTakeFirstOrThrow()).paid_cents);

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const svc = invoicingService(t.ctx, testPricing());
      const regie = await agentAuth(t.ctx, ['regie']);
      run = await aControlledRun(t, svc, regie, await agentAuth(t.ctx, ['enfance']), 2);
      assert.ok((await svc.issue(regie, run.runId)).ok);
      const a = run.families[0];
      newer = (await t.ctx.db.selectFrom('invoices').select('id').where('household_id', '=', a.householdId).executeTakeFirstOrThrow()).id;
      // An older invoice of the same household (a previous month), 10,00 €, due earlier.
      older = newId();
      const october = newId();
      await t.ctx.db.insertInto('invoice_runs').values({ id: october, regie_id: run.regieId, month: '2026-10', status: 'issued', draft_version: 1, drafted_at: null, drafted_by: null, controlled_version: 1, controlled_at: null, controlled_by: null, issued_at: '2026-11-02T09:00:00.000Z', issued_by: null, created_at: '2026-11-02T09:00:00.000Z' }).execute();
      await t.ctx.db.insertInto('invoices').values({ id: older, number: 'F-2026-900001', year: 2026, seq: 900001, run_id: october, regie_id: run.regieId, household_id: a.householdId, month: '2026-10', issued_at: '2026-11-02T09:00:00.000Z', due_on: '2026-11-30', total_cents: 1000, payer_name: 'Alex', payer_address: '1 rue de la Paix', paid_cents: 0, credited_cents: 0 }).execute();
      regieLogin = await anAgent(t.ctx, ['regie']);
      enfanceLogin = await anAgent(t.ctx, ['enfance']);
      t.clock.set('2026-12-02T09:30:00Z');
    });
    after(() => t.close());

    test('cheque, cash, receipt, day summary, cancellation', async () => {
      const a = run.families[0];
      const b = run.families[1];
      const formUrl = `/agent/foyers/${a.householdId}/paiement`;
      assert.equal((await (await login(enfanceLogin)).get(formUrl)).status, 403);

      const c = await login(regieLogin);
      const form = await c.get(formUrl);
      assert.equal(form.status, 200);
      assert.match(textOf(form.body), /F-2026-900001/);

      const bad = await c.post(formUrl, { moyen: 'cheque', montant: 'douze', cheque: '', banque: '' });
      assert.equal(bad.status, 400);
      const badText = textOf(bad.body);
      assert.match(badText, /Indiquez un montant en euros/);
      assert.match(badText, /numéro du chèque/);
      assert.match(badText, /banque du chèque/);
      assert.equal((await c.post(formUrl, { moyen: 'cash', montant: '5', factures: 'pas-un-id' })).status, 400);
      assert.equal((await c.post(formUrl, { moyen: 'cash', montant: '5', factures: newId() })).status, 400, 'une facture d\'un autre foyer ou inconnue est refusée');
      assert.equal((await c.post(`/agent/foyers/${newId()}/paiement`, { moyen: 'cash', montant: '5' })).status, 404);

      // 20,00 € by cheque, nothing chosen: the older invoice (10,00 €) first, then 10,00 € on the newer one.
      await c.get(formUrl);
      const cheque = await c.post(formUrl, { moyen: 'cheque', montant: '20,00', cheque: '1234567', banque: 'La Banque Postale' });
      assert.equal(cheque.status, 303);
      const chequeUrl = cheque.location!;
      assert.equal(await paid(older), 1000);
      assert.equal(await paid(newer), 1000);
      const page = textOf((await c.get(chequeUrl)).body);
      assert.match(page, /Paiement enregistré, reçu Q-2026-000001/);
      assert.match(page, /Chèque n° 1234567 \(La Banque Postale\)/);
      // The family is told, as for an online payment: in its inbox and by e-mail, once.
      const told = await t.ctx.db.selectFrom('messages').select(['id', 'subject', 'body']).where('kind', '=', 'payment_received').execute();
      assert.equal(told.length, 1);
      assert.match(told[0].subject, /^Paiement reçu : 20,00\s€$/);
      assert.match(told[0].body, /votre paiement par chèque à la régie de 20,00\s€ \(référence Q-2026-000001\)/);
      const inboxOfA = await t.ctx.db.selectFrom('message_recipients').select('household_id').where('message_id', '=', told[0].id).execute();
      assert.deepEqual(inboxOfA.map((r) => r.household_id), [a.householdId]);
      await t.flushMail();
      assert.equal(t.delivered.filter((m) => m.to === a.email && /^Paiement reçu : 20,00\s€/.test(m.subject)).length, 1);
      const pdf = await c.get(`${chequeUrl}/recu.pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(pdf.body.slice(0, 5), /%PDF-/);
      assert.match(pdf.body, /\/StructTreeRoot/, 'tagged PDF');

      // 30,00 € in cash on the newer invoice: 3,60 € pay it off, 26,40 € stay as credit.
      await c.get(formUrl);
      const cash = await c.post(formUrl, { moyen: 'cash', montant: '30', factures: newer });
      assert.equal(cash.status, 303);
      assert.equal(await paid(newer), TOTAL);
      assert.match(textOf((await c.get(cash.location!)).body), /26,40 € gardé au crédit du foyer/);

      const day = textOf((await c.get(`/agent/regie/caisse?jour=2026-12-02&regie=${run.regieId}`)).body);
      assert.match(day, /Chèque 1 20,00 €/);
      assert.match(day, /Espèces 1 30,00 €/);
      assert.match(day, /Total 2 50,00 €/);
      assert.equal((await c.get('/agent/regie/caisse?jour=2026-02-30')).status, 400);
      assert.equal((await (await login(enfanceLogin)).get('/agent/regie/caisse')).status, 403);

      // The cheque was entered by mistake: a reason is required, then it is cancelled once.
      await c.get(chequeUrl);
      assert.equal((await c.post(`${chequeUrl}/annulation`, { motif: ' ' })).status, 400);
      await c.get(chequeUrl);
      assert.equal((await c.post(`${chequeUrl}/annulation`, { motif: 'Chèque saisi sur le mauvais foyer' })).status, 303);
      assert.equal(await paid(older), 0);
      assert.equal(await paid(newer), TOTAL - 1000, 'the cheque\'s 10,00 € leave the newer invoice; the cash stays');
      await c.get(chequeUrl);
      assert.equal((await c.post(`${chequeUrl}/annulation`, { motif: 'encore' })).status, 409);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'payment.cancelled').execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0].summary, /Chèque saisi sur le mauvais foyer/);
      // Cancelled the same day: the cheque stays in the journal, its cancellation is a negative line.
      const afterCancel = textOf((await c.get(`/agent/regie/caisse?jour=2026-12-02&regie=${run.regieId}`)).body);
      assert.match(afterCancel, /Dont annulations du jour \(1\) -20,00 €/);
      assert.match(afterCancel, /Total 2 30,00 €/);

      assert.equal((await t.ctx.db.selectFrom('messages').select('id').where('kind', '=', 'payment_received').execute()).length, 2, 'one per payment');

      // The family reads its balance explained and downloads its receipt; another household cannot.
      const cashId = cash.location!.split('/').pop()!;
      const family = await login(a);
      const account = textOf((await family.get('/factures')).body);
      assert.match(account, /Crédit du foyer/);
      assert.match(account, /Paiement reçu Q-2026-000002/);
      assert.equal((await family.get(`/paiements/recus/${cashId}/recu.pdf`)).status, 200);
      assert.equal((await (await login(b)).get(`/paiements/recus/${cashId}/recu.pdf`)).status, 404);

      // The invariant, on this data set: owed = invoices − credit notes − allocated payments, for every household.
      const ledger = ledgerService(t.ctx);
      for (const f of run.families) {
        const bal = await ledger.balance(f.householdId);
        const invoices = await t.ctx.db.selectFrom('invoices').select(['total_cents', 'credited_cents', 'paid_cents']).where('household_id', '=', f.householdId).execute();
        const allocations = await t.ctx.db.selectFrom('payment_allocations').select('amount_cents').where('household_id', '=', f.householdId).where('cancelled_at', 'is', null).execute();
        const sum = <T,>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
        assert.equal(bal.owedCents, sum(invoices, (i) => Number(i.total_cents)) - sum(invoices, (i) => Number(i.credited_cents)) - sum(allocations, (x) => Number(x.amount_cents)));
        assert.equal(sum(invoices, (i) => Number(i.paid_cents)), sum(allocations, (x) => Number(x.amount_cents)));
      }
    });

    test('the town switched « paiement reçu » off: a counter payment tells nothing', async () => {
      const admin = await agentAuth(t.ctx, ['admin']);
      const def = NOTIFICATIONS.payment_received;
      assert.ok((await messagingNotificationsService(t.ctx).save(admin, 'payment_received', { enabled: false, subject: def.subject, body: def.body })).ok);
      const before = (await t.ctx.db.selectFrom('messages').select('id').where('kind', '=', 'payment_received').execute()).length;
      const b = run.families[1];
      assert.ok((await ledgerService(t.ctx).recordCounter(await agentAuth(t.ctx, ['regie']), b.householdId, { means: 'cesu', amount: '5', chequeNumber: '', bank: '', invoiceIds: [] })).ok);
      assert.equal((await t.ctx.db.selectFrom('messages').select('id').where('kind', '=', 'payment_received').execute()).length, before);
      assert.equal((await t.ctx.db.selectFrom('outbox').select('id').where('kind', '=', 'payment-received').where('to_address', '=', b.email).execute()).length, 0);
    });
  });
}
