import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { FileRefused } from './bytes.ts';
import { sniff } from './sniff.ts';
import { sanitise } from './sanitise.ts';
import { FileDamaged, open, seal, sealedSize, SEGMENT } from './sealed-stream.ts';
import { readStreamedForm } from './multipart-stream.ts';
import { aPdf, GPS_MARK, inPieces, jpegWithGps, jpegWithoutMetadata, pngWithText, webpWithExif } from '../../../test/support/files.ts';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    if (err instanceof FileRefused) return err.code;
    throw err;
  }
  return 'accepted';
}

const clean = (bytes: Buffer, pieces = 7) => collect(sanitise(sniff(bytes), inPieces(bytes, pieces)));

test('the type comes from the content, whatever the name', async () => {
  const table: [string, Buffer, string][] = [
    ['PDF', aPdf(), 'application/pdf'],
    ['JPEG', jpegWithGps(), 'image/jpeg'],
    ['PNG', pngWithText(), 'image/png'],
    ['WebP', webpWithExif(), 'image/webp'],
    ['HTML named .pdf', Buffer.from('<!DOCTYPE html><html><script>alert(1)</script>'), 'markup'],
    ['SVG', Buffer.from('\uFEFF  <?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'markup'],
    ['HEIC', Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(12)]), 'heic'],
    ['executable', Buffer.from('MZ\x90\x00', 'latin1'), 'unknown_type'],
    ['empty', Buffer.alloc(0), 'empty'],
  ];
  for (const [what, bytes, expected] of table) {
    const found = await refusal(() => Promise.resolve().then(() => sniff(bytes)));
    assert.equal(found === 'accepted' ? sniff(bytes) : found, expected, what);
  }
});

test('a phone\'s JPEG loses its EXIF block (GPS position) and nothing else, read in any piece size', async () => {
  const original = jpegWithGps();
  assert.ok(original.includes(GPS_MARK) && original.includes(Buffer.from('Exif')));
  for (const size of [1, 2, 3, 64, 100_000]) {
    const stored = await clean(original, size);
    assert.deepEqual(stored, jpegWithoutMetadata(), `pieces of ${size}`);
  }
});

test('PNG text and eXIf chunks, WebP EXIF and XMP chunks are removed', async () => {
  const png = await clean(pngWithText());
  assert.ok(!png.includes(GPS_MARK) && !png.includes(Buffer.from('tEXt')) && !png.includes(Buffer.from('eXIf')));
  assert.ok(png.includes(Buffer.from('IDAT')) && png.subarray(-8, -4).toString('latin1') === 'IEND');
  const webp = await clean(webpWithExif());
  assert.ok(!webp.includes(GPS_MARK) && !webp.includes(Buffer.from('EXIF')) && !webp.includes(Buffer.from('XMP ')));
  assert.equal(webp.length, webpWithExif().length, 'the RIFF size stays true');
  assert.equal(webp[20] & 0x0c, 0, 'the VP8X flags no longer announce metadata');
});

test('polyglots, truncated files and active PDFs are refused', async () => {
  const table: [string, Buffer, string][] = [
    ['HTML in a JPEG comment', jpegWithGps({ comment: '<html><body><script>alert(1)</script>' }), 'polyglot'],
    ['ZIP after the JPEG', jpegWithGps({ trailing: Buffer.from('PK\x03\x04zip', 'latin1') }), 'polyglot'],
    ['HTML after the JPEG', jpegWithGps({ trailing: Buffer.from('<script>alert(1)</script>') }), 'polyglot'],
    ['JPEG cut off', jpegWithGps().subarray(0, 120), 'truncated'],
    ['PNG cut off', pngWithText().subarray(0, 60), 'truncated'],
    ['WebP cut off', webpWithExif().subarray(0, 40), 'truncated'],
    ['PDF cut off', aPdf(100).subarray(0, 150), 'truncated'],
    ['PDF with HTML', aPdf(0, '<html><script>alert(1)</script></html>\n'), 'polyglot'],
    ['PDF with JavaScript', aPdf(0, '5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n'), 'active_pdf'],
    ['PDF with a ZIP at the end', Buffer.concat([aPdf(), Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]), 'polyglot'],
  ];
  for (const [what, bytes, expected] of table) assert.equal(await refusal(() => clean(bytes)), expected, what);
  // Trailing data that is neither markup nor an archive (a phone's motion clip) is just dropped.
  assert.deepEqual(await clean(jpegWithGps({ trailing: Buffer.from('\0\0motion-clip-bytes') })), jpegWithoutMetadata());
  // Binary stream data is not read as text: « /JS » by chance inside a stream is fine.
  const binary = aPdf(0, '');
  const withStream = Buffer.concat([binary.subarray(0, 9), Buffer.from('9 0 obj << /Length 5 >>\nstream\n/JS (\nendstream\nendobj\n', 'latin1'), binary.subarray(9)]);
  assert.equal(await refusal(() => clean(withStream)), 'accepted');
});

test('sealed segments: round trip at every size around a segment, and any alteration is detected', async () => {
  const key = crypto.randomBytes(32);
  for (const size of [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT]) {
    const plain = crypto.randomBytes(size);
    const sealed = await collect(seal(key, 'file-a', inPieces(plain, 5000)));
    assert.equal(sealed.length, sealedSize(size), `size of ${size}`);
    assert.deepEqual(await collect(open(key, 'file-a', inPieces(sealed, 4096))), plain, `round trip of ${size}`);
    if (size > 16) assert.equal(sealed.indexOf(plain.subarray(0, 16)), -1, 'no readable byte');
  }
  const plain = crypto.randomBytes(2 * SEGMENT + 10);
  const sealed = await collect(seal(key, 'file-a', inPieces(plain)));
  const damaged = async (bytes: Buffer, id = 'file-a', k = key) => {
    try {
      await collect(open(k, id, inPieces(bytes, 4096)));
      return false;
    } catch (err) {
      return err instanceof FileDamaged;
    }
  };
  const flipped = Buffer.from(sealed);
  flipped[SEGMENT + 100] ^= 1;
  assert.ok(await damaged(flipped), 'a flipped bit');
  assert.ok(await damaged(sealed.subarray(0, sealed.length - (10 + 16))), 'the last segment cut off');
  assert.ok(await damaged(sealed.subarray(0, sealed.length - 5)), 'the file cut short');
  assert.ok(await damaged(sealed, 'file-b'), 'under another id');
  assert.ok(await damaged(sealed, 'file-a', crypto.randomBytes(32)), 'with another key');
});

test('the streaming multipart reader: fields first, the file as a stream, a cut body is truncated', async () => {
  const boundary = '----x1';
  const file = crypto.randomBytes(200_000);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\ntok\r\n--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nassurance\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  for (const size of [7, 13, 65536]) {
    const form = await readStreamedForm(inPieces(body, size), `multipart/form-data; boundary=${boundary}`, { maxFields: 5, maxFieldBytes: 1000 });
    assert.deepEqual(form.fields, { _csrf: 'tok', type: 'assurance' });
    assert.ok(form.file);
    assert.equal(form.file.field, 'fichier');
    assert.equal(form.file.upload.filename, 'photo.jpg');
    const content = await collect(form.file.upload.content);
    assert.deepEqual(content, file, `pieces of ${size}`);
    assert.ok(form.file.upload.finished);
  }
  const cut = await readStreamedForm(inPieces(body.subarray(0, body.length - 20)), `multipart/form-data; boundary=${boundary}`, { maxFields: 5, maxFieldBytes: 1000 });
  assert.equal(await refusal(() => collect(cut.file!.upload.content)), 'truncated');
});
