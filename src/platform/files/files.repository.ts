import type { Db } from '../db/database.ts';
import type { Executor } from '../audit/audit.repository.ts';
import type { StoredFilesTable } from '../db/schema-files.ts';
import type { Insertable } from 'kysely';

/** SQL of the encrypted file store: the file rows, and the sealed segments of the database backend. */

export const insertFile = (db: Executor, row: Insertable<StoredFilesTable>) => db.insertInto('stored_files').values(row).execute();

export const markStored = (db: Executor, id: string, byteSize: number) =>
  db.updateTable('stored_files').set({ state: 'stored', byte_size: byteSize }).where('id', '=', id).where('state', '=', 'writing').executeTakeFirst();

export const findFile = (db: Executor, id: string) =>
  db.selectFrom('stored_files').select(['id', 'household_id', 'purpose', 'media_type', 'byte_size', 'original_name', 'state', 'backend', 'created_at', 'delete_after']).where('id', '=', id).executeTakeFirst();

/** Removes the row (the database backend's segments go with it, ON DELETE CASCADE). */
export const deleteFile = (db: Executor, id: string) => db.deleteFrom('stored_files').where('id', '=', id).execute();

export const setDeleteAfter = (db: Executor, id: string, deleteAfter: string | null) =>
  db.updateTable('stored_files').set({ delete_after: deleteAfter }).where('id', '=', id).execute();

export const insertChunk = (db: Db, fileId: string, seq: number, bytes: Buffer) => db.insertInto('file_chunks').values({ file_id: fileId, seq, bytes }).execute();

/** Up to `limit` segments from `fromSeq` on, in order. */
export const readChunks = (db: Db, fileId: string, fromSeq: number, limit: number) =>
  db.selectFrom('file_chunks').select(['seq', 'bytes']).where('file_id', '=', fileId).where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();

export const deleteChunks = (db: Db, fileId: string) => db.deleteFrom('file_chunks').where('file_id', '=', fileId).execute();

/** Files whose retention ended, and uploads left unfinished (a crash, a lost connection) since before `staleBefore`. */
export const filesDue = (db: Db, now: string, staleBefore: string, limit: number) =>
  db
    .selectFrom('stored_files')
    .select(['id', 'backend'])
    .where((eb) => eb.or([eb.and([eb('delete_after', 'is not', null), eb('delete_after', '<=', now)]), eb.and([eb('state', '=', 'writing'), eb('created_at', '<', staleBefore)])]))
    .limit(limit)
    .execute();

/** Which of these ids still have a row (the directory sweep removes files whose row is gone). */
export async function existingIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('stored_files').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** A household's files (export), without their content. */
export const householdFiles = (db: Executor, householdId: string) =>
  db.selectFrom('stored_files').select(['id', 'purpose', 'media_type', 'byte_size', 'original_name', 'created_at']).where('household_id', '=', householdId).where('state', '=', 'stored').orderBy('created_at').execute();

/** Anonymisation: the rows go in the caller's transaction; the directory sweep removes the files left without a row. */
export const deleteHouseholdFiles = (tx: Executor, householdId: string) => tx.deleteFrom('stored_files').where('household_id', '=', householdId).execute();
