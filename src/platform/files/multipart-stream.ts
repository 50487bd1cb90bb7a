import { ByteReader, FileRefused } from './bytes.ts';

/**
 * A streaming multipart/form-data reader for upload forms: the small fields that come first (the
 * hidden `_csrf`, the document's type…) are read into memory, bounded; the one file, which must be
 * the last part, is handed over as a stream that ends at the closing boundary. The body is never
 * held whole (src/modules/imports/multipart.ts buffers it, which is fine for a CSV of 2 Mo only).
 * A body that ends before its closing boundary makes the file `truncated`.
 */

export interface UploadLimits {
  maxFields: number;
  maxFieldBytes: number;
}

export interface IncomingUpload {
  /** The name the file had on the device ('' when the field was left empty). */
  filename: string;
  content: AsyncIterable<Buffer>;
  /** True once the content was read to the closing boundary. */
  readonly finished: boolean;
  /** Stops reading (the route answered without reading the file): the connection is closed. */
  abandon(): void;
  /**
   * Reads and discards what is left of the body, up to `cap` bytes (then abandons): a browser still
   * sending its file when the answer comes shows a connection error instead of the page that says why.
   */
  drain(cap: number): Promise<void>;
}

export interface StreamedForm {
  fields: Record<string, string>;
  /** The file part's field name and the file, null when the form had no file part. */
  file: { field: string; upload: IncomingUpload } | null;
}

export class MalformedUpload extends Error {}

function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]*)`, 'i').exec(header);
  return m ? m[1] : null;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADERS = 2000;

export async function readStreamedForm(source: AsyncIterable<Buffer>, contentType: string, limits: UploadLimits): Promise<StreamedForm> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new MalformedUpload('no boundary');
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  const reader = new ByteReader({ [Symbol.asyncIterator]: () => iterator });
  const first = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);

  if (!(await reader.fill(first.length + 2)) || !reader.peek().subarray(0, first.length).equals(first)) throw new MalformedUpload('no first boundary');
  reader.take(first.length);
  const fields: Record<string, string> = {};
  for (let parts = 0; ; parts++) {
    if (!(await reader.fill(2))) throw new MalformedUpload('cut after a boundary');
    const after = reader.take(2).toString('latin1');
    if (after === '--') return { fields, file: null };
    if (after !== '\r\n' || parts >= limits.maxFields + 1) throw new MalformedUpload('bad part');
    const headers = await readHeaders(reader);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h));
    const name = disposition ? param(disposition, 'name') : null;
    if (!disposition || !name) throw new MalformedUpload('no name');
    const filename = param(disposition, 'filename');
    if (filename !== null) {
      const upload: IncomingUpload = {
        filename,
        content: fileContent(),
        get finished() {
          return finished;
        },
        abandon: () => void iterator.return?.(),
        async drain(cap: number) {
          for (let read = 0; read <= cap; ) {
            if (!(await reader.fill(1).catch(() => false))) {
              finished = true;
              return;
            }
            read += reader.take(reader.peek().length).length;
          }
          upload.abandon();
        },
      };
      return { fields, file: { field: name, upload } };
    }
    if (name in fields) throw new MalformedUpload('field twice');
    fields[name] = (await fieldValue(reader, delimiter, limits.maxFieldBytes)).toString('utf8');
  }

  async function* fileContent(): AsyncGenerator<Buffer> {
    for (;;) {
      const ready = await reader.fill(delimiter.length);
      const buf = reader.peek();
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        if (at > 0) yield reader.take(at);
        reader.take(delimiter.length);
        if (!(await reader.fill(2))) throw new FileRefused('truncated');
        // The file is the last part: anything after it but the closing boundary is refused.
        if (reader.take(2).toString('latin1') !== '--') throw new FileRefused('malformed');
        finished = true;
        return;
      }
      // Everything but what could be the start of the boundary is surely file content.
      const safe = buf.length - (delimiter.length - 1);
      if (safe > 0) yield reader.take(safe);
      else if (!ready || !(await reader.fill(buf.length + 1))) throw new FileRefused('truncated');
    }
  }
}

async function readHeaders(reader: ByteReader): Promise<string[]> {
  for (let want = 64; ; want += 64) {
    const end = reader.peek().indexOf(HEADER_END);
    if (end >= 0) {
      const text = reader.take(end).toString('utf8');
      reader.take(HEADER_END.length);
      return text.split('\r\n');
    }
    if (want > MAX_HEADERS || !(await reader.fill(want))) throw new MalformedUpload('headers');
  }
}

async function fieldValue(reader: ByteReader, delimiter: Buffer, max: number): Promise<Buffer> {
  for (let want = delimiter.length; ; want += 256) {
    const at = reader.peek().indexOf(delimiter);
    if (at >= 0) {
      if (at > max) throw new MalformedUpload('field too long');
      const value = Buffer.from(reader.take(at));
      reader.take(delimiter.length);
      return value;
    }
    if (want > max + delimiter.length + 256 || !(await reader.fill(want))) throw new MalformedUpload('field');
  }
}
