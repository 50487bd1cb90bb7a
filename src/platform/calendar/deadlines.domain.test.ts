import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadlineDay, deadlineInstant, describeRule, isBeforeDeadline, type DeadlineRule } from './deadlines.domain.ts';
import { easterSunday, isWorkingDay, publicHolidays } from './calendar.domain.ts';

const J2 = { kind: 'days_before', days: 2, working: true, time: '12:00' } as const satisfies DeadlineRule;
const EVE = { kind: 'days_before', days: 1, working: false, time: '18:00' } as const satisfies DeadlineRule;
const THURSDAY = { kind: 'weekday_previous_week', weekday: 4, time: '12:00' } as const satisfies DeadlineRule;

test('French public holidays, including the moving ones', () => {
  assert.equal(easterSunday(2026), '2026-04-05');
  assert.equal(easterSunday(2027), '2027-03-28');
  const h2026 = publicHolidays(2026);
  assert.equal(h2026.size, 11);
  assert.equal(h2026.get('2026-04-06'), 'Lundi de Pâques');
  assert.equal(h2026.get('2026-05-14'), 'Ascension');
  assert.equal(h2026.get('2026-05-25'), 'Lundi de Pentecôte');
  assert.equal(isWorkingDay('2026-11-11'), false);
  assert.equal(isWorkingDay('2026-11-12'), true);
  assert.equal(isWorkingDay('2026-11-14'), false); // Saturday
});

test('deadline days for each rule', () => {
  const cases: [DeadlineRule, string, string, string][] = [
    // rule, day booked, deadline day, why
    [J2, '2026-12-03', '2026-12-01', 'Thursday → Tuesday'],
    [J2, '2026-12-07', '2026-12-03', 'Monday → previous Thursday (weekend skipped)'],
    [J2, '2026-11-13', '2026-11-10', 'Friday 13 → Tuesday 10 (11 November is a holiday)'],
    [J2, '2026-04-08', '2026-04-03', 'Wednesday after Easter Monday → Friday before'],
    [J2, '2027-01-04', '2026-12-30', 'Monday 4 January → Wednesday 30 December (1 January skipped)'],
    [EVE, '2026-12-07', '2026-12-06', 'the eve, even a Sunday'],
    [THURSDAY, '2026-12-09', '2026-12-03', 'Wednesday → Thursday of the previous week'],
    [THURSDAY, '2026-12-07', '2026-12-03', 'Monday → Thursday of the previous week'],
    [THURSDAY, '2026-12-13', '2026-12-03', 'Sunday → same week, so the same Thursday'],
  ];
  for (const [rule, day, expected, why] of cases) assert.equal(deadlineDay(rule, day), expected, why);
});

test('deadline instants stay at Paris wall-clock time across summer time changes', () => {
  const cases: [DeadlineRule, string, string, string][] = [
    [J2, '2026-12-03', '2026-12-01T11:00:00.000Z', 'winter: 12:00 Paris = 11:00 UTC'],
    [J2, '2026-06-10', '2026-06-08T10:00:00.000Z', 'summer: 12:00 Paris = 10:00 UTC'],
    // Summer time starts Sunday 29 March 2026 at 02:00: Wednesday 1 April's deadline is Monday 30 March (summer).
    [J2, '2026-04-01', '2026-03-30T10:00:00.000Z', 'just after the change to summer time'],
    // Thursday 26 March (winter) for Wednesday 1 April.
    [THURSDAY, '2026-04-01', '2026-03-26T11:00:00.000Z', 'deadline in winter time, day in summer time'],
    // Summer time ends Sunday 25 October 2026 at 03:00: the eve of Monday 26 October is Sunday 25, 18:00 winter time.
    [EVE, '2026-10-26', '2026-10-25T17:00:00.000Z', 'the day of the change back to winter time'],
    [EVE, '2026-03-30', '2026-03-29T16:00:00.000Z', 'the day of the change to summer time'],
  ];
  for (const [rule, day, expected, why] of cases) assert.equal(deadlineInstant(rule, day).toISOString(), expected, why);
});

test('one second before the deadline is open, the deadline itself and one second after are closed', () => {
  for (const [rule, day] of [[J2, '2026-12-03'], [EVE, '2026-10-26'], [THURSDAY, '2026-04-01']] as [DeadlineRule, string][]) {
    const deadline = deadlineInstant(rule, day).getTime();
    assert.equal(isBeforeDeadline(rule, day, new Date(deadline - 1000)), true);
    assert.equal(isBeforeDeadline(rule, day, new Date(deadline)), false);
    assert.equal(isBeforeDeadline(rule, day, new Date(deadline + 1000)), false);
  }
});

test('rules are described in plain French', () => {
  assert.equal(describeRule(J2), '2 jours ouvrés avant, à 12 h');
  assert.equal(describeRule(EVE), 'la veille à 18 h');
  assert.equal(describeRule(THURSDAY), 'le jeudi de la semaine précédente, 12 h');
});
