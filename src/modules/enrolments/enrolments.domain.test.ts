import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicateMessage, enrolmentSummary, fitsService, groupFor, openYears } from './enrolments.domain.ts';

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
