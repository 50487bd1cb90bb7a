/**
 * Walks every registered route with malformed input (issue 8, item 7) and fails on any answer 500 or
 * slower than two seconds. Each route is called as the person it is for — a guardian with a household
 * for the family pages, an agent with every role for /agent, a visitor for the sign-in pages — with a
 * valid CSRF token, so that the input reaches the route's own parsing:
 *   - ids in the address: a real one, an unknown one and malformed ones;
 *   - bodies: none, empty, as the page fills it and twice over (the same booking key twice), each field
 *     sent twice or 150 times, `a[b]=c`, JSON null and objects where a value is expected, impossible
 *     dates (2027-02-30, 0000-00-00, 9999-12-31) in values, in field names and inside booking keys,
 *     huge strings, NUL bytes, empty and nonsense values;
 *   - query strings: the same, on the route's declared fields and the usual ones.
 * The fields of a form are read from the pages themselves (every GET route is visited first), plus
 * the route's zod schema when it declares one. Runs on SQLite, and PostgreSQL with TEST_DATABASE_URL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RouteOptions } from 'fastify';
import { testEngines } from '../support/engines.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { anAgent } from '../support/builders.ts';
import { TestClient } from '../support/client.ts';
import { seedDemo, DEMO_ACCOUNTS } from '../../src/demo/seed.ts';
import { AGENT_ROLES } from '../../src/platform/http/auth-types.ts';

// Two seconds of wall time: an argon2 login on a machine busy with the other test files takes about
// one; the freezes this guards against took 6 to 15 seconds.
const SLOW_MS = 2000;
const UNKNOWN_ID = '0b0e5c0e-7d1a-4c2e-9f3a-5d6b7c8d9e0f';
const MALFORMED_IDS = ['abc', "1' or '1'='1", '%00', 'x'.repeat(300)];
const BAD_DATES = ['2027-02-30', '0000-00-00', '9999-12-31'];
const QUERY_FIELDS = ['debut', 'fin', 'mois', 'semaine', 'jour', 'date', 'q', 'page', 'statut', 'annee', 'retour', 'code', 'token', 'periode', 'service', 'groupe', 'enfant', 'type', 'id'];
const FALLBACK_BODY_FIELDS = ['id', 'jour', 'debut', 'fin', 'motif', 'email', 'nom', 'prenom', 'code', 'password', 'action'];
/** Sign-in pages: called by a fresh visitor (a signed-in person is sent away from some of them). */
const VISITOR_ROUTES = /^\/(connexion|activation|inscription|mot-de-passe)/;

interface Route {
  method: 'GET' | 'POST';
  url: string;
  schema?: { body?: unknown; querystring?: unknown };
}
interface Probe {
  label: string;
  url: string;
  payload?: string;
  contentType?: string;
}
interface Finding {
  route: string;
  label: string;
  status: number;
  ms: number;
  error?: string;
}

const isWalked = (method: string): method is Route['method'] => method === 'GET' || method === 'POST';

/** The keys a route's zod object schema declares (body or querystring), if it declares one. */
function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape).filter((k) => k !== '_csrf') : [];
}

/** Every form of a page: where it posts, and its fields with the values the page put in them. */
function formsOf(html: string, pageUrl: string): { action: string; fields: [string, string][] }[] {
  const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return m ? decode(m[1]) : undefined;
  };
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, open, inner]) => {
    const fields: [string, string][] = [];
    for (const [tag] of inner.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
      const name = attr(tag, 'name');
      if (!name || name === '_csrf') continue;
      const type = attr(tag, 'type');
      // Every checkbox as if ticked (more bookings, more work); a radio group by its first choice.
      if (type === 'radio' && fields.some(([n]) => n === name)) continue;
      fields.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
    }
    return { action: (attr(`<${open}`, 'action') ?? pageUrl).split('?')[0], fields };
  });
}

const encode = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const shiftDate = (name: string, to: string) => name.replace(/\d{4}-\d\d-\d\d/, to);

/** The malformed bodies for one form: `fields` as the page fills them. */
function bodyProbes(url: string, csrf: string, fields: [string, string][]): Probe[] {
  const names = [...new Set(fields.map(([n]) => n))];
  // As the page sends it (a name may carry several values: the days of a month form), and one value per name.
  const page = fields.filter(([n, v], i) => fields.findIndex(([m, w]) => m === n && w === v) === i);
  const base = page.filter(([n], i) => page.findIndex(([m]) => m === n) === i);
  const DATE = /\d{4}-\d\d-\d\d/;
  const form = (label: string, pairs: [string, string][]): Probe => ({ label, url, payload: encode([['_csrf', csrf], ...pairs]), contentType: 'application/x-www-form-urlencoded' });
  const json = (label: string, body: unknown): Probe => ({ label, url, payload: JSON.stringify(body), contentType: 'application/json' });
  const all = (value: (name: string, current: string) => unknown): Record<string, unknown> => Object.fromEntries([['_csrf', csrf], ...base.map(([n, v]): [string, unknown] => [n, value(n, v)])]);
  const probes: Probe[] = [
    { label: 'no body', url },
    form('empty body', []),
    json('JSON null', null),
    form('as the page fills it', page),
    form('every value sent twice (the same booking key twice)', [...page, ...page]),
    form('every field empty', base.map(([n]) => [n, ''])),
    form('every field "x"', base.map(([n]) => [n, 'x'])),
    form('every field sent twice', base.flatMap(([n, v]): [string, string][] => [[n, v || '1'], [n, v || '2']])),
    form('every field sent 150 times', base.flatMap(([n, v]) => Array.from({ length: 150 }, (_x, i): [string, string] => [n, v || String(i)]))),
    form('every field as a[b]=c', base.map(([n]) => [`${n}[b]`, 'c'])),
    json('every field an object', all(() => ({ a: 'b' }))),
    form('every field huge (2 000 characters)', base.map(([n]) => [n, 'é'.repeat(2000)])),
    form('one field huge (60 000 characters)', [[base[0]?.[0] ?? 'x', 'x'.repeat(60_000)], ...base.slice(1)]),
    form('every field with a NUL byte', base.map(([n, v]) => [n, `${v}\u0000x`])),
    ...BAD_DATES.map((d) => form(`every field ${d}`, base.map(([n]) => [n, d]))),
  ];
  if (page.some(([n]) => DATE.test(n))) {
    for (const d of BAD_DATES) probes.push(form(`dates in field names → ${d}`, page.map(([n, v]) => [shiftDate(n, d), v || 'on'])));
  }
  if (page.some(([, v]) => DATE.test(v))) {
    for (const d of BAD_DATES) probes.push(form(`dates inside values (booking keys) → ${d}`, page.map(([n, v]) => [n, shiftDate(v, d)])));
  }
  // Field by field, for the first eight: one bad value among good ones (all at once, the first
  // refusal could hide the others).
  for (const name of names.slice(0, 8)) {
    const others = base.filter(([n]) => n !== name);
    const current = base.find(([n]) => n === name)![1];
    probes.push(form(`${name} twice`, [...others, [name, current || '1'], [name, current || '2']]));
    probes.push(form(`${name} 2027-02-30`, [...others, [name, '2027-02-30']]));
  }
  return probes;
}

function queryProbes(path: string, keys: string[]): Probe[] {
  const q = (label: string, pairs: [string, string][]) => ({ label, url: `${path}?${encode(pairs)}` });
  return [
    q('every query field twice', keys.flatMap((k) => [[k, '1'], [k, '2']])),
    q('every query field as a[b]=c', keys.map((k) => [`${k}[b]`, 'c'])),
    q('every query field huge', keys.map((k) => [k, 'x'.repeat(300)])),
    q('every query field with a NUL byte', keys.map((k) => [k, 'a\u0000b'])),
    ...BAD_DATES.map((d) => q(`every query field ${d}`, keys.map((k) => [k, d]))),
    q('every query field 0000-00 (month)', keys.map((k) => [k, '0000-00'])),
  ];
}

for (const engine of testEngines()) {
  describe(`every route, malformed input: never a 500 (${engine})`, () => {
    let t: TestApp;
    const routes: Route[] = [];
    const failure: { last?: Error } = {};
    const ids = new Map<string, string>();
    let admin: { email: string; password: string };

    before(async () => {
      t = await createTestApp(engine, {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) if (isWalked(method)) routes.push({ method, url: r.url, schema: r.schema });
        },
        beforeReady: (app) => {
          app.addHook('onError', (_req, _reply, err, done) => {
            failure.last = err;
            done();
          });
        },
      });
      await seedDemo(t.ctx);
      admin = await anAgent(t.ctx, [...AGENT_ROLES]);

      // Real ids to put in addresses: the demo guardian's own for the family pages, another
      // family's for the agent's (an agent archiving or anonymising must not end the guardian's run).
      const db = t.ctx.db;
      const guardianUser = await db.selectFrom('users').select('id').where('email', '=', DEMO_ACCOUNTS.guardian.email).executeTakeFirstOrThrow();
      const guardian = await db.selectFrom('persons').innerJoin('household_members', 'household_members.person_id', 'persons.id').select(['persons.id', 'household_members.household_id']).where('persons.user_id', '=', guardianUser.id).executeTakeFirstOrThrow();
      const members = await db.selectFrom('household_members').innerJoin('persons', 'persons.id', 'household_members.person_id').select(['persons.id', 'persons.kind']).where('household_members.household_id', '=', guardian.household_id).execute();
      const child = members.find((m) => m.kind === 'child')!;
      const first = async (table: 'bookings' | 'requests' | 'pickup_persons' | 'outbox' | 'pending_changes' | 'groups' | 'facilities' | 'services' | 'units' | 'school_years' | 'periods' | 'households', column = 'id', where?: [string, string]) => {
        let query = db.selectFrom(table).select(`${column} as id` as 'id');
        if (where) query = query.where(where[0] as 'id', '=', where[1]);
        return (await query.limit(1).executeTakeFirst())?.id ?? UNKNOWN_ID;
      };
      ids.set('family:household', guardian.household_id);
      ids.set('family:guardian', guardian.id);
      ids.set('family:child', child.id);
      ids.set('family:booking', await first('bookings', 'id', ['child_person_id', child.id]));
      ids.set('family:request', await first('requests', 'id', ['household_id', guardian.household_id]));
      ids.set('family:pickup', await first('pickup_persons', 'id', ['child_person_id', child.id]).catch(() => UNKNOWN_ID));
      const other = await db.selectFrom('households').select('id').where('id', '!=', guardian.household_id).orderBy('id').limit(1).executeTakeFirstOrThrow();
      const otherMembers = await db.selectFrom('household_members').innerJoin('persons', 'persons.id', 'household_members.person_id').select(['persons.id', 'persons.kind']).where('household_members.household_id', '=', other.id).execute();
      ids.set('agent:household', other.id);
      ids.set('agent:guardian', otherMembers.find((m) => m.kind !== 'child')?.id ?? UNKNOWN_ID);
      ids.set('agent:child', otherMembers.find((m) => m.kind === 'child')?.id ?? UNKNOWN_ID);
      ids.set('agent:request', await first('requests', 'id', ['household_id', other.id]));
      ids.set('agent:booking', await first('bookings', 'id', ['household_id', other.id]));
      ids.set('agent:mail', await first('outbox'));
      ids.set('agent:change', await first('pending_changes'));
      ids.set('agent:group', await first('groups'));
      ids.set('agent:facility', await first('facilities'));
      ids.set('agent:service', await first('services'));
      ids.set('agent:unit', await first('units'));
      ids.set('agent:year', await first('school_years'));
      ids.set('agent:period', await first('periods'));
      const animateur = await db.selectFrom('users').select('id').where('email', '=', DEMO_ACCOUNTS.animateur.email).executeTakeFirstOrThrow();
      ids.set('agent:user', animateur.id);
    });
    after(() => t.close());

    /** A real id for a parameter of a route, from the segment before it. */
    function realId(url: string, param: string, before: string): string {
      const side = url.startsWith('/agent') ? 'agent' : 'family';
      const kind: Record<string, string> = {
        foyers: 'household', responsables: 'guardian', enfants: 'child', personnes: 'pickup', absence: 'booking', demandes: 'request', confirmation: 'request',
        courriels: 'mail', modifications: 'change', agents: 'user', structures: 'facility', groupes: 'group', prestations: 'service', unites: 'unit', annees: 'year',
        periodes: 'period', pointage: 'group', invitations: 'user',
      };
      if (param === 'groupId') return ids.get('agent:group')!;
      if (param === 'bookingId') return ids.get('agent:booking')!;
      if (param === 'cid') return ids.get(`${side}:child`)!;
      if (param === 'file') return before === 'assets' ? 'app.css' : 'inconnu.ics';
      if (param === 'pid') return ids.get(before === 'personnes' ? `${side}:pickup` : `${side}:guardian`)!;
      return ids.get(`${side}:${kind[before] ?? ''}`) ?? UNKNOWN_ID;
    }

    /** The route's address with each parameter replaced: by a real id, or by `bad` for one of them. */
    function fill(url: string, bad?: { index: number; value: string }): string {
      let index = 0;
      return url.replace(/:([A-Za-z]+)/g, (_m, param: string, offset: number) => {
        const segments = url.slice(0, offset).split('/').filter(Boolean);
        const value = bad && bad.index === index ? bad.value : realId(url, param, segments[segments.length - 1]);
        index++;
        return value;
      });
    }

    class Session {
      client!: TestClient;
      constructor(private who: 'guardian' | 'agent' | 'visitor') {}
      async open() {
        this.client = new TestClient(t.app);
        if (this.who === 'guardian') await this.client.login(DEMO_ACCOUNTS.guardian.email, DEMO_ACCOUNTS.guardian.password);
        if (this.who === 'agent') await this.client.login(admin.email, admin.password);
        await this.client.get(this.who === 'visitor' ? '/connexion' : '/compte');
        assert.ok(this.client.lastCsrf, `pas de jeton CSRF pour ${this.who}`);
        return this;
      }
      /** Signs in again when a route ended the session (log out, password change…). */
      async ensure() {
        if (this.who === 'visitor') return this.open();
        const res = await this.client.get('/compte');
        if (res.status !== 200) await this.open();
        return this;
      }
      cookieHeader() {
        return [...this.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      }
    }

    test('no route answers 500 or takes more than two seconds', { timeout: 600_000 }, async () => {
      const started = Date.now();
      const findings: Finding[] = [];
      const seen = new Map<string, [string, string][]>();
      let requests = 0;
      const spent = new Map<string, number>();
      const sessions = { guardian: await new Session('guardian').open(), agent: await new Session('agent').open(), visitor: await new Session('visitor').open() };
      const sessionFor = (url: string) => (url.startsWith('/agent') ? sessions.agent : VISITOR_ROUTES.test(url) ? sessions.visitor : sessions.guardian);

      async function send(session: Session | null, route: Route, probe: Probe) {
        failure.last = undefined;
        const headers: Record<string, string> = {};
        if (session) {
          headers.cookie = session.cookieHeader();
          headers['x-csrf-token'] = session.client.lastCsrf;
        }
        if (probe.contentType) headers['content-type'] = probe.contentType;
        const t0 = performance.now();
        const res = await t.app.inject({ method: route.method, url: probe.url, payload: probe.payload, headers, remoteAddress: `10.9.${requests % 250}.${(requests >> 8) % 250}` });
        const ms = performance.now() - t0;
        requests++;
        spent.set(`${route.method} ${route.url}`, (spent.get(`${route.method} ${route.url}`) ?? 0) + ms);
        if (res.statusCode >= 500 || ms > SLOW_MS) {
          const error = failure.last as Error | undefined;
          findings.push({ route: `${route.method} ${route.url}`, label: probe.label, status: res.statusCode, ms: Math.round(ms), error: error ? `${error.name}: ${error.message.split('\n')[0].slice(0, 160)}` : undefined });
        }
        return res;
      }

      // 1. Every GET page with real ids, as its person: the forms it shows tell the fields of the POST routes.
      const gets = routes.filter((r) => r.method === 'GET');
      const posts = routes.filter((r) => r.method === 'POST');
      for (const route of gets) {
        const session = sessionFor(route.url);
        const url = fill(route.url);
        const res = await send(session, route, { label: 'real ids', url });
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html')) {
          for (const f of formsOf(res.body, url)) seen.set(f.action, [...(seen.get(f.action) ?? []), ...f.fields]);
        }
      }

      if (process.env.FUZZ_DEBUG) for (const [action, fields] of seen) console.log(action, fields.length, fields.slice(0, 4));
      // 2. GET routes: malformed ids, then malformed query strings.
      for (const route of gets) {
        const session = sessionFor(route.url);
        const params = (route.url.match(/:[A-Za-z]+/g) ?? []).length;
        for (let index = 0; index < params; index++) {
          for (const bad of [UNKNOWN_ID, ...MALFORMED_IDS]) await send(session, route, { label: `param ${index + 1} = ${bad.slice(0, 20)}`, url: fill(route.url, { index, value: bad }) });
        }
        const keys = [...new Set([...schemaKeys(route.schema?.querystring), ...QUERY_FIELDS])];
        for (const probe of queryProbes(fill(route.url), keys)) await send(session, route, probe);
        await send(null, route, { label: 'visitor, no session', url: fill(route.url) });
      }

      // 3. POST routes: malformed ids, then malformed bodies (fields from the pages and the schema).
      for (const route of posts) {
        let session = await sessionFor(route.url).ensure();
        const url = fill(route.url);
        const params = (route.url.match(/:[A-Za-z]+/g) ?? []).length;
        for (let index = 0; index < params; index++) {
          for (const bad of [UNKNOWN_ID, ...MALFORMED_IDS]) await send(session, route, { label: `param ${index + 1} = ${bad.slice(0, 20)} (empty form)`, url: fill(route.url, { index, value: bad }), payload: `_csrf=${session.client.lastCsrf}`, contentType: 'application/x-www-form-urlencoded' });
        }
        const fromPages = seen.get(url) ?? [];
        const declared = schemaKeys(route.schema?.body).filter((k) => !fromPages.some(([n]) => n === k));
        const fields: [string, string][] = [...fromPages, ...declared.map((k): [string, string] => [k, ''])];
        if (fields.length === 0) fields.push(...FALLBACK_BODY_FIELDS.map((k): [string, string] => [k, '']));
        for (const probe of bodyProbes(url, session.client.lastCsrf, fields)) {
          await send(session, route, probe);
          // A probe may have ended the session (log out): sign in again so the next ones still reach the route.
          if (/deconnexion|mot-de-passe|accueil|anonymiser|archiver/.test(route.url)) session = await session.ensure();
        }
        await send(null, route, { label: 'visitor, no session', url });
      }

      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (process.env.FUZZ_DEBUG) console.log([...spent].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([r, ms]) => `${r} ${Math.round(ms)} ms`).join('\n'));
      const byRoute = new Map<string, string[]>();
      for (const f of findings) byRoute.set(f.route, [...(byRoute.get(f.route) ?? []), `${f.label} → ${f.status} (${f.ms} ms)${f.error ? ` ${f.error}` : ''}`]);
      const report = [...byRoute].map(([route, lines]) => `${route}\n    ${lines.join('\n    ')}`).join('\n');
      console.log(`fuzz (${engine}) : ${routes.length} routes, ${requests} requêtes en ${seconds} s, ${findings.length} en échec sur ${byRoute.size} routes`);
      assert.ok(routes.length > 100, `${routes.length} routes seulement`);
      assert.equal(findings.length, 0, `Réponses 500 ou plus lentes que ${SLOW_MS} ms :\n${report}`);
    });
  });
}
