import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { centsToInput, criterionLabel, lineProblems, parseAmountCents, priceDay, quotientInForce, siblingRanks, versionInForce, type ChargeKind, type TariffLine, type TariffVersion } from './tariffs.domain.ts';

const line = (l: Partial<TariffLine> & { amountCents: number }): TariffLine => ({ qfMin: null, qfMax: null, residency: 'any', rankMin: null, rankMax: null, category: 'repas', isDefault: false, ...l });

/** The canteen of a town: three QF brackets for residents, a 2nd-child price, non-residents, the default. */
const CANTEEN: TariffVersion = {
  id: 'v1',
  serviceId: 's1',
  unitId: null,
  appliesFrom: '2026-09-01',
  appliesUntil: '2027-07-03',
  presentWithoutBookingCents: 150,
  lateCancellationCents: 50,
  lockedAt: null,
  lines: [
    line({ residency: 'non_resident', amountCents: 600 }),
    line({ qfMax: 599, residency: 'resident', amountCents: 100 }),
    line({ qfMin: 600, qfMax: 899, residency: 'resident', rankMin: 2, amountCents: 280 }),
    line({ qfMin: 600, qfMax: 899, residency: 'resident', amountCents: 340 }),
    line({ qfMin: 900, residency: 'resident', amountCents: 450 }),
    line({ isDefault: true, amountCents: 500 }),
  ],
};

const q = (value_eur: number) => ({ value_eur, reference_month: '2026-09', source: 'caf' });

describe('pricing: the first matching line gives the price', () => {
  for (const [name, quotient, resident, rank, cents, label] of [
    ['QF 0, lowest bound', 0, true, 1, 100, "QF jusqu'à 599, résident"],
    ['QF 599, upper bound of the first bracket', 599, true, 1, 100, "QF jusqu'à 599, résident"],
    ['QF 600, lower bound of the second', 600, true, 1, 340, 'tranche QF 600–899, résident'],
    ['QF 899, upper bound of the second', 899, true, 1, 340, 'tranche QF 600–899, résident'],
    ['QF 900, lower bound of the open bracket', 900, true, 1, 450, 'QF 900 et plus, résident'],
    ['QF 99 999', 99_999, true, 1, 450, 'QF 900 et plus, résident'],
    ['no QF known: the highest bracket', null, true, 1, 450, 'QF 900 et plus, résident'],
    ['second child in the 600–899 bracket', 750, true, 2, 280, 'tranche QF 600–899, résident, à partir du 2e enfant'],
    ['third child too (rank minimum)', 750, true, 3, 280, 'tranche QF 600–899, résident, à partir du 2e enfant'],
    ['second child without QF: no sibling price in the top bracket', null, true, 2, 450, 'QF 900 et plus, résident'],
    ['non-resident, whatever the QF', 300, false, 1, 600, 'non-résident'],
    ['non-resident without QF', null, false, 2, 600, 'non-résident'],
  ] as const) {
    test(`${name} → ${cents} cents`, () => {
      const priced = priceDay(CANTEEN, { quotient: quotient === null ? null : q(quotient), resident, siblingRank: rank }, 'booked');
      assert.equal(priced?.amountCents, cents);
      assert.equal(priced?.trace.criterionLabel, label);
      assert.equal(priced?.trace.quotient, quotient);
      assert.equal(priced?.trace.siblingRank, rank);
      assert.equal(priced?.trace.tariffVersionId, 'v1');
    });
  }

  test('the explicit default line when nothing else matches', () => {
    const version: TariffVersion = { ...CANTEEN, lines: [line({ qfMax: 599, amountCents: 100 }), line({ isDefault: true, amountCents: 500, category: 'garde' })] };
    const priced = priceDay(version, { quotient: q(1200), resident: true, siblingRank: 1 }, 'booked');
    assert.deepEqual([priced?.amountCents, priced?.category, priced?.trace.criterionLabel], [500, 'garde', 'tarif par défaut']);
  });

  test('no line at all: no price (validation forbids saving such a version)', () => {
    assert.equal(priceDay({ ...CANTEEN, lines: [line({ qfMax: 599, amountCents: 100 })] }, { quotient: null, resident: true, siblingRank: 1 }, 'booked'), null);
  });

  test('an exact sibling rank: only that rank', () => {
    const version: TariffVersion = { ...CANTEEN, lines: [line({ rankMin: 2, rankMax: 2, amountCents: 200 }), line({ isDefault: true, amountCents: 300 })] };
    const byRank = [1, 2, 3].map((siblingRank) => priceDay(version, { quotient: null, resident: true, siblingRank }, 'booked')?.amountCents);
    assert.deepEqual(byRank, [300, 200, 300]);
    assert.equal(criterionLabel(version.lines[0]), '2e enfant');
  });
});

describe('pricing: surcharges by kind of charge', () => {
  for (const [kind, amount, surcharge] of [
    ['booked', 340, 0],
    ['present_without_booking', 490, 150],
    ['late_cancellation', 390, 50],
  ] as [ChargeKind, number, number][]) {
    test(`${kind}: ${amount} cents of which ${surcharge} surcharge`, () => {
      const priced = priceDay(CANTEEN, { quotient: q(700), resident: true, siblingRank: 1 }, kind);
      assert.deepEqual([priced?.amountCents, priced?.baseCents, priced?.surchargeCents, priced?.kind], [amount, 340, surcharge, kind]);
    });
  }
});

describe('pricing: the version in force on a day', () => {
  const v = (id: string, unitId: string | null, appliesFrom: string, appliesUntil = '2027-07-03') => ({ id, unitId, appliesFrom, appliesUntil });
  const versions = [v('sept', null, '2026-09-01'), v('jan', null, '2027-01-04'), v('unit-nov', 'u2', '2026-11-02'), v('next-year', null, '2027-09-01', '2028-07-01')];
  for (const [name, unitId, day, expected] of [
    ['before any version', 'u1', '2026-08-31', null],
    ['first day of the first version', 'u1', '2026-09-01', 'sept'],
    ['the day before the January version', 'u1', '2027-01-03', 'sept'],
    ['first day of the January version', 'u1', '2027-01-04', 'jan'],
    ['last day of the school year', 'u1', '2027-07-03', 'jan'],
    ['summer, between two school years: none', 'u1', '2027-07-20', null],
    ['next school year', 'u1', '2027-09-02', 'next-year'],
    ['a unit with its own version wins over the service version', 'u2', '2027-02-01', 'unit-nov'],
    ['before its own version starts, the unit uses the service version', 'u2', '2026-10-01', 'sept'],
  ] as const) {
    test(`${name} → ${expected ?? 'no tariff'}`, () => assert.equal(versionInForce(versions, unitId, day)?.id ?? null, expected));
  }
});

describe('quotient in force on a day', () => {
  const row = (value_eur: number, reference_month: string, created_at: string, valid_until: string | null = null) => ({ value_eur, reference_month, source: 'caf', valid_until, created_at });
  const history = [row(700, '2026-09', '2026-09-10T10:00:00Z'), row(900, '2027-01', '2027-01-15T10:00:00Z'), row(650, '2026-09', '2027-02-01T10:00:00Z')];
  for (const [name, rows, day, expected] of [
    ['nothing known', [], '2026-10-01', null],
    ['before the first month', history, '2026-08-31', null],
    ['a September correction entered in February replaces September', history, '2026-10-15', 650],
    ['January value from its month on', history, '2027-01-01', 900],
    ['a later correction of an earlier month does not override a later month', history, '2027-03-01', 900],
    ['an expired value no longer applies', [row(500, '2026-09', '2026-09-01T00:00:00Z', '2026-12-31')], '2027-01-01', null],
    ['on its last valid day it still applies', [row(500, '2026-09', '2026-09-01T00:00:00Z', '2026-12-31')], '2026-12-31', 500],
  ] as const) {
    test(`${name} → ${expected ?? 'none'}`, () => assert.equal(quotientInForce(rows, day)?.value_eur ?? null, expected));
  }
});

describe('sibling ranks', () => {
  test('eldest first, then by id; no birth date after the others; one rank per child', () => {
    const ranks = siblingRanks([
      { childId: 'c', birthDate: '2019-04-02' },
      { childId: 'b', birthDate: '2016-01-20' },
      { childId: 'z', birthDate: null },
      { childId: 'a', birthDate: '2019-04-02' },
      { childId: 'b', birthDate: '2016-01-20' },
    ]);
    assert.deepEqual([...ranks.entries()], [['b', 1], ['a', 2], ['c', 3], ['z', 4]]);
  });
  test('an only child is first', () => assert.deepEqual([...siblingRanks([{ childId: 'x', birthDate: null }])], [['x', 1]]));
});

describe('amounts typed by agents, in cents without floating point', () => {
  for (const [text, cents] of [
    ['3,40', 340],
    ['3.4', 340],
    ['3', 300],
    ['0,05', 5],
    ['1 234,56', 123456],
    ['3,40 €', 340],
    ['0,1', 10],
    ['10000', 1_000_000],
    ['10000,01', null],
    ['-3,40', null],
    ['3,405', null],
    ['3,4,0', null],
    ['abc', null],
    ['', null],
    ['1e3', null],
  ] as const) {
    test(`« ${text} » → ${cents}`, () => assert.equal(parseAmountCents(text), cents));
  }
  test('back into a field', () => assert.deepEqual([centsToInput(340), centsToInput(5), centsToInput(120000)], ['3,40', '0,05', '1200,00']));
});

describe('a version\'s lines must end with the default alone', () => {
  for (const [name, lines, problems] of [
    ['fine', [line({ qfMax: 599, amountCents: 1 }), line({ isDefault: true, amountCents: 2 })], []],
    ['empty', [], ['no_line']],
    ['no default', [line({ qfMax: 599, amountCents: 1 })], ['default_not_last']],
    ['default first', [line({ isDefault: true, amountCents: 2 }), line({ qfMax: 599, amountCents: 1 })], ['default_not_last', 'default_not_last']],
    ['reversed bracket', [line({ qfMin: 900, qfMax: 600, amountCents: 1 }), line({ isDefault: true, amountCents: 2 })], ['qf_bounds_reversed']],
    ['reversed ranks', [line({ rankMin: 3, rankMax: 2, amountCents: 1 }), line({ isDefault: true, amountCents: 2 })], ['rank_bounds_reversed']],
    ['default with a criterion', [line({ isDefault: true, qfMin: 3, amountCents: 2 })], ['default_with_criteria']],
  ] as [string, TariffLine[], string[]][]) {
    test(name, () => assert.deepEqual(lineProblems(lines).map((p) => p.problem), problems));
  }
});
