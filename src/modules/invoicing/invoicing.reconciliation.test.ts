import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { seedDemo } from '../../demo/seed.ts';
import { ledgerService } from './invoicing.ledger-service.ts';

/**
 * The demo town's issued run, recomputed to the cent from the month's facts (bookings, attendance,
 * closures, quotients, residency, tariff lines) by a second, deliberately naive implementation of
 * the rules written here from DOMAIN.md and the tariffs' README — not the invoicing or tariffs code.
 */
for (const engine of testEngines()) {
  describe(`rapprochement : chaque facture de la démonstration se retrouve au centime (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-02T09:00:00Z' });
      await seedDemo(t.ctx);
    });
    after(() => t.close());

    test('total de chaque facture = somme des jours facturables recalculés', async () => {
      const db = t.ctx.db;
      const runs = await db.selectFrom('invoice_runs').selectAll().where('status', '=', 'issued').execute();
      assert.equal(runs.length, 1);
      const month = runs[0].month;
      assert.equal(month, '2026-11');
      const services = new Map((await db.selectFrom('services').select(['id', 'kind', 'facility_id']).where('regie_id', '=', runs[0].regie_id).execute()).map((s) => [s.id, s]));
      const bookings = await db
        .selectFrom('bookings')
        .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
        .select(['bookings.id', 'bookings.household_id', 'bookings.child_person_id', 'bookings.service_id', 'bookings.unit_id', 'bookings.day', 'bookings.status', 'bookings.attendance', 'bookings.absence_declared_at', 'persons.birth_date'])
        .where('bookings.day', '>=', `${month}-01`)
        .where('bookings.day', '<=', `${month}-30`)
        .execute();
      const closures = await db.selectFrom('closures').selectAll().execute();
      const quotients = await db.selectFrom('quotients').select(['household_id', 'value_eur', 'reference_month', 'created_at']).execute();
      const places = new Set((await db.selectFrom('resident_places').select(['postcode', 'city_key']).execute()).map((p) => `${p.postcode}|${p.city_key}`));
      const households = new Map((await db.selectFrom('households').select(['id', 'postcode', 'city']).execute()).map((h) => [h.id, h]));
      const versions = await db.selectFrom('tariff_versions').selectAll().execute();
      const yearEnds = new Map((await db.selectFrom('school_years').select(['id', 'end_date']).execute()).map((y) => [y.id, y.end_date]));
      const lines = await db.selectFrom('tariff_lines').selectAll().orderBy('position').execute();

      const closed = (b: { service_id: string; day: string }) => closures.some((c) => c.day === b.day && (c.service_id === b.service_id || (c.service_id === null && (c.facility_id === null || c.facility_id === services.get(b.service_id)?.facility_id))));
      const billable = bookings.filter((b) => services.has(b.service_id) && b.status === 'booked' && b.attendance !== 'absent_justified' && !closed(b));
      const key = (b: { household_id: string; day: string; service_id: string }) => `${b.household_id}|${b.day}|${services.get(b.service_id)!.kind}`;
      const sameDay = new Map<string, { id: string; birth: string | null }[]>();
      for (const b of billable) {
        const list = sameDay.get(key(b)) ?? [];
        if (!list.some((c) => c.id === b.child_person_id)) list.push({ id: b.child_person_id, birth: b.birth_date });
        sameDay.set(key(b), list);
      }
      const rank = (b: (typeof billable)[number]) =>
        [...sameDay.get(key(b))!].sort((x, y) => (x.birth === y.birth ? (x.id < y.id ? -1 : 1) : x.birth === null ? 1 : y.birth === null ? -1 : x.birth < y.birth ? -1 : 1)).findIndex((c) => c.id === b.child_person_id) + 1;
      const qf = (householdId: string, day: string) =>
        quotients.filter((q) => q.household_id === householdId && q.reference_month <= day.slice(0, 7)).sort((a, b) => (a.reference_month === b.reference_month ? a.created_at.localeCompare(b.created_at) : a.reference_month.localeCompare(b.reference_month))).at(-1)?.value_eur ?? null;
      const resident = (householdId: string) => {
        const h = households.get(householdId)!;
        const city = h.city.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
        return places.size === 0 || places.has(`${h.postcode.trim()}|${city}`);
      };
      const price = (b: (typeof billable)[number]) => {
        // A version of the unit itself wins over one of the whole service; the latest start within its year.
        const inForce = (unitId: string | null) => versions.filter((x) => x.service_id === b.service_id && x.unit_id === unitId && x.applies_from <= b.day && b.day <= (yearEnds.get(x.school_year_id) ?? '')).sort((x, y) => x.applies_from.localeCompare(y.applies_from)).at(-1);
        const v = inForce(b.unit_id) ?? inForce(null);
        assert.ok(v, `un tarif pour ${b.service_id}`);
        const q = qf(b.household_id, b.day);
        const r = rank(b);
        const res = resident(b.household_id);
        const line = lines.filter((l) => l.version_id === v.id).find((l) =>
          l.is_default === 1 ||
          ((q === null ? l.qf_max === null : (l.qf_min === null || q >= l.qf_min) && (l.qf_max === null || q <= l.qf_max)) &&
            (l.residency === 'any' || (l.residency === 'resident') === res) &&
            (l.rank_min === null || r >= l.rank_min) &&
            (l.rank_max === null || r <= l.rank_max)),
        );
        assert.ok(line);
        const surcharge = b.attendance === 'present_unbooked' ? v.present_without_booking_cents : b.attendance === 'absent_unjustified' && b.absence_declared_at ? v.late_cancellation_cents : 0;
        return Number(line.amount_cents) + Number(surcharge);
      };
      const expected = new Map<string, number>();
      for (const b of billable) expected.set(b.household_id, (expected.get(b.household_id) ?? 0) + price(b));

      const invoices = await db.selectFrom('invoices').select(['household_id', 'total_cents', 'number']).where('run_id', '=', runs[0].id).execute();
      assert.ok(invoices.length >= 10, `${invoices.length} factures`);
      assert.deepEqual(new Map(invoices.map((i) => [i.household_id, Number(i.total_cents)])), expected);
      const credit = await db.selectFrom('credit_notes').select(['number', 'amount_cents']).execute();
      assert.equal(credit.length, 1);
      assert.equal(credit[0].number, 'A-2026-000001');
    });

    test('the demo\'s payments: card, cheque, partial cash, one unpaid past due; balance = invoices − credit notes − allocated payments, for every household', async () => {
      const db = t.ctx.db;
      const means = (await db.selectFrom('payments').select('means').orderBy('number').execute()).map((p) => p.means);
      assert.deepEqual(means, ['card_online', 'cheque', 'cash']);
      const invoices = await db.selectFrom('invoices').select(['id', 'household_id', 'total_cents', 'credited_cents', 'paid_cents', 'due_on']).execute();
      const remaining = (i: (typeof invoices)[number]) => Number(i.total_cents) - Number(i.credited_cents) - Number(i.paid_cents);
      assert.ok(invoices.some((i) => Number(i.paid_cents) > 0 && remaining(i) > 0), 'une facture partiellement payée');
      assert.ok(invoices.some((i) => Number(i.paid_cents) === 0 && remaining(i) > 0 && i.due_on < t.ctx.clock.today()), 'une facture impayée après échéance');
      // Recomputed from the raw rows, not through the ledger's code.
      const notes = await db.selectFrom('credit_notes').select(['household_id', 'amount_cents']).execute();
      const allocations = await db.selectFrom('payment_allocations').select(['household_id', 'invoice_id', 'amount_cents']).where('cancelled_at', 'is', null).execute();
      const ledger = ledgerService(t.ctx);
      for (const h of new Set(invoices.map((i) => i.household_id))) {
        const sum = (xs: { amount_cents: number }[]) => xs.reduce((s, x) => s + Number(x.amount_cents), 0);
        const expected = invoices.filter((i) => i.household_id === h).reduce((s, i) => s + Number(i.total_cents), 0) - sum(notes.filter((n) => n.household_id === h)) - sum(allocations.filter((a) => a.household_id === h));
        assert.equal((await ledger.balance(h)).owedCents, expected, `solde du foyer ${h}`);
      }
      for (const i of invoices) assert.equal(Number(i.paid_cents), allocations.filter((a) => a.invoice_id === i.id).reduce((s, a) => s + Number(a.amount_cents), 0));
    });
  });
}
