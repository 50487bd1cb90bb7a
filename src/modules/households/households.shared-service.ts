import type { Executor } from '../../platform/audit/audit.repository.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { membersOf as readMembers } from './households.repository.ts';

/**
 * What the households module offers other modules (docs/architecture.md, « Frontières des modules »):
 * reads they need for their own pages and rules, and the steps of creating a household that the
 * imports run inside their own transaction. The repository stays private to the module; this list is
 * the deliberate, reviewed surface — add to it rather than importing households.repository.ts.
 */
export {
  /** The members (guardians and children) of a household, for a module that acts for the family. */
  membersOf,
  memberOf,
  /** Where to write to a household (notices and e-mails of other modules). */
  guardianEmails,
  /** For a booking form: the household's children (whom it may book for), members' first names and the e-mail choice of its history entry. */
  bookingFormFacts,
  /** The town's schools and class levels (catalogue groups, imports). */
  schoolLists,
  /** Pending change requests, for the dashboard. */
  countPending,
  /** Pricing (tariffs): the QF values of a batch of households up to a month, and their postcode and town. */
  quotientsOfHouseholds,
  addressesOfHouseholds,
  /** Steps of an import, run inside the import's transaction. */
  insertHousehold,
  updateHousehold,
  refreshHouseholdIndex,
  /** A guardian who joins the household on an accepted « changement de situation » (requests module), in its transaction. */
  insertPerson,
  addMember,
} from './households.repository.ts';
/** Records a QF value with its audit row, in the caller's transaction (QF form, later the QF-update request). */
export { recordQuotient, type QuotientInput } from './households.quotient-service.ts';


// A family page that shows the household and its calendar (the home page) reads the members once: the
// routes hand the same actor object (`req.family`) to every call of one request, so keying by it scopes
// the read to the request. Writes never use it: they read again inside their transaction.
const membersOfRequest = new WeakMap<FamilyActor, ReturnType<typeof readMembers>>();
/** The household's members, read once per request (page reads only). */
export function membersOfPage(db: Executor, actor: FamilyActor): ReturnType<typeof readMembers> {
  let members = membersOfRequest.get(actor);
  if (!members) membersOfRequest.set(actor, (members = readMembers(db, actor.householdId)));
  return members;
}
