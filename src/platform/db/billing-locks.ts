import type { Executor } from '../audit/audit.repository.ts';

/**
 * Months a régie has invoiced are locked (invoicing writes `billing_locks` when it issues a run):
 * a booking or an attendance on a day of such a month, for a service of that régie, no longer
 * changes; agents correct through credit notes. Bookings and attendance write before invoicing in
 * the modules' order, so the lock is read here, in the platform, rather than through the
 * invoicing module. Only months before the current one can be invoiced: a change of this month or
 * later (every booking form of an opening day) costs no query.
 */
export async function lockedDays(db: Executor, keys: readonly { serviceId: string; day: string }[], today: string): Promise<Set<string>> {
  const thisMonth = today.slice(0, 7);
  const past = keys.filter((k) => k.day.slice(0, 7) < thisMonth);
  if (past.length === 0) return new Set();
  const rows = await db
    .selectFrom('billing_locks')
    .innerJoin('services', 'services.regie_id', 'billing_locks.regie_id')
    .select(['services.id as service_id', 'billing_locks.month'])
    .where('services.id', 'in', [...new Set(past.map((k) => k.serviceId))])
    .where('billing_locks.month', 'in', [...new Set(past.map((k) => k.day.slice(0, 7)))])
    .execute();
  const months = new Set(rows.map((r) => `${r.service_id}|${r.month}`));
  return new Set(past.filter((k) => months.has(`${k.serviceId}|${k.day.slice(0, 7)}`)).map((k) => lockKey(k.serviceId, k.day)));
}

export const lockKey = (serviceId: string, day: string) => `${serviceId}|${day}`;

/** One day of one service: invoiced already? */
export async function isLockedDay(db: Executor, serviceId: string, day: string, today: string): Promise<boolean> {
  return (await lockedDays(db, [{ serviceId, day }], today)).size > 0;
}
