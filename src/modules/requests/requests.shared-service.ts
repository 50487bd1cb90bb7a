/**
 * What the requests module offers other modules (docs/architecture.md, « Frontières des modules »).
 * The repository stays private; add here rather than importing requests.repository.ts.
 */
export {
  /** A household's open requests (at most 20), with whether the service wrote last (waiting for the family). */
  openRequestsOfHousehold,
} from './requests.repository.ts';

/** The draft machinery of the forms that save incomplete drafts (the QF update and the absence use it too). */
export { requestDrafts, type DraftForm } from './requests.drafts-service.ts';
