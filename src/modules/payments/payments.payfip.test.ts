import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { TEST_SECRET_KEY } from '../../../test/support/app.ts';
import { freePort } from '../../../test/support/browser.ts';
import { agentAuth, aFamily } from '../../../test/support/builders.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { loadConfig } from '../../config.ts';
import { buildApp, paymentsOf } from '../../app.ts';
import { createContext } from '../../platform/bootstrap.ts';
import { FixedClock, MINUTE } from '../../platform/clock/clock.ts';
import { keepTransport } from '../../platform/mail/outbox.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-type.ts';
import { newId } from '../../platform/ids.ts';
import { payfipClient } from '../../platform/payfip/payfip.client.ts';
import { startPayfipSimulator, type PayfipSimulator } from '../../payfip-simulator/simulator.ts';
import { paymentsService, type PaymentTransaction } from './payments.service.ts';
import { START_REFUSALS } from './payments.outcomes.ts';
import { findTransaction, insertTransaction, takeItemLock } from './payments.repository.ts';
import { refdetOf } from '../../platform/payfip/payfip.domain.ts';

/**
 * Online payment against the PayFiP simulator over real HTTP: the portal listens on a port, the
 * simulator sends its notifications there and redirects the "browser" (fetch) to the return URL.
 * Every outcome of issue 11's acceptance list, on both engines.
 */

interface Portal {
  app: App;
  ctx: AppContext;
  base: string;
}

/** The whole portal on a port, on a given database, pointed at the simulator like at PayFiP. */
async function startPortal(handle: DatabaseHandle, clock: FixedClock, sim: PayfipSimulator): Promise<Portal> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', PUBLIC_URL: base, SECRET_KEY: TEST_SECRET_KEY, PAYFIP_URL: sim.soapUrl, PAYFIP_PAYMENT_URL: sim.paymentPageUrl, PAYFIP_NUMCLI: '090909', PAYFIP_SAISIE: 'T', PAYFIP_TIMEOUT_SECONDS: '3' });
  const { ctx } = await createContext(config, { clock, mailTransport: keepTransport, handle });
  const app = await buildApp(ctx);
  await app.listen({ port, host: '127.0.0.1' });
  return { app, ctx, base };
}

for (const engine of testEngines()) {
  describe(`paiement en ligne PayFiP contre le simulateur, en HTTP (${engine})`, () => {
    let sim: PayfipSimulator;
    let handle: DatabaseHandle;
    let portal: Portal;
    const clock = new FixedClock(new Date('2026-11-28T10:00:00Z'));
    let family: Awaited<ReturnType<typeof aFamily>>;
    let parent: TestClient;

    before(async () => {
      sim = await startPayfipSimulator({ numcli: '090909', notificationDelayMs: 100 });
      handle = await freshDatabase(engine);
      portal = await startPortal(handle, clock, sim);
      family = await aFamily(portal.ctx, await agentAuth(portal.ctx, ['enfance']), 'Martin');
      parent = new TestClient(portal.app);
      await parent.login(family.email, family.password);
    });
    after(async () => {
      await portal.app.close();
      await handle.close();
      await sim.close();
    });

    const payments = () => paymentsOf(portal.ctx);
    const start = async (amountCents = 1250, invoiceId = newId()) => {
      const started = await payments().startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents }], 'Facture novembre');
      assert.ok(started.ok, JSON.stringify(started));
      return { ...started.value, invoiceId };
    };
    /** The payer on the simulator's page: the page, the choice, and where the browser is sent back. */
    const choose = async (redirectUrl: string, resultat: string, avis = 'normal') => {
      const page = await fetch(redirectUrl);
      assert.equal(page.status, 200);
      const idop = new URL(redirectUrl).searchParams.get('idop')!;
      const res = await fetch(new URL('/tpa/paiementws.web', redirectUrl), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idop, resultat, avis }).toString() });
      assert.equal(res.status, 303);
      return { returnUrl: res.headers.get('location')!, idop };
    };
    /** The browser comes back: the portal's return route, then the family's page (with the session). */
    const comeBack = async (returnUrl: string) => {
      const res = await fetch(returnUrl, { redirect: 'manual' });
      assert.equal(res.status, 303, await res.text());
      const page = await parent.get(res.headers.get('location')!);
      assert.equal(page.status, 200);
      return textOf(page.body);
    };
    const row = async (id: string) => (await findTransaction(portal.ctx.db, id))!;
    const settlements = async (id: string) => {
      const refdet = (await row(id)).refdet;
      const rows = await portal.ctx.db.selectFrom('audit_log').select(['action', 'summary']).where('action', '=', 'payment.paid').execute();
      return rows.filter((r) => r.summary.includes(refdet)).length;
    };

    test('paid by card: the return page says so, the notification arrives, one settlement', async () => {
      const { transactionId, redirectUrl } = await start(1250);
      assert.equal((await row(transactionId)).status, 'pending');
      const { returnUrl } = await choose(redirectUrl, 'P');
      assert.equal(returnUrl.startsWith(`${portal.base}/paiements/payfip/retour/${transactionId}?idop=`), true);
      const text = await comeBack(returnUrl);
      assert.match(text, /Paiement accepté/);
      assert.match(text, /Votre paiement de 12,50 € par carte bancaire a été accepté le samedi 28 novembre 2026 à 11 h/);
      await sim.idle();
      assert.deepEqual(sim.sent.filter((s) => s.url.endsWith(transactionId)).map((s) => s.status), [200]);
      const r = await row(transactionId);
      assert.deepEqual([r.status, r.means, r.amount_cents], ['paid', 'card', 1250]);
      assert.equal((JSON.parse(r.bank_data!) as Record<string, string>).resultrans, 'P');
      assert.equal(r.bank_data!.includes(family.email), false, 'the e-mail is not kept');
      assert.equal(await settlements(transactionId), 1);
    });

    test('paid by direct debit', async () => {
      const { transactionId, redirectUrl } = await start(4000);
      const { returnUrl } = await choose(redirectUrl, 'V');
      assert.match(await comeBack(returnUrl), /Votre paiement de 40,00 € par prélèvement a été accepté/);
      await sim.idle();
      assert.deepEqual([(await row(transactionId)).status, (await row(transactionId)).means], ['paid', 'direct_debit']);
      assert.equal(await settlements(transactionId), 1);
    });

    test('refused: said plainly, nothing paid, and the invoice can be paid again at once', async () => {
      const { transactionId, redirectUrl, invoiceId } = await start(1250);
      const { returnUrl } = await choose(redirectUrl, 'R');
      const text = await comeBack(returnUrl);
      assert.match(text, /Paiement refusé/);
      assert.match(text, /Rien n'a été prélevé/);
      await sim.idle();
      assert.equal((await row(transactionId)).status, 'refused');
      assert.equal(await settlements(transactionId), 0);
      assert.ok((await payments().startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents: 1250 }])).ok);
    });

    test('abandoned: « abandonné » at once, no second attempt for 20 minutes, then settled by reconciliation', async () => {
      const { transactionId, redirectUrl, invoiceId } = await start(1250);
      const { returnUrl } = await choose(redirectUrl, 'A');
      const text = await comeBack(returnUrl);
      assert.match(text, /Paiement abandonné/);
      assert.match(text, /Vous pourrez recommencer à partir de 11 h 20/);
      await sim.idle();
      assert.equal((await row(transactionId)).status, 'pending', 'the payer may still go back and pay with this idOp');
      const again = await payments().startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents: 1250 }]);
      assert.deepEqual(again, { ok: false, code: 'already_running' });
      assert.match(START_REFUSALS.already_running, /Attendez 20 minutes/);
      clock.advance(20 * MINUTE);
      try {
        await payments().reconcile();
        assert.equal((await row(transactionId)).status, 'abandoned');
        assert.ok((await payments().startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents: 1250 }])).ok);
        assert.equal(await settlements(transactionId), 0);
      } finally {
        clock.set('2026-11-28T10:00:00Z');
      }
    });

    test('notification lost and no return: pending until the reconciliation settles it, once', async () => {
      const { transactionId, redirectUrl } = await start(1250);
      await choose(redirectUrl, 'P', 'perdu');
      await sim.idle();
      assert.equal((await row(transactionId)).status, 'pending');
      const first = await payments().reconcile();
      assert.ok(first.settled >= 1);
      assert.equal((await row(transactionId)).status, 'paid');
      await payments().reconcile();
      assert.equal(await settlements(transactionId), 1);
    });

    test('notification sent twice: both answered 200, one settlement', async () => {
      const { transactionId, redirectUrl } = await start(1250);
      await choose(redirectUrl, 'P', 'double');
      await sim.idle();
      assert.deepEqual(sim.sent.filter((s) => s.url.endsWith(transactionId)).map((s) => s.status), [200, 200]);
      assert.equal((await row(transactionId)).status, 'paid');
      assert.equal(await settlements(transactionId), 1);
    });

    test('notification and return at the same instant, ten in parallel over HTTP: one settlement', async () => {
      const { transactionId, redirectUrl } = await start(1250);
      const { returnUrl, idop } = await choose(redirectUrl, 'P', 'perdu');
      const notify = () => fetch(`${portal.base}/paiements/payfip/notification/${transactionId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `idOp=${idop}` });
      const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? notify() : fetch(returnUrl, { redirect: 'manual' })).then((r) => r.status)));
      assert.deepEqual(statuses.sort(), [200, 200, 200, 200, 200, 303, 303, 303, 303, 303]);
      assert.equal((await row(transactionId)).status, 'paid');
      assert.equal(await settlements(transactionId), 1);
    });

    test('the settlement hook runs once for ten callbacks at once, inside the settling transaction', async () => {
      const paid: PaymentTransaction[] = [];
      const service = paymentsService(portal.ctx, { client: payfipClient(portal.ctx.config.payfip), publicUrl: portal.base, onPaid: (_tx, t) => Promise.resolve(void paid.push(t)) });
      const started = await service.startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId: newId(), amountCents: 700 }, { invoiceId: newId(), amountCents: 550 }]);
      assert.ok(started.ok);
      const { idop } = await choose(started.value.redirectUrl, 'V', 'perdu');
      await Promise.all(Array.from({ length: 10 }, () => service.handleCallback(started.value.transactionId, idop)));
      assert.equal(paid.length, 1);
      assert.deepEqual([paid[0].amountCents, paid[0].means, paid[0].items.map((i) => i.amountCents)], [1250, 'direct_debit', [700, 550]]);
    });

    test('PayFiP unreachable or answering a fault: a clear French refusal, nothing paid, the invoice free again', async () => {
      const invoiceId = newId();
      const down = paymentsService(portal.ctx, { client: payfipClient({ ...portal.ctx.config.payfip, soapUrl: 'http://127.0.0.1:9/tpa/services/securite' }), publicUrl: portal.base, onPaid: () => Promise.reject(new Error('jamais')) });
      assert.deepEqual(await down.startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents: 1250 }]), { ok: false, code: 'payfip_unavailable' });
      assert.match(START_REFUSALS.payfip_unavailable, /Rien n'a été payé/);
      const outage = (mode: string) => fetch(`${sim.url}/simulateur/panne`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `mode=${mode}` });
      await outage('fault');
      try {
        assert.deepEqual(await payments().startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents: 1250 }]), { ok: false, code: 'payfip_unavailable' });
      } finally {
        await outage('none');
      }
      const failed = await portal.ctx.db.selectFrom('payment_transactions').select(['status']).where('items', 'like', `%${invoiceId}%`).execute();
      assert.deepEqual(failed.map((f) => f.status), ['failed', 'failed']);
      // Paid, but PayFiP is down when the browser comes back: « en attente », never « payée » on trust.
      const { transactionId, redirectUrl } = await start(1250, invoiceId);
      const { returnUrl } = await choose(redirectUrl, 'P', 'perdu');
      await outage('down');
      try {
        assert.match(await comeBack(returnUrl), /Paiement en attente.*Ne payez pas une deuxième fois/s);
        assert.equal((await row(transactionId)).status, 'pending');
      } finally {
        await outage('none');
      }
      await payments().reconcile();
      assert.equal((await row(transactionId)).status, 'paid');
    });

    test('the process stops between the payment page and the notification: a fresh instance settles it by reconciliation', async () => {
      const { transactionId, redirectUrl } = await start(1250);
      await portal.app.close();
      // The payer pays while the portal is down: the notification fails, the return never happens.
      await choose(redirectUrl, 'P');
      await sim.idle();
      assert.ok(sim.sent.filter((s) => s.url.endsWith(transactionId)).every((s) => s.status === null));
      portal = await startPortal(handle, clock, sim);
      parent = new TestClient(portal.app);
      await parent.login(family.email, family.password);
      assert.equal((await row(transactionId)).status, 'pending');
      await paymentsOf(portal.ctx).reconcile();
      assert.equal((await row(transactionId)).status, 'paid');
      assert.equal(await settlements(transactionId), 1);
    });

    test('the process stopped during creerPaiementSecurise: no idOp, failed after 2 minutes, the invoice free again', async () => {
      const id = newId();
      const invoiceId = newId();
      const stamp = clock.now().toISOString();
      await portal.ctx.db.transaction().execute(async (tx) => {
        await insertTransaction(tx, { id, householdId: family.householdId, amountCents: 1250, items: JSON.stringify([{ invoiceId, amountCents: 1250 }]), refdet: refdetOf(id), now: stamp });
        assert.ok(await takeItemLock(tx, invoiceId, id, stamp, new Date(clock.now().getTime() + 20 * MINUTE).toISOString()));
      });
      await payments().reconcile();
      assert.equal((await row(id)).status, 'pending', 'the creation may still be answering');
      clock.advance(2 * MINUTE);
      try {
        await payments().reconcile();
        assert.equal((await row(id)).status, 'failed');
        assert.ok((await payments().startPayment({ householdId: family.householdId, email: family.email }, [{ invoiceId, amountCents: 1250 }])).ok);
      } finally {
        clock.set('2026-11-28T10:00:00Z');
      }
    });

    test('callbacks trust nothing: a missing or foreign idop, another household\'s payment', async () => {
      const { transactionId } = await start(1250);
      const post = (body: string) => fetch(`${portal.base}/paiements/payfip/notification/${transactionId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      assert.equal((await post('')).status, 400);
      assert.equal((await post('idop=a&idop=b')).status, 400);
      assert.equal((await post('idop=<script>')).status, 400);
      assert.equal((await post('idop=00000000-0000-0000-0000-000000000000')).status, 404);
      assert.equal((await fetch(`${portal.base}/paiements/payfip/notification/${newId()}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'idop=abc' })).status, 404);
      assert.equal((await fetch(`${portal.base}/paiements/payfip/retour/${transactionId}?idop=autre`, { redirect: 'manual' })).status, 404);
      assert.equal((await row(transactionId)).status, 'pending');
      const other = await aFamily(portal.ctx, await agentAuth(portal.ctx, ['enfance']), 'Durand');
      const intruder = new TestClient(portal.app);
      await intruder.login(other.email, other.password);
      assert.equal((await intruder.get(`/paiements/${transactionId}`)).status, 404);
      assert.equal((await parent.get(`/paiements/${newId()}`)).status, 404);
      assert.equal((await parent.get(`/paiements/${transactionId}`)).status, 200);
    });
  });
}
