import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { form, idParams, month, text, uuid } from '../../platform/http/input.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/components.tsx';
import type { CertificatesService, IssueRequest } from './certificates.service.ts';
import type { PesService } from './pes-service.ts';
import { ISSUE_REFUSALS, PES_REFUSALS, VERIFY, type IssueRefusal } from './certificates.outcomes.ts';
import { CertificatesPage, VerifyPage } from './certificates.views.tsx';

const TaxBody = form({ annee: text(8) });
const PaymentBody = form({ paiement_du: text(10), paiement_au: text(10) });
const AttendanceBody = form({ enfant: text(40), presence_du: text(10), presence_au: text(10) });
const VerifyBody = form({ numero: text(60), code: text(60) });

const sendPdf = (reply: FastifyReply, number: string, body: Buffer) =>
  reply.type('application/pdf').header('content-disposition', `attachment; filename="attestation-${number}.pdf"`).header('cache-control', 'no-store').send(body);

/** Which field a refusal belongs to, so that the message sits next to it. */
const FIELD_OF: Record<IssueRefusal, (kind: IssueRequest['kind']) => string> = {
  order: (k) => (k === 'attendance' ? 'presence_au' : 'paiement_au'),
  too_long: (k) => (k === 'attendance' ? 'presence_au' : 'paiement_au'),
  future: (k) => (k === 'attendance' ? 'presence_du' : 'paiement_du'),
  unknown_child: () => 'enfant',
  nothing_attended: () => 'presence_du',
  nothing_paid: () => 'paiement_du',
  no_eligible_child: () => 'annee',
  year_not_started: () => 'annee',
  anonymised: () => 'annee',
};

/** The form's values turned into a request, or the fields in error. */
function parseIssue(kind: IssueRequest['kind'], body: Record<string, string | undefined>): { request: IssueRequest } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const monthOf = (field: string) => {
    const parsed = month.safeParse(body[field]);
    if (!parsed.success) errors[field] = 'Choisissez un mois dans la liste';
    return parsed.success ? parsed.data : '';
  };
  if (kind === 'tax') {
    const year = /^20\d\d$/.test(body.annee ?? '') ? Number(body.annee) : NaN;
    if (Number.isNaN(year)) return { errors: { annee: 'Choisissez une année dans la liste' } };
    return { request: { kind, year } };
  }
  if (kind === 'payment') {
    const fromMonth = monthOf('paiement_du');
    const toMonth = monthOf('paiement_au');
    return Object.keys(errors).length ? { errors } : { request: { kind, fromMonth, toMonth } };
  }
  const childId = uuid.safeParse(body.enfant);
  if (!childId.success) errors.enfant = ISSUE_REFUSALS.unknown_child;
  const fromMonth = monthOf('presence_du');
  const toMonth = monthOf('presence_au');
  return Object.keys(errors).length || !childId.success ? { errors } : { request: { kind, childId: childId.data, fromMonth, toMonth } };
}

type Issue = (req: FastifyRequest, request: IssueRequest) => ReturnType<CertificatesService['familyIssue']>;
type PageOf = (req: FastifyRequest, extra: { errors?: FieldErrors; values?: FormValues }) => Promise<ReturnType<typeof CertificatesPage>>;

/** POST handlers of the three forms, shared by the family's page and the agent's. */
function issueRoutes(app: App, base: string, onRequest: typeof requireHousehold | undefined, params: z.ZodObject, issue: Issue, pageOf: PageOf) {
  const handle = async (kind: IssueRequest['kind'], req: FastifyRequest, reply: FastifyReply, body: Record<string, string | undefined>) => {
    const values = { ...body, _csrf: undefined };
    const parsed = parseIssue(kind, body);
    if ('errors' in parsed) return reply.page(await pageOf(req, { errors: parsed.errors, values }), 400);
    const result = await issue(req, parsed.request);
    if (!result.ok) return reply.page(await pageOf(req, { errors: { [FIELD_OF[result.code](kind)]: ISSUE_REFUSALS[result.code] }, values }), 409);
    return sendPdf(reply, result.value.number, result.value.pdf);
  };
  app.post(`${base}/fiscale`, { onRequest, schema: { params, body: TaxBody } }, (req, reply) => handle('tax', req, reply, req.body));
  app.post(`${base}/paiement`, { onRequest, schema: { params, body: PaymentBody } }, (req, reply) => handle('payment', req, reply, req.body));
  app.post(`${base}/presence`, { onRequest, schema: { params, body: AttendanceBody } }, (req, reply) => handle('attendance', req, reply, req.body));
}

/** The family's certificates (household from the session) and the public verification page. */
export function certificatesFamilyRoutes(app: App, certificates: CertificatesService) {
  const pageOf: PageOf = async (req, extra) => CertificatesPage({ ctx: req.pageCtx(), data: (await certificates.familyPage(familyOf(req))), base: '/attestations', ...extra });
  app.get('/attestations', { onRequest: requireHousehold }, async (req, reply) => reply.page(await pageOf(req, {})));
  issueRoutes(app, '/attestations', requireHousehold, z.object({}), (req, request) => certificates.familyIssue(familyOf(req), request), pageOf);

  app.get('/attestations/verifier', async (req, reply) => reply.page(VerifyPage({ ctx: req.pageCtx() })));
  app.post('/attestations/verifier', { schema: { body: VerifyBody } }, async (req, reply) => {
    const values = { numero: req.body.numero.trim(), code: req.body.code.trim() };
    const errors: FieldErrors = {};
    if (!values.numero) errors.numero = VERIFY.numberMissing;
    if (!values.code) errors.code = VERIFY.codeMissing;
    if (Object.keys(errors).length) return reply.page(VerifyPage({ ctx: req.pageCtx(), errors, values }), 400);
    const result = await certificates.verify(req.ip, values.numero, values.code);
    if (result.ok) return reply.page(VerifyPage({ ctx: req.pageCtx(), result: { found: result.value } }));
    if (result.code === 'throttled') return reply.page(VerifyPage({ ctx: req.pageCtx(), values, result: { throttled: true } }), 429);
    return reply.page(VerifyPage({ ctx: req.pageCtx(), values, result: { notFound: true } }));
  });
}

/** Agents issue a family's certificates from its household page (roles in the service, audited there); the régie exports PES. */
export function certificatesAgentRoutes(app: App, certificates: CertificatesService, pes: PesService) {
  const base = '/agent/foyers/:id/attestations';
  const pageOf: PageOf = async (req, extra) => {
    const { id } = idParams.parse(req.params);
    return CertificatesPage({ ctx: req.pageCtx(), data: (await certificates.agentPage(req.auth, id)), base: `/agent/foyers/${id}/attestations`, back: `/agent/foyers/${id}`, ...extra });
  };
  app.get(base, { schema: { params: idParams } }, async (req, reply) => reply.page(await pageOf(req, {})));
  issueRoutes(app, base, undefined, idParams, (req, request) => certificates.agentIssue(req.auth, idParams.parse(req.params).id, request), pageOf);

  app.get('/agent/regie/facturations/:id/pes.xml', { schema: { params: idParams } }, async (req, reply) => {
    const result = await pes.export(req.auth, req.params.id);
    if (!result.ok) return reply.flash(PES_REFUSALS[result.code]).seeOther(`/agent/regie/facturations/${req.params.id}`);
    return reply.type('application/xml; charset=iso-8859-1').header('content-disposition', `attachment; filename="${result.value.fileName}"`).header('cache-control', 'no-store').send(result.value.bytes);
  });
}
