import type { AppContext } from './platform/context.ts';
import { addDays, dayLabel, todayIn } from './platform/calendar/calendar.domain.ts';
import { formatDeadline, parseRule } from './platform/calendar/deadlines.domain.ts';
import { notify, type NotificationFact } from './modules/messaging/messaging.notifications-service.ts';
import { bookingClosing, DOCUMENT_EXPIRY_LEAD_DAYS, reminderDue } from './modules/messaging/messaging.notifications.domain.ts';
import { householdsToRemind, upcomingHolidayServices } from './modules/bookings/bookings.notifications.repository.ts';
import { expiringDocuments } from './modules/documents/documents.notifications.repository.ts';

/**
 * The automatic notifications no user action sets off, found by the worker from each module's data
 * (each module's `*.notifications.repository.ts`, assembled here like the audiences in src/audience.ts)
 * and told through messaging's `notify`: the booking deadline reminder and the documents about to
 * expire. Safe to run at any time, in several processes, again after a crash: a fact already told to a
 * household is skipped by the message's unique key, inside the same transaction as its e-mails.
 */
export async function runAutomaticNotifications(ctx: AppContext): Promise<{ deadlineReminders: number; expiringDocuments: number }> {
  const { db, clock, config } = ctx;
  const now = clock.now();
  const today = todayIn(now);
  let deadlineReminders = 0;
  // Holiday periods starting within two months: their bookings may close within two days.
  for (const s of await upcomingHolidayServices(db, today, addDays(today, 62))) {
    const closing = bookingClosing({ start: s.start_date, end: s.end_date, weekdays: s.weekdays.split(',').map(Number), rule: parseRule(s.booking_rule), allocation: s.allocation, requestsCloseAt: s.requests_close_at });
    if (!closing || !reminderDue(closing, now)) continue;
    const households = await householdsToRemind(db, { serviceId: s.service_id, schoolYearId: s.school_year_id, start: s.start_date, end: s.end_date });
    const facts: NotificationFact[] = households.map((householdId) => ({
      householdId,
      fact: `${s.service_id}:${s.period_id}`,
      values: { service: s.service_name, periode: s.period_label, date_limite: formatDeadline(closing), lien: `${config.publicUrl}/reservations` },
    }));
    deadlineReminders += await inBatches(ctx, 'deadline_reminder', facts);
  }
  const documents = await expiringDocuments(db, today, addDays(today, DOCUMENT_EXPIRY_LEAD_DAYS));
  const expiring = await inBatches(
    ctx,
    'document_expiring',
    documents.map((d) => ({
      householdId: d.household_id,
      // A validity corrected later is another fact.
      fact: `${d.id}:${d.valid_until}`,
      values: { document: d.type_label, personne: d.first_name ? ` (${d.first_name})` : '', date_fin: dayLabel(d.valid_until!, true), lien: `${config.publicUrl}/documents` },
    })),
  );
  return { deadlineReminders, expiringDocuments: expiring };
}

async function inBatches(ctx: AppContext, kind: 'deadline_reminder' | 'document_expiring', facts: readonly NotificationFact[]) {
  let told = 0;
  for (let i = 0; i < facts.length; i += 500) {
    const now = ctx.clock.now();
    told += await ctx.db.transaction().execute((tx) => notify(tx, ctx, now, kind, facts.slice(i, i + 500)));
  }
  return told;
}

/** Background loop (main.ts), every ten minutes by default; stop() waits for the current pass. */
export function startNotificationsWorker(ctx: AppContext, onError: (err: unknown) => void, intervalMs = 10 * 60_000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = runAutomaticNotifications(ctx)
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 1000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
