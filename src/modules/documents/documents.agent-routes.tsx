import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { parseForm } from '../../platform/http/forms.ts';
import { form, idParams, text } from '../../platform/http/input.ts';
import { z } from 'zod';
import { uuid } from '../../platform/http/input.ts';
import { downloadRouteOptions, sendStoredFile } from '../../platform/files/files.http.ts';
import { typeSchema, type DocumentTypesService } from './documents.types-service.ts';
import type { DocumentsAgentService } from './documents.agent-service.ts';
import { TypesPage } from './documents.agent-views.tsx';
import { DocumentPage, QueuePage } from './documents.queue-views.tsx';

const TypeBody = form({ label: text(400).optional(), validity: text(20).optional(), months: text(10).optional(), retention: text(10).optional() });
const ToggleBody = form({ actif: text(1).optional() });
const QueueQuery = z.object({ type: z.union([uuid, z.literal('')]).optional(), structure: z.union([uuid, z.literal('')]).optional() });
const DecisionBody = form({ action: text(20).optional(), valable: text(20).optional(), qf: text(20).optional(), mois_qf: text(20).optional(), motif: text(2000).optional() });
const canManage = (req: FastifyRequest): Promise<void> => Promise.resolve().then(() => assertRole(req.auth, 'admin', 'enfance'));

/** The documents to check and the town's document types (admin and enfance; roles checked before the body is read and again in the services). */
export function documentsAgentRoutes(app: App, _ctx: AppContext, types: DocumentTypesService, documents: DocumentsAgentService) {
  app.get('/agent/documents', { onRequest: canManage, schema: { querystring: QueueQuery } }, async (req, reply) => {
    const filters = { typeId: req.query.type || undefined, facilityId: req.query.structure || undefined };
    return reply.page(QueuePage({ ctx: req.pageCtx(), ...(await documents.queue(req.auth, filters)), filters: { type: req.query.type, structure: req.query.structure } }));
  });

  app.get('/agent/documents/:id', { onRequest: canManage, schema: { params: idParams } }, async (req, reply) => reply.page(DocumentPage({ ctx: req.pageCtx(), doc: await documents.view(req.auth, req.params.id) })));

  app.get('/agent/documents/:id/fichier', { ...downloadRouteOptions, onRequest: canManage, schema: { params: idParams } }, async (req, reply) => sendStoredFile(reply, await documents.download(req.auth, req.params.id)));

  app.post('/agent/documents/:id/decision', { onRequest: canManage, schema: { params: idParams, body: DecisionBody } }, async (req, reply) => {
    const result = await documents.decide(req.auth, req.params.id, req.body);
    if (!result.ok) {
      const values = { valable: req.body.valable, qf: req.body.qf, mois_qf: req.body.mois_qf, motif: req.body.motif };
      return reply.page(DocumentPage({ ctx: req.pageCtx(), doc: await documents.view(req.auth, req.params.id), errors: result.errors, values }), 400);
    }
    return reply.flash(result.status === 'validated' ? 'Document validé. La famille en est informée.' : 'Document refusé. La famille lira le motif.').seeOther('/agent/documents');
  });

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
