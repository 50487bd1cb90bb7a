import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { form, text } from '../../platform/http/input.ts';
import type { FieldErrors } from '../../platform/ui/components.tsx';
import { NOTIFICATION_KINDS, TEMPLATE_BODY_MAX, TEMPLATE_SUBJECT_MAX, type TemplateError } from './messaging.notifications.domain.ts';
import { TEMPLATE_REFUSALS } from './messaging.outcomes.ts';
import type { MessagingNotificationsService } from './messaging.notifications-service.ts';
import { NotificationPage, NotificationsPage } from './messaging.notifications-views.tsx';

const kindParams = z.object({ kind: z.enum(NOTIFICATION_KINDS, { error: 'Cette notification n\'existe pas.' }) });

const SettingBody = form({
  envoi: z.enum(['oui', 'non'], { error: 'Choisissez si la notification est envoyée.' }),
  // Bounded a little above the limits, so the page says « au plus … caractères » rather than a bare 400.
  objet: text(TEMPLATE_SUBJECT_MAX * 4).default(''),
  texte: text(TEMPLATE_BODY_MAX * 2).default(''),
  action: z.enum(['apercu', 'enregistrer']).default('enregistrer'),
});

/** The wording of the template's problems, next to their fields. */
function fieldErrors(errors: readonly TemplateError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const field = e.code.startsWith('subject') ? 'objet' : e.code.startsWith('body') ? 'texte' : 'field' in e && e.field === 'subject' ? 'objet' : 'texte';
    if (out[field]) continue;
    out[field] = e.code === 'unknown_placeholder' ? `${TEMPLATE_REFUSALS.unknown_placeholder} ${e.names.map((n) => `{{${n}}}`).join(', ')}.` : TEMPLATE_REFUSALS[e.code];
  }
  return out;
}

/** The town's automatic notifications (admin): switch, text, preview. Roles are checked in the service. */
export function messagingNotificationsRoutes(agent: App, notifications: MessagingNotificationsService) {
  agent.get('/agent/notifications', async (req, reply) => reply.page(NotificationsPage({ ctx: req.pageCtx(), rows: await notifications.list(req.auth) })));

  agent.get('/agent/notifications/:kind', { schema: { params: kindParams } }, async (req, reply) => {
    const row = await notifications.one(req.auth, req.params.kind);
    return reply.page(NotificationPage({ ctx: req.pageCtx(), row, preview: notifications.preview(row.def.kind, row.subject, row.body) }));
  });

  agent.post('/agent/notifications/:kind', { schema: { params: kindParams, body: SettingBody } }, async (req, reply) => {
    const row = await notifications.one(req.auth, req.params.kind);
    const b = req.body;
    const values = { envoi: b.envoi, objet: b.objet, texte: b.texte };
    const preview = notifications.preview(row.def.kind, b.objet, b.texte);
    if (b.action === 'apercu') return reply.page(NotificationPage({ ctx: req.pageCtx(), row, values, preview }));
    const saved = await notifications.save(req.auth, row.def.kind, { enabled: b.envoi === 'oui', subject: b.objet, body: b.texte });
    if (!saved.ok) return reply.page(NotificationPage({ ctx: req.pageCtx(), row, values, preview, errors: fieldErrors(saved.errors) }), 400);
    return reply.flash(`« ${row.def.label} » est enregistrée.`).seeOther(`/agent/notifications/${row.def.kind}`);
  });

  agent.post('/agent/notifications/:kind/defaut', { schema: { params: kindParams, body: form({}) } }, async (req, reply) => {
    await notifications.reset(req.auth, req.params.kind);
    return reply.flash('Le texte par défaut est rétabli.').seeOther(`/agent/notifications/${req.params.kind}`);
  });
}
