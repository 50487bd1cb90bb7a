import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import * as outbox from '../../platform/mail/outbox.repository.ts';
import { listAudit } from '../../platform/audit/audit.repository.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { countGuardiansByStatus } from '../identity/identity.shared-service.ts';
import { countPending } from '../households/households.shared-service.ts';
import { countToProcess } from '../enrolments/enrolments.shared-service.ts';
import { actorOf } from '../../platform/http/actor.ts';

/** Admin views over the platform: sent e-mails (the demo's mailbox) and the audit log. */
export function adminService(ctx: AppContext) {
  const { db, clock } = ctx;
  return {
    async listMails(auth: Auth | null, page: number) {
      assertRole(auth, 'admin');
      return outbox.listMails(db, page, 50);
    },
    async getMail(auth: Auth | null, id: string) {
      assertRole(auth, 'admin');
      return outbox.findMail(db, id);
    },
    /** Send again a failed (or kept) message: nothing is ever lost. */
    async resendMail(auth: Auth | null, id: string) {
      assertRole(auth, 'admin');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const ok = await outbox.requeue(tx, id, now);
        if (ok) await writeAudit(tx, now, actorOf(auth), { action: 'mail.requeued', targetType: 'mail', targetId: id, summary: 'Courriel remis en file d\'envoi' });
        return ok;
      });
    },
    /** The agent home: counts that lead to the lists where work waits. */
    async dashboard(auth: Auth | null) {
      if (!auth || auth.user.kind !== 'agent') throw new ForbiddenError();
      const canSeeFamilies = hasRole(auth.user, 'admin', 'enfance');
      const isAdmin = hasRole(auth.user, 'admin');
      const [guardians, pendingChanges, enrolments, failedMails] = await Promise.all([
        canSeeFamilies ? countGuardiansByStatus(db) : Promise.resolve(null),
        canSeeFamilies ? countPending(db) : Promise.resolve(null),
        canSeeFamilies ? countToProcess(db) : Promise.resolve(null),
        isAdmin ? outbox.countFailed(db) : Promise.resolve(null),
      ]);
      return { guardians, pendingChanges, enrolments, failedMails };
    },
    async listAudit(auth: Auth | null, page: number) {
      assertRole(auth, 'admin');
      return listAudit(db, { page, pageSize: 50 });
    },
  };
}

export type AdminService = ReturnType<typeof adminService>;
