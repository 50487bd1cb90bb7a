import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../http/app-type.ts';
import { badRequest } from '../http/web.ts';
import { MalformedUpload, readStreamedForm, type IncomingUpload } from './multipart-stream.ts';
import { EXTENSIONS, type MediaType } from './sniff.ts';
import type { Readable } from 'node:stream';

/**
 * HTTP side of the file store. `acceptUploads` makes a Fastify scope read multipart bodies as a
 * stream: the small fields come first into `req.body` (so the platform's CSRF check and the route's
 * zod schema see them as for any form), the file as an `IncomingUpload` the handler streams into
 * the store. `sendStoredFile` answers a download: always an attachment, never sniffed, never cached.
 */

// Twenty fields of 8,000 bytes at most (a message of 2,000 characters in any script; the change-of-situation form's fields).
const UPLOAD_LIMITS = { maxFields: 20, maxFieldBytes: 8000 };

export const UNREADABLE_FORM = 'Le formulaire envoyé n\'a pas pu être lu. Revenez au formulaire, choisissez de nouveau le fichier et recommencez.';

/** The file field of a route's body schema. */
export const uploadField = z.custom<IncomingUpload>((v) => typeof v === 'object' && v !== null && 'content' in v && 'abandon' in v, { message: 'Choisissez un fichier.' });

export function acceptUploads(app: App): void {
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    readStreamedForm(payload as AsyncIterable<Buffer>, String(req.headers['content-type'] ?? ''), UPLOAD_LIMITS).then(
      (form) => done(null, form.file ? { ...form.fields, [form.file.field]: form.file.upload } : form.fields),
      // Malformed, or the connection failed while the fields came in: the visitor's side, never a 500.
      (err: unknown) => {
        if (!(err instanceof MalformedUpload)) req.log.info({ err }, 'formulaire avec fichier illisible');
        done(badRequest(UNREADABLE_FORM), undefined);
      },
    );
  });
  // A route that answered without reading the file (a form error, a refused token): the rest of
  // the body is not read, the connection is closed once the answer is sent.
  app.addHook('onResponse', (req: FastifyRequest, _reply, done) => {
    const body: unknown = req.body;
    for (const value of typeof body === 'object' && body !== null ? Object.values(body) : []) {
      const upload = uploadField.safeParse(value);
      if (upload.success && !upload.data.finished) upload.data.abandon();
    }
    done();
  });
}

/** `filename*` (RFC 6266) keeps accents; the plain `filename` is ASCII for old browsers. */
function disposition(name: string, mediaType: MediaType): string {
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const full = `${base}.${EXTENSIONS[mediaType]}`;
  const ascii = full.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\;]/g, '_') || `document.${EXTENSIONS[mediaType]}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`;
}

export function sendStoredFile(reply: FastifyReply, file: { mediaType: MediaType; byteSize: number; originalName: string; stream: Readable }) {
  return reply
    .header('content-type', file.mediaType)
    .header('content-length', String(file.byteSize))
    .header('content-disposition', disposition(file.originalName, file.mediaType))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(file.stream);
}

/** Route options for a download: the file is already compressed or not worth it. */
export const downloadRouteOptions = { compress: false as const };
