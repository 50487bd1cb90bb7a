import crypto from 'node:crypto';
import { ByteReader } from './bytes.ts';

/**
 * Files at rest are encrypted with AES-256-GCM in segments (the « STREAM » construction of Tink and
 * age): a file of any size is sealed and opened with one segment in memory, and every segment is
 * authenticated on its own, so an altered byte, a segment moved, removed or cut off at the end is
 * detected without reading the whole file first.
 *
 * Layout: « PFE1 » | salt (16) | nonce prefix (7) | segments of 64 KiB + 16-byte tag (the last one shorter).
 * Key of a file: HKDF-SHA256 of the documents key (itself derived from SECRET_KEY for the purpose
 * « stored-files ») with the file's random salt: a fresh key and nonce for each file. Nonce of a
 * segment: prefix | segment number (4 bytes) | 1 for the last segment, 0 otherwise. The file's id is
 * authenticated with every segment: a file copied under another row's id does not open.
 */
const MAGIC = Buffer.from('PFE1', 'latin1');
const SALT = 16;
const PREFIX = 7;
const HEADER = MAGIC.length + SALT + PREFIX;
export const SEGMENT = 64 * 1024;
const TAG = 16;

/** Thrown when a stored file does not open: altered, truncated, or sealed with another key or id. */
export class FileDamaged extends Error {
  constructor() {
    super('stored file failed authentication');
  }
}

function fileKey(documentsKey: Buffer, salt: Buffer, fileId: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', documentsKey, salt, `stored-file:${fileId}`, 32));
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, PREFIX);
  n[11] = last ? 1 : 0;
  return n;
}

function sealSegment(key: Buffer, prefix: Buffer, index: number, last: boolean, aad: Buffer, plain: Buffer): Buffer {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce(prefix, index, last));
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** The sealed form of a stream of plain bytes: the header, then one buffer per segment. */
export async function* seal(documentsKey: Buffer, fileId: string, plain: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const salt = crypto.randomBytes(SALT);
  const prefix = crypto.randomBytes(PREFIX);
  const key = fileKey(documentsKey, salt, fileId);
  const aad = Buffer.from(fileId, 'utf8');
  yield Buffer.concat([MAGIC, salt, prefix]);
  const reader = new ByteReader(plain);
  let index = 0;
  // One segment ahead: a full segment is the last one only if nothing follows it.
  for (;;) {
    const full = await reader.fill(SEGMENT + 1);
    if (!full) {
      yield sealSegment(key, prefix, index, true, aad, reader.take(reader.peek().length));
      return;
    }
    yield sealSegment(key, prefix, index++, false, aad, Buffer.from(reader.take(SEGMENT)));
  }
}

/** The plain bytes of a sealed stream, segment by segment; throws FileDamaged at the first segment that does not authenticate. */
export async function* open(documentsKey: Buffer, fileId: string, sealed: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const reader = new ByteReader(sealed);
  if (!(await reader.fill(HEADER))) throw new FileDamaged();
  const header = reader.take(HEADER);
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new FileDamaged();
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT);
  const prefix = header.subarray(MAGIC.length + SALT);
  const key = fileKey(documentsKey, salt, fileId);
  const aad = Buffer.from(fileId, 'utf8');
  for (let index = 0; ; index++) {
    const more = await reader.fill(SEGMENT + TAG + 1);
    const segment = reader.take(more ? SEGMENT + TAG : reader.peek().length);
    if (segment.length < TAG) throw new FileDamaged();
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce(prefix, index, !more));
    decipher.setAAD(aad);
    decipher.setAuthTag(segment.subarray(segment.length - TAG));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(segment.subarray(0, segment.length - TAG)), decipher.final()]);
    } catch {
      throw new FileDamaged();
    }
    if (plain.length) yield plain;
    if (!more) return;
  }
}

/** The size on disk of a file of `plainBytes` bytes once sealed (one tag per segment, at least one segment). */
export function sealedSize(plainBytes: number): number {
  return HEADER + plainBytes + Math.max(1, Math.ceil(plainBytes / SEGMENT)) * TAG;
}
