import { actorOf } from '../../platform/http/actor.ts';
import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { hmac, newActivationCode, normaliseActivationCode, randomToken, sha256 } from '../../platform/security/secrets.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { insertMail, SECRET_PLACEHOLDER, type OutgoingMail } from '../../platform/mail/outbox.repository.ts';
import * as sessions from '../../platform/http/session.repository.ts';
import { assertRole } from '../../platform/http/guards.ts';
import type { AgentRole, Auth } from '../../platform/http/auth-types.ts';
import { DAY, HOUR, MINUTE } from '../../platform/clock/clock.ts';
import { loginThrottle, mayMail } from '../../platform/security/throttle.ts';
import * as repo from './identity.repository.ts';
import { activationCodeState, checkPassword, CODE_STATE_OUTCOME, RESET_TOKEN_HOURS, VERIFY_TOKEN_HOURS } from './identity.domain.ts';
import { failed, tooManyAttempts, type IdentityResult } from './identity.outcomes.ts';
import * as mails from './identity.mails.ts';
import { agentAccountsService } from './identity.agent-accounts-service.ts';

// OWASP's argon2id baseline: 19 MiB, 2 passes.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => hash(password, ARGON2);

// Verified when the e-mail is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;


/** Too many login failures: a 429 page that says how long to wait. */
export class TooManyAttemptsError extends Error {
  readonly statusCode = 429;
  readonly expose = true;
  constructor(readonly retryAfterSeconds: number) {
    super(tooManyAttempts(retryAfterSeconds));
  }
}

const nameOf = (u: { first_name: string; last_name: string }) => `${u.first_name} ${u.last_name}`;

export function identityService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const idleMs = config.sessionIdleMinutes * MINUTE;
  const codeHash = (code: string) => hmac(config.secretKey, `activation:${normaliseActivationCode(code)}`);
  const link = (path: string) => `${config.publicUrl}${path}`;
  const throttle = loginThrottle(db);
  /** A mail whose one-time secret is sealed apart from its body (never stored readable). */
  const withSecret = (mail: OutgoingMail, secret: string, userId: string): OutgoingMail => ({ ...mail, secret: { value: secret, key: config.secretKey }, userId });
  const passwordProblem = (password: string, owner: { email?: string | null; names: string[] }) => {
    const check = checkPassword(password, owner);
    return check.ok ? null : failed(check.code);
  };

  async function startSession(userId: string): Promise<string> {
    const token = randomToken();
    const now = clock.now();
    await sessions.insertSession(db, { id: sha256(token), userId, now, expiresAt: new Date(now.getTime() + idleMs) });
    return token;
  }

  return {
    ...agentAccountsService(ctx),
    startSession,

    /**
     * Returns a session token, or an outcome that never says whether the address exists.
     * Throttled by failures per account, per address and per both (platform/security/throttle.ts):
     * throws TooManyAttemptsError before any password is hashed.
     */
    async login(email: string, password: string, address = 'inconnue'): Promise<IdentityResult<string>> {
      const wait = await throttle.waitSeconds(address, email, clock.now());
      if (wait > 0) throw new TooManyAttemptsError(wait);
      const user = await repo.findUserByEmail(db, email);
      const stored = user?.password_hash ?? (await (dummyHash ??= hashPassword('pas-un-vrai-mot-de-passe')));
      const matches = await verify(stored, password).catch(() => false);
      const now = clock.now();
      if (!user || !user.password_hash || !matches) {
        await throttle.failed(address, email, now);
        return failed('bad_credentials');
      }
      await throttle.succeeded(address, email, now);
      if (user.status === 'disabled') return failed('account_disabled');
      if (user.status === 'unverified') return failed('email_unverified');
      await repo.updateUser(db, user.id, now, { last_login_at: now.toISOString() });
      // A new session id at every login (no fixation).
      return { ok: true, value: await startSession(user.id) };
    },

    async logout(sessionId: string) {
      await sessions.deleteSession(db, sessionId);
    },

    /** « Se déconnecter partout »: every session of the account ends, this one included. */
    async logoutEverywhere(auth: Auth) {
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await sessions.deleteUserSessions(tx, auth.user.id);
        await writeAudit(tx, now, actorOf(auth), { action: 'account.logged_out_everywhere', targetType: 'user', targetId: auth.user.id, summary: 'Déconnexion de tous les appareils' });
      });
    },

    async extendSession(sessionId: string) {
      const now = clock.now();
      await sessions.touchSession(db, sessionId, now, new Date(now.getTime() + idleMs));
    },

    /**
     * The town opens an account for a guardian (or an agent): an activation code by e-mail,
     * or, without an e-mail address, a code returned for the printed letter.
     */
    async invite(
      auth: Auth | null,
      input: { email?: string; firstName: string; lastName: string; phone?: string; kind?: 'guardian' | 'agent'; roles?: AgentRole[] },
    ): Promise<IdentityResult<{ userId: string; code: string; channel: 'email' | 'letter'; expiresAt: Date }>> {
      const kind = input.kind ?? 'guardian';
      if (auth) {
        if (kind === 'agent') assertRole(auth, 'admin');
        else assertRole(auth, 'admin', 'enfance');
      }
      if (kind === 'agent' && !input.email) return failed('agent_needs_email');
      const email = input.email?.toLowerCase();
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        if (email && (await repo.findUserByEmail(tx, email))) return failed('email_taken');
        const userId = newId();
        await repo.insertUser(tx, {
          id: userId,
          email: email ?? null,
          firstName: input.firstName,
          lastName: input.lastName,
          phone: input.phone,
          kind,
          status: 'invited',
          roles: (input.roles ?? []).join(','),
          now,
        });
        const issued = await issueCode(tx, userId, email ? 'email' : 'letter', auth?.user.id ?? null, now);
        if (email) await insertMail(tx, now, activationMail(userId, email, input.firstName, issued, kind === 'agent'));
        await writeAudit(tx, now, auth ? actorOf(auth) : { id: null, label: 'Système' }, {
          action: kind === 'agent' ? 'agent.invited' : 'account.invited',
          targetType: 'user',
          targetId: userId,
          summary: `Compte créé pour ${input.firstName} ${input.lastName}${email ? `, code envoyé par courriel` : ', code à remettre par courrier'}`,
        });
        return { ok: true as const, value: { userId, code: issued.code, channel: email ? ('email' as const) : ('letter' as const), expiresAt: issued.expiresAt } };
      });
    },

    /** A new code for someone who lost theirs or let it expire; the previous ones stop working. */
    async reissueCode(auth: Auth | null, userId: string): Promise<IdentityResult<{ code: string; channel: 'email' | 'letter'; expiresAt: Date; user: { firstName: string; lastName: string; email: string | null } }>> {
      if (auth) assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const user = await repo.findUserById(tx, userId);
        if (!user || user.status !== 'invited') return failed('account_not_invited');
        if (user.kind === 'agent' && auth) assertRole(auth, 'admin');
        const channel = user.email ? ('email' as const) : ('letter' as const);
        const issued = await issueCode(tx, userId, channel, auth?.user.id ?? null, now);
        if (user.email) await insertMail(tx, now, activationMail(userId, user.email, user.first_name, issued, user.kind === 'agent'));
        await writeAudit(tx, now, auth ? actorOf(auth) : { id: null, label: 'Système' }, {
          action: 'account.code_reissued',
          targetType: 'user',
          targetId: userId,
          summary: `Nouveau code d'activation pour ${user.first_name} ${user.last_name} (${channel === 'email' ? 'courriel' : 'courrier'})`,
        });
        return { ok: true as const, value: { ...issued, channel, user: { firstName: user.first_name, lastName: user.last_name, email: user.email } } };
      });
    },

    /**
     * At the counter (and the demo without SMTP): a new code for an account not yet activated, shown
     * once to the agent who hands it over, never e-mailed nor stored readable. The previous codes stop working.
     */
    async handCodeAtCounter(auth: Auth | null, userId: string): Promise<IdentityResult<{ code: string; expiresAt: Date; user: { firstName: string; lastName: string } }>> {
      assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const user = await repo.findUserById(tx, userId);
        if (!user || user.status !== 'invited') return failed('account_not_invited');
        if (user.kind === 'agent') assertRole(auth, 'admin');
        const issued = await issueCode(tx, userId, 'letter', auth.user.id, now);
        const household = await repo.findGuardianHousehold(tx, userId);
        const entry = { action: 'account.code_handed', summary: `Nouveau code d'activation de ${nameOf(user)} affiché pour être remis au guichet par ${auth.user.firstName} ${auth.user.lastName}` };
        await writeAudit(tx, now, actorOf(auth), { ...entry, targetType: 'user', targetId: userId });
        if (household) await writeAudit(tx, now, actorOf(auth), { ...entry, targetType: 'household', targetId: household });
        return { ok: true as const, value: { ...issued, user: { firstName: user.first_name, lastName: user.last_name } } };
      });
    },

    /** What the activation form shows before asking for a password. */
    async checkActivationCode(code: string): Promise<IdentityResult<{ needsEmail: boolean; firstName: string }>> {
      const row = await repo.findCodeByHash(db, codeHash(code));
      if (!row) return failed('code_unknown');
      const state = activationCodeState(row, clock.now());
      if (state !== 'valid') return failed(CODE_STATE_OUTCOME[state]);
      return { ok: true, value: { needsEmail: !row.email, firstName: row.first_name } };
    },

    async activate(input: { code: string; password: string; email?: string }): Promise<IdentityResult<string>> {
      const now = clock.now();
      const row = await repo.findCodeByHash(db, codeHash(input.code));
      if (!row) return failed('code_unknown');
      const state = activationCodeState(row, now);
      if (state !== 'valid') return failed(CODE_STATE_OUTCOME[state]);
      const email = row.email ?? input.email?.toLowerCase();
      if (!email) return failed('email_required');
      const weak = passwordProblem(input.password, { email, names: [row.first_name, row.last_name] });
      if (weak) return weak;
      const passwordHash = await hashPassword(input.password);
      const result = await db.transaction().execute(async (tx) => {
        if (!row.email && (await repo.findUserByEmail(tx, email))) return failed('email_in_use');
        if (!(await repo.markCodeUsed(tx, row.id, now))) return failed('code_used');
        await repo.updateUser(tx, row.user_id, now, {
          password_hash: passwordHash,
          status: 'active',
          email,
          // A code received by e-mail proves the address; one typed from a letter is confirmed by link.
          ...(row.email ? { email_verified_at: now.toISOString() } : {}),
          last_login_at: now.toISOString(),
        });
        if (!row.email) await queueVerification(tx, row.user_id, email, row.first_name, now);
        await writeAudit(tx, now, { id: row.user_id, label: `${row.first_name} ${row.last_name}` }, { action: 'account.activated', targetType: 'user', targetId: row.user_id, summary: 'Compte activé avec un code' });
        return { ok: true as const, value: undefined };
      });
      if (!result.ok) return result;
      return { ok: true, value: await startSession(row.user_id) };
    },

    /**
     * Self sign-up. The answer is the same whether or not the address already has an account;
     * the owner of an existing account is told by e-mail instead.
     */
    async signUp(input: { email: string; firstName: string; lastName: string; password: string }): Promise<IdentityResult> {
      const weak = passwordProblem(input.password, { email: input.email, names: [input.firstName, input.lastName] });
      if (weak) return weak;
      const now = clock.now();
      const passwordHash = await hashPassword(input.password);
      // Past 3 e-mails an hour to one address, the answer stays the same but nothing more is sent.
      const mayWrite = await mayMail(db, 'signup', input.email, now);
      await db.transaction().execute(async (tx) => {
        const existing = await repo.findUserByEmail(tx, input.email);
        if (existing) {
          if (mayWrite) await insertMail(tx, now, { ...mails.alreadyRegistered({ to: input.email, link: link('/mot-de-passe-oublie'), town: config.town.name }), userId: existing.id });
          return;
        }
        if (!mayWrite) return;
        const userId = newId();
        await repo.insertUser(tx, { id: userId, email: input.email, firstName: input.firstName, lastName: input.lastName, kind: 'guardian', status: 'unverified', passwordHash, now });
        await queueVerification(tx, userId, input.email, input.firstName, now);
        await writeAudit(tx, now, { id: userId, label: `${input.firstName} ${input.lastName}` }, { action: 'account.signed_up', targetType: 'user', targetId: userId, summary: 'Compte créé en ligne par la famille' });
      });
      return { ok: true, value: undefined };
    },

    async verifyEmail(token: string): Promise<boolean> {
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const row = await repo.findLiveEmailToken(tx, sha256(token), 'verify', now);
        if (!row || !(await repo.consumeEmailToken(tx, row.id, now))) return false;
        const user = await repo.findUserById(tx, row.user_id);
        if (!user) return false;
        await repo.updateUser(tx, user.id, now, { email_verified_at: now.toISOString(), ...(user.status === 'unverified' ? { status: 'pending_link' as const } : {}) });
        await writeAudit(tx, now, { id: user.id, label: `${user.first_name} ${user.last_name}` }, { action: 'account.email_verified', targetType: 'user', targetId: user.id, summary: 'Adresse électronique confirmée' });
        return true;
      });
    },

    /** Always the same answer, known address or not; at most 3 links an hour to one address. */
    async requestPasswordReset(email: string): Promise<void> {
      const now = clock.now();
      if (!(await mayMail(db, 'reset', email, now))) return;
      await db.transaction().execute(async (tx) => {
        const user = await repo.findUserByEmail(tx, email);
        // Not activated yet: a reset link would bypass the code; the town sends the code again instead.
        if (!user || user.status === 'disabled' || user.status === 'invited' || !user.email) return;
        await queueReset(tx, user.id, user.email, user.first_name, now);
      });
    },

    /**
     * An agent sends a family (or, for an admin, an agent) a reset link: the link goes to the
     * account's own address only, and the request is in the log under the agent's name.
     */
    async sendResetLink(auth: Auth | null, userId: string): Promise<IdentityResult> {
      assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const user = await repo.findUserById(tx, userId);
        if (!user || !user.email || user.status === 'disabled' || user.status === 'invited') return failed('account_not_active');
        if (user.kind === 'agent') assertRole(auth, 'admin');
        await queueReset(tx, user.id, user.email, user.first_name, now);
        const household = await repo.findGuardianHousehold(tx, user.id);
        const entry = { action: 'account.reset_requested', summary: `Lien de réinitialisation du mot de passe envoyé à ${nameOf(user)} à la demande de ${auth.user.firstName} ${auth.user.lastName}` };
        await writeAudit(tx, now, actorOf(auth), { ...entry, targetType: 'user', targetId: user.id });
        if (household) await writeAudit(tx, now, actorOf(auth), { ...entry, targetType: 'household', targetId: household });
        return { ok: true as const, value: undefined };
      });
    },

    async isResetTokenLive(token: string): Promise<boolean> {
      return !!(await repo.findLiveEmailToken(db, sha256(token), 'reset', clock.now()));
    },

    async resetPassword(token: string, password: string): Promise<IdentityResult> {
      const now = clock.now();
      const row = await repo.findLiveEmailToken(db, sha256(token), 'reset', now);
      if (!row) return failed('link_expired');
      const user = await repo.findUserById(db, row.user_id);
      if (!user) return failed('link_expired');
      const weak = passwordProblem(password, { email: user.email, names: [user.first_name, user.last_name] });
      if (weak) return weak;
      const passwordHash = await hashPassword(password);
      return db.transaction().execute(async (tx) => {
        if (!(await repo.consumeEmailToken(tx, row.id, now))) return failed('link_expired');
        // Following the link proves the address too.
        await repo.updateUser(tx, user.id, now, { password_hash: passwordHash, email_verified_at: user.email_verified_at ?? now.toISOString() });
        // Whoever held a session (perhaps the one who took the password) is out.
        await sessions.deleteUserSessions(tx, user.id);
        if (user.email) await insertMail(tx, now, { ...mails.passwordChanged({ to: user.email, firstName: user.first_name, at: now, link: link('/mot-de-passe-oublie'), town: config.town.name }), userId: user.id });
        await writeAudit(tx, now, { id: user.id, label: nameOf(user) }, { action: 'account.password_reset', targetType: 'user', targetId: user.id, summary: 'Mot de passe réinitialisé par lien ; toutes les sessions fermées' });
        return { ok: true as const, value: undefined };
      });
    },

    /** The new password ends every other session of the account; the owner is told by e-mail. */
    async changePassword(auth: Auth, current: string, next: string): Promise<IdentityResult> {
      const user = await repo.findUserById(db, auth.user.id);
      if (!user?.password_hash || !(await verify(user.password_hash, current).catch(() => false))) return failed('current_password_wrong');
      const weak = passwordProblem(next, { email: user.email, names: [user.first_name, user.last_name] });
      if (weak) return weak;
      const passwordHash = await hashPassword(next);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.updateUser(tx, user.id, now, { password_hash: passwordHash });
        await sessions.deleteUserSessions(tx, user.id, auth.sessionId);
        if (user.email) await insertMail(tx, now, { ...mails.passwordChanged({ to: user.email, firstName: user.first_name, at: now, link: link('/mot-de-passe-oublie'), town: config.town.name }), userId: user.id });
        await writeAudit(tx, now, actorOf(auth), { action: 'account.password_changed', targetType: 'user', targetId: user.id, summary: 'Mot de passe modifié ; les autres sessions sont fermées' });
      });
      return { ok: true, value: undefined };
    },

    /** CLI: the first admin, with a password given on the command line. */
    async createAdmin(input: { email: string; firstName: string; lastName: string; password: string }): Promise<IdentityResult<string>> {
      const weak = passwordProblem(input.password, { email: input.email, names: [input.firstName, input.lastName] });
      if (weak) return weak;
      const now = clock.now();
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (tx) => {
        if (await repo.findUserByEmail(tx, input.email)) return failed('email_taken');
        const id = newId();
        await repo.insertUser(tx, { id, email: input.email, firstName: input.firstName, lastName: input.lastName, kind: 'agent', status: 'active', roles: 'admin', passwordHash, emailVerifiedAt: now.toISOString(), now });
        await writeAudit(tx, now, { id: null, label: 'Ligne de commande' }, { action: 'agent.created', targetType: 'user', targetId: id, summary: `Administrateur ${input.firstName} ${input.lastName} créé` });
        return { ok: true as const, value: id };
      });
    },
  };

  async function issueCode(tx: Parameters<typeof repo.insertActivationCode>[0], userId: string, channel: 'email' | 'letter', createdBy: string | null, now: Date) {
    await repo.revokeOpenCodes(tx, userId, now);
    const code = newActivationCode();
    const expiresAt = new Date(now.getTime() + config.activationCodeDays * DAY);
    await repo.insertActivationCode(tx, { id: newId(), userId, codeHash: codeHash(code), channel, expiresAt, createdBy, now });
    return { code, expiresAt };
  }

  function activationMail(userId: string, to: string, firstName: string, issued: { code: string; expiresAt: Date }, agent: boolean): OutgoingMail {
    return withSecret(mails.activation({ to, firstName, code: SECRET_PLACEHOLDER, expiresAt: issued.expiresAt, link: link('/activation'), town: config.town.name, agent }), issued.code, userId);
  }

  async function queueVerification(tx: Parameters<typeof repo.insertEmailToken>[0], userId: string, email: string, firstName: string, now: Date) {
    const token = randomToken();
    await repo.insertEmailToken(tx, { id: newId(), userId, purpose: 'verify', tokenHash: sha256(token), expiresAt: new Date(now.getTime() + VERIFY_TOKEN_HOURS * HOUR), now });
    await insertMail(tx, now, withSecret(mails.verifyEmail({ to: email, firstName, link: link(`/inscription/confirmer?jeton=${SECRET_PLACEHOLDER}`), hours: VERIFY_TOKEN_HOURS, town: config.town.name }), token, userId));
  }

  async function queueReset(tx: Parameters<typeof repo.insertEmailToken>[0], userId: string, email: string, firstName: string, now: Date) {
    await repo.expireEmailTokens(tx, userId, 'reset', now);
    const token = randomToken();
    await repo.insertEmailToken(tx, { id: newId(), userId, purpose: 'reset', tokenHash: sha256(token), expiresAt: new Date(now.getTime() + RESET_TOKEN_HOURS * HOUR), now });
    await insertMail(tx, now, withSecret(mails.passwordReset({ to: email, firstName, link: link(`/mot-de-passe/nouveau?jeton=${SECRET_PLACEHOLDER}`), hours: RESET_TOKEN_HOURS, town: config.town.name }), token, userId));
  }
}

export type IdentityService = ReturnType<typeof identityService>;
