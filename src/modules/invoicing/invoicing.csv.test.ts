import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvAmount, csvCell, csvRow } from './invoicing.csv.ts';

test('les cellules qui ressemblent à une formule sont neutralisées, les séparateurs protégés', () => {
  const cases: [string | number | null, string][] = [
    ['Foyer Durand', 'Foyer Durand'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+33 6', "'+33 6"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcaché', "'\tcaché"],
    ['Durand; Martin', '"Durand; Martin"'],
    ['ligne\nsuivante', '"ligne\nsuivante"'],
    [null, ''],
    [42, '42'],
    ['-2,50', '-2,50'],
    ['-2,50+1', "'-2,50+1"],
  ];
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, String(input));
  assert.equal(csvRow(['a', 'b;c', null]), 'a;"b;c";\r\n');
});

test('montants en euros avec une virgule, sans passer par un nombre à virgule', () => {
  assert.deepEqual([0, 5, 340, 123456, -250].map(csvAmount), ['0,00', '0,05', '3,40', '1234,56', '-2,50']);
});
