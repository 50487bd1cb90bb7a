import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { form, idParams, list, text, uuid } from '../../platform/http/input.ts';
import { CANCEL_REASON_MAX } from '../invoicing/invoicing.ledger.domain.ts';
import { CANCEL_REFUSALS, COUNTER_REFUSALS, LEDGER_FLASH } from '../invoicing/invoicing.outcomes.ts';
import type { LedgerService } from '../invoicing/invoicing.ledger-service.ts';
import { CounterPaymentPage, PaymentAgentPage, paymentUrl } from './payments.counter-views.tsx';
import { receiptPdf } from './payments.receipt-pdf.ts';
import { unpaidCsv } from '../invoicing/invoicing.reminders-service.ts';
import { Readable } from 'node:stream';

const CounterBody = form({ moyen: text(30).optional(), montant: text(30).optional(), cheque: text(40).optional(), banque: text(200).optional(), factures: list(100, uuid) });
const CancelBody = form({ motif: text(CANCEL_REASON_MAX * 4).optional() });

type Receipt = Awaited<ReturnType<LedgerService['agentReceipt']>>;

/** The family downloads its own receipts (another household's: 404). */
export function paymentsReceiptFamilyRoutes(app: App, ctx: AppContext, ledger: LedgerService) {
  app.get('/paiements/recus/:id/recu.pdf', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => sendReceipt(reply, ctx, await ledger.familyReceipt(familyOf(req), req.params.id)));
}

async function sendReceipt(reply: FastifyReply, ctx: AppContext, r: Receipt) {
  const body = await receiptPdf({ town: ctx.config.town.name, regieName: r.regieName, payment: r.payment, details: r.details, household: { reference: r.household.reference, payer: r.household.payer, address: r.household.address }, allocations: r.allocations });
  return reply.type('application/pdf').header('content-disposition', `attachment; filename="recu-${r.payment.number}.pdf"`).header('cache-control', 'no-store').send(body);
}

/** Counter payments, receipts and cancellation (agents only, by the plugin; roles checked in the service). */
export function paymentsCounterRoutes(app: App, ctx: AppContext, ledger: LedgerService) {
  const formPage = async (req: FastifyRequest, householdId: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined>; chosen?: string[] } = {}) =>
    CounterPaymentPage({ ctx: req.pageCtx(), view: await ledger.counterForm(req.auth, householdId), ...extra });

  app.get('/agent/foyers/:id/paiement', { schema: { params: idParams } }, async (req, reply) => reply.page(await formPage(req, req.params.id)));

  app.post('/agent/foyers/:id/paiement', { schema: { params: idParams, body: CounterBody } }, async (req, reply) => {
    const b = req.body;
    const result = await ledger.recordCounter(req.auth, req.params.id, { means: b.moyen ?? '', amount: b.montant ?? '', chequeNumber: b.cheque ?? '', bank: b.banque ?? '', invoiceIds: b.factures });
    if (!result.ok) {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([field, code]) => [field, COUNTER_REFUSALS[code!]]));
      return reply.page(await formPage(req, req.params.id, { errors, values: { moyen: b.moyen, montant: b.montant, cheque: b.cheque, banque: b.banque }, chosen: b.factures }), result.errors.caisse ? 409 : 400);
    }
    return reply.flash(LEDGER_FLASH.recorded(result.value.number, result.value.allocatedCents, result.value.creditCents)).seeOther(paymentUrl(result.value.id));
  });

  const paymentPage = async (req: FastifyRequest, id: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined> } = {}) => {
    const r = await ledger.agentReceipt(req.auth, id);
    return PaymentAgentPage({ ctx: req.pageCtx(), view: { ...r, household: { name: r.household.name, reference: r.household.reference } }, canCancel: !!req.auth && hasRole(req.auth.user, 'admin', 'regie'), ...extra });
  };

  app.get('/agent/paiements/:id', { schema: { params: idParams } }, async (req, reply) => reply.page(await paymentPage(req, req.params.id)));

  app.get('/agent/paiements/:id/recu.pdf', { schema: { params: idParams } }, async (req, reply) => sendReceipt(reply, ctx, await ledger.agentReceipt(req.auth, req.params.id)));

  app.post('/agent/paiements/:id/annulation', { schema: { params: idParams, body: CancelBody } }, async (req, reply) => {
    const reason = (req.body.motif ?? '').trim();
    if (reason.length > CANCEL_REASON_MAX) return reply.page(await paymentPage(req, req.params.id, { errors: { motif: `${CANCEL_REASON_MAX} caractères au maximum` }, values: { motif: req.body.motif } }), 400);
    const result = await ledger.cancel(req.auth, req.params.id, reason);
    if (!result.ok) return reply.page(await paymentPage(req, req.params.id, { errors: { motif: CANCEL_REFUSALS[result.code] }, values: { motif: req.body.motif } }), result.code === 'no_reason' ? 400 : 409);
    return reply.flash(LEDGER_FLASH.cancelled(result.value.number)).seeOther(paymentUrl(req.params.id));
  });

  // Unpaid invoices past their due date, for the Trésor: the first chunk is read before answering (a refusal is an error page).
  app.get('/agent/regie/impayes.csv', async (req, reply) => {
    const rows = unpaidCsv(ctx, req.auth);
    const first = await rows.next();
    const stream = Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* rows;
    })());
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="impayes.csv"').header('cache-control', 'no-store').send(stream);
  });
}
