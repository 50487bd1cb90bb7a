import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';
import { assignAgentToGroup } from '../../src/modules/catalogue/catalogue.repository.ts';
import { bookingsService } from '../../src/modules/bookings/bookings.service.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * The life of a booking, in the browser, on the app's injected clock:
 * Tuesday 1 December 2026 at 11:00 in Paris (10:00 UTC). The canteen runs Monday, Tuesday, Thursday
 * and Friday; a day is booked or cancelled until two working days before, at 12:00.
 */
const TUESDAY_1ST_11H = '2026-12-01T10:00:00Z';
const TUESDAY_1ST_12H30 = '2026-12-01T11:30:00Z';
const THURSDAY_3RD_8H30 = '2026-12-03T07:30:00Z';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A day's checkbox in the month calendar, found by the words of its label (the state follows them). */
const dayBox = (page: Page, words: string) => page.getByRole('checkbox', { name: new RegExp(`^${escape(words)}\\b`) });
const main = (page: Page) => page.locator('main').innerText();

describe('parcours navigateur des réservations : inscription, semaine type, délais, pointage et cuisine, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;
  let s: Awaited<ReturnType<typeof aService>>;
  let facilityName: string;
  let martin: Awaited<ReturnType<typeof aFamily>>;
  let moreau: Awaited<ReturnType<typeof aFamily>>;
  let petit: Awaited<ReturnType<typeof aFamily>>;
  let garcia: Awaited<ReturnType<typeof aFamily>>;
  let enfance: Awaited<ReturnType<typeof anAgent>>;
  let animateur: Awaited<ReturnType<typeof anAgent>>;
  let cuisine: Awaited<ReturnType<typeof anAgent>>;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: TUESDAY_1ST_11H })]);
    const { ctx } = server.t;
    // The town's catalogue: one school, its « Élémentaire » group, the canteen with 10 places a day, the 2026-2027 year.
    s = await aService(ctx, { places: 10 });
    facilityName = (await ctx.db.selectFrom('facilities').select('name').where('id', '=', s.facilityId).executeTakeFirstOrThrow()).name;
    const town = await agentAuth(ctx, ['enfance']);
    martin = await aFamily(ctx, town, 'Martin', { childFirstName: 'Léa' });
    // Three classmates already enrolled and booked for Thursday 3 (Inès Petit also for Friday 11).
    moreau = await aFamily(ctx, town, 'Moreau', { childFirstName: 'Hugo' });
    petit = await aFamily(ctx, town, 'Petit', { childFirstName: 'Inès' });
    garcia = await aFamily(ctx, town, 'Garcia', { childFirstName: 'Jade' });
    const bookings = bookingsService(ctx);
    for (const [f, days] of [[moreau, ['2026-12-03']], [petit, ['2026-12-03', '2026-12-11']], [garcia, ['2026-12-03']]] as const) {
      await anAcceptedEnrolment(ctx, f.householdId, f.childId, s);
      const results = await bookings.applyFamilyChanges(await familyActorOf(ctx, f.email), days.map((day) => ({ childId: f.childId, unitId: s.unitId, day, want: true })));
      assert.deepEqual(results.map((r) => r.code), days.map(() => 'booked'));
    }
    enfance = await anAgent(ctx, ['enfance']);
    animateur = await anAgent(ctx, ['animateur']);
    await assignAgentToGroup(ctx.db, animateur.id, s.groupId);
    cuisine = await anAgent(ctx, ['restauration']);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function login(v: Visitor, who: { email: string; password: string }) {
    if (!v.path().startsWith('/connexion')) await v.goto('/connexion');
    await v.page.getByLabel('Adresse électronique', { exact: true }).fill(who.email);
    await v.page.getByLabel('Mot de passe', { exact: true }).fill(who.password);
    await v.follow(() => v.page.getByRole('button', { name: 'Se connecter', exact: true }).click());
  }
  const logout = (v: Visitor) => v.follow(() => v.page.getByRole('button', { name: 'Se déconnecter', exact: true }).click());
  const menu = (v: Visitor, name: string) => v.menu(name);
  /** A phone, as most parents use the portal. */
  const aPhone = () => Visitor.open(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });

  let reference = '';

  test('a guardian asks to enrol Léa in the canteen, one question per page, and gets a reference', async () => {
    const v = await aPhone();
    const { page } = v;
    try {
      await login(v, martin);
      await menu(v, 'Mes demandes');
      await v.follow(() => page.getByRole('link', { name: 'Inscrire un enfant à un service', exact: true }).click());
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Quel enfant voulez-vous inscrire ?');
      assert.match(await main(page), /étape 1 sur 3/);
      // Continuing without an answer: the page says what is missing.
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      assert.match(await main(page), /Choisissez l'enfant à inscrire/);
      await page.getByLabel('Léa Martin', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());

      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Pour quelle année scolaire ?');
      await page.getByLabel('2026-2027', { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());

      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'À quel service voulez-vous inscrire Léa ?');
      await page.getByLabel(`Restauration scolaire – ${facilityName}`, { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Continuer', exact: true }).click());

      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Vérifiez vos réponses');
      const answers = await main(page);
      assert.match(answers, /Enfant\s+Léa Martin/);
      assert.match(answers, new RegExp(`Service\\s+Restauration scolaire – ${escape(facilityName)}`));
      assert.match(answers, /Année scolaire\s+2026-2027/);
      assert.ok(await page.getByRole('link', { name: 'Modifier le service', exact: true }).isVisible());
      await v.follow(() => page.getByRole('button', { name: 'Envoyer la demande', exact: true }).click());

      assert.match(v.path(), /^\/inscriptions\/confirmation\//);
      assert.ok(await page.getByRole('heading', { name: 'Demande envoyée', level: 1 }).isVisible());
      reference = /D-2026-\d{6}/.exec(await page.locator('.code-box').innerText())?.[0] ?? assert.fail('pas de référence');
      assert.match(await main(page), /Et ensuite \?/);

      // Nothing can be booked before the town accepts the enrolment, and the calendar says so.
      await menu(v, 'Réservations');
      assert.match(await main(page), /Aucune inscription acceptée/);
      assert.equal(await page.getByRole('checkbox').count(), 0);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('an enfance agent accepts the enrolment in the queue; the family sees the accepted step', async () => {
    assert.ok(reference, 'la demande a été déposée');
    const v = await Visitor.open(browser, server.baseUrl);
    const { page } = v;
    try {
      await login(v, enfance);
      await menu(v, 'Inscriptions');
      const queue = page.getByRole('table', { name: /Demandes d'inscription/ });
      assert.match(await queue.innerText(), new RegExp(`${reference}[\\s\\S]*Léa Martin[\\s\\S]*Déposée`));
      await page.getByLabel(`Sélectionner ${reference}, Léa Martin`, { exact: true }).check();
      await v.follow(() => page.getByRole('button', { name: 'Accepter', exact: true }).click());
      assert.match(await main(page), /1 demande acceptée\./);
      assert.match(await main(page), /Aucune inscription dans cette liste/, 'the request left the queue of requests to process');
      await logout(v);

      await login(v, martin);
      await menu(v, 'Mes demandes');
      assert.match(await page.getByRole('table', { name: 'Vos demandes' }).innerText(), new RegExp(`${reference}[\\s\\S]*Acceptée`));
      await v.follow(() => page.getByRole('link', { name: reference, exact: true }).click());
      const request = await main(page);
      assert.match(request, /Acceptée le mardi 1er décembre 2026 à 11 h, par Agent Numéro\d+/);
      assert.match(request, /Groupe\s+Élémentaire/);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('the guardian books a weekly pattern for December, sees it in the month, cancels one day; a day past its deadline says why', async () => {
    const v = await aPhone();
    const { page } = v;
    try {
      await login(v, martin);
      await menu(v, 'Réservations');
      await v.follow(() => page.getByRole('link', { name: 'Réserver les mêmes jours chaque semaine (semaine type)', exact: true }).click());
      assert.ok(await page.getByRole('checkbox', { name: 'Léa', exact: true }).isChecked(), 'the children are preselected');
      await page.getByRole('checkbox', { name: 'Restauration scolaire, repas', exact: true }).check();
      await page.getByLabel('Du', { exact: true }).fill('2026-12-01');
      await page.getByLabel('Au', { exact: true }).fill('2026-12-31');
      // Forgetting the weekdays first: the error says so and the dates are kept.
      await v.follow(() => page.getByRole('button', { name: 'Appliquer', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      assert.match(await page.locator('.error-summary').innerText(), /Choisissez au moins un jour de la semaine/);
      assert.equal(await page.getByLabel('Du', { exact: true }).inputValue(), '2026-12-01');
      assert.equal(await page.getByLabel('Au', { exact: true }).inputValue(), '2026-12-31');
      for (const day of ['Lundi', 'Mardi', 'Jeudi', 'Vendredi']) await page.getByRole('checkbox', { name: day, exact: true }).check();
      assert.ok(await page.getByRole('radio', { name: 'Réserver', exact: true }).isChecked());
      await v.follow(() => page.getByRole('button', { name: 'Appliquer', exact: true }).click());

      // Ten school days are booked; Tuesday 1, today, was past its deadline and the page says why; the holidays are skipped.
      assert.ok(await page.getByRole('heading', { name: 'Vos changements', level: 1 }).isVisible());
      const results = await main(page);
      assert.match(results, /Réservé \(10 jours\)/);
      assert.match(results, /Léa, jeudi 3 décembre \(restauration scolaire, repas\)/);
      assert.match(results, /Pas possible \(1 jour\)/);
      assert.match(results, /Léa, mardi 1er décembre \(restauration scolaire, repas\) : Délai dépassé le vendredi 27 novembre, 12 h/);
      assert.doesNotMatch(results, /2\d décembre/, 'no day of the Christmas holidays');
      await v.follow(() => page.getByRole('link', { name: 'Retour au calendrier', exact: true }).click());

      assert.equal(v.path(), '/reservations?mois=2026-12');
      assert.ok(await page.getByRole('table', { name: 'Léa – Restauration scolaire, repas – décembre 2026' }).isVisible());
      const booked = ['jeudi 3', 'vendredi 4', 'lundi 7', 'mardi 8', 'jeudi 10', 'vendredi 11', 'lundi 14', 'mardi 15', 'jeudi 17', 'vendredi 18'];
      for (const d of booked) {
        const box = dayBox(page, `Léa, ${d} décembre, restauration scolaire, repas`);
        assert.ok(await box.isChecked(), `${d} décembre réservé`);
        assert.match((await box.getAttribute('aria-describedby')) ?? '', /-d$/);
        assert.match(await page.locator(`#${await box.getAttribute('aria-describedby')}`).innerText(), /Réservé\s*,?\s*modifiable jusqu'au \w+ \d+(er)? décembre, 12 h/);
      }
      assert.equal(await page.getByRole('checkbox', { checked: true }).count(), booked.length);
      // Tuesday 1 cannot be booked any more: no checkbox, and the day says why and since when.
      assert.equal(await dayBox(page, 'Léa, mardi 1er décembre').count(), 0);
      assert.ok(await page.getByRole('cell', { name: /^Léa, mardi 1er décembre, restauration scolaire, repas, ne peut plus changer : Non réservé\s*Délai dépassé le vendredi 27 novembre, 12 h$/ }).isVisible());
      assert.ok(await page.getByRole('cell', { name: /^2\s*Pas d'accueil ce jour-là$/ }).isVisible());
      assert.ok(await page.getByRole('cell', { name: /^25\s*Férié : Noël$/ }).isVisible());

      // Friday 11 is cancelled through the month form.
      const friday11 = page.getByRole('checkbox', { name: 'Léa, vendredi 11 décembre, restauration scolaire, repas', exact: true });
      await friday11.uncheck();
      await v.follow(() => page.getByRole('button', { name: 'Enregistrer mes réservations', exact: true }).click());
      // Nothing is cancelled before the summary is confirmed (RGAA 11.12).
      assert.match(await main(page), /Vous allez annuler 1 jour :\s*Léa, vendredi 11 décembre, restauration scolaire, repas/);
      assert.ok(await page.getByRole('link', { name: 'Revenir sans rien changer', exact: true }).isVisible());
      await v.follow(() => page.getByRole('button', { name: 'Confirmer', exact: true }).click());
      assert.equal(v.path(), '/reservations?mois=2026-12');
      // The message names the day that changed, by child and date.
      assert.match(await main(page), /Annulé : Léa le vendredi 11 décembre\./);
      assert.equal(await friday11.isChecked(), false);
      assert.match(await page.locator(`#${await friday11.getAttribute('aria-describedby')}`).innerText(), /Non réservé/);
      assert.equal(await page.getByRole('checkbox', { checked: true }).count(), booked.length - 1);
      const stored = await server.t.ctx.db.selectFrom('bookings').select('status').where('child_person_id', '=', martin.childId).where('day', '=', '2026-12-11').executeTakeFirstOrThrow();
      assert.equal(stored.status, 'cancelled');

      // 12:30: Thursday 3 could be cancelled until 12:00 today. The parent comes back after lunch.
      server.t.clock.set(TUESDAY_1ST_12H30);
      await v.goto('/reservations?mois=2026-12');
      assert.match(v.path(), /^\/connexion/);
      assert.match(await main(page), /Session terminée/);
      await login(v, martin);
      assert.equal(v.path(), '/reservations?mois=2026-12');
      assert.equal(await dayBox(page, 'Léa, jeudi 3 décembre').count(), 0, 'Thursday 3 cannot be changed any more');
      assert.ok(await page.getByRole('cell', { name: /^Léa, jeudi 3 décembre, restauration scolaire, repas, ne peut plus changer : Réservé\s*Délai dépassé le mardi 1er décembre, 12 h/ }).isVisible());
      // The next step is offered instead: announcing an absence.
      assert.ok(await page.getByRole('link', { name: 'Signaler une absence : Léa, jeudi 3 décembre, restauration scolaire, repas', exact: true }).isVisible());
      // Friday 4 can still change until Wednesday 2 at 12:00.
      assert.ok(await dayBox(page, 'Léa, vendredi 4 décembre, restauration scolaire, repas').isChecked());
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('past the cancellation deadline, another parent signals that Jade will not come on Thursday 3', async () => {
    assert.equal(server.t.clock.now().toISOString(), new Date(TUESDAY_1ST_12H30).toISOString());
    const v = await aPhone();
    const { page } = v;
    try {
      await login(v, garcia);
      await menu(v, 'Réservations');
      assert.equal(await dayBox(page, 'Jade, jeudi 3 décembre').count(), 0, 'Thursday 3 can no longer be cancelled');
      await v.follow(() => page.getByRole('link', { name: 'Signaler une absence : Jade, jeudi 3 décembre, restauration scolaire, repas', exact: true }).click());
      assert.match(await main(page), /Jade ne viendra pas le jeudi 3 décembre 2026/);
      assert.match(await main(page), /Le jour reste facturé/);
      await v.follow(() => page.getByRole('button', { name: 'Confirmer l\'absence', exact: true }).click());
      assert.match(await main(page), /L'absence est signalée à l'équipe\./);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('on Thursday 3 the animator takes attendance on a 360 px phone: Léa present, Hugo absent, in a few taps', async () => {
    server.t.clock.set(THURSDAY_3RD_8H30);
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    const { page } = v;
    const noHorizontalScroll = async () => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `pas de défilement horizontal à 360 px sur ${v.path()} (largeur ${width} px)`);
    };
    try {
      await login(v, animateur);
      await menu(v, 'Pointage');
      await noHorizontalScroll();
      await v.follow(() => page.getByRole('link', { name: `${facilityName} – Élémentaire`, exact: true }).click());
      assert.ok(await page.getByText('jeudi 3 décembre 2026', { exact: true }).isVisible(), 'today\'s list');
      // Jade's absence, signalled by her family, is already on the list.
      assert.match(await main(page), /4 enfants attendus, 1 pointé\./);
      await noHorizontalScroll();

      const row = (name: string) => page.getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });
      assert.match(await row('Léa Martin').innerText(), /Pas encore pointé/);
      // With JavaScript a tap saves without loading a page (test/e2e/attendance.e2e.test.ts checks that part).
      await page.getByRole('button', { name: 'Présent : Léa Martin', exact: true }).tap();
      await page.getByText('4 enfants attendus, 2 pointés.', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Absent : Hugo Moreau', exact: true }).tap();
      await page.getByText('4 enfants attendus, 3 pointés.', { exact: true }).waitFor();

      assert.match(await main(page), /4 enfants attendus, 3 pointés\./);
      assert.match(await row('Léa Martin').locator('.roll__state').innerText(), /^Présent$/);
      assert.match(await row('Hugo Moreau').locator('.roll__state').innerText(), /^Absent$/);
      assert.match(await row('Inès Petit').locator('.roll__state').innerText(), /^Pas encore pointé$/);
      assert.match(await row('Jade Garcia').locator('.roll__state').innerText(), /^Absent$/);
      assert.match(await row('Jade Garcia').innerText(), /Absence signalée par la famille/);
      assert.doesNotMatch(await row('Léa Martin').innerText(), /Absence signalée/);
      await noHorizontalScroll();
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('the kitchen count follows the bookings and the attendance', async () => {
    const v = await Visitor.open(browser, server.baseUrl);
    const { page } = v;
    try {
      await login(v, cuisine);
      await menu(v, 'Cuisine');
      await page.getByLabel('Établissement', { exact: true }).selectOption({ label: facilityName });
      await page.getByLabel('Jour', { exact: true }).fill('2026-12-03');
      await v.follow(() => page.getByRole('button', { name: 'Afficher', exact: true }).click());
      assert.ok(await page.getByRole('heading', { name: `${facilityName}, jeudi 3 décembre 2026`, level: 2 }).isVisible());
      // Four booked: Léa present, Inès not marked yet, Hugo marked absent, Jade's absence signalled by her family:
      // two meals, as the page explains, and no name.
      const count = page.getByRole('table', { name: 'Restauration scolaire – Repas : 2 repas' });
      assert.ok(await count.isVisible());
      assert.match(await count.innerText(), /Sans régime particulier\s+2/);
      assert.match(await count.innerText(), /Total\s+2/);
      assert.match(await main(page), /moins les absences déjà pointées ou signalées par les familles/);
      for (const name of ['Léa', 'Hugo', 'Inès', 'Jade', 'Martin', 'Moreau', 'Petit', 'Garcia']) assert.doesNotMatch(await main(page), new RegExp(name));

      // Friday 11: Léa's cancelled day is not cooked, Inès's is.
      await page.getByLabel('Jour', { exact: true }).fill('2026-12-11');
      await v.follow(() => page.getByRole('button', { name: 'Afficher', exact: true }).click());
      assert.ok(await page.getByRole('table', { name: 'Restauration scolaire – Repas : 1 repas' }).isVisible());
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
