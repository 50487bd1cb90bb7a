import type { Db } from '../db/database.ts';

/** The account of a session, live or not (the row stays until logout): who a form posted after expiry belongs to. */
export async function sessionOwner(db: Db, sessionId: string): Promise<string | null> {
  const row = await db.selectFrom('sessions').select('user_id').where('id', '=', sessionId).executeTakeFirst();
  return row?.user_id ?? null;
}

/** Keeps one form per account: an older one of the same account, and any expired one, go. */
export async function saveForm(db: Db, row: { id: string; userId: string; route: string; returnPath: string; sealedBody: string; now: Date; expiresAt: Date }) {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('saved_forms').where((eb) => eb.or([eb('user_id', '=', row.userId), eb('expires_at', '<=', row.now.toISOString())])).execute();
    await tx
      .insertInto('saved_forms')
      .values({ id: row.id, user_id: row.userId, route: row.route, return_path: row.returnPath, sealed_body: row.sealedBody, created_at: row.now.toISOString(), expires_at: row.expiresAt.toISOString() })
      .execute();
  });
}

/** Takes a saved form out (one use): whoever asks, the row is gone; the caller checks the account and the expiry. */
export async function takeForm(db: Db, id: string) {
  return db.deleteFrom('saved_forms').where('id', '=', id).returning(['user_id', 'route', 'return_path', 'sealed_body', 'expires_at']).executeTakeFirst();
}
