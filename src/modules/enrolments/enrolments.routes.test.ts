import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import * as cat from '../catalogue/catalogue.repository.ts';
import { acceptedEnrolments } from '../bookings/bookings.repository.ts';
import { aSchoolCatalogue, enrolThroughForm } from './enrolments.fixtures.ts';
import { enrolmentRequestHandler, enrolmentsService } from './enrolments.service.ts';
import { requestsService } from '../requests/requests.service.ts';

for (const engine of testEngines()) {
  describe(`inscriptions aux services (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let c: Awaited<ReturnType<typeof aSchoolCatalogue>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;

    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const statusOf = async (requestId: string) => {
      const [r, e] = await Promise.all([
        t.ctx.db.selectFrom('requests').select('status').where('id', '=', requestId).executeTakeFirstOrThrow(),
        t.ctx.db.selectFrom('enrolments').select(['status', 'group_id']).where('request_id', '=', requestId).executeTakeFirstOrThrow(),
      ]);
      return { request: r.status, enrolment: e.status, group: e.group_id };
    };

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const town = await agentAuth(t.ctx, ['enfance']);
      c = await aSchoolCatalogue(t.ctx);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      // Léa is a girl in CE1; Noé Bernard's class is not known yet.
      await t.ctx.db.updateTable('persons').set({ sex: 'F' }).where('id', '=', a.childId).execute();
      await t.ctx.db.updateTable('children').set({ class_level: 'CE1' }).where('person_id', '=', a.childId).execute();
      agent = await anAgent(t.ctx, ['enfance']);
    });
    after(() => t.close());

    test('a guardian enrols a child page by page, checks the answers, gets a reference and sees the request as « Déposée »', async () => {
      const parent = await loggedIn(a);
      const first = await parent.get('/inscriptions/nouvelle');
      assert.equal(first.status, 200);
      assert.match(textOf(first.body), /Quel enfant voulez-vous inscrire \?/);
      assert.match(first.body, new RegExp(`value="${a.childId}"`));
      assert.doesNotMatch(first.body, new RegExp(b.childId), 'only the household\'s children');

      const none = await parent.get('/inscriptions/nouvelle?continuer=1');
      assert.equal(none.status, 400);
      assert.match(textOf(none.body), /Erreur : .*Choisissez l'enfant à inscrire/);

      const toYear = await parent.get(`/inscriptions/nouvelle?enfant=${a.childId}&continuer=1`);
      assert.equal(toYear.status, 303);
      assert.match(toYear.location!, /^\/inscriptions\/nouvelle\/annee\?/);
      const yearPage = textOf((await parent.get(toYear.location!)).body);
      assert.match(yearPage, /2026-2027/);
      assert.match(yearPage, /2027-2028/);
      assert.doesNotMatch(yearPage, /2025-2026/, 'a year that is over is not offered');

      const toService = await parent.get(`/inscriptions/nouvelle/annee?enfant=${a.childId}&annee=${c.year26}&continuer=1`);
      assert.equal(toService.status, 303);
      const servicePage = await parent.get(toService.location!);
      const services = textOf(servicePage.body);
      assert.match(services, /À quel service voulez-vous inscrire Léa \?/);
      assert.match(services, /Restauration scolaire – École Jules-Ferry/);
      assert.doesNotMatch(services, /Accueil du matin maternelle/, 'a service for other class levels is not offered');

      const toCheck = await parent.get(`/inscriptions/nouvelle/service?enfant=${a.childId}&annee=${c.year26}&service=${c.canteenId}&continuer=1`);
      assert.equal(toCheck.status, 303);
      assert.match(toCheck.location!, /^\/inscriptions\/nouvelle\/verifier\?/);
      const check = await parent.get(toCheck.location!);
      const checkText = textOf(check.body);
      assert.match(checkText, /Vérifiez vos réponses/);
      assert.match(checkText, /Enfant Léa Martin Modifier l'enfant/);
      assert.match(checkText, /Service Restauration scolaire – École Jules-Ferry Modifier le service/);
      assert.match(checkText, /Année scolaire 2026-2027/);
      // « Modifier » goes back to the question and then straight back to this page.
      const changeLink = /href="(\/inscriptions\/nouvelle\/annee\?[^"]*verifier=1)"/.exec(check.body)?.[1].replace(/&amp;/g, '&');
      assert.ok(changeLink);
      const back = await parent.get(`${changeLink}&annee=${c.year27}&continuer=1`.replace(`annee=${c.year26}&`, ''));
      assert.equal(back.status, 303);
      assert.match(back.location!, /^\/inscriptions\/nouvelle\/verifier\?.*annee=/);
      assert.match(textOf((await parent.get(back.location!)).body), /Année scolaire 2027-2028/);

      await parent.get(toCheck.location!);
      const sent = await parent.post('/inscriptions/nouvelle', { enfant: a.childId, service: c.canteenId, annee: c.year26 });
      assert.equal(sent.status, 303);
      const confirmation = textOf((await parent.get(sent.location!)).body);
      const reference = /D-2026-\d{6}/.exec(confirmation)?.[0];
      assert.ok(reference, 'the confirmation shows the reference');
      assert.match(confirmation, /Demande envoyée/);
      assert.match(confirmation, /Et ensuite \?/);

      const list = textOf((await parent.get('/demandes')).body);
      assert.match(list, new RegExp(`${reference} Inscription de Léa à Restauration scolaire – École Jules-Ferry \\(2026-2027\\) .* Déposée`));
      const requestId = sent.location!.split('/').pop()!;
      assert.deepEqual(await statusOf(requestId), { request: 'submitted', enrolment: 'submitted', group: null });
      const ack = await t.ctx.db.selectFrom('outbox').select('subject').where('to_address', '=', a.email).where('subject', 'like', `%${reference}%`).execute();
      assert.equal(ack.length, 1, 'an acknowledgement is sent');
      assert.deepEqual(await acceptedEnrolments(t.ctx.db, [a.childId]), [], 'nothing to book before acceptance');
    });

    test('the same child, service and year twice is refused in plain French and changes nothing', async () => {
      const parent = await loggedIn(a);
      const answers = { enfant: a.childId, service: c.canteenId, annee: c.year27 };
      await enrolThroughForm(parent, answers);
      const count = async () => Number((await t.ctx.db.selectFrom('requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      await parent.get('/demandes');
      const again = await parent.post('/inscriptions/nouvelle', answers);
      assert.equal(again.status, 409);
      assert.match(textOf(again.body), /Léa est déjà inscrite ou a déjà une demande pour ce service cette année/);
      assert.equal(await count(), before);
    });

    test('another household\'s child or request answers 404; a visitor goes to the login page', async () => {
      const parentB = await loggedIn(b);
      const requestOfB = await enrolThroughForm(parentB, { enfant: b.childId, service: c.canteenId, annee: c.year26 });
      const parent = await loggedIn(a);
      assert.equal((await parent.get(`/inscriptions/nouvelle?enfant=${b.childId}&continuer=1`)).status, 404);
      assert.equal((await parent.get(`/inscriptions/nouvelle/verifier?enfant=${b.childId}&service=${c.canteenId}&annee=${c.year26}`)).status, 404);
      await parent.get('/demandes');
      assert.equal((await parent.post('/inscriptions/nouvelle', { enfant: b.childId, service: c.canteenId, annee: c.year27 })).status, 404);
      assert.equal((await parent.get(`/demandes/${requestOfB}`)).status, 404);
      assert.equal((await parent.get(`/inscriptions/confirmation/${requestOfB}`)).status, 404);
      assert.equal((await parent.get('/demandes/pas-un-id')).status, 404);
      const visitor = new TestClient(t.app);
      const res = await visitor.get('/inscriptions/nouvelle');
      assert.equal(res.status, 303);
      assert.match(res.location!, /^\/connexion/);
    });

    test('an agent accepts two enrolments at once: the family sees each step, the child gets a group, notice and e-mail go out', async () => {
      const parentA = await loggedIn(a);
      const parentB = await loggedIn(b);
      const r1 = await enrolThroughForm(parentA, { enfant: a.childId, service: c.canteenId, annee: c.year26 }).catch(async () => {
        // Already filed by the first test: take that one.
        const row = await t.ctx.db.selectFrom('enrolments').select('request_id').where('child_person_id', '=', a.childId).where('school_year_id', '=', c.year26).executeTakeFirstOrThrow();
        return row.request_id;
      });
      const r2 = await enrolThroughForm(parentB, { enfant: b.childId, service: c.canteenId, annee: c.year27 });

      const town = await loggedIn(agent);
      const queue = await town.get('/agent/inscriptions');
      assert.equal(queue.status, 200);
      assert.match(queue.body, new RegExp(`name="ids" value="${r1}"`));
      assert.match(queue.body, new RegExp(`name="ids" value="${r2}"`));
      const accepted = await town.post('/agent/inscriptions', { ids: [r1, r2], action: 'accepted', motif: '', statut: 'a-traiter' });
      assert.equal(accepted.status, 303);
      assert.match(textOf((await town.get(accepted.location!)).body), /2 demandes acceptées/);

      // Léa (CE1) goes to « Élémentaire »; Noé, whose class is unknown, to the facility's first group.
      assert.deepEqual(await statusOf(r1), { request: 'accepted', enrolment: 'accepted', group: c.elementaireId });
      assert.deepEqual(await statusOf(r2), { request: 'accepted', enrolment: 'accepted', group: c.maternelleId });
      const steps = await t.ctx.db.selectFrom('request_events').select(['from_status', 'to_status', 'actor_id']).where('request_id', '=', r1).orderBy('at').orderBy('id').execute();
      assert.deepEqual(steps.map((s) => `${s.from_status ?? ''}>${s.to_status}`), ['>submitted', 'submitted>in_review', 'in_review>accepted']);
      assert.equal(steps[2].actor_id, agent.id);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('target_type', '=', 'household').where('target_id', '=', a.householdId).where('action', '=', 'request.status_changed').execute();
      assert.equal(audit.length, 2, 'one audit row per step');

      const page = textOf((await parentA.get(`/demandes/${r1}`)).body);
      assert.match(page, /Acceptée le samedi 28 novembre 2026 à 11 h, par Agent Numéro\d+ \(agent\)/);
      assert.match(page, /En instruction le samedi 28 novembre 2026 à 11 h/);
      assert.match(page, /Groupe Élémentaire/);
      assert.match(textOf((await parentA.get('/demandes')).body), /Acceptée/);

      const notices = await t.ctx.db.selectFrom('notices').select('text').where('household_id', '=', a.householdId).execute();
      assert.ok(notices.some((n) => /est maintenant « Acceptée »/.test(n.text)));
      const mails = await t.ctx.db.selectFrom('outbox').select(['subject', 'text_body']).where('to_address', '=', b.email).where('subject', 'like', '%acceptée%').execute();
      assert.equal(mails.length, 1);
      assert.match(mails[0].text_body, new RegExp(`/demandes/${r2}`));
      assert.equal((await acceptedEnrolments(t.ctx.db, [a.childId])).length, 1, 'the accepted enrolment opens bookings');

      // Accepting again changes nothing and says why.
      await town.get('/agent/inscriptions?statut=toutes');
      const twice = await town.post('/agent/inscriptions', { ids: [r1], action: 'accepted', statut: 'toutes' });
      assert.match(textOf((await town.get(twice.location!)).body), /D-2026-\d{6} non modifiée : elle est déjà dans cet état \(« acceptée »\)/);
      const again = await enrolmentsService(t.ctx, requestsService(t.ctx, { enrolment: enrolmentRequestHandler })).decide(await agentAuth(t.ctx, ['enfance']), [r1], 'accepted', null);
      assert.deepEqual(again.map((r) => [r.ok, r.ok ? null : r.code, r.status]), [[false, 'already', 'accepted']]);
      // Malformed input is a 400, never a 500: an id that is not one, a field sent twice, no body.
      await town.get('/agent/inscriptions');
      assert.equal((await town.post('/agent/inscriptions', { ids: ['pas-un-id'], action: 'accepted' })).status, 400);
      assert.equal((await town.post('/agent/inscriptions', { ids: [r1], action: ['accepted', 'refused'] })).status, 400);
      assert.equal((await town.post('/agent/inscriptions', { ids: [r1], action: 'accepted', page: ['1', '2'] })).status, 400);
    });

    test('a refusal needs a reason: without one nothing changes; with one the family reads it', async () => {
      const parentB = await loggedIn(b);
      const r = await enrolThroughForm(parentB, { enfant: b.childId, service: c.morningId, annee: c.year26 });
      const town = await loggedIn(agent);
      await town.get('/agent/inscriptions');
      const noReason = await town.post('/agent/inscriptions', { ids: [r], action: 'refused', motif: '  ', statut: 'a-traiter' });
      assert.equal(noReason.status, 400);
      assert.match(textOf(noReason.body), /Indiquez le motif du refus/);
      assert.match(noReason.body, new RegExp(`value="${r}" id="[^"]+" checked`), 'the selection is kept');
      assert.deepEqual(await statusOf(r), { request: 'submitted', enrolment: 'submitted', group: null });
      assert.equal((await t.ctx.db.selectFrom('request_events').select('id').where('request_id', '=', r).execute()).length, 1);

      const nothing = await town.post('/agent/inscriptions', { action: 'in_review', statut: 'a-traiter' });
      assert.equal(nothing.status, 400);
      assert.match(textOf(nothing.body), /Cochez au moins une demande/);

      const refused = await town.post('/agent/inscriptions', { ids: [r], action: 'refused', motif: 'Service réservé aux enfants de maternelle', statut: 'a-traiter' });
      assert.equal(refused.status, 303);
      assert.deepEqual(await statusOf(r), { request: 'refused', enrolment: 'refused', group: null });
      const page = textOf((await parentB.get(`/demandes/${r}`)).body);
      assert.match(page, /Refusée le samedi 28 novembre 2026 à 11 h, par Agent Numéro\d+ \(agent\) Motif : Service réservé aux enfants de maternelle/);
    });

    test('only the services of the child\'s school and age are offered; one already had or asked for is shown as such and refused with its code if sent anyway', async () => {
      const now = t.ctx.clock.now();
      const RULE = { kind: 'days_before', days: 2, working: true, time: '12:00' } as const;
      const other = await t.ctx.db.transaction().execute(async (tx) => {
        const curie = await cat.insertFacility(tx, { name: 'École Marie-Curie', kind: 'school' }, now);
        const curieCanteen = await cat.insertService(tx, { facilityId: curie, kind: 'canteen', name: 'Cantine Marie-Curie', weekdays: [1, 2, 4, 5], bookingRule: RULE, cancellationRule: RULE }, now);
        const centre = await cat.insertFacility(tx, { name: 'Centre de loisirs Les Tilleuls', kind: 'leisure_centre' }, now);
        const wednesdays = await cat.insertService(tx, { facilityId: centre, kind: 'wednesday', name: 'Mercredis aux Tilleuls', weekdays: [3], minAge: 3, maxAge: 11, bookingRule: RULE, cancellationRule: RULE }, now);
        const teens = await cat.insertService(tx, { facilityId: centre, kind: 'holiday', name: 'Vacances des grands', weekdays: [1, 2, 3, 4, 5], minAge: 12, maxAge: 17, bookingRule: RULE, cancellationRule: RULE }, now);
        return { curieCanteen, wednesdays, teens };
      });
      const town = await agentAuth(t.ctx, ['enfance']);
      const d = await aFamily(t.ctx, town, 'Durand', { childFirstName: 'Hugo' });
      // Hugo, 5, in grande section at Jules-Ferry (written as people type it): its canteen, not Marie-Curie's.
      await t.ctx.db.updateTable('children').set({ school: 'ecole jules ferry', class_level: 'GS' }).where('person_id', '=', d.childId).execute();
      await t.ctx.db.updateTable('persons').set({ sex: 'M', birth_date: '2021-10-02' }).where('id', '=', d.childId).execute();
      const parent = await loggedIn(d);
      const step = (q: string) => parent.get(`/inscriptions/nouvelle/service?enfant=${d.childId}&annee=${c.year26}${q}`);
      const offered = textOf((await step('')).body);
      assert.match(offered, /Restauration scolaire – École Jules-Ferry/);
      assert.match(offered, /Accueil du matin maternelle – École Jules-Ferry/);
      assert.match(offered, /Mercredis aux Tilleuls – Centre de loisirs Les Tilleuls/, 'a leisure centre takes every school\'s children');
      assert.doesNotMatch(offered, /Cantine Marie-Curie/, 'another school\'s service is not offered');
      assert.doesNotMatch(offered, /Vacances des grands/, 'a service for older children is not offered');
      assert.doesNotMatch(offered, /déjà demandés/);

      await enrolThroughForm(parent, { enfant: d.childId, service: c.canteenId, annee: c.year26 });
      const wednesdayRequest = await enrolThroughForm(parent, { enfant: d.childId, service: other.wednesdays, annee: c.year26 });
      await t.ctx.db.updateTable('enrolments').set({ status: 'accepted' }).where('request_id', '=', wednesdayRequest).execute();
      const page = await step('');
      const after = textOf(page.body);
      assert.match(after, /Services déjà demandés pour 2026-2027 Mercredis aux Tilleuls – Centre de loisirs Les Tilleuls : Déjà inscrit Restauration scolaire – École Jules-Ferry : Demande envoyée le samedi 28 novembre 2026 /);
      assert.doesNotMatch(page.body, new RegExp(`name="service" type="radio" value="${c.canteenId}"`), 'not selectable');
      assert.doesNotMatch(page.body, new RegExp(`name="service" type="radio" value="${other.wednesdays}"`), 'not selectable');
      assert.match(page.body, new RegExp(`name="service" type="radio" value="${c.morningId}"`), 'the others still are');
      // The other year is a different matter: the canteen is offered there.
      assert.match((await parent.get(`/inscriptions/nouvelle/service?enfant=${d.childId}&annee=${c.year27}`)).body, new RegExp(`name="service" type="radio" value="${c.canteenId}"`));

      const chosenAnyway = await step(`&service=${c.canteenId}&continuer=1`);
      assert.equal(chosenAnyway.status, 400);
      assert.match(textOf(chosenAnyway.body), /Hugo est déjà inscrit ou a déjà une demande pour ce service cette année/);
      assert.equal((await parent.get(`/inscriptions/nouvelle/verifier?enfant=${d.childId}&annee=${c.year26}&service=${c.canteenId}`)).location, `/inscriptions/nouvelle/service?enfant=${d.childId}&service=${c.canteenId}&annee=${c.year26}&verifier=1`);
      const actor = await familyActorOf(t.ctx, d.email);
      const service = enrolmentsService(t.ctx, requestsService(t.ctx, { enrolment: enrolmentRequestHandler }));
      const posted = await service.submit(actor, { enfant: d.childId, service: other.wednesdays, annee: c.year26 });
      assert.deepEqual(posted, { ok: false, code: 'duplicate' });
      await parent.get('/demandes');
      const refused = await parent.post('/inscriptions/nouvelle', { enfant: d.childId, service: c.canteenId, annee: c.year26 });
      assert.equal(refused.status, 409);
      assert.match(textOf(refused.body), /Hugo est déjà inscrit ou a déjà une demande pour ce service cette année/);
      const notOffered = await service.submit(actor, { enfant: d.childId, service: other.curieCanteen, annee: c.year26 });
      assert.deepEqual(notOffered, { ok: false, code: 'no_service' });
    });

    test('the calendar tells the family why a service is missing for a child, with the enrolment flow prefilled', async () => {
      const town = await agentAuth(t.ctx, ['enfance']);
      const f = await aFamily(t.ctx, town, 'Petit', { childFirstName: 'Jade' });
      await t.ctx.db.updateTable('children').set({ school: 'École Jules-Ferry', class_level: 'CM1' }).where('person_id', '=', f.childId).execute();
      await t.ctx.db.updateTable('persons').set({ sex: 'F', birth_date: '2017-02-02' }).where('id', '=', f.childId).execute();
      const parent = await loggedIn(f);
      await enrolThroughForm(parent, { enfant: f.childId, service: c.canteenId, annee: c.year26 });
      const page = await parent.get('/reservations');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      // The canteen is asked for; the morning care is for maternelle; the Wednesdays of the leisure centres are not asked for.
      assert.match(text, /Services auxquels vos enfants ne sont pas inscrits Jade n'est inscrite à aucun accueil du mercredi\. Inscrivez Jade aux mercredis/);
      assert.doesNotMatch(text, /aucune cantine|accueil du matin/);
      const link = /href="(\/inscriptions\/nouvelle\/service\?[^"]+)">Inscrivez Jade aux mercredis/.exec(page.body)?.[1].replace(/&amp;/g, '&');
      assert.ok(link);
      assert.match(link, new RegExp(`enfant=${f.childId}`));
      assert.match(link, new RegExp(`annee=${c.year26}`));
      const step = await parent.get(link);
      assert.equal(step.status, 200);
      assert.match(textOf(step.body), /À quel service voulez-vous inscrire Jade \?.*Mercredis/);
    });

    test('the queue filters by status and service; an animateur cannot reach it', async () => {
      const town = await loggedIn(agent);
      const refusedOnly = textOf((await town.get(`/agent/inscriptions?statut=refused&service=${c.morningId}`)).body);
      assert.match(refusedOnly, /1 demande\b/);
      assert.match(refusedOnly, /Accueil du matin maternelle/);
      const animateur = await anAgent(t.ctx, ['animateur']);
      const other = await loggedIn(animateur);
      assert.equal((await other.get('/agent/inscriptions')).status, 403);
      await other.get('/agent');
      assert.equal((await other.post('/agent/inscriptions', { ids: [], action: 'accepted' })).status, 403);
    });
  });
}
