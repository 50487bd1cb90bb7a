/**
 * What the enrolments module offers other modules (docs/architecture.md, « Frontières des modules »).
 */
export {
  /** Enrolment requests waiting for the service, for the dashboard. */
  countToProcess,
} from './enrolments.repository.ts';
export {
  /** Why a service is missing from a child's calendar (bookings), and the link to ask for it. */
  missingEnrolments,
  type MissingEnrolment,
} from './enrolments.service.ts';
