import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecision } from './documents.decision.domain.ts';

const assurance = { typeCode: 'assurance', documentDate: '2026-09-02', hasEnd: true };
const quotient = { typeCode: 'quotient', documentDate: '2026-11-03', hasEnd: true };
const jugement = { typeCode: 'jugement', documentDate: '2025-01-10', hasEnd: false };

test('a decision is read from the form, with the reason or the dates it covers', () => {
  const table: [string, Parameters<typeof parseDecision>[0], typeof assurance, unknown][] = [
    ['validated with its end', { action: 'validated', valable: '2027-08-31' }, assurance, { ok: true, decision: { action: 'validated', validUntil: '2027-08-31', qf: null } }],
    ['no end where one is needed', { action: 'validated', valable: '' }, assurance, { ok: false, errors: { valable: 'Indiquez jusqu\'à quand le document est valable' } }],
    ['an impossible day', { action: 'validated', valable: '2027-02-30' }, assurance, { ok: false, errors: { valable: 'Indiquez une date valide (jour, mois, année)' } }],
    ['an end before the document', { action: 'validated', valable: '2026-09-01' }, assurance, { ok: false, errors: { valable: 'La date de fin ne peut pas précéder la date du document' } }],
    ['a jugement without end', { action: 'validated', valable: '' }, jugement, { ok: true, decision: { action: 'validated', validUntil: null, qf: null } }],
    ['a CAF attestation with its quotient', { action: 'validated', valable: '2027-11-02', qf: '1 250', mois_qf: '2026-11' }, quotient, { ok: true, decision: { action: 'validated', validUntil: '2027-11-02', qf: { value: 1250, month: '2026-11' } } }],
    ['a CAF attestation without its quotient', { action: 'validated', valable: '2027-11-02', qf: '12,5', mois_qf: '11/2026' }, quotient, { ok: false, errors: { qf: 'Indiquez le quotient familial en euros, sans centimes (par exemple 850)', mois_qf: 'Indiquez le mois du quotient (par exemple 2026-11)' } }],
    ['refused with a reason', { action: 'refused', motif: '  Illisible  ' }, assurance, { ok: true, decision: { action: 'refused', reason: 'Illisible' } }],
    ['refused without reason', { action: 'refused', motif: ' ' }, assurance, { ok: false, errors: { motif: 'Indiquez le motif du refus : la famille le lira' } }],
    ['no action', {}, assurance, { ok: false, errors: { action: 'Choisissez de valider ou de refuser le document' } }],
  ];
  for (const [what, form, facts, expected] of table) assert.deepEqual(parseDecision(form, facts), expected, what);
});
