import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, familyActorOf } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { householdsAgentService } from '../../src/modules/households/households.agent-service.ts';
import { bookingsService } from '../../src/modules/bookings/bookings.service.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

/**
 * A parent on a phone starts from the home page: what to do (a deadline, the holidays opening by
 * draw), then each child's week; the rule of the draw is one link away, and the calendar says the
 * same. axe and the 320 px reflow check run on every page (Visitor).
 */
describe('page d\'accueil de la famille : liste de ce qu\'il y a à faire, sur un téléphone', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    // Saturday 28 November 2026: Léa's Thursday is booked; the visit happens on Wednesday 2 December, 12 h 30.
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the to-do list, the rule of the draw, and the calendar that says the same', async () => {
    const { t } = server;
    const auth = await agentAuth(t.ctx, ['enfance']);
    const holiday = await aService(t.ctx, { kind: 'holiday', holidayOpensAt: '2026-12-05T07:00:00.000Z', allocation: 'draw', requestsCloseAt: '2026-12-11T11:00:00.000Z' });
    const canteen = await aService(t.ctx, { kind: 'canteen' });
    const family = await aFamily(t.ctx, auth, 'Martin', { childFirstName: 'Léa' });
    const agents = householdsAgentService(t.ctx);
    await agents.addChild(auth, family.householdId, { first_name: 'Hugo', last_name: 'Martin', birth_date: '2019-03-02', sex: 'M', school: null, class_level: null });
    const hugo = (await agents.get(auth, family.householdId)).members.find((m) => m.first_name === 'Hugo')!.id;
    await anAcceptedEnrolment(t.ctx, family.householdId, family.childId, canteen);
    await anAcceptedEnrolment(t.ctx, family.householdId, hugo, holiday);
    await bookingsService(t.ctx).applyFamilyChanges(await familyActorOf(t.ctx, family.email), [{ childId: family.childId, unitId: canteen.unitId, day: '2026-12-03', want: true }]);
    t.clock.set('2026-12-02T11:30:00Z');

    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    try {
      await v.goto('/connexion');
      await page.getByLabel('Adresse électronique', { exact: true }).fill(family.email);
      await page.getByLabel('Mot de passe', { exact: true }).fill(family.password);
      await v.follow(() => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
      assert.equal(v.path(), '/famille');
      const main = await page.locator('main').innerText();
      assert.match(main, /À faire/);
      assert.match(main, /Les demandes de réservation des vacances de Noël ouvrent le samedi 5 décembre à 8 h\./);
      assert.match(main, /Réservez avant mardi 8 décembre, 12 h la cantine de Léa pour la semaine du 7 décembre\./);
      assert.match(main, /Jeudi 3 décembre : cantine/);
      assert.doesNotMatch(main, /Rien à faire/);

      await v.follow(() => page.getByRole('link', { name: 'Comment les places sont attribuées', exact: true }).first().click());
      assert.equal(v.path(), '/reservations/attribution-des-places');
      assert.ok(await page.getByRole('heading', { name: 'Tirage au sort', exact: true }).isVisible());

      await v.follow(() => page.getByRole('link', { name: 'Aller aux réservations', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Les demandes de réservation des vacances de Noël ouvrent le samedi 5 décembre à 8 h\./);
      await v.goto('/famille');
      await v.follow(() => page.getByRole('link', { name: /^Réserver la cantine de Léa pour la semaine du 7 décembre$/ }).click());
      assert.equal(v.path(), '/reservations/semaine?du=2026-12-07');
      assert.ok(await page.getByRole('checkbox', { name: /^Léa, lundi 7 décembre/ }).first().isVisible(), 'the week of the deadline, ready to book');
    } finally {
      await v.close();
    }
  });
});
