import type { AppContext } from '../../platform/context.ts';
import { hmac, safeEqual } from '../../platform/security/secrets.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { addDays } from '../../platform/calendar/calendar.domain.ts';
import * as repo from './calendar-feed.repository.ts';
import { buildCalendar } from './calendar-feed.domain.ts';

/**
 * The household's secret calendar address: derived from the secret key, the household and a version,
 * so nothing secret is stored and a new version revokes the old address.
 */
export function calendarFeedService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const token = (householdId: string, version: number) => hmac(config.secretKey, `ical:${householdId}:${version}`).slice(0, 32);
  const fileName = (householdId: string, version: number) => `${householdId}-${version}-${token(householdId, version)}.ics`;

  return {
    async address(actor: FamilyActor) {
      const version = await repo.feedVersion(db, actor.householdId);
      return `${config.publicUrl}/calendrier/${fileName(actor.householdId, version)}`;
    },

    async regenerate(actor: FamilyActor) {
      await db.transaction().execute(async (tx) => {
        await repo.bumpVersion(tx, actor.householdId, await repo.feedVersion(tx, actor.householdId));
        await writeAudit(tx, clock.now(), actorOf(actor.auth), { action: 'calendar.regenerated', targetType: 'household', targetId: actor.householdId, summary: 'Nouvelle adresse d\'agenda : l\'ancienne ne fonctionne plus' });
      });
    },

    /** The feed for a file name, or null when the address is wrong or revoked. */
    async feed(file: string): Promise<string | null> {
      const m = /^([0-9a-f-]{36})-(\d{1,9})-([0-9a-f]{32})\.ics$/.exec(file);
      if (!m) return null;
      const [, householdId, v, given] = m;
      const household = await repo.householdExists(db, householdId);
      if (!household) return null;
      const version = await repo.feedVersion(db, householdId);
      if (Number(v) !== version || !safeEqual(given, token(householdId, version))) return null;
      const today = clock.today();
      const rows = await repo.bookingsForFeed(db, householdId, addDays(today, -30), addDays(today, 365));
      return buildCalendar(`Réservations – ${household.name}`, rows.map((r) => ({ uid: `${r.id}@portail-famille`, day: r.day, summary: `${r.first_name} – ${r.name}, ${r.label.charAt(0).toLowerCase()}${r.label.slice(1)}` })), clock.now());
    },
  };
}

export type CalendarFeedService = ReturnType<typeof calendarFeedService>;
