import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { audienceCriteria } from '../../audience.ts';
import { messagingService } from './messaging.service.ts';
import { aMessagingTown } from '../../../test/support/messaging.ts';
import { aDocument, anInvoice } from '../../../test/support/notifications.ts';
import type { Audience } from './messaging.domain.ts';

/**
 * The situations contributed by invoicing (« facture impayée après échéance ») and documents
 * (« justificatif manquant ou expiré » of a chosen type), alone and combined, with exact households.
 * Today: Saturday 28 November 2026.
 */
for (const engine of testEngines()) {
  describe(`audiences : factures impayées et justificatifs (${engine})`, () => {
    let t: TestApp;
    let town: Auth;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;
    let messaging: ReturnType<typeof messagingService>;
    const names = new Map<string, string>();
    let assurance = '';
    let domicile = '';

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      town = await agentAuth(t.ctx, ['enfance']);
      w = await aMessagingTown(t.ctx, town);
      messaging = messagingService(t.ctx, audienceCriteria);
      for (const [k, id] of Object.entries({ A: w.a.householdId, B: w.b.householdId, C: w.cc.householdId, D: w.d.householdId, E: w.eId })) names.set(id, k);
      // Invoices: A owes after the due day; B's is due today (still in time); C paid part and a credit note covers the rest;
      // D owes 1 cent after the due day; E has none.
      await anInvoice(t.ctx, { householdId: w.a.householdId, dueOn: '2026-11-15', totalCents: 4250 });
      await anInvoice(t.ctx, { householdId: w.b.householdId, dueOn: '2026-11-28', totalCents: 3000 });
      await anInvoice(t.ctx, { householdId: w.cc.householdId, dueOn: '2026-11-10', totalCents: 5000, paidCents: 3000, creditedCents: 2000 });
      await anInvoice(t.ctx, { householdId: w.d.householdId, dueOn: '2026-11-10', totalCents: 5000, paidCents: 4999 });
      // Insurance certificates: A's is valid; B's ended yesterday; C's is waiting for an agent; D's was refused; E has none.
      assurance = (await aDocument(t.ctx, { householdId: w.a.householdId, typeCode: 'assurance', status: 'validated', validUntil: '2027-07-04' })).typeId;
      await aDocument(t.ctx, { householdId: w.b.householdId, typeCode: 'assurance', status: 'validated', validUntil: '2026-11-27' });
      await aDocument(t.ctx, { householdId: w.cc.householdId, typeCode: 'assurance', status: 'pending', validUntil: '2027-07-04' });
      await aDocument(t.ctx, { householdId: w.d.householdId, typeCode: 'assurance', status: 'refused', validUntil: null });
      // Proof of address: valid with no end for B only (a validated document without an end date is valid).
      domicile = (await aDocument(t.ctx, { householdId: w.b.householdId, typeCode: 'domicile', status: 'validated', validUntil: null })).typeId;
    });
    after(() => t.close());

    const households = async (audience: Audience) => {
      const r = await messaging.preview(town, audience, 1, 100);
      if (!r.ok) throw new Error(r.code);
      assert.equal(r.value.households, r.value.rows.length, 'the count agrees with the list');
      return r.value.rows.map((row) => names.get(row.id) ?? '?').sort().join('');
    };

    test('each situation gives exactly its households, alone and combined', async () => {
      const cases: [string, Audience, string][] = [
        ['facture impayée après échéance', { impaye: ['echue'] }, 'AD'],
        ['assurance manquante ou expirée', { justificatif: [assurance] }, 'BDE'],
        ['justificatif de domicile manquant', { justificatif: [domicile] }, 'ACDE'],
        ['assurance ou domicile (OU)', { justificatif: [assurance, domicile] }, 'ABCDE'],
        ['impayée ET assurance manquante', { impaye: ['echue'], justificatif: [assurance] }, 'D'],
        ['impayée ET cantine de Jules-Ferry', { impaye: ['echue'], service: [w.c.canteenId] }, 'A'],
      ];
      for (const [label, audience, expected] of cases) assert.equal(await households(audience), expected, label);
    });

    test('the choices are offered on the form; a document type that is not offered is refused before any SQL', async () => {
      const form = await messaging.criteriaForm(town);
      const keys = form.map((c) => c.criterion.key);
      assert.ok(keys.includes('impaye') && keys.includes('justificatif'));
      const types = form.find((c) => c.criterion.key === 'justificatif')!.choices.map((c) => c.label);
      assert.ok(types.includes('Attestation d\'assurance'));
      const r = await messaging.preview(town, { justificatif: ['00000000-0000-7000-8000-0000000000ff'] }, 1, 100);
      assert.deepEqual(r, { ok: false, code: 'unknown_choice' });
    });
  });
}
