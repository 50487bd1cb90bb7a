import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aCertificateTown } from '../../../test/support/certificates.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { NOVEMBER } from '../../../test/support/invoicing.ts';
import { invoicingDocuments } from '../invoicing/invoicing.documents-service.ts';
import { recordPayment } from '../invoicing/invoicing.payments.ts';
import { cancelAllocations, markCancelled } from '../invoicing/invoicing.payments.repository.ts';
import { childNamed, parseXml, type XmlElement } from '../../platform/payfip/xml.ts';
import type { Db } from '../../platform/db/database.ts';
import { VERIFY_LIMIT } from './certificates.service.ts';

const parisYear = (iso: string) => Number(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(new Date(iso)));

/**
 * The tax certificate's amounts recomputed from the tables, without the module's queries: per child
 * born in Y-6 or later, the share of the year's active payments on each invoice that is garde (net of
 * surcharges and credited lines), pro rata of the invoice's net amount, rounded down.
 */
async function expectedTax(db: Db, householdId: string, year: number): Promise<Map<string, number>> {
  const payments = (await db.selectFrom('payments').selectAll().where('household_id', '=', householdId).execute()).filter((p) => p.cancelled_at === null && parisYear(p.received_at) === year);
  const allocations = (await db.selectFrom('payment_allocations').selectAll().where('household_id', '=', householdId).execute()).filter((a) => a.cancelled_at === null && payments.some((p) => p.id === a.payment_id));
  const invoices = await db.selectFrom('invoices').selectAll().where('household_id', '=', householdId).execute();
  const out = new Map<string, number>();
  for (const inv of invoices) {
    const paid = allocations.filter((a) => a.invoice_id === inv.id).reduce((s, a) => s + Number(a.amount_cents), 0);
    const net = Number(inv.total_cents) - Number(inv.credited_cents);
    if (paid === 0 || net <= 0) continue;
    const lines = await db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', inv.id).execute();
    const credited = new Set((await db.selectFrom('credit_note_lines').selectAll().where('invoice_id', '=', inv.id).execute()).map((c) => c.booking_id));
    const byChild = new Map<string, number>();
    for (const l of lines) {
      if (l.category !== 'garde' || credited.has(l.booking_id)) continue;
      const person = await db.selectFrom('persons').selectAll().where('id', '=', l.child_person_id).executeTakeFirstOrThrow();
      if (Number(person.birth_date!.slice(0, 4)) < year - 6) continue;
      byChild.set(l.child_person_id, (byChild.get(l.child_person_id) ?? 0) + Number(l.amount_cents) - Number(l.surcharge_cents));
    }
    const eligible = [...byChild.values()].reduce((s, v) => s + v, 0);
    assert.ok(byChild.size <= 1, 'one child under six per household in this town: no split between children to redo');
    for (const [child] of byChild) out.set(child, (out.get(child) ?? 0) + Math.floor((Math.min(paid, net) * eligible) / net));
  }
  return out;
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

for (const engine of testEngines()) {
  describe(`attestations : présence, paiement, fiscale, vérification publique, export PES (${engine})`, () => {
    let t: TestApp;
    let town: Awaited<ReturnType<typeof aCertificateTown>>;
    let enfance: { email: string; password: string };
    let regie: { email: string; password: string };
    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };
    /** A form posted by this client, answered as bytes (a PDF or a file). */
    const postRaw = async (c: TestClient, url: string, form: Record<string, string>) => {
      const res = await t.app.inject({ method: 'POST', url, payload: new URLSearchParams({ _csrf: c.lastCsrf, ...form }).toString(), headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' } });
      return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, body: res.body };
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const enfanceAuth = await agentAuth(t.ctx, ['admin', 'enfance']);
      const regieAuth = await agentAuth(t.ctx, ['regie']);
      enfance = await anAgent(t.ctx, ['enfance']);
      regie = await anAgent(t.ctx, ['regie']);
      town = await aCertificateTown(t, enfanceAuth, regieAuth, ['Martin', 'Bernard']);
      const [martin, bernard] = town.families;
      const invoiceOf = async (householdId: string) => t.ctx.db.selectFrom('invoices').selectAll().where('household_id', '=', householdId).executeTakeFirstOrThrow();
      // Martin: one of Tom's garde days credited, 20 € paid in cash in December, a cheque of 5 € cancelled, 3 € received on 1 January 2027 (Paris) at 0 h 30.
      const inv = await invoiceOf(martin.householdId);
      const tomFirstGarde = await t.ctx.db.selectFrom('invoice_lines').select('booking_id').where('invoice_id', '=', inv.id).where('child_person_id', '=', martin.youngId).where('category', '=', 'garde').where('day', '=', NOVEMBER[0]).executeTakeFirstOrThrow();
      const credited = await invoicingDocuments(t.ctx).creditNote(regieAuth, inv.id, [tomFirstGarde.booking_id], 'Absence pour maladie');
      assert.ok(credited.ok);
      const b = await invoiceOf(bernard.householdId);
      await t.ctx.db.transaction().execute(async (tx) => {
        await recordPayment(tx, { householdId: martin.householdId, means: 'cash', amountCents: 2000, receivedAt: new Date('2026-12-02T09:00:00Z'), allocation: { invoiceIds: null } });
        const cheque = await recordPayment(tx, { householdId: martin.householdId, means: 'cheque', amountCents: 500, receivedAt: new Date('2026-12-02T09:05:00Z'), allocation: { invoiceIds: null } });
        await markCancelled(tx, cheque.id, regieAuth.user.id, 'Chèque sans provision', '2026-12-02T10:00:00Z');
        await cancelAllocations(tx, cheque.id, '2026-12-02T10:00:00Z');
        await recordPayment(tx, { householdId: martin.householdId, means: 'cash', amountCents: 300, receivedAt: new Date('2026-12-31T23:30:00Z'), allocation: { invoiceIds: null } });
        // Bernard: the whole invoice at the counter by card.
        await recordPayment(tx, { householdId: bernard.householdId, means: 'card_counter', amountCents: Number(b.total_cents), receivedAt: new Date('2026-12-02T11:00:00Z'), allocation: { invoiceIds: null } });
      });
    });
    after(() => t.close());

    let martinCode = '';
    let martinNumber = '';

    test('attestation fiscale : seuls la garde payée dans l\'année et les enfants de moins de 6 ans comptent, recalculés à partir des tables', async () => {
      for (const f of town.families) {
        const c = await login(f);
        const page = await c.get('/attestations');
        assert.equal(page.status, 200);
        assert.match(textOf(page.body), /Attestation fiscale/);
        const res = await postRaw(c, '/attestations/fiscale', { annee: '2026' });
        assert.equal(res.status, 200, res.body.slice(0, 300));
        assert.equal(res.headers['content-type'], 'application/pdf');
        assert.match(res.bytes.toString('latin1'), /\/StructTreeRoot/, 'tagged PDF');
        const text = pdfText(res.bytes);
        const expected = await expectedTax(t.ctx.db, f.householdId, 2026);
        assert.equal(expected.size, 1);
        const cents = expected.get(f.youngId)!;
        assert.ok(cents > 0);
        assert.match(text, new RegExp(`Tom ${f.email.startsWith('martin') ? 'Martin' : 'Bernard'}`));
        assert.match(text, new RegExp(`${euros(cents)}\\s€`), `${euros(cents)} € on the certificate`);
        assert.doesNotMatch(text, /Léa/, 'born in 2018: over six in 2026');
        assert.match(text, /hors frais de repas/);
        assert.match(text, /200 quater B/);
        assert.match(text, /SIRET 21620999900017/);
        const number = /Numéro : (ATT-2026-\d{6})/.exec(text)?.[1];
        const code = /Code de vérification : ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(text)?.[1];
        assert.ok(number && code, text);
        const row = await t.ctx.db.selectFrom('certificates').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
        assert.equal(Number(row.amount_cents), cents);
        assert.equal(row.kind, 'tax');
        assert.doesNotMatch(JSON.stringify(row), new RegExp(code.replace(/-/g, '-?')), 'the code is never stored');
        if (f.email.startsWith('martin')) {
          // 20 € paid on 44,70 € net, 7,50 € of Tom's garde left after the credit note: 3,35 €.
          assert.equal(cents, 335);
          martinCode = code;
          martinNumber = number;
        } else assert.equal(cents, 1000, 'Bernard paid everything: four days of garde for Tom');
      }
    });

    test('vérification publique : ce que l\'attestation dit, les initiales seulement ; un mauvais code répond comme un numéro inconnu', async () => {
      const c = new TestClient(t.app);
      assert.equal((await c.get('/attestations/verifier')).status, 200);
      const found = await c.post('/attestations/verifier', { numero: martinNumber.toLowerCase(), code: martinCode.replace(/-/g, ' ') });
      assert.equal(found.status, 200);
      const text = textOf(found.body);
      assert.match(text, /Attestation authentique/);
      assert.match(text, /Attestation fiscale \(frais de garde\)/);
      assert.match(text, /3,35/);
      assert.match(text, /A\. M\./);
      assert.match(text, /année 2026/);
      assert.doesNotMatch(text, /Martin|Tom|Léa/);

      const wrongCode = await c.post('/attestations/verifier', { numero: martinNumber, code: 'AAAA-BBBB-CCCC' });
      const unknown = await c.post('/attestations/verifier', { numero: 'ATT-2026-999999', code: 'AAAA-BBBB-CCCC' });
      assert.equal(wrongCode.status, unknown.status);
      assert.equal(textOf(wrongCode.body), textOf(unknown.body), 'no difference between a wrong code and an unknown number');
      assert.match(textOf(unknown.body), /Attestation introuvable/);
      const empty = await c.post('/attestations/verifier', { numero: '', code: '' });
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Saisissez le numéro/);
    });

    test('vérification publique : au-delà de la limite, même un bon code est refusé depuis cette adresse', async () => {
      const c = new TestClient(t.app);
      await c.get('/attestations/verifier');
      for (let i = 0; i < VERIFY_LIMIT.max; i++) assert.equal((await c.post('/attestations/verifier', { numero: `ATT-2026-${String(100 + i).padStart(6, '0')}`, code: 'AAAA-BBBB-CCCC' })).status, 200);
      const blocked = await c.post('/attestations/verifier', { numero: martinNumber, code: martinCode });
      assert.equal(blocked.status, 429);
      assert.match(textOf(blocked.body), /Réessayez dans un quart d'heure/);
      assert.doesNotMatch(textOf(blocked.body), /authentique/);
    });

    test('attestation de paiement : les paiements actifs de la période, par facture ; attestation de présence d\'un enfant', async () => {
      const [martin] = town.families;
      const c = await login(martin);
      await c.get('/attestations');
      const pay = await postRaw(c, '/attestations/paiement', { paiement_du: '2026-12', paiement_au: '2026-12' });
      assert.equal(pay.status, 200);
      const text = pdfText(pay.bytes);
      assert.match(text, /Q-2026-\d{6}/);
      assert.match(text, /20,00\s€/);
      assert.doesNotMatch(text, /5,00\s€/, 'the cancelled cheque is not certified');
      assert.doesNotMatch(text, /3,00\s€/, 'received on 1 January 2027 in Paris');
      const presence = await postRaw(c, '/attestations/presence', { enfant: martin.childId, presence_du: '2026-11', presence_au: '2026-11' });
      assert.equal(presence.status, 200);
      const ptext = pdfText(presence.bytes);
      assert.match(ptext, /Léa Martin/);
      assert.match(ptext, /jeudi 5 novembre 2026/);
      const row = await t.ctx.db.selectFrom('certificates').selectAll().where('kind', '=', 'attendance').executeTakeFirstOrThrow();
      assert.equal(Number(row.day_count), 4);

      // Bad input is a French message on the form, never a PDF nor a 500.
      const order = await c.post('/attestations/paiement', { paiement_du: '2026-12', paiement_au: '2026-10' });
      assert.equal(order.status, 409);
      assert.match(textOf(order.body), /Le mois de fin doit venir après le mois de début/);
      const malformed = await c.post('/attestations/fiscale', { annee: 'abcd' });
      assert.equal(malformed.status, 400);
      assert.match(textOf(malformed.body), /Choisissez une année/);
      const nothing = await c.post('/attestations/fiscale', { annee: '2025' });
      assert.equal(nothing.status, 409);
      assert.match(textOf(nothing.body), /il n'y a rien à attester/);
      // Another household's child: refused as unknown, nothing issued.
      const before = await t.ctx.db.selectFrom('certificates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const theirs = await c.post('/attestations/presence', { enfant: town.families[1].childId, presence_du: '2026-11', presence_au: '2026-11' });
      assert.equal(theirs.status, 409);
      assert.match(textOf(theirs.body), /Choisissez un enfant du foyer/);
      const afterCount = await t.ctx.db.selectFrom('certificates').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      const list = textOf((await c.get('/attestations')).body);
      assert.match(list, /Attestations déjà établies/);
      assert.match(list, new RegExp(martinNumber));
      assert.equal((await new TestClient(t.app).get('/attestations')).status, 303);
    });

    test('un agent établit une attestation depuis la fiche du foyer ; c\'est tracé ; une famille ne peut pas y accéder', async () => {
      const [martin] = town.families;
      const c = await login(enfance);
      const household = textOf((await c.get(`/agent/foyers/${martin.householdId}`)).body);
      assert.match(household, /Attestations/);
      assert.match(household, /Établir une attestation pour ce foyer/);
      const page = await c.get(`/agent/foyers/${martin.householdId}/attestations`);
      assert.equal(page.status, 200);
      const res = await postRaw(c, `/agent/foyers/${martin.householdId}/attestations/fiscale`, { annee: '2026' });
      assert.equal(res.status, 200);
      const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'certificate.issued').where('target_id', '=', martin.householdId).execute();
      assert.ok(audit.some((a) => a.actor_label.includes('(agent)')));
      const row = await t.ctx.db.selectFrom('certificates').selectAll().where('household_id', '=', martin.householdId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
      assert.ok(row.issued_by);
      assert.equal((await c.get('/agent/foyers/01900000-0000-7000-8000-00000000dead/attestations')).status, 404);
      assert.equal((await (await login(martin)).get(`/agent/foyers/${martin.householdId}/attestations`)).status, 403);
    });

    test('export PES V2 ORMC de la facturation émise : structure, totaux, ISO-8859-1, même fichier à chaque export', async () => {
      const c = await login(regie);
      const url = `/agent/regie/facturations/${town.runId}/pes.xml`;
      const first = await c.get(url);
      assert.equal(first.status, 200);
      assert.match(String(first.headers['content-type']), /iso-8859-1/);
      const raw = await t.app.inject({ method: 'GET', url, headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      const again = await t.app.inject({ method: 'GET', url, headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.ok(raw.rawPayload.equals(again.rawPayload), 'the same bordereau every time');
      const xml = raw.rawPayload.toString('latin1');
      assert.ok(xml.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>'));
      const root = parseXml(xml);
      const invoices = await t.ctx.db.selectFrom('invoices').selectAll().where('run_id', '=', town.runId).orderBy('seq').execute();
      const due = invoices.map((i) => Number(i.total_cents) - Number(i.credited_cents));
      const bloc = all(root, 'BlocBordereau')[0];
      assert.equal(childNamed(bloc, 'NbrPce')?.attributes.V, String(invoices.length));
      assert.equal(childNamed(bloc, 'MtBordHt')?.attributes.V, (due.reduce((s, v) => s + v, 0) / 100).toFixed(2));
      assert.equal(childNamed(bloc, 'Exer')?.attributes.V, '2026');
      const amounts = all(root, 'MtHT').map((e) => e.attributes.V);
      assert.deepEqual(amounts, due.map((d) => (d / 100).toFixed(2)));
      assert.deepEqual(all(root, 'NumeroFacture').map((e) => e.attributes.V), invoices.map((i) => i.number));
      assert.deepEqual(all(root, 'Nom').map((e) => e.attributes.V).sort(), ['BERNARD', 'MARTIN']);
      assert.equal(all(root, 'Per')[0].attributes.V, '11');
      const exported = await t.ctx.db.selectFrom('pes_exports').selectAll().execute();
      assert.equal(exported.length, 1);
      assert.equal((await (await login(enfance)).get(url)).status, 403);
    });
  });
}
