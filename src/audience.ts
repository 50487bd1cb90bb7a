import { audienceRegistry } from './platform/audience/audience.ts';
import { enrolmentAudienceCriteria } from './modules/enrolments/enrolments.audience.repository.ts';
import { bookingAudienceCriteria } from './modules/bookings/bookings.audience.repository.ts';
import { householdAudienceCriteria } from './modules/households/households.audience.repository.ts';
import { requestAudienceCriteria } from './modules/requests/requests.audience.repository.ts';

/**
 * Every module's messaging audience criteria, in the order of the agent's form. A module adds its own
 * (`<module>.audience.repository.ts` exporting `AudienceCriterion[]`) here: invoices (unpaid past due)
 * and documents (missing or expired) when they land.
 */
export const audienceCriteria = audienceRegistry(enrolmentAudienceCriteria, householdAudienceCriteria, bookingAudienceCriteria, requestAudienceCriteria);
