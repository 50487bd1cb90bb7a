import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kitchenTable } from './attendance.domain.ts';

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
