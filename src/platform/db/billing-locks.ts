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
  const serviceIds = [...new Set(past.map((k) => k.serviceId))];
  const [services, assignments, locks] = await Promise.all([
    db.selectFrom('services').select(['id', 'regie_id']).where('id', 'in', serviceIds).execute(),
    db.selectFrom('service_regies').select(['service_id', 'from_month', 'regie_id']).where('service_id', 'in', serviceIds).execute(),
    db.selectFrom('billing_locks').select(['regie_id', 'month']).where('month', 'in', [...new Set(past.map((k) => k.day.slice(0, 7)))]).execute(),
  ]);
  const locked = new Set(locks.map((l) => `${l.regie_id}|${l.month}`));
  const base = new Map(services.map((s) => [s.id, s.regie_id ?? '']));
  // The lock of a day is the one of the régie that invoices its service in its month (a service may change régie).
  return new Set(
    past
      .filter((k) => locked.has(`${regieForMonth(base.get(k.serviceId) ?? '', assignments.filter((a) => a.service_id === k.serviceId), k.day.slice(0, 7))}|${k.day.slice(0, 7)}`))
      .map((k) => lockKey(k.serviceId, k.day)),
  );
}

/**
 * The régie that invoices a service in a month: its latest assignment starting that month or
 * before (`service_regies`, migration 022), else the régie it was created with (`services.regie_id`).
 */
export function regieForMonth(base: string, assignments: readonly { from_month: string; regie_id: string }[], month: string): string {
  let found: { from_month: string; regie_id: string } | null = null;
  for (const a of assignments) if (a.from_month <= month && (!found || a.from_month > found.from_month)) found = a;
  return found ? found.regie_id : base;
}

export const lockKey = (serviceId: string, day: string) => `${serviceId}|${day}`;

/** One day of one service: invoiced already? */
export async function isLockedDay(db: Executor, serviceId: string, day: string, today: string): Promise<boolean> {
  return (await lockedDays(db, [{ serviceId, day }], today)).size > 0;
}
