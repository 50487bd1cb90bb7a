import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import * as cat from '../catalogue/catalogue.repository.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { monthPlace, placeOf, weekPlace } from './bookings.navigation.domain.ts';

describe('navigation du calendrier : rien au-delà des périodes ouvertes', () => {
  // Two periods with a gap (the summer) between them.
  const spans = [
    { start_date: '2027-01-04', end_date: '2027-07-02' },
    { start_date: '2027-09-01', end_date: '2027-12-17' },
  ];
  test('a week inside: previous and next weeks, no link before the first nor after the last period', () => {
    assert.deepEqual(weekPlace(spans, '2027-03-10'), { monday: '2027-03-08', inside: true, before: '2027-03-07', after: '2027-03-15', nearest: null, prev: '2027-03-01', next: '2027-03-15' });
    const first = weekPlace(spans, '2027-01-06');
    assert.equal(first.prev, null);
    assert.equal(first.next, '2027-01-11');
    assert.equal(weekPlace(spans, '2027-12-15').next, null);
  });
  test('the links jump over weeks and months no period meets; a page in the gap points to the closest period', () => {
    assert.equal(weekPlace(spans, '2027-06-30').next, '2027-08-30', 'the week of 1 September');
    assert.equal(weekPlace(spans, '2027-09-01').prev, '2027-06-28', 'the week of 2 July');
    assert.deepEqual([monthPlace(spans, '2027-07').next, monthPlace(spans, '2027-09').prev], ['2027-09', '2027-07']);
    assert.equal(monthPlace(spans, '2027-08').inside, false);
    assert.equal(monthPlace(spans, '2027-08').nearest, '2027-09-01', 'a tie goes to the period ahead');
    assert.equal(weekPlace(spans, '2027-07-12').nearest, '2027-07-02');
    assert.equal(weekPlace(spans, '2031-03-03').nearest, '2027-12-17');
    assert.equal(weekPlace(spans, '2026-06-01').nearest, '2027-01-04');
    assert.deepEqual(placeOf([], '2027-01-04', '2027-01-10'), { inside: false, before: null, after: null, nearest: null });
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The week form as the page drew it: every displayed day with what it was, the boxes ticked and the choices made. */
function weekForm(html: string) {
  const form = /<form method="post" action="\/reservations"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? assert.fail('pas de formulaire');
  const affiche = [...form.matchAll(/name="affiche" value="([^"]+)"/g)].map((m) => m[1]);
  const ticked = [...form.matchAll(/<input[^>]*type="(?:checkbox|radio)"[^>]*>/g)].filter((m) => /\bchecked\b/.test(m[0]));
  const fields: Record<string, string[]> = { semaine: [/name="semaine" value="([^"]+)"/.exec(form)![1]], affiche, reserve: [] };
  for (const [tag] of ticked) {
    const name = /name="([^"]+)"/.exec(tag)![1];
    (fields[name] ??= []).push(/value="([^"]+)"/.exec(tag)![1]);
  }
  return fields;
}
const boxes = (html: string) => [...html.matchAll(/<input[^>]*type="checkbox"[^>]*>/g)].map((m) => /value="([^"]+)"/.exec(m[0])![1]);

for (const engine of testEngines()) {
  describe(`réservations à la semaine, pour tous les enfants du foyer (${engine})`, () => {
    let t: TestApp;
    let martin: Awaited<ReturnType<typeof aFamily>>;
    let other: Awaited<ReturnType<typeof aFamily>>;
    let hugo: string;
    let canteen: Awaited<ReturnType<typeof aService>>;
    let wednesday: Awaited<ReturnType<typeof aService>>;
    let morning: string;
    const NEXT_WEEK = ['2026-12-07', '2026-12-08', '2026-12-10', '2026-12-11'];
    const key = (childId: string, unitId: string, day: string) => `${childId}|${unitId}|${day}`;
    const booked = async (childId: string, unitId: string) =>
      (await t.ctx.db.selectFrom('bookings').select('day').where('child_person_id', '=', childId).where('unit_id', '=', unitId).where('status', '=', 'booked').where('day', '>=', '2026-12-07').where('day', '<=', '2026-12-13').orderBy('day').execute()).map((r) => r.day);

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-01T10:00:00Z' }); // Tuesday 1 December, 11:00 in Paris
      const agent = await agentAuth(t.ctx, ['enfance']);
      canteen = await aService(t.ctx, { places: 10 });
      wednesday = await aService(t.ctx, { kind: 'wednesday', weekdays: [3], places: 10 });
      await t.ctx.db.updateTable('services').set({ name: 'Centre de loisirs du mercredi' }).where('id', '=', wednesday.serviceId).execute();
      await cat.updateUnit(t.ctx.db, wednesday.unitId, { label: 'Journée avec repas', isMeal: true });
      morning = await cat.insertUnit(t.ctx.db, { serviceId: wednesday.serviceId, label: 'Matinée sans repas', isMeal: false, position: 1 });
      await cat.setExclusionGroup(t.ctx.db, wednesday.serviceId, [wednesday.unitId, morning]);
      martin = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      other = await aFamily(t.ctx, agent, 'Bernard');
      const households = householdsAgentService(t.ctx);
      await households.addChild(agent, martin.householdId, { first_name: 'Hugo', last_name: 'Martin', birth_date: '2020-03-02', sex: 'M', school: null, class_level: null });
      hugo = (await households.get(agent, martin.householdId)).members.find((m) => m.first_name === 'Hugo')!.id;
      for (const child of [martin.childId, hugo]) await anAcceptedEnrolment(t.ctx, martin.householdId, child, canteen);
      await anAcceptedEnrolment(t.ctx, martin.householdId, hugo, wednesday);
      await anAcceptedEnrolment(t.ctx, other.householdId, other.childId, canteen);
    });
    after(() => t.close());

    async function parent() {
      const c = new TestClient(t.app);
      await c.login(martin.email, martin.password);
      return c;
    }

    test('a day of the week is taken to its Monday; each day lists both children with their state and deadline', async () => {
      const c = await parent();
      const page = await c.get('/reservations/semaine?du=2026-12-09');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /semaine du lundi 7 décembre 2026/);
      for (const d of ['Lundi 7 décembre', 'Mardi 8 décembre', 'Mercredi 9 décembre', 'Jeudi 10 décembre', 'Vendredi 11 décembre']) assert.match(text, new RegExp(d));
      assert.doesNotMatch(text, /Samedi|Dimanche/, 'no unit runs at weekends');
      // One form for the household: eight canteen boxes (two children, four days), Hugo's Wednesday as a choice.
      assert.equal((page.body.match(/<form method="post" action="\/reservations"[^>]*>/g) ?? []).length, 1);
      assert.deepEqual(boxes(page.body).sort(), [martin.childId, hugo].flatMap((child) => NEXT_WEEK.map((d) => key(child, canteen.unitId, d))).sort());
      assert.match(page.body, /<label for="w-[^"]+" class="wk__label"><span aria-hidden="true">Léa, restauration scolaire, repas<\/span><span class="visually-hidden">Léa, lundi 7 décembre, restauration scolaire, repas<\/span><\/label>/);
      assert.match(text, /Non réservé\s*,?\s*modifiable jusqu'au jeudi 3 décembre, 12 h/);
      assert.match(page.body, /aria-describedby="w-[^"]+-d"/);
      assert.doesNotMatch(text, /Hugo, centre de loisirs du mercredi, journée avec repas : Pas d'accueil/, 'no line for a unit that does not run that weekday');
      assert.match(text, /Hugo, mercredi 9 décembre : centre de loisirs du mercredi\s*Journée avec repas\s*Non réservé.*\s*Matinée sans repas\s*Non réservé.*\s*Aucune/);
      assert.equal((page.body.match(new RegExp(`type="radio"[^>]*name="choix-${hugo}-2026-12-09"`, 'g')) ?? []).length, 3);
      // The way back to the month, the date jump and the neighbouring weeks.
      assert.match(page.body, /href="\/reservations\?mois=2026-12">Voir le mois/);
      assert.match(page.body, /<form method="get" action="\/reservations\/semaine"/);
      assert.match(page.body, /href="\/reservations\/semaine\?du=2026-11-30">Semaine précédente/);
      assert.match(page.body, /href="\/reservations\/semaine\?du=2026-12-14">Semaine suivante/);
      // This week's deadline is today at 12:00: said as people say it.
      assert.match(textOf((await c.get('/reservations/semaine?du=2026-12-03')).body), /Jeudi 3 décembre[\s\S]*modifiable aujourd'hui avant 12 h/);
      // The month page offers the week, and the week the month.
      assert.match((await c.get('/reservations?mois=2026-12')).body, /href="\/reservations\/semaine\?du=2026-11-30">Voir par semaine/);
    });

    test('one form books next week for both children, the message lists what was booked; unticking two days asks first', async () => {
      const c = await parent();
      const page = await c.get('/reservations/semaine?du=2026-12-07');
      const form = weekForm(page.body);
      const saved = await c.post('/reservations', { ...form, reserve: boxes(page.body) });
      assert.equal(saved.status, 303);
      assert.equal(saved.location, '/reservations/semaine?du=2026-12-07');
      assert.deepEqual(await booked(martin.childId, canteen.unitId), NEXT_WEEK);
      assert.deepEqual(await booked(hugo, canteen.unitId), NEXT_WEEK);
      const back = textOf((await c.get(saved.location)).body);
      assert.match(back, /Réservé : Léa le lundi 7 décembre, le mardi 8 décembre, le jeudi 10 décembre, le vendredi 11 décembre ; Hugo le lundi 7 décembre, le mardi 8 décembre, le jeudi 10 décembre, le vendredi 11 décembre\./);

      const again = await c.get('/reservations/semaine?du=2026-12-07');
      const drawn = weekForm(again.body);
      assert.equal(drawn.reserve.length, 8, 'the booked days are ticked');
      const untick = [key(martin.childId, canteen.unitId, '2026-12-08'), key(hugo, canteen.unitId, '2026-12-11')];
      const summary = await c.post('/reservations', { ...drawn, reserve: drawn.reserve.filter((k) => !untick.includes(k)) });
      assert.equal(summary.status, 200);
      assert.match(textOf(summary.body), /Vous allez annuler 2 jours :\s*Léa, mardi 8 décembre, restauration scolaire, repas\s*Hugo, vendredi 11 décembre, restauration scolaire, repas/);
      assert.match(summary.body, /href="\/reservations\/semaine\?du=2026-12-07"[^>]*>Revenir sans rien changer/);
      assert.equal((await booked(martin.childId, canteen.unitId)).length, 4, 'nothing cancelled before « Confirmer »');
      const fields: Record<string, string[]> = {};
      for (const m of summary.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) if (m[1] !== '_csrf') (fields[m[1]] ??= []).push(m[2]);
      const done = await c.post('/reservations', { ...fields, confirme: 'oui' });
      assert.equal(done.status, 303);
      assert.equal(done.location, '/reservations/semaine?du=2026-12-07');
      assert.match(textOf((await c.get(done.location)).body), /Annulé : Léa le mardi 8 décembre ; Hugo le vendredi 11 décembre\./);
      assert.deepEqual(await booked(martin.childId, canteen.unitId), ['2026-12-07', '2026-12-10', '2026-12-11']);
      assert.deepEqual(await booked(hugo, canteen.unitId), ['2026-12-07', '2026-12-08', '2026-12-10']);
    });

    test('units that exclude each other are one choice: picking one books it, picking the other swaps them after a summary', async () => {
      const c = await parent();
      const choice = `choix-${hugo}-2026-12-09`;
      const page = await c.get('/reservations/semaine?du=2026-12-07');
      const form = weekForm(page.body);
      assert.deepEqual(form[choice], ['aucune']);
      const saved = await c.post('/reservations', { ...form, [choice]: key(hugo, morning, '2026-12-09') });
      assert.equal(saved.status, 303);
      assert.deepEqual(await booked(hugo, morning), ['2026-12-09']);

      const swap = weekForm((await c.get('/reservations/semaine?du=2026-12-07')).body);
      assert.deepEqual(swap[choice], [key(hugo, morning, '2026-12-09')], 'the booked unit is the one chosen');
      const summary = await c.post('/reservations', { ...swap, [choice]: key(hugo, wednesday.unitId, '2026-12-09') });
      assert.equal(summary.status, 200);
      assert.match(textOf(summary.body), /Vous allez annuler 1 jour :\s*Hugo, mercredi 9 décembre, centre de loisirs du mercredi, matinée sans repas\s*Vous allez réserver 1 jour :\s*Hugo, mercredi 9 décembre, centre de loisirs du mercredi, journée avec repas/);
      const fields: Record<string, string[]> = {};
      for (const m of summary.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) if (m[1] !== '_csrf') (fields[m[1]] ??= []).push(m[2]);
      assert.equal((await c.post('/reservations', { ...fields, confirme: 'oui' })).status, 303);
      assert.deepEqual([await booked(hugo, wednesday.unitId), await booked(hugo, morning)], [['2026-12-09'], []]);

      // Both units sent at once (a form not drawn by the page): the server's rule refuses the second, with its reason.
      // (The first of a form is the first the page displays: « Journée avec repas ».)
      const both = weekForm((await c.get('/reservations/semaine?du=2026-12-14')).body);
      const refused = await c.post('/reservations', { ...both, [choice.replace('2026-12-09', '2026-12-16')]: key(hugo, wednesday.unitId, '2026-12-16'), reserve: [key(hugo, morning, '2026-12-16')] });
      assert.equal(refused.status, 409);
      assert.match(textOf(refused.body), /Réservé \(1 jour\)\s*Hugo, mercredi 16 décembre \(centre de loisirs du mercredi, journée avec repas\)\s*Pas possible \(1 jour\)\s*Hugo, mercredi 16 décembre \(centre de loisirs du mercredi, matinée sans repas\) : Déjà « Journée avec repas » ce jour-là : les deux ne se cumulent pas/);
      // A choice that is not a day of the calendar is a malformed form.
      assert.equal((await c.post('/reservations', { ...both, [choice]: 'n-importe-quoi' })).status, 400);
    });

    test('navigation stays inside the opened periods; a week or month outside says there is nothing to book and where to go', async () => {
      const c = await parent();
      const first = await c.get('/reservations/semaine?du=2026-11-04');
      assert.doesNotMatch(first.body, /Semaine précédente/);
      assert.match(first.body, /Semaine suivante/);
      const last = await c.get('/reservations/semaine?du=2027-02-12');
      assert.match(last.body, /Semaine précédente/);
      assert.doesNotMatch(last.body, /Semaine suivante/);
      assert.doesNotMatch((await c.get('/reservations?mois=2026-11')).body, /Mois précédent/);
      const february = await c.get('/reservations?mois=2027-02');
      assert.match(february.body, /href="\/reservations\?mois=2027-01">Mois précédent/);
      assert.doesNotMatch(february.body, /Mois suivant/);

      const farMonth = await c.get('/reservations?mois=2031-03');
      assert.equal(farMonth.status, 200);
      assert.match(textOf(farMonth.body), /Rien à réserver en mars 2031\s*La mairie n'a pas ouvert les réservations pour ces dates\. Les périodes ouvertes vont du lundi 2 novembre 2026 au vendredi 12 février 2027\./);
      assert.doesNotMatch(farMonth.body, /Vacances scolaires/);
      assert.match(farMonth.body, /href="\/reservations\?mois=2027-02"[^>]*>Aller à la période ouverte la plus proche : février 2027/);
      const farWeek = await c.get('/reservations/semaine?du=2031-03-03');
      assert.match(textOf(farWeek.body), new RegExp(escape('Rien à réserver la semaine du lundi 3 mars 2031')));
      assert.match(farWeek.body, /href="\/reservations\/semaine\?du=2027-02-08"[^>]*>Aller à la période ouverte la plus proche : semaine du lundi 8 février 2027/);
      assert.match((await c.get('/reservations/semaine?du=2026-09-07')).body, /href="\/reservations\/semaine\?du=2026-11-02"/);
      // « Aller à la date » sent empty: this week.
      assert.match(textOf((await c.get('/reservations/semaine?du=')).body), /semaine du lundi 30 novembre 2026/);
    });

    test('a malformed date is a 400 page in French; another household cannot be booked; visitors are sent to the login page', async () => {
      const c = await parent();
      for (const [du, words] of [['2026-02-30', /Cette date n'existe pas/], ['demain', /Date invalide/], ['9999-12-31', /Date invalide/]] as const) {
        const res = await c.get(`/reservations/semaine?du=${du}`);
        assert.equal(res.status, 400, du);
        assert.match(textOf(res.body), words);
      }
      const bad = await c.post('/reservations', { semaine: '2026-13-01', affiche: [], reserve: [] });
      assert.equal(bad.status, 400);
      const stranger = key(other.childId, canteen.unitId, '2026-12-14');
      assert.equal((await c.post('/reservations', { semaine: '2026-12-14', affiche: `${stranger}|none`, reserve: stranger })).status, 404);
      assert.match((await new TestClient(t.app).get('/reservations/semaine')).location ?? '', /^\/connexion/);
    });
  });
}
