import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, decisionsFrom, formatRequestReference, needsReason, REQUEST_STATUSES, stepsTo, type RequestStatus } from './requests.domain.ts';

test('allowed moves: déposée → en instruction → acceptée | refusée | liste d\'attente; liste d\'attente → acceptée | refusée', () => {
  const allowed = new Set(['submitted>in_review', 'in_review>accepted', 'in_review>refused', 'in_review>waiting_list', 'waiting_list>accepted', 'waiting_list>refused']);
  // Every pair of statuses, so a move added or lost by mistake fails here.
  for (const from of REQUEST_STATUSES) {
    for (const to of REQUEST_STATUSES) {
      assert.equal(canTransition(from, to), allowed.has(`${from}>${to}`), `${from} → ${to}`);
    }
  }
});

test('a decision on a request still « déposée » goes through « en instruction »; final statuses allow nothing', () => {
  const cases: [RequestStatus, RequestStatus, RequestStatus[] | null][] = [
    ['submitted', 'in_review', ['in_review']],
    ['submitted', 'accepted', ['in_review', 'accepted']],
    ['submitted', 'refused', ['in_review', 'refused']],
    ['submitted', 'waiting_list', ['in_review', 'waiting_list']],
    ['in_review', 'accepted', ['accepted']],
    ['in_review', 'in_review', null],
    ['waiting_list', 'accepted', ['accepted']],
    ['waiting_list', 'in_review', null],
    ['waiting_list', 'waiting_list', null],
    ['accepted', 'refused', null],
    ['refused', 'accepted', null],
    ['accepted', 'submitted', null],
  ];
  for (const [from, to, expected] of cases) assert.deepEqual(stepsTo(from, to), expected, `${from} → ${to}`);
  assert.deepEqual(decisionsFrom('submitted'), ['in_review', 'accepted', 'waiting_list', 'refused']);
  assert.deepEqual(decisionsFrom('waiting_list'), ['accepted', 'refused']);
  assert.deepEqual(decisionsFrom('accepted'), []);
});

test('only a refusal needs a reason; references read D-year-counter', () => {
  assert.deepEqual(REQUEST_STATUSES.filter(needsReason), ['refused']);
  assert.equal(formatRequestReference(2026, 123), 'D-2026-000123');
  assert.equal(formatRequestReference(2027, 1234567), 'D-2027-1234567');
});
