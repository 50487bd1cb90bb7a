import { actorOf } from '../../platform/http/actor.ts';
import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { hmac, newActivationCode, normaliseActivationCode, randomToken, sha256 } from '../../platform/security/secrets.ts';
import { writeAudit, type Actor } from '../../platform/audit/audit.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import * as sessions from '../../platform/http/session.repository.ts';
import { RuleError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { AGENT_ROLES, type AgentRole } from '../../platform/http/auth-types.ts';
import { DAY, HOUR, MINUTE } from '../../platform/clock/clock.ts';
import * as repo from './identity.repository.ts';
import { activationCodeState, checkPassword, CODE_STATE_MESSAGES, RESET_TOKEN_HOURS, VERIFY_TOKEN_HOURS } from './identity.domain.ts';
import * as mails from './identity.mails.ts';

// OWASP's argon2id baseline: 19 MiB, 2 passes.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => hash(password, ARGON2);

// Verified when the e-mail is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

export type ServiceResult<T = void> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };
const fail = (field: string, message: string): { ok: false; errors: Record<string, string> } => ({ ok: false, errors: { [field]: message } });

export function identityService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const idleMs = config.sessionIdleMinutes * MINUTE;
  const codeHash = (code: string) => hmac(config.secretKey, `activation:${normaliseActivationCode(code)}`);
  const link = (path: string) => `${config.publicUrl}${path}`;

  async function startSession(userId: string): Promise<string> {
    const token = randomToken();
    const now = clock.now();
    await sessions.insertSession(db, { id: sha256(token), userId, now, expiresAt: new Date(now.getTime() + idleMs) });
    return token;
  }

  return {
    startSession,

    /** Returns a session token, or a message that never says whether the address exists. */
    async login(email: string, password: string): Promise<ServiceResult<string>> {
      const user = await repo.findUserByEmail(db, email);
      const stored = user?.password_hash ?? (await (dummyHash ??= hashPassword('pas-un-vrai-mot-de-passe')));
      const matches = await verify(stored, password).catch(() => false);
      if (!user || !user.password_hash || !matches) return fail('email', 'Adresse électronique ou mot de passe incorrect');
      if (user.status === 'disabled') return fail('email', 'Ce compte est désactivé. Adressez-vous à la mairie.');
      if (user.status === 'unverified') return fail('email', 'Confirmez d\'abord votre adresse électronique avec le lien reçu par courriel.');
      const now = clock.now();
      await repo.updateUser(db, user.id, now, { last_login_at: now.toISOString() });
      // A new session id at every login (no fixation).
      return { ok: true, value: await startSession(user.id) };
    },

    async logout(sessionId: string) {
      await sessions.deleteSession(db, sessionId);
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
    ): Promise<ServiceResult<{ userId: string; code: string; channel: 'email' | 'letter'; expiresAt: Date }>> {
      const kind = input.kind ?? 'guardian';
      if (auth) kind === 'agent' ? assertRole(auth, 'admin') : assertRole(auth, 'admin', 'enfance');
      if (kind === 'agent' && !input.email) return fail('email', 'Un agent doit avoir une adresse électronique');
      const email = input.email?.toLowerCase();
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        if (email && (await repo.findUserByEmail(tx, email))) return fail('email', 'Un compte existe déjà avec cette adresse électronique');
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
        if (email) await insertMail(tx, now, mails.activation({ to: email, firstName: input.firstName, code: issued.code, expiresAt: issued.expiresAt, link: link('/activation'), town: config.town.name, agent: kind === 'agent' }));
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
    async reissueCode(auth: Auth | null, userId: string): Promise<ServiceResult<{ code: string; channel: 'email' | 'letter'; expiresAt: Date; user: { firstName: string; lastName: string; email: string | null } }>> {
      if (auth) assertRole(auth, 'admin', 'enfance');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const user = await repo.findUserById(tx, userId);
        if (!user || user.status !== 'invited') return fail('form', 'Ce compte est déjà activé ou n\'existe pas');
        if (user.kind === 'agent' && auth) assertRole(auth, 'admin');
        const channel = user.email ? ('email' as const) : ('letter' as const);
        const issued = await issueCode(tx, userId, channel, auth?.user.id ?? null, now);
        if (user.email) await insertMail(tx, now, mails.activation({ to: user.email, firstName: user.first_name, code: issued.code, expiresAt: issued.expiresAt, link: link('/activation'), town: config.town.name, agent: user.kind === 'agent' }));
        await writeAudit(tx, now, auth ? actorOf(auth) : { id: null, label: 'Système' }, {
          action: 'account.code_reissued',
          targetType: 'user',
          targetId: userId,
          summary: `Nouveau code d'activation pour ${user.first_name} ${user.last_name} (${channel === 'email' ? 'courriel' : 'courrier'})`,
        });
        return { ok: true as const, value: { ...issued, channel, user: { firstName: user.first_name, lastName: user.last_name, email: user.email } } };
      });
    },

    /** What the activation form shows before asking for a password. */
    async checkActivationCode(code: string): Promise<ServiceResult<{ needsEmail: boolean; firstName: string }>> {
      const row = await repo.findCodeByHash(db, codeHash(code));
      if (!row) return fail('code', 'Ce code n\'est pas reconnu. Vérifiez les caractères saisis (par exemple ABCDE-FGHJK).');
      const state = activationCodeState(row, clock.now());
      if (state !== 'valid') return fail('code', CODE_STATE_MESSAGES[state]);
      return { ok: true, value: { needsEmail: !row.email, firstName: row.first_name } };
    },

    async activate(input: { code: string; password: string; email?: string }): Promise<ServiceResult<string>> {
      const now = clock.now();
      const row = await repo.findCodeByHash(db, codeHash(input.code));
      if (!row) return fail('code', 'Ce code n\'est pas reconnu. Vérifiez les caractères saisis (par exemple ABCDE-FGHJK).');
      const state = activationCodeState(row, now);
      if (state !== 'valid') return fail('code', CODE_STATE_MESSAGES[state]);
      const email = row.email ?? input.email?.toLowerCase();
      if (!email) return fail('email', 'Saisissez l\'adresse électronique qui vous servira à vous connecter');
      const check = checkPassword(input.password, { email, names: [row.first_name, row.last_name] });
      if (!check.ok) return fail('password', check.message!);
      const passwordHash = await hashPassword(input.password);
      const result = await db.transaction().execute(async (tx) => {
        if (!row.email && (await repo.findUserByEmail(tx, email))) return fail('email', 'Cette adresse électronique est déjà utilisée par un autre compte');
        if (!(await repo.markCodeUsed(tx, row.id, now))) return fail('code', CODE_STATE_MESSAGES.used);
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
    async signUp(input: { email: string; firstName: string; lastName: string; password: string }): Promise<ServiceResult> {
      const check = checkPassword(input.password, { email: input.email, names: [input.firstName, input.lastName] });
      if (!check.ok) return fail('password', check.message!);
      const now = clock.now();
      const passwordHash = await hashPassword(input.password);
      await db.transaction().execute(async (tx) => {
        const existing = await repo.findUserByEmail(tx, input.email);
        if (existing) {
          await insertMail(tx, now, mails.alreadyRegistered({ to: input.email, link: link('/mot-de-passe-oublie'), town: config.town.name }));
          return;
        }
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

    /** Always the same answer, known address or not. */
    async requestPasswordReset(email: string): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        const user = await repo.findUserByEmail(tx, email);
        if (!user || user.status === 'disabled' || !user.email) return;
        if (user.status === 'invited') {
          // Not activated yet: a reset link would bypass the code; send the code again instead.
          return;
        }
        await repo.expireEmailTokens(tx, user.id, 'reset', now);
        const token = randomToken();
        await repo.insertEmailToken(tx, { id: newId(), userId: user.id, purpose: 'reset', tokenHash: sha256(token), expiresAt: new Date(now.getTime() + RESET_TOKEN_HOURS * HOUR), now });
        await insertMail(tx, now, mails.passwordReset({ to: user.email, firstName: user.first_name, link: link(`/mot-de-passe/nouveau?jeton=${token}`), hours: RESET_TOKEN_HOURS, town: config.town.name }));
      });
    },

    async isResetTokenLive(token: string): Promise<boolean> {
      return !!(await repo.findLiveEmailToken(db, sha256(token), 'reset', clock.now()));
    },

    async resetPassword(token: string, password: string): Promise<ServiceResult> {
      const now = clock.now();
      const row = await repo.findLiveEmailToken(db, sha256(token), 'reset', now);
      if (!row) return fail('password', 'Ce lien a expiré ou a déjà servi. Demandez un nouveau lien.');
      const user = await repo.findUserById(db, row.user_id);
      if (!user) return fail('password', 'Ce lien a expiré ou a déjà servi. Demandez un nouveau lien.');
      const check = checkPassword(password, { email: user.email, names: [user.first_name, user.last_name] });
      if (!check.ok) return fail('password', check.message!);
      const passwordHash = await hashPassword(password);
      return db.transaction().execute(async (tx) => {
        if (!(await repo.consumeEmailToken(tx, row.id, now))) return fail('password', 'Ce lien a expiré ou a déjà servi. Demandez un nouveau lien.');
        // Following the link proves the address too.
        await repo.updateUser(tx, user.id, now, { password_hash: passwordHash, email_verified_at: user.email_verified_at ?? now.toISOString() });
        await sessions.deleteUserSessions(tx, user.id);
        await writeAudit(tx, now, { id: user.id, label: `${user.first_name} ${user.last_name}` }, { action: 'account.password_reset', targetType: 'user', targetId: user.id, summary: 'Mot de passe réinitialisé par lien' });
        return { ok: true as const, value: undefined };
      });
    },

    async changePassword(auth: Auth, current: string, next: string): Promise<ServiceResult> {
      const user = await repo.findUserById(db, auth.user.id);
      if (!user?.password_hash || !(await verify(user.password_hash, current).catch(() => false))) return fail('current_password', 'Le mot de passe actuel est incorrect');
      const check = checkPassword(next, { email: user.email, names: [user.first_name, user.last_name] });
      if (!check.ok) return fail('password', check.message!);
      const passwordHash = await hashPassword(next);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.updateUser(tx, user.id, now, { password_hash: passwordHash });
        await writeAudit(tx, now, actorOf(auth), { action: 'account.password_changed', targetType: 'user', targetId: user.id, summary: 'Mot de passe modifié' });
      });
      return { ok: true, value: undefined };
    },

    async listAgents(auth: Auth | null) {
      assertRole(auth, 'admin');
      return repo.listAgents(db);
    },

    async getAgent(auth: Auth | null, id: string) {
      assertRole(auth, 'admin');
      const user = await repo.findUserById(db, id);
      return user?.kind === 'agent' ? user : undefined;
    },

    async listInvitations(auth: Auth | null, page: number, pageSize = 50) {
      assertRole(auth, 'admin', 'enfance');
      return repo.listInvitations(db, page, pageSize);
    },

    async getGuardianAccount(auth: Auth | null, id: string) {
      assertRole(auth, 'admin', 'enfance');
      const user = await repo.findUserById(db, id);
      return user?.kind === 'guardian' ? user : undefined;
    },

    /** Roles and access of an agent. The last active admin cannot lose the role or be disabled. */
    async updateAgent(auth: Auth | null, id: string, change: { roles: AgentRole[]; disabled: boolean }): Promise<ServiceResult> {
      assertRole(auth, 'admin');
      const roles = AGENT_ROLES.filter((r) => change.roles.includes(r));
      if (roles.length === 0) return fail('roles', 'Choisissez au moins un rôle');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const agent = await repo.findUserById(tx, id);
        if (!agent || agent.kind !== 'agent') throw new RuleError('Agent introuvable');
        const wasAdmin = agent.status === 'active' && agent.roles.split(',').includes('admin');
        const staysAdmin = !change.disabled && roles.includes('admin');
        if (wasAdmin && !staysAdmin && (await repo.countAdmins(tx)) <= 1) return fail('roles', 'Il doit rester au moins un administrateur actif');
        const status = change.disabled ? 'disabled' : agent.status === 'disabled' ? (agent.password_hash ? 'active' : 'invited') : agent.status;
        await repo.updateUser(tx, id, now, { roles: roles.join(','), status });
        if (change.disabled) await sessions.deleteUserSessions(tx, id);
        await writeAudit(tx, now, actorOf(auth), {
          action: 'agent.updated',
          targetType: 'user',
          targetId: id,
          summary: `Agent ${agent.first_name} ${agent.last_name} : rôles ${roles.join(', ')}${change.disabled ? ', accès désactivé' : ''}`,
        });
        return { ok: true as const, value: undefined };
      });
    },

    /** CLI: the first admin, with a password given on the command line. */
    async createAdmin(input: { email: string; firstName: string; lastName: string; password: string }): Promise<ServiceResult<string>> {
      const check = checkPassword(input.password, { email: input.email, names: [input.firstName, input.lastName] });
      if (!check.ok) return fail('password', check.message!);
      const now = clock.now();
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (tx) => {
        if (await repo.findUserByEmail(tx, input.email)) return fail('email', 'Un compte existe déjà avec cette adresse électronique');
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

  async function queueVerification(tx: Parameters<typeof repo.insertEmailToken>[0], userId: string, email: string, firstName: string, now: Date) {
    const token = randomToken();
    await repo.insertEmailToken(tx, { id: newId(), userId, purpose: 'verify', tokenHash: sha256(token), expiresAt: new Date(now.getTime() + VERIFY_TOKEN_HOURS * HOUR), now });
    await insertMail(tx, now, mails.verifyEmail({ to: email, firstName, link: link(`/inscription/confirmer?jeton=${token}`), hours: VERIFY_TOKEN_HOURS, town: config.town.name }));
  }
}

export type IdentityService = ReturnType<typeof identityService>;
