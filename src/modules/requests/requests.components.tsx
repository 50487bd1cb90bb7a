/**
 * Pieces of the requests pages that a request type (enrolments) shows on its own pages
 * (docs/architecture.md, « Frontières des modules »).
 */
export { StatusTag } from './requests.views.tsx';
