import type { Attendance, BookingStatus } from '../../platform/vocabulary.ts';

/** A month of a household's bookings, counted by child, service, status and attendance (one grouped query). */
export interface MonthCountRow {
  child_person_id: string;
  service_id: string;
  service_name: string;
  status: BookingStatus;
  attendance: Attendance | null;
  n: number | string;
}

/** What the counter reads for a child and a service over a month. */
export interface MonthTally {
  childId: string;
  serviceId: string;
  serviceName: string;
  /** Days with a place (past and coming). */
  booked: number;
  /** Days on a waiting list, or asked for before a draw. */
  waiting: number;
  present: number;
  absent: number;
  /** Of the absences, those justified (not billed). */
  justified: number;
}

/**
 * Per child and service, the month at a glance: days booked, waiting, present and absent. Cancelled and
 * closed days do not count; a child present without a booking counts as present. In the order of
 * `childIds`, then by service name.
 */
export function monthTally(rows: readonly MonthCountRow[], childIds: readonly string[]): MonthTally[] {
  const tallies = new Map<string, MonthTally>();
  for (const r of rows) {
    const key = `${r.child_person_id}|${r.service_id}`;
    const t = tallies.get(key) ?? { childId: r.child_person_id, serviceId: r.service_id, serviceName: r.service_name, booked: 0, waiting: 0, present: 0, absent: 0, justified: 0 };
    const n = Number(r.n);
    if (r.status === 'booked') t.booked += n;
    if (r.status === 'waiting' || r.status === 'requested') t.waiting += n;
    if (r.attendance === 'present' || r.attendance === 'present_unbooked') t.present += n;
    if (r.attendance === 'absent_justified' || r.attendance === 'absent_unjustified') t.absent += n;
    if (r.attendance === 'absent_justified') t.justified += n;
    tallies.set(key, t);
  }
  const rank = (id: string) => {
    const i = childIds.indexOf(id);
    return i < 0 ? childIds.length : i;
  };
  return [...tallies.values()]
    .filter((t) => t.booked + t.waiting + t.present + t.absent > 0)
    .sort((a, b) => rank(a.childId) - rank(b.childId) || a.serviceName.localeCompare(b.serviceName, 'fr'));
}
