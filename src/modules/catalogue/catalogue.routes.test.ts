import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { insertSchoolListItem } from '../households/households.repository.ts';
import { bookingsService } from '../bookings/bookings.service.ts';
import * as cat from './catalogue.repository.ts';

const BASE = '/agent/catalogue';
const CLOSED_DAY = '2026-12-03'; // a Thursday of the canteen

const rules = {
  booking_type: 'days_before',
  booking_days: '2',
  booking_working: 'oui',
  booking_time: '12:00',
  cancellation_type: 'weekday_previous_week',
  cancellation_weekday: '4',
  cancellation_time: '18h',
};

for (const engine of testEngines()) {
  describe(`catalogue, back office (${engine})`, () => {
    let t: TestApp;
    let enfance: { id: string; email: string; password: string };
    let canteen: Awaited<ReturnType<typeof aService>>;
    let holiday: Awaited<ReturnType<typeof aService>>;
    let families: Awaited<ReturnType<typeof aFamily>>[];

    const agentClient = async () => {
      const c = new TestClient(t.app);
      await c.login(enfance.email, enfance.password);
      return c;
    };
    const count = async (table: 'facilities' | 'groups' | 'services' | 'units' | 'periods' | 'closures') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' }); // Saturday 11:00 in Paris
      for (const [i, level] of ['PS', 'MS', 'GS', 'CP'].entries()) await insertSchoolListItem(t.ctx.db, 'class_level', level, i);
      enfance = await anAgent(t.ctx, ['enfance']);
      const auth = await agentAuth(t.ctx, ['enfance']);
      // The first call creates the 2026-2027 year with a Christmas period collected on requests until 1 December 12:00.
      canteen = await aService(t.ctx, { places: 10, allocation: 'draw', requestsCloseAt: '2026-12-01T11:00:00.000Z', holidayOpensAt: '2026-11-20T07:30:00.000Z' });
      holiday = await aService(t.ctx, { kind: 'holiday', places: 5 });
      families = [await aFamily(t.ctx, auth, 'Martin'), await aFamily(t.ctx, auth, 'Bernard'), await aFamily(t.ctx, auth, 'Petit')];
      for (const f of families) await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, canteen);
      await anAcceptedEnrolment(t.ctx, families[0].householdId, families[0].childId, holiday);
    });
    after(() => t.close());

    test('a facility, then a group, then a service with its deadline rules, a unit and a capacity', async () => {
      const agent = await agentClient();
      const overview = await agent.get(BASE);
      assert.equal(overview.status, 200);
      assert.match(overview.body, /href="\/agent\/catalogue" class="nav__link" aria-current="page">Catalogue/);

      await agent.get(`${BASE}/structures/nouvelle`);
      const created = await agent.post(`${BASE}/structures/nouvelle`, { name: 'École des Tilleuls', kind: 'school', address: '3 rue des Tilleuls' });
      assert.equal(created.status, 303);
      const facility = await t.ctx.db.selectFrom('facilities').selectAll().where('name', '=', 'École des Tilleuls').executeTakeFirstOrThrow();
      assert.equal(facility.kind, 'school');

      await agent.get(`${BASE}/structures/${facility.id}/groupes/nouveau`);
      const group = await agent.post(`${BASE}/structures/${facility.id}/groupes/nouveau`, { name: 'Maternelle', levels: ['PS', 'MS'] });
      assert.equal(group.status, 303);
      const groupRow = await t.ctx.db.selectFrom('groups').selectAll().where('facility_id', '=', facility.id).executeTakeFirstOrThrow();
      assert.equal(groupRow.class_levels, 'PS,MS');
      assert.equal(group.location, `${BASE}/groupes/${groupRow.id}`);

      await agent.get(`${BASE}/prestations/nouvelle?structure=${facility.id}`);
      const service = await agent.post(`${BASE}/prestations/nouvelle`, { facility: facility.id, kind: 'evening', name: 'Accueil du soir', weekdays: ['1', '2', '4', '5'], levels: ['PS'], min_age: '3', max_age: '', ...rules });
      assert.equal(service.status, 303);
      const row = await t.ctx.db.selectFrom('services').selectAll().where('facility_id', '=', facility.id).executeTakeFirstOrThrow();
      assert.equal(row.weekdays, '1,2,4,5');
      assert.equal(row.class_levels, 'PS');
      assert.equal(row.min_age, 3);
      assert.equal(row.max_age, null);
      assert.deepEqual(JSON.parse(row.booking_rule), { kind: 'days_before', days: 2, working: true, time: '12:00' });
      assert.deepEqual(JSON.parse(row.cancellation_rule), { kind: 'weekday_previous_week', weekday: 4, time: '18:00' });
      const page = textOf((await agent.get(service.location!)).body);
      assert.match(page, /Délai de réservation Jusqu'à 2 jours ouvrés avant, à 12 h/);
      assert.match(page, /Délai d'annulation Jusqu'au jeudi de la semaine précédente, 18 h/);

      await agent.get(`${BASE}/prestations/${row.id}/unites/nouvelle`);
      assert.equal((await agent.post(`${BASE}/prestations/${row.id}/unites/nouvelle`, { label: 'Soir', is_meal: 'non' })).status, 303);
      const unit = await t.ctx.db.selectFrom('units').selectAll().where('service_id', '=', row.id).executeTakeFirstOrThrow();
      assert.equal(unit.is_meal, 0);

      const field = `c_${unit.id}_${groupRow.id}`;
      await agent.get(`${BASE}/prestations/${row.id}/capacites`);
      const bad = await agent.post(`${BASE}/prestations/${row.id}/capacites`, { [field]: 'vingt' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /saisissez un nombre de places entier/);
      assert.match(bad.body, /value="vingt"/);
      assert.equal((await agent.post(`${BASE}/prestations/${row.id}/capacites`, { [field]: '24' })).status, 303);
      const capacity = () => t.ctx.db.selectFrom('capacities').select('places').where('unit_id', '=', unit.id).where('group_id', '=', groupRow.id).executeTakeFirst();
      assert.equal((await capacity())?.places, 24);
      assert.match(textOf((await agent.get(`${BASE}/prestations/${row.id}`)).body), /Soir 24 places/);
      await agent.get(`${BASE}/prestations/${row.id}/capacites`);
      assert.equal((await agent.post(`${BASE}/prestations/${row.id}/capacites`, { [field]: '' })).status, 303);
      assert.equal((await capacity())?.places, null);
      assert.match(textOf((await agent.get(`${BASE}/prestations/${row.id}`)).body), /Soir Illimité/);

      const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_type', '=', 'catalogue').execute();
      assert.deepEqual(
        [...new Set(audit.map((a) => a.action))].sort(),
        ['catalogue.capacities.updated', 'catalogue.facility.created', 'catalogue.group.created', 'catalogue.service.created', 'catalogue.unit.created'],
      );
    });

    test('the town declares which units of a service do not combine; one unit alone or a foreign id is refused with 400', async () => {
      const agent = await agentClient();
      const service = await aService(t.ctx, { kind: 'holiday' });
      const morning = await cat.insertUnit(t.ctx.db, { serviceId: service.serviceId, label: 'Matinée sans repas', isMeal: false, position: 1 });
      const evening = await cat.insertUnit(t.ctx.db, { serviceId: service.serviceId, label: 'Soirée', isMeal: false, position: 2 });
      const groups = async () => Object.fromEntries((await t.ctx.db.selectFrom('units').select(['id', 'exclusion_group']).where('service_id', '=', service.serviceId).execute()).map((u) => [u.id, u.exclusion_group]));
      const url = `${BASE}/prestations/${service.serviceId}/cumuls`;

      const page = await agent.get(url);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Unités qui ne se cumulent pas/);
      const alone = await agent.post(url, { exclusive: [service.unitId] });
      assert.equal(alone.status, 400);
      assert.match(textOf(alone.body), /cochez au moins deux unités, ou aucune/);
      assert.match(alone.body, new RegExp(`value="${service.unitId}" checked`));
      assert.equal((await agent.post(url, { exclusive: [service.unitId, canteen.unitId] })).status, 400);
      assert.equal((await agent.post(url, { exclusive: [service.unitId, 'pas-un-id'] })).status, 400);
      assert.deepEqual(await groups(), { [service.unitId]: null, [morning]: null, [evening]: null });

      await agent.get(url);
      assert.equal((await agent.post(url, { exclusive: [service.unitId, morning] })).status, 303);
      assert.deepEqual(await groups(), { [service.unitId]: 1, [morning]: 1, [evening]: null });
      assert.match(textOf((await agent.get(`${BASE}/prestations/${service.serviceId}`)).body), /« Journée avec repas » et « Matinée sans repas » : une seule par jour et par enfant/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'catalogue.units.exclusive').execute();
      assert.match(audit.at(-1)!.summary, /Journée avec repas, Matinée sans repas/);

      await agent.get(url);
      assert.equal((await agent.post(url, {})).status, 303);
      assert.deepEqual(await groups(), { [service.unitId]: null, [morning]: null, [evening]: null });
    });

    test('a bad time or no weekday re-renders the form with 400, French messages and the values kept; nothing changes', async () => {
      const agent = await agentClient();
      const before = await count('services');
      const auditBefore = (await t.ctx.db.selectFrom('audit_log').select('id').execute()).length;
      await agent.get(`${BASE}/prestations/nouvelle`);
      const res = await agent.post(`${BASE}/prestations/nouvelle`, { facility: canteen.facilityId, kind: 'morning', name: 'Accueil du matin', levels: ['GS'], ...rules, booking_time: '25:00' });
      assert.equal(res.status, 400);
      const text = textOf(res.body);
      assert.match(text, /Il y a un problème/);
      assert.match(res.body, /<title>Erreur : /);
      assert.match(text, /Choisissez au moins un jour d'ouverture/);
      assert.match(text, /Saisissez une heure limite de réservation valide, entre 0 h et 23 h 59/);
      assert.match(res.body, /value="Accueil du matin"/);
      assert.match(res.body, /value="25:00"/);
      assert.match(res.body, /value="GS" checked/);
      assert.equal(await count('services'), before);
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').execute()).length, auditBefore);

      await agent.get(`${BASE}/structures/${canteen.facilityId}/groupes/nouveau`);
      const group = await agent.post(`${BASE}/structures/${canteen.facilityId}/groupes/nouveau`, { name: '  ', levels: ['CP'] });
      assert.equal(group.status, 400);
      assert.match(textOf(group.body), /Saisissez le nom du groupe/);
      assert.match(group.body, /value="CP" checked/);
    });

    test('a period\'s opening is typed in Paris time and stored as the UTC instant, in summer and in winter', async () => {
      const agent = await agentClient();
      await agent.get(`${BASE}/annees/nouvelle`);
      const year = await agent.post(`${BASE}/annees/nouvelle`, { label: '2027-2028', start: '2027-09-01', end: '2028-08-31' });
      assert.equal(year.status, 303);
      const yearId = year.location!.split('/').pop()!;
      const url = `${BASE}/annees/${yearId}/periodes/nouvelle`;

      await agent.get(url);
      const winter = await agent.post(url, { kind: 'holiday', label: 'Vacances d\'hiver', start: '2028-02-14', end: '2028-02-25', opens_date: '2027-12-01', opens_time: '08:30', allocation: 'fcfs' });
      assert.equal(winter.status, 303);
      const summer = await agent.post(url, { kind: 'holiday', label: 'Vacances d\'été', start: '2028-07-10', end: '2028-08-25', opens_date: '2028-06-01', opens_time: '8:30', allocation: 'draw', close_date: '2028-06-15', close_time: '18:00' });
      assert.equal(summer.status, 303);
      const rows = await t.ctx.db.selectFrom('periods').selectAll().where('school_year_id', '=', yearId).orderBy('start_date').execute();
      assert.deepEqual(
        rows.map((p) => [p.label, p.booking_opens_at, p.allocation, p.requests_close_at]),
        [
          ['Vacances d\'hiver', '2027-12-01T07:30:00.000Z', 'fcfs', null],
          ['Vacances d\'été', '2028-06-01T06:30:00.000Z', 'draw', '2028-06-15T16:00:00.000Z'],
        ],
      );
      // The edit form shows the Paris time again.
      const edit = await agent.get(`${BASE}/periodes/${rows[1].id}/modifier`);
      assert.match(edit.body, /name="opens_time" type="text" value="08:30"/);
      assert.match(edit.body, /name="close_time" type="text" value="18:00"/);

      const before = await count('periods');
      const bad = await agent.post(url, { kind: 'holiday', label: 'Pont', start: '2028-05-10', end: '2028-05-09', opens_date: '2028-04-01', opens_time: '25:00', allocation: 'draw' });
      assert.equal(bad.status, 400);
      const text = textOf(bad.body);
      assert.match(text, /Le dernier jour doit être le premier jour ou après/);
      assert.match(text, /Saisissez une heure d'ouverture des réservations valide/);
      assert.match(text, /Saisissez la date de clôture des demandes/);
      assert.match(bad.body, /value="Pont"/);
      const outside = await agent.post(url, { kind: 'school', label: 'Hors année', start: '2028-09-04', end: '2028-10-20', allocation: 'fcfs' });
      assert.equal(outside.status, 400);
      assert.match(textOf(outside.body), /La période doit commencer pendant l'année scolaire 2027-2028/);
      assert.equal(await count('periods'), before);

      const calendar = textOf((await agent.get(`${BASE}/annees/${yearId}`)).body);
      assert.match(calendar, /Vacances d'hiver/);
      assert.match(calendar, /lundi 1er mai 2028 Fête du Travail/);
    });

    test('closing a day: a check page says what will be cancelled, then bookings are closed, places freed and families told', async () => {
      const auth = await agentAuth(t.ctx, ['enfance']);
      for (const f of families.slice(0, 2)) {
        const r = await bookingsService(t.ctx).applyAgentOverride(auth, f.householdId, { childId: f.childId, unitId: canteen.unitId, day: CLOSED_DAY, want: true });
        assert.equal(r.ok, true, r.code);
      }
      const slot = () => t.ctx.db.selectFrom('slots').selectAll().where('unit_id', '=', canteen.unitId).where('day', '=', CLOSED_DAY).executeTakeFirstOrThrow();
      assert.equal((await slot()).taken, 2);

      const agent = await agentClient();
      const form = `${BASE}/annees/${canteen.schoolYearId}/fermer`;
      await agent.get(form);
      const missing = await agent.post(form, { day: CLOSED_DAY, facility: canteen.facilityId, service: '', reason: '' });
      assert.equal(missing.status, 400);
      assert.match(textOf(missing.body), /Saisissez le motif de la fermeture/);
      const wrongService = await agent.post(form, { day: CLOSED_DAY, facility: canteen.facilityId, service: holiday.serviceId, reason: 'Grève' });
      assert.equal(wrongService.status, 400);

      const check = await agent.post(form, { day: CLOSED_DAY, facility: canteen.facilityId, service: canteen.serviceId, reason: 'Grève' });
      assert.equal(check.status, 200);
      const text = textOf(check.body);
      assert.match(text, /Vérifiez avant de fermer la journée/);
      assert.match(text, /jeudi 3 décembre 2026/);
      assert.match(text, /Réservations annulées 2 réservations, non facturées/);
      assert.match(text, /Familles prévenues 2 familles/);
      assert.equal(await count('closures'), 0, 'nothing changes before the confirmation');

      const done = await agent.post(`${form}/confirmer`, { day: CLOSED_DAY, facility: canteen.facilityId, service: canteen.serviceId, reason: 'Grève' });
      assert.equal(done.status, 303);
      assert.match(textOf((await agent.get(done.location!)).body), /2 réservations annulées, 2 familles prévenues/);
      const bookings = await t.ctx.db.selectFrom('bookings').select('status').where('day', '=', CLOSED_DAY).execute();
      assert.deepEqual(bookings.map((b) => b.status), ['closed', 'closed']);
      assert.equal((await slot()).taken, 0);
      const notices = await t.ctx.db.selectFrom('notices').select(['household_id', 'text']).where('text', 'like', '%Grève%').execute();
      assert.deepEqual(notices.map((n) => n.household_id).sort(), families.slice(0, 2).map((f) => f.householdId).sort());
      const calendar = textOf((await agent.get(`${BASE}/annees/${canteen.schoolYearId}`)).body);
      assert.match(calendar, /jeudi 3 décembre 2026 École \S+ Restauration scolaire Grève/);
    });

    test('a day already invoiced cannot be closed: its bookings are charged on an issued invoice', async () => {
      const service = await t.ctx.db.selectFrom('services').select('regie_id').where('id', '=', canteen.serviceId).executeTakeFirstOrThrow();
      await t.ctx.db.insertInto('billing_locks').values({ regie_id: service.regie_id!, month: '2026-10', run_id: 'run-test', locked_at: '2026-11-02T09:00:00.000Z' }).execute();
      const agent = await agentClient();
      const form = `${BASE}/annees/${canteen.schoolYearId}/fermer`;
      await agent.get(form);
      for (const url of [form, `${form}/confirmer`]) {
        const refused = await agent.post(url, { day: '2026-10-15', facility: canteen.facilityId, service: '', reason: 'Grève' });
        assert.equal(refused.status, 400);
        assert.match(textOf(refused.body), /Ce jour est déjà facturé : il ne peut plus être fermé/);
      }
      assert.equal(await t.ctx.db.selectFrom('closures').select('id').where('day', '=', '2026-10-15').executeTakeFirst(), undefined);
      // A month not invoiced can still be closed.
      assert.equal((await agent.post(form, { day: '2026-11-05', facility: canteen.facilityId, service: '', reason: 'Grève' })).status, 200);
    });

    test('assigning animators to a group', async () => {
      const anim = await anAgent(t.ctx, ['animateur']);
      const agent = await agentClient();
      const page = await agent.get(`${BASE}/groupes/${canteen.groupId}`);
      assert.match(page.body, new RegExp(`name="agents" type="checkbox" value="${anim.id}"`));
      assert.doesNotMatch(page.body, new RegExp(`value="${enfance.id}"`), 'only animators are listed');
      assert.equal((await agent.post(`${BASE}/groupes/${canteen.groupId}/animateurs`, { agents: [anim.id, enfance.id] })).status, 303);
      const assigned = () => t.ctx.db.selectFrom('agent_groups').select('user_id').where('group_id', '=', canteen.groupId).execute();
      assert.deepEqual((await assigned()).map((r) => r.user_id), [anim.id]);
      await agent.get(`${BASE}/groupes/${canteen.groupId}`);
      assert.equal((await agent.post(`${BASE}/groupes/${canteen.groupId}/animateurs`, {})).status, 303);
      assert.deepEqual(await assigned(), []);
    });

    test('roles: animateur, restauration and régie get 403; a visitor goes to the login page', async () => {
      for (const role of ['animateur', 'restauration', 'regie'] as const) {
        const someone = await anAgent(t.ctx, [role]);
        const c = new TestClient(t.app);
        await c.login(someone.email, someone.password);
        assert.equal((await c.get(BASE)).status, 403, role);
        assert.equal((await c.get(`${BASE}/structures/nouvelle`)).status, 403, role);
        assert.equal((await c.get(`${BASE}/annees/${canteen.schoolYearId}`)).status, 403, role);
        await c.get('/agent');
        const post = await c.post(`${BASE}/structures/nouvelle`, { name: 'Intrus', kind: 'school' });
        assert.equal(post.status, 403, role);
        assert.match(textOf(post.body), /Vous n'avez pas accès à cette page/, 'refused for the role, not for the form token');
        assert.equal((await c.post(`${BASE}/groupes/${canteen.groupId}/animateurs`, { agents: someone.id })).status, 403, role);
        assert.doesNotMatch((await c.get('/agent')).body, /href="\/agent\/catalogue"/);
      }
      assert.equal(await t.ctx.db.selectFrom('facilities').select('id').where('name', '=', 'Intrus').executeTakeFirst(), undefined);
      const visitor = await new TestClient(t.app).get(BASE);
      assert.equal(visitor.status, 303);
      assert.match(visitor.location!, /^\/connexion/);
    });

    test('the draw is refused before requests close, then allocates the requested places once', async () => {
      const period = await t.ctx.db.selectFrom('periods').selectAll().where('school_year_id', '=', canteen.schoolYearId).where('kind', '=', 'holiday').executeTakeFirstOrThrow();
      // A request for the first day of the Christmas holidays, collected before the draw.
      const [r] = await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, families[0].email), [{ childId: families[0].childId, unitId: holiday.unitId, day: '2026-12-21', want: true }]);
      assert.equal(r.code, 'requested');

      const agent = await agentClient();
      const page = textOf((await agent.get(`${BASE}/periodes/${period.id}`)).body);
      assert.doesNotMatch(page, /Attribuer les places \(tirage\)/);
      assert.match(page, /Les demandes sont recueillies jusqu'au mardi 1er décembre 2026 à 12 h/);
      const early = await agent.post(`${BASE}/periodes/${period.id}/tirage`);
      assert.equal(early.status, 409);
      assert.match(textOf(early.body), /Tirage impossible/);
      assert.equal((await t.ctx.db.selectFrom('periods').select('allocated_at').where('id', '=', period.id).executeTakeFirstOrThrow()).allocated_at, null);
      assert.equal((await t.ctx.db.selectFrom('bookings').select('status').where('day', '=', '2026-12-21').executeTakeFirstOrThrow()).status, 'requested');

      t.clock.set('2026-12-01T11:00:00Z'); // 12:00 in Paris: requests are closed
      const later = await agentClient();
      assert.match(textOf((await later.get(`${BASE}/periodes/${period.id}`)).body), /Attribuer les places \(tirage\)/);
      const drawn = await later.post(`${BASE}/periodes/${period.id}/tirage`);
      assert.equal(drawn.status, 303);
      assert.match(textOf((await later.get(drawn.location!)).body), /Tirage effectué : 1 place attribuée, 0 demande en liste d'attente/);
      assert.notEqual((await t.ctx.db.selectFrom('periods').select('allocated_at').where('id', '=', period.id).executeTakeFirstOrThrow()).allocated_at, null);
      assert.equal((await t.ctx.db.selectFrom('bookings').select('status').where('day', '=', '2026-12-21').executeTakeFirstOrThrow()).status, 'booked');
      const again = await later.post(`${BASE}/periodes/${period.id}/tirage`);
      assert.equal(again.status, 409);
      assert.match(textOf(again.body), /déjà été attribuées/);
    });

    test('extreme dates are refused at once, and a year saved before the bounds still draws its calendar fast', async () => {
      const agent = await agentClient();
      await agent.get(`${BASE}/annees/nouvelle`);
      const cases = [
        { label: '0000-9999', start: '0000-01-01', end: '9999-12-31' },
        { label: '2026-9999', start: '2026-09-01', end: '9999-12-31' },
        { label: '2026-2028', start: '2026-09-01', end: '2027-10-02' }, // 13 months and a day
        { label: '2027-02-30', start: '2026-09-01', end: '2027-02-30' },
      ];
      for (const c of cases) {
        const started = performance.now();
        const res = await agent.post(`${BASE}/annees/nouvelle`, c);
        assert.equal(res.status, 400, c.label);
        assert.ok(performance.now() - started < 500, `${c.label} answered in ${performance.now() - started} ms`);
      }
      assert.match(textOf((await agent.post(`${BASE}/annees/nouvelle`, cases[2])).body), /Une année scolaire dure au plus 13 mois/);
      assert.equal((await agent.post(`${BASE}/annees/nouvelle`, { label: '2030-2031', start: '2030-09-01', end: '2031-07-05' })).status, 303);
      // Period dates outside 2000–2099 are refused too.
      await agent.get(`${BASE}/annees/${canteen.schoolYearId}/periodes/nouvelle`);
      assert.equal((await agent.post(`${BASE}/annees/${canteen.schoolYearId}/periodes/nouvelle`, { kind: 'holiday', label: 'Longue', start: '2026-09-01', end: '9999-12-31', allocation: 'fcfs' })).status, 400);
      // A year typed before the bounds existed: its calendar page answers in a few milliseconds of work.
      const legacy = await cat.insertSchoolYear(t.ctx.db, { label: 'ancienne', start: '2026-09-01', end: '9999-12-31' });
      const started = performance.now();
      const page = await agent.get(`${BASE}/annees/${legacy}`);
      assert.equal(page.status, 200);
      assert.ok(performance.now() - started < 500, `calendar in ${performance.now() - started} ms`);
      // Malformed input: a missing body, a field sent twice, an unknown id.
      assert.equal((await agent.post(`${BASE}/annees/nouvelle`, { label: ['a', 'b'], start: '2030-09-01', end: '2031-07-05' })).status, 400);
      assert.equal((await agent.get(`${BASE}/annees/pas-un-id`)).status, 404);
      assert.equal((await agent.get(`${BASE}/periodes/00000000-0000-7000-8000-000000000000`)).status, 404);
    });
  });
}
