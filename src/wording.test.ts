import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../test/support/engines.ts';
import { createTestApp, type TestApp } from '../test/support/app.ts';
import { TestClient, textOf } from '../test/support/client.ts';
import { DEMO_ACCOUNTS, seedDemo } from './demo/seed.ts';

/**
 * French, plain and exact (issue 9, item 13): every page the demo's people reach from their home
 * page, by its links, is read as a person reads it (text, without tags) and must not show a code
 * word or a wrong format. A new page or a new wording that slips is caught here.
 */
const MONTHS = 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre';
export const WRONG_WORDING: { rule: string; pattern: RegExp }[] = [
  { rule: 'heure écrite « 12:00 » (écrire « 12 h », « 18 h 30 »)', pattern: /\b\d{1,2}:\d{2}\b/ },
  { rule: 'pluriel entre parenthèses (« demande(s) ») : utiliser plural()', pattern: /\p{L}\(s\)/u },
  { rule: '« Jusqu\'à le » (écrire « jusqu\'au »)', pattern: /jusqu'à le\b/i },
  { rule: '« 1 janvier » (écrire « 1er janvier »)', pattern: new RegExp(`(^|[^\\d,.])1 (${MONTHS})\\b`) },
  { rule: '« le foyer Foyer Durand » : householdName()', pattern: /foyer Foyer\b/i },
  { rule: 'deux libellés entre parenthèses à la suite (« (cantine) (Repas) »)', pattern: /\([^()]{1,60}\) \([^()]{1,60}\)/ },
  { rule: 'numéro de téléphone collé (formatPhone())', pattern: /\b0\d{9}\b/ },
  { rule: 'code anglais d\'un type de prestation', pattern: /\b(canteen|morning|evening|wednesday|holiday)\b/i },
  { rule: 'valeur technique affichée', pattern: /\b(undefined|null|NaN|true|false)\b/ },
];

/** The rules a text breaks, with the words around each. */
export function wordingProblems(text: string): string[] {
  const found: string[] = [];
  for (const { rule, pattern } of WRONG_WORDING) {
    const m = pattern.exec(text);
    if (m) found.push(`${rule} : « …${text.slice(Math.max(0, m.index - 50), m.index + m[0].length + 30)}… »`);
  }
  return found;
}

test('the checker catches each wrong wording of the issue', () => {
  for (const wrong of ['Jusqu\'à le mardi', 'avant 12:00', '3 demande(s)', 'le foyer Foyer Durand', 'le 1 janvier', 'Restauration scolaire (cantine) (Repas)', 'Tél. 0612345678', 'Léa – canteen', 'Inscription : Hugo – evening']) {
    assert.notDeepEqual(wordingProblems(wrong), [], wrong);
  }
  for (const right of ['avant 12 h', '3 demandes', 'le foyer Durand', 'le 1er janvier', 'Restauration scolaire (cantine, repas)', 'Tél. 06 12 34 56 78', 'Léa – restauration scolaire', 'de 7 h 30 à 18 h 30', '11 janvier', '21 mars', '12,1 mai']) {
    assert.deepEqual(wordingProblems(right), [], right);
  }
});

/** Links a person can follow from a page: same site, GET, not a file, not leaving the session. */
function linksOf(html: string): string[] {
  return [...html.matchAll(/<a [^>]*href="(\/[^"#]*)"/g)]
    .map((m) => m[1].replaceAll('&amp;', '&'))
    .filter((href) => !/^\/(assets|deconnexion)|\.(pdf|ics|json|csv)(\?|$)|\/donnees\.json|\/(pdf|feuille|export|telecharger)\b/.test(href));
}

const MAX_PAGES = 120;

for (const engine of testEngines()) {
  describe(`les pages de la démo parlent un français exact (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(engine);
      await seedDemo(t.ctx);
    });
    after(() => t.close());

    for (const [role, account] of Object.entries(DEMO_ACCOUNTS)) {
      test(`${role} : no code word, no wrong time, date, plural, phone or name on the pages reached from home`, async () => {
        const client = new TestClient(t.app);
        await client.login(account.email, account.password);
        const home = (await client.get('/tableau')).location ?? '/famille';
        const seen = new Set<string>();
        const queue = [home];
        const problems: string[] = [];
        while (queue.length > 0 && seen.size < MAX_PAGES) {
          const url = queue.shift()!;
          // One page of each kind: a month or a page number more says nothing new.
          const shape = url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/=\d{4}-\d{2}(-\d{2})?/g, '=:date').replace(/page=\d+/, 'page=:n');
          if (seen.has(shape)) continue;
          seen.add(shape);
          const page = await client.get(url);
          if (page.status !== 200) continue;
          for (const p of wordingProblems(textOf(page.body))) problems.push(`${url} : ${p}`);
          queue.push(...linksOf(page.body));
        }
        assert.ok(seen.size >= 3, `${seen.size} pages lues`);
        assert.deepEqual(problems, []);
      });
    }
  });
}
