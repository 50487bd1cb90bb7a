import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/database.ts';
import type { FileBackend } from '../db/schema-files.ts';
import { deleteChunks, existingIds, insertChunk, readChunks } from './files.repository.ts';

/** Where sealed bytes live. Both hold only what sealed-stream.ts produced: never a readable byte. */
export interface BlobBackend {
  kind: FileBackend;
  /** Writes the whole sealed stream; visible to `read` only once complete. */
  write(id: string, sealed: AsyncIterable<Buffer>): Promise<void>;
  read(id: string): AsyncIterable<Buffer>;
  /** Removes what was written for this id, if anything (no error when nothing is there). */
  remove(id: string): Promise<void>;
  /** Removes what no row refers to any more, left since before `before` (anonymised households, crashes). */
  sweep(db: Db, before: Date): Promise<number>;
}

const ID = /^[0-9a-f-]{36}$/;

/**
 * One file per stored file under DATA_DIR/documents/<2 first characters>/<id>, readable by the
 * portal's user only (0600, folders 0700), written under a temporary name then renamed, so a reader
 * never sees half a file.
 */
export function directoryBackend(dataDir: string): BlobBackend {
  const root = path.join(dataDir, 'documents');
  const fileOf = (id: string) => {
    if (!ID.test(id)) throw new Error('invalid stored file id');
    return path.join(root, id.slice(0, 2), id);
  };
  return {
    kind: 'directory',
    async write(id, sealed) {
      const target = fileOf(id);
      await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      const part = `${target}.part`;
      try {
        // One segment in flight (Readable.from buffers 16 by default: 1 Mo per upload).
        await pipeline(Readable.from(sealed, { highWaterMark: 1 }), fs.createWriteStream(part, { flags: 'wx', mode: 0o600 }));
        await fsp.rename(part, target);
      } catch (err) {
        await fsp.rm(part, { force: true });
        throw err;
      }
    },
    async *read(id) {
      yield* fs.createReadStream(fileOf(id), { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>;
    },
    async remove(id) {
      await fsp.rm(fileOf(id), { force: true });
      await fsp.rm(`${fileOf(id)}.part`, { force: true });
    },
    async sweep(db, before) {
      let removed = 0;
      const folders = await fsp.readdir(root).catch(() => [] as string[]);
      for (const folder of folders) {
        const dir = path.join(root, folder);
        const names = await fsp.readdir(dir).catch(() => [] as string[]);
        for (let i = 0; i < names.length; i += 200) {
          const batch = names.slice(i, i + 200);
          const alive = await existingIds(db, batch.map((n) => n.replace(/\.part$/, '')).filter((n) => ID.test(n)));
          for (const name of batch) {
            const id = name.replace(/\.part$/, '');
            if (alive.has(id) && !name.endsWith('.part')) continue;
            const file = path.join(dir, name);
            const stat = await fsp.stat(file).catch(() => null);
            // A file being written has a fresh time: only the old ones are leftovers.
            if (!stat || stat.mtime >= before || (alive.has(id) && name.endsWith('.part'))) continue;
            await fsp.rm(file, { force: true });
            removed++;
          }
        }
      }
      return removed;
    },
  };
}

/** Sealed segments as rows of file_chunks: every instance behind a load balancer reads the same files. */
export function databaseBackend(db: Db): BlobBackend {
  // Four segments (256 kB) a query: PostgreSQL sends bytea as hex text, twice their size in memory.
  const BATCH = 4;
  return {
    kind: 'database',
    async write(id, sealed) {
      let seq = 0;
      for await (const piece of sealed) await insertChunk(db, id, seq++, piece);
    },
    async *read(id) {
      for (let from = 0; ; ) {
        const rows = await readChunks(db, id, from, BATCH);
        for (const row of rows) {
          if (row.seq !== from++) return;
          yield row.bytes;
        }
        if (rows.length < BATCH) return;
      }
    },
    async remove(id) {
      await deleteChunks(db, id);
    },
    // Segments go with their row (ON DELETE CASCADE): nothing is ever left behind.
    sweep: () => Promise.resolve(0),
  };
}
