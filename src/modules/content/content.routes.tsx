import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { databaseAnswers } from '../../platform/db/health.ts';
import { currentNews } from '../messaging/messaging.shared-service.ts';
import * as v from './content.views.tsx';

/** Public pages every visitor can read, and the health check for the load balancer. */
export function contentRoutes(app: App, ctx: AppContext) {
  app.get('/healthz', async (_req, reply) => {
    const ok = await databaseAnswers(ctx.db);
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send({ status: ok ? 'ok' : 'database-unreachable' });
  });
  app.get('/', async (req, reply) => {
    if (req.auth) return reply.seeOther(req.auth.user.kind === 'agent' && !req.auth.actingHouseholdId ? '/agent' : '/famille');
    return reply.page(v.HomePage({ ctx: req.pageCtx(), news: await currentNews(ctx.db, ctx.clock.today()) }));
  });
  app.get('/accessibilite', async (req, reply) => reply.page(v.AccessibilityPage({ ctx: req.pageCtx(), updated: '28 novembre 2026' })));
  app.get('/mentions-legales', async (req, reply) => reply.page(v.LegalPage({ ctx: req.pageCtx() })));
  app.get('/donnees-personnelles', async (req, reply) => reply.page(v.PrivacyPage({ ctx: req.pageCtx() })));
  app.get('/plan-du-site', async (req, reply) => reply.page(v.SiteMapPage({ ctx: req.pageCtx() })));
}
