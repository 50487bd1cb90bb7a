import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { loadPricer, lockTariffVersions, recordQuotient, type DayToPrice } from './tariffs.shared-service.ts';
import * as repo from './tariffs.repository.ts';

const LINES: repo.NewLine[] = [
  { qf_min: null, qf_max: 599, residency: 'any', rank_min: null, rank_max: null, amount_cents: 100, category: 'repas', is_default: 0 },
  { qf_min: 600, qf_max: 899, residency: 'any', rank_min: 2, rank_max: null, amount_cents: 280, category: 'repas', is_default: 0 },
  { qf_min: 600, qf_max: 899, residency: 'any', rank_min: null, rank_max: null, amount_cents: 340, category: 'repas', is_default: 0 },
  { qf_min: 900, qf_max: null, residency: 'resident', rank_min: null, rank_max: null, amount_cents: 450, category: 'repas', is_default: 0 },
  { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 600, category: 'repas', is_default: 1 },
];

for (const engine of testEngines()) {
  describe(`tarifs : le calcul des prix d'un lot de foyers (${engine})`, () => {
    let t: TestApp;
    let agent: Auth;
    let service: Awaited<ReturnType<typeof aService>>;
    let resident: Awaited<ReturnType<typeof aFamily>>;
    let outsider: Awaited<ReturnType<typeof aFamily>>;
    let unknown: Awaited<ReturnType<typeof aFamily>>;
    let septemberVersion: string;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      agent = await agentAuth(t.ctx, ['enfance']);
      service = await aService(t.ctx);
      [resident, outsider, unknown] = [await aFamily(t.ctx, agent, 'Martin'), await aFamily(t.ctx, agent, 'Leroy'), await aFamily(t.ctx, agent, 'Petit')];
      const now = t.clock.now();
      await t.ctx.db.updateTable('households').set({ postcode: '59000', city: 'Lille' }).where('id', '=', outsider.householdId).execute();
      const actor = actorOf(agent);
      await t.ctx.db.transaction().execute(async (tx) => {
        await repo.replaceResidentPlaces(tx, [{ postcode: '62160', city_key: 'beauval', city: 'Beauval' }]);
        await recordQuotient(tx, { householdId: resident.householdId, amountEuros: 700, fromMonth: '2026-09', source: 'caf', reason: 'Attestation CAF', actor, at: now });
        await recordQuotient(tx, { householdId: resident.householdId, amountEuros: 950, fromMonth: '2027-01', source: 'msa', reason: 'Attestation MSA de janvier', actor, at: now });
        await recordQuotient(tx, { householdId: outsider.householdId, amountEuros: 950, fromMonth: '2026-09', source: 'agent', reason: 'Avis d\'imposition', actor, at: now });
        septemberVersion = await repo.insertVersion(tx, { serviceId: service.serviceId, unitId: null, schoolYearId: service.schoolYearId, appliesFrom: '2026-09-01', presentWithoutBookingCents: 150, lateCancellationCents: 0, createdBy: agent.user.id }, LINES, now);
        await repo.insertVersion(tx, { serviceId: service.serviceId, unitId: null, schoolYearId: service.schoolYearId, appliesFrom: '2027-01-04', presentWithoutBookingCents: 200, lateCancellationCents: 0, createdBy: agent.user.id }, LINES.map((l) => ({ ...l, amount_cents: l.amount_cents + 10 })), now);
      });
    });
    after(() => t.close());

    const day = (householdId: string, date: string, extra: Partial<DayToPrice> = {}): DayToPrice => ({ householdId, childId: 'c', serviceId: service.serviceId, unitId: service.unitId, date, siblingRank: 1, kind: 'booked', ...extra });
    const scope = () => ({ from: '2026-12-01', to: '2027-01-31', householdIds: [resident.householdId, outsider.householdId, unknown.householdId] });

    test('each household\'s QF, residency, rank and the version of the day, with the trace', async () => {
      const price = await loadPricer(t.ctx.db, scope());
      const cents = (d: DayToPrice) => {
        const r = price(d);
        return r.ok ? r.priced.amountCents : r.reason;
      };
      assert.equal(cents(day(resident.householdId, '2026-12-03')), 340);
      assert.equal(cents(day(resident.householdId, '2026-12-03', { siblingRank: 2 })), 280);
      assert.equal(cents(day(resident.householdId, '2027-01-05')), 460, 'QF 950 from January, January version');
      assert.equal(cents(day(outsider.householdId, '2026-12-03')), 600, 'QF 950 but not resident: the default line');
      assert.equal(cents(day(unknown.householdId, '2026-12-03')), 450, 'no QF: the highest bracket');
      assert.equal(cents(day(unknown.householdId, '2026-12-03', { kind: 'present_without_booking' })), 600);
      assert.equal(cents(day(resident.householdId, '2026-12-03', { serviceId: 'another' })), 'no_tariff');
      const r = price(day(resident.householdId, '2027-01-05'));
      assert.ok(r.ok);
      assert.deepEqual(r.priced.trace, { tariffVersionId: r.priced.trace.tariffVersionId, criterionLabel: 'QF 900 et plus, résident', quotient: 950, quotientSource: 'msa', quotientFrom: '2027-01', resident: true, siblingRank: 1 });
      assert.notEqual(r.priced.trace.tariffVersionId, septemberVersion);
    });

    test('a QF correction for the same month applies, the history keeps both and the audit log says why', async () => {
      await t.ctx.db.transaction().execute((tx) => recordQuotient(tx, { householdId: resident.householdId, amountEuros: 550, fromMonth: '2026-09', source: 'caf', reason: 'Correction d\'une erreur de saisie', actor: actorOf(agent), at: t.clock.now() }));
      const price = await loadPricer(t.ctx.db, scope());
      const r = price(day(resident.householdId, '2026-12-03'));
      assert.equal(r.ok && r.priced.amountCents, 100);
      const rows = await t.ctx.db.selectFrom('quotients').select('value_eur').where('household_id', '=', resident.householdId).execute();
      assert.equal(rows.length, 3);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('target_id', '=', resident.householdId).where('action', '=', 'household.quotient_added').execute();
      assert.ok(audit.some((a) => a.summary.includes('550 €') && a.summary.includes('erreur de saisie')));
    });

    test('a QF out of bounds or a malformed month is refused before any write', async () => {
      for (const bad of [{ amountEuros: -1, fromMonth: '2026-09' }, { amountEuros: 1.5, fromMonth: '2026-09' }, { amountEuros: 100_000, fromMonth: '2026-09' }, { amountEuros: 500, fromMonth: '2026-13' }]) {
        await assert.rejects(t.ctx.db.transaction().execute((tx) => recordQuotient(tx, { householdId: unknown.householdId, source: 'caf', reason: 'x', actor: actorOf(agent), at: t.clock.now(), ...bad })), RangeError);
      }
    });

    test('a version used by an issued invoice is locked: it can no longer be replaced', async () => {
      await t.ctx.db.transaction().execute((tx) => lockTariffVersions(tx, [septemberVersion, septemberVersion], t.clock.now()));
      const replaced = await t.ctx.db.transaction().execute((tx) => repo.replaceUnlockedVersion(tx, septemberVersion, { presentWithoutBookingCents: 0, lateCancellationCents: 0 }, LINES.slice(-1), t.clock.now()));
      assert.equal(replaced, false);
      const price = await loadPricer(t.ctx.db, scope());
      const r = price(day(resident.householdId, '2026-12-03'));
      assert.equal(r.ok && r.priced.amountCents, 100, 'lines unchanged');
    });

    test('a batch loads in a bounded number of queries, whatever the number of days priced', async () => {
      let queries = 0;
      const counting = t.ctx.db.withPlugin({ transformQuery: (a) => (queries++, a.node), transformResult: (a) => Promise.resolve(a.result) });
      const price = await loadPricer(counting, scope());
      for (let d = 1; d <= 28; d++) price(day(resident.householdId, `2026-12-${String(d).padStart(2, '0')}`));
      assert.ok(queries <= 6, `${queries} requêtes`);
    });
  });
}
