import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { AppContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { insertNotice } from '../../platform/notices/notices.repository.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { familyService } from '../households/households.family-service.ts';
import { bookingsService } from '../bookings/bookings.service.ts';
import { catalogueService } from '../catalogue/catalogue.service.ts';
import { homeService } from './home.service.ts';

const count = (text: string, s: string) => text.split(s).length - 1;

/** An enrolment request still waiting for the service. */
async function aPendingEnrolment(ctx: AppContext, householdId: string, childId: string, service: { serviceId: string; schoolYearId: string }) {
  const now = ctx.clock.now().toISOString();
  const requestId = newId();
  await ctx.db.insertInto('requests').values({ id: requestId, reference: `T-${requestId.slice(-8)}`, type: 'enrolment', household_id: householdId, subject_person_id: childId, status: 'submitted', summary: 'Inscription (test)', created_at: now, updated_at: now }).execute();
  await ctx.db.insertInto('enrolments').values({ id: newId(), request_id: requestId, child_person_id: childId, service_id: service.serviceId, school_year_id: service.schoolYearId, group_id: null, status: 'submitted', created_at: now }).execute();
}

/**
 * Household A (Léa and Hugo): the Christmas holidays open in 3 days and are given by draw; Léa has
 * the canteen on Thursdays and next Thursday's deadline closes this week; Hugo's canteen enrolment
 * is pending; one notice. Household B: nothing pending (one notice of its own). The clock is
 * Wednesday 2 December 2026, 12 h 30 in Paris.
 */
for (const engine of testEngines()) {
  describe(`family home page (${engine})`, () => {
    let t: TestApp;
    let auth: Auth;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let hugo: string;
    let holiday: Awaited<ReturnType<typeof aService>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      auth = await agentAuth(t.ctx, ['enfance']);
      holiday = await aService(t.ctx, { kind: 'holiday', holidayOpensAt: '2026-12-05T07:00:00.000Z', allocation: 'draw', requestsCloseAt: '2026-12-11T11:00:00.000Z' });
      const canteen = await aService(t.ctx, { kind: 'canteen' });
      a = await aFamily(t.ctx, auth, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, auth, 'Bernard', { childFirstName: 'Zoé' });
      const agents = householdsAgentService(t.ctx);
      await agents.addChild(auth, a.householdId, { first_name: 'Hugo', last_name: 'Martin', birth_date: '2019-03-02', sex: 'M', school: null, class_level: null });
      hugo = (await agents.get(auth, a.householdId)).members.find((m) => m.first_name === 'Hugo')!.id;
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, canteen);
      await anAcceptedEnrolment(t.ctx, a.householdId, hugo, holiday);
      await aPendingEnrolment(t.ctx, a.householdId, hugo, canteen);
      await anAcceptedEnrolment(t.ctx, b.householdId, b.childId, canteen);
      // Léa has the canteen on Thursday 3 December (booked on Saturday 28 November, before its deadline).
      const booked = await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, a.email), [{ childId: a.childId, unitId: canteen.unitId, day: '2026-12-03', want: true }]);
      assert.equal(booked[0]?.ok, true, JSON.stringify(booked));
      // B books every canteen day up to the horizon: nothing to remind.
      const bDays = ['2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-10', '2026-12-11', '2026-12-14', '2026-12-15', '2026-12-17', '2026-12-18'];
      await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, b.email), bDays.map((day) => ({ childId: b.childId, unitId: canteen.unitId, day, want: true })));
      await insertNotice(t.ctx.db, a.householdId, 'L\'accueil du soir ferme à 18 h le vendredi 18 décembre.', t.clock.now());
      await insertNotice(t.ctx.db, b.householdId, 'Message pour le foyer Bernard seulement.', t.clock.now());
      t.clock.set('2026-12-02T11:30:00Z');
    });
    after(() => t.close());

    test('each item appears once, as a sentence with its link; « Cette semaine » says what is booked', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const page = await parent.get('/famille');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      for (const sentence of [
        'Les demandes de réservation des vacances de Noël ouvrent le samedi 5 décembre à 8 h.',
        'Tirage au sort après la clôture des demandes, le vendredi 11 décembre, 12 h',
        'Réservez avant mardi 8 décembre, 12 h la cantine de Léa pour la semaine du 7 décembre.',
        'L\'inscription de Hugo à la cantine est envoyée',
        'L\'accueil du soir ferme à 18 h le vendredi 18 décembre.',
      ]) {
        assert.equal(count(text, sentence), 1, sentence);
      }
      assert.ok(text.indexOf('À faire') < text.indexOf('Réservez avant') && text.indexOf('À savoir') < text.indexOf('L\'inscription de Hugo'));
      // The opening (Saturday) is sooner than the deadline (Tuesday): it comes first.
      assert.ok(text.indexOf('ouvrent le samedi') < text.indexOf('Réservez avant'));
      assert.match(page.body, /href="\/reservations\/attribution-des-places"/);
      assert.match(page.body, /href="\/reservations\?mois=2026-12"/);
      assert.match(text, /Cette semaine \(du lundi 30 novembre au vendredi 4 décembre\)/);
      assert.match(text, /Jeudi 3 décembre : cantine/);
      assert.match(text, /Mercredi 2 décembre : rien de réservé/);
      assert.doesNotMatch(text, /Rien à faire/);
      // Another household's items never show.
      assert.doesNotMatch(text, /Zoé|Bernard/);
    });

    test('a household with nothing pending reads « Rien à faire pour le moment », and nothing of another household', async () => {
      const parent = new TestClient(t.app);
      await parent.login(b.email, b.password);
      const text = textOf((await parent.get('/famille')).body);
      assert.match(text, /Rien à faire pour le moment\./);
      assert.match(text, /Message pour le foyer Bernard seulement\./);
      assert.doesNotMatch(text, /Léa|Hugo|vacances de Noël|18 décembre/);
    });

    test('an agent at the counter sees the family\'s list', async () => {
      const enfance = await anAgent(t.ctx, ['enfance']);
      const agent = new TestClient(t.app);
      await agent.login(enfance.email, enfance.password);
      await agent.get(`/agent/foyers/${a.householdId}`);
      assert.equal((await agent.post(`/agent/foyers/${a.householdId}/accueil`)).status, 303);
      const text = textOf((await agent.get('/famille')).body);
      assert.match(text, /Mode accueil/);
      assert.equal(count(text, 'Réservez avant mardi 8 décembre, 12 h la cantine de Léa pour la semaine du 7 décembre.'), 1);
    });

    test('the calendar page explains the opening and the draw; the rule text is a page', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const text = textOf((await parent.get('/reservations?mois=2026-12')).body);
      assert.equal(count(text, 'Les demandes de réservation des vacances de Noël ouvrent le samedi 5 décembre à 8 h.'), 1);
      assert.match(text, /les enfants scolarisés dans la commune passent en premier, puis l'ordre est tiré au sort ; chaque jour est tiré séparément\./);
      const rules = await parent.get('/reservations/attribution-des-places');
      assert.equal(rules.status, 200);
      assert.match(textOf(rules.body), /Premier arrivé, premier servi/);
      // B is not enrolled for the holidays: nothing to explain.
      const other = new TestClient(t.app);
      await other.login(b.email, b.password);
      assert.doesNotMatch(textOf((await other.get('/reservations?mois=2026-12')).body), /vacances de Noël/);
    });

    test('the home page reads a bounded number of queries', async () => {
      let queries = 0;
      const counter: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: (args) => (queries++, Promise.resolve(args.result)) };
      const counted = { ...t.ctx, db: t.ctx.db.withPlugin(counter) };
      const home = homeService(counted, familyService(counted), bookingsService(counted));
      const result = await home.home(await familyActorOf(t.ctx, a.email));
      assert.ok(result.lists.todo.length >= 2);
      const forTwo = queries;
      queries = 0;
      await home.home(await familyActorOf(t.ctx, b.email));
      // Overview 5, calendar 6 (7 with a waiting day), period notes 3 (5 after a draw), requests 1,
      // enrolments 1: the same for one child or two, whatever the days and requests.
      assert.equal(queries, forTwo, 'as many queries for one child as for two');
      assert.ok(forTwo <= 19, `${forTwo} queries`);
      console.log(`home page: ${forTwo} queries (${engine})`);
    });

    test('after the draw: what each child obtained, said once', async () => {
      t.clock.set('2026-12-05T09:00:00Z');
      const asked = await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, a.email), [{ childId: hugo, unitId: holiday.unitId, day: '2026-12-21', want: true }]);
      assert.equal(asked[0]?.ok && asked[0].code, 'requested', JSON.stringify(asked));
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      assert.match(textOf((await parent.get('/famille')).body), /Les demandes de réservation des vacances de Noël sont ouvertes jusqu'au vendredi 11 décembre, 12 h\./);
      t.clock.set('2026-12-11T11:05:00Z');
      const drawn = await catalogueService(t.ctx, bookingsService(t.ctx)).draw(auth, (await t.ctx.db.selectFrom('periods').select('id').where('label', '=', 'Vacances de Noël').executeTakeFirstOrThrow()).id);
      assert.equal(drawn.ok, true);
      await parent.login(a.email, a.password); // six days later: a new session
      const text = textOf((await parent.get('/famille')).body);
      assert.equal(count(text, 'Le tirage au sort des vacances de Noël a eu lieu le vendredi 11 décembre.'), 1);
      assert.equal(count(text, 'Hugo : place obtenue le lundi 21 décembre.'), 1, 'the result once: the draw\'s notice is not repeated');
      // The calendar shows it in its « Ouvertures et tirages au sort » section (its « Derniers messages » keep the draw's notice).
      const notes = /<section class="period-notes"[\s\S]*?<\/section>/.exec((await parent.get('/reservations?mois=2026-12')).body)?.[0] ?? '';
      assert.equal(count(textOf(notes), 'Hugo : place obtenue le lundi 21 décembre.'), 1);
    });
  });
}
