import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { form, idParams } from '../../platform/http/input.ts';
import type { AdminService } from './admin.service.ts';
import { MAIL_OUTCOMES } from './admin.outcomes.ts';
import * as v from './admin.views.tsx';

const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).optional() });

export function adminAgentRoutes(app: App, ctx: AppContext, admin: AdminService) {
  app.get('/agent/courriels', { schema: { querystring: PageQuery } }, async (req, reply) => {
    const page = req.query.page ?? 1;
    const list = await admin.listMails(req.auth, page);
    return reply.page(v.MailsPage({ ctx: req.pageCtx(), ...list, page, delivers: ctx.mailTransport.delivers, retentionDays: ctx.config.mailRetentionDays }));
  });

  app.get('/agent/courriels/:id', { schema: { params: idParams } }, async (req, reply) => {
    const mail = await admin.getMail(req.auth, req.params.id);
    if (!mail) throw new NotFoundError();
    return reply.page(v.MailPage({ ctx: req.pageCtx(), mail }));
  });

  app.post('/agent/courriels/:id/renvoyer', { schema: { params: idParams, body: form({}).optional() } }, async (req, reply) => {
    const { id } = req.params;
    const result = await admin.resendMail(req.auth, id);
    if (!result.ok && result.code === 'not_found') throw new NotFoundError();
    return reply.flash(result.ok ? MAIL_OUTCOMES.requeued : MAIL_OUTCOMES[result.code]).seeOther(`/agent/courriels/${id}`);
  });

  app.get('/agent/journal', { schema: { querystring: PageQuery } }, async (req, reply) => {
    const page = req.query.page ?? 1;
    const list = await admin.listAudit(req.auth, page);
    return reply.page(v.AuditPage({ ctx: req.pageCtx(), ...list, page }));
  });
}

export function dashboardRoute(app: App, admin: AdminService) {
  app.get('/agent', async (req, reply) => reply.page(v.DashboardPage({ ctx: req.pageCtx(), ...(await admin.dashboard(req.auth)) })));
}
