import { actorOf } from '../../platform/http/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import * as sessions from '../../platform/http/session.repository.ts';
import { RuleError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { AGENT_ROLES, type AgentRole } from '../../platform/http/auth-types.ts';
import * as repo from './identity.repository.ts';
import { failed, type IdentityResult } from './identity.outcomes.ts';

/**
 * The back office's view of the accounts: agents (list, roles, access) for admins, and the
 * invitations and guardian logins for admin and enfance agents. Part of the identity service.
 */
export function agentAccountsService(ctx: AppContext) {
  const { db, clock } = ctx;
  return {
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
  async updateAgent(auth: Auth | null, id: string, change: { roles: AgentRole[]; disabled: boolean }): Promise<IdentityResult> {
    assertRole(auth, 'admin');
    const roles = AGENT_ROLES.filter((r) => change.roles.includes(r));
    if (roles.length === 0) return failed('roles_required');
    const now = clock.now();
    return db.transaction().execute(async (tx) => {
      const agent = await repo.findUserById(tx, id);
      if (!agent || agent.kind !== 'agent') throw new RuleError('Agent introuvable');
      const wasAdmin = agent.status === 'active' && agent.roles.split(',').includes('admin');
      const staysAdmin = !change.disabled && roles.includes('admin');
      if (wasAdmin && !staysAdmin && (await repo.countAdmins(tx)) <= 1) return failed('last_admin');
      const status = change.disabled ? 'disabled' : agent.status === 'disabled' ? (agent.password_hash ? 'active' : 'invited') : agent.status;
      await repo.updateUser(tx, id, now, { roles: roles.join(','), status });
      // Fewer roles or no access: the agent's sessions end, and with them any counter mode opened
      // for a family (the session hook also re-reads the roles at every request).
      const before = agent.roles.split(',').filter(Boolean).sort().join(',');
      if (change.disabled || before !== [...roles].sort().join(',')) await sessions.deleteUserSessions(tx, id);
      await writeAudit(tx, now, actorOf(auth), {
        action: 'agent.updated',
        targetType: 'user',
        targetId: id,
        summary: `Agent ${agent.first_name} ${agent.last_name} : rôles ${roles.join(', ')}${change.disabled ? ', accès désactivé' : ''}`,
      });
      return { ok: true as const, value: undefined };
    });
  },
  };
}
