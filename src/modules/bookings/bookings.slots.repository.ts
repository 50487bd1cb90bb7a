import type { Executor } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';
import { prepared } from '../../platform/db/prepared.ts';
import { forUpdate } from '../../platform/db/locks.ts';
import { ARRIVAL_STEP } from '../../platform/clock/arrival.ts';

// Slots: the places of one unit for one group on one day (capacity, places taken, waiting list).
// Every booking form reads, locks and updates its days' slots: the queries are prepared.

export interface SlotKey {
  unitId: string;
  groupId: string;
  day: string;
}
export const slotKey = (k: SlotKey) => `${k.unitId}|${k.groupId}|${k.day}`;

export interface SlotState {
  id: string;
  capacity: number | null;
  taken: number;
  /** The town closed the day for this slot's service. */
  closed: boolean;
}

const slotsAt = (db: Executor, unitIds: string[], groupIds: string[], days: string[]) =>
  db.selectFrom('slots').select(['id', 'unit_id', 'group_id', 'day', 'capacity', 'taken', 'closed']).where('unit_id', 'in', unitIds).where('group_id', 'in', groupIds).where('day', 'in', days).orderBy('id');
const slotsAtQuery = prepared(slotsAt);
const lockedSlotsAtQuery = prepared((db, unitIds: string[], groupIds: string[], days: string[]) => forUpdate(db, slotsAt(db, unitIds, groupIds, days)));

async function slotsOf(db: Executor, keys: SlotKey[], lock: boolean) {
  const rows = await (lock ? lockedSlotsAtQuery : slotsAtQuery).all(db, [...new Set(keys.map((k) => k.unitId))], [...new Set(keys.map((k) => k.groupId))], [...new Set(keys.map((k) => k.day))]);
  return new Map<string, SlotState>(rows.map((r) => [slotKey({ unitId: r.unit_id, groupId: r.group_id, day: r.day }), { id: r.id, capacity: r.capacity, taken: r.taken, closed: r.closed === 1 }]));
}

/**
 * The place counters of some unit × group × days (key → slot), created on first use with the
 * default capacity of their unit × group: one query when they exist, four when some are new.
 * `lock`: they stay locked until the transaction ends (PostgreSQL), so what they say holds.
 */
export async function ensureSlots(tx: Executor, keys: SlotKey[], options: { lock?: boolean } = {}): Promise<Map<string, SlotState>> {
  if (keys.length === 0) return new Map();
  const lock = options.lock ?? false;
  const found = await slotsOf(tx, keys, lock);
  const missing = [...new Map(keys.filter((k) => !found.has(slotKey(k))).map((k) => [slotKey(k), k])).values()];
  if (missing.length === 0) return found;
  const capacities = await tx
    .selectFrom('capacities')
    .select(['unit_id', 'group_id', 'places'])
    .where('unit_id', 'in', [...new Set(missing.map((k) => k.unitId))])
    .where('group_id', 'in', [...new Set(missing.map((k) => k.groupId))])
    .execute();
  const capacity = (k: SlotKey) => capacities.find((c) => c.unit_id === k.unitId && c.group_id === k.groupId)?.places ?? null;
  await tx
    .insertInto('slots')
    .values(missing.map((k) => ({ id: newId(), unit_id: k.unitId, group_id: k.groupId, day: k.day, capacity: capacity(k), taken: 0, waiting_seq: 0, waiting: 0, closed: 0 })))
    .onConflict((oc) => oc.columns(['unit_id', 'group_id', 'day']).doNothing())
    .execute();
  return slotsOf(tx, keys, lock);
}

export async function ensureSlot(tx: Executor, unitId: string, groupId: string, day: string): Promise<string> {
  return (await ensureSlots(tx, [{ unitId, groupId, day }])).get(slotKey({ unitId, groupId, day }))!.id;
}

/**
 * Takes one place on each slot atomically (ARCHITECTURE.md §4), in one statement: the ids of the
 * slots that still had one. `force` is the agents' over-capacity override.
 */
export async function takePlaces(tx: Executor, slotIds: string[], force = false): Promise<Set<string>> {
  if (slotIds.length === 0) return new Set();
  const rows = await (force ? forcePlacesQuery : takePlacesQuery).all(tx, slotIds);
  return new Set(rows.map((r) => r.id));
}

const takePlacesQuery = prepared((db, slotIds: string[]) =>
  db
    .updateTable('slots')
    .set((eb) => ({ taken: eb('taken', '+', 1) }))
    .where('id', 'in', slotIds)
    .where((eb) => eb.or([eb('capacity', 'is', null), eb('taken', '<', eb.ref('capacity'))]))
    .returning('id'),
);
const forcePlacesQuery = prepared((db, slotIds: string[]) => db.updateTable('slots').set((eb) => ({ taken: eb('taken', '+', 1) })).where('id', 'in', slotIds).returning('id'));

export async function takePlace(tx: Executor, slotId: string, force = false): Promise<boolean> {
  return (await takePlaces(tx, [slotId], force)).has(slotId);
}

/**
 * One more child on the waiting list of each slot that is still full (the slot's count of waiting
 * children). A slot where a place freed since the caller tried to take one is left out (the caller
 * tries that place again). The child's rank is not taken from here but from the request's arrival
 * (README.md of this module); `waiting_seq` only counts how many ever joined.
 *
 * The place on the list comes in the same statement, under the slot's lock: the slot's count of
 * waiting children (this one included) minus the children of other forms ranked after this arrival
 * (an earlier request written later; usually none). No further query while the lock is held.
 */
export async function joinWaitingLists(tx: Executor, slotIds: string[], arrival: number): Promise<Map<string, { position: number }>> {
  if (slotIds.length === 0) return new Map();
  const rows = await joinWaitingListsQuery.all(tx, slotIds, arrival + ARRIVAL_STEP);
  return new Map(rows.map((r) => [r.id, { position: Math.max(1, Number(r.waiting) - Number(r.later)) }]));
}

const joinWaitingListsQuery = prepared((db, slotIds: string[], laterThan: number) =>
  db
    .updateTable('slots')
    .set((eb) => ({ waiting_seq: eb('waiting_seq', '+', 1), waiting: eb('waiting', '+', 1) }))
    .where('id', 'in', slotIds)
    .where('capacity', 'is not', null)
    .whereRef('taken', '>=', 'capacity')
    .returning((eb) => [
      'id',
      'waiting',
      eb
        .selectFrom('bookings as w')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('w.slot_id', '=', 'slots.id')
        .where('w.status', '=', 'waiting')
        .where('w.waiting_rank', '>=', laterThan)
        .as('later'),
    ]),
);

/** A child left a slot's waiting list (given a place, cancelled, or came without booking). */
export async function leaveWaitingList(tx: Executor, slotId: string) {
  await tx.updateTable('slots').set((eb) => ({ waiting: eb('waiting', '-', 1) })).where('id', '=', slotId).where('waiting', '>', 0).execute();
}

export async function releasePlace(tx: Executor, slotId: string) {
  await tx.updateTable('slots').set((eb) => ({ taken: eb('taken', '-', 1) })).where('id', '=', slotId).where('taken', '>', 0).execute();
}

export async function slotById(db: Executor, id: string) {
  return db.selectFrom('slots').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Closing a day: its slots are marked closed, nothing is taken, nobody waits any more. */
export async function closeSlots(tx: Executor, slotIds: string[]) {
  if (slotIds.length === 0) return;
  await tx.updateTable('slots').set({ taken: 0, waiting: 0, closed: 1 }).where('id', 'in', slotIds).execute();
}

/** Correctness counters for tests and the opening-day benchmark. */
export async function slotCounters(db: Executor, slotId: string) {
  const slot = await slotById(db, slotId);
  const counts = await db
    .selectFrom('bookings')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('slot_id', '=', slotId)
    .groupBy('status')
    .execute();
  const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
  // `listed` is the count kept on the slot row: it must always equal `waiting`.
  return { capacity: slot?.capacity ?? null, taken: slot?.taken ?? 0, booked: by.booked ?? 0, waiting: by.waiting ?? 0, listed: slot?.waiting ?? 0 };
}
