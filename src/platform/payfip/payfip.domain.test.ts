import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centsOfMontant, createProblems, isPayableAmount, isValidRefdet, montantOf, normalizeObjet, refdetOf, transactionLocalTime, verdictOf, type CreatePaymentFields, type DetailAnswer, type Verdict } from './payfip.domain.ts';

test('refdet: 6 to 30 letters or digits, nothing else', () => {
  const cases: [string, boolean][] = [
    ['ABCDEF', true],
    ['F2025090001234', true],
    ['a'.repeat(30), true],
    ['ABCD', false], // PayFiP answers R3 « Le format du paramètre REFDET n'est pas conforme »
    ['ABCDE', false],
    ['a'.repeat(31), false],
    ['F-2025-0001', false],
    ['F2025 0001', false],
    ['Fé20250001', false],
    ['', false],
  ];
  for (const [value, expected] of cases) assert.equal(isValidRefdet(value), expected, value);
});

test('the refdet of a transaction is 30 characters taken from its UUIDv7, without the version and variant digits', () => {
  assert.equal(refdetOf('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'), '0193A1B2C3D4E5FA9B0C1D2E3F4A5B');
  assert.equal(refdetOf('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b').length, 30);
  assert.ok(isValidRefdet(refdetOf('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')));
  assert.notEqual(refdetOf('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'), refdetOf('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c'));
  assert.throws(() => refdetOf('pas-un-uuid'), RangeError);
});

test('objet: ASCII letters, digits and single spaces, at most 100 characters', () => {
  const cases: [string, string][] = [
    ['18/09/2020  Établissement attestation hors-sol n#1234', '18092020 Etablissement attestation hors sol n1234'],
    ['Facture de l\'accueil périscolaire – novembre', 'Facture de l accueil periscolaire novembre'],
    ['Cantine d’Élodie : 12,50 €', 'Cantine d Elodie 1250'],
    ['  \t\n ', ''],
    ['Œuvre ß æ', 'OEuvre ss ae'],
    ['x'.repeat(99) + ' yz', 'x'.repeat(99)],
    ['<script>alert(1)</script>', 'scriptalert1script'],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeObjet(input), expected, input);
  for (const [input] of cases) assert.match(normalizeObjet(input), /^[A-Za-z0-9 ]{0,100}$/);
});

test('amounts: integer cents, from 1 € to 99 999,99 €, written as digits', () => {
  const payable: [number, boolean][] = [[100, true], [99, false], [1000, true], [9_999_999, true], [10_000_000, false], [12.5, false], [-100, false], [Number.NaN, false]];
  for (const [cents, expected] of payable) assert.equal(isPayableAmount(cents), expected, String(cents));
  assert.equal(montantOf(1000), '1000');
  assert.equal(montantOf(340), '340');
  assert.throws(() => montantOf(3.4));
  assert.equal(centsOfMontant('1000'), 1000);
  for (const bad of ['', '10.00', '10,00', '-5', '1e3', ' 100']) assert.equal(centsOfMontant(bad), null, bad);
});

const good: CreatePaymentFields = { exer: '2026', mel: 'parent@example.org', amountCents: 1250, numcli: '090909', objet: 'Factures 2026 11', refdet: '0193A1B2C3D4E5FA9B0C1D2E3F4A5B', saisie: 'T', urlnotif: 'https://portail.example.fr/paiements/payfip/notification/x', urlredirect: 'https://portail.example.fr/paiements/payfip/retour/x' };

test('a creation request PayFiP would refuse is caught before it is sent, field by field', () => {
  assert.deepEqual(createProblems(good), []);
  const cases: [Partial<CreatePaymentFields>, string][] = [
    [{ exer: '26' }, 'exer'],
    [{ mel: 'parent' }, 'mel'],
    [{ mel: 'a@b' }, 'mel'],
    [{ amountCents: 50 }, 'montant'],
    [{ numcli: '12345' }, 'numcli'],
    [{ objet: 'Facture n°1' }, 'objet'],
    [{ refdet: 'ABCD' }, 'refdet'],
    [{ saisie: 'A' as 'T' }, 'saisie'],
    [{ urlnotif: 'javascript:alert(1)' }, 'urlnotif'],
    [{ urlredirect: `https://x.fr/${'a'.repeat(250)}` }, 'urlredirect'],
  ];
  for (const [change, problem] of cases) assert.deepEqual(createProblems({ ...good, ...change }), [problem], problem);
});

test('resultrans and faults: a closed set of outcomes, with P5, P1 and an early abandon as protocols.md §1.5 says', () => {
  const created = new Date('2026-11-28T10:00:00Z');
  const at = (minutes: number) => new Date(created.getTime() + minutes * 60_000);
  const result = (resultrans: string): DetailAnswer => ({ kind: 'result', resultrans });
  const fault = (code: string): DetailAnswer => ({ kind: 'fault', code });
  const cases: [DetailAnswer, number, Verdict][] = [
    [result('P'), 1, { outcome: 'paid_card', final: true }],
    [result('V'), 1, { outcome: 'paid_direct_debit', final: true }],
    [result('R'), 1, { outcome: 'refused', final: true }],
    [result('Z'), 1, { outcome: 'refused', final: true }],
    // The payer may still go back to the page and pay with the same idOp.
    [result('A'), 1, { outcome: 'abandoned', final: false }],
    [result('A'), 19.9, { outcome: 'abandoned', final: false }],
    [result('A'), 20, { outcome: 'abandoned', final: true }],
    [result('Q'), 1, { outcome: 'unknown', final: false }],
    [result(''), 60 * 24, { outcome: 'unknown', final: false }],
    [fault('P5'), 5, { outcome: 'unknown', final: false }],
    [fault('P5'), 20, { outcome: 'abandoned', final: true }],
    [fault('P1'), 1, { outcome: 'abandoned', final: true }],
    [fault('P1'), 60 * 30, { outcome: 'abandoned', final: true }],
    [fault('R3'), 1, { outcome: 'unknown', final: false }],
    [{ kind: 'unavailable' }, 1, { outcome: 'unknown', final: false }],
    [{ kind: 'unavailable' }, 60, { outcome: 'unknown', final: false }],
  ];
  for (const [answer, minutes, expected] of cases) assert.deepEqual(verdictOf(answer, created, at(minutes)), expected, `${JSON.stringify(answer)} after ${minutes} min`);
});

test('dattrans and heurtrans read as Paris local time, or not at all', () => {
  assert.equal(transactionLocalTime('12122019', '1311'), '2019-12-12T13:11');
  for (const [d, h] of [['', ''], ['1212201', '1311'], ['32122019', '1311'], ['12132019', '1311'], ['12122019', '2460'], ['12122019', '131']]) assert.equal(transactionLocalTime(d, h), null, `${d} ${h}`);
});
