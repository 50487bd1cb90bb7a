import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { idParams, uuid } from '../../platform/http/input.ts';
import { sendPdf } from './messaging.agent-routes.tsx';
import type { MessagingFamilyService } from './messaging.family-service.ts';
import type { MessagingPreferencesService } from './messaging.preferences-service.ts';
import { PreferencesPage, UnsubscribePage } from './messaging.preferences-views.tsx';
import { form, list, text } from '../../platform/http/input.ts';
import { badRequest } from '../../platform/http/web.ts';
import { MAIL_TOPICS } from './messaging.domain.ts';
import * as v from './messaging.family-views.tsx';

/** The family's inbox; the household and the guardian come from the session only. */
const Link = z.object({ r: uuid, t: text(40), s: text(100) });
const invalidLink = () => badRequest('Ce lien de désinscription n\'est pas valide. Vous pouvez choisir vos courriels depuis « Messages » sur le portail.');

export function messagingFamilyRoutes(app: App, inbox: MessagingFamilyService, preferences: MessagingPreferencesService) {
  app.get('/messages/courriels', { onRequest: requireHousehold }, async (req, reply) => reply.page(PreferencesPage({ ctx: req.pageCtx(), off: await preferences.preferences(familyOf(req)) })));

  app.post('/messages/courriels', { onRequest: requireHousehold, schema: { body: form({ recevoir: list(MAIL_TOPICS.length, text(40)) }) } }, async (req, reply) => {
    const saved = await preferences.save(familyOf(req), req.body.recevoir);
    return reply.flash(saved ? 'Vos choix sont enregistrés.' : 'Chaque responsable choisit lui-même ses courriels.').seeOther('/messages/courriels');
  });

  // The e-mail's signed link, without logging in: a page to confirm (no change on GET), then the change.
  app.get('/desinscription', { schema: { querystring: Link } }, async (req, reply) => {
    const topic = await preferences.linkTopic(req.query);
    if (!topic) throw invalidLink();
    return reply.page(UnsubscribePage({ ctx: req.pageCtx(), topic, link: req.query, done: false }));
  });

  app.post('/desinscription', { schema: { body: form(Link.shape) } }, async (req, reply) => {
    const topic = await preferences.unsubscribe(req.body);
    if (!topic) throw invalidLink();
    return reply.page(UnsubscribePage({ ctx: req.pageCtx(), topic, link: req.body, done: true }));
  });

  app.get('/messages', { onRequest: requireHousehold }, async (req, reply) => reply.page(v.InboxPage({ ctx: req.pageCtx(), rows: await inbox.list(familyOf(req)) })));

  app.get('/messages/:id', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => reply.page(v.ReadPage({ ctx: req.pageCtx(), ...(await inbox.read(familyOf(req), req.params.id)) })));

  app.get('/messages/:id/pieces/:piece', { onRequest: requireHousehold, schema: { params: z.object({ id: uuid, piece: uuid }) } }, async (req, reply) => sendPdf(reply, await inbox.attachment(familyOf(req), req.params.id, req.params.piece)));
}
