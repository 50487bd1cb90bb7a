import type { PersonalDataDeclaration } from './platform/privacy/personal-data.ts';
import { householdsPersonalData } from './modules/households/households.personal-data.ts';
import { identityPersonalData } from './modules/identity/identity.personal-data.ts';
import { requestsPersonalData } from './modules/requests/requests.personal-data.ts';
import { requestsTrackingPersonalData } from './modules/requests/requests.tracking.personal-data.ts';
import { requestKindsPersonalData } from './modules/request-kinds/request-kinds.personal-data.ts';
import { documentsPersonalData } from './modules/documents/documents.personal-data.ts';
import { enrolmentsPersonalData } from './modules/enrolments/enrolments.personal-data.ts';
import { bookingsPersonalData } from './modules/bookings/bookings.personal-data.ts';
import { calendarFeedPersonalData } from './modules/calendar-feed/calendar-feed.personal-data.ts';
import { importsPersonalData } from './modules/imports/imports.personal-data.ts';
import { cataloguePersonalData } from './modules/catalogue/catalogue.personal-data.ts';
import { platformPersonalData } from './modules/privacy/platform.personal-data.ts';
import { paymentsPersonalData } from './modules/payments/payments.personal-data.ts';
import { messagingPersonalData } from './modules/messaging/messaging.personal-data.ts';
import { auditPersonalData } from './platform/audit/audit.personal-data.ts';
import { invoicingPersonalData } from './modules/invoicing/invoicing.personal-data.ts';
import { certificatesPersonalData } from './modules/certificates/certificates.personal-data.ts';

/**
 * Every module's personal-data declaration, in the order the export shows them and the
 * anonymisation runs them. A new module with a household, person or login column adds its
 * `<module>.personal-data.ts` here; personal-data.coverage.test.ts fails until it does.
 * The audit log comes last: its redaction also covers the rows the others wrote.
 */
export const personalDataDeclarations: readonly PersonalDataDeclaration[] = [
  householdsPersonalData,
  requestsPersonalData,
  requestsTrackingPersonalData,
  requestKindsPersonalData,
  documentsPersonalData,
  enrolmentsPersonalData,
  bookingsPersonalData,
  calendarFeedPersonalData,
  importsPersonalData,
  platformPersonalData,
  cataloguePersonalData,
  invoicingPersonalData,
  certificatesPersonalData,
  identityPersonalData,
  paymentsPersonalData,
  messagingPersonalData,
  auditPersonalData,
];
