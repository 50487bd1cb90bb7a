import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { aFamily, agentAuth, anAgent } from '../support/builders.ts';
import { aService, anAcceptedEnrolment } from '../support/catalogue.ts';
import { book, NOVEMBER } from '../support/invoicing.ts';
import { actorOf } from '../../src/platform/http/actor.ts';
import { recordQuotient } from '../../src/modules/tariffs/tariffs.shared-service.ts';
import * as tariffs from '../../src/modules/tariffs/tariffs.repository.ts';
import { CHROMIUM_PATH, launchBrowser, startServer, Visitor, type RunningApp } from '../support/browser.ts';

const noBrowser = !fs.existsSync(CHROMIUM_PATH) && process.env.REQUIRE_BROWSER !== '1';

describe('parcours navigateur de la facturation : la régie émet, la famille lit, un avoir corrige, avec axe sur chaque page', { skip: noBrowser ? `Chromium introuvable (${CHROMIUM_PATH})` : false }, () => {
  let browser: Browser;
  let server: RunningApp;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startServer('sqlite', { now: '2026-11-02T08:00:00Z' })]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('brouillon, contrôle et émission ; la facture et ses lignes côté parent ; un avoir', async () => {
    const { t } = server;
    const agent = await agentAuth(t.ctx, ['admin', 'enfance']);
    const regie = await anAgent(t.ctx, ['regie']);
    const s = await aService(t.ctx);
    const family = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
    await t.ctx.db.transaction().execute(async (tx) => {
      await tariffs.insertVersion(tx, { serviceId: s.serviceId, unitId: null, schoolYearId: s.schoolYearId, appliesFrom: '2026-09-01', presentWithoutBookingCents: 100, lateCancellationCents: 0, createdBy: agent.user.id }, [
        { qf_min: 600, qf_max: 899, residency: 'any', rank_min: null, rank_max: null, amount_cents: 340, category: 'repas', is_default: 0 },
        { qf_min: null, qf_max: null, residency: 'any', rank_min: null, rank_max: null, amount_cents: 450, category: 'repas', is_default: 1 },
      ], t.clock.now());
      await recordQuotient(tx, { householdId: family.householdId, amountEuros: 700, fromMonth: '2026-09', source: 'caf', reason: 'Attestation CAF', actor: actorOf(agent), at: t.clock.now() });
    });
    await anAcceptedEnrolment(t.ctx, family.householdId, family.childId, s);
    await book(t.ctx, family, s.unitId, NOVEMBER);
    await t.ctx.db.updateTable('bookings').set({ attendance: 'present' }).execute();
    t.clock.set('2026-12-02T09:00:00Z');

    const v = await Visitor.open(browser, server.baseUrl);
    const { page } = v;
    try {
      await v.logIn(regie.email, regie.password);
      await v.menu('Régie');
      await page.getByLabel(/Mois à facturer/).selectOption('2026-11');
      await v.follow(() => page.getByRole('button', { name: 'Ouvrir ce mois', exact: true }).click());
      await v.follow(() => page.getByRole('button', { name: 'Calculer le brouillon', exact: true }).click());
      const control = await page.locator('main').innerText();
      assert.match(control, /Brouillon calculé : 4 lignes, 13,60/);
      assert.match(control, /Totaux par service et par tranche/);
      await v.follow(() => page.getByRole('button', { name: 'Valider le contrôle', exact: true }).click());
      await v.follow(() => page.getByRole('link', { name: 'Émettre les factures', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /1 facture pour 13,60/);
      await v.follow(() => page.getByRole('button', { name: 'Confirmer l\'émission', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /1 facture émise/);
      await v.logOut();

      await page.setViewportSize({ width: 360, height: 780 });
      await v.logIn(family.email, family.password);
      await v.goto('/factures');
      assert.match(await page.locator('main').innerText(), /À payer/);
      await v.follow(() => page.getByRole('link', { name: /F-2026-000001/ }).first().click());
      const invoice = await page.locator('main').innerText();
      assert.match(invoice, /Léa — Restauration scolaire, repas — jeudi 5 novembre — 3,40/);
      assert.match(invoice, /QF 700 \(attestation CAF, depuis septembre 2026\)/);
      await v.logOut();

      await page.setViewportSize({ width: 1280, height: 900 });
      await v.logIn(regie.email, regie.password);
      const id = (await t.ctx.db.selectFrom('invoices').select('id').executeTakeFirstOrThrow()).id;
      await v.goto(`/agent/factures/${id}`);
      // A mistake first: no reason.
      await page.getByLabel(/jeudi 5 novembre/).check();
      await v.follow(() => page.getByRole('button', { name: 'Émettre l\'avoir', exact: true }).click());
      assert.match(await page.title(), /^Erreur : /);
      await page.getByLabel('Motif de l\'avoir', { exact: true }).fill('Absence pour maladie justifiée après la facturation');
      await v.follow(() => page.getByRole('button', { name: 'Émettre l\'avoir', exact: true }).click());
      assert.match(await page.locator('main').innerText(), /Avoir A-2026-000001 émis/);
      assert.match(await page.locator('main').innerText(), /Reste à payer\s+10,20/);
    } finally {
      await v.close();
    }
  });
});
