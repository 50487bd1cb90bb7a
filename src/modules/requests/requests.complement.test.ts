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

const QUOTIENT_DOC = '00000000-0000-7000-8000-00000000d002';

/** Posts a form as a browser does with enctype multipart: the fields (token first), then the file last. */
async function multipart(t: TestApp, client: TestClient, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer } | null) {
  const boundary = '----portail-complement';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: client.lastCsrf, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const f = file ?? { name: '', bytes: Buffer.alloc(0) };
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
  return { status: res.statusCode, body: res.body, location: res.headers.location };
}

/** Every file under the storage directory (the directory backend's bytes). */
function filesOnDisk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

for (const engine of testEngines()) {
  describe(`réponse à un complément avec un document (${engine})`, () => {
    let t: TestApp;
    let dataDir: string;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let b: Awaited<ReturnType<typeof aFamily>>;
    let agent: Awaited<ReturnType<typeof anAgent>>;
    let attestationA: string;
    let documentB: string;
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };
    const count = async (table: 'documents' | 'stored_files' | 'request_messages' | 'request_documents' | 'audit_log') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const snapshot = async () => ({ documents: await count('documents'), files: await count('stored_files'), messages: await count('request_messages'), joined: await count('request_documents'), disk: filesOnDisk(dataDir).length });
    const statusOf = async (id: string) => (await t.ctx.db.selectFrom('requests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    /** A QF update filed with the wallet's attestation, on which the agent asks for a complement. */
    async function qfAwaitingComplement(): Promise<string> {
      const parent = await loggedIn(a);
      await parent.get('/demandes/nouvelle/quotient');
      const filed = await parent.post('/demandes/nouvelle/quotient', { document: attestationA, action: 'envoyer' });
      assert.equal(filed.status, 303, textOf(filed.body));
      const id = filed.location!.split('/').at(-1)!;
      const town = await loggedIn(agent);
      await town.get(`/agent/demandes/${id}`);
      assert.equal((await town.post(`/agent/demandes/${id}/decision`, { action: 'complement_requested', motif: 'L\'attestation date de plus de trois mois', echeance: '2026-12-04' })).status, 303);
      return id;
    }

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-complement-'));
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', env: { DATA_DIR: dataDir, DOCUMENT_MAX_MB: '1' } });
      const town = await agentAuth(t.ctx, ['enfance']);
      a = await aFamily(t.ctx, town, 'Martin', { childFirstName: 'Léa' });
      b = await aFamily(t.ctx, town, 'Bernard');
      agent = await anAgent(t.ctx, ['enfance']);
      for (const family of [a, b]) {
        const parent = await loggedIn(family);
        await parent.get('/documents/ajouter');
        assert.equal((await multipart(t, parent, '/documents/ajouter', { type: QUOTIENT_DOC, personne: 'foyer', date: '2026-08-02' }, { name: 'caf.pdf', bytes: aPdf() })).status, 303);
      }
      const docOf = async (householdId: string) => (await t.ctx.db.selectFrom('documents').select('id').where('household_id', '=', householdId).executeTakeFirstOrThrow()).id;
      attestationA = await docOf(a.householdId);
      documentB = await docOf(b.householdId);
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('answer with a photo: it joins the wallet (à vérifier), becomes the attestation the agent checks, and the agent opens it (audited)', async () => {
      const id = await qfAwaitingComplement();
      const parent = await loggedIn(a);
      const form = await parent.get(`/demandes/${id}`);
      assert.match(form.body, new RegExp(`action="/demandes/${id}/complement" enctype="multipart/form-data"`));
      assert.match(form.body, new RegExp(`<option value="${QUOTIENT_DOC}" selected`), 'the type the request waits for comes first');
      assert.match(textOf(form.body), /Joindre un document déjà envoyé.*Attestation/);
      const before = await snapshot();
      const sent = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: 'Voici mon attestation de novembre.', document: '', type_document: QUOTIENT_DOC, date_document: '2026-11-25' }, { name: 'attestation.jpg', bytes: jpegWithGps() });
      assert.equal(sent.status, 303, textOf(sent.body));
      assert.equal(await statusOf(id), 'in_review');
      const after = await snapshot();
      assert.deepEqual([after.documents - before.documents, after.files - before.files, after.messages - before.messages, after.joined - before.joined], [1, 1, 1, 1]);
      const fresh = await t.ctx.db.selectFrom('documents').select(['id', 'status', 'document_date', 'household_id']).where('household_id', '=', a.householdId).where('document_date', '=', '2026-11-25').executeTakeFirstOrThrow();
      assert.equal(fresh.status, 'pending');
      const joined = await t.ctx.db.selectFrom('request_documents').selectAll().where('request_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(joined.document_id, fresh.id);
      assert.notEqual(joined.message_id, null);
      const quotient = await t.ctx.db.selectFrom('quotient_requests').select(['document_id', 'qf_value']).where('request_id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(quotient, { document_id: fresh.id, qf_value: null });
      // The family finds it in « Mes documents » and on the request.
      assert.match(textOf((await parent.get(`/demandes/${id}`)).body), /Voici mon attestation de novembre\. Télécharger Attestation .* du mercredi 25 novembre 2026 \(à vérifier\)/);
      // The agent sees it on the timeline and opens it: each opening audited.
      const town = await loggedIn(agent);
      const page = await town.get(`/agent/demandes/${id}`);
      assert.match(page.body, new RegExp(`href="/agent/documents/${fresh.id}"`));
      assert.match(textOf(page.body), /En instruction le .* Voir le document : Attestation .* du mercredi 25 novembre 2026 \(à vérifier\)/);
      assert.equal((await town.get(`/agent/documents/${fresh.id}`)).status, 200);
      assert.equal((await town.get(`/agent/documents/${fresh.id}/fichier`)).status, 200);
      const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.householdId).where('actor_id', '=', agent.id).where('action', 'in', ['document.viewed', 'document.file-read']).execute();
      assert.deepEqual(audit.map((r) => r.action).sort(), ['document.file-read', 'document.viewed']);
      // The quotient page links the new attestation.
      assert.match((await town.get(`/agent/demandes/${id}/quotient`)).body, new RegExp(`href="/agent/documents/${fresh.id}"`));
    });

    test('answer with a document of the wallet, without text: joined, no new document', async () => {
      const id = await qfAwaitingComplement();
      const parent = await loggedIn(a);
      await parent.get(`/demandes/${id}`);
      const before = await snapshot();
      const sent = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: '', document: attestationA, type_document: QUOTIENT_DOC, date_document: '' }, null);
      assert.equal(sent.status, 303, textOf(sent.body));
      assert.equal(await statusOf(id), 'in_review');
      const after = await snapshot();
      assert.deepEqual([after.documents - before.documents, after.files - before.files, after.joined - before.joined], [0, 0, 1]);
      assert.equal((await t.ctx.db.selectFrom('request_documents').select('document_id').where('request_id', '=', id).executeTakeFirstOrThrow()).document_id, attestationA);
    });

    test('another household\'s document id → 404, nothing written; a bad file → French message, nothing on disk nor in the database; empty → 400', async () => {
      const id = await qfAwaitingComplement();
      const parent = await loggedIn(a);
      await parent.get(`/demandes/${id}`);
      const before = await snapshot();
      const foreign = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: 'Le voici', document: documentB }, null);
      assert.equal(foreign.status, 404);
      const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
      await parent.get(`/demandes/${id}`);
      const bad = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: 'Le voici', document: '', type_document: QUOTIENT_DOC, date_document: '2026-11-25' }, { name: 'attestation.pdf', bytes: html });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Erreur : .*Ce fichier est une page web ou un dessin SVG/);
      assert.match(bad.body, /Le voici<\/textarea>/, 'the text is kept');
      await parent.get(`/demandes/${id}`);
      const noDate = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: '', document: '', type_document: QUOTIENT_DOC, date_document: '' }, { name: 'attestation.pdf', bytes: aPdf() });
      assert.equal(noDate.status, 400);
      await parent.get(`/demandes/${id}`);
      const both = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: '', document: attestationA, type_document: QUOTIENT_DOC, date_document: '2026-11-25' }, { name: 'attestation.pdf', bytes: aPdf() });
      assert.equal(both.status, 400);
      assert.match(textOf(both.body), /pas les deux/);
      await parent.get(`/demandes/${id}`);
      const empty = await multipart(t, parent, `/demandes/${id}/complement`, { reponse: ' ', document: '' }, null);
      assert.equal(empty.status, 400);
      assert.match(textOf(empty.body), /Écrivez votre réponse, choisissez un de vos documents ou envoyez-en un nouveau/);
      assert.deepEqual(await snapshot(), before);
      assert.equal(await statusOf(id), 'complement_requested');
      // Another household cannot answer; nobody unauthenticated either.
      const other = await loggedIn(b);
      await other.get('/demandes');
      assert.equal((await multipart(t, other, `/demandes/${id}/complement`, { reponse: 'Intrus' }, null)).status, 404);
      const anonymous = await t.app.inject({ method: 'POST', url: `/demandes/${id}/complement`, payload: { reponse: 'x' } });
      assert.ok([302, 303, 401, 403].includes(anonymous.statusCode), String(anonymous.statusCode));
      assert.doesNotMatch(String(anonymous.headers.location ?? ''), /^\/demandes/);
      assert.deepEqual(await snapshot(), before);
      assert.equal(await statusOf(id), 'complement_requested');
    });
  });
}
