/**
 * A bounded multipart/form-data reader for the upload forms of the back office (the CSV import, message attachments).
 * It runs as the scope's content-type parser, so the fields (the hidden `_csrf` first) are in
 * `req.body` before the global CSRF check and the route's schema, as for any other form. The whole
 * body is already bounded by the parser's bodyLimit; parts, field sizes and the file size are
 * bounded here. A field sent twice becomes a list (the route schema refuses it).
 */

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}
/** Marks a file larger than allowed: the page says so rather than a generic error. */
export const TOO_LARGE = 'too_large' as const;

export interface MultipartLimits {
  maxParts: number;
  maxFieldBytes: number;
  maxFileBytes: number;
}

/** A field's text, a file, or TOO_LARGE (a string constant, told apart from a field by the part having a filename). */
type Value = string | UploadedFile;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]*)`, 'i').exec(header);
  return m ? m[1] : null;
}

/** The fields and files of a multipart body; null when it is malformed or over a limit (a 400). */
export function readMultipart(body: Buffer, contentType: string, limits: MultipartLimits): Record<string, Value | Value[]> | null {
  const boundary = boundaryOf(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Record<string, Value | Value[]> = {};
  let pos = body.indexOf(delimiter);
  if (pos < 0) return null;
  for (let parts = 0; ; parts++) {
    const after = pos + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') return out;
    if (parts >= limits.maxParts || !body.subarray(after, after + 2).equals(CRLF)) return null;
    const start = after + 2;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), start);
    if (next < 0) return null;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf(HEADER_END);
    if (headerEnd < 0 || headerEnd > 2000) return null;
    const headers = part.subarray(0, headerEnd).toString('utf-8').split('\r\n');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h));
    const name = disposition ? param(disposition, 'name') : null;
    if (!disposition || !name) return null;
    const content = part.subarray(headerEnd + 4);
    const filename = param(disposition, 'filename');
    let value: Value;
    if (filename !== null) value = content.length > limits.maxFileBytes ? TOO_LARGE : { filename, bytes: Buffer.from(content) };
    else if (content.length > limits.maxFieldBytes) return null;
    else value = content.toString('utf-8');
    const previous = out[name];
    out[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    pos = next + 2;
  }
}
