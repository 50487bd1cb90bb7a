import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attendanceRefusal, kitchenTable } from './attendance.domain.ts';
import { loadConfig } from '../../config.ts';

test('the kitchen table sums meals per unit and orders diets as the town lists them', () => {
  const table = kitchenTable([
    { unit_id: 'u1', unit_label: 'Repas', service_name: 'Cantine', diet: 'vegetarien', meals: 3, pai: 0 },
    { unit_id: 'u1', unit_label: 'Repas', service_name: 'Cantine', diet: 'standard', meals: '40', pai: '2' },
    { unit_id: 'u1', unit_label: 'Repas', service_name: 'Cantine', diet: 'sans_porc', meals: 7, pai: null },
  ]);
  assert.equal(table.length, 1);
  assert.equal(table[0].total, 50);
  assert.equal(table[0].pai, 2);
  assert.deepEqual(table[0].byDiet.map((d) => d.label), ['Sans régime particulier', 'Sans porc', 'Végétarien']);
});

test('attendance: animators today only; the service within the window the town sets; never ahead', () => {
  const today = '2026-12-03';
  assert.equal(attendanceRefusal(today, today, 7, false), null);
  assert.equal(attendanceRefusal('2026-12-02', today, 7, false), 'not_today');
  assert.equal(attendanceRefusal('2026-12-04', today, 7, true), 'ahead');
  assert.equal(attendanceRefusal('2026-11-26', today, 7, true), null);
  assert.equal(attendanceRefusal('2026-11-25', today, 7, true), 'locked');
  assert.equal(attendanceRefusal('2026-12-01', today, 2, true), null);
  assert.equal(attendanceRefusal('2026-11-30', today, 2, true), 'locked');
  assert.equal(attendanceRefusal('2026-12-02', today, 0, true), 'locked');
  assert.equal(loadConfig({ NODE_ENV: 'test', ATTENDANCE_CORRECTION_DAYS: '2' }).attendanceCorrectionDays, 2);
  assert.equal(loadConfig({ NODE_ENV: 'test' }).attendanceCorrectionDays, 7);
});
