import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { badRequest } from '../../platform/http/web.ts';
import { form, idParams } from '../../platform/http/input.ts';
import { importsService } from './imports.service.ts';
import { count, IMPORT_OUTCOMES } from './imports.outcomes.ts';
import { readMultipart, TOO_LARGE } from '../../platform/http/multipart.ts';
import * as v from './imports.views.tsx';

const EXAMPLE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/exemple-import.csv');
const MAX_BYTES = 2 * 1024 * 1024;
/** A body up to twice the file limit is read, so a file a little too large gets the page that says so. */
const MAX_BODY = 2 * MAX_BYTES;
/** Sending e-mails to many families: a few launches a minute at most. */
const mailRateLimit = { rateLimit: { max: 5, timeWindow: 60_000 } };

const UploadBody = z.object({
  _csrf: z.string().max(200).optional(),
  fichier: z.union([z.literal(TOO_LARGE), z.object({ filename: z.string().max(1000), bytes: z.instanceof(Buffer) })]).optional(),
});
const Empty = form({});

/**
 * Import of families from CSV and activation campaigns (roles admin and enfance, checked in the service;
 * the agent guard runs in onRequest for the whole back office). The upload is read by this scope's own
 * bounded multipart parser, so its fields (the hidden `_csrf` first) are checked like any other form.
 */
export async function importsAgentRoutes(agent: App, ctx: AppContext) {
  await agent.register((app, _options, registered) => {
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: MAX_BODY }, (req, body, done) => {
      const fields = readMultipart(Buffer.isBuffer(body) ? body : Buffer.from(body), String(req.headers['content-type'] ?? ''), { maxParts: 6, maxFieldBytes: 1000, maxFileBytes: MAX_BYTES });
      if (!fields) return done(badRequest('Le fichier envoyé n\'a pas pu être lu. Revenez au formulaire et déposez-le de nouveau.'), undefined);
      done(null, fields);
    });
    routes(app, ctx);
    registered();
  });
}

function routes(app: App, ctx: AppContext) {
  const imports = importsService(ctx);

  app.get('/agent/import', async (req, reply) => reply.page(v.ImportPage({ ctx: req.pageCtx(), recent: await imports.recentImports(req.auth) })));

  app.get('/agent/import/exemple.csv', async (req, reply) => {
    imports.assertCanImport(req.auth);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="exemple-import.csv"')
      .send(await fs.readFile(EXAMPLE_FILE));
  });

  app.post('/agent/import', { schema: { body: UploadBody } }, async (req, reply) => {
    imports.assertCanImport(req.auth);
    const file = req.body.fichier;
    const refuse = async (error: string, status = 400) => reply.page(v.ImportPage({ ctx: req.pageCtx(), recent: await imports.recentImports(req.auth), errors: { fichier: error } }), status);
    if (file === TOO_LARGE) return refuse(IMPORT_OUTCOMES.too_large, 413);
    if (!file || file.bytes.length === 0) return refuse(IMPORT_OUTCOMES.no_file);
    const result = await imports.upload(req.auth, { filename: file.filename, bytes: file.bytes });
    if (!result.ok) return refuse(result.detail);
    return reply.seeOther(`/agent/import/${result.value}`);
  });

  app.get('/agent/import/:id', { schema: { params: idParams } }, async (req, reply) => {
    const run = await imports.dryRun(req.auth, req.params.id);
    return reply.page(v.DryRunPage({ ctx: req.pageCtx(), ...run }));
  });

  app.post('/agent/import/:id/confirmer', { schema: { params: idParams, body: Empty } }, async (req, reply) => {
    const { id } = req.params;
    const result = await imports.confirm(req.auth, id);
    if (!result.ok) return reply.flash(IMPORT_OUTCOMES[result.code]).seeOther(`/agent/import/${id}`);
    const r = result.value;
    return reply
      .flash(`Import terminé : ${count(r.householdsCreated, 'foyer créé', 'foyers créés')} et ${count(r.personsCreated, 'personne créée', 'personnes créées')}, ${count(r.present, 'ligne déjà présente', 'lignes déjà présentes')}.`)
      .seeOther(`/agent/import/${id}`);
  });

  // Activation campaigns

  app.get('/agent/campagnes', async (req, reply) => reply.page(v.CampaignsPage({ ctx: req.pageCtx(), ...(await imports.listCampaigns(req.auth)) })));

  app.post('/agent/campagnes', { config: mailRateLimit, schema: { body: Empty } }, async (req, reply) => {
    const result = await imports.launch(req.auth);
    if (!result.ok) return reply.flash(IMPORT_OUTCOMES[result.code]).seeOther('/agent/campagnes');
    const r = result.value;
    const failed = r.failures.length ? ` ${count(r.failures.length, 'responsable n\'a pas pu être invité', 'responsables n\'ont pas pu être invités')} (${[...new Set(r.failures)].join(' ; ')}).` : '';
    return reply.flash(`Campagne lancée : ${count(r.emails, 'courriel part', 'courriels partent')}, ${count(r.letters, 'lettre', 'lettres')} à imprimer.${failed}`).seeOther(`/agent/campagnes/${r.campaignId}`);
  });

  // Lists guardians' names, e-mails and households: each view is an audited read of those households.
  app.get('/agent/campagnes/:id', { schema: { params: idParams } }, async (req, reply) => reply.page(v.CampaignPage({ ctx: req.pageCtx(), ...(await imports.campaignPage(req.auth, req.params.id)) })));

  app.post('/agent/campagnes/:id/relancer', { config: mailRateLimit, schema: { params: idParams, body: Empty } }, async (req, reply) => {
    const { id } = req.params;
    const { sent } = await imports.remind(req.auth, id);
    return reply.flash(sent ? `${count(sent, 'nouveau code part', 'nouveaux codes partent')} par courriel.` : IMPORT_OUTCOMES.nobody_to_remind).seeOther(`/agent/campagnes/${id}`);
  });

  app.post('/agent/campagnes/:id/lettres', { schema: { params: idParams, body: Empty } }, async (req, reply) => {
    const { id } = req.params;
    const pdf = await imports.letters(req.auth, id);
    if (!pdf) return reply.flash(IMPORT_OUTCOMES.no_letter_to_print).seeOther(`/agent/campagnes/${id}`);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="lettres-activation-${ctx.clock.today()}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}
