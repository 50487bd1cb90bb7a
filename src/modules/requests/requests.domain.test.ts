import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BULK_DECISIONS, canTransition, decisionsFrom, dueDateProblem, formatRequestReference, needsDueDate, needsReason, reminderDue, REQUEST_STATUSES, stepsTo, type RequestStatus } from './requests.domain.ts';

test('allowed moves: brouillon → déposée → en instruction → complément demandé | acceptée | refusée | liste d\'attente; complément → en instruction | refusée', () => {
  const allowed = new Set([
    'draft>submitted',
    'submitted>in_review',
    'in_review>complement_requested',
    'in_review>accepted',
    'in_review>refused',
    'in_review>waiting_list',
    'complement_requested>in_review',
    'complement_requested>refused',
    'waiting_list>accepted',
    'waiting_list>refused',
  ]);
  // Every pair of statuses, so a move added or lost by mistake fails here.
  for (const from of REQUEST_STATUSES) {
    for (const to of REQUEST_STATUSES) {
      assert.equal(canTransition(from, to), allowed.has(`${from}>${to}`), `${from} → ${to}`);
    }
  }
});

test('a decision on a request still « déposée » or awaiting a complement goes through « en instruction »; final statuses and drafts allow nothing', () => {
  const cases: [RequestStatus, RequestStatus, RequestStatus[] | null][] = [
    ['submitted', 'in_review', ['in_review']],
    ['submitted', 'accepted', ['in_review', 'accepted']],
    ['submitted', 'refused', ['in_review', 'refused']],
    ['submitted', 'waiting_list', ['in_review', 'waiting_list']],
    ['submitted', 'complement_requested', ['in_review', 'complement_requested']],
    ['in_review', 'accepted', ['accepted']],
    ['in_review', 'complement_requested', ['complement_requested']],
    ['in_review', 'in_review', null],
    ['complement_requested', 'in_review', ['in_review']],
    ['complement_requested', 'accepted', ['in_review', 'accepted']],
    ['complement_requested', 'refused', ['refused']],
    ['complement_requested', 'complement_requested', null],
    ['waiting_list', 'accepted', ['accepted']],
    ['waiting_list', 'in_review', null],
    ['waiting_list', 'complement_requested', null],
    ['waiting_list', 'waiting_list', null],
    ['accepted', 'refused', null],
    ['refused', 'accepted', null],
    ['accepted', 'submitted', null],
    ['draft', 'submitted', ['submitted']],
    ['draft', 'in_review', null],
    ['draft', 'accepted', null],
    ['draft', 'refused', null],
  ];
  for (const [from, to, expected] of cases) assert.deepEqual(stepsTo(from, to), expected, `${from} → ${to}`);
  assert.deepEqual(decisionsFrom('submitted'), ['in_review', 'complement_requested', 'accepted', 'waiting_list', 'refused']);
  assert.deepEqual(decisionsFrom('complement_requested'), ['in_review', 'accepted', 'waiting_list', 'refused']);
  assert.deepEqual(decisionsFrom('waiting_list'), ['accepted', 'refused']);
  assert.deepEqual(decisionsFrom('accepted'), []);
  assert.deepEqual(decisionsFrom('draft'), [], 'an agent never decides a draft');
  assert.ok(!BULK_DECISIONS.includes('complement_requested'), 'a complement is asked one request at a time');
});

test('a refusal and a complement need a reason; a complement needs a due date; references read D-year-counter', () => {
  assert.deepEqual(REQUEST_STATUSES.filter(needsReason), ['complement_requested', 'refused']);
  assert.deepEqual(REQUEST_STATUSES.filter(needsDueDate), ['complement_requested']);
  assert.equal(formatRequestReference(2026, 123), 'D-2026-000123');
  assert.equal(formatRequestReference(2027, 1234567), 'D-2027-1234567');
});

test('due date of a complement: after today, within 60 days, a real date; the reminder from two days before to the day itself', () => {
  const today = '2026-11-28';
  const table: [string, ReturnType<typeof dueDateProblem>][] = [
    ['2026-11-29', null],
    ['2027-01-27', null],
    ['2027-01-28', 'due_too_far'],
    ['2026-11-28', 'due_past'],
    ['2026-11-01', 'due_past'],
    ['2026-02-30', 'due_invalid'],
    ['28/12/2026', 'due_invalid'],
    ['', 'due_invalid'],
  ];
  for (const [due, expected] of table) assert.equal(dueDateProblem(due, today), expected, due);
  assert.equal(reminderDue('2026-12-01', today), false, 'three days before: not yet');
  assert.equal(reminderDue('2026-11-30', today), true);
  assert.equal(reminderDue('2026-11-28', today), true, 'on the day itself');
  assert.equal(reminderDue('2026-11-27', today), false, 'past: too late to remind');
});
