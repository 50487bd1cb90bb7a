import type { App } from '../../platform/http/app-type.ts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { form, idParams, text, uuid } from '../../platform/http/input.ts';
import { REQUEST_OUTCOMES } from '../requests/requests.outcomes.ts';
import { KIND_OUTCOMES } from './request-kinds.outcomes.ts';
import type { RequestKindsService } from './request-kinds.service.ts';
import * as v from './request-kinds.views.tsx';

// What the forms post (bounded); an unknown id is answered by the service's checks, in French.
// `brouillon`: the family's own draft reopened (checked by the service: another household's → 404, a sent one → 409).
const QuotientBody = form({ document: text(60).optional(), action: text(20).optional(), brouillon: uuid.optional() });
const AbsenceBody = form({ document: text(60).optional(), jour: text(60).optional(), action: text(20).optional(), brouillon: uuid.optional() });
// `verifier=1`: « Envoyer » from the draft's page found it incomplete; the form shows what is missing.
const BackQuery = z.object({ document: uuid.optional().catch(undefined), jour: uuid.optional().catch(undefined), brouillon: uuid.optional().catch(undefined), verifier: z.literal('1').optional().catch(undefined) });
const QuotientEntry = form({ quotient: text(40).optional(), mois: text(20).optional(), organisme: text(10).optional() });

const done = (draft: boolean) => (draft ? REQUEST_OUTCOMES.draft_saved : REQUEST_OUTCOMES.draft_sent);

/** The family files a QF update or a justified absence (household from the session). */
export function requestKindsFamilyRoutes(app: App, kinds: RequestKindsService) {
  app.get('/demandes/nouvelle/quotient', { onRequest: requireHousehold, schema: { querystring: BackQuery } }, async (req, reply) =>
    reply.page(v.QuotientFormPage({ ctx: req.pageCtx(), ...(await kinds.quotientForm(familyOf(req), req.query)) }), 200),
  );

  app.post('/demandes/nouvelle/quotient', { onRequest: requireHousehold, schema: { body: QuotientBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const result = await kinds.createQuotient(actor, req.body);
    if (!result.ok) return reply.page(v.QuotientFormPage({ ctx: req.pageCtx(), ...(await kinds.quotientForm(actor, { brouillon: req.body.brouillon })), errors: result.errors, values: { document: req.body.document, brouillon: req.body.brouillon } }), 400);
    return reply.flash(done(result.draft)).seeOther(`/demandes/${result.id}`);
  });

  app.get('/demandes/nouvelle/absence', { onRequest: requireHousehold, schema: { querystring: BackQuery } }, async (req, reply) =>
    reply.page(v.AbsenceFormPage({ ctx: req.pageCtx(), ...(await kinds.absenceForm(familyOf(req), req.query)) }), 200),
  );

  app.post('/demandes/nouvelle/absence', { onRequest: requireHousehold, schema: { body: AbsenceBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const result = await kinds.createAbsence(actor, req.body);
    if (!result.ok) return reply.page(v.AbsenceFormPage({ ctx: req.pageCtx(), ...(await kinds.absenceForm(actor, { brouillon: req.body.brouillon })), errors: result.errors, values: { document: req.body.document, jour: req.body.jour, brouillon: req.body.brouillon } }), 400);
    return reply.flash(done(result.draft)).seeOther(`/demandes/${result.id}`);
  });
}

/** The agent reads the attestation and types the quotient (agents only, by the plugin; roles in the service). */
export function requestKindsAgentRoutes(app: App, kinds: RequestKindsService) {
  const page = async (req: FastifyRequest, id: string, extra: { errors?: Record<string, string>; values?: Record<string, string | undefined> } = {}) => v.AgentQuotientPage({ ctx: req.pageCtx(), ...(await kinds.agentQuotient(req.auth, id)), ...extra });

  app.get('/agent/demandes/:id/quotient', { schema: { params: idParams } }, async (req, reply) => reply.page(await page(req, req.params.id)));

  app.post('/agent/demandes/:id/quotient', { schema: { params: idParams, body: QuotientEntry } }, async (req, reply) => {
    const { id } = req.params;
    const result = await kinds.saveQuotient(req.auth, id, req.body);
    if (!result.ok) return reply.page(await page(req, id, { errors: result.errors, values: req.body }), 400);
    return reply.flash(KIND_OUTCOMES.qf_saved).seeOther(`/agent/demandes/${id}`);
  });
}
