import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { hasRole } from '../../platform/http/auth-types.ts';
import { form, idParams, list, month, text, uuid } from '../../platform/http/input.ts';
import { CREDIT_REFUSALS, FLASH, MOVE_REFUSALS, PAY, REGIE_FLASH, REGIE_REFUSALS, RUN_REFUSALS } from './invoicing.outcomes.ts';
import { cleanRegieName, REGIE_NAME_MAX, type InvoicingRegiesAdmin } from './invoicing.regies-service.ts';
import { RegiesPage, REGIES_URL, RenameRegiePage, ServiceRegiePage } from './invoicing.regies-views.tsx';
import type { PayOnline } from './invoicing.payments.ts';
import type { InvoicingService } from './invoicing.service.ts';
import type { InvoicingDocuments } from './invoicing.documents-service.ts';
import { REASON_MAX } from './invoicing.documents-service.ts';
import type { InvoicingRegieReads } from './invoicing.regie-service.ts';
import type { LedgerService } from './invoicing.ledger-service.ts';
import { FamilyInvoicePage, FamilyInvoicesPage } from './invoicing.family-views.tsx';
import { AgentInvoicePage, IssueConfirmPage, RegieHomePage, RunPage, runUrl } from './invoicing.agent-views.tsx';

const pdf = (reply: FastifyReply, number: string, body: Buffer) =>
  reply.type('application/pdf').header('content-disposition', `attachment; filename="facture-${number}.pdf"`).header('cache-control', 'no-store').send(body);

/** The family's invoices and credit notes: the household comes from the session; another household's invoice is a 404. */
export function invoicingFamilyRoutes(app: App, docs: InvoicingDocuments, ledger: LedgerService, payOnline: PayOnline) {
  const accountPage = async (req: FastifyRequest, extra: { payError?: string; chosen?: string[] } = {}) => {
    const actor = familyOf(req);
    const [account, balance] = await Promise.all([docs.familyAccount(actor), ledger.familyBalance(actor)]);
    return FamilyInvoicesPage({ ctx: req.pageCtx(), account, balance, ...extra });
  };
  app.get('/factures', { onRequest: requireHousehold }, async (req, reply) => reply.page(await accountPage(req)));
  // Several invoices in one PayFiP payment: what remains of each is read at the click; every one must be the household's (404 otherwise).
  app.post('/factures/payer', { onRequest: requireHousehold, schema: { body: form({ factures: list(50, uuid) }) } }, async (req, reply) => {
    const actor = familyOf(req);
    const chosen = [...new Set(req.body.factures)];
    const refuse = async (message: string) => reply.page(await accountPage(req, { payError: message, chosen }), 409);
    if (chosen.length === 0) return refuse(PAY.noneChosen);
    const views = await Promise.all(chosen.map((id) => docs.familyInvoice(actor, id)));
    const items = views.filter((v) => v.invoice.remaining > 0).map((v) => ({ invoiceId: v.invoice.id, amountCents: v.invoice.remaining }));
    if (items.length === 0) return refuse(PAY.nothingToPay);
    const user = req.auth!.user;
    if (user.kind !== 'guardian' || actor.auth.user.id !== user.id) return refuse(PAY.guardiansOnly);
    const started = await payOnline({ householdId: actor.householdId, email: user.email ?? '' }, items, `Factures ${views.map((v) => v.invoice.number).join(' ')}`);
    return started.ok ? reply.seeOther(started.redirectUrl) : refuse(started.message);
  });
  app.get('/factures/:id', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => reply.page(FamilyInvoicePage({ ctx: req.pageCtx(), view: await docs.familyInvoice(familyOf(req), req.params.id) })));
  // « Payer » pays what remains of this invoice, read now (not what the page showed), through PayFiP.
  app.post('/factures/:id/payer', { onRequest: requireHousehold, schema: { params: idParams, body: form({}) } }, async (req, reply) => {
    const actor = familyOf(req);
    const view = await docs.familyInvoice(actor, req.params.id);
    const refuse = (message: string) => reply.page(FamilyInvoicePage({ ctx: req.pageCtx(), view, payError: message }), 409);
    if (view.invoice.remaining <= 0) return refuse(PAY.nothingToPay);
    const user = req.auth!.user;
    if (user.kind !== 'guardian' || actor.auth.user.id !== user.id) return refuse(PAY.guardiansOnly);
    const started = await payOnline({ householdId: actor.householdId, email: user.email ?? '' }, [{ invoiceId: view.invoice.id, amountCents: view.invoice.remaining }], `Facture ${view.invoice.number}`);
    return started.ok ? reply.seeOther(started.redirectUrl) : refuse(started.message);
  });
  app.get('/factures/:id/facture.pdf', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => {
    const { number, pdf: body } = await docs.familyPdf(familyOf(req), req.params.id);
    return pdf(reply, number, body);
  });
}

const RegieParams = z.object({ regieId: uuid });
const CreditBody = form({ lignes: list(400, uuid), motif: text(REASON_MAX * 4).optional() });
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional() });
const ControlBody = form({ version: z.string().regex(/^\d{1,6}$/) });

/** The régie's runs and the agents' invoice pages (agents only, by the plugin; roles checked in the services). */
export function invoicingAgentRoutes(app: App, ctx: AppContext, runs: InvoicingService, regie: InvoicingRegieReads, docs: InvoicingDocuments) {
  const home = async (req: FastifyRequest, extra: { errors?: Record<string, string>; values?: Record<string, string> } = {}) => RegieHomePage({ ctx: req.pageCtx(), ...(await regie.home(req.auth)), ...extra });
  const runPage = async (req: FastifyRequest, id: string, page = 1) => RunPage({ ctx: req.pageCtx(), ...(await regie.run(req.auth, id, page)) });

  app.get('/agent/regie', async (req, reply) => reply.page(await home(req)));

  // The month comes in a field named after the régie (several forms on one page): read it from the raw body, bounded.
  app.post('/agent/regie/:regieId/facturations', { schema: { params: RegieParams, body: z.record(z.string().max(60), z.string().max(200)) } }, async (req, reply) => {
    const field = `mois-${req.params.regieId}`;
    const parsed = month.safeParse(req.body[field]);
    if (!parsed.success || parsed.data >= ctx.clock.today().slice(0, 7)) return reply.page(await home(req, { errors: { [field]: 'Choisissez un mois terminé' }, values: { [field]: req.body[field] ?? '' } }), 400);
    const run = await runs.openRun(req.auth, req.params.regieId, parsed.data);
    return reply.seeOther(runUrl(run.id));
  });

  app.get('/agent/regie/facturations/:id', { schema: { params: idParams, querystring: PageQuery } }, async (req, reply) => reply.page(await runPage(req, req.params.id, req.query.page ?? 1)));

  app.post('/agent/regie/facturations/:id/brouillon', { schema: { params: idParams, body: form({}) } }, async (req, reply) => {
    const result = await runs.draft(req.auth, req.params.id);
    return reply.flash(result.ok ? FLASH.drafted(result.value.lines, result.value.totalCents) : RUN_REFUSALS[result.code]).seeOther(runUrl(req.params.id));
  });

  app.post('/agent/regie/facturations/:id/controle', { schema: { params: idParams, body: ControlBody } }, async (req, reply) => {
    const result = await runs.control(req.auth, req.params.id, Number(req.body.version));
    return reply.flash(result.ok ? FLASH.controlled : RUN_REFUSALS[result.code]).seeOther(runUrl(req.params.id));
  });

  app.get('/agent/regie/facturations/:id/emission', { schema: { params: idParams } }, async (req, reply) => {
    const view = await regie.run(req.auth, req.params.id);
    if (view.run.status !== 'controlled') return reply.flash(view.run.status === 'issued' ? RUN_REFUSALS.already_issued : RUN_REFUSALS.not_controlled).seeOther(runUrl(req.params.id));
    return reply.page(IssueConfirmPage({ ctx: req.pageCtx(), run: view.run, regie: view.regie, summary: view.summary }));
  });

  app.post('/agent/regie/facturations/:id/emission', { schema: { params: idParams, body: form({}) } }, async (req, reply) => {
    const result = await runs.issue(req.auth, req.params.id);
    return reply.flash(result.ok ? FLASH.issued(result.value.invoices) : RUN_REFUSALS[result.code]).seeOther(runUrl(req.params.id));
  });

  app.get('/agent/regie/facturations/:id/factures.csv', { schema: { params: idParams } }, async (req, reply) => {
    const rows = regie.csv(req.auth, req.params.id);
    // The first chunk is read before answering: a refusal (role, run not issued) is an error page, not a broken file.
    const first = await rows.next();
    const stream = Readable.from((async function* () {
      if (!first.done) yield first.value;
      yield* rows;
    })());
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="factures.csv"').header('cache-control', 'no-store').send(stream);
  });

  const invoicePage = async (req: FastifyRequest, id: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined>; chosen?: string[] } = {}) =>
    AgentInvoicePage({ ctx: req.pageCtx(), view: await docs.agentInvoice(req.auth, id), canCredit: !!req.auth && hasRole(req.auth.user, 'admin', 'regie'), ...extra });

  app.get('/agent/factures/:id', { schema: { params: idParams } }, async (req, reply) => reply.page(await invoicePage(req, req.params.id)));

  app.get('/agent/factures/:id/facture.pdf', { schema: { params: idParams } }, async (req, reply) => {
    const { number, pdf: body } = await docs.agentPdf(req.auth, req.params.id);
    return pdf(reply, number, body);
  });

  app.post('/agent/factures/:id/avoir', { schema: { params: idParams, body: CreditBody } }, async (req, reply) => {
    const { id } = req.params;
    const reason = (req.body.motif ?? '').trim();
    const errors: Record<string, string> = {};
    if (req.body.lignes.length === 0) errors.lignes = CREDIT_REFUSALS.nothing_chosen;
    if (!reason) errors.motif = CREDIT_REFUSALS.no_reason;
    else if (reason.length > REASON_MAX) errors.motif = `${REASON_MAX} caractères au maximum`;
    if (Object.keys(errors).length > 0) return reply.page(await invoicePage(req, id, { errors, values: { motif: req.body.motif }, chosen: req.body.lignes }), 400);
    const result = await docs.creditNote(req.auth, id, req.body.lignes, reason);
    if (!result.ok) return reply.page(await invoicePage(req, id, { errors: { lignes: CREDIT_REFUSALS[result.code] }, values: { motif: req.body.motif }, chosen: req.body.lignes }), 409);
    return reply.flash(FLASH.credited(result.value.number)).seeOther(`/agent/factures/${id}`);
  });
}

const NameBody = form({ nom: text(REGIE_NAME_MAX * 4) });
const MoveBody = form({ regie: uuid, mois: month });

/** Régies and the régie of each service (agents only, by the plugin; `admin` changes, `regie` reads: checked in the service). */
export function invoicingRegiesRoutes(app: App, admin: InvoicingRegiesAdmin) {
  const nameError = (raw: string) => {
    const name = cleanRegieName(raw);
    if (!name) return 'Indiquez le nom de la régie';
    if (name.length > REGIE_NAME_MAX) return `${REGIE_NAME_MAX} caractères au maximum`;
    return null;
  };

  app.get('/agent/regie/regies', async (req, reply) => reply.page(RegiesPage({ ctx: req.pageCtx(), ...(await admin.overview(req.auth)) })));

  app.post('/agent/regie/regies', { schema: { body: NameBody } }, async (req, reply) => {
    const invalid = nameError(req.body.nom);
    const again = async (message: string, status: number) => reply.page(RegiesPage({ ctx: req.pageCtx(), ...(await admin.overview(req.auth)), errors: { nom: message }, values: { nom: req.body.nom } }), status);
    if (invalid) return again(invalid, 400);
    const result = await admin.create(req.auth, req.body.nom);
    if (!result.ok) return again(REGIE_REFUSALS[result.code], 409);
    return reply.flash(REGIE_FLASH.created(result.value.name)).seeOther(REGIES_URL);
  });

  app.get('/agent/regie/regies/:id', { schema: { params: idParams } }, async (req, reply) => {
    return reply.page(RenameRegiePage({ ctx: req.pageCtx(), regie: await admin.regie(req.auth, req.params.id) }));
  });

  app.post('/agent/regie/regies/:id/nom', { schema: { params: idParams, body: NameBody } }, async (req, reply) => {
    const invalid = nameError(req.body.nom);
    const again = async (message: string, status: number) => reply.page(RenameRegiePage({ ctx: req.pageCtx(), regie: await admin.regie(req.auth, req.params.id), errors: { nom: message }, values: { nom: req.body.nom } }), status);
    if (invalid) return again(invalid, 400);
    const result = await admin.rename(req.auth, req.params.id, req.body.nom);
    if (!result.ok) return again(REGIE_REFUSALS[result.code], 409);
    return reply.flash(REGIE_FLASH.renamed(result.value.name)).seeOther(REGIES_URL);
  });

  app.get('/agent/regie/services/:id', { schema: { params: idParams } }, async (req, reply) => {
    const view = await admin.service(req.auth, req.params.id);
    return reply.page(ServiceRegiePage({ ctx: req.pageCtx(), ...view }));
  });

  app.post('/agent/regie/services/:id', { schema: { params: idParams, body: MoveBody } }, async (req, reply) => {
    const result = await admin.moveService(req.auth, req.params.id, req.body.regie, req.body.mois);
    if (!result.ok) {
      const view = await admin.service(req.auth, req.params.id);
      return reply.page(ServiceRegiePage({ ctx: req.pageCtx(), ...view, errors: { mois: MOVE_REFUSALS[result.code] }, values: { regie: req.body.regie, mois: req.body.mois } }), 409);
    }
    return reply.flash(REGIE_FLASH.moved(result.value.service, result.value.regie, req.body.mois)).seeOther(REGIES_URL);
  });
}
