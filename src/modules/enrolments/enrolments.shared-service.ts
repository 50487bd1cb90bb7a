/**
 * What the enrolments module offers other modules (docs/architecture.md, « Frontières des modules »).
 */
export {
  /** Enrolment requests waiting for the service, for the dashboard. */
  countToProcess,
} from './enrolments.repository.ts';
