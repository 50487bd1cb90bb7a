import type { FileRefusal } from './files.outcomes.ts';

/**
 * Reading a stream of bytes piece by piece with bounded memory: the sanitisers, the decryption and
 * the multipart reader ask for exactly n bytes (a header, a length) or pass n bytes through without
 * ever holding more than one piece of the stream.
 */

/** Why an upload is refused; `code` is one of FILE_REFUSALS (files.outcomes.ts). */
export class FileRefused extends Error {
  constructor(readonly code: FileRefusal) {
    super(code);
  }
}

export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  private readonly it: AsyncIterator<Buffer>;
  /** Bytes taken out of the reader so far. */
  consumed = 0;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** At least n bytes buffered (true), or the stream ended first (false). */
  async fill(n: number): Promise<boolean> {
    if (this.buf.length >= n || this.done) return this.buf.length >= n;
    // Pieces are gathered and joined once: joining at each small piece would copy a segment many times.
    const pieces = this.buf.length ? [this.buf] : [];
    let length = this.buf.length;
    while (length < n) {
      const next = await this.it.next();
      if (next.done) {
        this.done = true;
        break;
      }
      pieces.push(next.value);
      length += next.value.length;
    }
    this.buf = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, length);
    return length >= n;
  }

  /** What is buffered now, without taking it. */
  peek(): Buffer {
    return this.buf;
  }

  /** Exactly n bytes; a stream that ends before is a truncated file. */
  async exact(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new FileRefused('truncated');
    return this.take(n);
  }

  /** Takes n bytes already buffered. */
  take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.consumed += n;
    return out;
  }

  /** Passes n bytes through in the pieces they arrive in (never all at once). */
  async *pass(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill(1))) throw new FileRefused('truncated');
      const piece = this.take(Math.min(left, this.buf.length));
      left -= piece.length;
      yield piece;
    }
  }

  /** Everything left, piece by piece. */
  async *rest(): AsyncGenerator<Buffer> {
    while (await this.fill(1)) yield this.take(this.buf.length);
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }
}

/**
 * Markup a browser would run or render, looked for in every part of an upload that is not pixels:
 * comments, metadata, data after the end of an image, and the whole of a PDF. Found there, it makes
 * the file a polyglot (an image or a PDF that is also a web page), which is refused.
 */
const MARKUP = /<(?:script|html|svg|iframe|object|embed|body|meta|link|style)[\s>/]|<!doctype|<\?php|javascript:/i;
const OVERLAP = 16;

export class MarkupScanner {
  private tail = '';
  constructor(private readonly extra?: RegExp) {}

  /** Throws when the bytes seen so far (across pieces) hold markup. */
  push(piece: Buffer): void {
    this.pushText(piece.toString('latin1'));
  }

  pushText(piece: string): void {
    const text = this.tail + piece;
    if (MARKUP.test(text) || (this.extra && this.extra.test(text))) throw new FileRefused('polyglot');
    this.tail = text.slice(-OVERLAP);
  }
}

/** A stream cut at `max` bytes: one byte more and the upload is refused as too large. */
export async function* limited(source: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const piece of source) {
    total += piece.length;
    if (total > max) throw new FileRefused('too_large');
    yield piece;
  }
}
