/**
 * What the bookings module offers other modules (docs/architecture.md, « Frontières des modules »):
 * the steps of a walk-in that attendance records inside its own transaction (the counters of a slot
 * must move with the booking), and the addresses a family is written to. The repository stays private.
 */
export {
  /** A walk-in recorded by an animator: the unit and its service, the child's booking of the day, its slot and place. */
  unitWithService,
  findBooking,
  ensureSlot,
  takePlace,
  leaveWaitingList,
  releasePlace,
  writeBooking,
  /** Where a household's notices are e-mailed (every guardian with an address). */
} from './bookings.repository.ts';
