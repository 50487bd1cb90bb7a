import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** The embedded database file, as openDatabase places it. */
export const sqliteFileOf = (dataDir: string) => path.join(dataDir, 'portail.sqlite');

export class BackupError extends Error {}

/**
 * Online backup of the embedded database with SQLite's backup API: consistent even while the
 * portal is running and writing (WAL included), without stopping it. Never overwrites a file.
 */
export async function backupSqlite(dataDir: string, destination: string, onProgress?: (file: string) => void): Promise<{ file: string; bytes: number; pages: number }> {
  const source = sqliteFileOf(dataDir);
  if (!fs.existsSync(source)) throw new BackupError(`Base introuvable : ${source}. Vérifiez DATA_DIR.`);
  const target = path.resolve(destination);
  if (fs.existsSync(target)) throw new BackupError(`Le fichier ${target} existe déjà : choisissez un autre nom (par exemple avec la date du jour).`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The copy holds personal data and password hashes: the file is created empty, readable by its
  // owner only, before a single page is copied into it ('wx': never an existing file).
  try {
    fs.closeSync(fs.openSync(target, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError(`Le fichier ${target} existe déjà : choisissez un autre nom (par exemple avec la date du jour).`);
    throw err;
  }
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const meta = await db.backup(target, {
      progress: () => {
        onProgress?.(target);
        return 100;
      },
    });
    return { file: target, bytes: fs.statSync(target).size, pages: meta.totalPages };
  } finally {
    db.close();
  }
}

/** PostgreSQL is saved with its own tool; the URL stays in the environment (it holds the password). */
export const PG_DUMP_COMMAND = 'pg_dump --format=custom --no-owner --file=portail-$(date +%F).dump "$DATABASE_URL"';
export const PG_RESTORE_COMMAND = 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" portail-AAAA-MM-JJ.dump';
