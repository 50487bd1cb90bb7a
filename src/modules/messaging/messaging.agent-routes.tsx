import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { badRequest } from '../../platform/http/web.ts';
import { parseForm, requiredText } from '../../platform/http/forms.ts';
import { idParams, list, text, uuid } from '../../platform/http/input.ts';
import { readMultipart, TOO_LARGE } from '../../platform/http/multipart.ts';
import { newId } from '../../platform/ids.ts';
import { ATTACHMENT_BYTES_MAX, ATTACHMENTS_MAX, BODY_MAX, isCategory, normaliseAudience, parisInstant, PREVIEW_PAGE_SIZE, SUBJECT_MAX, VALUES_MAX, type Audience } from './messaging.domain.ts';
import { SEND_REFUSALS, type SendRefusal } from './messaging.outcomes.ts';
import type { MessagingService } from './messaging.service.ts';
import * as v from './messaging.views.tsx';

const PAGE_SIZE = 30;
const page = z.coerce.number().int().min(1).max(100_000).optional();

/** The fields an agent writes, with the messages read next to them. */
const messageSchema = z.object({
  objet: requiredText('Indiquez l\'objet du message', SUBJECT_MAX),
  texte: requiredText('Écrivez le message', BODY_MAX),
  categorie: z.string({ error: 'Choisissez une catégorie' }).refine(isCategory, 'Choisissez une catégorie'),
  envoi: z.enum(['maintenant', 'plus_tard'], { error: 'Choisissez quand envoyer le message' }),
  jour: z.string().optional(),
  heure: z.string().optional(),
});

/** Where a refusal is shown on the form. */
const FIELD_OF: Record<SendRefusal, string> = {
  empty_audience: 'form',
  unknown_choice: 'form',
  bad_day: 'form',
  send_at_past: 'jour',
  send_at_invalid: 'jour',
  not_pdf: 'pieces',
  too_large: 'pieces',
  too_many: 'pieces',
  key_taken: 'form',
};

const file = z.object({ filename: z.string().max(1000), bytes: z.instanceof(Buffer) });

/**
 * Targeted messages, back office (roles admin and enfance, checked in the service). The audience form is
 * a GET form (« Compter »); sending is a multipart form (attachments) read by this scope's bounded parser.
 */
export async function messagingAgentRoutes(agent: App, _ctx: AppContext, messaging: MessagingService) {
  const keys = messaging.criteria.map((c) => c.key);
  const criteriaShape = Object.fromEntries(keys.map((k) => [k, list(VALUES_MAX, text(100))]));
  const AudienceQuery = z.object({ ...criteriaShape, compter: text(2).optional(), page });
  const SendBody = z.object({
    _csrf: text(200).optional(),
    cle: uuid,
    objet: text(SUBJECT_MAX * 4).optional(),
    texte: text(BODY_MAX * 4).optional(),
    categorie: text(30).optional(),
    envoi: text(30).optional(),
    jour: text(30).optional(),
    heure: text(30).optional(),
    pieces: z.union([z.literal(TOO_LARGE), file, z.array(z.union([z.literal(TOO_LARGE), file])).max(ATTACHMENTS_MAX + 2)]).optional(),
    ...criteriaShape,
  });
  const audienceOf = (query: Record<string, unknown>): Audience => normaliseAudience(query, keys);

  agent.get('/agent/messages', { schema: { querystring: z.object({ page }) } }, async (req, reply) => {
    const p = req.query.page ?? 1;
    const { rows, total } = await messaging.list(req.auth, p, PAGE_SIZE);
    return reply.page(v.MessagesPage({ ctx: req.pageCtx(), rows, total, page: p, pageSize: PAGE_SIZE }));
  });

  agent.get('/agent/messages/nouveau', { schema: { querystring: AudienceQuery } }, async (req, reply) => {
    const audience = audienceOf(req.query);
    const criteria = await messaging.criteriaForm(req.auth);
    const counted = req.query.compter || Object.keys(audience).length > 0 ? await messaging.count(req.auth, audience) : null;
    const errors = counted && !counted.ok ? { form: SEND_REFUSALS[counted.code] } : undefined;
    return reply.page(v.NewMessagePage({ ctx: req.pageCtx(), criteria, audience, count: counted?.ok ? counted.value : null, errors, idempotencyKey: newId() }), errors ? 400 : 200);
  });

  agent.get('/agent/messages/destinataires', { schema: { querystring: AudienceQuery } }, async (req, reply) => {
    const audience = audienceOf(req.query);
    const p = req.query.page ?? 1;
    const preview = await messaging.preview(req.auth, audience, p, PREVIEW_PAGE_SIZE);
    if (!preview.ok) return reply.seeOther('/agent/messages/nouveau');
    return reply.page(v.PreviewPage({ ctx: req.pageCtx(), audience, count: preview.value, rows: preview.value.rows, page: p, pageSize: PREVIEW_PAGE_SIZE }));
  });

  await agent.register((plugin, _options, registered) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: ATTACHMENTS_MAX * ATTACHMENT_BYTES_MAX + 200_000 }, (req, body, done) => {
      const fields = readMultipart(Buffer.isBuffer(body) ? body : Buffer.from(body), String(req.headers['content-type'] ?? ''), { maxParts: 40 + VALUES_MAX, maxFieldBytes: BODY_MAX * 4, maxFileBytes: ATTACHMENT_BYTES_MAX });
      if (!fields) return done(badRequest('Le message envoyé n\'a pas pu être lu. Revenez au formulaire et envoyez-le de nouveau.'), undefined);
      done(null, fields);
    });

    app.post('/agent/messages', { schema: { body: SendBody } }, async (req, reply) => {
      const audience = audienceOf(req.body);
      const rerender = async (errors: Record<string, string>, values: Record<string, string | undefined>, status = 400) => {
        const counted = await messaging.count(req.auth, audience);
        return reply.page(v.NewMessagePage({ ctx: req.pageCtx(), criteria: await messaging.criteriaForm(req.auth), audience, count: counted.ok ? counted.value : null, errors, values, idempotencyKey: req.body.cle }), status);
      };
      const values = { objet: req.body.objet, texte: req.body.texte, categorie: req.body.categorie, envoi: req.body.envoi, jour: req.body.jour, heure: req.body.heure };
      const form = parseForm(messageSchema, values);
      if (!form.ok) return rerender(form.errors, values);
      const files = (req.body.pieces === undefined ? [] : Array.isArray(req.body.pieces) ? req.body.pieces : [req.body.pieces]).filter((f) => f === TOO_LARGE || f.filename !== '' || f.bytes.length > 0);
      if (files.some((f) => f === TOO_LARGE)) return rerender({ pieces: SEND_REFUSALS.too_large }, values, 413);
      let sendAt: Date | null = null;
      if (form.data.envoi === 'plus_tard') {
        sendAt = /^\d\d:\d\d$/.test(form.data.heure ?? '') && /^\d{4}-\d\d-\d\d$/.test(form.data.jour ?? '') ? parisInstant(form.data.jour!, form.data.heure!) : null;
        if (!sendAt) return rerender({ jour: SEND_REFUSALS.send_at_invalid }, values);
      }
      const result = await messaging.send(req.auth, {
        idempotencyKey: req.body.cle,
        audience,
        subject: form.data.objet,
        body: form.data.texte,
        category: form.data.categorie,
        sendAt,
        attachments: files.filter((f) => f !== TOO_LARGE),
      });
      if (!result.ok) return rerender({ [FIELD_OF[result.code]]: SEND_REFUSALS[result.code] }, values);
      const r = result.value;
      const flash = r.duplicate ? 'Ce message était déjà envoyé : il ne part qu\'une fois.' : sendAt ? `Message programmé pour ${r.recipients} responsable${r.recipients > 1 ? 's' : ''}.` : `Message envoyé à ${r.recipients} responsable${r.recipients > 1 ? 's' : ''} : les courriels partent dans les minutes qui suivent.`;
      return reply.flash(flash).seeOther(`/agent/messages/${r.id}`);
    });
    registered();
  });

  agent.get('/agent/messages/:id', { schema: { params: idParams } }, async (req, reply) => {
    const view = await messaging.message(req.auth, req.params.id);
    return reply.page(v.MessagePage({ ctx: req.pageCtx(), ...view, now: new Date().toISOString() }));
  });

  agent.get('/agent/messages/:id/guichet', { schema: { params: idParams } }, async (req, reply) => reply.page(v.CounterListPage({ ctx: req.pageCtx(), ...(await messaging.counterList(req.auth, req.params.id)) })));

  agent.get('/agent/messages/:id/pieces/:piece', { schema: { params: z.object({ id: uuid, piece: uuid }) } }, async (req, reply) => {
    const file = await messaging.agentAttachment(req.auth, req.params.id, req.params.piece);
    return sendPdf(reply, file);
  });
}

/** A stored PDF, always as a download (never shown inline by the browser), its type never sniffed. */
export function sendPdf(reply: import('fastify').FastifyReply, file: { filename: string; bytes: Buffer }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}
