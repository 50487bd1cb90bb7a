import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { book, NOVEMBER } from '../../../test/support/invoicing.ts';
import { structureReadingOrder } from '../../../test/support/pdf-structure.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { DEFAULT_REGIE_ID } from '../../platform/db/migrations/013_invoicing.ts';
import { recordQuotient } from '../tariffs/tariffs.shared-service.ts';
import * as tariffs from '../tariffs/tariffs.repository.ts';

const LINES: tariffs.NewLine[] = [
  { qf_min: null, qf_max: 599, residency: 'any', rank_min: null, rank_max: null, amount_cents: 100, category: 'repas', is_default: 0 },
  { qf_min: 600, qf_max: 899, residency: 'any', rank_min: null, rank_max: null, amount_cents: 340, category: 'repas', is_default: 0 },
  { qf_min: 900, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 450, category: 'repas', is_default: 0 },
  { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 600, category: 'repas', is_default: 1 },
];

for (const engine of testEngines()) {
  describe(`pages de la régie et des familles : factures, PDF, avoir, CSV (${engine})`, () => {
    let t: TestApp;
    let regie: { email: string; password: string };
    let enfance: { email: string; password: string };
    let withQf: Awaited<ReturnType<typeof aFamily>>;
    let withoutQf: Awaited<ReturnType<typeof aFamily>>;
    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z' });
      const agent = await agentAuth(t.ctx, ['admin', 'enfance']);
      regie = await anAgent(t.ctx, ['regie']);
      enfance = await anAgent(t.ctx, ['enfance']);
      const s = await aService(t.ctx);
      withQf = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      withoutQf = await aFamily(t.ctx, agent, 'Bernard');
      await t.ctx.db.transaction().execute(async (tx) => {
        await tariffs.insertVersion(tx, { serviceId: s.serviceId, unitId: null, schoolYearId: s.schoolYearId, appliesFrom: '2026-09-01', presentWithoutBookingCents: 100, lateCancellationCents: 0, createdBy: agent.user.id }, LINES, t.clock.now());
        await recordQuotient(tx, { householdId: withQf.householdId, amountEuros: 700, fromMonth: '2026-09', source: 'caf', reason: 'Attestation CAF', actor: actorOf(agent), at: t.clock.now() });
      });
      for (const f of [withQf, withoutQf]) {
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        await book(t.ctx, f, s.unitId, NOVEMBER);
      }
      await t.ctx.db.updateTable('bookings').set({ attendance: 'present' }).execute();
      t.clock.set('2026-12-02T09:00:00Z');
    });
    after(() => t.close());

    let invoiceOf: Map<string, string>;

    test('la régie ouvre le mois, calcule, contrôle et émet ; les autres rôles n\'y ont pas accès', async () => {
      const anonymous = new TestClient(t.app);
      assert.equal((await anonymous.get('/agent/regie')).status, 303);
      assert.equal((await (await login(enfance)).get('/agent/regie')).status, 403);

      const c = await login(regie);
      const home = await c.get('/agent/regie');
      assert.equal(home.status, 200);
      assert.match(textOf(home.body), /Régie enfance et restauration/);
      const bad = await c.post(`/agent/regie/${DEFAULT_REGIE_ID}/facturations`, { [`mois-${DEFAULT_REGIE_ID}`]: '2026-12' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Choisissez un mois terminé/);
      const opened = await c.post(`/agent/regie/${DEFAULT_REGIE_ID}/facturations`, { [`mois-${DEFAULT_REGIE_ID}`]: '2026-11' });
      assert.equal(opened.status, 303);
      const runUrl = opened.location!;
      await c.get(runUrl);
      assert.equal((await c.post(`${runUrl}/brouillon`)).status, 303);
      const control = textOf((await c.get(runUrl)).body);
      assert.match(control, /Foyers sans quotient familial : 1/);
      assert.match(control, /Brouillon calculé : 8 lignes/);
      assert.match(control, /QF 600/);
      assert.equal((await c.post(`${runUrl}/controle`, { version: 'x' })).status, 400);
      assert.equal((await c.post(`${runUrl}/controle`, { version: '1' })).status, 303);
      const confirm = await c.get(`${runUrl}/emission`);
      assert.match(textOf(confirm.body), /2 factures pour 31,60/);
      assert.equal((await c.post(`${runUrl}/emission`)).status, 303);
      assert.match(textOf((await c.get(runUrl)).body), /2 factures émises/);

      const csv = await c.get(`${runUrl}/factures.csv`);
      assert.equal(csv.status, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.ok(csv.body.startsWith('\ufeffNuméro;Foyer;Payeur'));
      assert.match(csv.body, /F-2026-00000[12];F-\d+;[^;]+;2026-11;2026-12-02;2027-01-01;13,60;0,00;0,00;À payer\r\n/);
      assert.match(csv.body, /;18,00;0,00;0,00;À payer\r\n/, 'no QF: the highest bracket, 4,50 € a day');

      const rows = await t.ctx.db.selectFrom('invoices').select(['id', 'household_id']).execute();
      invoiceOf = new Map(rows.map((r) => [r.household_id, r.id]));
    });

    test('la famille voit sa facture, ses lignes lisibles et son PDF ; jamais ceux d\'un autre foyer', async () => {
      const c = await login(withQf);
      const list = textOf((await c.get('/factures')).body);
      assert.match(list, /F-2026-00000\d/);
      assert.match(list, /À payer/);
      assert.match(list, /Reste à payer 13,60/);
      const mine = invoiceOf.get(withQf.householdId)!;
      const page = textOf((await c.get(`/factures/${mine}`)).body);
      assert.match(page, /Léa — Restauration scolaire, repas — jeudi 5 novembre — 3,40 € \([^)]*600[^)]*\) — QF 700 \(attestation CAF, depuis septembre 2026\)/);
      const pdf = await c.get(`/factures/${mine}/facture.pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.ok(pdf.body.startsWith('%PDF'));
      assert.match(pdf.body, /\/StructTreeRoot/, 'tagged PDF');
      // Read as a screen reader does (structure order): header, the four days with their trace, then the amounts.
      const pdfBytes = await t.app.inject({ method: 'GET', url: `/factures/${mine}/facture.pdf`, headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      const read = structureReadingOrder(pdfBytes.rawPayload).map((e) => e.text.replace(/\s+/g, ' '));
      const where = (re: RegExp) => read.findIndex((x) => re.test(x));
      const days = NOVEMBER.map((d) => where(new RegExp(dayLabel(d, true))));
      assert.ok(where(/^Facture F-2026-00000\d$/) < where(/Martin/) && where(/Martin/) < days[0], 'number, household, then the lines');
      assert.deepEqual([...days].sort((a, b) => a - b), days, 'the days in order');
      assert.ok(read[days[0] + 1].includes('QF 700 (attestation CAF, depuis septembre 2026)'), 'each line with its trace');
      assert.ok(days[3] < where(/^Total de la facture : 13,60/), 'the total after the lines');
      const theirs = invoiceOf.get(withoutQf.householdId)!;
      assert.equal((await c.get(`/factures/${theirs}`)).status, 404);
      assert.equal((await c.get(`/factures/${theirs}/facture.pdf`)).status, 404);
      assert.equal((await new TestClient(t.app).get(`/factures/${mine}`)).status, 303);
    });

    test('la régie émet un avoir sur une ligne ; la famille le voit, la ligne ne peut pas être créditée deux fois', async () => {
      const c = await login(regie);
      const id = invoiceOf.get(withQf.householdId)!;
      const page = await c.get(`/agent/factures/${id}`);
      assert.match(textOf(page.body), /Émettre un avoir/);
      const empty = await c.post(`/agent/factures/${id}/avoir`, { motif: '' });
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Choisissez au moins une ligne/);
      assert.match(textOf(empty.body), /Indiquez le motif/);
      const line = await t.ctx.db.selectFrom('invoice_lines').select('booking_id').where('invoice_id', '=', id).where('day', '=', NOVEMBER[0]).executeTakeFirstOrThrow();
      const done = await c.post(`/agent/factures/${id}/avoir`, { lignes: line.booking_id, motif: 'Absence pour maladie justifiée après la facturation' });
      assert.equal(done.status, 303);
      assert.match(textOf((await c.get(`/agent/factures/${id}`)).body), /Avoir A-2026-000001 émis/);
      const again = await c.post(`/agent/factures/${id}/avoir`, { lignes: line.booking_id, motif: 'Encore' });
      assert.equal(again.status, 409);
      assert.match(textOf(again.body), /déjà annulée par un avoir/);

      const family = textOf((await (await login(withQf)).get(`/factures/${id}`)).body);
      assert.match(family, /Annulé par l'avoir A-2026-000001/);
      assert.match(family, /Reste à payer 10,20/);
      const mails = await t.ctx.db.selectFrom('outbox').select('subject').where('kind', '=', 'credit-note-issued').execute();
      assert.equal(mails.length, 1);

      const household = textOf((await (await login(enfance)).get(`/agent/foyers/${withQf.householdId}`)).body);
      assert.match(household, /Factures et avoirs/);
      assert.match(household, /A-2026-000001/);
      assert.equal((await (await login(enfance)).post(`/agent/factures/${id}/avoir`, { lignes: line.booking_id, motif: 'x' })).status, 403);
    });
  });
}
