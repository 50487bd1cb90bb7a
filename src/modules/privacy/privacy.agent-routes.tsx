import type { App } from '../../platform/http/app-type.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { PrivacyService } from './privacy.service.ts';
import * as v from './privacy.views.tsx';

/** Anonymising an archived household at the end of its retention period (admin only, checked in the service). */
export function privacyAgentRoutes(app: App, _ctx: AppContext, privacy: PrivacyService) {
  const idOf = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    if (!isUuid(id)) throw new NotFoundError();
    return id;
  };

  app.get('/agent/foyers/:id/anonymiser', async (req, reply) => reply.page(v.AnonymisePage({ ctx: req.pageCtx(), preview: await privacy.anonymisationPreview(req.auth, idOf(req)) })));

  app.post('/agent/foyers/:id/anonymiser', async (req, reply) => {
    const id = idOf(req);
    const preview = await privacy.anonymisationPreview(req.auth, id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const confirmed = body.confirm === '1' || (Array.isArray(body.confirm) && body.confirm.includes('1'));
    if (preview.decision.ok && !confirmed) {
      return reply.page(v.AnonymisePage({ ctx: req.pageCtx(), preview, errors: { confirm: 'Cochez la case pour confirmer l\'anonymisation définitive' } }), 400);
    }
    const done = await privacy.anonymise(req.auth, id);
    return reply.flash(`Le foyer ${done.reference} est anonymisé (${done.anonymised} personne(s) anonymisée(s)${done.kept ? `, ${done.kept} conservée(s)` : ''}).`).seeOther(`/agent/foyers/${id}`);
  });
}
