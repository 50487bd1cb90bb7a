import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateNumber, eligibleForTaxCredit, initials, newVerificationCode, normaliseCode, normaliseNumber, parisDayBounds, parisYearBounds, periodRefusal, taxAmounts } from './certificates.domain.ts';
import type { CertificateKind as ColumnType } from '../../platform/db/schema-certificates.ts';
import type { CertificateKind } from './certificates.domain.ts';

// The certificates.kind column and the domain declare the certificate kinds each (platform code never imports a module):
// they must be one set, which tsc checks here (this line does not compile when they differ).
const sameSet: [ColumnType, CertificateKind] extends [CertificateKind, ColumnType] ? true : false = true;

test('the certificates.kind column takes exactly the certificate kinds of the domain', () => assert.equal(sameSet, true));

describe('attestation fiscale : enfants retenus (nés en Y-6 ou après)', () => {
  const cases: [string | null, number, boolean][] = [
    ['2019-12-31', 2025, true],
    ['2019-01-01', 2025, true], // born on 1 January of Y-6: counts
    ['2018-12-31', 2025, false], // 6 before 1 January of Y
    ['2020-06-15', 2026, true], // turns 6 during 2026: the whole year counts
    ['2025-03-01', 2025, true],
    [null, 2025, false],
    ['', 2025, false],
  ];
  for (const [birth, year, expected] of cases) test(`${birth ?? 'inconnue'} pour ${year} → ${expected}`, () => assert.equal(eligibleForTaxCredit(birth, year), expected));
});

describe('attestation fiscale : part de garde d\'un paiement (prorata)', () => {
  const inv = (netCents: number, paid: number, byChild: Record<string, number>) => ({ invoiceId: 'i', netCents, paidInYearCents: paid, eligibleByChild: new Map(Object.entries(byChild)) });

  test('facture payée en entier : toute la garde, rien des repas', () => {
    // 30 € of garde and 20 € of meals, paid 50 €.
    assert.deepEqual([...taxAmounts([inv(5000, 5000, { lea: 3000 })])], [['lea', 3000]]);
  });
  test('facture payée à moitié : la moitié de sa garde', () => {
    assert.deepEqual([...taxAmounts([inv(5000, 2500, { lea: 3000 })])], [['lea', 1500]]);
  });
  test('l\'arrondi se fait vers le bas, et les enfants se partagent la part au centime près', () => {
    // 10,00 € net, 3,33 € garde for each of 3 children (9,99 €), paid 3,33 €: share = floor(333 × 999 / 1000) = 332.
    const out = taxAmounts([inv(1000, 333, { a: 333, b: 333, c: 333 })]);
    assert.equal([...out.values()].reduce((s, v) => s + v, 0), 332);
    assert.deepEqual([...out.values()].sort(), [110, 111, 111]);
  });
  test('un paiement au-delà du net ne certifie pas plus que la garde facturée', () => {
    assert.deepEqual([...taxAmounts([inv(4000, 9000, { lea: 1000 })])], [['lea', 1000]]);
  });
  test('facture annulée par avoir, sans garde ou non payée : rien', () => {
    assert.equal(taxAmounts([inv(0, 1000, { lea: 1000 }), inv(1000, 1000, {}), inv(1000, 0, { lea: 500 })]).size, 0);
  });
  test('plusieurs factures s\'additionnent par enfant', () => {
    const out = taxAmounts([inv(1000, 1000, { lea: 600, noe: 200 }), inv(2000, 1000, { lea: 1000 })]);
    assert.deepEqual(Object.fromEntries(out), { lea: 1100, noe: 200 });
  });
});

describe('numéros, codes, initiales, périodes', () => {
  test('numéro et saisie tolérante', () => {
    assert.equal(certificateNumber(2026, 42), 'ATT-2026-000042');
    assert.equal(normaliseNumber(' att 2026 000042 '), 'ATT-2026-000042');
    assert.equal(normaliseNumber('ATT-2026-42'), 'ATT202642');
  });
  test('code : 12 caractères lisibles, saisie tolérante', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newVerificationCode()));
    assert.equal(codes.size, 200);
    for (const c of codes) assert.match(c, /^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    assert.equal(normaliseCode('abcd efgh jkmn'), 'ABCD-EFGH-JKMN');
    assert.equal(normaliseCode('abc'), 'ABC');
  });
  test('initiales', () => {
    assert.equal(initials('Élodie', 'de la Tour'), 'É. D.');
    assert.equal(initials('', 'Martin'), 'M.');
  });
  test('période : ordre, un an au plus, déjà commencée', () => {
    assert.equal(periodRefusal('2026-03', '2026-02', '2026-12'), 'order');
    assert.equal(periodRefusal('2025-01', '2026-01', '2026-12'), 'too_long');
    assert.equal(periodRefusal('2025-02', '2026-01', '2026-12'), null);
    assert.equal(periodRefusal('2027-01', '2027-01', '2026-12'), 'future');
  });
  test('bornes de l\'année et des jours à Paris (heure d\'hiver et d\'été)', () => {
    assert.deepEqual(parisYearBounds(2026), { from: '2025-12-31T23:00:00.000Z', to: '2026-12-31T23:00:00.000Z' });
    assert.deepEqual(parisDayBounds('2026-07-01', '2026-07-31'), { from: '2026-06-30T22:00:00.000Z', to: '2026-07-31T22:00:00.000Z' });
  });
});
