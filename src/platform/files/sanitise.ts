import { ByteReader, FileRefused, MarkupScanner } from './bytes.ts';
import type { MediaType } from './sniff.ts';

/**
 * Stream sanitisers, one per accepted type, in pure TypeScript (no image library): each reads the
 * file's structure as it arrives and passes on only what a viewer needs, so what is stored has no
 * metadata (GPS position, camera, author, comments) and nothing after the end of the image. Pixels
 * are never decoded nor re-encoded. Markup found in any non-pixel part makes the file a polyglot,
 * refused; a file that ends before its structure does is truncated, refused.
 */
export function sanitise(type: MediaType, source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  switch (type) {
    case 'image/jpeg':
      return jpeg(reader);
    case 'image/png':
      return png(reader);
    case 'image/webp':
      return webp(reader);
    case 'application/pdf':
      return pdf(reader);
  }
}

/** The signatures of a ZIP archive (a local file, the end record). */
// eslint-disable-next-line no-control-regex
const ARCHIVE = /PK\x03\x04|PK\x05\x06/;

/** Trailing data (a phone's motion video, a ZIP glued on): checked for markup and archives, then dropped. */
async function dropTrailing(reader: ByteReader): Promise<void> {
  const scanner = new MarkupScanner(ARCHIVE);
  for await (const piece of reader.rest()) scanner.push(piece);
}

// ---------------------------------------------------------------- JPEG

/** APP0 (JFIF), APP2 « ICC_PROFILE » (colours) and APP14 « Adobe » (CMYK) are kept; every other APPn and COM goes. */
function keepJpegSegment(marker: number, body: Buffer): boolean {
  if (marker === 0xe0) return true;
  if (marker === 0xe2) return body.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0';
  if (marker === 0xee) return body.subarray(0, 5).toString('latin1') === 'Adobe';
  return false;
}

async function* jpeg(reader: ByteReader): AsyncGenerator<Buffer> {
  const soi = await reader.exact(2);
  yield soi;
  let sawFrame = false;
  let sawScan = false;
  let marker = await nextMarker(reader);
  for (;;) {
    if (marker === 0xd9) {
      if (!sawFrame || !sawScan) throw new FileRefused('truncated');
      yield Buffer.from([0xff, 0xd9]);
      await dropTrailing(reader);
      return;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) throw new FileRefused('malformed');
    const length = (await reader.exact(2)).readUInt16BE(0);
    if (length < 2) throw new FileRefused('malformed');
    const header = Buffer.from([0xff, marker, length >> 8, length & 0xff]);
    const isMetadata = (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;
    if (isMetadata) {
      const body = await reader.exact(length - 2);
      if (keepJpegSegment(marker, body)) {
        if (marker !== 0xe2) new MarkupScanner().push(body);
        yield header;
        yield body;
      } else new MarkupScanner().push(body);
      marker = await nextMarker(reader);
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) sawFrame = true;
    yield header;
    yield* reader.pass(length - 2);
    if (marker === 0xda) {
      sawScan = true;
      marker = yield* entropyCoded(reader);
    } else marker = await nextMarker(reader);
  }
}

/** The next marker byte after 0xFF (fill bytes skipped); anything else between segments is malformed. */
async function nextMarker(reader: ByteReader): Promise<number> {
  const ff = await reader.exact(1);
  if (ff[0] !== 0xff) throw new FileRefused('malformed');
  for (;;) {
    const m = (await reader.exact(1))[0];
    if (m !== 0xff) return m;
  }
}

/**
 * A scan's compressed data, passed through up to the next marker (returned). Inside it 0xFF is
 * followed by 0x00 (a stuffed byte) or a restart marker; anything else ends the scan.
 */
async function* entropyCoded(reader: ByteReader): AsyncGenerator<Buffer, number> {
  for (;;) {
    if (!(await reader.fill(2))) throw new FileRefused('truncated');
    const buf = reader.peek();
    const at = buf.indexOf(0xff);
    if (at < 0 || at === buf.length - 1) {
      // No marker can start in what is safe to pass (the last 0xFF waits for its next byte).
      const safe = at < 0 ? buf.length : at;
      if (safe > 0) yield reader.take(safe);
      else if (!(await reader.fill(buf.length + 1))) throw new FileRefused('truncated');
      continue;
    }
    if (at > 0) yield reader.take(at);
    const next = reader.peek()[1];
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      yield reader.take(2);
      continue;
    }
    if (next === 0xff) {
      reader.take(1);
      continue;
    }
    reader.take(2);
    return next;
  }
}

// ---------------------------------------------------------------- PNG

/** Chunks a viewer needs (image data, palette, transparency, colour space, pixel size); text, eXIf, time and the unknown go. */
const PNG_KEPT = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs']);

async function* png(reader: ByteReader): AsyncGenerator<Buffer> {
  yield await reader.exact(8);
  let first = true;
  for (;;) {
    const head = await reader.exact(8);
    const length = head.readUInt32BE(0);
    const type = head.subarray(4, 8).toString('latin1');
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type) || (first && type !== 'IHDR')) throw new FileRefused('malformed');
    first = false;
    if (PNG_KEPT.has(type)) {
      yield head;
      yield* reader.pass(length + 4);
    } else {
      const scanner = new MarkupScanner();
      for await (const piece of reader.pass(length + 4)) scanner.push(piece);
    }
    if (type === 'IEND') {
      await dropTrailing(reader);
      return;
    }
  }
}

// ---------------------------------------------------------------- WebP

/**
 * WebP announces its total size first, so a chunk cannot be removed from a stream already sent:
 * EXIF and XMP chunks are blanked in place (renamed « JUNK », which readers skip, content zeroed)
 * and their flags cleared in the VP8X header.
 */
async function* webp(reader: ByteReader): AsyncGenerator<Buffer> {
  const riff = await reader.exact(12);
  const declared = riff.readUInt32LE(4);
  if (declared < 4 || declared % 2 === 1) throw new FileRefused('malformed');
  yield riff;
  let left = declared - 4;
  while (left > 0) {
    if (left < 8) throw new FileRefused('malformed');
    const head = await reader.exact(8);
    const fourcc = head.subarray(0, 4).toString('latin1');
    const size = head.readUInt32LE(4);
    const padded = size + (size % 2);
    if (padded + 8 > left) throw new FileRefused('malformed');
    left -= padded + 8;
    if (fourcc === 'VP8X') {
      const body = Buffer.from(await reader.exact(padded));
      // Bits 3 (EXIF) and 2 (XMP) of the flags byte: the metadata they announce is gone.
      body[0] &= ~0x0c;
      yield head;
      yield body;
    } else if (fourcc === 'EXIF' || fourcc === 'XMP ' || !/^(VP8 |VP8L|ALPH|ANIM|ANMF|ICCP)$/.test(fourcc)) {
      const scanner = new MarkupScanner();
      for await (const piece of reader.pass(padded)) {
        scanner.push(piece);
      }
      const blank = Buffer.alloc(8);
      blank.write('JUNK', 0, 'latin1');
      blank.writeUInt32LE(size, 4);
      yield blank;
      for (let sent = 0; sent < padded; sent += 65536) yield Buffer.alloc(Math.min(65536, padded - sent));
    } else {
      yield head;
      yield* reader.pass(padded);
    }
  }
  await dropTrailing(reader);
}

// ---------------------------------------------------------------- PDF

/** Scripts, launch actions and embedded files: a document for the town needs none of them. */
const ACTIVE_PDF = /\/(?:JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA)(?![A-Za-z0-9])/;
const TAIL = 2048;
/** Kept unread at the end of a piece, so a keyword cut in two is seen whole with the next piece. */
const CARRY = 16;

/**
 * A PDF is passed through whole (re-writing one safely needs a PDF library). Its text, outside the
 * binary data of its streams (where three random bytes would too often spell « /JS »), is checked
 * for markup (a polyglot) and for active content; it must end with « %%EOF » (else it is truncated),
 * and an archive glued at the end (its end record in the last bytes) makes it a polyglot. Scripts
 * hidden inside compressed object streams are not seen: the portal never renders a PDF itself.
 */
async function* pdf(reader: ByteReader): AsyncGenerator<Buffer> {
  const markup = new MarkupScanner();
  let tail = Buffer.alloc(0);
  let pending = '';
  let inStream = false;
  let context = '';
  const check = (text: string) => {
    markup.pushText(text);
    const seen = context + text;
    if (ACTIVE_PDF.test(seen)) throw new FileRefused('active_pdf');
    context = seen.slice(-CARRY);
  };
  const advance = (final: boolean) => {
    for (;;) {
      const keep = final ? 0 : CARRY;
      if (!inStream) {
        const start = /stream\r?\n/.exec(pending);
        if (start) {
          check(pending.slice(0, start.index + start[0].length));
          pending = pending.slice(start.index + start[0].length);
          inStream = true;
          continue;
        }
        const cut = Math.max(0, pending.length - keep);
        check(pending.slice(0, cut));
        pending = pending.slice(cut);
        return;
      }
      const end = pending.indexOf('endstream');
      if (end >= 0) {
        pending = pending.slice(end + 'endstream'.length);
        inStream = false;
        context = '';
        continue;
      }
      pending = pending.slice(Math.max(0, pending.length - keep));
      return;
    }
  };
  for await (const piece of reader.rest()) {
    pending += piece.toString('latin1');
    advance(false);
    tail = Buffer.concat([tail, piece]).subarray(-TAIL);
    yield piece;
  }
  advance(true);
  const end = tail.toString('latin1');
  if (ARCHIVE.test(end)) throw new FileRefused('polyglot');
  if (!/%%EOF\s*$/.test(end)) throw new FileRefused('truncated');
}
