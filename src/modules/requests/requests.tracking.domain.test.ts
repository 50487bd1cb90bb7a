import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { daysWaiting, nextStepFor, situationSummary, waitingCutoff, waitingText, waitsForFamily } from './requests.tracking.domain.ts';
import { parseSituation } from './requests.tracking.forms.ts';

describe('what the family is expected to do next', () => {
  const cases: [status: string, lastFromFamily: number | null, expected: RegExp, waiting: boolean][] = [
    ['submitted', null, /^Rien à faire : le service va examiner/, false],
    ['submitted', 1, /^Rien à faire : le service va examiner/, false],
    ['submitted', 0, /^Le service vous a écrit/, true],
    ['in_review', null, /^Rien à faire : le service examine/, false],
    ['in_review', 0, /^Le service vous a écrit/, true],
    ['waiting_list', 0, /place se libère/, false],
    ['accepted', 0, /^Demande acceptée/, false],
    ['refused', null, /motif du refus/, false],
    ['complement_requested', 1, /^À faire : le service attend/, true],
    ['draft', null, /^À terminer/, true],
    ['inconnu', null, /page de la demande/, false],
  ];
  for (const [status, last, expected, waiting] of cases) {
    test(`${status}, last message from ${last === null ? 'nobody' : last ? 'the family' : 'the service'}`, () => {
      assert.match(nextStepFor(status, last), expected);
      assert.equal(waitsForFamily(status, last), waiting);
    });
  }
});

describe('waiting time in the agents\' queue', () => {
  const now = new Date('2026-12-10T10:00:00Z');
  test('the cut-off is N whole days before now', () => assert.equal(waitingCutoff(now, 7), '2026-12-03T10:00:00.000Z'));
  test('days and words', () => {
    assert.equal(daysWaiting('2026-12-10T09:00:00Z', now), 0);
    assert.equal(waitingText('2026-12-10T09:00:00Z', now), 'aujourd\'hui');
    assert.equal(waitingText('2026-12-09T09:00:00Z', now), 'depuis 1 jour');
    assert.equal(waitingText('2026-11-28T10:00:00Z', now), 'depuis 12 jours');
    assert.equal(daysWaiting('2026-12-11T10:00:00Z', now), 0, 'a clock ahead never gives a negative wait');
  });
});

describe('the « changement de situation » form', () => {
  test('the kind is asked first, with its own message', () => {
    assert.deepEqual(parseSituation({}), { ok: false, errors: { kind: 'Choisissez ce qui change' } });
    assert.deepEqual(parseSituation({ kind: 'divorce' }), { ok: false, errors: { kind: 'Choisissez ce qui change' } });
  });
  test('each kind checks only its own fields', () => {
    const address = parseSituation({ kind: 'address', address_line1: ' 3 rue Neuve ', postcode: '62300', city: 'Lens', first_name: 'ignoré' });
    assert.ok(address.ok);
    assert.deepEqual(address.data, { kind: 'address', address_line1: '3 rue Neuve', postcode: '62300', city: 'Lens' });
    const badPostcode = parseSituation({ kind: 'address', address_line1: '3 rue Neuve', postcode: '6230', city: 'Lens' });
    assert.ok(!badPostcode.ok && /5 chiffres/.test(badPostcode.errors.postcode));
    const joins = parseSituation({ kind: 'guardian_joins', first_name: 'Sam', last_name: 'Martin', email: 'pas-une-adresse' });
    assert.ok(!joins.ok && /adresse électronique valide/.test(joins.errors.email));
    const joinsOk = parseSituation({ kind: 'guardian_joins', first_name: 'Sam', last_name: 'Martin', email: ' Sam@Exemple.FR ' });
    assert.ok(joinsOk.ok && joinsOk.data.kind === 'guardian_joins' && joinsOk.data.email === 'sam@exemple.fr');
    const custody = parseSituation({ kind: 'custody', details: '  ' });
    assert.ok(!custody.ok && /Décrivez/.test(custody.errors.details));
    const tooLong = parseSituation({ kind: 'custody', details: 'a'.repeat(1001) });
    assert.ok(!tooLong.ok && /1000 caractères/.test(tooLong.errors.details));
  });
  test('summaries name what changes', () => {
    assert.equal(situationSummary({ kind: 'address', address_line1: '3 rue Neuve', address_line2: undefined, postcode: '62300', city: 'Lens', details: undefined }), 'Changement de situation : nouvelle adresse (62300 Lens)');
    assert.equal(situationSummary({ kind: 'guardian_leaves', person: 'x', details: undefined }, 'Alex Martin'), 'Changement de situation : départ de Alex Martin');
  });
});
