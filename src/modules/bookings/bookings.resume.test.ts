import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';

const MINUTE = 60_000;
const START = '2026-12-01T08:00:00Z'; // Tuesday 9:00 in Paris

/** A booking form posted after the session ended is kept for its author, and only shown again to confirm. */
for (const engine of testEngines()) {
  describe(`un formulaire survit à la fin de la session (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let s: Awaited<ReturnType<typeof aService>>;
    const key = (day: string) => `${a.childId}|${s.unitId}|${day}`;
    const days = ['2026-12-07', '2026-12-08'];
    const monthForm = () => ({ mois: '2026-12', affiche: days.map((d) => `${key(d)}|none`), reserve: days.map(key) });
    const booked = async () => (await t.ctx.db.selectFrom('bookings').select('day').where('child_person_id', '=', a.childId).where('status', '=', 'booked').orderBy('day').execute()).map((r) => r.day);
    const savedCount = async () => Number((await t.ctx.db.selectFrom('saved_forms').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    /** Logged in, the month drawn, then the session runs out before « Enregistrer ». */
    async function expiredParent(wait = 31 * MINUTE) {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations?mois=2026-12');
      t.clock.advance(wait);
      return parent;
    }

    before(async () => {
      t = await createTestApp(engine, { now: START, env: { SESSION_MAX_HOURS: '1' } });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, agent, 'Bernard', { childFirstName: 'Hugo' });
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
      await anAcceptedEnrolment(t.ctx, b.householdId, b.childId, s);
    });
    beforeEach(async () => {
      t.clock.set(START);
      await t.ctx.db.deleteFrom('bookings').execute();
      await t.ctx.db.deleteFrom('saved_forms').execute();
    });
    after(() => t.close());

    test('posted after the idle timeout: the login page, then the summary of the same days to confirm', async () => {
      const parent = await expiredParent();
      const posted = await parent.post('/reservations', monthForm());
      assert.equal(posted.status, 303);
      assert.equal(posted.location, '/connexion?expiree=1&retour=%2Freprise');
      assert.deepEqual(await booked(), [], 'nothing is applied from an expired session');
      assert.equal(await savedCount(), 1);
      const saved = await t.ctx.db.selectFrom('saved_forms').selectAll().executeTakeFirstOrThrow();
      assert.doesNotMatch(saved.sealed_body, /reservations|2026-12-07|_csrf/, 'the fields are sealed');
      assert.ok(![...parent.cookies.values()].includes(saved.id), 'the browser holds the handle, the database only its hash');

      const login = await parent.get(posted.location);
      assert.match(textOf(login.body), /Session terminée.*gardé 30 minutes/);
      const loggedIn = await parent.post('/connexion', { email: a.email, password: a.password, retour: '/reprise' });
      assert.equal(loggedIn.location, '/reprise');
      const summary = await parent.get('/reprise');
      assert.equal(summary.status, 200);
      const text = textOf(summary.body);
      assert.match(text, /Votre session avait expiré : vérifiez vos changements puis validez/);
      assert.match(text, /Vous allez réserver 2 jours :\s*Léa, lundi 7 décembre, restauration scolaire, repas\s*Léa, mardi 8 décembre, restauration scolaire, repas/);
      assert.deepEqual(await booked(), [], 'the summary changes nothing');
      assert.equal(await savedCount(), 0, 'one use');

      // « Confirmer » goes through the new session's token, with the days as they were drawn.
      const done = await parent.post('/reservations', { ...hiddenFields(summary.body), confirme: 'oui' });
      assert.equal(done.status, 303);
      assert.deepEqual(await booked(), days);
      const again = await parent.get('/reprise');
      assert.equal(again.location, '/tableau', 'nothing to take back twice');
    });

    test('after the absolute lifetime too (SESSION_MAX_HOURS), even for a person active all along', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      for (let i = 0; i < 2; i++) {
        t.clock.advance(25 * MINUTE);
        assert.equal((await parent.get('/reservations?mois=2026-12')).status, 200);
      }
      t.clock.advance(15 * MINUTE); // 65 minutes after the login, 15 after the last page
      const posted = await parent.post('/reservations', monthForm());
      assert.equal(posted.location, '/connexion?expiree=1&retour=%2Freprise');
      await parent.get(posted.location);
      await parent.post('/connexion', { email: a.email, password: a.password, retour: '/reprise' });
      assert.match(textOf((await parent.get('/reprise')).body), /Vous allez réserver 2 jours/);
    });

    test('a household form (a guardian\'s contact details) comes back filled in as it was sent, to send again', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const path = `/famille/responsables/${a.guardianId}`;
      await parent.get(path);
      t.clock.advance(31 * MINUTE);
      const posted = await parent.post(path, { phone: '06 11 22 33 44', email: 'nouvelle@exemple.fr' });
      assert.equal(posted.location, '/connexion?expiree=1&retour=%2Freprise');
      await parent.get(posted.location);
      await parent.post('/connexion', { email: a.email, password: a.password, retour: '/reprise' });
      const page = await parent.get('/reprise');
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Votre session avait expiré : vérifiez vos changements puis validez/);
      assert.match(page.body, /name="phone"[^>]*value="06 11 22 33 44"|value="06 11 22 33 44"[^>]*name="phone"/);
      assert.match(page.body, /value="nouvelle@exemple\.fr"/);
      const phone = async () => (await t.ctx.db.selectFrom('persons').select('phone').where('id', '=', a.guardianId).executeTakeFirstOrThrow()).phone;
      assert.equal(await phone(), '0600000000', 'nothing saved before the person sends it again');
      const sent = await parent.post(path, { phone: '06 11 22 33 44', email: 'nouvelle@exemple.fr' });
      assert.equal(sent.status, 303);
      assert.equal(await phone(), '0611223344');
    });

    test('another account logging in on the same browser gets nothing, and the form is gone', async () => {
      const parent = await expiredParent();
      await parent.post('/reservations', monthForm());
      await parent.get('/connexion?expiree=1&retour=%2Freprise');
      const other = await parent.post('/connexion', { email: b.email, password: b.password, retour: '/reprise' });
      assert.equal(other.location, '/reprise');
      const page = await parent.get('/reprise');
      assert.equal(page.status, 303);
      assert.equal(page.location, '/tableau');
      assert.equal(await savedCount(), 0);
      // The author, logging in afterwards on this browser, finds nothing either: never someone else's.
      await parent.get('/famille');
      await parent.post('/deconnexion', {});
      await parent.get('/connexion');
      await parent.post('/connexion', { email: a.email, password: a.password, retour: '/reprise' });
      assert.equal((await parent.get('/reprise')).location, '/tableau');
      assert.deepEqual(await booked(), []);
    });

    test('after 30 minutes the kept form is refused, with a word of explanation', async () => {
      const parent = await expiredParent();
      await parent.post('/reservations', monthForm());
      t.clock.advance(31 * MINUTE);
      await parent.get('/connexion');
      await parent.post('/connexion', { email: a.email, password: a.password, retour: '/reprise' });
      const late = await parent.get('/reprise');
      assert.equal(late.location, '/reservations?mois=2026-12');
      assert.match(textOf((await parent.get(late.location)).body), /ne sont gardés que 30 minutes : refaites-les/);
      assert.doesNotMatch(textOf((await parent.get('/reservations?mois=2026-12')).body), /Votre session avait expiré/);
      assert.deepEqual(await booked(), []);
    });

    test('a malformed or oversized form is a 400 and nothing is kept', async () => {
      const parent = await expiredParent();
      const malformed = await parent.post('/reservations', { mois: '2026-12', affiche: 'pas-une-case|none', reserve: [] });
      assert.equal(malformed.status, 400);
      // (The answer ended the stale cookie: a second try needs a browser whose session just expired.)
      const huge = await (await expiredParent()).post('/reservations', { mois: '2026-12', affiche: Array.from({ length: 601 }, (_, i) => `${a.childId}|${s.unitId}|2026-12-${String((i % 28) + 1).padStart(2, '0')}|none`), reserve: [] });
      assert.equal(huge.status, 400);
      assert.equal(await savedCount(), 0);
      assert.ok(![...parent.cookies.keys()].some((k) => k.includes('pf_resume')));
    });

    test('a post without the expired session\'s own token (forged elsewhere) is refused, nothing kept', async () => {
      const parent = await expiredParent();
      const forged = await parent.post('/reservations', { ...monthForm(), _csrf: 'a'.repeat(64) });
      assert.equal(forged.status, 403);
      assert.equal(await savedCount(), 0);
    });

    test('after a logout nothing is kept: the login page as before', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations?mois=2026-12');
      const sessionCookie = parent.cookies.get('pf_session')!;
      await parent.post('/deconnexion', {});
      parent.cookies.set('pf_session', sessionCookie); // a stale copy of the cookie
      const posted = await parent.post('/reservations', monthForm());
      assert.equal(posted.status, 303);
      assert.equal(posted.location, '/connexion?expiree=1');
      assert.equal(await savedCount(), 0);
    });
  });
}

function hiddenFields(html: string) {
  const fields: Record<string, string[]> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) if (m[1] !== '_csrf') (fields[m[1]] ??= []).push(m[2].replaceAll('&amp;', '&'));
  return fields;
}
