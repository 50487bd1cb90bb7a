import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { instantToParis, isDay, normaliseTime, parisToInstant, publicHolidaysBetween, ruleFromFields, ruleToFields, untilText, yearSpanError } from './catalogue.domain.ts';
import { describeRule } from '../../platform/calendar/deadlines.domain.ts';

describe('catalogue: Paris wall-clock times and UTC instants', () => {
  for (const [day, time, utc] of [
    ['2027-06-01', '08:30', '2027-06-01T06:30:00.000Z'], // summer time, UTC+2
    ['2027-12-01', '08:30', '2027-12-01T07:30:00.000Z'], // winter time, UTC+1
    ['2027-03-28', '03:00', '2027-03-28T01:00:00.000Z'], // first hour of summer time
    ['2027-03-28', '02:30', '2027-03-28T01:30:00.000Z'], // does not exist: pushed forward, as a clock would
    ['2027-10-31', '02:30', '2027-10-31T00:30:00.000Z'], // happens twice: the first one
  ] as const) {
    test(`${day} ${time} in Paris is ${utc}`, () => {
      assert.equal(parisToInstant(day, time), utc);
    });
  }

  test('a stored instant reads back as the Paris date and time an agent typed', () => {
    assert.deepEqual(instantToParis('2027-06-01T06:30:00.000Z'), { day: '2027-06-01', time: '08:30' });
    assert.deepEqual(instantToParis('2027-12-31T23:30:00.000Z'), { day: '2028-01-01', time: '00:30' });
  });
});

describe('catalogue: form values', () => {
  for (const [input, expected] of [
    ['12:00', '12:00'],
    ['8:30', '08:30'],
    ['8h30', '08:30'],
    ['18 h', '18:00'],
    ['23:59', '23:59'],
    ['25:00', undefined],
    ['12:60', undefined],
    ['midi', undefined],
    ['', undefined],
  ] as const) {
    test(`time « ${input} » → ${expected ?? 'refused'}`, () => assert.equal(normaliseTime(input), expected));
  }

  test('only real calendar days are days', () => {
    assert.equal(isDay('2028-02-29'), true);
    assert.equal(isDay('2027-02-29'), false);
    assert.equal(isDay('2027-13-01'), false);
    assert.equal(isDay('1/12/2027'), false);
  });
});

describe('catalogue: deadline rules from their form', () => {
  const cases: { name: string; fields: Record<string, string>; rule?: unknown; errors?: string[]; words?: string }[] = [
    { name: 'J-2 ouvrés à 12:00', fields: { booking_type: 'days_before', booking_days: '2', booking_working: 'oui', booking_time: '12:00' }, rule: { kind: 'days_before', days: 2, working: true, time: '12:00' }, words: '2 jours ouvrés avant, à 12 h' },
    { name: 'la veille à 18:00', fields: { booking_type: 'days_before', booking_days: '1', booking_working: 'non', booking_time: '18h' }, rule: { kind: 'days_before', days: 1, working: false, time: '18:00' }, words: 'la veille à 18 h' },
    { name: 'jeudi 12:00 de la semaine précédente', fields: { booking_type: 'weekday_previous_week', booking_weekday: '4', booking_time: '12:00', booking_days: 'ignored' }, rule: { kind: 'weekday_previous_week', weekday: 4, time: '12:00' }, words: 'le jeudi de la semaine précédente, 12 h' },
    { name: 'bad time', fields: { booking_type: 'days_before', booking_days: '2', booking_working: 'oui', booking_time: '25:00' }, errors: ['booking_time'] },
    { name: 'no type', fields: { booking_time: '12:00' }, errors: ['booking_type'] },
    { name: 'days and working missing', fields: { booking_type: 'days_before', booking_time: '12:00' }, errors: ['booking_days', 'booking_working'] },
    { name: 'weekday missing', fields: { booking_type: 'weekday_previous_week', booking_time: '' }, errors: ['booking_time', 'booking_weekday'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = ruleFromFields(c.fields, 'booking');
      if (c.rule) {
        assert.deepEqual(r.rule, c.rule);
        assert.deepEqual(r.errors, {});
        assert.equal(describeRule(r.rule), c.words);
        assert.deepEqual(ruleFromFields(ruleToFields(r.rule, 'cancellation'), 'cancellation').rule, c.rule);
      } else {
        assert.equal(r.rule, undefined);
        assert.deepEqual(Object.keys(r.errors).sort(), [...c.errors!].sort());
      }
    });
  }
});

test('the public holidays of a school year span its two calendar years', () => {
  const days = publicHolidaysBetween('2026-09-01', '2027-07-03');
  assert.deepEqual(days.map((d) => d.day), ['2026-11-01', '2026-11-11', '2026-12-25', '2027-01-01', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-08', '2027-05-17']);
  assert.equal(days[4].name, 'Lundi de Pâques');
});

test('a school year span: 13 months at most; a day that is itself invalid is left to its own message', () => {
  assert.equal(yearSpanError('2026-09-01', '2027-07-06'), null);
  assert.match(yearSpanError('2026-09-01', '2099-12-31') ?? '', /au plus 13 mois/);
  for (const [start, end] of [['', ''], ['x', '2027-07-06'], ['2027-02-30', '2027-07-06'], ['0000-00-00', '9999-12-31'], ['2026-09-01', '9999-12-31']]) {
    assert.equal(yearSpanError(start, end), null, `${start} → ${end}`);
  }
});

test('a deadline rule after « Jusqu\' » reads as French: « jusqu\'au jeudi », never « jusqu\'à le »', () => {
  const cases: [Parameters<typeof describeRule>[0], string][] = [
    [{ kind: 'weekday_previous_week', weekday: 4, time: '12:00' }, 'Jusqu\'au jeudi de la semaine précédente, 12 h'],
    [{ kind: 'days_before', days: 1, working: false, time: '18:00' }, 'Jusqu\'à la veille à 18 h'],
    [{ kind: 'days_before', days: 0, working: false, time: '8:30' }, 'Jusqu\'au jour même à 8 h 30'],
    [{ kind: 'days_before', days: 2, working: true, time: '12:00' }, 'Jusqu\'à 2 jours ouvrés avant, à 12 h'],
  ];
  for (const [rule, words] of cases) assert.equal(untilText(describeRule(rule)), words);
});
