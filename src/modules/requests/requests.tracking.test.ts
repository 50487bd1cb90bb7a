import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aPdf } from '../../../test/support/files.ts';
import { aSchoolCatalogue, enrolThroughForm } from '../enrolments/enrolments.fixtures.ts';
import { requestsTrackingPersonalData } from './requests.tracking.personal-data.ts';

/** Posts a form as a browser does with enctype multipart: the fields (token first), then the file last. */
async function multipart(t: TestApp, client: TestClient, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer } | null) {
  const boundary = '----portail-demande';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: client.lastCsrf, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const f = file ?? { name: '', bytes: Buffer.alloc(0) };
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const set = res.headers['set-cookie'];
  for (const line of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    client.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return { status: res.statusCode, body: res.body, location: res.headers.location };
}

async function download(t: TestApp, client: TestClient, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

for (const engine of testEngines()) {
  describe(`demandes de toute sorte : changement de situation, autre demande, fichiers, file unique (${engine})`, () => {
    let t: TestApp;
    let dataDir: string;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const requestOf = async (householdId: string, type: string) =>
      t.ctx.db.selectFrom('requests').selectAll().where('household_id', '=', householdId).where('type', '=', type).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const attachmentsOf = (requestId: string) => t.ctx.db.selectFrom('request_attachments').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-requests-'));
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', env: { DATA_DIR: dataDir, DOCUMENT_MAX_MB: '1' } });
      const town = await agentAuth(t.ctx, ['enfance']);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      agent = await anAgent(t.ctx, ['enfance']);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('a new address: the form checks each field, the request is filed, and on acceptance the household moves (audited)', async () => {
      const parent = await loggedIn(a);
      const form = await parent.get('/demandes/nouvelle/situation');
      assert.equal(form.status, 200);
      assert.match(form.body, /enctype="multipart\/form-data"/);
      const none = await multipart(t, parent, '/demandes/nouvelle/situation', {}, null);
      assert.equal(none.status, 400);
      assert.match(textOf(none.body), /Erreur : .*Choisissez ce qui change/);
      const bad = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'address', address_line1: '3 rue Neuve', postcode: '621', city: 'Lens' }, null);
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /code postal à 5 chiffres/);
      assert.match(bad.body, /value="3 rue Neuve"/, 'the values are kept');

      const sent = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'address', address_line1: '3 rue Neuve', address_line2: '', postcode: '62300', city: 'Lens', details: 'Depuis le 1er décembre' }, null);
      assert.equal(sent.status, 303, sent.body);
      const request = await requestOf(a.householdId, 'situation');
      assert.equal(sent.location, `/demandes/${request.id}`);
      assert.equal(request.summary, 'Changement de situation : nouvelle adresse (62300 Lens)');
      const page = textOf((await parent.get(`/demandes/${request.id}`)).body);
      assert.match(page, /Nouvelle adresse 3 rue Neuve, 62300 Lens/);
      assert.match(page, /Et maintenant \? Rien à faire : le service va examiner votre demande\./);
      assert.match(textOf((await parent.get('/demandes')).body), /Changement de situation : nouvelle adresse \(62300 Lens\).*Déposée.*Rien à faire/);

      const town = await loggedIn(agent);
      await town.get(`/agent/demandes/${request.id}`);
      assert.equal((await town.post(`/agent/demandes/${request.id}/decision`, { action: 'accepted', motif: '' })).status, 303);
      const household = await t.ctx.db.selectFrom('households').select(['address_line1', 'postcode', 'city']).where('id', '=', a.householdId).executeTakeFirstOrThrow();
      assert.deepEqual(household, { address_line1: '3 rue Neuve', postcode: '62300', city: 'Lens' });
      const audit = await t.ctx.db.selectFrom('audit_log').select(['summary', 'actor_id']).where('target_id', '=', a.householdId).where('action', '=', 'household.address_updated').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0].actor_id, agent.id);
      assert.match(audit[0].summary, new RegExp(`62300 Lens \\(demande ${request.reference}\\)`));
    });

    test('a guardian who joins is added to the household on acceptance; a change of custody needs the jugement', async () => {
      const parent = await loggedIn(a);
      await parent.get('/demandes/nouvelle/situation');
      const noJugement = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'custody', details: 'Garde alternée une semaine sur deux' }, null);
      assert.equal(noJugement.status, 400);
      assert.match(textOf(noJugement.body), /Joignez le jugement de garde/);
      const custody = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'custody', details: 'Garde alternée une semaine sur deux' }, { name: 'jugement.pdf', bytes: aPdf(200) });
      assert.equal(custody.status, 303, custody.body);
      const custodyRequest = await requestOf(a.householdId, 'situation');
      assert.equal((await attachmentsOf(custodyRequest.id)).length, 1);

      await parent.get('/demandes/nouvelle/situation');
      const joins = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'guardian_joins', first_name: 'Sam', last_name: 'Martin', email: 'SAM.martin@test.fr', relationship: 'Père' }, null);
      assert.equal(joins.status, 303, joins.body);
      const request = await requestOf(a.householdId, 'situation');
      assert.equal(request.summary, 'Changement de situation : arrivée de Sam Martin');
      const before = await t.ctx.db.selectFrom('household_members').select('person_id').where('household_id', '=', a.householdId).where('role', '=', 'guardian').execute();
      const town = await loggedIn(agent);
      await town.get(`/agent/demandes/${request.id}`);
      assert.equal((await town.post(`/agent/demandes/${request.id}/decision`, { action: 'accepted', motif: '' })).status, 303);
      const guardians = await t.ctx.db
        .selectFrom('household_members')
        .innerJoin('persons', 'persons.id', 'household_members.person_id')
        .select(['persons.first_name', 'persons.email', 'household_members.relationship'])
        .where('household_id', '=', a.householdId)
        .where('role', '=', 'guardian')
        .execute();
      assert.equal(guardians.length, before.length + 1);
      assert.ok(guardians.some((g) => g.first_name === 'Sam' && g.email === 'sam.martin@test.fr' && g.relationship === 'Père'));
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('id').where('target_id', '=', a.householdId).where('action', '=', 'household.guardian_added').execute()).length, 1);

      // A guardian who leaves: only one of the household's guardians can be named; the agent does the rest on the household page.
      await parent.get('/demandes/nouvelle/situation');
      const stranger = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'guardian_leaves', person: b.guardianId }, null);
      assert.equal(stranger.status, 400);
      assert.match(textOf(stranger.body), /Choisissez la personne qui quitte le foyer/);
      const leaves = await multipart(t, parent, '/demandes/nouvelle/situation', { kind: 'guardian_leaves', person: a.guardianId }, null);
      assert.equal(leaves.status, 303, leaves.body);
      const leaving = await requestOf(a.householdId, 'situation');
      assert.equal(leaving.summary, 'Changement de situation : départ de Alex Martin');
      assert.match(textOf((await town.get(`/agent/demandes/${leaving.id}`)).body), /Le service retire le responsable du foyer lui-même/);
    });

    test('« autre demande » with a PDF: the agent takes it, answers with a file; each side downloads only what it may', async () => {
      const parent = await loggedIn(a);
      await parent.get('/demandes/nouvelle/autre');
      const empty = await multipart(t, parent, '/demandes/nouvelle/autre', { subject: '', text: '' }, { name: 'piece.pdf', bytes: aPdf(100) });
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Donnez un titre court.*Décrivez votre demande/);
      const html = await multipart(t, parent, '/demandes/nouvelle/autre', { subject: 'Attestation', text: 'Pour mon employeur' }, { name: 'faux.pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
      assert.equal(html.status, 400);
      assert.match(textOf(html.body), /page web ou un dessin SVG/);
      assert.equal((await t.ctx.db.selectFrom('requests').select('id').where('household_id', '=', a.householdId).where('type', '=', 'other').execute()).length, 0, 'nothing filed');

      const sent = await multipart(t, parent, '/demandes/nouvelle/autre', { subject: 'Attestation de présence', text: 'Pour mon employeur, merci.' }, { name: 'bulletin.pdf', bytes: aPdf(300) });
      assert.equal(sent.status, 303, sent.body);
      const request = await requestOf(a.householdId, 'other');
      assert.equal(request.summary, 'Autre demande : Attestation de présence');
      const [own] = await attachmentsOf(request.id);
      assert.equal(own.message_id, null);
      assert.equal(own.from_family, 1);
      const file = await t.ctx.db.selectFrom('stored_files').select(['purpose', 'household_id']).where('id', '=', own.file_id).executeTakeFirstOrThrow();
      assert.deepEqual(file, { purpose: 'attachment', household_id: a.householdId });

      // The agent finds it in the one queue, takes it (« Je m'en occupe »), sees it under « Les miennes ».
      const town = await loggedIn(agent);
      const queue = textOf((await town.get('/agent/demandes?type=other')).body);
      assert.match(queue, new RegExp(`${request.reference} Autre demande : Attestation de présence`));
      assert.match(queue, /Personne/);
      await town.get(`/agent/demandes/${request.id}`);
      assert.equal((await town.post(`/agent/demandes/${request.id}/attribution`, { prendre: '1' })).status, 303);
      assert.match(textOf((await town.get(`/agent/demandes/${request.id}`)).body), /Vous vous occupez de cette demande/);
      const mine = textOf((await town.get('/agent/demandes?attribution=miennes&statut=toutes')).body);
      assert.match(mine, /1 demande\b/);
      assert.match(mine, new RegExp(request.reference));
      const colleague = await loggedIn(await anAgent(t.ctx, ['enfance']));
      const theirs = textOf((await colleague.get('/agent/demandes?attribution=miennes')).body);
      assert.match(theirs, /Aucune demande dans cette liste/);
      assert.match(textOf((await colleague.get(`/agent/demandes/${request.id}`)).body), /Agent Numéro\d+ \(agent\) s'occupe de cette demande/);

      // The agent downloads the family's PDF (audited) and answers with a file.
      const got = await download(t, town, `/agent/demandes/${request.id}/pieces/${own.id}`);
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.rawPayload, aPdf(300));
      assert.match(String(got.headers['content-disposition']), /^attachment; filename="bulletin\.pdf"/);
      assert.equal(got.headers['x-content-type-options'], 'nosniff');
      const reads = await t.ctx.db.selectFrom('audit_log').select('summary').where('target_id', '=', a.householdId).where('action', '=', 'read.request').where('actor_id', '=', agent.id).execute();
      assert.ok(reads.some((r) => /le fichier « bulletin\.pdf »/.test(r.summary)));
      await town.get(`/agent/demandes/${request.id}`);
      const answer = await multipart(t, town, `/agent/demandes/${request.id}/messages`, { message: 'Voici votre attestation.' }, { name: 'attestation.pdf', bytes: aPdf(500) });
      assert.equal(answer.status, 303, answer.body);
      const reply = (await attachmentsOf(request.id)).find((x) => x.message_id !== null)!;
      assert.equal(reply.from_family, 0);
      const mails = await t.ctx.db.selectFrom('outbox').select('subject').where('to_address', '=', a.email).where('subject', 'like', 'Nouveau message%').execute();
      assert.equal(mails.length, 1);

      const familyPage = await parent.get(`/demandes/${request.id}`);
      assert.match(textOf(familyPage.body), /Voici votre attestation\. Télécharger attestation\.pdf \(PDF, 1 Ko\)/);
      assert.match(textOf(familyPage.body), /Le service vous a écrit : lisez son message/);
      const mineBack = await download(t, parent, `/demandes/${request.id}/pieces/${reply.id}`);
      assert.equal(mineBack.statusCode, 200);
      assert.deepEqual(mineBack.rawPayload, aPdf(500));

      // Another household, the same ids: nothing.
      const other = await loggedIn(b);
      assert.equal((await other.get(`/demandes/${request.id}`)).status, 404);
      assert.equal((await download(t, other, `/demandes/${request.id}/pieces/${reply.id}`)).statusCode, 404);
      await other.get('/demandes');
      assert.equal((await multipart(t, other, `/demandes/${request.id}/messages`, { message: 'Bonjour' }, null)).status, 404);
      // An attachment id under another request of the family's own: nothing either.
      const ownOther = await enrolOther(b);
      assert.equal((await download(t, other, `/demandes/${ownOther}/pieces/${reply.id}`)).statusCode, 404);
      // An agent role without business with requests: 404 on the page, the file, the message.
      for (const roles of [['regie'], ['animateur'], ['restauration']] as const) {
        const stranger = await loggedIn(await anAgent(t.ctx, [...roles]));
        assert.equal((await stranger.get(`/agent/demandes/${request.id}`)).status, 404, roles[0]);
        assert.equal((await download(t, stranger, `/agent/demandes/${request.id}/pieces/${own.id}`)).statusCode, 404, roles[0]);
        await stranger.get('/agent');
        assert.equal((await stranger.post(`/agent/demandes/${request.id}/attribution`, { prendre: '1' })).status, 404, roles[0]);
      }
      // Malformed ids: 404, never a 500.
      assert.equal((await download(t, parent, `/demandes/${request.id}/pieces/pas-un-id`)).statusCode, 404);
    });

    let catalogue: Awaited<ReturnType<typeof aSchoolCatalogue>> | null = null;
    async function enrolOther(who: typeof b) {
      catalogue ??= await aSchoolCatalogue(t.ctx);
      return enrolThroughForm(await loggedIn(who), { enfant: who.childId, service: catalogue.canteenId, annee: catalogue.year26 });
    }

    test('a message needs a text or a file; a refused file leaves nothing behind', async () => {
      const parent = await loggedIn(a);
      const request = await requestOf(a.householdId, 'other');
      await parent.get(`/demandes/${request.id}`);
      const nothing = await multipart(t, parent, `/demandes/${request.id}/messages`, { message: '  ' }, null);
      assert.equal(nothing.status, 400);
      assert.match(textOf(nothing.body), /Écrivez votre message ou joignez un fichier/);
      const files = async () => Number((await t.ctx.db.selectFrom('stored_files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await files();
      const svg = await multipart(t, parent, `/demandes/${request.id}/messages`, { message: 'Ma pièce' }, { name: 'dessin.pdf', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>') });
      assert.equal(svg.status, 400);
      assert.equal(await files(), before);
      const big = await multipart(t, parent, `/demandes/${request.id}/messages`, { message: 'Gros fichier' }, { name: 'gros.pdf', bytes: aPdf(1_200_000) });
      assert.equal(big.status, 400);
      assert.match(textOf(big.body), /dépasse la taille autorisée \(1 Mo\)/);
      assert.equal(await files(), before);
      const fileOnly = await multipart(t, parent, `/demandes/${request.id}/messages`, { message: '' }, { name: 'complement.pdf', bytes: aPdf(50) });
      assert.equal(fileOnly.status, 303, fileOnly.body);
      assert.equal(await files(), before + 1);
      assert.match(textOf((await parent.get('/demandes')).body), /Rien à faire : le service va examiner votre demande/);
    });

    test('the one queue filters by type, status, facility and waiting time; bulk « Je m\'en occupe » and decisions', async () => {
      let town = await loggedIn(agent);
      const all = textOf((await town.get('/agent/demandes?statut=toutes')).body);
      assert.match(all, /Inscription à un service/);
      assert.match(all, /Changement de situation/);
      assert.match(all, /Autre demande/);
      const situations = textOf((await town.get('/agent/demandes?type=situation&statut=toutes')).body);
      assert.doesNotMatch(situations, /Autre demande :/);
      assert.match(textOf((await town.get('/agent/demandes?statut=accepted&type=situation')).body), /2 demandes/);
      // Facility: only households with a child enrolled at one of its services (Bernard's child, at the canteen).
      const facility = await t.ctx.db.selectFrom('services').select('facility_id').where('id', '=', catalogue!.canteenId).executeTakeFirstOrThrow();
      const atSchool = textOf((await town.get(`/agent/demandes?statut=toutes&structure=${facility.facility_id}`)).body);
      assert.match(atSchool, /1 demande\b/);
      assert.match(atSchool, /Bernard/);
      // Waiting since: nothing here is older than a week (the clock has not moved).
      assert.match(textOf((await town.get('/agent/demandes?statut=toutes&attente=7')).body), /Aucune demande dans cette liste/);
      t.clock.set('2026-12-10T10:00:00Z');
      town = await loggedIn(agent);
      const waiting = textOf((await town.get('/agent/demandes?attente=7')).body);
      assert.match(waiting, /depuis 12 jours/);
      // Unknown filter values fall back to the defaults: no 500, no 400.
      assert.equal((await town.get('/agent/demandes?type=%3Cscript%3E&statut=x&structure=y&attente=9999&attribution=z&page=-4')).status, 200);

      // Bulk: take every open request of type « other », then accept them together.
      const open = await t.ctx.db.selectFrom('requests').select('id').where('type', '=', 'other').where('status', 'in', ['submitted', 'in_review']).execute();
      const ids = open.map((r) => r.id);
      await town.get('/agent/demandes?type=other');
      const none = await town.post('/agent/demandes', { type: 'other', statut: 'a-traiter', action: 'accepted' });
      assert.equal(none.status, 400);
      assert.match(textOf(none.body), /Cochez au moins une demande/);
      const taken = await town.post('/agent/demandes', { type: 'other', statut: 'a-traiter', action: 'assign', ids });
      assert.equal(taken.status, 303);
      const assigned = await t.ctx.db.selectFrom('requests').select('assigned_to').where('id', 'in', ids).execute();
      assert.ok(assigned.every((r) => r.assigned_to === agent.id));
      await town.get('/agent/demandes?type=other');
      const accepted = await town.post('/agent/demandes', { type: 'other', statut: 'a-traiter', action: 'accepted', motif: '', ids });
      assert.equal(accepted.status, 303);
      const statuses = await t.ctx.db.selectFrom('requests').select('status').where('id', 'in', ids).execute();
      assert.ok(statuses.every((r) => r.status === 'accepted'));
      assert.match(textOf((await town.get('/agent/demandes?type=other')).body), /Aucune demande dans cette liste/);
    });

    test('RGPD: the export lists the answers and the attached files; anonymisation deletes them', async () => {
      const scope = { householdId: a.householdId, personIds: [], userId: null };
      const exported = await requestsTrackingPersonalData.export(t.ctx.db, scope);
      assert.ok(exported.request_answers.some((r) => /Nous avons déménagé.*3 rue Neuve.*62300.*Lens/.test(String(r.answers))));
      assert.ok(exported.request_attachments.some((r) => r.name === 'bulletin.pdf' && r.from_family === true));
      assert.ok(exported.request_attachments.some((r) => r.name === 'attestation.pdf' && r.from_family === false));
      await t.ctx.db.transaction().execute((tx) => requestsTrackingPersonalData.anonymise(tx, { householdId: a.householdId, personIds: [], keptPersonIds: [], userIds: [], emails: [] }, t.clock.now()));
      assert.equal((await t.ctx.db.selectFrom('request_answers').select('request_id').where('household_id', '=', a.householdId).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('request_attachments').select('id').where('household_id', '=', a.householdId).execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('stored_files').select('id').where('household_id', '=', a.householdId).where('purpose', '=', 'attachment').execute()).length, 0);
      // Another household's files are untouched.
      const again = await requestsTrackingPersonalData.export(t.ctx.db, { householdId: b.householdId, personIds: [], userId: null });
      assert.ok(Array.isArray(again.request_answers));
    });
  });
}
