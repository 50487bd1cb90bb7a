import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateMessage, enrolmentSummary, fitsService, groupFor, missingKinds, openYears, standingFor, type ExistingEnrolment } from './enrolments.domain.ts';
import { missingText, standingText } from './enrolments.outcomes.ts';

test('a service is offered when the class level and the age fit; unknown facts do not hide it', () => {
  const today = '2026-11-28';
  const born2018 = '2018-05-04'; // 8 years old
  const cases: [string, { birth_date: string | null; class_level: string | null }, { class_levels: string; min_age: number | null; max_age: number | null }, boolean][] = [
    ['any level, any age', { birth_date: born2018, class_level: 'CE1' }, { class_levels: '', min_age: null, max_age: null }, true],
    ['level listed', { birth_date: born2018, class_level: 'CE1' }, { class_levels: 'CP,CE1,CE2', min_age: null, max_age: null }, true],
    ['level not listed', { birth_date: born2018, class_level: 'CE1' }, { class_levels: 'PS,MS,GS', min_age: null, max_age: null }, false],
    ['level unknown', { birth_date: born2018, class_level: null }, { class_levels: 'PS,MS,GS', min_age: null, max_age: null }, true],
    ['too young', { birth_date: born2018, class_level: null }, { class_levels: '', min_age: 9, max_age: null }, false],
    ['at the minimum age', { birth_date: born2018, class_level: null }, { class_levels: '', min_age: 8, max_age: null }, true],
    ['too old', { birth_date: born2018, class_level: null }, { class_levels: '', min_age: null, max_age: 7 }, false],
    ['birthday not reached yet this year', { birth_date: '2018-12-01', class_level: null }, { class_levels: '', min_age: 8, max_age: null }, false],
    ['no birth date', { birth_date: null, class_level: null }, { class_levels: '', min_age: 3, max_age: 6 }, true],
  ];
  for (const [name, child, service, expected] of cases) assert.equal(fitsService(child, service, today), expected, name);
});

test('the years offered are the current one and the next', () => {
  const years = [
    { id: 'y28', start_date: '2028-09-01', end_date: '2029-07-01' },
    { id: 'y25', start_date: '2025-09-01', end_date: '2026-07-04' },
    { id: 'y27', start_date: '2027-09-01', end_date: '2028-07-01' },
    { id: 'y26', start_date: '2026-09-01', end_date: '2027-07-03' },
  ];
  assert.deepEqual(openYears(years, '2026-11-28').map((y) => y.id), ['y26', 'y27']);
  // In the summer between two years, the coming year and the one after.
  assert.deepEqual(openYears(years, '2027-07-10').map((y) => y.id), ['y27', 'y28']);
  assert.deepEqual(openYears(years, '2030-01-01'), []);
});

test('an accepted child goes to the group of their class, else to the first group', () => {
  const groups = [
    { id: 'mat', class_levels: 'PS,MS,GS' },
    { id: 'elem', class_levels: 'CP,CE1,CE2,CM1,CM2' },
  ];
  assert.equal(groupFor(groups, 'CE1')?.id, 'elem');
  assert.equal(groupFor(groups, 'MS')?.id, 'mat');
  assert.equal(groupFor(groups, '6e')?.id, 'mat');
  assert.equal(groupFor(groups, null)?.id, 'mat');
  assert.equal(groupFor([], 'CE1'), null);
});

test('summary and duplicate message in plain French', () => {
  assert.equal(enrolmentSummary('Léa', 'Restauration scolaire', 'École Jules-Ferry', '2026-2027'), 'Inscription de Léa à Restauration scolaire – École Jules-Ferry (2026-2027)');
  assert.equal(duplicateMessage('Léa', 'F'), 'Léa est déjà inscrite ou a déjà une demande pour ce service cette année');
  assert.equal(duplicateMessage('Noé', 'M'), 'Noé est déjà inscrit ou a déjà une demande pour ce service cette année');
  assert.equal(duplicateMessage('Camille', null), 'Camille a déjà une inscription ou une demande pour ce service cette année');
});

test('a school\'s services are for its own pupils; a leisure centre takes every school; an unknown school hides nothing', () => {
  const today = '2026-11-28';
  const child = (school: string | null) => ({ birth_date: '2018-05-04', class_level: 'CE2', school });
  const at = (facility_kind: 'school' | 'leisure_centre', facility_name: string) => ({ class_levels: '', min_age: null, max_age: null, facility_kind, facility_name });
  const cases: [string, string | null, ReturnType<typeof at>, boolean][] = [
    ['same school', 'École Jules-Ferry', at('school', 'École Jules-Ferry'), true],
    ['same school, typed differently', '  ecole JULES ferry', at('school', 'École Jules-Ferry'), true],
    ['another school', 'École Marie-Curie', at('school', 'École Jules-Ferry'), false],
    ['a leisure centre', 'École Marie-Curie', at('leisure_centre', 'Centre Les Tilleuls'), true],
    ['school unknown', null, at('school', 'École Jules-Ferry'), true],
  ];
  for (const [name, school, service, expected] of cases) assert.equal(fitsService(child(school), service, today), expected, name);
});

const enrolment = (service_id: string, status: ExistingEnrolment['status'], school_year_id = 'y26', service_kind: ExistingEnrolment['service_kind'] = 'canteen'): ExistingEnrolment => ({ service_id, service_kind, school_year_id, status, created_at: '2026-11-20T09:00:00.000Z' });

test('where a child stands for a service in a year: enrolled, requested (waiting list included), refused, or free', () => {
  const existing = [enrolment('canteen', 'accepted'), enrolment('morning', 'submitted'), enrolment('evening', 'waiting_list'), enrolment('wed', 'refused'), enrolment('hol', 'in_review', 'y27')];
  assert.deepEqual(standingFor(existing, 'canteen', 'y26'), { kind: 'enrolled' });
  assert.deepEqual(standingFor(existing, 'morning', 'y26'), { kind: 'requested', at: '2026-11-20T09:00:00.000Z' });
  assert.deepEqual(standingFor(existing, 'evening', 'y26'), { kind: 'requested', at: '2026-11-20T09:00:00.000Z' });
  assert.deepEqual(standingFor(existing, 'wed', 'y26'), { kind: 'refused', at: '2026-11-20T09:00:00.000Z' });
  assert.equal(standingFor(existing, 'hol', 'y26'), null, 'another year');
  assert.equal(standingFor(existing, 'canteen', 'y27'), null);
  const day = (at: string) => at.slice(0, 10);
  assert.equal(standingText({ kind: 'enrolled' }, 'F', day), 'Déjà inscrite');
  assert.equal(standingText({ kind: 'enrolled' }, 'M', day), 'Déjà inscrit');
  assert.equal(standingText({ kind: 'requested', at: '2026-11-20T09:00:00.000Z' }, 'F', day), 'Demande envoyée le 2026-11-20');
});

test('the kinds of service missing for a child: offered at their school for their age and level, neither had nor asked for this year', () => {
  const today = '2026-11-28';
  const lea = { birth_date: '2018-03-27', class_level: 'CE2', school: 'École Jules-Ferry' }; // 8 years old
  const s = (id: string, kind: 'canteen' | 'morning' | 'evening' | 'wednesday' | 'holiday', facility_name: string, more: Partial<{ class_levels: string; min_age: number; max_age: number }> = {}) => ({
    id,
    kind,
    facility_name,
    facility_kind: facility_name.startsWith('École') ? ('school' as const) : ('leisure_centre' as const),
    class_levels: more.class_levels ?? '',
    min_age: more.min_age ?? null,
    max_age: more.max_age ?? null,
  });
  const services = [
    s('jf-canteen', 'canteen', 'École Jules-Ferry'),
    s('jf-morning', 'morning', 'École Jules-Ferry'),
    s('jf-evening-mat', 'evening', 'École Jules-Ferry', { class_levels: 'PS,MS,GS' }),
    s('mc-evening', 'evening', 'École Marie-Curie'),
    s('tilleuls-wed', 'wednesday', 'Centre Les Tilleuls', { min_age: 3, max_age: 11 }),
    s('pins-wed', 'wednesday', 'Centre Les Pins', { min_age: 3, max_age: 11 }),
    s('teens-holiday', 'holiday', 'Centre Les Tilleuls', { min_age: 12 }),
  ];
  const missing = (existing: ExistingEnrolment[]) => missingKinds(lea, services, existing, 'y26', today).map((m) => `${m.kind}:${m.services.map((x) => x.id).join('+')}`);
  // Nothing yet: her school's canteen and morning care, and the Wednesdays of both centres. Not the evening
  // care (maternelle only at her school, another school's otherwise) nor the holidays of the older children.
  assert.deepEqual(missing([]), ['canteen:jf-canteen', 'morning:jf-morning', 'wednesday:tilleuls-wed+pins-wed']);
  // Enrolled at the canteen, a request for one centre's Wednesdays, the morning refused: nothing of those kinds.
  assert.deepEqual(missing([enrolment('jf-canteen', 'accepted'), enrolment('tilleuls-wed', 'submitted', 'y26', 'wednesday'), enrolment('jf-morning', 'refused', 'y26', 'morning')]), []);
  // What she has for another year does not count for this one.
  assert.deepEqual(missing([enrolment('jf-canteen', 'accepted', 'y27')]), ['canteen:jf-canteen', 'morning:jf-morning', 'wednesday:tilleuls-wed+pins-wed']);
});

test('the calendar says why a service is missing, in words agreed with the child', () => {
  assert.deepEqual(missingText('Léa', 'F', 'wednesday'), { why: 'Léa n\'est inscrite à aucun accueil du mercredi.', link: 'Inscrivez Léa aux mercredis' });
  assert.deepEqual(missingText('Hugo', 'M', 'canteen'), { why: 'Hugo n\'est inscrit à aucune cantine.', link: 'Inscrivez Hugo à la cantine' });
  assert.deepEqual(missingText('Sam', null, 'morning'), { why: 'Sam n\'a aucune inscription à l\'accueil du matin.', link: 'Inscrivez Sam à l\'accueil du matin' });
});
