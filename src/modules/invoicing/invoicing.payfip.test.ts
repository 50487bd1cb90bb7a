import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { TEST_SECRET_KEY } from '../../../test/support/app.ts';
import { freePort } from '../../../test/support/browser.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aControlledRun, BOOKED, NOVEMBER, testPricing } from '../../../test/support/invoicing.ts';
import { loadConfig } from '../../config.ts';
import { buildApp } from '../../app.ts';
import { createContext } from '../../platform/bootstrap.ts';
import { FixedClock } from '../../platform/clock/clock.ts';
import { keepTransport } from '../../platform/mail/outbox.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-type.ts';
import { startPayfipSimulator, type PayfipSimulator } from '../../payfip-simulator/simulator.ts';
import { invoicingService } from './invoicing.service.ts';
import { newId } from '../../platform/ids.ts';

/**
 * A family pays an issued invoice from its page, through the PayFiP simulator over real HTTP: the
 * settlement carries the amount to the invoice once, whatever arrives twice; the invoice then reads
 * « Payée » and offers nothing more to pay; another household's invoice is a 404.
 */
for (const engine of testEngines()) {
  describe(`payer une facture en ligne (${engine})`, () => {
    let sim: PayfipSimulator;
    let handle: DatabaseHandle;
    let app: App;
    let ctx: AppContext;
    const clock = new FixedClock(new Date('2026-11-02T08:00:00Z'));
    let families: Awaited<ReturnType<typeof aControlledRun>>['families'];
    let invoiceOf: (householdId: string) => Promise<{ id: string; number: string; total_cents: number; paid_cents: number }>;

    before(async () => {
      sim = await startPayfipSimulator({ numcli: '090909', notificationDelayMs: 50 });
      handle = await freshDatabase(engine);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', PUBLIC_URL: base, SECRET_KEY: TEST_SECRET_KEY, PAYFIP_URL: sim.soapUrl, PAYFIP_PAYMENT_URL: sim.paymentPageUrl, PAYFIP_NUMCLI: '090909', PAYFIP_SAISIE: 'T', PAYFIP_TIMEOUT_SECONDS: '3' });
      ({ ctx } = await createContext(config, { clock, mailTransport: keepTransport, handle }));
      app = await buildApp(ctx);
      await app.listen({ port, host: '127.0.0.1' });
      const svc = invoicingService(ctx, testPricing());
      const regie = await agentAuth(ctx, ['regie']);
      const run = await aControlledRun({ ctx, clock }, svc, regie, await agentAuth(ctx, ['enfance']), 2);
      const issued = await svc.issue(regie, run.runId);
      assert.ok(issued.ok, JSON.stringify(issued));
      families = run.families;
      invoiceOf = (householdId) => ctx.db.selectFrom('invoices').select(['id', 'number', 'total_cents', 'paid_cents']).where('household_id', '=', householdId).executeTakeFirstOrThrow();
    });
    after(async () => {
      await app.close();
      await handle.close();
      await sim.close();
    });

    test('the parent pays by card from the invoice page; the invoice is paid once, even when PayFiP notifies twice', async () => {
      const family = families[0];
      const invoice = await invoiceOf(family.householdId);
      assert.equal(invoice.total_cents, BOOKED * NOVEMBER.length);
      const parent = new TestClient(app);
      await parent.login(family.email, family.password);
      const page = await parent.get(`/factures/${invoice.id}`);
      assert.match(textOf(page.body), /Payer 13,60 € par carte bancaire/);

      const started = await parent.post(`/factures/${invoice.id}/payer`);
      assert.equal(started.status, 303);
      const payfipPage = started.location!;
      assert.ok(payfipPage.startsWith(sim.paymentPageUrl), payfipPage);
      // On PayFiP's page: paid by card, and the notification sent twice.
      assert.equal((await fetch(payfipPage)).status, 200);
      const idop = new URL(payfipPage).searchParams.get('idop')!;
      const chosen = await fetch(new URL('/tpa/paiementws.web', payfipPage), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idop, resultat: 'P', avis: 'double' }).toString() });
      assert.equal(chosen.status, 303);
      // The browser comes back at the same time as the notifications.
      const back = await fetch(chosen.headers.get('location')!, { redirect: 'manual' });
      assert.equal(back.status, 303);
      await sim.idle();

      const paid = await invoiceOf(family.householdId);
      assert.equal(paid.paid_cents, invoice.total_cents, 'paid once, not twice');
      const after = textOf((await parent.get(`/factures/${invoice.id}`)).body);
      assert.match(after, /Payée/);
      assert.doesNotMatch(after, /Payer .* par carte bancaire/);
      const again = await parent.post(`/factures/${invoice.id}/payer`);
      assert.equal(again.status, 409);
      assert.match(textOf(again.body), /Cette facture est réglée/);
      const history = await ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'invoice.paid_online').where('target_id', '=', family.householdId).execute();
      assert.equal(history.length, 1);
    });

    test('another household\'s invoice cannot be paid (404), and nothing starts', async () => {
      const [mine, theirs] = families;
      const parent = new TestClient(app);
      await parent.login(mine.email, mine.password);
      await parent.get('/factures');
      const other = await invoiceOf(theirs.householdId);
      const before = await ctx.db.selectFrom('payment_transactions').select('id').execute();
      assert.equal((await parent.post(`/factures/${other.id}/payer`)).status, 404);
      assert.equal((await ctx.db.selectFrom('payment_transactions').select('id').execute()).length, before.length);
      assert.equal((await invoiceOf(theirs.householdId)).paid_cents, 0);
    });

    test('several invoices in one PayFiP payment from /factures: each item locked, both paid, one receipt with two allocations', async () => {
      const family = families[1];
      const november = await invoiceOf(family.householdId);
      const regieId = (await ctx.db.selectFrom('invoices').select('regie_id').where('id', '=', november.id).executeTakeFirstOrThrow()).regie_id;
      const october = newId();
      const older = newId();
      await ctx.db.insertInto('invoice_runs').values({ id: october, regie_id: regieId, month: '2026-10', status: 'issued', draft_version: 1, drafted_at: null, drafted_by: null, controlled_version: 1, controlled_at: null, controlled_by: null, issued_at: '2026-11-02T09:00:00.000Z', issued_by: null, created_at: '2026-11-02T09:00:00.000Z' }).execute();
      await ctx.db.insertInto('invoices').values({ id: older, number: 'F-2026-900001', year: 2026, seq: 900001, run_id: october, regie_id: regieId, household_id: family.householdId, month: '2026-10', issued_at: '2026-11-02T09:00:00.000Z', due_on: '2026-12-02', total_cents: 1000, payer_name: 'Alex', payer_address: '1 rue de la Paix', paid_cents: 0, credited_cents: 0 }).execute();

      const parent = new TestClient(app);
      await parent.login(family.email, family.password);
      const account = textOf((await parent.get('/factures')).body);
      assert.match(account, /Payer plusieurs factures en une fois/);
      assert.equal((await parent.post('/factures/payer', { factures: [older, (await invoiceOf(families[0].householdId)).id] })).status, 404, 'une facture d\'un autre foyer');
      await parent.get('/factures');
      const none = await parent.post('/factures/payer', {});
      assert.equal(none.status, 409);
      assert.match(textOf(none.body), /Cochez au moins une facture/);
      await parent.get('/factures');
      const started = await parent.post('/factures/payer', { factures: [older, november.id] });
      assert.equal(started.status, 303);
      const payfipPage = started.location!;
      assert.ok(payfipPage.startsWith(sim.paymentPageUrl), payfipPage);
      const tx = await ctx.db.selectFrom('payment_transactions').select(['amount_cents', 'items']).where('household_id', '=', family.householdId).executeTakeFirstOrThrow();
      assert.equal(Number(tx.amount_cents), 1000 + november.total_cents);
      assert.equal((JSON.parse(tx.items) as unknown[]).length, 2);
      // While it may still run, one of the two cannot be paid again.
      await parent.get(`/factures/${older}`);
      const again = await parent.post(`/factures/${older}/payer`);
      assert.equal(again.status, 409);
      assert.match(textOf(again.body), /peut-être encore en cours/);

      const idop = new URL(payfipPage).searchParams.get('idop')!;
      const chosen = await fetch(new URL('/tpa/paiementws.web', payfipPage), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idop, resultat: 'P', avis: 'normal' }).toString() });
      assert.equal(chosen.status, 303);
      assert.equal((await fetch(chosen.headers.get('location')!, { redirect: 'manual' })).status, 303);
      await sim.idle();
      const paid = await ctx.db.selectFrom('invoices').select(['id', 'total_cents', 'paid_cents']).where('household_id', '=', family.householdId).execute();
      for (const i of paid) assert.equal(i.paid_cents, i.total_cents);
      const receipts = await ctx.db.selectFrom('payments').select(['id', 'means', 'amount_cents', 'allocated_cents']).where('household_id', '=', family.householdId).execute();
      assert.equal(receipts.length, 1);
      assert.equal(receipts[0].means, 'card_online');
      assert.equal(Number(receipts[0].allocated_cents), 1000 + november.total_cents);
      assert.equal((await ctx.db.selectFrom('payment_allocations').select('id').where('payment_id', '=', receipts[0].id).execute()).length, 2);
    });
  });
}
