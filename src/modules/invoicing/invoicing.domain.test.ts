import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attendance, BookingStatus } from '../../platform/vocabulary.ts';
import { billingDecision, creditTotal, documentNumber, invoiceStatus, lineText, monthBounds, monthIsOver, previousMonth, remainingCents, runRefusal, type BillingDecision } from './invoicing.domain.ts';

describe('règles de facturation : état de réservation × pointage', () => {
  const billed = (kind: 'booked' | 'present_without_booking' | 'late_cancellation', attendanceMissing = false): BillingDecision => ({ billed: true, kind, attendanceMissing });
  const notBilled = (reason: 'closed' | 'cancelled' | 'not_booked' | 'absent_justified'): BillingDecision => ({ billed: false, reason });
  const cases: { name: string; status: BookingStatus; attendance: Attendance | null; declared?: boolean; closed?: boolean; expected: BillingDecision }[] = [
    { name: 'réservé et présent → facturé', status: 'booked', attendance: 'present', expected: billed('booked') },
    { name: 'réservé, absent non justifié → facturé', status: 'booked', attendance: 'absent_unjustified', expected: billed('booked') },
    { name: 'réservé, absent justifié → non facturé', status: 'booked', attendance: 'absent_justified', expected: notBilled('absent_justified') },
    { name: 'présent sans réservation → facturé avec majoration', status: 'booked', attendance: 'present_unbooked', expected: billed('present_without_booking') },
    { name: 'absence signalée après le délai → annulation tardive', status: 'booked', attendance: 'absent_unjustified', declared: true, expected: billed('late_cancellation') },
    { name: 'absence signalée puis justifiée → non facturé', status: 'booked', attendance: 'absent_justified', declared: true, expected: notBilled('absent_justified') },
    { name: 'réservé, pointage jamais fait → facturé, signalé au contrôle', status: 'booked', attendance: null, expected: billed('booked', true) },
    { name: 'annulé dans les délais → non facturé', status: 'cancelled', attendance: null, expected: notBilled('cancelled') },
    { name: 'jour fermé (réservation fermée) → non facturé', status: 'closed', attendance: null, expected: notBilled('closed') },
    { name: 'jour fermé par le calendrier, même présent → non facturé', status: 'booked', attendance: 'present', closed: true, expected: notBilled('closed') },
    { name: 'jour fermé, présent sans réservation → non facturé', status: 'booked', attendance: 'present_unbooked', closed: true, expected: notBilled('closed') },
    { name: 'liste d\'attente → non facturé', status: 'waiting', attendance: null, expected: notBilled('not_booked') },
    { name: 'demande avant tirage → non facturé', status: 'requested', attendance: null, expected: notBilled('not_booked') },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(billingDecision({ status: c.status, attendance: c.attendance, absenceDeclared: c.declared ?? false, closed: c.closed ?? false }), c.expected));
  }
});

describe('statut d\'une facture', () => {
  const cases: [number, number, number, string, number][] = [
    [1000, 0, 0, 'to_pay', 1000],
    [1000, 400, 0, 'partly_paid', 600],
    [1000, 1000, 0, 'paid', 0],
    [1000, 0, 1000, 'cancelled', 0],
    [1000, 0, 300, 'to_pay', 700],
    [1000, 700, 300, 'paid', 0],
    [1000, 200, 300, 'partly_paid', 500],
    [0, 0, 0, 'paid', 0],
  ];
  for (const [total, paid, credited, status, remaining] of cases) {
    test(`${total} facturés, ${paid} payés, ${credited} en avoir → ${status}`, () => {
      assert.equal(invoiceStatus(total, paid, credited), status);
      assert.equal(remainingCents(total, paid, credited), remaining);
    });
  }
});

describe('numéros, mois et cycle d\'une facturation', () => {
  test('numéros sur six chiffres par année', () => {
    assert.equal(documentNumber('F', 2026, 123), 'F-2026-000123');
    assert.equal(documentNumber('A', 2027, 1), 'A-2027-000001');
  });
  test('bornes de mois, février bissextile et décembre', () => {
    assert.deepEqual(monthBounds('2028-02'), { from: '2028-02-01', to: '2028-02-29' });
    assert.deepEqual(monthBounds('2026-12'), { from: '2026-12-01', to: '2026-12-31' });
    assert.equal(previousMonth('2027-01'), '2026-12');
    assert.equal(monthIsOver('2026-11', '2026-11-30'), false);
    assert.equal(monthIsOver('2026-11', '2026-12-01'), true);
  });
  const run = (status: 'draft' | 'controlled' | 'issued', draftVersion: number, controlledVersion: number | null) => ({ status, draftVersion, controlledVersion, month: '2026-11' });
  const cases: { name: string; action: 'draft' | 'control' | 'issue'; r: ReturnType<typeof run>; today?: string; blocking?: number; expected: string | null }[] = [
    { name: 'brouillon d\'un mois terminé', action: 'draft', r: run('draft', 0, null), expected: null },
    { name: 'brouillon d\'un mois en cours', action: 'draft', r: run('draft', 0, null), today: '2026-11-30', expected: 'month_not_over' },
    { name: 'brouillon refait après contrôle', action: 'draft', r: run('controlled', 2, 2), expected: null },
    { name: 'rien après émission', action: 'draft', r: run('issued', 2, 2), expected: 'already_issued' },
    { name: 'contrôle sans brouillon', action: 'control', r: run('draft', 0, null), expected: 'not_drafted' },
    { name: 'contrôle avec un jour sans tarif', action: 'control', r: run('draft', 1, null), blocking: 1, expected: 'blocking_anomalies' },
    { name: 'émission sans contrôle', action: 'issue', r: run('draft', 1, null), expected: 'not_controlled' },
    { name: 'émission d\'un contrôle périmé', action: 'issue', r: run('controlled', 3, 2), expected: 'stale_control' },
    { name: 'émission du brouillon contrôlé', action: 'issue', r: run('controlled', 3, 3), expected: null },
  ];
  for (const c of cases) test(c.name, () => assert.equal(runRefusal(c.action, c.r, c.today ?? '2026-12-02', c.blocking ?? 0), c.expected));
});

describe('une ligne lisible par un parent', () => {
  test('prix, jour, tranche et rang', () => {
    assert.equal(
      lineText({ childName: 'Léa', serviceName: 'Cantine', unitLabel: 'Cantine', day: '2026-03-03', kind: 'booked', amountCents: 340, criterionLabel: 'tranche QF 600–899, 2e enfant', surchargeCents: 0 }),
      'Léa — Cantine — mardi 3 mars — 3,40\u00a0€ (tranche QF 600–899, 2e enfant)',
    );
  });
  test('présent sans réservation, premier enfant, unité précisée', () => {
    assert.equal(
      lineText({ childName: 'Noé', serviceName: 'Centre de loisirs', unitLabel: 'Journée avec repas', day: '2026-12-01', kind: 'present_without_booking', amountCents: 1250, criterionLabel: 'tarif par défaut', surchargeCents: 100 }),
      'Noé — Centre de loisirs, journée avec repas — mardi 1er décembre — 12,50\u00a0€ (présent sans réservation (majoration 1,00\u00a0€), tarif par défaut)',
    );
  });
});

describe('avoir', () => {
  test('somme des lignes choisies, jamais deux fois la même', () => {
    assert.deepEqual(creditTotal([{ amountCents: 340, credited: false }, { amountCents: 120, credited: false }]), { ok: true, cents: 460 });
    assert.deepEqual(creditTotal([]), { ok: false, code: 'nothing_chosen' });
    assert.deepEqual(creditTotal([{ amountCents: 340, credited: true }]), { ok: false, code: 'already_credited' });
  });
});
