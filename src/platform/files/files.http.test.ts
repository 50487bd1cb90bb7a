import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient } from '../../../test/support/client.ts';
import { GPS_MARK, jpegWithGps, jpegWithoutMetadata } from '../../../test/support/files.ts';
import type { App } from '../http/app-type.ts';
import { storedFilesOf } from './stored-files.ts';
import { acceptUploads, downloadRouteOptions, sendStoredFile, uploadField } from './files.http.ts';
import { refusalMessage } from './files.outcomes.ts';

/**
 * The upload plumbing inside the real app (its CSRF check, its error pages), through a route that
 * exists only in this test: the fields come before the file, the file streams into the store.
 */
for (const engine of testEngines()) {
  describe(`envoi de fichier dans le portail (${engine})`, () => {
    let t: TestApp;
    let dataDir: string;

    before(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-http-'));
      t = await createTestApp(engine, {
        env: { DATA_DIR: dataDir },
        beforeReady: (app) => {
          void app.register((scope, _options, registered) => {
            // The test app is not returned yet while its routes are registered: the store is made at the first request.
            const files = () => storedFilesOf(t.ctx);
            const routes = scope as unknown as App;
            acceptUploads(routes);
            routes.post('/essai-envoi', { schema: { body: z.object({ _csrf: z.string(), note: z.string().max(50), fichier: uploadField }) } }, async (req, reply) => {
              const result = await files().store(req.body.fichier.content, { householdId: null, purpose: 'document', originalName: req.body.fichier.filename, now: t.clock.now() });
              return result.ok ? reply.send(`${result.value.id} ${req.body.note}`) : reply.code(400).send(refusalMessage(result.code, files().maxBytes));
            });
            routes.get('/essai-envoi/:id', { ...downloadRouteOptions, schema: { params: z.object({ id: z.string().uuid() }) } }, async (req, reply) => {
              const file = await files().openForDownload(req.params.id);
              return file ? sendStoredFile(reply, file) : reply.code(404).send('');
            });
            registered();
          });
        },
      });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const send = async (client: TestClient, parts: Buffer[], boundary = '----essai') =>
      t.app.inject({ method: 'POST', url: '/essai-envoi', payload: Buffer.concat(parts), headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const field = (name: string, value: string) => Buffer.from(`------essai\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    const file = (bytes: Buffer, filename = 'IMG_2040.jpg') => [Buffer.from(`------essai\r\nContent-Disposition: form-data; name="fichier"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`), bytes, Buffer.from('\r\n------essai--\r\n')];
    const rows = async () => (await t.ctx.db.selectFrom('stored_files').select('id').execute()).length;

    test('with the form\'s token, the photo is stored without its position and comes back as an attachment', async () => {
      const client = new TestClient(t.app);
      await client.get('/connexion');
      const res = await send(client, [field('_csrf', client.lastCsrf), field('note', 'assurance'), ...file(jpegWithGps())]);
      assert.equal(res.statusCode, 200, res.body);
      const [id, note] = res.body.split(' ');
      assert.equal(note, 'assurance');
      const back = await t.app.inject({ method: 'GET', url: `/essai-envoi/${id}` });
      assert.equal(back.statusCode, 200);
      assert.deepEqual(back.rawPayload, jpegWithoutMetadata());
      assert.equal(back.rawPayload.indexOf(GPS_MARK), -1);
      assert.equal(back.headers['content-type'], 'image/jpeg');
      assert.equal(back.headers['content-disposition'], 'attachment; filename="IMG_2040.jpg"; filename*=UTF-8\'\'IMG_2040.jpg');
      assert.equal(back.headers['x-content-type-options'], 'nosniff');
      assert.equal(back.headers['content-encoding'], undefined);
    });

    test('without the token, or with a malformed body, nothing is stored and the answer is a French page', async () => {
      const client = new TestClient(t.app);
      await client.get('/connexion');
      const before = await rows();
      const forged = await send(client, [field('_csrf', 'faux'), field('note', 'x'), ...file(jpegWithGps())]);
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /Cette page a expiré/);
      const malformed = await send(client, [Buffer.from('------essai\r\nContent-Disposition: form-data\r\n\r\nx\r\n------essai--\r\n')]);
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.body, /Le formulaire envoyé n&#39;a pas pu être lu|Le formulaire envoyé n'a pas pu être lu/);
      const html = await send(client, [field('_csrf', client.lastCsrf), field('note', 'x'), ...file(Buffer.from('<!doctype html><html><script>alert(1)</script>'), 'facture.pdf')]);
      assert.equal(html.statusCode, 400);
      assert.match(html.body, /page web ou un dessin SVG/);
      assert.equal(await rows(), before);
    });
  });
}
