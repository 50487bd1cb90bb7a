/**
 * What the catalogue module offers other modules (docs/architecture.md, « Frontières des modules »):
 * the periods a family page explains (opening date, first come or draw), the words of a draw's result,
 * and the days the town has opened (a calendar's navigation stays inside them). The repository stays private; add here rather than importing catalogue.repository.ts.
 */
export {
  /** Periods not over that open on a date or are allocated by draw (at most 20). */
  periodsToExplain,
} from './catalogue.periods.repository.ts';
export {
  /** One sentence per child of what the draw gave (place obtained, or the place on the waiting list). */
  drawChildSentences,
  /** Whether a portal notice is a draw's result. */
  isDrawNotice,
  type DrawnDay,
  type DrawMode,
} from './catalogue.draw.ts';
export {
  /** The days the town has opened periods for, so that a calendar's navigation stays inside them. */
  periodSpans,
} from './catalogue.repository.ts';
export {
  /** The document types a service requires to enrol a child, each for the child or the household (enrolment requests). */
  requiredDocuments,
  type RequiredDocument,
} from './catalogue.documents.repository.ts';
