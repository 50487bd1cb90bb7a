import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { form, idParams, list } from '../../platform/http/input.ts';
import type { PrivacyService } from './privacy.service.ts';
import { ANONYMISE_REFUSALS } from './privacy.outcomes.ts';
import * as v from './privacy.views.tsx';

const ConfirmBody = form({ confirm: list(2, z.string().max(10)) });

/** Anonymising an archived household at the end of its retention period (admin only, checked in the service). */
export function privacyAgentRoutes(app: App, _ctx: AppContext, privacy: PrivacyService) {
  app.get('/agent/foyers/:id/anonymiser', { schema: { params: idParams } }, async (req, reply) =>
    reply.page(v.AnonymisePage({ ctx: req.pageCtx(), preview: await privacy.anonymisationPreview(req.auth, req.params.id) })),
  );

  app.post('/agent/foyers/:id/anonymiser', { schema: { params: idParams, body: ConfirmBody } }, async (req, reply) => {
    const { id } = req.params;
    const preview = await privacy.anonymisationPreview(req.auth, id);
    if (preview.decision.ok && !req.body.confirm.includes('1')) {
      return reply.page(v.AnonymisePage({ ctx: req.pageCtx(), preview, errors: { confirm: ANONYMISE_REFUSALS.not_confirmed } }), 400);
    }
    const done = await privacy.anonymise(req.auth, id);
    if (!done.ok) {
      // Refused now (already anonymised, or changed meanwhile): the page again, with the reason as it stands.
      const fresh = await privacy.anonymisationPreview(req.auth, id);
      return reply.page(v.AnonymisePage({ ctx: req.pageCtx(), preview: fresh, errors: done.code === 'changed_meanwhile' ? { confirm: ANONYMISE_REFUSALS.changed_meanwhile } : undefined }), 409);
    }
    const { reference, anonymised, kept } = done.value;
    const keptText = kept ? `, ${kept} ${kept > 1 ? 'conservées' : 'conservée'}` : '';
    return reply.flash(`Le foyer ${reference} est anonymisé (${anonymised} ${anonymised > 1 ? 'personnes anonymisées' : 'personne anonymisée'}${keptText}).`).seeOther(`/agent/foyers/${id}`);
  });
}
