import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aPdf, GPS_MARK, jpegWithGps, jpegWithoutMetadata } from '../../../test/support/files.ts';
import { storedFilesOf } from '../../platform/files/stored-files.ts';
import { documentsPersonalData } from './documents.personal-data.ts';

const ASSURANCE = '00000000-0000-7000-8000-00000000d003';
const DOMICILE = '00000000-0000-7000-8000-00000000d001';

/** Posts the wallet's form as a browser does: the fields (token first), then the file last. */
async function upload(t: TestApp, client: TestClient, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer } | null) {
  const boundary = '----portail-doc';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: client.lastCsrf, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
  // The flash message comes back as a cookie, as a browser would keep it.
  const set = res.headers['set-cookie'];
  for (const line of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    client.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return { status: res.statusCode, body: res.body, location: res.headers.location };
}

for (const engine of testEngines()) {
  describe(`portefeuille de documents (${engine})`, () => {
    let t: TestApp;
    let dataDir: string;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    const files = () => storedFilesOf(t.ctx);
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const documentIds = async (householdId: string) => (await t.ctx.db.selectFrom('documents').select(['id', 'file_id']).where('household_id', '=', householdId).orderBy('created_at').execute());

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-wallet-'));
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', env: { DATA_DIR: dataDir, DOCUMENT_MAX_MB: '1' } });
      const town = await agentAuth(t.ctx, ['enfance']);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('a parent sends a phone photo for a child: listed « À vérifier » with its validity, downloaded without its GPS position', async () => {
      const parent = await loggedIn(a);
      const form = await parent.get('/documents/ajouter');
      assert.equal(form.status, 200);
      assert.match(form.body, /enctype="multipart\/form-data"/);
      assert.match(form.body, /<option value="[^"]+">Léa<\/option>/);
      const sent = await upload(t, parent, '/documents/ajouter', { type: ASSURANCE, personne: a.childId, date: '2026-09-02' }, { name: 'IMG_2040.jpg', bytes: jpegWithGps() });
      assert.equal(sent.status, 303, sent.body);
      const list = await parent.get('/documents');
      const text = textOf(list.body);
      assert.match(text, /Votre document est envoyé/);
      assert.match(text, /Attestation d'assurance \(IMG_2040\.jpg, daté du mercredi 2 septembre 2026\) Léa À vérifier mardi 31 août 2027/);
      const [doc] = await documentIds(a.householdId);
      const file = await t.app.inject({ method: 'GET', url: `/documents/${doc.id}/fichier`, headers: { cookie: [...parent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(file.statusCode, 200);
      assert.deepEqual(file.rawPayload, jpegWithoutMetadata());
      assert.equal(file.rawPayload.indexOf(GPS_MARK), -1);
      assert.match(String(file.headers['content-disposition']), /^attachment; filename="IMG_2040\.jpg"/);
      assert.equal(file.headers['x-content-type-options'], 'nosniff');
    });

    test('form errors keep the values; refused files say why in French and leave nothing', async () => {
      const parent = await loggedIn(a);
      await parent.get('/documents/ajouter');
      const before = (await documentIds(a.householdId)).length;
      const rows = async () => (await t.ctx.db.selectFrom('stored_files').select('id').execute()).length;
      const filesBefore = await rows();
      const missing = await upload(t, parent, '/documents/ajouter', { type: '', personne: 'foyer', date: '2026-12-25' }, { name: 'a.pdf', bytes: aPdf() });
      assert.equal(missing.status, 400);
      assert.match(textOf(missing.body), /Erreur : .*Choisissez le type de document/);
      assert.match(textOf(missing.body), /La date du document ne peut pas être dans le futur/);
      assert.match(missing.body, /value="2026-12-25"/);
      const cases: [string, Buffer, RegExp][] = [
        ['facture.pdf', Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'), /page web ou un dessin SVG/],
        ['dessin.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /page web ou un dessin SVG/],
        ['gros.pdf', aPdf(1_100_000), /dépasse la taille autorisée \(1 Mo\)/],
        ['photo.jpg', jpegWithGps({ comment: '<script>alert(1)</script>' }), /contient autre chose qu'une image/],
        ['coupe.pdf', aPdf(5000).subarray(0, 3000), /arrivé incomplet/],
      ];
      for (const [name, bytes, message] of cases) {
        const res = await upload(t, parent, '/documents/ajouter', { type: DOMICILE, personne: 'foyer', date: '2026-11-02' }, { name, bytes });
        assert.equal(res.status, 400, name);
        assert.match(textOf(res.body), message, name);
        assert.match(res.body, new RegExp(`<option value="${DOMICILE}" selected`), 'the type is kept');
      }
      const none = await upload(t, parent, '/documents/ajouter', { type: DOMICILE, personne: 'foyer', date: '2026-11-02' }, null);
      assert.equal(none.status, 400);
      assert.match(textOf(none.body), /Choisissez le document à envoyer/);
      assert.equal((await documentIds(a.householdId)).length, before);
      assert.equal(await rows(), filesBefore);
      const onDisk = fs.readdirSync(path.join(dataDir, 'documents'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      assert.equal(onDisk.length, filesBefore, 'no file left on disk');
    });

    test('another household\'s document is unknown: 404 to read, replace or delete; a visitor is sent to log in', async () => {
      const [doc] = await documentIds(a.householdId);
      const other = await loggedIn(b);
      assert.equal((await other.get(`/documents/${doc.id}/fichier`)).status, 404);
      assert.equal((await other.get(`/documents/${doc.id}/remplacer`)).status, 404);
      await other.get('/documents');
      assert.equal((await other.post(`/documents/${doc.id}/supprimer`)).status, 404);
      assert.doesNotMatch(textOf((await other.get('/documents')).body), /IMG_2040/);
      const visitor = new TestClient(t.app);
      const res = await visitor.get(`/documents/${doc.id}/fichier`);
      assert.equal(res.status, 303);
      assert.match(res.location ?? '', /^\/connexion/);
      const agent = await loggedIn(await anAgent(t.ctx, ['enfance']));
      assert.equal((await agent.get(`/documents/${doc.id}/fichier`)).status, 303, 'an agent not at the counter has no family space');
      assert.equal((await documentIds(a.householdId)).length, 1);
    });

    test('replacing keeps one document with the new file; deleting removes the row and the bytes', async () => {
      const parent = await loggedIn(a);
      const [old] = await documentIds(a.householdId);
      const page = await parent.get(`/documents/${old.id}/remplacer`);
      assert.match(textOf(page.body), /Remplacer : Attestation d'assurance/);
      const replaced = await upload(t, parent, `/documents/${old.id}/remplacer`, { type: ASSURANCE, personne: a.childId, date: '2026-10-01' }, { name: 'assurance.pdf', bytes: aPdf() });
      assert.equal(replaced.status, 303, replaced.body);
      const now = await documentIds(a.householdId);
      assert.equal(now.length, 1);
      assert.notEqual(now[0].id, old.id);
      assert.equal(await files().find(old.file_id), undefined);
      assert.equal(fs.existsSync(path.join(dataDir, 'documents', old.file_id.slice(0, 2), old.file_id)), false);
      await parent.get('/documents');
      const removed = await parent.post(`/documents/${now[0].id}/supprimer`);
      assert.equal(removed.status, 303);
      assert.equal((await documentIds(a.householdId)).length, 0);
      assert.equal(fs.existsSync(path.join(dataDir, 'documents', now[0].file_id.slice(0, 2), now[0].file_id)), false);
    });

    test('the RGPD export lists the documents and their files; anonymisation deletes them, the purge their bytes', async () => {
      const parent = await loggedIn(a);
      await parent.get('/documents/ajouter');
      assert.equal((await upload(t, parent, '/documents/ajouter', { type: DOMICILE, personne: 'foyer', date: '2026-11-02' }, { name: 'edf.pdf', bytes: aPdf() })).status, 303);
      const exported = await documentsPersonalData.export(t.ctx.db, { householdId: a.householdId, personIds: [], userId: null });
      assert.equal(exported.documents.length, 1);
      assert.equal(exported.documents[0].type, 'Justificatif de domicile');
      assert.equal(exported.documents[0].status, 'À vérifier');
      assert.equal(exported.documents[0].valid_until, '2027-02-01');
      assert.deepEqual(exported.stored_files.map((f) => f.name), ['edf.pdf']);
      const [doc] = await documentIds(a.householdId);
      await t.ctx.db.transaction().execute((tx) => documentsPersonalData.anonymise(tx, { householdId: a.householdId, personIds: [], keptPersonIds: [], userIds: [], emails: [] }, t.clock.now()));
      assert.equal((await documentIds(a.householdId)).length, 0);
      const file = path.join(dataDir, 'documents', doc.file_id.slice(0, 2), doc.file_id);
      const old = new Date(Date.now() - 2 * 3600_000);
      fs.utimesSync(file, old, old);
      await files().purge(t.clock.now());
      assert.equal(fs.existsSync(file), false);
    });

    test('the town adds its own type with a validity rule, switches types off; other roles may not', async () => {
      const town = await loggedIn(await anAgent(t.ctx, ['enfance']));
      const page = await town.get('/agent/documents/types');
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Justificatif de domicile 3 mois à partir de sa date 12 mois Oui/);
      const wrong = await town.post('/agent/documents/types', { label: 'Attestation de l\'employeur', validity: 'months', months: '', retention: '12' });
      assert.equal(wrong.status, 400);
      assert.match(textOf(wrong.body), /Erreur : .*Indiquez un nombre de mois, de 1 à 99/);
      assert.match(wrong.body, /value="Attestation de l&#39;employeur"|value="Attestation de l'employeur"/);
      const added = await town.post('/agent/documents/types', { label: 'Attestation de l\'employeur', validity: 'months', months: '6', retention: '12' });
      assert.equal(added.status, 303);
      const type = await t.ctx.db.selectFrom('document_types').select(['id', 'validity_months']).where('label', '=', 'Attestation de l\'employeur').executeTakeFirstOrThrow();
      assert.equal(type.validity_months, 6);
      const parent = await loggedIn(b);
      assert.match((await parent.get('/documents/ajouter')).body, /Attestation de l&#39;employeur|Attestation de l'employeur/);
      await town.get('/agent/documents/types');
      assert.equal((await town.post(`/agent/documents/types/${DOMICILE}`, { actif: '0' })).status, 303);
      const form = await parent.get('/documents/ajouter');
      assert.doesNotMatch(form.body, /Justificatif de domicile/);
      const refused = await upload(t, parent, '/documents/ajouter', { type: DOMICILE, personne: 'foyer', date: '2026-11-02' }, { name: 'edf.pdf', bytes: aPdf() });
      assert.equal(refused.status, 400);
      assert.match(textOf(refused.body), /n'est plus proposé/);
      await town.get('/agent/documents/types');
      assert.equal((await town.post(`/agent/documents/types/${DOMICILE}`, { actif: '1' })).status, 303);
      const animator = await loggedIn(await anAgent(t.ctx, ['animateur']));
      assert.equal((await animator.get('/agent/documents/types')).status, 403);
      await animator.get('/agent');
      assert.equal((await animator.post(`/agent/documents/types/${DOMICILE}`, { actif: '0' })).status, 403);
      assert.equal((await parent.get('/agent/documents/types')).status, 403);
    });
  });
}
