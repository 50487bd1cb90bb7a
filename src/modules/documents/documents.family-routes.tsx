import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { form, idParams, text } from '../../platform/http/input.ts';
import { acceptUploads, downloadRouteOptions, sendStoredFile, uploadField } from '../../platform/files/files.http.ts';
import { z } from 'zod';
import { DOCUMENT_DONE } from './documents.outcomes.ts';
import { isRequestReturnPath } from './documents.shared-service.ts';
import type { DocumentFields, DocumentsService } from './documents.service.ts';
import * as v from './documents.views.tsx';

const UploadBody = form({ type: text(60).optional(), personne: text(60).optional(), date: text(20).optional(), retour: text(200).optional(), fichier: uploadField.optional() });
// Coming from a request form: the type (and child) it waits for, and where to go back once the document is sent.
const AddQuery = z.object({ type: text(60).optional(), personne: text(60).optional(), retour: text(200).optional() });
const returnPath = (retour: string | undefined) => (retour && isRequestReturnPath(retour) ? retour : undefined);
const Empty = form({});

/**
 * The family's wallet (« Mes documents »). Upload routes live in a scope that reads multipart bodies
 * as a stream (files.http.ts); the household always comes from the session.
 */
export async function documentsFamilyRoutes(app: App, _ctx: AppContext, documents: DocumentsService) {
  await app.register((scope, _options, registered) => {
    const routes = scope as unknown as App;
    acceptUploads(routes);
    register(routes, documents);
    registered();
  });
}

function register(app: App, documents: DocumentsService) {
  const formPage = async (req: Parameters<typeof familyOf>[0], extra: { errors?: Record<string, string>; values?: Record<string, string | undefined>; replacing?: { id: string; label: string }; returnTo?: string } = {}) => {
    const wallet = await documents.wallet(familyOf(req));
    return v.AddDocumentPage({ ctx: req.pageCtx(), types: wallet.types, children: wallet.children, maxBytes: documents.maxBytes, ...extra });
  };
  const valuesOf = (body: DocumentFields) => ({ type: body.type, personne: body.personne, date: body.date });
  const back = (returnTo: string, id: string) => `${returnTo}${returnTo.includes('?') ? '&' : '?'}document=${id}`;

  app.get('/documents', { onRequest: requireHousehold }, async (req, reply) => {
    const wallet = await documents.wallet(familyOf(req));
    return reply.page(v.WalletPage({ ctx: req.pageCtx(), documents: wallet.documents }));
  });

  app.get('/documents/ajouter', { onRequest: requireHousehold, schema: { querystring: AddQuery } }, async (req, reply) =>
    reply.page(await formPage(req, { values: { type: req.query.type, personne: req.query.personne }, returnTo: returnPath(req.query.retour) })),
  );

  app.post('/documents/ajouter', { onRequest: requireHousehold, schema: { body: UploadBody } }, async (req, reply) => {
    const returnTo = returnPath(req.body.retour);
    const result = await documents.add(familyOf(req), req.body, req.body.fichier);
    if (!result.ok) return reply.page(await formPage(req, { errors: result.errors, values: valuesOf(req.body), returnTo }), 400);
    return reply.flash(DOCUMENT_DONE.added).seeOther(returnTo ? back(returnTo, result.id) : '/documents');
  });

  app.get('/documents/:id/remplacer', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => {
    const doc = await documents.document(familyOf(req), req.params.id);
    const values = { type: doc.type_id, personne: doc.person_id ?? 'foyer' };
    return reply.page(await formPage(req, { values, replacing: { id: doc.id, label: doc.type_label } }));
  });

  app.post('/documents/:id/remplacer', { onRequest: requireHousehold, schema: { params: idParams, body: UploadBody } }, async (req, reply) => {
    const actor = familyOf(req);
    const doc = await documents.document(actor, req.params.id);
    const result = await documents.add(actor, req.body, req.body.fichier, doc.id);
    if (!result.ok) return reply.page(await formPage(req, { errors: result.errors, values: valuesOf(req.body), replacing: { id: doc.id, label: doc.type_label } }), 400);
    return reply.flash(DOCUMENT_DONE.replaced).seeOther('/documents');
  });

  app.post('/documents/:id/supprimer', { onRequest: requireHousehold, schema: { params: idParams, body: Empty } }, async (req, reply) => {
    await documents.remove(familyOf(req), req.params.id);
    return reply.flash(DOCUMENT_DONE.removed).seeOther('/documents');
  });

  app.get('/documents/:id/fichier', { ...downloadRouteOptions, onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => sendStoredFile(reply, await documents.download(familyOf(req), req.params.id)));
}

