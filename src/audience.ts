import { audienceRegistry } from './platform/audience/audience.ts';
import { enrolmentAudienceCriteria } from './modules/enrolments/enrolments.audience.repository.ts';
import { bookingAudienceCriteria } from './modules/bookings/bookings.audience.repository.ts';
import { householdAudienceCriteria } from './modules/households/households.audience.repository.ts';
import { requestAudienceCriteria } from './modules/requests/requests.audience.repository.ts';
import { invoiceAudienceCriteria } from './modules/invoicing/invoicing.audience.repository.ts';
import { documentAudienceCriteria } from './modules/documents/documents.audience.repository.ts';

/**
 * Every module's messaging audience criteria, in the order of the agent's form. A module adds its own
 * (`<module>.audience.repository.ts` exporting `AudienceCriterion[]`) here.
 */
export const audienceCriteria = audienceRegistry(enrolmentAudienceCriteria, householdAudienceCriteria, bookingAudienceCriteria, requestAudienceCriteria, invoiceAudienceCriteria, documentAudienceCriteria);
