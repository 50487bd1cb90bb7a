import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import { requireFamily } from '../../platform/http/guards.ts';
import type { HomeService } from './home.service.ts';
import { HomePage } from './home.views.tsx';

/**
 * The family's home page (`/famille`). The household comes from the session (a guardian's own, or
 * the one an agent at the counter acts for); a guardian not yet linked to a household is welcomed
 * and told what comes next.
 */
export function homeRoutes(app: App, ctx: AppContext, home: HomeService) {
  app.get('/famille', { onRequest: requireFamily }, async (req, reply) => {
    const auth = req.auth;
    if (!auth) return reply.seeOther('/connexion');
    const actor = familyActorOf(auth);
    const page = actor ? await home.home(actor) : null;
    return reply.page(HomePage({ ctx: req.pageCtx(), now: ctx.clock.now(), today: ctx.clock.today(), home: page }));
  });
}
