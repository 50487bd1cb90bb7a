import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../db/database.ts';
import type { Executor } from '../audit/audit.repository.ts';
import type { FileBackend } from '../db/schema-files.ts';
import { newId } from '../ids.ts';
import { ByteReader, FileRefused, limited } from './bytes.ts';
import { sniff, SNIFF_BYTES, type MediaType } from './sniff.ts';
import { sanitise } from './sanitise.ts';
import { FileDamaged, open, seal } from './sealed-stream.ts';
import { databaseBackend, directoryBackend, type BlobBackend } from './backends.ts';
import type { FileRefusal } from './files.outcomes.ts';
import * as repo from './files.repository.ts';

export interface StoredFilesOptions {
  db: Db;
  dataDir: string;
  secretKey: string;
  /** Where new files go; files already stored are read from where they were written. */
  backend: FileBackend;
  maxBytes: number;
}

export interface StoredFile {
  id: string;
  mediaType: MediaType;
  byteSize: number;
  originalName: string;
}

export interface NewFile {
  householdId: string | null;
  purpose: 'document' | 'attachment';
  originalName: string;
  deleteAfter?: string | null;
  now: Date;
}

export type StoreResult = { ok: true; value: StoredFile } | { ok: false; code: FileRefusal };

/** An upload left « writing » this long is a crash or a lost connection: the purge removes it. */
const STALE_UPLOAD_MS = 60 * 60_000;

/** The documents key: HKDF of SECRET_KEY for this purpose only (as seal() in secrets.ts does for short secrets). */
function documentsKey(secretKey: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secretKey, 'portail-famille', 'stored-files', 32));
}

/** A name safe to show and to put in a header: no path, no control character, 120 characters at most. */
export function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f"<>]/g, '').trim().slice(0, 120) || 'document';
}

/**
 * The encrypted file store: an upload is streamed through the size limit, the type check, the
 * sanitiser of its type and the encryption into the configured backend, one segment in memory at
 * a time; nothing stays (no row, no byte) when it is refused or fails half-way.
 */
export function storedFiles(options: StoredFilesOptions) {
  const { db } = options;
  const key = documentsKey(options.secretKey);
  const backends: Record<FileBackend, BlobBackend> = { directory: directoryBackend(options.dataDir), database: databaseBackend(db) };
  const target = backends[options.backend];

  async function discard(id: string) {
    await target.remove(id);
    await repo.deleteFile(db, id);
  }

  /** The plain bytes of a stored file, checked segment by segment. */
  const plain = (id: string, backend: FileBackend) => open(key, id, backends[backend].read(id));

  return {
    maxBytes: options.maxBytes,
    backend: options.backend,

    async store(input: AsyncIterable<Buffer>, file: NewFile): Promise<StoreResult> {
      const reader = new ByteReader(limited(input, options.maxBytes));
      let id: string | null = null;
      try {
        await reader.fill(SNIFF_BYTES);
        const mediaType = sniff(reader.peek());
        id = newId();
        const originalName = cleanName(file.originalName);
        await repo.insertFile(db, { id, household_id: file.householdId, purpose: file.purpose, media_type: mediaType, byte_size: 0, original_name: originalName, state: 'writing', backend: target.kind, created_at: file.now.toISOString(), delete_after: file.deleteAfter ?? null });
        let byteSize = 0;
        const counted = async function* () {
          for await (const piece of sanitise(mediaType, reader.rest())) {
            byteSize += piece.length;
            yield piece;
          }
        };
        await target.write(id, seal(key, id, counted()));
        await repo.markStored(db, id, byteSize);
        return { ok: true, value: { id, mediaType, byteSize, originalName } };
      } catch (err) {
        if (id) await discard(id);
        if (err instanceof FileRefused) return { ok: false, code: err.code };
        throw err;
      }
    },

    find: (id: string) => repo.findFile(db, id),

    /**
     * The file to send, or null when it is missing or does not authenticate. The whole file is
     * checked once before the first byte leaves (a file altered on disk is refused, not half sent),
     * then streamed again; an alteration between the two reads cuts the answer off.
     */
    async openForDownload(id: string): Promise<{ mediaType: MediaType; byteSize: number; originalName: string; stream: Readable } | null> {
      const row = await repo.findFile(db, id);
      if (!row || row.state !== 'stored') return null;
      try {
        let total = 0;
        for await (const piece of plain(id, row.backend)) total += piece.length;
        if (total !== row.byte_size) return null;
      } catch (err) {
        if (err instanceof FileDamaged || (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      return { mediaType: row.media_type as MediaType, byteSize: row.byte_size, originalName: row.original_name, stream: Readable.from(plain(id, row.backend), { highWaterMark: 1 }) };
    },

    /** Removes a file now (its row and its bytes). */
    async remove(id: string): Promise<void> {
      const row = await repo.findFile(db, id);
      if (!row) return;
      await backends[row.backend].remove(id);
      await repo.deleteFile(db, id);
    },

    /** Removes the bytes of a file whose row is already gone (deleted in a transaction that committed). */
    async forget(id: string): Promise<void> {
      for (const backend of Object.values(backends)) await backend.remove(id);
    },

    setDeleteAfter: (tx: Executor, id: string, deleteAfter: string | null) => repo.setDeleteAfter(tx, id, deleteAfter),

    /** Files past their retention, uploads never finished, and bytes left without a row: removed. Returns how many. */
    async purge(now: Date): Promise<number> {
      let removed = 0;
      const staleBefore = new Date(now.getTime() - STALE_UPLOAD_MS);
      for (;;) {
        const due = await repo.filesDue(db, now.toISOString(), staleBefore.toISOString(), 100);
        for (const file of due) {
          await backends[file.backend].remove(file.id);
          await repo.deleteFile(db, file.id);
        }
        removed += due.length;
        if (due.length < 100) break;
      }
      // Files on disk carry the system's times, so their age is measured against the system clock.
      const sweepBefore = new Date(Date.now() - STALE_UPLOAD_MS);
      for (const backend of Object.values(backends)) removed += await backend.sweep(db, sweepBefore);
      return removed;
    },
  };
}

export type StoredFiles = ReturnType<typeof storedFiles>;

/** The store as the configuration sets it (server, worker, command line). */
export function storedFilesOf(ctx: { db: Db; config: { dataDir: string; secretKey: string; documents: { storage: FileBackend; maxBytes: number } } }): StoredFiles {
  return storedFiles({ db: ctx.db, dataDir: ctx.config.dataDir, secretKey: ctx.config.secretKey, backend: ctx.config.documents.storage, maxBytes: ctx.config.documents.maxBytes });
}

/** Runs the purge every hour in the background (main.ts), beside the e-mail worker. */
export function startFilePurge(files: StoredFiles, now: () => Date, onError: (err: unknown) => void): { stop(): void } {
  const run = () => void files.purge(now()).catch(onError);
  const timer = setInterval(run, 60 * 60_000);
  timer.unref();
  setTimeout(run, 30_000).unref();
  return { stop: () => clearInterval(timer) };
}
