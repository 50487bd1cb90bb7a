/**
 * What the catalogue module offers other modules (docs/architecture.md, « Frontières des modules »):
 * reads they need for their own pages. The repository stays private to the module; this list is the
 * deliberate, reviewed surface — add to it rather than importing catalogue.repository.ts.
 */
export {
  /** The days the town has opened periods for, so that a calendar's navigation stays inside them. */
  periodSpans,
} from './catalogue.repository.ts';
