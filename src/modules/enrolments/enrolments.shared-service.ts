/**
 * What the enrolments module offers other modules (docs/architecture.md, « Frontières des modules »).
 */
export {
  /** Enrolment requests waiting for the service, for the dashboard. */
  countToProcess,
  /** A household's enrolments not yet decided (at most 20), for the family's home page. */
  pendingEnrolmentsOfHousehold,
} from './enrolments.repository.ts';
export {
  /** Why a service is missing from a child's calendar (bookings), and the link to ask for it. */
  missingEnrolments,
  type MissingEnrolment,
} from './enrolments.service.ts';
