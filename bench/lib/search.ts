import { performance } from 'node:perf_hooks';
import type { AppContext } from '../../src/platform/context.ts';
import type { Auth } from '../../src/platform/http/auth-types.ts';
import { householdsAgentService } from '../../src/modules/households/households.agent-service.ts';

/**
 * What an agent at the counter types: last names (with and without accents, any case), first names
 * with and without accents, first + last name, a partial e-mail, phone digits (with spaces), a street,
 * a postcode, a household number, a search that finds nothing. Every generated household matches one of them
 * or none; the same list is used in process and over HTTP.
 */
export const SEARCH_QUERIES = [
  'durand', 'Lefèvre', 'lefevre', 'GUÉRIN', 'guerin', 'Œuvray', 'oeuvray', 'ecuyer', 'da silva', 'müller',
  'Éloïse', 'eloise', 'maelys', 'Raphaël', 'anais moreau', 'hugo martin', 'Hélène Noël',
  'sebastien.', 'jules.petit', '@exemple.fr', 'karim.benali.1',
  '06 10 00 03 70', '0610000407', '10 00 11',
  'victor hugo', 'rue des ecoles 17', 'Émile-Zola', 'Bully-lès-Mines', '62161',
  'F-012345', 'F-0001', 'zzz-introuvable', 'nguyen 62160', 'thiebaut leveque',
];

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const r2 = (n: number) => Math.round(n * 100) / 100;

/** In process, one at a time: householdsAgentService(ctx).search(auth, query), `count` queries after a warm-up round. */
export async function measureSearch(ctx: AppContext, auth: Auth, households: number, count = 200) {
  const service = householdsAgentService(ctx);
  for (const q of SEARCH_QUERIES) await service.search(auth, q);
  const times: number[] = [];
  const slowest: Record<string, number> = {};
  let found = 0;
  let withResults = 0;
  for (let i = 0; i < count; i++) {
    const q = SEARCH_QUERIES[i % SEARCH_QUERIES.length];
    const t = performance.now();
    const rows = await service.search(auth, q);
    const ms = performance.now() - t;
    times.push(ms);
    slowest[q] = Math.max(slowest[q] ?? 0, r2(ms));
    found += rows.length;
    if (rows.length) withResults++;
  }
  times.sort((a, b) => a - b);
  const top = Object.entries(slowest).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return {
    households,
    queries: times.length,
    p50: r2(pct(times, 50)),
    p99: r2(pct(times, 99)),
    max: r2(times[times.length - 1]),
    meanResults: r2(found / times.length),
    queriesWithResults: withResults,
    slowestQueries: Object.fromEntries(top),
    p99Under50ms: pct(times, 99) < 50,
  };
}
