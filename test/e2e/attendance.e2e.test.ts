import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { assignAgentToGroup } from '../../src/modules/catalogue/catalogue.repository.ts';
import { bookingsService } from '../../src/modules/bookings/bookings.service.ts';
import { checkA11y, CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';
const DAY = '2026-12-03'; // a Thursday with canteen
const NAMES = ['Petit', 'Moreau', 'Garcia', 'Lefèvre', 'Bernard', 'Durand'];
const FIRST = ['Léa', 'Hugo', 'Inès', 'Noé', 'Jade', 'Tom'];

describe('pointage en un geste, sur un téléphone (360 px), avec et sans JavaScript, axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;
  let s: Awaited<ReturnType<typeof aService>>;
  let animateur: { id: string; email: string; password: string };

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-28T10:00:00Z' })]);
    const { t } = server;
    const auth = await agentAuth(t.ctx, ['enfance']);
    s = await aService(t.ctx, { places: 20 });
    animateur = await anAgent(t.ctx, ['animateur']);
    await assignAgentToGroup(t.ctx.db, animateur.id, s.groupId);
    const bookings = bookingsService(t.ctx);
    for (const [i, name] of NAMES.entries()) {
      const f = await aFamily(t.ctx, auth, name, { childFirstName: FIRST[i] });
      await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
      await bookings.applyFamilyChanges(await familyActorOf(t.ctx, f.email), [{ childId: f.childId, unitId: s.unitId, day: DAY, want: true }]);
    }
    t.clock.set(`${DAY}T07:30:00Z`);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function login(v: Visitor) {
    await v.goto('/connexion');
    await v.page.getByLabel('Adresse électronique', { exact: true }).fill(animateur.email);
    await v.page.getByLabel('Mot de passe', { exact: true }).fill(animateur.password);
    await v.follow(() => v.page.getByRole('button', { name: 'Se connecter', exact: true }).click());
  }
  const attendanceOf = async (lastName: string) =>
    (
      await server.t.ctx.db
        .selectFrom('bookings')
        .innerJoin('persons', 'persons.id', 'bookings.child_person_id')
        .select('bookings.attendance')
        .where('persons.last_name', '=', lastName)
        .where('bookings.day', '=', DAY)
        .executeTakeFirstOrThrow()
    ).attendance;

  test('an animator reaches the group from the home page and marks five children present without a page load, focus kept, count updated', async () => {
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    try {
      await login(v);
      assert.equal(v.path(), '/agent');
      assert.match(await page.locator('main').innerText(), /6 enfants attendus : 0 présent, 0 absent, 6 à pointer/);
      await v.follow(() => page.getByRole('link', { name: /Élémentaire/ }).first().click());
      assert.match(v.path(), new RegExp(`^/agent/pointage/${s.groupId}`));
      // A marker on the window: a page load would wipe it.
      await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'même page'));
      const count = page.locator('[data-role="count"]');
      for (const [i, name] of NAMES.slice(0, 5).entries()) {
        const button = page.getByRole('button', { name: `Présent : ${FIRST[i]} ${name}`, exact: true });
        await button.click();
        const row = page.locator('li.roll__item', { has: button });
        await row.locator('[data-role="state"]', { hasText: 'Présent' }).waitFor();
        await page.waitForFunction((n) => document.querySelector('[data-role="count"]')?.textContent?.includes(`${n} point`), i + 1);
        assert.equal(await button.evaluate((el) => el === document.activeElement), true, `focus kept on ${name}`);
      }
      assert.equal(await count.innerText(), '6 enfants attendus, 5 pointés.');
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'même page');
      await page.locator('[data-role="live"]', { hasText: 'Bernard : présent' }).waitFor({ state: 'attached' });
      await checkA11y(page, 'liste après les pointages'); // axe on the list as the taps left it (no page load to count)
      for (const name of NAMES.slice(0, 5)) assert.equal(await attendanceOf(name), 'present');
      assert.equal(await attendanceOf('Durand'), null);
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('a lost connection is shown on the row, and the tap goes through once the network is back', async () => {
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 } });
    const { page } = v;
    try {
      await login(v);
      await v.goto(`/agent/pointage/${s.groupId}?jour=${DAY}`);
      let refused = 0;
      await page.route('**/agent/pointage/**', async (route) => {
        if (route.request().method() === 'POST' && refused < 1) {
          refused++;
          return route.abort('internetdisconnected');
        }
        return route.continue();
      });
      const button = page.getByRole('button', { name: 'Absent : Tom Durand', exact: true });
      await button.click();
      const row = page.locator('li.roll__item', { has: button });
      await row.locator('[data-role="error"]', { hasText: 'Connexion perdue' }).waitFor();
      await row.locator('[data-role="state"]', { hasText: 'Absent' }).waitFor();
      assert.equal(await row.locator('[data-role="error"]').isHidden(), true);
      assert.equal(await attendanceOf('Durand'), 'absent_unjustified');
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });

  test('without JavaScript the same buttons save with a page load and come back to the child', async () => {
    const v = await Visitor.open(browser, server.baseUrl, { viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const { page } = v;
    try {
      await login(v);
      await v.goto(`/agent/pointage/${s.groupId}?jour=${DAY}`);
      await v.follow(() => page.getByRole('button', { name: 'Présent : Tom Durand', exact: true }).click());
      assert.match(page.url(), /#b-/);
      assert.match(await page.locator('main').innerText(), /6 enfants attendus, 6 pointés\./);
      assert.equal(await attendanceOf('Durand'), 'present');
      v.assertEveryPageChecked();
    } finally {
      await v.close();
    }
  });
});
