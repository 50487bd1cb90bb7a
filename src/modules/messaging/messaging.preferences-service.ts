import type { AppContext } from '../../platform/context.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { safeEqual, signFor } from '../../platform/security/secrets.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { isOptionalTopic, MAIL_TOPICS, topicOf, UNSUBSCRIBE_PURPOSE, unsubscribeSubject } from './messaging.domain.ts';
import * as repo from './messaging.preferences.repository.ts';

const OPTIONAL = MAIL_TOPICS.filter((t) => !t.essential).map((t) => t.key);

/**
 * E-mail preferences: a guardian switches optional topics off on the portal, or from an e-mail's signed
 * link without logging in (bound to that guardian and that topic). The inbox always keeps the messages.
 */
export function messagingPreferencesService(ctx: AppContext) {
  const { db, clock, config } = ctx;

  /** The link's signature is checked in constant time; any other guardian or topic fails. */
  function checkLink(link: { r: string; t: string; s: string }): boolean {
    if (!isOptionalTopic(link.t)) return false;
    return safeEqual(link.s, signFor(config.secretKey, UNSUBSCRIBE_PURPOSE, unsubscribeSubject(link.r, link.t)));
  }

  /** What a signed link would switch off, or null when the link is not valid. */
  async function linkTopic(link: { r: string; t: string; s: string }) {
    if (!checkLink(link) || !(await repo.personExists(db, link.r))) return null;
    return topicOf(link.t) ?? null;
  }

  return {
    linkTopic,

    /** The guardian's topics switched off; null at the counter (an agent does not choose for a guardian). */
    async preferences(actor: FamilyActor) {
      if (!actor.personId) return null;
      return repo.topicsOff(db, actor.personId);
    },

    async save(actor: FamilyActor, wanted: readonly string[]) {
      if (!actor.personId) return false;
      const personId = actor.personId;
      const off = OPTIONAL.filter((t) => !wanted.includes(t));
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.setTopicsOff(tx, personId, OPTIONAL, off, now);
        await writeAudit(tx, now, actorOf(actor.auth), { action: 'mail.preferences', targetType: 'household', targetId: actor.householdId, summary: off.length > 0 ? `Courriels refusés : ${off.map((t) => topicOf(t)?.label ?? t).join(' ; ')}` : 'Tous les courriels acceptés' });
      });
      return true;
    },

    /** Honoured at once: the worker reads the preference before each e-mail it makes. */
    async unsubscribe(link: { r: string; t: string; s: string }) {
      const topic = await linkTopic(link);
      if (!topic) return null;
      await repo.setTopicsOff(db, link.r, [], [link.t], clock.now());
      return topic;
    },
  };
}

export type MessagingPreferencesService = ReturnType<typeof messagingPreferencesService>;
