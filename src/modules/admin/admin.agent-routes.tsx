import type { App } from '../../platform/http/app-type.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { AdminService } from './admin.service.ts';
import * as v from './admin.views.tsx';

const pageOf = (q: unknown) => Math.max(1, Math.min(10_000, Number((q as { page?: string }).page) || 1));

export function adminAgentRoutes(app: App, ctx: AppContext, admin: AdminService) {
  app.get('/agent/courriels', async (req, reply) => {
    const page = pageOf(req.query);
    const list = await admin.listMails(req.auth, page);
    return reply.page(v.MailsPage({ ctx: req.pageCtx(), ...list, page, delivers: ctx.mailTransport.delivers }));
  });

  app.get('/agent/courriels/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const mail = isUuid(id) ? await admin.getMail(req.auth, id) : undefined;
    if (!mail) throw new NotFoundError();
    return reply.page(v.MailPage({ ctx: req.pageCtx(), mail }));
  });

  app.post('/agent/courriels/:id/renvoyer', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!isUuid(id) || !(await admin.resendMail(req.auth, id))) throw new NotFoundError();
    return reply.flash('Le courriel est remis en file d\'envoi.').seeOther(`/agent/courriels/${id}`);
  });

  app.get('/agent/journal', async (req, reply) => {
    const page = pageOf(req.query);
    const list = await admin.listAudit(req.auth, page);
    return reply.page(v.AuditPage({ ctx: req.pageCtx(), ...list, page }));
  });
}

export function dashboardRoute(app: App, admin: AdminService) {
  app.get('/agent', async (req, reply) => reply.page(v.DashboardPage({ ctx: req.pageCtx(), ...(await admin.dashboard(req.auth)) })));
}
