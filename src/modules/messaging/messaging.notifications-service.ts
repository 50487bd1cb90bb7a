import type { AppContext } from '../../platform/context.ts';
import type { Config } from '../../config.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { insertMails, SECRET_PLACEHOLDER, type OutgoingMail } from '../../platform/mail/outbox.repository.ts';
import { newId } from '../../platform/ids.ts';
import { mailSubject, mailText } from './messaging.domain.ts';
import { checkTemplate, notificationKey, NOTIFICATION_KINDS, NOTIFICATIONS, renderTemplate, type NotificationKind, type TemplateError } from './messaging.notifications.domain.ts';
import { unsubscribeUrl } from './messaging.worker.ts';
import * as repo from './messaging.notifications.repository.ts';

/** One fact to tell one household: `fact` identifies it within the kind (an invoice id, « request:status »…). */
export interface NotificationFact {
  householdId: string;
  fact: string;
  values: Readonly<Record<string, string>>;
}

const BATCH = 500;

/**
 * The one door through which modules notify families, inside their own transaction: for each fact a
 * message in the household's guardians' inboxes and, for each guardian with an address who did not
 * switch the kind off (an essential kind cannot be), an e-mail in the outbox (with a sealed
 * unsubscribe link when it may be refused). Nothing when the town switched the kind off. The message's
 * unique key « notification:<kind>:<fact>:<household> » makes a fact reach a household once, however
 * often (retries, two workers) it is told. Returns the number of facts newly told.
 */
export async function notify(tx: Executor, env: { config: Config }, now: Date, kind: NotificationKind, facts: readonly NotificationFact[]): Promise<number> {
  if (facts.length === 0) return 0;
  const def = NOTIFICATIONS[kind];
  const setting = await repo.settingOf(tx, kind);
  if (setting && setting.enabled === 0) return 0;
  const subjectTemplate = setting?.subject ?? def.subject;
  const bodyTemplate = setting?.body ?? def.body;
  const { publicUrl, secretKey, town } = env.config;
  let told = 0;
  for (let i = 0; i < facts.length; i += BATCH) {
    const rows = facts.slice(i, i + BATCH).map((f) => ({
      id: newId(),
      key: notificationKey(kind, f.fact, f.householdId),
      householdId: f.householdId,
      kind,
      category: def.category,
      topic: def.topic,
      essential: def.essential,
      subject: renderTemplate(subjectTemplate, f.values).trim(),
      body: renderTemplate(bodyTemplate, f.values).trim(),
    }));
    const unique = [...new Map(rows.map((r) => [r.key, r])).values()];
    const inserted = await repo.insertNotificationMessages(tx, unique, now);
    const fresh = unique.filter((r) => inserted.has(r.id));
    told += fresh.length;
    if (fresh.length === 0) continue;
    const guardians = await repo.guardiansOf(tx, [...new Set(fresh.map((r) => r.householdId))], def.essential ? null : def.topic);
    const byHousehold = new Map<string, typeof guardians>();
    for (const g of guardians) byHousehold.set(g.household_id, [...(byHousehold.get(g.household_id) ?? []), g]);
    const recipients: Parameters<typeof repo.insertRecipients>[1][number][] = [];
    const mails: OutgoingMail[] = [];
    const counts = new Map<string, number>();
    for (const m of fresh) {
      const ofHousehold = byHousehold.get(m.householdId) ?? [];
      counts.set(m.id, ofHousehold.length);
      for (const g of ofHousehold) {
        const state = !g.email ? 'none' : g.opted_out ? 'opted_out' : 'queued';
        recipients.push({ message_id: m.id, person_id: g.person_id, household_id: m.householdId, user_id: g.user_id, email: g.email, mail_state: state });
        if (state !== 'queued') continue;
        const link = def.essential ? null : unsubscribeUrl({ publicUrl, secretKey }, g.person_id, def.topic);
        mails.push({
          kind: def.mailKind,
          to: g.email!,
          subject: mailSubject(m.subject, def.category, town.name),
          text: mailText({ body: m.body, townName: town.name, readUrl: `${publicUrl}/messages/${m.id}`, attachments: 0, unsubscribe: link ? SECRET_PLACEHOLDER : null }),
          // The link acts without logging in: it travels sealed, like an activation code.
          secret: link ? { value: link, key: secretKey } : undefined,
          dedupeKey: `message:${m.id}:${g.person_id}`,
          userId: g.user_id,
          householdId: m.householdId,
        });
      }
    }
    await repo.insertRecipients(tx, recipients);
    await repo.setRecipientCounts(tx, counts);
    await insertMails(tx, now, mails);
  }
  return told;
}

/** The admin's page: each kind, its switch and its text, with a preview and a check of the placeholders. */
export function messagingNotificationsService(ctx: AppContext) {
  const { db, clock } = ctx;

  async function list(auth: Auth | null) {
    assertRole(auth, 'admin');
    const rows = new Map((await repo.settings(db)).map((r) => [r.kind, r]));
    return NOTIFICATION_KINDS.map((kind) => {
      const s = rows.get(kind);
      const def = NOTIFICATIONS[kind];
      return { def, enabled: s ? s.enabled === 1 : true, subject: s?.subject ?? def.subject, body: s?.body ?? def.body, customised: !!(s?.subject ?? s?.body), updatedBy: s?.updated_by_label ?? null, updatedAt: s?.updated_at ?? null };
    });
  }

  return {
    list,

    async one(auth: Auth | null, kind: NotificationKind) {
      return (await list(auth)).find((n) => n.def.kind === kind)!;
    },

    /** The text as a family would read it, with the kind's example values. */
    preview(kind: NotificationKind, subject: string, body: string) {
      const def = NOTIFICATIONS[kind];
      return { subject: mailSubject(renderTemplate(subject, def.example).trim(), def.category, ctx.config.town.name), body: renderTemplate(body, def.example).trim() };
    },

    /** Saves the switch and the text (the default text is stored as null, so a later new default applies). */
    async save(auth: Auth | null, kind: NotificationKind, input: { enabled: boolean; subject: string; body: string }): Promise<{ ok: true } | { ok: false; errors: TemplateError[] }> {
      assertRole(auth, 'admin');
      const subject = input.subject.trim();
      const body = input.body.replace(/\r\n?/g, '\n').trim();
      const errors = checkTemplate(kind, subject, body);
      if (errors.length > 0) return { ok: false, errors };
      const def = NOTIFICATIONS[kind];
      const now = clock.now();
      const actor = actorOf(auth);
      await db.transaction().execute(async (tx) => {
        await repo.saveSetting(tx, { kind, enabled: input.enabled, subject: subject === def.subject ? null : subject, body: body === def.body ? null : body, by: actor.label }, now);
        await writeAudit(tx, now, actor, { action: 'notification.settings', targetType: 'notification', targetId: kind, summary: `Notification « ${def.label} » ${input.enabled ? 'activée' : 'désactivée'}${subject !== def.subject || body !== def.body ? ', texte personnalisé' : ', texte par défaut'}` });
      });
      return { ok: true };
    },

    async reset(auth: Auth | null, kind: NotificationKind) {
      assertRole(auth, 'admin');
      const current = (await list(auth)).find((n) => n.def.kind === kind)!;
      const now = clock.now();
      const actor = actorOf(auth);
      await db.transaction().execute(async (tx) => {
        await repo.saveSetting(tx, { kind, enabled: current.enabled, subject: null, body: null, by: actor.label }, now);
        await writeAudit(tx, now, actor, { action: 'notification.settings', targetType: 'notification', targetId: kind, summary: `Notification « ${NOTIFICATIONS[kind].label} » : texte par défaut rétabli` });
      });
    },
  };
}

export type MessagingNotificationsService = ReturnType<typeof messagingNotificationsService>;
