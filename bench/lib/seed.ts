import type { Insertable } from 'kysely';
import type { AppContext } from '../../src/platform/context.ts';
import type { AgentRole, Auth } from '../../src/platform/http/auth-types.ts';
import type { ChildHealthTable, ChildrenTable, HouseholdMembersTable, HouseholdsTable, PersonsTable, UsersTable } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { nextCounter } from '../../src/platform/db/counters.ts';
import { hmac, randomToken, sha256 } from '../../src/platform/security/secrets.ts';
import { hashPassword } from '../../src/modules/identity/identity.service.ts';
import { formatReference, householdName, householdSearchText } from '../../src/modules/households/households.domain.ts';
import * as cat from '../../src/modules/catalogue/catalogue.repository.ts';
import { aFamily, agentAuth } from '../../test/support/builders.ts';
import { SESSION_COOKIE } from './session.ts';

export interface Credentials {
  email: string;
  password: string;
}

/**
 * The data every scenario starts from: households created by an agent as the town does (one
 * guardian, one child), each guardian's account activated with its code, ready to log in over HTTP.
 * Uses the test builders, so the data follows the app as it changes.
 */
export async function seedFamilies(ctx: AppContext, count: number): Promise<Credentials[]> {
  const agent = await agentAuth(ctx, ['admin']);
  const out: Credentials[] = [];
  for (let i = 1; i <= count; i++) {
    const family = await aFamily(ctx, agent, `Banc${i}`, { childFirstName: 'Noé' });
    out.push({ email: family.email, password: family.password });
  }
  return out;
}

// Generated households (search and opening day): deterministic, French names with accents.

const LAST = ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Müller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson', 'Nguyen', 'Diallo', 'Benali', 'Haddad', 'Traoré', 'Da Silva', 'Œuvray', 'Écuyer', 'Béranger', 'Lemaître', 'Hébert', 'Noël', 'Pérez', 'Benoît', 'Jérôme', 'Lévêque', 'Thiébaut'];
const FIRST = ['Léa', 'Emma', 'Chloé', 'Inès', 'Zoé', 'Maëlys', 'Éloïse', 'Hugo', 'Léo', 'Gabriel', 'Raphaël', 'Noé', 'Jules', 'Éthan', 'Amina', 'Karim', 'Sébastien', 'Hélène', 'François', 'Anaïs', 'Camille', 'Mathéo', 'Céline', 'Jérémy', 'Loïc', 'Gaëlle', 'Adèle', 'Timothée'];
const STREETS = ['rue Victor-Hugo', 'avenue Jean-Jaurès', 'place de l\'Église', 'rue des Écoles', 'chemin du Moulin', 'rue Émile-Zola', 'allée des Tilleuls', 'boulevard Léon-Blum', 'rue de la Gare', 'impasse des Rosiers'];
const CITIES = [['62160', 'Beauval'], ['62161', 'Saint-Éloi'], ['62162', 'Bully-lès-Mines']] as const;

/** ASCII, lower case, no spaces: the local part of a generated e-mail address. */
const mailPart = (s: string) => s.normalize('NFD').replace(/[^A-Za-z-]/g, '').toLowerCase();

export interface GeneratedHousehold {
  householdId: string;
  guardianId: string;
  childId: string;
  /** Set for the first `withAccounts` households: their guardian's active login. */
  userId?: string;
}

/**
 * Households with one guardian (and, one in three, a second one) and one or two children, inserted by
 * batches of 500 in one transaction per batch, straight into households / persons / household_members /
 * children / child_health, with `name` and `search` computed by the app's own functions
 * (householdName, householdSearchText) from the same values. The first `withAccounts` guardians get an
 * active login (users row with the given password hash, persons.user_id linked).
 */
export async function generateHouseholds(ctx: AppContext, count: number, options: { withAccounts?: number; passwordHash?: string } = {}): Promise<GeneratedHousehold[]> {
  const now = ctx.clock.now().toISOString();
  const made: GeneratedHousehold[] = [];
  const withAccounts = options.withAccounts ?? 0;
  if (withAccounts > 0 && !options.passwordHash) throw new Error('generateHouseholds : passwordHash requis pour créer des comptes');
  // Household numbers come from the app's counter: reserve a block of `count` of them.
  const firstNumber = await ctx.db.transaction().execute(async (tx) => {
    const first = await nextCounter(tx, 'household');
    await tx.updateTable('counters').set({ value: first + count - 1 }).where('name', '=', 'household').execute();
    return first;
  });
  for (let start = 0; start < count; start += 500) {
    const users: Insertable<UsersTable>[] = [];
    const households: Insertable<HouseholdsTable>[] = [];
    const persons: Insertable<PersonsTable>[] = [];
    const members: Insertable<HouseholdMembersTable>[] = [];
    const children: Insertable<ChildrenTable>[] = [];
    const health: Insertable<ChildHealthTable>[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const last = LAST[i % LAST.length];
      const first = FIRST[(i * 7) % FIRST.length];
      const id = newId();
      const [postcode, city] = CITIES[i % CITIES.length];
      const h = { reference: formatReference(firstNumber + i), address_line1: `${(i % 150) + 1} ${STREETS[(i * 3) % STREETS.length]}`, postcode, city };
      const person = (kind: 'adult' | 'child', firstName: string, lastName: string, n: number) => ({
        id: newId(), kind, first_name: firstName, last_name: lastName,
        email: kind === 'adult' ? `${mailPart(firstName)}.${mailPart(lastName)}.${i}${n ? `-${n}` : ''}@exemple.fr` : null,
        phone: kind === 'adult' ? `0${6 + n} ${String(10_000_000 + i * 37 + n).slice(-8).replace(/(\d\d)(?=\d)/g, '$1 ')}` : null,
        birth_date: kind === 'child' ? `201${6 + ((i + n) % 5)}-0${1 + ((i + n) % 9)}-1${(i + n) % 10}` : null,
        sex: kind === 'child' ? ((i + n) % 2 ? 'M' as const : 'F' as const) : null,
      });
      const guardian = person('adult', first, last, 0);
      const adults = [guardian];
      // One household in three has a second guardian with another last name.
      if (i % 3 === 0) adults.push(person('adult', FIRST[(i * 11 + 5) % FIRST.length], LAST[(i * 13 + 7) % LAST.length], 1));
      const kids = [person('child', FIRST[(i * 3 + 1) % FIRST.length], last, 0)];
      if (i % 2 === 0) kids.push(person('child', FIRST[(i * 5 + 2) % FIRST.length], last, 1));
      let userId: string | undefined;
      if (i < withAccounts) {
        userId = newId();
        users.push({ id: userId, email: guardian.email, password_hash: options.passwordHash!, first_name: guardian.first_name, last_name: guardian.last_name, phone: guardian.phone, kind: 'guardian', status: 'active', roles: '', email_verified_at: now, last_login_at: null, created_at: now, updated_at: now });
      }
      // Members in the order membersOf reads them back does not matter for the text; the name uses the guardians.
      const all = [...adults, ...kids];
      households.push({ id, ...h, external_ref: null, name: householdName(adults.map((a) => a.last_name), last), address_line2: null, payer_person_id: guardian.id, search: householdSearchText({ ...h, members: all }), archived_at: null, anonymised_at: null, merged_into_id: null, created_at: now, updated_at: now });
      for (const p of all) persons.push({ ...p, user_id: p === guardian ? userId ?? null : null, search: '', created_at: now, updated_at: now });
      for (const a of adults) members.push({ household_id: id, person_id: a.id, role: 'guardian', relationship: a === guardian ? 'Mère' : 'Père', created_at: now });
      for (const k of kids) {
        members.push({ household_id: id, person_id: k.id, role: 'child', relationship: null, created_at: now });
        children.push({ person_id: k.id, school: null, class_level: null, diet: 'standard', photo_allowed: 0, may_leave_alone: 0, transport_allowed: 0 });
        health.push({ person_id: k.id, allergies: '', has_pai: 0, pai_description: '', doctor_name: '', doctor_phone: '', updated_at: now });
      }
      made.push({ householdId: id, guardianId: guardian.id, childId: kids[0].id, userId });
    }
    await ctx.db.transaction().execute(async (tx) => {
      // At most 500 rows per statement (PostgreSQL allows 65,535 parameters per statement).
      const insert = async <T>(rows: T[], run: (slice: T[]) => Promise<unknown>) => {
        for (let k = 0; k < rows.length; k += 500) await run(rows.slice(k, k + 500));
      };
      if (users.length) await insert(users, (s) => tx.insertInto('users').values(s).execute());
      await insert(households, (s) => tx.insertInto('households').values(s).execute());
      await insert(persons, (s) => tx.insertInto('persons').values(s).execute());
      await insert(members, (s) => tx.insertInto('household_members').values(s).execute());
      await insert(children, (s) => tx.insertInto('children').values(s).execute());
      await insert(health, (s) => tx.insertInto('child_health').values(s).execute());
    });
  }
  return made;
}

export const csrfFor = (secretKey: string, token: string) => hmac(secretKey, `csrf:s:${sha256(token)}`);

/**
 * Sessions straight into the table, as a login would create them (id = SHA-256 of the cookie token),
 * by batches of 500. Returns the cookie and the CSRF token the server expects for each.
 */
export async function insertSessions(ctx: AppContext, userIds: string[]): Promise<{ cookie: string; csrf: string }[]> {
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const out: { cookie: string; csrf: string }[] = [];
  const rows = userIds.map((userId) => {
    const token = randomToken();
    out.push({ cookie: `${SESSION_COOKIE}=${token}`, csrf: csrfFor(ctx.config.secretKey, token) });
    return { id: sha256(token), user_id: userId, created_at: now.toISOString(), last_seen_at: now.toISOString(), expires_at: expires, acting_household_id: null };
  });
  for (let i = 0; i < rows.length; i += 500) await ctx.db.insertInto('sessions').values(rows.slice(i, i + 500)).execute();
  return out;
}

/** An active agent with the given roles and a session: its Auth (for in-process calls) and its cookie. */
export async function agentWithSession(ctx: AppContext, roles: AgentRole[]) {
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.insertInto('users').values({ id, email: `agent.banc.${id.slice(-8)}@mairie.fr`, password_hash: null, first_name: 'Agent', last_name: 'Banc', phone: null, kind: 'agent', status: 'active', roles: roles.join(','), email_verified_at: now, last_login_at: null, created_at: now, updated_at: now }).execute();
  const [session] = await insertSessions(ctx, [id]);
  const auth: Auth = { sessionId: 'bench', actingHouseholdId: null, actingLabel: null, guardianOf: null, user: { id, email: null, firstName: 'Agent', lastName: 'Banc', kind: 'agent', status: 'active', roles } };
  return { auth, ...session };
}

export interface OpeningDaySetup {
  unitId: string;
  capacity: number;
  /** The days of the rush (closed loop): the first week of the holidays, 25 December excepted. */
  days: string[];
  /** The days of the arrivals at a steady rate (open loop): the second week, 1 January excepted. */
  secondWeek: string[];
  month: string;
  /** One per household: session cookie, CSRF token, the enrolled child. */
  families: { cookie: string; csrf: string; childId: string }[];
}

/**
 * Opening day: a leisure centre's holiday service (unit « Journée avec repas », `capacity` places a day
 * for its one group), the Christmas holidays 2026-12-21..2027-01-01 open for booking since this morning,
 * a deadline the day before at 18:00; each of the given households has its first child enrolled
 * (accepted) and its guardian a session. Modelled on test/support/catalogue.ts (aService, anAcceptedEnrolment).
 */
export async function seedOpeningDay(ctx: AppContext, households: GeneratedHousehold[], capacity: number): Promise<OpeningDaySetup> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const rule = { kind: 'days_before', days: 1, working: false, time: '18:00' } as const;
  const { unitId, serviceId, groupId, schoolYearId } = await ctx.db.transaction().execute(async (tx) => {
    const facilityId = await cat.insertFacility(tx, { name: 'Centre de loisirs des Tilleuls', kind: 'leisure_centre' }, now);
    const groupId = await cat.insertGroup(tx, { facilityId, name: 'Élémentaire' });
    const serviceId = await cat.insertService(tx, { facilityId, kind: 'holiday', name: 'Centre de loisirs – vacances', weekdays: [1, 2, 3, 4, 5], bookingRule: rule, cancellationRule: rule }, now);
    const unitId = await cat.insertUnit(tx, { serviceId, label: 'Journée avec repas', isMeal: true });
    await cat.setCapacity(tx, unitId, groupId, capacity);
    const schoolYearId = await cat.insertSchoolYear(tx, { label: '2026-2027', start: '2026-09-01', end: '2027-07-03' });
    await cat.insertPeriod(tx, { schoolYearId, kind: 'school', label: 'Période 2', start: '2026-11-02', end: '2026-12-18' });
    await cat.insertPeriod(tx, { schoolYearId, kind: 'holiday', label: 'Vacances de Noël', start: '2026-12-21', end: '2027-01-01', bookingOpensAt: new Date(now.getTime() - 3_600_000).toISOString(), allocation: 'fcfs', requestsCloseAt: null });
    return { unitId, serviceId, groupId, schoolYearId };
  });
  await ctx.db.transaction().execute(async (tx) => {
    for (let i = 0; i < households.length; i += 500) {
      const slice = households.slice(i, i + 500).map((h) => ({ ...h, requestId: newId() }));
      await tx.insertInto('requests').values(slice.map((h, k) => ({ id: h.requestId, reference: `D-${String(i + k + 1).padStart(6, '0')}`, type: 'enrolment', household_id: h.householdId, subject_person_id: h.childId, status: 'accepted', summary: 'Inscription (banc)', created_at: at, updated_at: at }))).execute();
      await tx.insertInto('enrolments').values(slice.map((h) => ({ id: newId(), request_id: h.requestId, child_person_id: h.childId, service_id: serviceId, school_year_id: schoolYearId, group_id: groupId, status: 'accepted' as const, created_at: at }))).execute();
    }
  });
  const sessions = await insertSessions(ctx, households.map((h) => h.userId!));
  // 25 December and 1 January are public holidays (closed).
  return { unitId, capacity, days: ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24'], secondWeek: ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31'], month: '2026-12', families: sessions.map((s, i) => ({ ...s, childId: households[i].childId })) };
}

export { hashPassword };
