import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { aFamily, agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aPdf, jpegWithGps, jpegWithoutMetadata } from '../../../test/support/files.ts';
import { storedFilesOf } from '../../platform/files/stored-files.ts';
import { documentsService } from './documents.service.ts';
import { usableDocuments } from './documents.queue.repository.ts';
import { familyActorOf } from '../../../test/support/builders.ts';
import { inPieces } from '../../../test/support/files.ts';
import type { IncomingUpload } from '../../platform/files/multipart-stream.ts';

const QUOTIENT = '00000000-0000-7000-8000-00000000d002';
const ASSURANCE = '00000000-0000-7000-8000-00000000d003';

/** A file as the upload route hands it over (the stream of a multipart part). */
const anUpload = (filename: string, bytes: Buffer): IncomingUpload => ({ filename, content: inPieces(bytes), finished: true, abandon: () => undefined, drain: () => Promise.resolve() });

for (const engine of testEngines()) {
  describe(`vérification des documents par le service enfance (${engine})`, () => {
    let t: TestApp;
    let dataDir: string;
    let a: Awaited<ReturnType<typeof aFamily>>;
    let caf: string;
    let photo: string;
    const loggedIn = async (who: { email: string; password: string }) => {
      const client = new TestClient(t.app);
      await client.login(who.email, who.password);
      return client;
    };

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-check-'));
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z', env: { DATA_DIR: dataDir } });
      a = await aFamily(t.ctx, await agentAuth(t.ctx, ['enfance']), 'Martin', { childFirstName: 'Léa' });
      const wallet = documentsService(t.ctx, storedFilesOf(t.ctx));
      const actor = await familyActorOf(t.ctx, a.email);
      const sent = await wallet.add(actor, { type: QUOTIENT, personne: 'foyer', date: '2026-11-03' }, anUpload('attestation-caf.pdf', aPdf()));
      const sentPhoto = await wallet.add(actor, { type: ASSURANCE, personne: a.childId, date: '2026-09-02' }, anUpload('assurance.jpg', jpegWithGps()));
      assert.ok(sent.ok && sentPhoto.ok);
      caf = sent.id;
      photo = sentPhoto.id;
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('the queue lists documents to check, filtered by type; every opening of a document and of its file is audited', async () => {
      const agent = await loggedIn(await anAgent(t.ctx, ['enfance']));
      const queue = textOf((await agent.get('/agent/documents')).body);
      assert.match(queue, /2 documents à vérifier/);
      assert.match(queue, /Attestation CAF ou MSA de quotient familial Martin \(F-\d+\) Tout le foyer/);
      const filtered = textOf((await agent.get(`/agent/documents?type=${ASSURANCE}`)).body);
      assert.match(filtered, /1 document à vérifier/);
      assert.doesNotMatch(filtered, /quotient familial Martin/);
      assert.equal((await agent.get('/agent/documents?type=pas-un-id')).status, 400);

      const page = await agent.get(`/agent/documents/${photo}`);
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`<img class="document-image" src="/agent/documents/${photo}/fichier" alt="Attestation d&#39;assurance envoyé par la famille"|<img class="document-image" src="/agent/documents/${photo}/fichier" alt="Attestation d'assurance envoyé par la famille"`));
      const file = await t.app.inject({ method: 'GET', url: `/agent/documents/${photo}/fichier`, headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(file.statusCode, 200);
      assert.deepEqual(file.rawPayload, jpegWithoutMetadata());
      assert.match(String(file.headers['content-disposition']), /^attachment/);
      const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', a.householdId).where('action', 'in', ['document.viewed', 'document.file-read']).execute();
      assert.deepEqual(audit.map((r) => r.action).sort(), ['document.file-read', 'document.viewed']);
    });

    test('validating an attestation CAF records its quotient and month; the family reads « Validé » and gets an e-mail; the document is reused while valid', async () => {
      const agent = await loggedIn(await anAgent(t.ctx, ['enfance']));
      const page = await agent.get(`/agent/documents/${caf}`);
      assert.match(page.body, /value="2027-11-02"/, 'the validity of the type is proposed');
      const wrong = await agent.post(`/agent/documents/${caf}/decision`, { action: 'validated', valable: '2027-11-02', qf: 'huit cents', mois_qf: '2026-11' });
      assert.equal(wrong.status, 400);
      assert.match(textOf(wrong.body), /Erreur : .*Indiquez le quotient familial en euros/);
      assert.match(wrong.body, /value="huit cents"/);
      const done = await agent.post(`/agent/documents/${caf}/decision`, { action: 'validated', valable: '2027-11-02', qf: '850', mois_qf: '2026-11' });
      assert.equal(done.status, 303);
      const row = await t.ctx.db.selectFrom('documents').select(['status', 'qf_value', 'qf_month', 'valid_until']).where('id', '=', caf).executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'validated', qf_value: 850, qf_month: '2026-11', valid_until: '2027-11-02' });
      // Decided once: a second decision (another agent at the same time) changes nothing.
      const again = await agent.post(`/agent/documents/${caf}/decision`, { action: 'refused', motif: 'Illisible' });
      assert.equal(again.status, 409);
      const parent = await loggedIn(a);
      assert.match(textOf((await parent.get('/documents')).body), /Attestation CAF ou MSA de quotient familial .* Tout le foyer Validé mardi 2 novembre 2027/);
      await t.flushMail();
      assert.ok(t.delivered.some((m) => m.subject.startsWith('Attestation CAF ou MSA de quotient familial : document validé') && /valable jusqu'au mardi 2 novembre 2027/.test(m.text)));
      assert.deepEqual((await usableDocuments(t.ctx.db, a.householdId, 'quotient', '2027-11-02')).map((d) => d.id), [caf]);
      assert.deepEqual(await usableDocuments(t.ctx.db, a.householdId, 'quotient', '2027-11-03'), [], 'no longer once expired');
    });

    test('a refusal needs a reason, which the family reads', async () => {
      const agent = await loggedIn(await anAgent(t.ctx, ['admin']));
      await agent.get(`/agent/documents/${photo}`);
      const missing = await agent.post(`/agent/documents/${photo}/decision`, { action: 'refused', motif: '' });
      assert.equal(missing.status, 400);
      assert.match(textOf(missing.body), /Indiquez le motif du refus/);
      assert.equal((await agent.post(`/agent/documents/${photo}/decision`, { action: 'refused', motif: 'La photo est floue : reprenez-la à la lumière du jour.' })).status, 303);
      const parent = await loggedIn(a);
      assert.match(textOf((await parent.get('/documents')).body), /Léa Refusé Motif : La photo est floue : reprenez-la à la lumière du jour\./);
      assert.equal((await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'document.refused').execute()).length, 1);
    });

    test('the agent\'s household page lists the household\'s documents with their status', async () => {
      const agent = await loggedIn(await anAgent(t.ctx, ['enfance']));
      const page = textOf((await agent.get(`/agent/foyers/${a.householdId}`)).body);
      assert.match(page, /Documents 2 documents/);
      assert.match(page, /Attestation CAF ou MSA de quotient familial Tout le foyer samedi 28 novembre 2026 Validé mardi 2 novembre 2027/);
      assert.match(page, /Attestation d'assurance Léa samedi 28 novembre 2026 Refusé/);
    });

    test('other roles and families have no business here: 403; an unknown document is a 404', async () => {
      for (const role of ['animateur', 'regie', 'restauration'] as const) {
        const other = await loggedIn(await anAgent(t.ctx, [role]));
        assert.equal((await other.get('/agent/documents')).status, 403, role);
        assert.equal((await other.get(`/agent/documents/${caf}`)).status, 403, role);
        assert.equal((await other.get(`/agent/documents/${caf}/fichier`)).status, 403, role);
      }
      const parent = await loggedIn(a);
      assert.equal((await parent.get(`/agent/documents/${caf}/fichier`)).status, 403);
      const agent = await loggedIn(await anAgent(t.ctx, ['enfance']));
      assert.equal((await agent.get('/agent/documents/01900000-0000-7000-8000-00000000abcd')).status, 404);
      assert.equal((await agent.get('/agent/documents/01900000-0000-7000-8000-00000000abcd/fichier')).status, 404);
    });
  });
}
