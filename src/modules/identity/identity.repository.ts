import type { Db } from '../../platform/db/database.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { EmailTokenPurpose, UserKind, UserStatus } from '../../platform/db/schema.ts';

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewUser {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  phone?: string | null;
  kind: UserKind;
  status: UserStatus;
  roles?: string;
  passwordHash?: string | null;
  emailVerifiedAt?: string | null;
  now: Date;
}

export async function insertUser(tx: Executor, u: NewUser) {
  await tx
    .insertInto('users')
    .values({
      id: u.id,
      email: u.email?.toLowerCase() ?? null,
      password_hash: u.passwordHash ?? null,
      first_name: u.firstName,
      last_name: u.lastName,
      phone: u.phone ?? null,
      kind: u.kind,
      status: u.status,
      roles: u.roles ?? '',
      email_verified_at: u.emailVerifiedAt ?? null,
      last_login_at: null,
      created_at: u.now.toISOString(),
      updated_at: u.now.toISOString(),
    })
    .execute();
}

export async function updateUser(
  tx: Executor,
  id: string,
  now: Date,
  changes: Partial<{ email: string | null; password_hash: string; status: UserStatus; roles: string; first_name: string; last_name: string; email_verified_at: string; last_login_at: string }>,
) {
  await tx.updateTable('users').set({ ...changes, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

export async function listAgents(db: Db) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'first_name', 'last_name', 'roles', 'status', 'last_login_at'])
    .where('kind', '=', 'agent')
    .orderBy('last_name')
    .orderBy('first_name')
    .limit(500)
    .execute();
}

export async function countAdmins(tx: Executor) {
  const row = await tx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'agent')
    .where('status', '=', 'active')
    .where('roles', 'like', '%admin%')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// Activation codes

export async function insertActivationCode(tx: Executor, row: { id: string; userId: string; codeHash: string; channel: 'email' | 'letter'; expiresAt: Date; createdBy: string | null; now: Date }) {
  await tx
    .insertInto('activation_codes')
    .values({
      id: row.id,
      user_id: row.userId,
      code_hash: row.codeHash,
      channel: row.channel,
      expires_at: row.expiresAt.toISOString(),
      used_at: null,
      revoked_at: null,
      created_by: row.createdBy,
      created_at: row.now.toISOString(),
    })
    .execute();
}

/** A new code replaces the previous ones: only the latest letter or e-mail works. */
export async function revokeOpenCodes(tx: Executor, userId: string, now: Date) {
  await tx
    .updateTable('activation_codes')
    .set({ revoked_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function findCodeByHash(db: Executor, codeHash: string) {
  return db
    .selectFrom('activation_codes')
    .innerJoin('users', 'users.id', 'activation_codes.user_id')
    .select([
      'activation_codes.id',
      'activation_codes.user_id',
      'activation_codes.expires_at',
      'activation_codes.used_at',
      'activation_codes.revoked_at',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.status',
    ])
    .where('activation_codes.code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Single use, atomically: only one of two simultaneous submissions wins. */
export async function markCodeUsed(tx: Executor, id: string, now: Date): Promise<boolean> {
  const r = await tx
    .updateTable('activation_codes')
    .set({ used_at: now.toISOString() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listInvitations(db: Db, page: number, pageSize: number) {
  const base = db.selectFrom('users').where('kind', '=', 'guardian').where('status', 'in', ['invited', 'pending_link', 'unverified']);
  const [rows, total] = await Promise.all([
    base
      .leftJoin('activation_codes', (j) => j.onRef('activation_codes.user_id', '=', 'users.id').on('activation_codes.revoked_at', 'is', null))
      .select(['users.id', 'users.email', 'users.first_name', 'users.last_name', 'users.status', 'users.created_at', 'activation_codes.expires_at', 'activation_codes.channel', 'activation_codes.used_at'])
      .orderBy('users.created_at', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

// E-mail tokens (address verification, password reset)

export async function insertEmailToken(tx: Executor, row: { id: string; userId: string; purpose: EmailTokenPurpose; tokenHash: string; expiresAt: Date; now: Date }) {
  await tx
    .insertInto('email_tokens')
    .values({ id: row.id, user_id: row.userId, purpose: row.purpose, token_hash: row.tokenHash, expires_at: row.expiresAt.toISOString(), used_at: null, created_at: row.now.toISOString() })
    .execute();
}

export async function findLiveEmailToken(db: Executor, tokenHash: string, purpose: EmailTokenPurpose, now: Date) {
  return db
    .selectFrom('email_tokens')
    .select(['id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
}

export async function consumeEmailToken(tx: Executor, id: string, now: Date): Promise<boolean> {
  const r = await tx.updateTable('email_tokens').set({ used_at: now.toISOString() }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A new reset link makes the older ones useless. */
export async function expireEmailTokens(tx: Executor, userId: string, purpose: EmailTokenPurpose, now: Date) {
  await tx.updateTable('email_tokens').set({ used_at: now.toISOString() }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
}

/** Counts for the agent home: accounts waiting for the town. */
export async function countGuardiansByStatus(db: Db) {
  const rows = await db
    .selectFrom('users')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', 'guardian')
    .where('status', 'in', ['invited', 'pending_link'])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<Record<'invited' | 'pending_link', number>>;
}

/** The household a guardian's account belongs to (the oldest), to show account events in its history. */
export async function findGuardianHousehold(db: Executor, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('persons')
    .innerJoin('household_members', 'household_members.person_id', 'persons.id')
    .select('household_members.household_id')
    .where('persons.user_id', '=', userId)
    .where('household_members.role', '=', 'guardian')
    .orderBy('household_members.household_id')
    .executeTakeFirst();
  return row?.household_id ?? null;
}
