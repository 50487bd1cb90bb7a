import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aControlledRun, testPricing, BOOKED, NOVEMBER } from '../../../test/support/invoicing.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { newId } from '../../platform/ids.ts';
import { invoicingService } from './invoicing.service.ts';
import { RUN_INVOICES_PAGE } from './invoicing.regie-service.ts';

for (const engine of testEngines()) {
  describe(`page d'une facturation émise : ses factures, par page, et leur total (${engine})`, () => {
    let t: TestApp;
    let regie: { email: string; password: string };
    let runId: string;
    const EXTRA = RUN_INVOICES_PAGE + 1;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const enfance = await agentAuth(t.ctx, ['enfance']);
      const regieAuth = await agentAuth(t.ctx, ['regie']);
      regie = await anAgent(t.ctx, ['regie']);
      const svc = invoicingService(t.ctx, testPricing());
      const made = await aControlledRun(t, svc, regieAuth, enfance, 2, 'Régie des pages');
      runId = made.runId;
      assert.ok((await svc.issue(regieAuth, runId)).ok);
      // One invoice paid, as the payments would record it.
      const first = await t.ctx.db.selectFrom('invoices').select('id').where('run_id', '=', runId).orderBy('seq').executeTakeFirstOrThrow();
      await t.ctx.db.updateTable('invoices').set({ paid_cents: 4 * BOOKED }).where('id', '=', first.id).execute();
      // Enough more invoices of the run for a second page (households created as agents do, invoices written directly).
      const households = householdsAgentService(t.ctx);
      const base = await t.ctx.db.selectFrom('invoices').select(['year', 'seq', 'regie_id', 'month', 'issued_at', 'due_on']).where('run_id', '=', runId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      for (let i = 1; i <= EXTRA; i++) {
        const householdId = await households.create(enfance, { address_line1: '2 rue Haute', address_line2: null, postcode: '62160', city: 'Beauval' }, { first_name: 'Sam', last_name: `Page${String(i).padStart(2, '0')}`, email: `page${i}@test.fr`, phone: '0600000000', relationship: 'Père' });
        const seq = Number(base.seq) + i;
        await t.ctx.db
          .insertInto('invoices')
          .values({ id: newId(), number: `F-${base.year}-${String(seq).padStart(6, '0')}`, year: base.year, seq, run_id: runId, regie_id: base.regie_id, household_id: householdId, month: base.month, issued_at: base.issued_at, due_on: base.due_on, total_cents: 100, payer_name: `Sam Page${i}`, payer_address: '2 rue Haute', paid_cents: 0, credited_cents: 0 })
          .execute();
      }
    });
    after(() => t.close());

    test('la régie lit les factures émises, leur état, le lien vers chacune, et la ligne de total de toutes', async () => {
      const c = new TestClient(t.app);
      await c.login(regie.email, regie.password);
      const url = `/agent/regie/facturations/${runId}`;
      const page1 = await c.get(url);
      assert.equal(page1.status, 200);
      const text = textOf(page1.body);
      const links = [...page1.body.matchAll(/href="\/agent\/factures\/([0-9a-f-]{36})">F-2026-\d{6}</g)].map((m) => m[1]);
      assert.equal(links.length, RUN_INVOICES_PAGE, 'one page of invoices');
      assert.match(text, /F-2026-000001/);
      assert.match(text, /Payée/);
      assert.match(text, /À payer/);
      const total = 2 * NOVEMBER.length * BOOKED + EXTRA * 100;
      const euros = (cents: number) => `${Math.floor(cents / 100).toLocaleString('fr-FR').replace(/\s/g, '\\s')},${String(cents % 100).padStart(2, '0')}\\s€`;
      assert.match(text, new RegExp(`Total des ${2 + EXTRA} factures\\s+${euros(total)}\\s+${euros(0)}\\s+${euros(4 * BOOKED)}\\s+Reste dû : ${euros(total - 4 * BOOKED)}`));
      assert.match(text, /Page 1 sur 2/);

      const page2 = await c.get(`${url}?page=2`);
      assert.equal(page2.status, 200);
      const links2 = [...page2.body.matchAll(/href="\/agent\/factures\/([0-9a-f-]{36})">F-2026-\d{6}</g)].map((m) => m[1]);
      assert.equal(links2.length, 2 + EXTRA - RUN_INVOICES_PAGE);
      assert.equal(new Set([...links, ...links2]).size, 2 + EXTRA, 'each invoice on one page');
      assert.equal((await c.get(`/agent/factures/${links2[0]}`)).status, 200);
      assert.equal((await c.get(`${url}?page=0`)).status, 400);
      assert.equal((await c.get(`${url}?page=abc`)).status, 400);
    });
  });
}
