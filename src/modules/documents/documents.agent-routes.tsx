import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { form, idParams, text } from '../../platform/http/input.ts';
import { typeSchema, type DocumentTypesService } from './documents.types-service.ts';
import { TypesPage } from './documents.agent-views.tsx';

const TypeBody = form({ label: text(400).optional(), validity: text(20).optional(), months: text(10).optional(), retention: text(10).optional() });
const ToggleBody = form({ actif: text(1).optional() });
const canManage = (req: FastifyRequest): Promise<void> => Promise.resolve().then(() => assertRole(req.auth, 'admin', 'enfance'));

/** The town's document types (admin and enfance). */
export function documentsAgentRoutes(app: App, _ctx: AppContext, types: DocumentTypesService) {
  app.get('/agent/documents/types', { onRequest: canManage }, async (req, reply) => reply.page(TypesPage({ ctx: req.pageCtx(), types: await types.list(req.auth) })));

  app.post('/agent/documents/types', { onRequest: canManage, schema: { body: TypeBody } }, async (req, reply) => {
    const parsed = parseForm(typeSchema, req.body);
    if (!parsed.ok) return reply.page(TypesPage({ ctx: req.pageCtx(), types: await types.list(req.auth), errors: parsed.errors, values: parsed.values }), 400);
    await types.add(req.auth, parsed.data);
    return reply.flash(`Le type « ${parsed.data.label} » est ajouté et proposé aux familles.`).seeOther('/agent/documents/types');
  });

  app.post('/agent/documents/types/:id', { onRequest: canManage, schema: { params: idParams, body: ToggleBody } }, async (req, reply) => {
    const active = req.body.actif === '1';
    const label = await types.setActive(req.auth, req.params.id, active);
    return reply.flash(active ? `« ${label} » est de nouveau proposé aux familles.` : `« ${label} » n'est plus proposé aux familles ; les documents déjà envoyés restent.`).seeOther('/agent/documents/types');
  });
}
