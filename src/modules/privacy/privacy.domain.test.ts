import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { refusalText } from './privacy.outcomes.ts';
import { birthYearOnly, canAnonymise, exportFileName, personsToAnonymise, retentionEnd, RETENTION_YEARS } from './privacy.domain.ts';

describe('règle de conservation (anonymisation)', () => {
  const now = new Date('2029-06-15T10:00:00Z');
  const cases: { name: string; archived_at: string | null; anonymised_at: string | null; ok: boolean; code?: string; reason?: RegExp }[] = [
    { name: 'foyer actif', archived_at: null, anonymised_at: null, ok: false, code: 'not_archived', reason: /actif/ },
    { name: 'archivé hier', archived_at: '2029-06-14T10:00:00Z', anonymised_at: null, ok: false, code: 'retention_running', reason: /moins de 3 ans.*14 juin 2032/ },
    { name: 'archivé il y a 3 ans moins une seconde', archived_at: '2026-06-15T10:00:01Z', anonymised_at: null, ok: false, code: 'retention_running', reason: /moins de 3 ans/ },
    { name: 'archivé il y a exactement 3 ans', archived_at: '2026-06-15T10:00:00Z', anonymised_at: null, ok: true },
    { name: 'archivé il y a 3 ans et un jour', archived_at: '2026-06-14T10:00:00Z', anonymised_at: null, ok: true },
    { name: 'archivé il y a 10 ans', archived_at: '2019-01-01T00:00:00Z', anonymised_at: null, ok: true },
    { name: 'déjà anonymisé', archived_at: '2019-01-01T00:00:00Z', anonymised_at: '2025-01-01T00:00:00Z', ok: false, code: 'already_anonymised', reason: /déjà anonymisé/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const d = canAnonymise({ archived_at: c.archived_at, anonymised_at: c.anonymised_at }, now);
      assert.equal(d.ok, c.ok);
      if (!d.ok) {
        assert.equal(d.code, c.code);
        if (c.reason) assert.match(refusalText(d), c.reason);
      }
    });
  }

  test('la durée de conservation est de 3 ans par défaut', () => {
    assert.equal(RETENTION_YEARS, 3);
    assert.equal(retentionEnd('2026-11-28T10:00:00.000Z').toISOString(), '2029-11-28T10:00:00.000Z');
  });

  test('un 29 février archivé : anonymisable le 1er mars, 3 ans plus tard', () => {
    assert.equal(retentionEnd('2028-02-29T12:00:00.000Z').toISOString(), '2031-03-01T12:00:00.000Z');
    assert.equal(canAnonymise({ archived_at: '2028-02-29T12:00:00.000Z', anonymised_at: null }, new Date('2031-02-28T23:00:00Z')).ok, false);
    assert.equal(canAnonymise({ archived_at: '2028-02-29T12:00:00.000Z', anonymised_at: null }, new Date('2031-03-01T12:00:00Z')).ok, true);
  });
});

describe('ce qui reste d\'une personne anonymisée', () => {
  for (const [input, expected] of [
    ['2018-05-04', '2018-01-01'],
    ['1985-12-31', '1985-01-01'],
    [null, null],
    ['', null],
  ] as const) {
    test(`date de naissance ${input} → ${expected}`, () => assert.equal(birthYearOnly(input), expected));
  }

  test('une personne rattachée à un autre foyer vivant est conservée, les autres anonymisées', () => {
    assert.deepEqual(personsToAnonymise(['p1', 'p2', 'p3'], new Set(['p2'])), { anonymise: ['p1', 'p3'], keep: ['p2'] });
    assert.deepEqual(personsToAnonymise([], new Set()), { anonymise: [], keep: [] });
  });

  test('le nom du fichier d\'export ne contient que le numéro de foyer et le jour', () => {
    assert.equal(exportFileName('F-000012', '2026-11-28'), 'donnees-F-000012-2026-11-28.json');
  });
});
