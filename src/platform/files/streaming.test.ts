import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import Fastify from 'fastify';
import { z } from 'zod';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { testEngines } from '../../../test/support/engines.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { storedFiles } from './stored-files.ts';
import { acceptUploads, downloadRouteOptions, sendStoredFile, uploadField } from './files.http.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const MB = 1024 * 1024;
const FILE_BYTES = 10 * MB - 4096;
const BOUNDARY = '----portail-test';

/** A 10 Mo PDF sent as a browser would, in 64 kB pieces, never held whole. */
function* multipartPdf(): Generator<Buffer> {
  const head = Buffer.from(`%PDF-1.4\n1 0 obj << /Length ${FILE_BYTES} >>\nstream\n`, 'latin1');
  const tail = Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
  yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nassurance\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="fichier"; filename="gros.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  yield head;
  const filler = Buffer.alloc(64 * 1024, 0x78);
  for (let left = FILE_BYTES - head.length - tail.length; left > 0; left -= filler.length) yield filler.subarray(0, Math.min(left, filler.length));
  yield tail;
  yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
}

for (const engine of testEngines()) {
  const backend = engine === 'sqlite' ? 'directory' : 'database';
  describe(`envoi et téléchargement en flux (${engine}, ${backend})`, () => {
    let handle: DatabaseHandle;
    let dataDir: string;
    let close: () => Promise<void>;
    let port: number;

    before(async () => {
      handle = await freshDatabase(engine);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-stream-'));
      const files = storedFiles({ db: handle.db, dataDir, secretKey: 'cle-de-test-uniquement-pour-les-tests-0123456789', backend, maxBytes: 10 * MB });
      const app = Fastify().withTypeProvider<ZodTypeProvider>();
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      acceptUploads(app);
      app.post('/envoi', { schema: { body: z.object({ type: z.string(), fichier: uploadField }) } }, async (req) => {
        const upload = req.body.fichier;
        const result = await files.store(upload.content, { householdId: null, purpose: 'document', originalName: upload.filename, now: new Date() });
        return result.ok ? { id: result.value.id, size: result.value.byteSize } : { refused: result.code };
      });
      app.get('/fichier/:id', { ...downloadRouteOptions, schema: { params: z.object({ id: z.string() }) } }, async (req, reply) => {
        const file = await files.openForDownload(req.params.id);
        if (!file) return reply.code(404).send('');
        return sendStoredFile(reply, file);
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      port = (app.server.address() as { port: number }).port;
      close = () => app.close();
    });
    after(async () => {
      await close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    const upload = () =>
      new Promise<{ id: string; size: number }>((resolve, reject) => {
        const req = http.request({ port, method: 'POST', path: '/envoi', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(JSON.parse(text) as { id: string; size: number }));
        });
        req.on('error', reject);
        const pieces = multipartPdf();
        const pump = () => {
          for (let next = pieces.next(); !next.done; next = pieces.next()) if (!req.write(next.value)) return void req.once('drain', pump);
          req.end();
        };
        pump();
      });

    const download = (id: string) =>
      new Promise<{ bytes: number; sha: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        http.get({ port, path: `/fichier/${id}` }, (res) => {
          const hash = crypto.createHash('sha256');
          let bytes = 0;
          res.on('data', (d: Buffer) => {
            bytes += d.length;
            hash.update(d);
          });
          res.on('end', () => resolve({ bytes, sha: hash.digest('hex'), headers: res.headers }));
        }).on('error', reject);
      });

    test('three 10 Mo files go up and down at once with memory bounded well below their size', async () => {
      const sha = crypto.createHash('sha256');
      const pdf = [...multipartPdf()].slice(1, -1);
      for (const p of pdf) sha.update(p);
      const expectedSha = sha.digest('hex');

      gc();
      const live = () => {
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      };
      const baseline = live();
      let peak = 0;
      // V8 frees the memory of dead buffers on a background thread after a collection: measured after
      // two collections a moment apart, what is counted is what the transfers really hold.
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          gc();
          await new Promise((resolve) => setTimeout(resolve, 5));
          gc();
          peak = Math.max(peak, live() - baseline);
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
      })();
      try {
        const stored = await Promise.all([upload(), upload(), upload()]);
        for (const s of stored) assert.equal(s.size, FILE_BYTES, JSON.stringify(s));
        const back = await Promise.all(stored.map((s) => download(s.id)));
        for (const b of back) {
          assert.equal(b.bytes, FILE_BYTES);
          assert.equal(b.sha, expectedSha);
          assert.match(String(b.headers['content-disposition']), /^attachment; filename="gros\.pdf"/);
          assert.equal(b.headers['x-content-type-options'], 'nosniff');
          assert.equal(b.headers['content-type'], 'application/pdf');
        }
      } finally {
        sampling = false;
        await sampler;
      }
      // 60 Mo went through (3 × 10 Mo up, 3 × 10 Mo down); what stayed in memory at once is a few segments.
      console.log(JSON.stringify({ engine, backend, transferredMB: 60, peakLiveMB: Math.round((peak / MB) * 10) / 10 }));
      // Three files held whole would be 30 Mo (more with copies); measured 4 to 11 Mo, once 17 Mo on a
      // loaded CI machine (the test's own senders and sockets in the same process queue more there).
      assert.ok(peak < 24 * MB, `peak ${Math.round(peak / MB)} Mo`);
    });
  });
}
