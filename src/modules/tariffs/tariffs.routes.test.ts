import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import { loadPricer, lockTariffVersions } from './tariffs.shared-service.ts';

const BASE = '/agent/tarifs';

/** A canteen tariff as the régie types it: three resident brackets, a 2nd-child line, non-residents, the default. */
const FORM = {
  applies_from: '2026-09-01',
  l1_residency: 'non_resident', l1_amount: '6,00', l1_category: 'repas',
  l2_qf_max: '599', l2_residency: 'resident', l2_amount: '1', l2_category: 'repas',
  l3_qf_min: '600', l3_qf_max: '899', l3_rank_min: '2', l3_residency: 'resident', l3_amount: '2,80', l3_category: 'repas',
  l4_qf_min: '600', l4_qf_max: '899', l4_residency: 'resident', l4_amount: '3,40', l4_category: 'repas',
  l5_qf_min: '900', l5_residency: 'resident', l5_amount: '4,50', l5_category: 'repas',
  default_amount: '5', default_category: 'repas',
  present_without_booking: '1,50', late_cancellation: '0,50',
};

for (const engine of testEngines()) {
  describe(`tarifs, back office (${engine})`, () => {
    let t: TestApp;
    let regie: { email: string; password: string };
    let admin: { email: string; password: string };
    let enfance: { email: string; password: string };
    let family: Awaited<ReturnType<typeof aFamily>>;
    let canteen: Awaited<ReturnType<typeof aService>>;
    let client: TestClient;

    const login = async (who: { email: string; password: string }) => {
      const c = new TestClient(t.app);
      await c.login(who.email, who.password);
      return c;
    };
    const versionIds = async () => (await t.ctx.db.selectFrom('tariff_versions').select('id').orderBy('applies_from').execute()).map((r) => r.id);

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      regie = await anAgent(t.ctx, ['regie']);
      admin = await anAgent(t.ctx, ['admin']);
      enfance = await anAgent(t.ctx, ['enfance']);
      canteen = await aService(t.ctx);
      family = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Martin');
      client = await login(regie);
    });
    after(() => t.close());

    test('only the régie and administrators reach the tariffs', async () => {
      assert.equal((await client.get(BASE)).status, 200);
      assert.equal((await (await login(admin)).get(`${BASE}/nouvelle`)).status, 200);
      const other = await login(enfance);
      assert.equal((await other.get(BASE)).status, 403);
      assert.equal((await other.post(`${BASE}/nouvelle`, FORM)).status, 403);
      const parent = await login(family);
      assert.notEqual((await parent.get(BASE)).status, 200);
      assert.notEqual((await new TestClient(t.app).get(BASE)).status, 200);
    });

    test('a version typed with French amounts is priced to the cent; its lines read in words', async () => {
      await client.get(`${BASE}/nouvelle`);
      const saved = await client.post(`${BASE}/nouvelle`, { ...FORM, target: `service:${canteen.serviceId}`, school_year: canteen.schoolYearId });
      assert.equal(saved.status, 303, textOf(saved.body));
      const page = textOf((await client.get(BASE)).body);
      assert.match(page, /tranche QF 600–899, résident, à partir du 2e enfant/);
      assert.match(page, /2,80 €/);
      const price = await loadPricer(t.ctx.db, { from: '2026-12-01', to: '2026-12-31', householdIds: [family.householdId] });
      const r = price({ householdId: family.householdId, childId: family.childId, serviceId: canteen.serviceId, unitId: canteen.unitId, date: '2026-12-03', siblingRank: 1, kind: 'present_without_booking' });
      assert.ok(r.ok);
      assert.deepEqual([r.priced.amountCents, r.priced.surchargeCents, r.priced.trace.criterionLabel], [600, 150, 'QF 900 et plus, résident']);
    });

    test('bad input: 400 with the message next to the field and the values kept; nothing saved', async () => {
      const before = (await versionIds()).length;
      await client.get(`${BASE}/nouvelle`);
      const bad = await client.post(`${BASE}/nouvelle`, { ...FORM, target: `service:${canteen.serviceId}`, school_year: canteen.schoolYearId, applies_from: '2027-01-04', l2_amount: '1,005', l4_qf_min: '950', default_amount: '' });
      assert.equal(bad.status, 400);
      const text = textOf(bad.body);
      assert.match(text, /Saisissez un montant en euros/);
      assert.match(text, /le QF minimum dépasse le QF maximum/);
      assert.match(bad.body, /value="1,005"/);
      assert.equal((await client.post(`${BASE}/nouvelle`, { ...FORM, target: 'service:nimporte-quoi', school_year: canteen.schoolYearId })).status, 400);
      assert.equal((await client.post(`${BASE}/nouvelle`, { ...FORM, target: `service:${canteen.serviceId}`, school_year: canteen.schoolYearId, applies_from: '2027-08-01' })).status, 400);
      assert.equal((await client.post(`${BASE}/nouvelle`, { ...FORM, l1_amount: ['1', '2'] })).status, 400);
      assert.equal((await versionIds()).length, before);
    });

    test('a second version on the same first day is refused in French', async () => {
      await client.get(`${BASE}/nouvelle`);
      const twice = await client.post(`${BASE}/nouvelle`, { ...FORM, target: `service:${canteen.serviceId}`, school_year: canteen.schoolYearId });
      assert.equal(twice.status, 400);
      assert.match(textOf(twice.body), /commence déjà ce jour-là/);
    });

    test('a version used by an issued invoice is refused with its reason; a new version from a date is the way', async () => {
      const [id] = await versionIds();
      await client.get(`${BASE}/versions/${id}`);
      const changed = await client.post(`${BASE}/versions/${id}`, { ...FORM, l4_amount: '3,50' });
      assert.equal(changed.status, 303);
      await t.ctx.db.transaction().execute((tx) => lockTariffVersions(tx, [id], t.clock.now()));
      const page = await client.get(`${BASE}/versions/${id}`);
      assert.match(textOf(page.body), /utilisée par des factures émises/);
      const refused = await client.post(`${BASE}/versions/${id}`, { ...FORM, l4_amount: '9,99' });
      assert.equal(refused.status, 409);
      assert.match(textOf(refused.body), /Créez une nouvelle version/);
      const lines = await t.ctx.db.selectFrom('tariff_lines').select('amount_cents').where('version_id', '=', id).where('position', '=', 3).executeTakeFirstOrThrow();
      assert.equal(lines.amount_cents, 350);
      const copy = await client.get(`${BASE}/versions/${id}/copier`);
      assert.match(copy.body, /value="3,50"/);
      const next = await client.post(`${BASE}/nouvelle`, { ...FORM, l4_amount: '3,60', target: `service:${canteen.serviceId}`, school_year: canteen.schoolYearId, applies_from: '2027-01-04' });
      assert.equal(next.status, 303);
      assert.equal((await versionIds()).length, 2);
      assert.equal((await client.get(`${BASE}/versions/00000000-0000-7000-8000-000000000000`)).status, 404);
    });

    test('places of residence: typed one per line; a household elsewhere pays the non-resident line', async () => {
      await client.get(`${BASE}/communes`);
      assert.equal((await client.post(`${BASE}/communes`, { places: 'Beauval sans code' })).status, 400);
      assert.equal((await client.post(`${BASE}/communes`, { places: '62160 BEAUVAL\n62160 Beauval\n62161 Autre-Ville' })).status, 303);
      const places = await t.ctx.db.selectFrom('resident_places').select(['postcode', 'city_key']).orderBy('postcode').execute();
      assert.deepEqual(places, [{ postcode: '62160', city_key: 'beauval' }, { postcode: '62161', city_key: 'autre ville' }]);
      await t.ctx.db.updateTable('households').set({ city: 'Ailleurs' }).where('id', '=', family.householdId).execute();
      const price = await loadPricer(t.ctx.db, { from: '2026-12-01', to: '2026-12-31', householdIds: [family.householdId] });
      const r = price({ householdId: family.householdId, childId: family.childId, serviceId: canteen.serviceId, unitId: canteen.unitId, date: '2026-12-03', siblingRank: 1, kind: 'booked' });
      assert.deepEqual(r.ok && [r.priced.amountCents, r.priced.trace.resident], [600, false]);
    });
  });
}
