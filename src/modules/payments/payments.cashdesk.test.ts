import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aControlledRun, testPricing } from '../../../test/support/invoicing.ts';
import { structureReadingOrder } from '../../../test/support/pdf-structure.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { invoicingService } from '../invoicing/invoicing.service.ts';
import { ledgerService } from '../invoicing/invoicing.ledger-service.ts';
import { cashDeskService } from '../invoicing/invoicing.cashdesk-service.ts';

/**
 * Closing the cash-desk day, on both engines: the régie closes a day once (a double click, two
 * agents at once), nothing is recorded on a closed day, a later cancellation goes to the journal of
 * the day it is made and the closed totals stay as closed; the closed day's journal is a tagged PDF
 * read in order; other roles get 403, a malformed day 400.
 */
for (const engine of testEngines()) {
  describe(`clôture de la caisse du jour (${engine})`, () => {
    let t: TestApp;
    let regie: Auth;
    let run: Awaited<ReturnType<typeof aControlledRun>>;
    let login: { email: string; password: string };
    const counter = (householdId: string, means: string, amount: string, extra: { chequeNumber?: string; bank?: string } = {}) =>
      ledgerService(t.ctx).recordCounter(regie, householdId, { means, amount, chequeNumber: extra.chequeNumber ?? '', bank: extra.bank ?? '', invoiceIds: [] });
    const closures = () => t.ctx.db.selectFrom('cash_desk_closures').selectAll().where('regie_id', '=', run.regieId).orderBy('day').execute();
    const client = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const svc = invoicingService(t.ctx, testPricing());
      regie = await agentAuth(t.ctx, ['regie']);
      run = await aControlledRun(t, svc, regie, await agentAuth(t.ctx, ['enfance']), 2);
      assert.ok((await svc.issue(regie, run.runId)).ok);
      login = await anAgent(t.ctx, ['regie']);
      // Wednesday 2 December 2026, 10 h 30 in Paris.
      t.clock.set('2026-12-02T09:30:00Z');
    });
    after(() => t.close());

    test('the régie closes the day over HTTP: the cash counted, a difference needs a comment, a second click changes nothing', async () => {
      const [a, b] = run.families;
      const cheque = await counter(a.householdId, 'cheque', '20,00', { chequeNumber: '1234567', bank: 'La Banque Postale' });
      assert.ok(cheque.ok);
      assert.ok((await counter(b.householdId, 'cash', '5')).ok);
      const url = `/agent/regie/caisse?jour=2026-12-02&regie=${run.regieId}`;
      const c = await client(login);
      const open = textOf((await c.get(url)).body);
      assert.match(open, /Caisse du mercredi 2 décembre 2026 – /);
      assert.match(open, /Caisse ouverte/);
      assert.equal((await c.get(`/agent/regie/caisse/journal.pdf?jour=2026-12-02&regie=${run.regieId}`)).status, 404, 'no journal while open');

      // 4,00 € counted for 5,00 € expected, no comment: refused, values kept.
      const short = await c.post('/agent/regie/caisse/cloture', { jour: '2026-12-02', regie: run.regieId, especes: '4,00', commentaire: '' });
      assert.equal(short.status, 400);
      assert.match(textOf(short.body), /expliquez l'écart/);
      assert.match(short.body, /value="4,00"/);
      assert.equal((await closures()).length, 0);
      assert.equal((await c.post('/agent/regie/caisse/cloture', { jour: '2026-02-30', regie: run.regieId })).status, 400, 'bad day');
      await c.get(url);
      assert.equal((await c.post('/agent/regie/caisse/cloture', { jour: '2026-12-03', regie: run.regieId })).status, 400, 'a day not yet come');

      await c.get(url);
      const closed = await c.post('/agent/regie/caisse/cloture', { jour: '2026-12-02', regie: run.regieId, especes: '4,00', commentaire: 'Un euro rendu en trop' });
      assert.equal(closed.status, 303);
      const page = textOf((await c.get(closed.location!)).body);
      assert.match(page, /Caisse du mercredi 2 décembre 2026 clôturée/);
      assert.match(page, /Caisse clôturée par .+, le mercredi 2 décembre 2026 à 10 h 30/);
      assert.match(page, /Écart -1,00 €/);
      const [row] = await closures();
      assert.deepEqual([row.cheque_count, Number(row.cheque_cents), row.cash_count, Number(row.cash_cents), Number(row.total_cents), Number(row.counted_cash_cents), Number(row.difference_cents)], [1, 2000, 1, 500, 2500, 400, -100]);

      // The second click of a double click: the day stays closed as it was.
      const again = await c.post('/agent/regie/caisse/cloture', { jour: '2026-12-02', regie: run.regieId });
      assert.equal(again.status, 303);
      assert.match(textOf((await c.get(again.location!)).body), /était déjà clôturée/);
      assert.equal((await closures()).length, 1);
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'cashdesk.closed').execute()).length, 1);

      // Nothing more on the closed day: a payment (the receipt number is given back) or a cancellation.
      // (B still owes: the payment goes to the régie of its invoice.)
      const refused = await counter(b.householdId, 'cash', '3');
      assert.deepEqual(refused, { ok: false, errors: { caisse: 'day_closed' } });
      await c.get(`/agent/foyers/${b.householdId}/paiement`);
      const refusedPage = await c.post(`/agent/foyers/${b.householdId}/paiement`, { moyen: 'cash', montant: '3' });
      assert.equal(refusedPage.status, 409);
      assert.match(textOf(refusedPage.body), /caisse du jour de cette régie est déjà clôturée/);
      assert.ok(cheque.ok);
      const cancelToday = await ledgerService(t.ctx).cancel(regie, cheque.value.id, 'Mauvais foyer');
      assert.deepEqual(cancelToday, { ok: false, code: 'day_closed' });

      // The closed day's journal, read in order.
      const pdf = await t.app.inject({ method: 'GET', url: `/agent/regie/caisse/journal.pdf?jour=2026-12-02&regie=${run.regieId}`, headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const read = structureReadingOrder(pdf.rawPayload).map((e) => `${e.tag}: ${e.text.replace(/\s+/g, ' ').trim()}`);
      const at = (re: RegExp) => read.findIndex((l) => re.test(l));
      const order = [/^H1: Journal de caisse du mercredi 2 décembre 2026$/, /^P: Clôturé par .+, le mercredi 2 décembre 2026 à 10 h 30\.$/, /^H2: Paiements et annulations du jour$/, /^TH: Reçu$/, /^TD: Q-2026-000001$/, /^TD: Chèque n° 1234567 \(La Banque Postale\)$/, /^TD: 20,00 €$/, /^TD: Q-2026-000002$/, /^H2: Totaux/, /^LI: Espèces : 1 paiement, 5,00 €$/, /^LI: Chèque : 1 paiement, 20,00 €$/, /^LI: Total du jour : 25,00 €$/, /^P: Espèces attendues : 5,00 € ; espèces comptées : 4,00 € ; écart : -1,00 €\. Commentaire : Un euro rendu en trop$/];
      const positions = order.map(at);
      assert.ok(positions.every((p) => p >= 0), `${JSON.stringify(read, null, 1)}\n${JSON.stringify(positions)}`);
      assert.deepEqual(positions, [...positions].sort((x, y) => x - y), JSON.stringify(read, null, 1));

      // The next day: the cheque is cancelled; the cancellation is in that day's journal, the closed day's totals are unchanged.
      t.clock.set('2026-12-03T08:00:00Z');
      assert.ok((await ledgerService(t.ctx).cancel(regie, cheque.value.id, 'Mauvais foyer')).ok);
      const next = await cashDeskService(t.ctx).day(regie, run.regieId, '2026-12-03');
      assert.deepEqual(next.journal.lines.map((l) => [l.kind, l.cents]), [['cancellation', -2000]]);
      assert.equal(next.journal.totalCents, -2000);
      assert.deepEqual(next.openDays, [], 'the closed day is not waiting');
      const closedDay = await cashDeskService(t.ctx).day(regie, run.regieId, '2026-12-02');
      assert.equal(closedDay.journal.totalCents, 2500, 'recomputed, the closed day still adds up to what was closed');
      assert.deepEqual(await closures(), [row]);
      // (A day later the session has expired: log in again.)
      const c2 = await client(login);
      const nextPage = textOf((await c2.get(`/agent/regie/caisse?jour=2026-12-03&regie=${run.regieId}`)).body);
      assert.match(nextPage, /Annulation du reçu Q-2026-000001 \(reçu le mercredi 2 décembre 2026\)/);
      // A payment today takes the next receipt number: the refused one was given back.
      const today = await counter(b.householdId, 'cash', '2');
      assert.ok(today.ok && today.value.number === 'Q-2026-000003');
      t.clock.set('2026-12-04T08:00:00Z');
      assert.deepEqual((await cashDeskService(t.ctx).day(regie, run.regieId, '2026-12-04')).openDays, ['2026-12-03']);
    });

    test('two agents close the same day at once: one closure', async () => {
      const other = await agentAuth(t.ctx, ['admin']);
      const results = await Promise.all([cashDeskService(t.ctx).close(regie, run.regieId, '2026-12-03', { counted: '', comment: '' }), cashDeskService(t.ctx).close(other, run.regieId, '2026-12-03', { counted: '', comment: '' })]);
      assert.deepEqual(results.map((r) => (r.ok ? 'ok' : r.code)).sort(), ['already_closed', 'ok']);
      const row = (await closures()).filter((r) => r.day === '2026-12-03');
      assert.equal(row.length, 1);
      assert.deepEqual([Number(row[0].cash_cents), row[0].cancelled_count, Number(row[0].cancelled_cents), Number(row[0].total_cents)], [200, 1, 2000, -1800]);
    });

    test('other roles: 403; no session: to the login page', async () => {
      const enfance = await client(await anAgent(t.ctx, ['enfance']));
      assert.equal((await enfance.get('/agent/regie/caisse')).status, 403);
      assert.equal((await enfance.get(`/agent/regie/caisse/journal.pdf?jour=2026-12-02&regie=${run.regieId}`)).status, 403);
      await enfance.get('/agent');
      assert.equal((await enfance.post('/agent/regie/caisse/cloture', { jour: '2026-12-04', regie: run.regieId })).status, 403);
      const anonymous = new TestClient(t.app);
      assert.equal((await anonymous.get('/agent/regie/caisse')).status, 303);
      assert.equal((await anonymous.get(`/agent/regie/caisse/journal.pdf?jour=2026-12-02&regie=${run.regieId}`)).status, 303);
      const regieClient = await client(login);
      await regieClient.get('/agent/regie/caisse');
      assert.equal((await regieClient.post('/agent/regie/caisse/cloture', { jour: '2026-12-04', regie: '01900000-0000-7000-8000-00000000abcd' })).status, 404, 'an unknown régie');
      assert.equal((await closures()).filter((r) => r.day === '2026-12-04').length, 0);
    });
  });
}
