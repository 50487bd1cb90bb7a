import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aControlledRun, testPricing } from '../../../test/support/invoicing.ts';
import { invoicingService } from './invoicing.service.ts';
import { ledgerService } from './invoicing.ledger-service.ts';
import { reminderNumber } from './invoicing.ledger.domain.ts';
import { sendPaymentReminders } from './invoicing.reminders-service.ts';
import { messagingNotificationsService } from '../messaging/messaging.notifications-service.ts';
import { NOTIFICATIONS } from '../messaging/messaging.notifications.domain.ts';

test('reminder numbers: none until the due date, the first the day after, then one per interval', () => {
  assert.equal(reminderNumber('2026-12-31', '2026-12-31', 15), 0);
  assert.equal(reminderNumber('2026-12-31', '2027-01-01', 15), 1);
  assert.equal(reminderNumber('2026-12-31', '2027-01-15', 15), 1);
  assert.equal(reminderNumber('2026-12-31', '2027-01-16', 15), 2);
  assert.equal(reminderNumber('2026-12-31', '2027-01-31', 15), 3);
});

/**
 * Reminders through the notification registry, on a real database: once after the due date, never
 * twice in one interval even with two workers at the same moment, again after the interval, never
 * for a paid invoice; in the family's inbox and by e-mail; nothing when the town switched the kind
 * off. The unpaid export for the Trésor opens in Excel and never carries a formula.
 */
for (const engine of testEngines()) {
  describe(`rappels des factures impayées et export pour le Trésor (${engine})`, () => {
    let t: TestApp;
    let run: Awaited<ReturnType<typeof aControlledRun>>;
    let dueOn: string;
    const reminders = () => t.ctx.db.selectFrom('outbox').select(['to_address', 'subject', 'dedupe_key']).where('kind', '=', 'invoice-reminder').orderBy('dedupe_key').execute();
    const inbox = () => t.ctx.db.selectFrom('messages').select(['idempotency_key', 'subject']).where('kind', '=', 'invoice_reminder').orderBy('idempotency_key').execute();

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const svc = invoicingService(t.ctx, testPricing());
      const regie = await agentAuth(t.ctx, ['regie']);
      run = await aControlledRun(t, svc, regie, await agentAuth(t.ctx, ['enfance']), 2);
      assert.ok((await svc.issue(regie, run.runId)).ok);
      dueOn = (await t.ctx.db.selectFrom('invoices').select('due_on').where('run_id', '=', run.runId).executeTakeFirstOrThrow()).due_on;
    });
    after(() => t.close());

    test('once, then after the interval, never twice, never for a paid invoice; inbox and e-mail', async () => {
      t.clock.set(`${dueOn}T20:00:00Z`);
      await sendPaymentReminders(t.ctx);
      assert.equal((await reminders()).length, 0, 'pas avant l\'échéance');

      // The day after the due date: two workers at once tell one reminder per invoice (one e-mail per guardian).
      t.clock.set(new Date(Date.parse(`${dueOn}T09:00:00Z`) + 86_400_000));
      const told = await Promise.all([sendPaymentReminders(t.ctx), sendPaymentReminders(t.ctx)]);
      assert.equal(told[0].invoices + told[1].invoices, 2);
      const first = await reminders();
      assert.equal(first.length, 2);
      assert.match(first[0].subject, /^Facture F-2026-\d{6} : rappel de paiement – /);
      assert.equal((await inbox()).length, 2);

      // The family reads it in its inbox.
      const a = run.families[0];
      const family = new TestClient(t.app);
      await family.login(a.email, a.password);
      const list = textOf((await family.get('/messages')).body);
      assert.match(list, /Facture F-2026-\d{6} : rappel de paiement/);

      // Household A pays at the counter; ten days later nothing new; after the interval only B again.
      const regie = await agentAuth(t.ctx, ['regie']);
      const paid = await ledgerService(t.ctx).recordCounter(regie, a.householdId, { means: 'cash', amount: '13,60', chequeNumber: '', bank: '', invoiceIds: [] });
      assert.ok(paid.ok);
      t.clock.advance(10 * 86_400_000);
      await sendPaymentReminders(t.ctx);
      assert.equal((await reminders()).length, 2);
      t.clock.advance(6 * 86_400_000);
      await sendPaymentReminders(t.ctx);
      await sendPaymentReminders(t.ctx);
      const second = await reminders();
      assert.equal(second.length, 3);
      const keys = (await inbox()).map((m) => m.idempotency_key);
      assert.equal(keys.length, 3);
      assert.equal(keys.filter((k) => k.includes(':2:')).length, 1, 'the second reminder of B only');
      assert.equal(second.filter((m) => !first.some((f) => f.dedupe_key === m.dedupe_key))[0].to_address, run.families[1].email);

      // The town switches the reminders off: after the next interval, no e-mail, no inbox message.
      const admin = await agentAuth(t.ctx, ['admin']);
      const def = NOTIFICATIONS.invoice_reminder;
      assert.ok((await messagingNotificationsService(t.ctx).save(admin, 'invoice_reminder', { enabled: false, subject: def.subject, body: def.body })).ok);
      t.clock.advance(15 * 86_400_000);
      assert.deepEqual(await sendPaymentReminders(t.ctx), { invoices: 0 });
      assert.equal((await reminders()).length, 3);
      assert.equal((await inbox()).length, 3);
    });

    test('the unpaid export: BOM, semicolons, decimal comma, formulas neutralised; régie only', async () => {
      const b = run.families[1];
      await t.ctx.db.updateTable('invoices').set({ payer_name: '=HYPERLINK("http://x")' }).where('household_id', '=', b.householdId).execute();
      const regieLogin = await anAgent(t.ctx, ['regie']);
      const c = new TestClient(t.app);
      await c.login(regieLogin.email, regieLogin.password);
      const csv = await c.get('/agent/regie/impayes.csv');
      assert.equal(csv.status, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.ok(csv.body.startsWith('\ufeffNuméro;Régie;Foyer'));
      const lines = csv.body.split('\r\n').filter(Boolean);
      assert.equal(lines.length, 2, 'l\'en-tête et la seule facture impayée');
      assert.match(lines[1], /;"'=HYPERLINK\(""http:\/\/x""\)";/);
      assert.match(lines[1], /;13,60;0,00;0,00;13,60$/);
      const enfance = await anAgent(t.ctx, ['enfance']);
      const e = new TestClient(t.app);
      await e.login(enfance.email, enfance.password);
      assert.equal((await e.get('/agent/regie/impayes.csv')).status, 403);
    });
  });
}
