import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf, TEST_PASSWORD } from '../../../test/support/builders.ts';
import { aService, anAcceptedEnrolment } from '../../../test/support/catalogue.ts';
import { hiddenFields, monthForm } from '../../../test/support/forms.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { identityService } from '../identity/identity.service.ts';
import { bookingsService } from './bookings.service.ts';

for (const engine of testEngines()) {
  describe(`calendrier de réservation de la famille (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let s: Awaited<ReturnType<typeof aService>>;
    const key = (day: string, childId = a.childId) => `${childId}|${s.unitId}|${day}`;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-01T10:00:00Z' }); // Tuesday 11:00 in Paris
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, agent, 'Bernard');
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
      await anAcceptedEnrolment(t.ctx, b.householdId, b.childId, s);
    });
    after(() => t.close());

    test('the month shows each day with its state and until when it can change; a past deadline says why', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const page = await parent.get('/reservations?mois=2026-12');
      assert.equal(page.status, 200);
      const text = textOf(page.body);
      assert.match(text, /Léa – Restauration scolaire, repas – décembre 2026/);
      assert.match(text, /Férié : Noël|Vacances scolaires/);
      // Wednesday 2 December: no canteen; Thursday 3: deadline was Tuesday 1 at 12:00, still open at 11:00.
      assert.match(page.body, /Léa, jeudi 3 décembre, restauration scolaire, repas/);
      // Tuesday 1 December itself: too late, and the page says since when.
      assert.match(text, /Délai dépassé le vendredi 27 novembre, 12 h/);
    });

    test('booking through the month form, then a refusal explained in plain French', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations?mois=2026-12');
      const shown = ['2026-12-03', '2026-12-04', '2026-12-07'].map((d) => key(d));
      const saved = await parent.post('/reservations', { mois: '2026-12', affiche: shown.map((k) => `${k}|none`), reserve: shown.slice(0, 2) });
      assert.equal(saved.status, 303);
      assert.match(textOf((await parent.get(saved.location!)).body), /Réservé : Léa le jeudi 3 décembre, le vendredi 4 décembre\./);
      t.clock.set('2026-12-01T11:00:00Z'); // 12:00 in Paris: Thursday 3 closes
      await parent.login(a.email, a.password); // the hour that passed ended the session
      await parent.get('/reservations?mois=2026-12');
      const late = await parent.post('/reservations', { mois: '2026-12', affiche: [`${key('2026-12-03')}|booked`, `${key('2026-12-08')}|none`], reserve: [key('2026-12-08')], confirme: 'oui' });
      assert.equal(late.status, 409);
      const text = textOf(late.body);
      assert.match(text, /Réservé \(1 jour\)\s*Léa, mardi 8 décembre \(restauration scolaire, repas\)/);
      assert.match(text, /Pas possible \(1 jour\)\s*Léa, jeudi 3 décembre \(restauration scolaire, repas\) : Délai dépassé le mardi 1er décembre, 12 h/);
      t.clock.set('2026-12-01T10:00:00Z');
    });

    test('a weekly pattern books the chosen weekdays over a period and skips holidays', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations/semaine-type');
      const bad = await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, debut: '2026-12-07', fin: '2026-12-01', action: 'reserver' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Choisissez au moins un jour/);
      const ok = await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, jours: ['1', '2'], debut: '2026-12-07', fin: '2027-01-12', action: 'reserver' });
      assert.equal(ok.status, 303);
      const rows = await t.ctx.db.selectFrom('bookings').select('day').where('child_person_id', '=', a.childId).where('status', '=', 'booked').where('day', '>=', '2026-12-07').orderBy('day').execute();
      assert.deepEqual(rows.map((r) => r.day), ['2026-12-07', '2026-12-08', '2026-12-14', '2026-12-15', '2027-01-04', '2027-01-05', '2027-01-11', '2027-01-12']);
    });

    test('« Semaine type → Annuler » lists the days it will cancel and cancels them only on « Confirmer »', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations/semaine-type');
      const booked = async () => (await t.ctx.db.selectFrom('bookings').select('day').where('child_person_id', '=', a.childId).where('status', '=', 'booked').where('day', '>=', '2026-12-07').where('day', '<=', '2026-12-15').orderBy('day').execute()).map((r) => r.day);
      const summary = await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, jours: '1', debut: '2026-12-07', fin: '2026-12-15', action: 'annuler' });
      assert.equal(summary.status, 200);
      assert.match(textOf(summary.body), /Vous allez annuler 2 jours :\s*Léa, lundi 7 décembre, restauration scolaire, repas\s*Léa, lundi 14 décembre, restauration scolaire, repas/);
      assert.match(textOf(summary.body), /Revenir sans rien changer/);
      assert.deepEqual(await booked(), ['2026-12-07', '2026-12-08', '2026-12-14', '2026-12-15'], 'nothing is cancelled before « Confirmer »');
      const done = await parent.post('/reservations/semaine-type', { ...hiddenFields(summary.body), confirme: 'oui' });
      assert.equal(done.status, 303);
      assert.deepEqual(await booked(), ['2026-12-08', '2026-12-15']);
      // Booked again for the tests that follow.
      await parent.get('/reservations/semaine-type');
      await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, jours: '1', debut: '2026-12-07', fin: '2026-12-15', action: 'reserver' });
    });

    test('another household\'s child cannot be booked through the form; logged-out visitors go to the login page', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations');
      const res = await parent.post('/reservations', { mois: '2026-12', affiche: [`${key('2026-12-10', b.childId)}|none`], reserve: [key('2026-12-10', b.childId)] });
      assert.equal(res.status, 404);
      assert.equal((await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', b.childId).execute()).length, 0);
      const anon = new TestClient(t.app);
      assert.match((await anon.get('/reservations')).location ?? '', /^\/connexion/);
    });

    test('an enfance agent books past the deadline from the household page; a guardian cannot', async () => {
      const agentAccount = await anAgent(t.ctx, ['enfance']);
      const agent = new TestClient(t.app);
      await agent.login(agentAccount.email, agentAccount.password);
      await agent.get(`/agent/foyers/${b.householdId}/derogation`);
      const res = await agent.post(`/agent/foyers/${b.householdId}/derogation`, { enfant: b.childId, unite: s.unitId, jour: '2026-12-01', action: 'reserver' });
      assert.equal(res.status, 200);
      assert.match(textOf(res.body), /Réservé/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'booking.override').where('target_id', '=', b.householdId).execute();
      assert.equal(audit.length, 1);
      const parent = new TestClient(t.app);
      await parent.login(b.email, b.password);
      assert.equal((await parent.get(`/agent/foyers/${b.householdId}/derogation`)).status, 403);
    });

    test('an absence is declared for a booked day past its cancellation deadline', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const booking = await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', a.childId).where('day', '=', '2026-12-04').executeTakeFirstOrThrow();
      t.clock.set('2026-12-02T12:00:00Z'); // Friday 4's deadline (Wednesday 2 at 12:00) has passed
      await parent.login(a.email, a.password);
      const page = await parent.get('/reservations?mois=2026-12');
      assert.match(page.body, new RegExp(`/reservations/absence/${booking.id}`));
      await parent.get(`/reservations/absence/${booking.id}`);
      const done = await parent.post(`/reservations/absence/${booking.id}`);
      assert.equal(done.status, 303);
      const row = await t.ctx.db.selectFrom('bookings').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow();
      assert.ok(row.absence_declared_at);
      const other = new TestClient(t.app);
      await other.login(b.email, b.password);
      assert.equal((await other.get(`/reservations/absence/${booking.id}`)).status, 404);
      t.clock.set('2026-12-01T10:00:00Z');
    });
  });
}

/** The hidden fields of a page's form (a summary page carries the whole form it summarises). */

for (const engine of testEngines()) {
  describe(`un calendrier ouvert plus tôt ne défait rien (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let father: { email: string; password: string };
    const key = (day: string) => `${a.childId}|${s.unitId}|${day}`;
    const status = async (day: string) => (await t.ctx.db.selectFrom('bookings').select('status').where('child_person_id', '=', a.childId).where('day', '=', day).executeTakeFirst())?.status;
    const FEB = '/reservations?mois=2027-02';

    before(async () => {
      t = await createTestApp(engine, { now: '2027-01-25T10:00:00Z' }); // Monday 25 January, 11:00 in Paris
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Martin', { childFirstName: 'Léa' });
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
      // Léa's father, a second guardian of the household with his own account.
      const households = householdsAgentService(t.ctx);
      await households.addGuardian(agent, a.householdId, { first_name: 'Paul', last_name: 'Martin', email: 'paul.martin@test.fr', phone: '0600000001', relationship: 'Père' });
      const paul = (await households.get(agent, a.householdId)).members.find((m) => m.first_name === 'Paul')!;
      const invited = await households.inviteGuardian(agent, a.householdId, paul.id);
      if (!invited.ok) throw new Error(invited.error);
      const activated = await identityService(t.ctx).activate({ code: invited.code, password: TEST_PASSWORD });
      assert.ok(activated.ok);
      father = { email: 'paul.martin@test.fr', password: TEST_PASSWORD };
    });
    after(() => t.close());

    test('same parent, two devices: the older laptop page books 5 February and leaves 4 February (booked on the phone) booked, reported', async () => {
      const laptop = new TestClient(t.app);
      await laptop.login(a.email, a.password);
      const old = monthForm((await laptop.get(FEB)).body);
      assert.ok(old.affiche.includes(`${key('2027-02-04')}|none`), 'the page says what each day was');
      assert.deepEqual(old.reserve, []);

      const phone = new TestClient(t.app);
      await phone.login(a.email, a.password);
      const page = monthForm((await phone.get(FEB)).body);
      const booked = await phone.post('/reservations', { mois: '2027-02', affiche: page.affiche, reserve: [key('2027-02-04')] });
      assert.equal(booked.status, 303);
      assert.match(textOf((await phone.get(booked.location!)).body), /Réservé : Léa le jeudi 4 février\./);

      const late = await laptop.post('/reservations', { mois: '2027-02', affiche: old.affiche, reserve: [key('2027-02-05')] });
      assert.equal(late.status, 409);
      assert.equal(await status('2027-02-04'), 'booked');
      assert.equal(await status('2027-02-05'), 'booked');
      const text = textOf(late.body);
      assert.match(text, /Réservé \(1 jour\)\s*Léa, vendredi 5 février \(restauration scolaire, repas\)/);
      assert.match(text, /Changé entre-temps ailleurs : rien n'a été modifié \(1 jour\)\s*Léa, jeudi 4 février \(restauration scolaire, repas\) : maintenant réservé/);
      assert.doesNotMatch(text, /Annulé/);
    });

    test('separated parents: the father\'s older page books 9 February and cancels nothing the mother booked since', async () => {
      const dad = new TestClient(t.app);
      await dad.login(father.email, father.password);
      const old = monthForm((await dad.get(FEB)).body);
      const mum = new TestClient(t.app);
      await mum.login(a.email, a.password);
      const page = monthForm((await mum.get(FEB)).body);
      await mum.post('/reservations', { mois: '2027-02', affiche: page.affiche, reserve: [...page.reserve, key('2027-02-08')] });
      assert.equal(await status('2027-02-08'), 'booked');

      const res = await dad.post('/reservations', { mois: '2027-02', affiche: old.affiche, reserve: [...old.reserve, key('2027-02-09')] });
      assert.equal(res.status, 409);
      assert.equal(await status('2027-02-08'), 'booked');
      assert.equal(await status('2027-02-09'), 'booked');
      assert.match(textOf(res.body), /Changé entre-temps ailleurs : rien n'a été modifié \(1 jour\)\s*Léa, lundi 8 février \(restauration scolaire, repas\) : maintenant réservé/);
      // Nothing was cancelled behind the mother's back.
      assert.equal((await t.ctx.db.selectFrom('bookings').select('id').where('child_person_id', '=', a.childId).where('status', '=', 'cancelled').execute()).length, 0);
    });

    test('a conflict is a code: a day that changed since the page is never applied, in either direction', async () => {
      const actor = await familyActorOf(t.ctx, a.email);
      const bookings = bookingsService(t.ctx);
      const one = (d: string, want: boolean, shown: 'booked' | 'none') => ({ childId: a.childId, unitId: s.unitId, day: d, want, shown });
      // 4 February is booked: a page that drew it free and left it unticked, or ticked, changes nothing.
      const results = await bookings.applyFamilyChanges(actor, [one('2027-02-04', false, 'none'), one('2027-02-11', true, 'booked'), one('2027-02-12', true, 'none'), one('2027-02-05', false, 'booked')]);
      assert.deepEqual(
        results.map((r) => [r.day, r.code]),
        [
          ['2027-02-04', 'conflict'],
          ['2027-02-11', 'conflict'],
          ['2027-02-12', 'booked'],
          ['2027-02-05', 'cancelled'],
        ],
      );
      assert.equal(await status('2027-02-04'), 'booked');
      assert.equal(await status('2027-02-11'), undefined);
    });

    test('a cancellation is summarised first and changes nothing until confirmed; the confirmation names every day by child and date', async () => {
      const parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      const page = monthForm((await parent.get(FEB)).body);
      const reserve = [...page.reserve.filter((k) => k !== key('2027-02-12')), key('2027-02-01'), key('2027-02-11')];
      const summary = await parent.post('/reservations', { mois: '2027-02', affiche: page.affiche, reserve });
      assert.equal(summary.status, 200);
      const said = textOf(summary.body);
      assert.match(said, /Vous allez annuler 1 jour :\s*Léa, vendredi 12 février, restauration scolaire, repas/);
      assert.match(said, /Vous allez réserver 2 jours :\s*Léa, lundi 1er février, restauration scolaire, repas\s*Léa, jeudi 11 février/);
      assert.match(summary.body, /<a href="\/reservations\?mois=2027-02"[^>]*>Revenir sans rien changer<\/a>/);
      assert.equal(await status('2027-02-12'), 'booked', 'nothing is cancelled before « Confirmer »');
      assert.equal(await status('2027-02-01'), undefined, 'nothing is booked before « Confirmer »');
      const carried = hiddenFields(summary.body);
      assert.deepEqual(carried.affiche, page.affiche, 'the summary carries the page state as drawn');
      const res = await parent.post('/reservations', { ...carried, confirme: 'oui' });
      assert.equal(res.status, 303);
      assert.equal(await status('2027-02-12'), 'cancelled');
      const text = textOf((await parent.get(res.location!)).body);
      assert.match(text, /Réservé : Léa le lundi 1er février, le jeudi 11 février\. Annulé : Léa le vendredi 12 février\./);
      assert.doesNotMatch(text, /changement\(s\)/);
    });
  });

  describe(`liste d'attente dans l'ordre d'arrivée des formulaires (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    const parents: { client: TestClient; childId: string; affiche: string[] }[] = [];
    const DAY = '2026-12-10';

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-01T10:00:00Z', poolSize: 10 });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 1 });
      for (let i = 0; i < 16; i++) {
        const f = await aFamily(t.ctx, agent, `Rang${i}`);
        await anAcceptedEnrolment(t.ctx, f.householdId, f.childId, s);
        const client = new TestClient(t.app);
        await client.login(f.email, f.password);
        const { affiche } = monthForm((await client.get('/reservations?mois=2026-12')).body);
        parents.push({ client, childId: f.childId, affiche });
      }
    });
    after(() => t.close());

    test('forms sent 25 ms apart for one full day are ranked in the order the server received them', async () => {
      const sent = parents.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, i * 25));
        return (await p.client.post('/reservations', { mois: '2026-12', affiche: p.affiche, reserve: `${p.childId}|${s.unitId}|${DAY}` })).status;
      });
      assert.ok((await Promise.all(sent)).every((status) => status === 303));
      const rows = await t.ctx.db.selectFrom('bookings').select(['child_person_id', 'status']).where('unit_id', '=', s.unitId).where('day', '=', DAY).where('status', '=', 'waiting').orderBy('waiting_rank').execute();
      assert.equal(rows.length, 15);
      const order = rows.map((r) => parents.findIndex((p) => p.childId === r.child_person_id));
      assert.deepEqual(order, [...order].sort((x, y) => x - y));
    });
  });

  describe(`entrées extrêmes ou malformées : une réponse 400 rapide, jamais 500 (${engine})`, () => {
    let t: TestApp;
    let s: Awaited<ReturnType<typeof aService>>;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let parent: TestClient;
    const key = (d: string) => `${a.childId}|${s.unitId}|${d}`;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-12-01T10:00:00Z' });
      const agent = await agentAuth(t.ctx, ['enfance']);
      s = await aService(t.ctx, { places: 10 });
      a = await aFamily(t.ctx, agent, 'Extreme', { childFirstName: 'Léa' });
      await anAcceptedEnrolment(t.ctx, a.householdId, a.childId, s);
      parent = new TestClient(t.app);
      await parent.login(a.email, a.password);
      await parent.get('/reservations');
    });
    after(() => t.close());

    // CPU time of this process (the requests are injected in it), not wall time: a busy machine
    // slows the wall clock, while the freeze this guards against burned seconds of CPU.
    const timed = async (run: () => Promise<{ status: number; body: string }>) => {
      const start = process.cpuUsage();
      const res = await run();
      const used = process.cpuUsage(start);
      return { ...res, ms: (used.user + used.system) / 1000 };
    };

    test('a weekly pattern from year 0 to 9999 (or over a century) is refused at once, before any day is built', async () => {
      const base = { enfants: a.childId, unites: s.unitId, jours: ['1', '2', '4', '5'], action: 'reserver' };
      for (const [debut, fin] of [
        ['0000-01-01', '9999-12-31'],
        ['2026-12-07', '9999-12-31'],
        ['2000-01-01', '2099-12-31'],
        ['2027-02-30', '2027-03-01'],
      ]) {
        const res = await timed(() => parent.post('/reservations/semaine-type', { ...base, debut, fin }));
        assert.equal(res.status, 400, `${debut}..${fin}`);
        assert.ok(res.ms < 200, `${debut}..${fin} : ${Math.round(res.ms)} ms`);
      }
      assert.equal((await t.ctx.db.selectFrom('bookings').select('id').execute()).length, 0);
      assert.throws(() => bookingsService(t.ctx).weeklyChanges([a.childId], [s.unitId], [1], '0000-01-01', '9999-12-31', true), RangeError);
    });

    test('month navigation outside 2000–2099 or malformed is a 400, a month at the edge still shows', async () => {
      for (const mois of ['9999-12', '0000-01', '2027-13', '2027-1', 'x']) {
        const res = await timed(() => parent.get(`/reservations?mois=${mois}`));
        assert.equal(res.status, 400, mois);
        assert.ok(res.ms < 200);
      }
      assert.equal((await parent.get('/reservations?mois=2099-12')).status, 200);
      assert.equal((await parent.get('/reservations?mois=2027-02&mois=2027-03')).status, 400);
    });

    test('malformed booking keys (impossible date, the same day twice, not a key) and a missing body are 400, never 500', async () => {
      await parent.get('/reservations?mois=2026-12');
      const cases: Record<string, string | string[]>[] = [
        { mois: '2026-12', affiche: `${key('2027-02-30')}|none`, reserve: key('2027-02-30') },
        { mois: '2026-12', affiche: [`${key('2026-12-10')}|none`, `${key('2026-12-10')}|booked`], reserve: key('2026-12-10') },
        { mois: '2026-12', affiche: `${key('2026-12-10')}|none`, reserve: [key('2026-12-10'), key('2026-12-10')] },
        { mois: '2026-12', affiche: `${key('0000-00-00')}|none` },
        { mois: '2026-12', affiche: `${key('2026-12-10')}|maybe` },
        { mois: '2026-12', affiche: key('2026-12-10') },
        { mois: ['2026-12', '2027-01'] },
        { mois: '2026-12', affiche: [`${key('2000-01-03')}|none`, `${key('2099-12-28')}|none`], reserve: [key('2000-01-03'), key('2099-12-28')] },
      ];
      for (const form of cases) assert.equal((await parent.post('/reservations', form)).status, 400, JSON.stringify(form));
      const empty = await t.app.inject({ method: 'POST', url: '/reservations', headers: { cookie: [...parent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.ok(empty.statusCode >= 400 && empty.statusCode < 500, `no body: ${empty.statusCode}`);
      assert.equal((await parent.post('/reservations/semaine-type', { enfants: a.childId, unites: s.unitId, jours: '1', debut: ['2026-12-07', '2026-12-08'], fin: '2026-12-20', action: 'reserver' })).status, 400);
      assert.equal((await t.ctx.db.selectFrom('bookings').select('id').execute()).length, 0);
    });

    test('an agent override on an impossible or out-of-range day is a 400 with the field named', async () => {
      const account = await anAgent(t.ctx, ['enfance']);
      const agent = new TestClient(t.app);
      await agent.login(account.email, account.password);
      const url = `/agent/foyers/${a.householdId}/derogation`;
      await agent.get(url);
      for (const jour of ['2027-02-30', '0000-01-01', '9999-12-31']) {
        const res = await timed(() => agent.post(url, { enfant: a.childId, unite: s.unitId, jour, action: 'reserver' }));
        assert.equal(res.status, 400, jour);
        assert.match(textOf(res.body), /Saisissez un jour qui existe/);
        assert.ok(res.ms < 200);
      }
      assert.equal((await agent.post(url, { enfant: [a.childId, a.childId], unite: s.unitId, jour: '2026-12-10', action: 'reserver' })).status, 400);
      assert.equal((await agent.get('/agent/foyers/pas-un-id/derogation')).status, 404);
    });
  });
}
