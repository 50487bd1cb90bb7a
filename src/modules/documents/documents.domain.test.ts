import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteAfter, documentDateProblem, shownStatus, usableOn, validUntil, type Validity } from './documents.domain.ts';

test('validity: months from the document\'s date, the school year, or none', () => {
  const table: [Validity, number | null, string, string | null][] = [
    ['months', 3, '2026-03-15', '2026-06-14'],
    ['months', 3, '2026-11-30', '2027-02-27'],
    ['months', 1, '2026-01-31', '2026-02-27'],
    ['months', 12, '2026-02-28', '2027-02-27'],
    ['school_year', null, '2026-09-01', '2027-08-31'],
    ['school_year', null, '2026-08-31', '2026-08-31'],
    ['school_year', null, '2027-05-10', '2027-08-31'],
    ['none', null, '2020-01-01', null],
  ];
  for (const [validity, months, date, expected] of table) assert.equal(validUntil({ validity, validity_months: months }, date), expected, `${validity} ${months} ${date}`);
});

test('status shown: expired once the last valid day is past, a refusal stays a refusal', () => {
  const today = '2026-11-28';
  assert.equal(shownStatus({ status: 'validated', valid_until: '2026-11-28' }, today), 'validated');
  assert.equal(shownStatus({ status: 'validated', valid_until: '2026-11-27' }, today), 'expired');
  assert.equal(shownStatus({ status: 'pending', valid_until: '2026-11-27' }, today), 'expired');
  assert.equal(shownStatus({ status: 'refused', valid_until: '2026-11-27' }, today), 'refused');
  assert.equal(shownStatus({ status: 'pending', valid_until: null }, today), 'pending');
  assert.equal(usableOn({ status: 'validated', valid_until: null }, today), true);
  assert.equal(usableOn({ status: 'validated', valid_until: '2026-11-27' }, today), false);
  assert.equal(usableOn({ status: 'pending', valid_until: '2027-11-27' }, today), false);
});

test('retention runs from the end of validity; no end, no purge', () => {
  assert.equal(deleteAfter({ retention_months: 12 }, '2026-06-14'), '2027-06-15T00:00:00.000Z');
  assert.equal(deleteAfter({ retention_months: 0 }, '2027-08-31'), '2027-09-01T00:00:00.000Z');
  assert.equal(deleteAfter({ retention_months: 12 }, null), null);
});

test('a document\'s date is neither in the future nor more than ten years old', () => {
  assert.equal(documentDateProblem('2026-11-29', '2026-11-28'), 'future');
  assert.equal(documentDateProblem('2026-11-28', '2026-11-28'), null);
  assert.equal(documentDateProblem('2016-11-28', '2026-11-28'), null);
  assert.equal(documentDateProblem('2016-11-27', '2026-11-28'), 'too_old');
});
