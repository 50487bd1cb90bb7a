import Fastify, { type RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from './platform/http/app-type.ts';
import type { AppContext } from './platform/context.ts';
import { registerWeb } from './platform/http/web.ts';
import { requireAgent } from './platform/http/guards.ts';
import { identityService } from './modules/identity/identity.service.ts';
import { identityFamilyRoutes } from './modules/identity/identity.family-routes.tsx';
import { identityAgentRoutes } from './modules/identity/identity.agent-routes.tsx';
import { adminService } from './modules/admin/admin.service.ts';
import { adminAgentRoutes, dashboardRoute } from './modules/admin/admin.agent-routes.tsx';
import { contentRoutes } from './modules/content/content.routes.tsx';
import { familyService } from './modules/households/households.family-service.ts';
import { bookingsService } from './modules/bookings/bookings.service.ts';
import { bookingsFamilyRoutes } from './modules/bookings/bookings.family-routes.tsx';
import { bookingsAgentRoutes } from './modules/bookings/bookings.agent-routes.tsx';
import { calendarFeedService } from './modules/calendar-feed/calendar-feed.service.ts';
import { calendarFeedRoutes } from './modules/calendar-feed/calendar-feed.routes.tsx';
import { attendanceService } from './modules/attendance/attendance.service.ts';
import { attendanceAgentRoutes } from './modules/attendance/attendance.agent-routes.tsx';
import { householdsFamilyRoutes } from './modules/households/households.family-routes.tsx';
import { householdsAgentService } from './modules/households/households.agent-service.ts';
import { householdsAgentRoutes } from './modules/households/households.agent-routes.tsx';
import { importsAgentRoutes } from './modules/imports/imports.agent-routes.tsx';
import { privacyService } from './modules/privacy/privacy.service.ts';
import { personalDataDeclarations } from './personal-data.ts';
import { privacyFamilyRoutes } from './modules/privacy/privacy.family-routes.tsx';
import { privacyAgentRoutes } from './modules/privacy/privacy.agent-routes.tsx';
import { requestsService } from './modules/requests/requests.service.ts';
import { requestsAgentRoutes, requestsFamilyRoutes } from './modules/requests/requests.routes.tsx';
import { trackingRequestHandlers } from './modules/requests/requests.types.ts';
import { requestsTrackingService } from './modules/requests/requests.tracking-service.ts';
import { enrolmentRequestHandler, enrolmentsService } from './modules/enrolments/enrolments.service.ts';
import { enrolmentsAgentRoutes, enrolmentsFamilyRoutes } from './modules/enrolments/enrolments.routes.tsx';
import { requestsHouseholdSection } from './modules/requests/requests.household-section.tsx';
import { enrolmentsHouseholdSection } from './modules/enrolments/enrolments.household-section.tsx';
import { attendanceHouseholdSection } from './modules/attendance/attendance.household-section.tsx';
import { attendanceHouseholdRoutes } from './modules/attendance/attendance.household-routes.tsx';
import { householdMonthService } from './modules/attendance/attendance.household-service.ts';
import { catalogueService } from './modules/catalogue/catalogue.service.ts';
import { catalogueAgentRoutes } from './modules/catalogue/catalogue.agent-routes.tsx';
import { homeService } from './modules/home/home.service.ts';
import { homeRoutes } from './modules/home/home.routes.tsx';
import { paymentsService, type OnPaid, type PaymentsService } from './modules/payments/payments.service.ts';
import { START_REFUSALS } from './modules/payments/payments.outcomes.ts';
import { recordOnlinePayment } from './modules/invoicing/invoicing.payments.ts';
import { paymentsRoutes } from './modules/payments/payments.routes.tsx';
import { payfipClient } from './platform/payfip/payfip.client.ts';
import { tariffsService } from './modules/tariffs/tariffs.service.ts';
import { tariffsAgentRoutes } from './modules/tariffs/tariffs.agent-routes.tsx';
import { messagingService } from './modules/messaging/messaging.service.ts';
import { messagingAgentRoutes } from './modules/messaging/messaging.agent-routes.tsx';
import { messagingFamilyService } from './modules/messaging/messaging.family-service.ts';
import { messagingFamilyRoutes } from './modules/messaging/messaging.family-routes.tsx';
import { messagingPreferencesService } from './modules/messaging/messaging.preferences-service.ts';
import { messagingNewsService } from './modules/messaging/messaging.news-service.ts';
import { messagingNewsRoutes } from './modules/messaging/messaging.news-routes.tsx';
import { messagingNotificationsService, notify } from './modules/messaging/messaging.notifications-service.ts';
import { messagingNotificationsRoutes } from './modules/messaging/messaging.notifications-routes.tsx';
import { formatEuros } from './platform/format.ts';
import { audienceCriteria } from './audience.ts';
import { tariffPricesService } from './modules/tariffs/tariffs.prices-service.ts';
import { tariffsFamilyRoutes } from './modules/tariffs/tariffs.family-routes.tsx';
import { storedFilesOf } from './platform/files/stored-files.ts';
import { documentsService } from './modules/documents/documents.service.ts';
import { documentsFamilyRoutes } from './modules/documents/documents.family-routes.tsx';
import { documentsAgentRoutes } from './modules/documents/documents.agent-routes.tsx';
import { documentTypesService } from './modules/documents/documents.types-service.ts';
import { documentsAgentService } from './modules/documents/documents.agent-service.ts';
import { documentsHouseholdSection } from './modules/documents/documents.household-section.tsx';
import { invoicingService } from './modules/invoicing/invoicing.service.ts';
import { invoicingDocuments } from './modules/invoicing/invoicing.documents-service.ts';
import { invoicingRegieReads } from './modules/invoicing/invoicing.regie-service.ts';
import { invoicingAgentRoutes, invoicingFamilyRoutes, invoicingRegiesRoutes } from './modules/invoicing/invoicing.routes.tsx';
import { invoicingRegiesAdmin } from './modules/invoicing/invoicing.regies-service.ts';
import { invoicingHouseholdSection } from './modules/invoicing/invoicing.household-section.tsx';
import { ledgerService } from './modules/invoicing/invoicing.ledger-service.ts';
import { paymentsCounterRoutes, paymentsReceiptFamilyRoutes } from './modules/payments/payments.counter-routes.tsx';
import { paymentsCashDeskRoutes } from './modules/payments/payments.cashdesk-routes.tsx';
import { cashDeskService } from './modules/invoicing/invoicing.cashdesk-service.ts';
import { tariffsPricing } from './modules/invoicing/invoicing.pricing.ts';
import { certificatesService } from './modules/certificates/certificates.service.ts';
import { pesService } from './modules/certificates/pes-service.ts';
import { certificatesAgentRoutes, certificatesFamilyRoutes } from './modules/certificates/certificates.routes.tsx';
import { certificatesHouseholdSection } from './modules/certificates/certificates.household-section.tsx';
import { recordQuotient } from './modules/tariffs/tariffs.shared-service.ts';
import { absenceRequestHandler, quotientRequestHandler, requestKindsService, type OnQuotientAccepted } from './modules/request-kinds/request-kinds.service.ts';
import { requestKindsAgentRoutes, requestKindsFamilyRoutes } from './modules/request-kinds/request-kinds.routes.tsx';

/** An accepted QF update enters the household's QF history (tariffs), in the decision's transaction, audited there. */
const onQuotientAccepted: OnQuotientAccepted = async (tx, q) => {
  await recordQuotient(tx, { householdId: q.householdId, amountEuros: q.amountEuros, fromMonth: q.fromMonth, source: q.source, reason: q.reason, actor: q.actor, at: q.at });
};

/** Every type of request, each plugged into the general model (the town switches them on or off). */
export const requestTypeHandlers = () => ({ enrolment: enrolmentRequestHandler, quotient: quotientRequestHandler(onQuotientAccepted), absence: absenceRequestHandler, ...trackingRequestHandlers });

export interface AppOptions {
  logger?: { level: string };
  /** Told of every route as it is registered (the fuzz test walks them all). */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * Online payments through PayFiP, built the same way for the server, the worker loop and the CLI.
 * `onPaid` runs inside the transaction that records a payment as paid: until the invoicing module
 * plugs its allocation in here, a paid transaction records nothing more than itself and its audit row.
 */
export function paymentsOf(ctx: AppContext, log: (message: string) => void = () => {}): PaymentsService {
  // A settled payment is carried to its invoices inside the settlement's transaction, and the family is told
  // (notification « payment_received », once per transaction).
  const onPaid: OnPaid = async (tx, paid) => {
    const at = new Date(paid.settledAt ?? ctx.clock.now().toISOString());
    await recordOnlinePayment(tx, at, paid);
    await notify(tx, ctx, at, 'payment_received', [{ householdId: paid.householdId, fact: paid.id, values: { montant: formatEuros(paid.amountCents), moyen: paid.means === 'direct_debit' ? 'en ligne par prélèvement' : 'en ligne par carte bancaire', reference: paid.refdet, lien: `${ctx.config.publicUrl}/factures` } }]);
  };
  return paymentsService(ctx, { client: payfipClient(ctx.config.payfip), publicUrl: ctx.config.publicUrl, onPaid, log });
}

/** The composition root: builds services from the context and registers every module's routes. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger
      ? {
          level: options.logger.level,
          // Never log query strings (activation and reset links carry secrets) nor personal data.
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }) },
        }
      : false,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1_000_000,
  }).withTypeProvider<ZodTypeProvider>();
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  await registerWeb(app, ctx);

  // Each service is built once, here, and handed to the modules that use it (docs/architecture.md).
  const identity = identityService(ctx);
  const admin = adminService(ctx);
  const family = familyService(ctx);
  const bookings = bookingsService(ctx);
  const attendance = attendanceService(ctx);
  const calendarFeed = calendarFeedService(ctx);
  const privacy = privacyService(ctx, personalDataDeclarations);
  // Documents and request attachments keep their files in the encrypted store (src/platform/files).
  const files = storedFilesOf(ctx);
  // The general request model; each type of request plugs in what it adds (enrolments, QF update, justified
  // absence, change of situation, other).
  const requestHandlers = requestTypeHandlers();
  const requests = requestsService(ctx, requestHandlers);
  const requestKinds = requestKindsService(ctx, requests);
  // Tracking of every type: the family's list and forms, files in messages, the agents' single queue.
  const documents = documentsService(ctx, files);
  const tracking = requestsTrackingService(ctx, requests, files, documents, requestKinds.draftForms());
  // Enrolments send the documents a service requires into the wallet through the documents service.
  const enrolments = enrolmentsService(ctx, requests, documents);
  // The agent's household page: each module adds its section (documents, invoices, balance will too).
  // Invoicing prices through the tariffs module (its one door: invoicing.pricing.ts).
  const invoicing = invoicingService(ctx, tariffsPricing(ctx.clock));
  const invoices = invoicingDocuments(ctx);
  // The payment ledger (issue 11): counter payments, receipts, the cash-desk day, the balance explained.
  const ledger = ledgerService(ctx);
  // The cash-desk day of each régie and its closing (issue 11 item 3).
  const cashDesk = cashDeskService(ctx);
  const households = householdsAgentService(ctx, identity, [requestsHouseholdSection(requests), enrolmentsHouseholdSection, documentsHouseholdSection, attendanceHouseholdSection, invoicingHouseholdSection(invoices, ledger), certificatesHouseholdSection]);
  // The catalogue closes days and runs draws through the bookings service it is given (no import cycle).
  const catalogue = catalogueService(ctx, bookings);
  const tariffs = tariffsService(ctx);
  // Messages: each module contributes its audience criteria (src/audience.ts).
  const messaging = messagingService(ctx, audienceCriteria);
  const certificates = certificatesService(ctx);

  contentRoutes(app, ctx);
  identityFamilyRoutes(app, ctx, identity);
  householdsFamilyRoutes(app, ctx, family);
  homeRoutes(app, ctx, homeService(ctx, family, bookings));
  bookingsFamilyRoutes(app, ctx, bookings);
  calendarFeedRoutes(app, calendarFeed);
  privacyFamilyRoutes(app, ctx, privacy);
  await requestsFamilyRoutes(app, ctx, requests, tracking);
  await enrolmentsFamilyRoutes(app, ctx, enrolments, documents.maxBytes);
  requestKindsFamilyRoutes(app, requestKinds);
  const payments = paymentsOf(ctx, (message) => app.log.warn(message));
  paymentsRoutes(app, payments);
  messagingFamilyRoutes(app, messagingFamilyService(ctx), messagingPreferencesService(ctx));
  tariffsFamilyRoutes(app, tariffPricesService(ctx));
  await documentsFamilyRoutes(app, ctx, documents);
  certificatesFamilyRoutes(app, certificates);
  paymentsReceiptFamilyRoutes(app, ctx, ledger);
  invoicingFamilyRoutes(app, invoices, ledger, async (payer, items, subject) => {
    const started = await payments.startPayment(payer, items, subject);
    return started.ok ? { ok: true, redirectUrl: started.value.redirectUrl } : { ok: false, message: START_REFUSALS[started.code] };
  });

  await app.register(async (plugin) => {
    const agent = plugin.withTypeProvider<ZodTypeProvider>();
    // Before the body is even validated: a visitor who is not an agent learns nothing more.
    agent.addHook('onRequest', requireAgent);
    dashboardRoute(agent, admin);
    identityAgentRoutes(agent, ctx, identity);
    adminAgentRoutes(agent, ctx, admin);
    householdsAgentRoutes(agent, ctx, households);
    bookingsAgentRoutes(agent, ctx, bookings);
    attendanceAgentRoutes(agent, ctx, attendance);
    attendanceHouseholdRoutes(agent, ctx, householdMonthService(ctx));
    await importsAgentRoutes(agent, ctx);
    privacyAgentRoutes(agent, ctx, privacy);
    await requestsAgentRoutes(agent, ctx, requests, tracking, Object.keys(requestHandlers));
    enrolmentsAgentRoutes(agent, ctx, enrolments);
    requestKindsAgentRoutes(agent, requestKinds);
    catalogueAgentRoutes(agent, ctx, catalogue);
    tariffsAgentRoutes(agent, tariffs);
    await messagingAgentRoutes(agent, ctx, messaging);
    messagingNewsRoutes(agent, ctx, messagingNewsService(ctx));
    messagingNotificationsRoutes(agent, messagingNotificationsService(ctx));
    documentsAgentRoutes(agent, ctx, documentTypesService(ctx), documentsAgentService(ctx, files));
    invoicingAgentRoutes(agent, ctx, invoicing, invoicingRegieReads(ctx), invoices);
    certificatesAgentRoutes(agent, certificates, pesService(ctx));
    paymentsCounterRoutes(agent, ctx, ledger);
    paymentsCashDeskRoutes(agent, ctx, cashDesk);
    invoicingRegiesRoutes(agent, invoicingRegiesAdmin(ctx));
  });

  return app;
}
