import type { Db } from '../db/database.ts';
import type { Executor } from '../audit/audit.repository.ts';
import { prepared } from '../db/prepared.ts';

/**
 * One query per request (prepared: every page runs it): the session, its user and, for a
 * guardian, the household its pages are about (the oldest it belongs to that is not archived),
 * which every family page would otherwise ask for in a second round trip.
 */
const activeSession = prepared((db, id: string, now: string, createdAfter: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('households', 'households.id', 'sessions.acting_household_id')
    .leftJoin('persons as guardian', 'guardian.user_id', 'users.id')
    .select((eb) => [
      'guardian.id as guardian_person_id',
      eb
        .selectFrom('household_members as m')
        .innerJoin('households as h', 'h.id', 'm.household_id')
        .select('m.household_id')
        .whereRef('m.person_id', '=', 'guardian.id')
        .where('m.role', '=', 'guardian')
        .where('h.archived_at', 'is', null)
        .orderBy('h.created_at')
        .limit(1)
        .as('guardian_household_id'),
      'households.name as acting_name',
      'households.reference as acting_reference',
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'sessions.acting_household_id',
      'users.id',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.kind',
      'users.status',
      'users.roles',
    ])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .where('sessions.created_at', '>', createdAfter)
    .where('users.status', '!=', 'disabled'),
);

/** A live session: not idle too long, not older than its absolute lifetime (`createdAfter`), of an account still enabled. */
export const findActiveSession = (db: Db, id: string, now: Date, createdAfter: Date) => activeSession.first(db, id, now.toISOString(), createdAfter.toISOString());

export async function insertSession(tx: Executor, row: { id: string; userId: string; now: Date; expiresAt: Date }) {
  await tx
    .insertInto('sessions')
    .values({ id: row.id, user_id: row.userId, created_at: row.now.toISOString(), last_seen_at: row.now.toISOString(), expires_at: row.expiresAt.toISOString(), acting_household_id: null })
    .execute();
}

export async function touchSession(db: Db, id: string, now: Date, expiresAt: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now.toISOString(), expires_at: expiresAt.toISOString() }).where('id', '=', id).execute();
}

export async function setActingHousehold(tx: Executor, id: string, householdId: string | null) {
  await tx.updateTable('sessions').set({ acting_household_id: householdId }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Every session of the account ends (password reset, roles changed, « Se déconnecter partout »), but `keep` if given. */
export async function deleteUserSessions(tx: Executor, userId: string, keep?: string) {
  let query = tx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('id', '!=', keep);
  await query.execute();
}

export async function deleteExpiredSessions(db: Db, now: Date) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
}
