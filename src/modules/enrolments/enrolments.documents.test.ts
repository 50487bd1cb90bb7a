import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aPdf, jpegWithGps } from '../../../test/support/files.ts';
import { aSchoolCatalogue } from './enrolments.fixtures.ts';

const ASSURANCE = '00000000-0000-7000-8000-00000000d003';
const VACCINATIONS = '00000000-0000-7000-8000-00000000d004';

/** Posts a form with a file as a browser does: the fields (token first), then the file last. */
async function upload(t: TestApp, client: TestClient, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer }) {
  const boundary = '----portail-inscription';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: client.lastCsrf, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from('\r\n'), Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const set = res.headers['set-cookie'];
  for (const line of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    client.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return { status: res.statusCode, body: res.body, location: res.headers.location };
}

for (const engine of testEngines()) {
  describe(`documents demandés à l'inscription (${engine})`, () => {
    let t: TestApp;
    let dataDir: string;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let c: Awaited<ReturnType<typeof aSchoolCatalogue>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const counts = async () => ({
      requests: (await t.ctx.db.selectFrom('requests').select('id').execute()).length,
      links: (await t.ctx.db.selectFrom('enrolment_documents').select('request_id').execute()).length,
    });
    const answers = () => ({ enfant: a.childId, annee: c.year26, service: c.canteenId });
    const query = (extra: Record<string, string | string[]> = {}) => {
      const q = new URLSearchParams(answers());
      for (const [k, v] of Object.entries(extra)) for (const one of [v].flat()) q.append(k, one);
      return q.toString();
    };
    let walletAssurance = '';
    let uploaded = '';
    let requestId = '';

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-enrol-docs-'));
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', env: { DATA_DIR: dataDir } });
      const town = await agentAuth(t.ctx, ['enfance']);
      c = await aSchoolCatalogue(t.ctx);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      await t.ctx.db.updateTable('children').set({ class_level: 'CE1' }).where('person_id', '=', a.childId).execute();
      agent = await anAgent(t.ctx, ['enfance']);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('the back office sets the documents a service requires (audited); a wrong choice is refused with the values kept', async () => {
      const town = await loggedIn(agent);
      const page = await town.get(`/agent/catalogue/prestations/${c.canteenId}/pieces`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Carnet de vaccinations/);
      const bad = await town.post(`/agent/catalogue/prestations/${c.canteenId}/pieces`, { [`t_${ASSURANCE}`]: 'foyer', [`a_${ASSURANCE}`]: 'non', [`t_${VACCINATIONS}`]: 'peut-être', [`a_${VACCINATIONS}`]: 'non' });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Choisissez si carnet de vaccinations est demandé/);
      assert.match(bad.body, new RegExp(`name="t_${ASSURANCE}" type="radio" value="foyer" checked`), 'the choice made is kept');
      assert.equal((await t.ctx.db.selectFrom('service_document_types').selectAll().execute()).length, 0, 'nothing saved');

      const saved = await town.post(`/agent/catalogue/prestations/${c.canteenId}/pieces`, { [`t_${ASSURANCE}`]: 'foyer', [`a_${ASSURANCE}`]: 'non', [`t_${VACCINATIONS}`]: 'enfant', [`a_${VACCINATIONS}`]: 'non' });
      assert.equal(saved.status, 303);
      const rows = await t.ctx.db.selectFrom('service_document_types').select(['document_type_id', 'subject']).where('service_id', '=', c.canteenId).orderBy('document_type_id').execute();
      assert.deepEqual(rows, [
        { document_type_id: ASSURANCE, subject: 'household' },
        { document_type_id: VACCINATIONS, subject: 'child' },
      ]);
      const audit = await t.ctx.db.selectFrom('audit_log').select('summary').where('action', '=', 'catalogue.service.documents').execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0].summary, /Attestation d'assurance : pour tout le foyer ; Carnet de vaccinations : pour l'enfant/);
      assert.match(textOf((await town.get(`/agent/catalogue/prestations/${c.canteenId}`)).body), /Pièces demandées à l'inscription Attestation d'assurance \(pour tout le foyer\), Carnet de vaccinations \(pour l'enfant\)/);

      // A stale page (showing « non » for the assurance) that changes nothing else writes nothing.
      const stale = await town.post(`/agent/catalogue/prestations/${c.canteenId}/pieces`, { [`t_${ASSURANCE}`]: 'non', [`a_${ASSURANCE}`]: 'non', [`t_${VACCINATIONS}`]: 'enfant', [`a_${VACCINATIONS}`]: 'enfant' });
      assert.equal(stale.status, 303);
      assert.equal((await t.ctx.db.selectFrom('service_document_types').select('document_type_id').where('service_id', '=', c.canteenId).execute()).length, 2);
      // A family cannot reach it.
      assert.equal((await (await loggedIn(a)).get(`/agent/catalogue/prestations/${c.canteenId}/pieces`)).status, 403);
    });

    test('the request asks for each document: without them it is not sent, nothing written, the summary names the missing ones', async () => {
      const parent = await loggedIn(a);
      const toPieces = await parent.get(`/inscriptions/nouvelle/service?${query({ continuer: '1' })}`);
      assert.equal(toPieces.status, 303);
      assert.match(toPieces.location!, /^\/inscriptions\/nouvelle\/pieces\?/);
      const pieces = await parent.get(toPieces.location!);
      assert.equal(pieces.status, 200);
      assert.match(textOf(pieces.body), /Attestation d'assurance Aucun document valable dans vos documents/);
      // The check page is not reached without them.
      assert.match((await parent.get(`/inscriptions/nouvelle/verifier?${query()}`)).location ?? '', /^\/inscriptions\/nouvelle\/pieces\?/);

      const before = await counts();
      const sent = await parent.post('/inscriptions/nouvelle', answers());
      assert.equal(sent.status, 400);
      const text = textOf(sent.body);
      assert.match(text, /Il y a un problème/);
      assert.match(text, /Attestation d'assurance : choisissez un de vos documents ou envoyez-en un/);
      assert.match(text, /Carnet de vaccinations : choisissez un de vos documents ou envoyez-en un/);
      assert.deepEqual(await counts(), before);
    });

    test('a valid wallet document is offered and reused in one click; the other is uploaded (a phone photo) into the wallet', async () => {
      const parent = await loggedIn(a);
      await parent.get('/documents/ajouter');
      const added = await upload(t, parent, '/documents/ajouter', { type: ASSURANCE, personne: 'foyer', date: '2026-09-01' }, { name: 'assurance.pdf', bytes: aPdf() });
      assert.equal(added.status, 303, added.body);
      walletAssurance = (await t.ctx.db.selectFrom('documents').select('id').where('household_id', '=', a.householdId).executeTakeFirstOrThrow()).id;
      await t.ctx.db.updateTable('documents').set({ status: 'validated' }).where('id', '=', walletAssurance).execute();

      const page = await parent.get(`/inscriptions/nouvelle/pieces?${query()}`);
      assert.match(page.body, new RegExp(`value="${walletAssurance}"`));
      assert.match(textOf(page.body), /Document du mardi 1er septembre 2026, pour tout le foyer – validé/);

      // The photo of the vaccinations, for the child, sent from the step (the assurance already picked is kept).
      const sent = await upload(t, parent, `/inscriptions/nouvelle/pieces?${query({ piece: walletAssurance })}`, { type: VACCINATIONS, date_1: '2026-10-12' }, { name: 'carnet.jpg', bytes: jpegWithGps() });
      assert.equal(sent.status, 303, sent.body);
      const doc = await t.ctx.db.selectFrom('documents').select(['id', 'person_id', 'status']).where('type_id', '=', VACCINATIONS).executeTakeFirstOrThrow();
      uploaded = doc.id;
      assert.deepEqual({ person: doc.person_id, status: doc.status }, { person: a.childId, status: 'pending' });
      assert.match(sent.location!, new RegExp(`piece=${walletAssurance}.*piece=${uploaded}`));

      // A bad upload (an HTML page named .pdf) says why on the step, the date kept, nothing stored.
      const html = await upload(t, parent, `/inscriptions/nouvelle/pieces?${query()}`, { type: ASSURANCE, date_0: '2026-09-03' }, { name: 'faux.pdf', bytes: Buffer.from('<html><body>x</body></html>') });
      assert.equal(html.status, 400);
      assert.match(html.body, /value="2026-09-03"/);
      assert.equal((await t.ctx.db.selectFrom('documents').select('id').where('household_id', '=', a.householdId).execute()).length, 2);

      const continued = await parent.get(`${sent.location!}&continuer=1`.replace('?', '?'));
      assert.equal(continued.status, 303);
      const check = await parent.get(continued.location!);
      assert.match(textOf(check.body), /Attestation d'assurance Document du mardi 1er septembre 2026 \(validé\).*Carnet de vaccinations Document du lundi 12 octobre 2026 \(à vérifier\)/s);
      const filed = await parent.post('/inscriptions/nouvelle', { ...answers(), piece: [walletAssurance, uploaded] });
      assert.equal(filed.status, 303, filed.body);
      requestId = /confirmation\/([0-9a-f-]{36})$/.exec(filed.location!)![1];
      const links = await t.ctx.db.selectFrom('enrolment_documents').select(['document_type_id', 'document_id']).where('request_id', '=', requestId).orderBy('document_type_id').execute();
      assert.deepEqual(links, [
        { document_type_id: ASSURANCE, document_id: walletAssurance },
        { document_type_id: VACCINATIONS, document_id: uploaded },
      ]);
    });

    test('another household\'s document id is unknown (404) and nothing is written', async () => {
      const other = await loggedIn(b);
      await other.get('/documents/ajouter');
      assert.equal((await upload(t, other, '/documents/ajouter', { type: ASSURANCE, personne: 'foyer', date: '2026-09-01' }, { name: 'b.pdf', bytes: aPdf() })).status, 303);
      const foreign = (await t.ctx.db.selectFrom('documents').select('id').where('household_id', '=', b.householdId).executeTakeFirstOrThrow()).id;
      const parent = await loggedIn(a);
      await parent.get('/demandes');
      const before = await counts();
      // Another year, so that the request would otherwise be new.
      const res = await parent.post('/inscriptions/nouvelle', { ...answers(), annee: c.year27, piece: [foreign, uploaded] });
      assert.equal(res.status, 404);
      assert.equal((await parent.get(`/inscriptions/nouvelle/pieces?${query({ piece: foreign })}`)).status, 404);
      assert.deepEqual(await counts(), before);
    });

    test('the agent sees the documents; acceptance is refused until each is validated; a refused one is replaced by the family, then accepted', async () => {
      const town = await loggedIn(agent);
      const request = await town.get(`/agent/demandes/${requestId}`);
      assert.match(textOf(request.body), /Carnet de vaccinations Document du lundi 12 octobre 2026 : à vérifier/);
      const docs = await town.get(`/agent/demandes/${requestId}/documents`);
      assert.equal(docs.status, 200);
      assert.match(docs.body, new RegExp(`href="/agent/documents/${uploaded}"`));
      assert.match(docs.body, new RegExp(`href="/agent/documents/${uploaded}/fichier"`));
      assert.equal((await (await loggedIn(a)).get(`/agent/demandes/${requestId}/documents`)).status, 403);

      const refused = await town.post(`/agent/demandes/${requestId}/decision`, { action: 'accepted' });
      assert.equal(refused.status, 303);
      assert.match(textOf((await town.get(refused.location!)).body), /les pièces justificatives de l'inscription ne sont pas toutes validées/);
      assert.equal((await t.ctx.db.selectFrom('requests').select('status').where('id', '=', requestId).executeTakeFirstOrThrow()).status, 'submitted');

      // The agent refuses the photo: the family's list says what to do.
      assert.equal((await town.post(`/agent/documents/${uploaded}/decision`, { action: 'refused', motif: 'Photo illisible' })).status, 303);
      const parent = await loggedIn(a);
      assert.match(textOf((await parent.get('/demandes')).body), /À faire : remplacez le document refusé \(carnet de vaccinations\) dans « Mes documents »/);
      const replaced = await upload(t, parent, `/documents/${uploaded}/remplacer`, { type: VACCINATIONS, personne: a.childId, date: '2026-10-12' }, { name: 'carnet2.pdf', bytes: aPdf() });
      assert.equal(replaced.status, 303, replaced.body);
      const fresh = (await t.ctx.db.selectFrom('documents').select('id').where('type_id', '=', VACCINATIONS).where('household_id', '=', a.householdId).executeTakeFirstOrThrow()).id;
      assert.match(textOf((await town.get(`/agent/demandes/${requestId}/documents`)).body), /remplacé par la famille/);
      assert.doesNotMatch(textOf((await parent.get('/demandes')).body), /remplacez le document refusé/);

      assert.equal((await town.post(`/agent/documents/${fresh}/decision`, { action: 'validated', valable: '' })).status, 303);
      const accepted = await town.post(`/agent/demandes/${requestId}/decision`, { action: 'accepted' });
      assert.equal(accepted.status, 303);
      assert.equal((await t.ctx.db.selectFrom('requests').select('status').where('id', '=', requestId).executeTakeFirstOrThrow()).status, 'accepted');
      const link = await t.ctx.db.selectFrom('enrolment_documents').select('document_id').where('request_id', '=', requestId).where('document_type_id', '=', VACCINATIONS).executeTakeFirstOrThrow();
      assert.equal(link.document_id, fresh, 'the request now carries the replacement');
    });

    test('unauthenticated: the pieces step and its upload send to the login', async () => {
      const anon = new TestClient(t.app);
      const res = await anon.get(`/inscriptions/nouvelle/pieces?${query()}`);
      assert.ok(res.status === 303 || res.status === 302, String(res.status));
      assert.match(res.location ?? '', /connexion/);
      for (const url of [`/agent/catalogue/prestations/${c.canteenId}/pieces`, `/agent/demandes/${requestId}/documents`]) {
        const agentPage = await anon.get(url);
        assert.ok(agentPage.status === 303 || agentPage.status === 302, `${url}: ${agentPage.status}`);
        assert.match(agentPage.location ?? '', /connexion/);
      }
      // Another household's request is unknown on a family's side.
      assert.equal((await (await loggedIn(b)).get(`/demandes/${requestId}`)).status, 404);
    });
  });
}
