import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent, familyActorOf } from '../../../test/support/builders.ts';
import { aService } from '../../../test/support/catalogue.ts';
import { aPdf } from '../../../test/support/files.ts';
import { newId } from '../../platform/ids.ts';
import { requestsService } from '../requests/requests.service.ts';
import { requestTypeHandlers } from '../../app.ts';
import { requestKindsPersonalData } from './request-kinds.personal-data.ts';

const QUOTIENT_DOC = '00000000-0000-7000-8000-00000000d002';
const CERTIFICAT_DOC = '00000000-0000-7000-8000-00000000d007';

/** Posts the wallet's form as a browser does: the fields (token first), then the file last. */
async function upload(t: TestApp, client: TestClient, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
  const boundary = '----portail-doc';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: client.lastCsrf, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
  return { status: res.statusCode, location: res.headers.location };
}

for (const engine of testEngines()) {
  describe(`demandes : brouillon, complément, quotient familial, absence justifiée (${engine})`, () => {
    let t: TestApp;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;
    let canteen: Awaited<ReturnType<typeof aService>>;
    let attestationA: string;
    let certificatA: string;
    const bookings: Record<string, string> = {};

    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const service = () => requestsService(t.ctx, requestTypeHandlers());
    const statusOf = async (id: string) => (await t.ctx.db.selectFrom('requests').select(['status', 'due_date']).where('id', '=', id).executeTakeFirstOrThrow());

    /** A booked day of the household's child (a slot of the canteen's group). */
    async function aBooking(family: typeof a, day: string) {
      const now = t.ctx.clock.now().toISOString();
      const existing = await t.ctx.db.selectFrom('slots').select('id').where('unit_id', '=', canteen.unitId).where('day', '=', day).executeTakeFirst();
      const slotId = existing?.id ?? newId();
      if (!existing) await t.ctx.db.insertInto('slots').values({ id: slotId, unit_id: canteen.unitId, group_id: canteen.groupId, day, capacity: null, taken: 1, waiting_seq: 0, waiting: 0, closed: 0 }).execute();
      const id = newId();
      await t.ctx.db
        .insertInto('bookings')
        .values({ id, child_person_id: family.childId, household_id: family.householdId, service_id: canteen.serviceId, unit_id: canteen.unitId, slot_id: slotId, day, status: 'booked', waiting_rank: null, override: 0, attendance: null, attendance_at: null, attendance_by: null, absence_declared_at: null, created_at: now, updated_at: now })
        .execute();
      return id;
    }

    /** Files a request through the family's form; returns its id. */
    async function file(client: TestClient, path: string, form: Record<string, string>) {
      await client.get(path);
      const res = await client.post(path, form);
      assert.equal(res.status, 303, textOf(res.body));
      return res.location!.split('/').at(-1)!;
    }

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      const town = await agentAuth(t.ctx, ['enfance']);
      canteen = await aService(t.ctx);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      agent = await anAgent(t.ctx, ['enfance']);
      const parent = await loggedIn(a);
      // The attestation is sent from the request form's link: the wallet form comes back to the request.
      const form = await parent.get('/demandes/nouvelle/quotient');
      assert.match(textOf(form.body), /vous n'en avez pas encore envoyé/);
      assert.match(form.body, /href="\/documents\/ajouter\?type=00000000-0000-7000-8000-00000000d002&amp;retour=%2Fdemandes%2Fnouvelle%2Fquotient"/);
      await parent.get(`/documents/ajouter?type=${QUOTIENT_DOC}&retour=/demandes/nouvelle/quotient`);
      const sent = await upload(t, parent, '/documents/ajouter', { retour: '/demandes/nouvelle/quotient', type: QUOTIENT_DOC, personne: 'foyer', date: '2026-11-02' }, { name: 'caf.pdf', bytes: aPdf() });
      assert.equal(sent.status, 303);
      assert.match(sent.location!, /^\/demandes\/nouvelle\/quotient\?document=[0-9a-f-]{36}$/);
      attestationA = sent.location!.split('=')[1];
      // Another address than a request form is not followed.
      await parent.get('/documents/ajouter');
      const elsewhere = await upload(t, parent, '/documents/ajouter', { retour: 'https://ailleurs.example/', type: CERTIFICAT_DOC, personne: a.childId, date: '2026-11-20' }, { name: 'certificat.pdf', bytes: aPdf() });
      assert.equal(elsewhere.location, '/documents');
      certificatA = (await t.ctx.db.selectFrom('documents').select('id').where('household_id', '=', a.householdId).where('type_id', '=', CERTIFICAT_DOC).executeTakeFirstOrThrow()).id;
      bookings.missed = await aBooking(a, '2026-11-23');
      bookings.october = await aBooking(a, '2026-10-15');
      bookings.future = await aBooking(a, '2026-12-03');
      bookings.otherHousehold = await aBooking(b, '2026-11-23');
    });
    after(() => t.close());

    test('a draft: saved by the family, unseen by agents, sent later; another draft is deleted; another household gets 404', async () => {
      const parent = await loggedIn(a);
      const draft = await file(parent, '/demandes/nouvelle/quotient', { document: attestationA, action: 'brouillon' });
      assert.equal((await statusOf(draft)).status, 'draft');
      assert.match(textOf((await parent.get(`/demandes/${draft}`)).body), /Brouillon.*Ce brouillon n'est pas encore envoyé/);
      assert.equal((await t.ctx.db.selectFrom('outbox').select('id').where('subject', 'like', '%reçue%').where('to_address', '=', a.email).execute()).length, 0, 'no e-mail for a draft');
      // Agents: 404 on the page, the decision, the quotient page; not on the household page.
      const town = await loggedIn(agent);
      assert.equal((await town.get(`/agent/demandes/${draft}`)).status, 404);
      assert.equal((await town.get(`/agent/demandes/${draft}/quotient`)).status, 404);
      await town.get('/agent');
      assert.equal((await town.post(`/agent/demandes/${draft}/decision`, { action: 'accepted' })).status, 404);
      assert.doesNotMatch((await town.get(`/agent/foyers/${a.householdId}`)).body, new RegExp(draft));
      // Another household: 404 on every new route.
      const other = await loggedIn(b);
      await other.get('/demandes');
      for (const path of ['envoyer', 'supprimer', 'complement']) assert.equal((await other.post(`/demandes/${draft}/${path}`, { reponse: 'x' })).status, 404, path);
      assert.equal((await other.get(`/demandes/${draft}`)).status, 404);
      // Sent by the family: « déposée », with the e-mail of a new request.
      await parent.get(`/demandes/${draft}`);
      assert.equal((await parent.post(`/demandes/${draft}/envoyer`)).status, 303);
      assert.equal((await statusOf(draft)).status, 'submitted');
      assert.equal((await t.ctx.db.selectFrom('outbox').select('id').where('subject', 'like', '%reçue%').where('to_address', '=', a.email).execute()).length, 1);
      assert.equal((await parent.post(`/demandes/${draft}/supprimer`)).status, 409, 'a sent request is no longer a draft');
      const other2 = await file(parent, '/demandes/nouvelle/quotient', { document: attestationA, action: 'brouillon' });
      await parent.get(`/demandes/${other2}`);
      assert.equal((await parent.post(`/demandes/${other2}/supprimer`)).status, 303);
      assert.equal(await t.ctx.db.selectFrom('requests').select('id').where('id', '=', other2).executeTakeFirst(), undefined);
      assert.equal(await t.ctx.db.selectFrom('quotient_requests').select('request_id').where('request_id', '=', other2).executeTakeFirst(), undefined);
    });

    test('QF update: complement asked with a due date, reminder once, the family answers, the agent types the QF and accepts: it enters the QF history', async () => {
      let parent = await loggedIn(a);
      const id = await file(parent, '/demandes/nouvelle/quotient', { document: attestationA, action: 'envoyer' });
      let town = await loggedIn(agent);
      await town.get(`/agent/demandes/${id}`);
      const noDue = await town.post(`/agent/demandes/${id}/decision`, { action: 'complement_requested', motif: 'La page 2 manque' });
      assert.equal(noDue.status, 400);
      assert.match(textOf(noDue.body), /Indiquez la date limite de réponse du complément/);
      assert.equal((await town.post(`/agent/demandes/${id}/decision`, { action: 'complement_requested', motif: '', echeance: '2026-12-04' })).status, 400);
      assert.equal((await town.post(`/agent/demandes/${id}/decision`, { action: 'complement_requested', motif: 'La page 2 manque', echeance: '2026-11-28' })).status, 400);
      assert.equal((await town.post(`/agent/demandes/${id}/decision`, { action: 'complement_requested', motif: 'La page 2 manque', echeance: '2026-12-04' })).status, 303);
      assert.deepEqual(await statusOf(id), { status: 'complement_requested', due_date: '2026-12-04' });
      const mail = await t.ctx.db.selectFrom('outbox').select('id').where('to_address', '=', a.email).where('subject', 'like', '%complément demandé%').execute();
      assert.equal(mail.length, 1);
      // The reminder: not yet (six days before), then once from two days before, whatever the number of runs.
      assert.equal(await service().sendComplementReminders(), 0);
      t.clock.set('2026-12-02T07:00:00Z');
      const [first, second] = await Promise.all([service().sendComplementReminders(), service().sendComplementReminders()]);
      assert.equal(first + second, 1);
      assert.equal(await service().sendComplementReminders(), 0);
      assert.equal((await t.ctx.db.selectFrom('outbox').select('id').where('to_address', '=', a.email).where('subject', 'like', 'Rappel%').execute()).length, 1);
      // The family answers (a new session: four days went by): back to « en instruction », the answer in the thread.
      parent = await loggedIn(a);
      town = await loggedIn(agent);
      const page = textOf((await parent.get(`/demandes/${id}`)).body);
      assert.match(page, /Le service attend votre réponse avant le vendredi 4 décembre 2026\. Ce qui est demandé : La page 2 manque/);
      assert.equal((await parent.post(`/demandes/${id}/complement`, { reponse: '  ' })).status, 400);
      assert.equal((await parent.post(`/demandes/${id}/complement`, { reponse: 'Voici la page 2, ajoutée dans mes documents.' })).status, 303);
      assert.deepEqual(await statusOf(id), { status: 'in_review', due_date: null });
      assert.equal((await parent.post(`/demandes/${id}/complement`, { reponse: 'Encore' })).status, 409, 'no complement awaited any more');
      // Accepting before the QF is typed is refused with its code; the agent types it, then accepts.
      const auth = await agentAuth(t.ctx, ['enfance']);
      assert.deepEqual((await service().decide(auth, [id], 'accepted', null)).map((r) => (r.ok ? 'ok' : r.code)), ['qf_missing']);
      await town.get(`/agent/demandes/${id}/quotient`);
      const bad = await town.post(`/agent/demandes/${id}/quotient`, { quotient: 'beaucoup', mois: '2026-11', organisme: 'caf' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Le quotient familial est un nombre entier d'euros/);
      assert.equal((await town.post(`/agent/demandes/${id}/quotient`, { quotient: '640', mois: '2026-11', organisme: 'caf' })).status, 303);
      assert.equal((await town.post(`/agent/demandes/${id}/decision`, { action: 'accepted' })).status, 303);
      assert.equal((await statusOf(id)).status, 'accepted');
      const quotients = await t.ctx.db.selectFrom('quotients').select(['value_eur', 'reference_month', 'source', 'reason']).where('household_id', '=', a.householdId).execute();
      assert.deepEqual(quotients.map((q) => [q.value_eur, q.reference_month, q.source]), [[640, '2026-11', 'caf']]);
      assert.match(quotients[0].reason, /Attestation CAF, demande D-2026-/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.householdId).where('action', 'in', ['household.quotient_added', 'request.quotient_entered']).execute();
      assert.equal(audit.length, 2);
      // Closed: the quotient page no longer saves.
      assert.equal((await town.post(`/agent/demandes/${id}/quotient`, { quotient: '1', mois: '2026-11', organisme: 'caf' })).status, 409);
      t.clock.set('2026-11-28T10:00:00Z');
    });

    test('races: two agents asking a complement, and a double answer of the family while an agent takes the request back, each have one winner', async () => {
      const parent = await loggedIn(a);
      const id = await file(parent, '/demandes/nouvelle/quotient', { document: attestationA, action: 'envoyer' });
      const auth = await agentAuth(t.ctx, ['enfance']);
      const [x, y] = await Promise.all([service().decide(auth, [id], 'complement_requested', 'Illisible', { dueDate: '2026-12-10' }), service().decide(auth, [id], 'complement_requested', 'Illisible', { dueDate: '2026-12-11' })]);
      assert.deepEqual([...x, ...y].map((r) => r.ok).sort(), [false, true]);
      assert.equal((await t.ctx.db.selectFrom('request_events').select('id').where('request_id', '=', id).where('to_status', '=', 'complement_requested').execute()).length, 1);
      // The family answers twice at once (a double click) while an agent takes the request back: one move only.
      const familyActor = await familyActorOf(t.ctx, a.email);
      const results = await Promise.allSettled([service().answerComplement(familyActor, id, 'Voici une photo plus nette'), service().answerComplement(familyActor, id, 'Voici une photo plus nette'), service().decide(auth, [id], 'in_review', null)]);
      const answers = results.slice(0, 2).filter((r) => r.status === 'fulfilled').length;
      const agentWon = results[2].status === 'fulfilled' && results[2].value[0].ok;
      assert.equal(answers + (agentWon ? 1 : 0), 1, 'exactly one wins');
      assert.equal((await statusOf(id)).status, 'in_review');
      assert.equal((await t.ctx.db.selectFrom('request_events').select('id').where('request_id', '=', id).where('from_status', '=', 'complement_requested').execute()).length, 1);
      const messages = await t.ctx.db.selectFrom('request_messages').select('id').where('request_id', '=', id).execute();
      assert.equal(messages.length, answers, 'a losing answer leaves no message');
    });

    test('justified absence: a missed booked day with a certificate; accepted, the day is « absent, justifié »; an invoiced day is refused', async () => {
      const parent = await loggedIn(a);
      const form = textOf((await parent.get('/demandes/nouvelle/absence')).body);
      assert.match(form, /Léa, lundi 23 novembre 2026 : Restauration scolaire – Repas/);
      assert.match(form, /Léa, jeudi 15 octobre 2026/);
      assert.doesNotMatch(form, /3 décembre/, 'a future day is not offered');
      // Another household's booking or a future day: refused with a French message.
      for (const jour of [bookings.otherHousehold, bookings.future]) {
        const res = await parent.post('/demandes/nouvelle/absence', { document: certificatA, jour, action: 'envoyer' });
        assert.equal(res.status, 400);
        assert.match(textOf(res.body), /Ce jour ne peut pas être justifié/);
      }
      const id = await file(parent, '/demandes/nouvelle/absence', { document: certificatA, jour: bookings.missed, action: 'envoyer' });
      assert.match(textOf((await parent.post('/demandes/nouvelle/absence', { document: certificatA, jour: bookings.missed, action: 'envoyer' })).body), /Une demande est déjà en cours pour ce jour/);
      const town = await loggedIn(agent);
      await town.get(`/agent/demandes/${id}`);
      assert.equal((await town.post(`/agent/demandes/${id}/decision`, { action: 'accepted' })).status, 303);
      const booking = await t.ctx.db.selectFrom('bookings').select(['attendance', 'attendance_by']).where('id', '=', bookings.missed).executeTakeFirstOrThrow();
      assert.deepEqual(booking, { attendance: 'absent_justified', attendance_by: agent.id });
      // October gets invoiced after the request was filed: accepting is refused, nothing changes.
      const october = await file(parent, '/demandes/nouvelle/absence', { document: certificatA, jour: bookings.october, action: 'envoyer' });
      const svc = await t.ctx.db.selectFrom('services').select('regie_id').where('id', '=', canteen.serviceId).executeTakeFirstOrThrow();
      await t.ctx.db.insertInto('billing_locks').values({ regie_id: svc.regie_id!, month: '2026-10', run_id: 'run-test', locked_at: '2026-11-02T09:00:00.000Z' }).execute();
      const auth = await agentAuth(t.ctx, ['enfance']);
      assert.deepEqual((await service().decide(auth, [october], 'accepted', null)).map((r) => (r.ok ? 'ok' : r.code)), ['day_invoiced']);
      assert.equal((await statusOf(october)).status, 'submitted', 'the whole decision rolled back');
      assert.equal((await t.ctx.db.selectFrom('bookings').select('attendance').where('id', '=', bookings.october).executeTakeFirstOrThrow()).attendance, null);
      assert.doesNotMatch(textOf((await parent.get('/demandes/nouvelle/absence')).body), /15 octobre/, 'an invoiced day is no longer offered');
      // The RGPD export lists the requests of both kinds.
      const exported = await requestKindsPersonalData.export(t.ctx.db, { householdId: a.householdId, personIds: [], userId: null });
      assert.ok(exported.absence_requests.some((r) => r.day === '2026-11-23' && r.child === 'Léa'));
      assert.ok(exported.quotient_requests.some((r) => r.qf_value === 640));
    });

    test('the town switches a type off: not offered, and refused if posted; roles other than admin and enfance get 403', async () => {
      const admin = await loggedIn(await anAgent(t.ctx, ['admin']));
      const settings = await admin.get('/agent/demandes/types');
      assert.equal(settings.status, 200);
      assert.match(textOf(settings.body), /Mise à jour du quotient familial.*Absence justifiée/);
      const saved = await admin.post('/agent/demandes/types', { actives: ['enrolment', 'quotient', 'situation', 'other'], aide_quotient: 'Joignez l\'attestation de moins de trois mois.', aide_absence: '', aide_enrolment: '' });
      assert.equal(saved.status, 303);
      assert.equal((await admin.post('/agent/demandes/types', { actives: ['enrolment', 'quotient', 'situation', 'other'], aide_quotient: 'Joignez l\'attestation de moins de trois mois.' })).status, 303);
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'request_type.updated').execute()).length, 2, 'only what changed is written: two types, once');
      const parent = await loggedIn(a);
      // « Faire une demande » lists the types the town offers, with its help text.
      const list = textOf((await parent.get('/demandes/nouvelle')).body);
      assert.match(list, /Mettre à jour mon quotient familial Joignez l'attestation de moins de trois mois\./);
      assert.doesNotMatch(list, /Justifier une absence/);
      assert.equal((await parent.get('/demandes/nouvelle/absence')).status, 409);
      await parent.get('/demandes');
      const posted = await parent.post('/demandes/nouvelle/absence', { document: certificatA, jour: bookings.missed, action: 'envoyer' });
      assert.equal(posted.status, 409);
      assert.match(textOf(posted.body), /Cette démarche n'est plus proposée en ligne/);
      const tooLong = await admin.post('/agent/demandes/types', { actives: ['quotient'], aide_quotient: 'a'.repeat(1001) });
      assert.equal(tooLong.status, 400);
      for (const role of ['animateur', 'regie'] as const) {
        const other = await loggedIn(await anAgent(t.ctx, [role]));
        assert.equal((await other.get('/agent/demandes/types')).status, 403, role);
        await other.get('/agent');
        assert.equal((await other.post('/agent/demandes/types', { actives: ['quotient'] })).status, 403, role);
      }
      assert.equal((await admin.post('/agent/demandes/types', { actives: ['enrolment', 'quotient', 'absence'] })).status, 303);
    });
  });
}
