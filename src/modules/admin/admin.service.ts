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
import { groupsOfDay, kitchenWeek } from '../attendance/attendance.service.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import type { MailOutcome } from './admin.outcomes.ts';

/** Admin views over the platform: sent e-mails (the demo's mailbox) and the audit log. */
export function adminService(ctx: AppContext) {
  const { db, clock } = ctx;
  return {
    async listMails(auth: Auth | null, page: number) {
      assertRole(auth, 'admin');
      return outbox.listMails(db, page, 50);
    },
    /**
     * A message as an agent may read it: its one-time secret is never there (see platform/mail), and
     * the reading is in the log, and in the history of the family the message was about.
     */
    async getMail(auth: Auth | null, id: string) {
      assertRole(auth, 'admin');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const mail = await outbox.findMail(tx, id);
        if (!mail) return undefined;
        // Messages of other modules may carry neither: the address tells whose they are.
        const recipient = mail.household_id ? null : await outbox.findRecipient(tx, mail.to_address);
        const userId = mail.user_id ?? recipient?.user_id ?? null;
        const householdId = mail.household_id ?? recipient?.household_id ?? null;
        const summary = `Lecture du courriel « ${mail.subject} » envoyé à ${mail.to_address}`;
        const actor = actorOf(auth);
        if (householdId) await writeAudit(tx, now, actor, { action: 'mail.read', targetType: 'household', targetId: householdId, summary });
        if (userId) await writeAudit(tx, now, actor, { action: 'mail.read', targetType: 'user', targetId: userId, summary });
        if (!householdId && !userId) await writeAudit(tx, now, actor, { action: 'mail.read', targetType: 'mail', targetId: id, summary });
        return { ...mail, text_body: mail.text_body.split(outbox.SECRET_PLACEHOLDER).join(outbox.SECRET_SHOWN_AS) };
      });
    },
    /** Send again a failed (or kept) message; one whose one-time secret is gone cannot be (MAIL_OUTCOMES). */
    async resendMail(auth: Auth | null, id: string): Promise<Result<void, MailOutcome>> {
      assertRole(auth, 'admin');
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const mail = await outbox.findMail(tx, id);
        if (!mail) return fail('not_found' as const);
        if (!(await outbox.requeue(tx, id, now))) return fail(mail.body_purged_at ? ('purged' as const) : mail.status === 'pending' ? ('pending' as const) : ('secret_gone' as const));
        await writeAudit(tx, now, actorOf(auth), { action: 'mail.requeued', targetType: 'mail', targetId: id, summary: 'Courriel remis en file d\'envoi' });
        return ok(undefined);
      });
    },
    /**
     * The agent home, per role: counts that lead to the lists where work waits (enfance, admin),
     * today's groups (animateur), the meals of the week (restauration). Bounded: a fixed number of
     * grouped queries whatever the number of groups, facilities or children.
     */
    async dashboard(auth: Auth | null) {
      if (!auth || auth.user.kind !== 'agent') throw new ForbiddenError();
      const canSeeFamilies = hasRole(auth.user, 'admin', 'enfance');
      const isAdmin = hasRole(auth.user, 'admin');
      const today = clock.today();
      const [guardians, pendingChanges, enrolments, failedMails, groups, kitchen] = await Promise.all([
        canSeeFamilies ? countGuardiansByStatus(db) : Promise.resolve(null),
        canSeeFamilies ? countPending(db) : Promise.resolve(null),
        canSeeFamilies ? countToProcess(db) : Promise.resolve(null),
        isAdmin ? outbox.countFailed(db) : Promise.resolve(null),
        auth.user.roles.includes('animateur') ? groupsOfDay(db, auth.user.id, today) : Promise.resolve(null),
        auth.user.roles.includes('restauration') ? kitchenWeek(db, today) : Promise.resolve(null),
      ]);
      return { today, guardians, pendingChanges, enrolments, failedMails, groups, kitchen, regie: auth.user.roles.includes('regie') };
    },
    async listAudit(auth: Auth | null, page: number) {
      assertRole(auth, 'admin');
      return listAudit(db, { page, pageSize: 50 });
    },
  };
}

export type AdminService = ReturnType<typeof adminService>;
