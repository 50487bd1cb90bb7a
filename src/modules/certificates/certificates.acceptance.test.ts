import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { seedDemo } from '../../demo/seed.ts';
import { recordPayment } from '../invoicing/invoicing.payments.ts';
import { certificatesService } from './certificates.service.ts';

const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

/**
 * Acceptance (issue 11): on the demo town, with last month's invoices paid in full, in part or not at
 * all, each household's tax certificate for the year equals what was paid in the year for the garde
 * lines of its children under six, recomputed here from the rows with plain loops: per invoice, the
 * year's active allocations × garde of the eligible children (surcharges and credited lines off) ÷ net
 * amount, rounded down; each child gets its proportional part, to the cent below or above.
 */
for (const engine of testEngines()) {
  describe(`recette : l'attestation fiscale de chaque foyer de la démonstration, recalculée à partir des tables (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
      assert.equal(await seedDemo(t.ctx), true);
    });
    after(() => t.close());

    test('montants par enfant et total égaux au recalcul indépendant', async () => {
      const { db } = t.ctx;
      const year = Number(t.clock.today().slice(0, 4));
      const invoices = await db.selectFrom('invoices').selectAll().orderBy('seq').execute();
      assert.ok(invoices.length >= 2, `${invoices.length} factures dans la démonstration`);
      // Paid in full, in part (a third), or not at all, in turn; received today (the demo's year).
      await db.transaction().execute(async (tx) => {
        for (const [i, inv] of invoices.entries()) {
          const due = Number(inv.total_cents) - Number(inv.credited_cents) - Number(inv.paid_cents);
          const amount = i % 3 === 0 ? due : i % 3 === 1 ? Math.floor(due / 3) : 0;
          if (amount > 0) await recordPayment(tx, { householdId: inv.household_id, means: i % 2 ? 'cheque' : 'cash', amountCents: amount, receivedAt: t.clock.now(), allocation: { invoiceIds: [inv.id] } });
        }
      });

      const payments = (await db.selectFrom('payments').selectAll().execute()).filter((p) => p.cancelled_at === null && new Date(p.received_at).getUTCFullYear() === year);
      const allocations = (await db.selectFrom('payment_allocations').selectAll().execute()).filter((a) => a.cancelled_at === null && payments.some((p) => p.id === a.payment_id));
      const lines = await db.selectFrom('invoice_lines').selectAll().execute();
      const credited = new Set((await db.selectFrom('credit_note_lines').selectAll().execute()).map((c) => `${c.invoice_id}|${c.booking_id}`));
      const persons = new Map((await db.selectFrom('persons').selectAll().execute()).map((p) => [p.id, p]));

      const enfance = await agentAuth(t.ctx, ['enfance']);
      const certificates = certificatesService(t.ctx);
      let certified = 0;
      let partial = 0;
      for (const householdId of new Set(invoices.map((i) => i.household_id))) {
        // Independent recomputation.
        const exact = new Map<string, number>();
        let expectedTotal = 0;
        for (const inv of invoices.filter((i) => i.household_id === householdId)) {
          const paid = allocations.filter((a) => a.invoice_id === inv.id).reduce((s, a) => s + Number(a.amount_cents), 0);
          const net = Number(inv.total_cents) - Number(inv.credited_cents);
          if (paid === 0 || net <= 0) continue;
          if (paid < net) partial++;
          const garde = new Map<string, number>();
          for (const l of lines) {
            if (l.invoice_id !== inv.id || l.category !== 'garde' || credited.has(`${inv.id}|${l.booking_id}`)) continue;
            const birth = persons.get(l.child_person_id)?.birth_date;
            if (!birth || Number(birth.slice(0, 4)) < year - 6) continue;
            garde.set(l.child_person_id, (garde.get(l.child_person_id) ?? 0) + Number(l.amount_cents) - Number(l.surcharge_cents));
          }
          const eligible = [...garde.values()].reduce((s, v) => s + v, 0);
          if (eligible === 0) continue;
          const share = Math.floor((Math.min(paid, net) * eligible) / net);
          expectedTotal += share;
          for (const [child, cents] of garde) exact.set(child, (exact.get(child) ?? 0) + (share * cents) / eligible);
        }

        const issued = await certificates.agentIssue(enfance, householdId, { kind: 'tax', year });
        if (expectedTotal === 0) {
          assert.equal(issued.ok, false);
          if (!issued.ok) assert.equal(issued.code, 'no_eligible_child');
          continue;
        }
        assert.ok(issued.ok, `foyer ${householdId} : ${issued.ok ? '' : issued.code}`);
        certified++;
        const row = await db.selectFrom('certificates').selectAll().where('number', '=', issued.value.number).executeTakeFirstOrThrow();
        assert.equal(Number(row.amount_cents), expectedTotal, 'total of the certificate');
        const text = pdfText(issued.value.pdf).split('\n');
        assert.ok(text.some((l) => l.includes(`${euros(expectedTotal)}`)), `total ${euros(expectedTotal)} on the PDF`);
        for (const [childId, value] of exact) {
          const p = persons.get(childId)!;
          const at = text.findIndex((l) => l === `${p.first_name} ${p.last_name}`);
          assert.ok(at >= 0, `${p.first_name} on the certificate`);
          const shown = Math.round(Number(text[at + 2].replace(/[^\d,]/g, '').replace(',', '.')) * 100);
          assert.ok(shown === Math.floor(value) || shown === Math.ceil(value), `${p.first_name}: ${shown} for ${value}`);
        }
        // Children not certified (over six, or no garde paid) are not named, unless another child has the same name.
        const certifiedNames = new Set([...exact.keys()].map((id) => `${persons.get(id)!.first_name} ${persons.get(id)!.last_name}`));
        for (const [id, p] of persons) if (!exact.has(id) && p.kind === 'child' && !certifiedNames.has(`${p.first_name} ${p.last_name}`)) assert.ok(!text.includes(`${p.first_name} ${p.last_name}`), `${p.first_name} is not certified`);
      }
      assert.ok(certified >= 1, 'at least one household has a tax certificate');
      assert.ok(partial >= 1, 'at least one invoice was paid in part');
    });
  });
}
