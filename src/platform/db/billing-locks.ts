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
  // The lock of a day is the one of the régie that invoices its service in its month (a service may
  // change régie): its latest `service_regies` row starting that month or before, else `services.regie_id`.
  // The same rule as invoicing's `regieForMonth` (pure, tested there) and `servicesOfRegie`; it is
  // written in SQL here so that the platform does not depend on a module.
  const locked = await db
    .selectFrom('services as s')
    .innerJoin('billing_locks as l', (join) =>
      join.on((eb) =>
        eb(
          'l.regie_id',
          '=',
          eb.fn.coalesce(
            eb.selectFrom('service_regies as a').select('a.regie_id').whereRef('a.service_id', '=', 's.id').whereRef('a.from_month', '<=', 'l.month').orderBy('a.from_month', 'desc').limit(1),
            's.regie_id',
          ),
        ),
      ),
    )
    .select(['s.id as service_id', 'l.month'])
    .where('s.id', 'in', [...new Set(past.map((k) => k.serviceId))])
    .where('l.month', 'in', [...new Set(past.map((k) => k.day.slice(0, 7)))])
    .execute();
  const months = new Set(locked.map((l) => `${l.service_id}|${l.month}`));
  return new Set(past.filter((k) => months.has(`${k.serviceId}|${k.day.slice(0, 7)}`)).map((k) => lockKey(k.serviceId, k.day)));
}

export const lockKey = (serviceId: string, day: string) => `${serviceId}|${day}`;

/** One day of one service: invoiced already? */
export async function isLockedDay(db: Executor, serviceId: string, day: string, today: string): Promise<boolean> {
  return (await lockedDays(db, [{ serviceId, day }], today)).size > 0;
}
