import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { recordQuotient } from './tariffs.shared-service.ts';
import * as repo from './tariffs.repository.ts';

const LINES: repo.NewLine[] = [
  { qf_min: null, qf_max: 599, residency: 'any', rank_min: null, rank_max: null, amount_cents: 100, category: 'repas', is_default: 0 },
  { qf_min: 600, qf_max: 899, residency: 'any', rank_min: 2, rank_max: null, amount_cents: 280, category: 'repas', is_default: 0 },
  { qf_min: 600, qf_max: 899, residency: 'any', rank_min: null, rank_max: null, amount_cents: 340, category: 'repas', is_default: 0 },
  { qf_min: 900, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 450, category: 'repas', is_default: 0 },
  { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 600, category: 'repas', is_default: 1 },
];

for (const engine of testEngines()) {
  describe(`tarifs côté familles : calendrier, « Combien vais-je payer ? », simulateur (${engine})`, () => {
    let t: TestApp;
    let known: Awaited<ReturnType<typeof aFamily>>;
    let unknown: Awaited<ReturnType<typeof aFamily>>;
    let secondChildId: string;
    let s: Awaited<ReturnType<typeof aService>>;
    const key = (childId: string, d: string) => `${childId}|${s.unitId}|${d}`;

    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx);
      known = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      unknown = await aFamily(t.ctx, agent, 'Petit', { childFirstName: 'Hugo' });
      await householdsAgentService(t.ctx).addChild(agent, known.householdId, { first_name: 'Tom', last_name: 'Martin', birth_date: '2020-02-01', sex: 'M', school: null, class_level: null });
      const { members } = await householdsAgentService(t.ctx).get(agent, known.householdId);
      secondChildId = members.find((m) => m.first_name === 'Tom')!.id;
      for (const [h, c] of [[known.householdId, known.childId], [known.householdId, secondChildId], [unknown.householdId, unknown.childId]]) await anAcceptedEnrolment(t.ctx, h, c, s);
      await t.ctx.db.transaction().execute(async (tx) => {
        await recordQuotient(tx, { householdId: known.householdId, amountEuros: 742, fromMonth: '2026-09', source: 'caf', reason: 'Attestation CAF', actor: actorOf(agent), at: t.clock.now() });
        await repo.insertVersion(tx, { serviceId: s.serviceId, unitId: null, schoolYearId: s.schoolYearId, appliesFrom: '2026-09-01', presentWithoutBookingCents: 150, lateCancellationCents: 0, createdBy: null }, LINES, t.clock.now());
      });
    });
    after(() => t.close());

    test('the month and the week show each bookable day\'s price; the second child booked the same day pays the sibling price', async () => {
      const parent = await login(known);
      const month = await parent.get('/reservations?mois=2026-12');
      assert.equal(month.status, 200);
      assert.match(month.body, /Léa, jeudi 3 décembre, restauration scolaire, repas/);
      assert.match(textOf(month.body), /prix : 3,40 €/);
      assert.match(textOf(month.body), /quotient familial 742 €/);
      // Léa (born 2018) booked on Thursday 3: Tom (born 2020) is then the 2nd child that day.
      const saved = await parent.post('/reservations', { mois: '2026-12', affiche: [`${key(known.childId, '2026-12-03')}|none`], reserve: [key(known.childId, '2026-12-03')] });
      assert.equal(saved.status, 303);
      const after = await parent.get(saved.location!);
      assert.match(textOf(after.body), /Les jours réservés coûteront 3,40 €/);
      const week = await parent.get('/reservations/semaine?du=2026-11-30');
      assert.equal(week.status, 200);
      const tomThursday = new RegExp(`id="w-${secondChildId}-${s.unitId}-2026-12-03-d"[^]*?prix : </span>2,80`);
      assert.match(week.body, tomThursday);
    });

    test('a household without QF is told why it pays the highest price, and how to change it', async () => {
      const parent = await login(unknown);
      const month = textOf((await parent.get('/reservations?mois=2026-12')).body);
      assert.match(month, /Nous ne connaissons pas votre quotient familial/);
      assert.match(month, /prix : 4,50 €/);
      const prices = await parent.get('/famille/tarifs');
      assert.equal(prices.status, 200);
      assert.match(textOf(prices.body), /Envoyez votre attestation CAF/);
      assert.match(textOf(prices.body), /QF 900 et plus\s*4,50 € \(repas\)\s*Votre tarif/);
    });

    test('« Combien vais-je payer ? » marks the household\'s lines by child rank; only for the logged-in household', async () => {
      const page = textOf((await (await login(known)).get('/famille/tarifs')).body);
      assert.match(page, /Votre quotient familial : 742 €\s*, depuis septembre 2026 \(Attestation CAF\)/);
      assert.match(page, /Tranche QF 600–899, à partir du 2e enfant\s*2,80 € \(repas\)\s*Votre tarif pour le 2e enfant et le 3e enfant et les suivants/);
      assert.match(page, /Tranche QF 600–899\s*3,40 € \(repas\)\s*Votre tarif pour l'aîné/);
      const anonymous = await new TestClient(t.app).get('/famille/tarifs');
      assert.notEqual(anonymous.status, 200);
    });

    test('the public simulator: no account, a typed QF, a bounded integer or a French 400', async () => {
      const visitor = new TestClient(t.app);
      const empty = await visitor.get('/tarifs');
      assert.equal(empty.status, 200);
      assert.doesNotMatch(textOf(empty.body), /Tarifs pour un quotient/);
      const asked = await visitor.get('/tarifs?qf=550&commune=oui');
      assert.equal(asked.status, 200);
      assert.match(textOf(asked.body), /Tarifs pour un quotient de 550 €[^]*QF jusqu'à 599\s*1,00 € \(repas\)\s*Votre tarif/);
      const none = textOf((await visitor.get('/tarifs?qf=&commune=non')).body);
      assert.match(none, /Tarifs sans quotient connu[^]*QF 900 et plus\s*4,50 € \(repas\)\s*Votre tarif/);
      for (const bad of ['abc', '-1', '100000', '1e3', '7.5']) {
        const res = await visitor.get(`/tarifs?qf=${encodeURIComponent(bad)}`);
        assert.equal(res.status, 400, bad);
        assert.match(textOf(res.body), /un nombre entier entre 0 et 99 999/);
      }
      assert.equal((await visitor.get('/tarifs?qf=1&qf=2')).status, 400);
      assert.equal((await visitor.get('/tarifs?commune=peut-etre')).status, 400);
    });
  });
}
