import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUsableForRequest, nextMonth, parseQuotient } from './request-kinds.domain.ts';

test('the quotient the agent types: whole euros, a month not after next month, CAF or MSA', () => {
  const today = '2026-11-28';
  assert.deepEqual(parseQuotient({ quotient: '650', mois: '2026-11', organisme: 'caf' }, today), { ok: true, value: 650, month: '2026-11', source: 'caf' });
  assert.deepEqual(parseQuotient({ quotient: ' 1 250 € ', mois: '2026-12', organisme: 'msa' }, today), { ok: true, value: 1250, month: '2026-12', source: 'msa' });
  assert.deepEqual(parseQuotient({ quotient: '', mois: '2027-01', organisme: 'x' }, today), { ok: false, errors: { quotient: 'qf_value_missing', mois: 'qf_month_future', organisme: 'qf_source_missing' } });
  assert.deepEqual(parseQuotient({ quotient: '650,5', mois: '2026-13', organisme: 'caf' }, today), { ok: false, errors: { quotient: 'qf_value_invalid', mois: 'qf_month_invalid' } });
  assert.deepEqual(parseQuotient({ quotient: '123456', mois: '2026-01', organisme: 'caf' }, today), { ok: false, errors: { quotient: 'qf_value_invalid' } });
  assert.equal(nextMonth('2026-12-31'), '2027-01');
});

test('a request uses a document waiting for a check, or validated and still valid; never a refused or expired one', () => {
  const today = '2026-11-28';
  assert.equal(isUsableForRequest({ status: 'pending', valid_until: '2020-01-01' }, today), true);
  assert.equal(isUsableForRequest({ status: 'validated', valid_until: null }, today), true);
  assert.equal(isUsableForRequest({ status: 'validated', valid_until: '2026-11-28' }, today), true);
  assert.equal(isUsableForRequest({ status: 'validated', valid_until: '2026-11-27' }, today), false);
  assert.equal(isUsableForRequest({ status: 'refused', valid_until: null }, today), false);
});
