import type { LoadSettings } from './lib/options.ts';
import type { BenchServer } from './lib/server.ts';
import type { LoadSpec } from './lib/load.ts';
import { SEARCH_QUERIES } from './lib/search.ts';

export interface ScenarioEnv {
  server: BenchServer;
  /** Cookie header values of logged-in guardians (one per household). */
  guardianSessions: string[];
  settings: LoadSettings;
}

export interface Scenario {
  /** Key in the JSON output. */
  name: string;
  /** Run by default; the others only when named in BENCH_SCENARIOS. */
  byDefault: boolean;
  /**
   * Checks once, outside the measurement, that the request does what it should (a page that
   * silently redirects to the login form would be fast and wrong), then describes the load.
   */
  prepare(env: ScenarioEnv): Promise<LoadSpec>;
}

/** A figure derived from two scenarios of the same engine: numerator req/s ÷ denominator req/s. */
export interface Ratio {
  name: string;
  numerator: string;
  denominator: string;
}

const base = (env: ScenarioEnv) => ({
  url: env.server.url,
  duration: env.settings.duration,
  warmup: env.settings.warmup,
  connections: env.settings.connections,
});

async function expectPage(url: string, cookie: string | undefined, check: (status: number, body: string) => boolean, what: string) {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const body = await res.text();
  if (!check(res.status, body)) throw new Error(`${what} : réponse inattendue ${res.status} ${res.headers.get('location') ?? ''} ${body.slice(0, 200)}`);
}

/** A logged-in HTML page: 200 (no redirection to the login form), a full document, no login form in it. */
const loggedInPage = (status: number, body: string) => status === 200 && /^<!doctype html>/i.test(body) && !body.includes('action="/connexion"');
/** The home of a guardian linked to a household: the child seeded with it is listed. */
const familyHomePage = (status: number, body: string) => loggedInPage(status, body) && body.includes('Noé') && !body.includes('en attente de rattachement');

async function familyHome(env: ScenarioEnv, headers?: Record<string, string>, path = '/famille'): Promise<LoadSpec> {
  const [first] = env.guardianSessions;
  if (!first) throw new Error(`${path} : aucune session parent`);
  await expectPage(`${env.server.url}${path}`, first, familyHomePage, path);
  return { ...base(env), path, cookies: env.guardianSessions, headers };
}

export const scenarios: Scenario[] = [
  {
    // The floor: routing, hooks and one `select 1`. Everything else is compared to it.
    name: 'healthz',
    byDefault: true,
    async prepare(env) {
      await expectPage(`${env.server.url}/healthz`, undefined, (s, b) => s === 200 && b.includes('"ok"'), '/healthz');
      return { ...base(env), path: '/healthz', headers: { accept: 'application/json' } };
    },
  },
  {
    // A guardian's home page, a to-do list since the daily-screens work: the week of each child, the
    // deadlines of the next 20 days (from 4 weeks of habits), requests, enrolments, notices, news,
    // unread messages; CSRF token, server-side rendering, compression.
    // Asked for as a browser does (Accept-Encoding: gzip, deflate, br, zstd).
    name: 'familyHome',
    byDefault: true,
    prepare: (env) => familyHome(env),
  },
  {
    // « Mon foyer » (/famille/foyer): the household and its members, pending changes, notices. It
    // is what /famille showed before the home became a to-do list, so it compares like for like
    // with the familyHome figures of commits before that change.
    name: 'familyHousehold',
    byDefault: true,
    prepare: (env) => familyHome(env, undefined, '/famille/foyer'),
  },
  {
    // The same page without compression (Accept-Encoding: identity), to see what compressing costs.
    name: 'familyHomeUncompressed',
    byDefault: false,
    prepare: (env) => familyHome(env, { 'accept-encoding': 'identity' }),
  },
  {
    // An enfance agent searching the generated households (20,000 by default): GET /agent/foyers?q=…,
    // the queries of bench/lib/search.ts in turn, compressed page of up to 50 rows.
    name: 'householdSearch',
    byDefault: true,
    async prepare(env) {
      const agent = env.server.agent;
      if (!agent) throw new Error('householdSearch : pas de session agent (BENCH_SEARCH_HOUSEHOLDS=0 ?)');
      const paths = SEARCH_QUERIES.map((q) => `/agent/foyers?q=${encodeURIComponent(q)}`);
      await expectPage(`${env.server.url}${paths[0]}`, agent.cookie, (s, b) => loggedInPage(s, b) && b.includes('Foyer Durand'), paths[0]);
      return { ...base(env), path: paths[0], paths, cookies: [agent.cookie] };
    },
  },
  {
    // The page every family opens before booking on an opening morning: GET /reservations?mois=2026-12
    // for a child enrolled in the holidays (the opening-day households, before they book): the
    // month's enrolled units, each day's state and deadline, one checkbox per open day.
    name: 'familyCalendar',
    byDefault: true,
    async prepare(env) {
      const opening = env.server.openingDay;
      if (!opening) throw new Error('familyCalendar : pas de foyers inscrits (BENCH_OPENING_HOUSEHOLDS=0 ?)');
      const cookies = opening.families.slice(0, 300).map((f) => f.cookie);
      const path = `/reservations?mois=${opening.month}`;
      await expectPage(`${env.server.url}${path}`, cookies[0], (st, b) => loggedInPage(st, b) && /journée avec repas/i.test(b) && b.includes('type="checkbox"'), path);
      return { ...base(env), path, cookies };
    },
  },
  // The opening day (bookings) is not a timed load: see bench/opening-day.ts.
];

export const ratios: Ratio[] = [
  { name: 'familyHomeToHealthzRatio', numerator: 'familyHome', denominator: 'healthz' },
  { name: 'familyHomeUncompressedToHealthzRatio', numerator: 'familyHomeUncompressed', denominator: 'healthz' },
  { name: 'householdSearchToHealthzRatio', numerator: 'householdSearch', denominator: 'healthz' },
  { name: 'familyCalendarToHealthzRatio', numerator: 'familyCalendar', denominator: 'healthz' },
];

/** BENCH_SCENARIOS=healthz,familyHome,… (default: every scenario marked byDefault). */
export function selectScenarios(names = process.env.BENCH_SCENARIOS): Scenario[] {
  if (!names) return scenarios.filter((s) => s.byDefault);
  const wanted = names.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = wanted.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) throw new Error(`BENCH_SCENARIOS : scénario inconnu ${unknown.join(', ')} (connus : ${scenarios.map((s) => s.name).join(', ')})`);
  return scenarios.filter((s) => wanted.includes(s.name));
}
