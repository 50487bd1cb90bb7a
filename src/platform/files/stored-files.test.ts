import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../../../test/support/engines.ts';
import { freshDatabase } from '../../../test/support/database.ts';
import { aPdf, GPS_MARK, inPieces, jpegWithGps, jpegWithoutMetadata } from '../../../test/support/files.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { FileRefused } from './bytes.ts';
import { storedFiles } from './stored-files.ts';

const SECRET = 'cle-de-test-uniquement-pour-les-tests-0123456789';
const NOW = new Date('2026-11-28T10:00:00Z');

async function read(stream: AsyncIterable<Buffer>) {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(p);
  return Buffer.concat(parts);
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** A source that sends some bytes then fails, as a connection cut during the upload. */
async function* cutAfter(bytes: Buffer, n: number): AsyncGenerator<Buffer> {
  yield await Promise.resolve(bytes.subarray(0, n));
  throw new FileRefused('truncated');
}

for (const engine of testEngines()) {
  for (const backend of ['directory', 'database'] as const) {
    describe(`fichiers chiffrés (${engine}, ${backend})`, () => {
      let handle: DatabaseHandle;
      let dataDir: string;
      let files: ReturnType<typeof storedFiles>;
      const meta = { householdId: null, purpose: 'document' as const, originalName: 'C:\\Photos\\IMG_0001.jpg', now: NOW };

      const leftovers = async () => ({
        rows: (await handle.db.selectFrom('stored_files').select('id').execute()).length,
        chunks: (await handle.db.selectFrom('file_chunks').select('file_id').execute()).length,
        onDisk: filesUnder(path.join(dataDir, 'documents')).length,
      });

      before(async () => {
        handle = await freshDatabase(engine);
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-files-'));
        files = storedFiles({ db: handle.db, dataDir, secretKey: SECRET, backend, maxBytes: 200_000 });
      });
      after(async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      });

      test('a phone photo is stored without its GPS position, encrypted, and given back whole', async () => {
        const stored = await files.store(inPieces(jpegWithGps(), 10), meta);
        assert.ok(stored.ok);
        assert.equal(stored.value.mediaType, 'image/jpeg');
        assert.equal(stored.value.originalName, 'IMG_0001.jpg', 'no path kept');
        const download = await files.openForDownload(stored.value.id);
        assert.ok(download);
        assert.deepEqual(await read(download.stream), jpegWithoutMetadata());

        // What is at rest: no readable byte of the image nor of its position.
        const atRest =
          backend === 'directory'
            ? filesUnder(path.join(dataDir, 'documents')).map((f) => {
                assert.equal(fs.statSync(f).mode & 0o777, 0o600, 'readable by the portal only');
                return fs.readFileSync(f);
              })
            : (await handle.db.selectFrom('file_chunks').select('bytes').where('file_id', '=', stored.value.id).execute()).map((r) => Buffer.from(r.bytes));
        const all = Buffer.concat(atRest);
        assert.ok(all.length > 0);
        for (const clear of [GPS_MARK, Buffer.from('JFIF'), jpegWithoutMetadata().subarray(20, 40)]) assert.equal(all.indexOf(clear), -1);
        await files.remove(stored.value.id);
        assert.deepEqual(await leftovers(), { rows: 0, chunks: 0, onDisk: 0 });
      });

      test('refused uploads leave nothing behind: HTML as .pdf, too large, polyglot, cut off', async () => {
        const cases: [Buffer | AsyncIterable<Buffer>, string][] = [
          [Buffer.from('<html><body>Facture</body></html>'), 'markup'],
          [aPdf(300_000), 'too_large'],
          [jpegWithGps({ comment: '<script>alert(1)</script>' }), 'polyglot'],
          [aPdf(1000).subarray(0, 900), 'truncated'],
          [cutAfter(aPdf(100_000), 70_000), 'truncated'],
        ];
        for (const [input, code] of cases) {
          const result = await files.store(Buffer.isBuffer(input) ? inPieces(input, 4096) : input, meta);
          assert.deepEqual(result, { ok: false, code });
          assert.deepEqual(await leftovers(), { rows: 0, chunks: 0, onDisk: 0 }, code);
        }
      });

      test('a file altered at rest is refused at download', async () => {
        const stored = await files.store(inPieces(aPdf(150_000), 8192), meta);
        assert.ok(stored.ok);
        assert.ok(await files.openForDownload(stored.value.id));
        if (backend === 'directory') {
          const [file] = filesUnder(path.join(dataDir, 'documents'));
          const bytes = fs.readFileSync(file);
          bytes[bytes.length - 100] ^= 0x01;
          fs.writeFileSync(file, bytes);
        } else {
          const row = await handle.db.selectFrom('file_chunks').select('bytes').where('file_id', '=', stored.value.id).where('seq', '=', 2).executeTakeFirstOrThrow();
          const bytes = Buffer.from(row.bytes);
          bytes[10] ^= 0x01;
          await handle.db.updateTable('file_chunks').set({ bytes }).where('file_id', '=', stored.value.id).where('seq', '=', 2).execute();
        }
        assert.equal(await files.openForDownload(stored.value.id), null);
        await files.remove(stored.value.id);
      });

      test('the purge removes files past their retention, unfinished uploads and bytes left without a row', async () => {
        const due = await files.store(inPieces(aPdf(10)), { ...meta, deleteAfter: '2026-11-28T09:00:00.000Z' });
        const kept = await files.store(inPieces(aPdf(10)), { ...meta, deleteAfter: '2027-11-28T09:00:00.000Z' });
        const orphan = await files.store(inPieces(aPdf(10)), meta);
        assert.ok(due.ok && kept.ok && orphan.ok);
        await handle.db.insertInto('stored_files').values({ id: '01900000-0000-7000-8000-000000000001', household_id: null, purpose: 'document', media_type: 'application/pdf', byte_size: 0, original_name: 'x.pdf', state: 'writing', backend, created_at: '2026-11-28T08:00:00.000Z', delete_after: null }).execute();
        // An anonymisation deletes rows in its transaction; the bytes go with the next purge.
        await handle.db.deleteFrom('stored_files').where('id', '=', orphan.value.id).execute();
        for (const f of filesUnder(path.join(dataDir, 'documents'))) fs.utimesSync(f, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
        await files.purge(NOW);
        const rows = await handle.db.selectFrom('stored_files').select('id').execute();
        assert.deepEqual(rows.map((r) => r.id), [kept.value.id]);
        const left = await leftovers();
        if (backend === 'directory') assert.deepEqual(filesUnder(path.join(dataDir, 'documents')).map((f) => path.basename(f)), [kept.value.id]);
        else assert.equal(left.onDisk, 0);
        assert.ok(await files.openForDownload(kept.value.id));
        await files.remove(kept.value.id);
      });
    });
  }
}
