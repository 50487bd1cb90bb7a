import type { App } from '../../platform/http/app-type.ts';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { importsService } from './imports.service.ts';
import * as v from './imports.views.tsx';

const EXAMPLE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/exemple-import.csv');
const MAX_BYTES = 2 * 1024 * 1024;
const TOO_LARGE = Symbol('too large');
/** Sending e-mails to many families: a few launches a minute at most. */
const mailRateLimit = { rateLimit: { max: 5, timeWindow: 60_000 } };

/**
 * Import of families from CSV and activation campaigns (roles admin and enfance, checked in the service).
 * Multipart is registered in this scope only; its fields land in req.body before the global CSRF check,
 * so the hidden `_csrf` field (placed before the file input) is checked like any other form.
 */
export async function importsAgentRoutes(agent: App, ctx: AppContext) {
  await agent.register(async (app) => {
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
      async onFile(part: MultipartFile & { value?: unknown }) {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        part.value = part.file.truncated ? TOO_LARGE : { filename: part.filename, bytes: Buffer.concat(chunks) };
      },
    });
    routes(app, ctx);
  });
}

function routes(app: App, ctx: AppContext) {
  const imports = importsService(ctx);
  const idOf = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    if (!isUuid(id)) throw new NotFoundError();
    return id;
  };

  app.get('/agent/import', async (req, reply) => reply.page(v.ImportPage({ ctx: req.pageCtx(), recent: await imports.recentImports(req.auth) })));

  app.get('/agent/import/exemple.csv', async (req, reply) => {
    imports.assertCanImport(req.auth);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="exemple-import.csv"')
      .send(await fs.readFile(EXAMPLE_FILE));
  });

  app.post('/agent/import', async (req, reply) => {
    imports.assertCanImport(req.auth);
    const file = (req.body as Record<string, unknown> | undefined)?.fichier;
    const fail = async (error: string, status = 400) => reply.page(v.ImportPage({ ctx: req.pageCtx(), recent: await imports.recentImports(req.auth), errors: { fichier: error } }), status);
    if (file === TOO_LARGE) return fail('Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.', 413);
    if (!file || typeof file !== 'object' || !('bytes' in file) || (file as { bytes: Buffer }).bytes.length === 0) return fail('Choisissez un fichier CSV');
    const { filename, bytes } = file as { filename: string; bytes: Buffer };
    const result = await imports.upload(req.auth, { filename, bytes });
    if (!result.ok) return fail(result.error);
    return reply.seeOther(`/agent/import/${result.id}`);
  });

  app.get('/agent/import/:id', async (req, reply) => {
    const run = await imports.dryRun(req.auth, idOf(req));
    return reply.page(v.DryRunPage({ ctx: req.pageCtx(), ...run }));
  });

  app.post('/agent/import/:id/confirmer', async (req, reply) => {
    const id = idOf(req);
    const result = await imports.confirm(req.auth, id);
    if (!result.ok) return reply.flash(result.error).seeOther(`/agent/import/${id}`);
    return reply
      .flash(`Import terminé : ${result.householdsCreated} foyer(s) et ${result.personsCreated} personne(s) créés, ${result.present} ligne(s) déjà présentes.`)
      .seeOther(`/agent/import/${id}`);
  });

  // Activation campaigns

  app.get('/agent/campagnes', async (req, reply) => reply.page(v.CampaignsPage({ ctx: req.pageCtx(), ...(await imports.listCampaigns(req.auth)) })));

  app.post('/agent/campagnes', { config: mailRateLimit }, async (req, reply) => {
    const result = await imports.launch(req.auth);
    if (!result.ok) return reply.flash(result.error).seeOther('/agent/campagnes');
    const failed = result.failures.length ? ` ${result.failures.length} responsable(s) n'ont pas pu être invités (${[...new Set(result.failures)].join(' ; ')}).` : '';
    return reply.flash(`Campagne lancée : ${result.emails} courriel(s) partent, ${result.letters} lettre(s) à imprimer.${failed}`).seeOther(`/agent/campagnes/${result.campaignId}`);
  });

  app.get('/agent/campagnes/:id', async (req, reply) => reply.page(v.CampaignPage({ ctx: req.pageCtx(), ...(await imports.campaign(req.auth, idOf(req))) })));

  app.post('/agent/campagnes/:id/relancer', { config: mailRateLimit }, async (req, reply) => {
    const id = idOf(req);
    const { sent } = await imports.remind(req.auth, id);
    return reply.flash(sent ? `${sent} nouveau(x) code(s) part(ent) par courriel.` : 'Personne à relancer par courriel.').seeOther(`/agent/campagnes/${id}`);
  });

  app.post('/agent/campagnes/:id/lettres', async (req, reply) => {
    const id = idOf(req);
    const pdf = await imports.letters(req.auth, id);
    if (!pdf) return reply.flash('Aucune lettre à imprimer : tous les destinataires sans courriel ont activé leur compte.').seeOther(`/agent/campagnes/${id}`);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="lettres-activation-${ctx.clock.today()}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}
