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
import { purgeStaleDrafts } from './requests.drafts-job.ts';

/** Posts a form as a browser does with enctype multipart: the fields (token first), then the file last. */
async function multipart(t: TestApp, client: TestClient, url: string, fields: Record<string, string>, file: { name: string; bytes: Buffer } | null) {
  const boundary = '----portail-brouillon';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: client.lastCsrf, ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const f = file ?? { name: '', bytes: Buffer.alloc(0) };
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const res = await t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
  return { status: res.statusCode, body: res.body, location: res.headers.location };
}

for (const engine of testEngines()) {
  describe(`brouillons incomplets : enregistrés, repris, complétés, envoyés ; supprimés après 90 jours (${engine})`, () => {
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
    const requestsOf = (householdId: string) => t.ctx.db.selectFrom('requests').select(['id', 'status', 'summary', 'type']).where('household_id', '=', householdId).execute();
    const count = async (table: 'requests' | 'stored_files' | 'request_answers') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-drafts-'));
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

    test('« Autre demande » saved half-filled: listed with what is missing, unseen by agents, reopened with its values, sent only complete', async () => {
      const parent = await loggedIn(a);
      await parent.get('/demandes/nouvelle/autre');
      const tooLong = await multipart(t, parent, '/demandes/nouvelle/autre?enregistrer=1', { subject: 'x'.repeat(2000), text: '' }, null);
      assert.equal(tooLong.status, 400, 'values are still bounded');
      await parent.get('/demandes/nouvelle/autre');
      const saved = await multipart(t, parent, '/demandes/nouvelle/autre?enregistrer=1', { subject: 'Attestation employeur', text: '' }, null);
      assert.equal(saved.status, 303, textOf(saved.body));
      const id = saved.location!.split('/').at(-1)!;
      assert.deepEqual((await requestsOf(a.householdId)).map((r) => [r.id, r.status, r.summary]), [[id, 'draft', 'Autre demande (brouillon)']]);
      assert.match(textOf((await parent.get('/demandes')).body), /Autre demande \(brouillon\).*Brouillon.*À terminer.*Il manque : Décrivez votre demande/);
      // Agents never see it; another household neither.
      const town = await loggedIn(agent);
      assert.equal((await town.get(`/agent/demandes/${id}`)).status, 404);
      const other = await loggedIn(b);
      assert.equal((await other.get(`/demandes/nouvelle/autre?brouillon=${id}`)).status, 404);
      // Reopened with its values.
      const page = await parent.get(`/demandes/${id}`);
      assert.match(page.body, new RegExp(`href="/demandes/nouvelle/autre\\?brouillon=${id}"`));
      const reopened = await parent.get(`/demandes/nouvelle/autre?brouillon=${id}`);
      assert.equal(reopened.status, 200);
      assert.match(reopened.body, /value="Attestation employeur"/);
      assert.match(reopened.body, new RegExp(`name="brouillon" value="${id}"`));
      // « Envoyer » from the draft's page: incomplete, the form says what is missing, values kept.
      await parent.get(`/demandes/${id}`);
      const incomplete = await parent.post(`/demandes/${id}/envoyer`);
      assert.equal(incomplete.status, 400);
      assert.match(textOf(incomplete.body), /Erreur : .*Décrivez votre demande/);
      assert.match(incomplete.body, /value="Attestation employeur"/);
      assert.equal((await requestsOf(a.householdId))[0].status, 'draft');
      // Completed and sent from the form: the same request, now « déposée », with the « reçue » e-mail.
      await parent.get(`/demandes/nouvelle/autre?brouillon=${id}`);
      const sent = await multipart(t, parent, '/demandes/nouvelle/autre', { brouillon: id, subject: 'Attestation employeur', text: 'Une attestation de présence, s\'il vous plaît.' }, { name: 'courrier.pdf', bytes: aPdf(100) });
      assert.equal(sent.status, 303, textOf(sent.body));
      assert.equal(sent.location, `/demandes/${id}`);
      assert.deepEqual((await requestsOf(a.householdId)).map((r) => [r.id, r.status, r.summary]), [[id, 'submitted', 'Autre demande : Attestation employeur']]);
      assert.equal((await t.ctx.db.selectFrom('outbox').select('id').where('to_address', '=', a.email).where('subject', 'like', '%reçue%').execute()).length, 1);
      const file = await t.ctx.db.selectFrom('request_attachments as r').innerJoin('stored_files as f', 'f.id', 'r.file_id').select('f.delete_after').where('r.request_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(file.delete_after, null, 'a sent request keeps its files');
      assert.equal((await town.get(`/agent/demandes/${id}`)).status, 200);
      await parent.get(`/demandes/nouvelle/autre?brouillon=${id}`).then((r) => assert.equal(r.status, 409, 'no longer a draft'));
    });

    test('a bad file in a draft is refused with a French message and writes nothing; a draft untouched for 90 days goes with its own file', async () => {
      const parent = await loggedIn(b);
      const before = { requests: await count('requests'), files: await count('stored_files'), answers: await count('request_answers') };
      await parent.get('/demandes/nouvelle/situation');
      const bad = await multipart(t, parent, '/demandes/nouvelle/situation?enregistrer=1', { kind: 'custody', details: '' }, { name: 'jugement.pdf', bytes: Buffer.from('<html><script>alert(1)</script></html>') });
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Ce fichier est une page web/);
      assert.deepEqual({ requests: await count('requests'), files: await count('stored_files'), answers: await count('request_answers') }, before);
      await parent.get('/demandes/nouvelle/situation');
      const saved = await multipart(t, parent, '/demandes/nouvelle/situation?enregistrer=1', { kind: 'custody', details: '' }, { name: 'jugement.pdf', bytes: aPdf(50) });
      assert.equal(saved.status, 303, textOf(saved.body));
      const id = saved.location!.split('/').at(-1)!;
      // The jugement is there; only the few words are missing.
      const list = textOf((await parent.get('/demandes')).body);
      assert.match(list, /Il manque : Décrivez en quelques mots ce que le jugement change/);
      assert.doesNotMatch(list, /Joignez le jugement/);
      t.clock.set('2027-02-20T10:00:00Z');
      assert.equal(await purgeStaleDrafts(t.ctx), 0, '84 days: kept');
      t.clock.set('2027-02-27T10:00:00Z');
      assert.equal(await purgeStaleDrafts(t.ctx), 1);
      assert.equal(await t.ctx.db.selectFrom('requests').select('id').where('id', '=', id).executeTakeFirst(), undefined);
      assert.deepEqual({ requests: await count('requests'), files: await count('stored_files'), answers: await count('request_answers') }, before);
      t.clock.set('2026-11-28T10:00:00Z');
    });
  });
}
